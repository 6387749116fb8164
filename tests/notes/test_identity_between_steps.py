"""Two display steps of one derivation with an identity of the table's
functions stated inline between them ("Using the angle addition formula
$\\sin(x+h) = \\sin x\\cos h + \\cos x\\sin h$:", "**Derivation:** $\\sec x =
\\frac{1}{\\cos x}$"): the display that starts with '=' continues the chain.
An inline definition of the note's own function between keeps it alone.
Verdicts as SymPy judges.  Snippets written for these tests."""

from __future__ import annotations

import sympy as sp
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document

X = sp.symbols("x")


def verdicts(note: str):
    return [check_claim(u).ok for u in read_document(note, "markdown").claims]


def test_the_step_after_an_identity_continues_the_chain():
    d = sp.diff(sp.sec(X), X)
    assert sp.simplify(d - sp.sin(X) / sp.cos(X)**2) == 0  # the oracle
    assert sp.simplify(d - sp.cos(X) / sp.sin(X)**2) != 0
    note = ("$$\\frac{d}{dx}[\\sec x] = \\sec x \\tan x$$\n\n"
            "**Derivation:** $\\sec x = \\frac{1}{\\cos x} = (\\cos x)^{-1}$\n\n"
            "Using the chain rule:\n$$= -(\\cos x)^{-2} \\cdot (-\\sin x) = "
            "\\frac{\\sin x}{\\cos^2 x}$$\n")
    assert verdicts(note) == [True, True, True]
    assert verdicts(note.replace("{\\sin x}{\\cos^2 x}", "{\\cos x}{\\sin^2 x}")) == \
        [True, True, False]


def test_a_definition_between_keeps_the_step_alone():
    note = ("$$\\frac{d}{dx}[x^3] = 3x^2$$\n\nNow let $f(x) = x^2$:\n\n$$= 2x$$\n")
    assert verdicts(note) == [True]
