"""Function names of other traditions, on snippets written for these tests:
Russian and European sheets write tg, ctg, arctg, arcctg, sh, ch, th, cth
(as ``\\operatorname{…}``, bare commands of babel's russian, or ``\\text{cth}``),
Spanish ones sen; each is the usual function, judged as SymPy judges it.  An
ordinal ``n^{\\text{th}}`` stays prose."""

from __future__ import annotations

import sympy as sp
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document
from chainlens.engine.frontends.latex_text import normalise

X = sp.Symbol("x", positive=True)


def oks(text: str):
    return [check_claim(u).ok for u in read_document(text, "latex").claims]


def item_list(*claims: str) -> str:
    items = "".join(f"  \\item ${c}$\n" for c in claims)
    return f"\\begin{{document}}\n\\begin{{itemize}}\n{items}\\end{{itemize}}\n\\end{{document}}\n"


CASES = [  # (claim, function, claimed derivative)
    ("(\\operatorname{arctg} x)^{\\prime}=\\cfrac{1}{1+x^{2}}", sp.atan(X), 1 / (1 + X**2)),
    ("(\\operatorname{arcctg} x)^{\\prime}=\\cfrac{1}{1+x^{2}}", sp.acot(X), 1 / (1 + X**2)),
    ("(\\operatorname{sh} x)^{\\prime}=\\operatorname{ch} x", sp.sinh(X), sp.cosh(X)),
    ("(\\ch x)'=\\sh x", sp.cosh(X), sp.sinh(X)),
    ("(\\text { cth } x)^{\\prime}=-\\cfrac{1}{\\operatorname{sh}^{2} x}", sp.coth(X),
     -1 / sp.sinh(X)**2),
    ("(\\tg 3x)'=\\frac{3}{\\cos^2 3x}", sp.tan(3 * X), 3 / sp.cos(3 * X)**2),
    ("(\\operatorname{th} x)'=1-\\operatorname{th}^2 x", sp.tanh(X), 1 - sp.tanh(X)**2),
    ("(\\operatorname{sen} x)'=\\cos x", sp.sin(X), sp.cos(X)),
]


def test_each_name_is_the_usual_function():
    got = oks(item_list(*(c for c, _, _ in CASES)))
    want = [sp.simplify(sp.diff(f, X) - d) == 0 for _, f, d in CASES]
    assert want == [True, False, True, True, True, True, True, True]  # the oracle
    assert got == want


def test_an_ordinal_stays_prose():
    assert normalise("n^{\\text{th}}") == "n^{\\text{th}}"
    assert normalise("\\mathrm{ch}") == "\\mathrm{ch}"  # only the longer names in \mathrm
    assert normalise("\\chi + \\theta") == "\\chi + \\theta"
