"""A defined function applied inside a group, on snippets written for these
tests: after ``g(x) = x^2 + 1``, ``\\sqrt[3]{g(x)}``, ``\\sqrt{g(x)}``,
and ``e^{g(x)}`` apply g (they were 'not checked': g read as a function the
note does not define), judged as SymPy judges them; a fraction's
``\\frac{u(x)}{v(x)}`` is left as it was (the quotient rule's u and v are often
named after it, and an older u, v would be taken)."""

from __future__ import annotations

import sympy as sp
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document

X = sp.Symbol("x", positive=True)
G = X**2 + 1

CASES = [  # (differentiated LaTeX, claimed LaTeX, SymPy function, SymPy claim)
    ("\\sqrt[3]{g(x)}", "\\frac{2x}{3(x^2+1)^{2/3}}", sp.cbrt(G),
     2 * X / (3 * G**sp.Rational(2, 3))),
    ("\\sqrt[3]{g(x)}", "\\frac{2x}{3(x^2+1)^{1/3}}", sp.cbrt(G), 2 * X / (3 * sp.cbrt(G))),
    ("\\sqrt{g(x)}", "\\frac{x}{\\sqrt{x^2+1}}", sp.sqrt(G), X / sp.sqrt(G)),
    ("e^{g(x)}", "2xe^{x^2+1}", sp.exp(G), 2 * X * sp.exp(G)),
    ("e^{g(x)}", "e^{x^2+1}", sp.exp(G), sp.exp(G)),
]


def test_a_defined_function_in_braces_is_applied():
    note = "Let $g(x) = x^2 + 1$.\n\n" + "".join(
        f"Then $\\frac{{d}}{{dx}}{e} = {c}$.\n\n" for e, c, _, _ in CASES)
    got = [check_claim(u).ok for u in read_document(note, "markdown").claims]
    want = [sp.simplify(sp.diff(f, X) - d) == 0 for _, _, f, d in CASES]
    assert want == [True, False, True, True, False]  # the oracle
    assert got == want


def test_an_undefined_function_in_braces_is_still_not_checked():
    note = "Then $\\frac{d}{dx}\\sqrt{h(x)} = \\frac{1}{2\\sqrt{x}}$.\n"
    doc = read_document(note, "markdown")
    assert [check_claim(u).ok for u in doc.claims] in ([], [None])
