"""A question stated as inline math (``**Example 1:** $\\frac{d}{dx}[x\\sin x]$``),
a few words ("Product rule:"), then a display that starts with ``=``: the
display continues the question's chain, and each step is judged as SymPy
judges it.  An inline formula with its own '=' (a value, "$y = 3$") is no
question: a display after it that starts with '=' stays alone.  Snippets
written for these tests."""

from __future__ import annotations

import sympy as sp
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document

X = sp.symbols("x")


def judged(note: str):
    doc = read_document(note, "markdown")
    return [(doc.text.count("\n", 0, u.name_span.start) + 1, check_claim(u).ok)
            for u in doc.claims]


def test_the_display_answers_the_inline_question():
    note = ("**Example 1:** $\\frac{d}{dx}[x\\cos x]$\n\n"
            "Product rule:\n"
            "$$= 1 \\cdot \\cos x - x \\sin x = \\cos x + x\\sin x$$\n\n"
            "**Example 2:** $\\frac{d}{dx}[x^2 e^x]$ (product rule)\n"
            "$$= 2x e^x + x^2 e^x = x e^x (x + 2)$$\n")
    d1, d2 = sp.diff(X * sp.cos(X), X), sp.diff(X**2 * sp.exp(X), X)
    want = [sp.simplify(d1 - (sp.cos(X) - X * sp.sin(X))) == 0,
            sp.simplify(d1 - (sp.cos(X) + X * sp.sin(X))) == 0,
            sp.simplify(d2 - (2 * X * sp.exp(X) + X**2 * sp.exp(X))) == 0,
            sp.simplify(d2 - X * sp.exp(X) * (X + 2)) == 0]
    assert want == [True, False, True, True]  # the oracle
    got = judged(note)
    assert [ok for _, ok in got] == want
    assert [line for line, _ in got] == [4, 4, 7, 7]


def test_an_inline_value_is_no_question():
    note = "We know $y = 3x$ here. So\n$$= 5x^2$$\n"
    assert all(ok is not False for _, ok in judged(note))
