"""A definition whose steps are written through a name defined before it, on
snippets written for these tests: ``u = x^2 + 1`` then ``y = (x^2+1)^3 = u^3``
states y twice alike (u substituted), so dy/dx claims about y are checked,
judged as SymPy judges them; steps that disagree even then stay unchecked."""

from __future__ import annotations

import sympy as sp
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document

X = sp.Symbol("x")
NOTE = ("Let\n\n$$u = x^2 + 3$$\n\nand\n\n$$y = (x^2 + 3)^4 = u^4$$\n\nso\n\n"
        "$$\\frac{dy}{dx} = 4(x^2 + 3)^3 \\cdot 2x$$\n\nand\n\n$$\\frac{dy}{dx} = CLAIM$$\n")


def verdicts(note: str):
    return [check_claim(u) for u in read_document(note, "markdown").claims]


def test_a_side_through_an_earlier_name_agrees_with_the_formula():
    y = (X**2 + 3)**4
    for claim, expr in (("8x(x^2 + 3)^3", 8 * X * (X**2 + 3)**3),
                        ("8x(x^2 + 3)^4", 8 * X * (X**2 + 3)**4),
                        ("6x(x^2 + 3)^3", 6 * X * (X**2 + 3)**3)):
        got = [v.ok for v in verdicts(NOTE.replace("CLAIM", claim))]
        assert got == [True, sp.simplify(sp.diff(y, X) - expr) == 0], claim


def test_steps_that_disagree_even_through_the_name_stay_unchecked():
    note = NOTE.replace("= u^4", "= u^3").replace("CLAIM", "8x(x^2 + 3)^3")
    doc = read_document(note, "markdown")
    assert [check_claim(u).ok for u in doc.claims] == []
    assert any("do not agree" in s.reason for s in doc.skipped)
