"""Indexed parts of a function (f_1, f_2 of the product rule's f = f_1 f_2) are
names of their own: a definition of h_2 never stands for h, so a correct claim
about h is never judged against h_2's formula (a P0 found on a fresh set: the
value h'(0) of a product was called wrong against its second factor)."""

import sympy as sp
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document

PRODUCT = r"""\begin{question} What is $h'(0)$, when $h(t)=(5t^3+2t^2+t+4)(3t+1)$?
\end{question}
\begin{solution} Put $h_1(t)=5t^3+2t^2+t+4$ and $h_2(t)=3t+1$, so\\ $h_1'(t)=15t^2+4t+1$
and $h_2'(t)=3$. Then
\begin{align*}
h'(0)&=h_1'(0)h_2(0)+h_1(0)h_2'(0)\\
&=(1)(1)+(4)(3)=13\end{align*}
\end{solution}
"""

NEARBY = "Let $h(t)=t^2(3t+1)$.\n\nPut $h_2(t)=3t+1$.\n\nThen $h'(t) = {claim}$.\n"


def _verdicts(text: str, kind: str):
    return [check_claim(c) for c in read_document(text, kind).claims]


def test_sympy_agrees_with_the_fixtures():
    t = sp.Symbol("t")
    h = (5 * t**3 + 2 * t**2 + t + 4) * (3 * t + 1)
    assert sp.diff(h, t).subs(t, 0) == 13
    assert sp.expand(sp.diff(t**2 * (3 * t + 1), t)) == 9 * t**2 + 2 * t


def test_a_value_of_the_products_derivative_is_not_judged_against_a_factor():
    found = _verdicts(PRODUCT, "latex")
    assert found and all(v.ok is not False for v in found), [
        (v.ok, v.note) for v in found]
    assert sum(v.ok is True for v in found) >= 2  # h_1' and h_2' are checked


def test_the_function_itself_is_checked_beside_its_indexed_part():
    right = _verdicts(NEARBY.format(claim="9t^2+2t"), "markdown")
    assert [v.ok for v in right] == [True]
    slip = _verdicts(NEARBY.format(claim="9t^2+3t"), "markdown")
    assert [v.ok for v in slip] == [False]
