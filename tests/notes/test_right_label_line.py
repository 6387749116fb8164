"""A "Common mistakes" list written as a "Wrong: $…$" line and a "Correct: $…$"
line under it: the wrong line is a counter-example (never called wrong), the
correct line is what the note asserts, judged as SymPy judges it (the word
"Wrong" one line up no longer hides it).  Snippets written for these tests."""

from __future__ import annotations

import sympy as sp
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document

X = sp.symbols("x")

NOTE = ("## Common mistakes\n\n**Mistake 1: the sign of cosine**\n\n"
        "Wrong: $\\frac{d}{dx}[\\cos x] = \\sin x$\n"
        "Correct: $\\frac{d}{dx}[\\cos x] = {claim}$ (the rule)\n")


def verdicts(note: str):
    return [check_claim(u).ok for u in read_document(note, "markdown").claims]


def test_the_correct_line_is_judged():
    assert sp.diff(sp.cos(X), X) == -sp.sin(X)  # the oracle
    assert verdicts(NOTE.replace("{claim}", "-\\sin x")) == [None, True]
    assert verdicts(NOTE.replace("{claim}", "-\\cos x")) == [None, False]


def test_incorrect_is_no_correct_label():
    note = NOTE.replace("Correct:", "Incorrect:").replace("{claim}", "-\\cos x")
    assert verdicts(note) == [None, None]


def test_a_bulleted_right_label():
    note = ("Pitfalls:\n- ❌ $\\frac{d}{dx}[2^x] = x \\cdot 2^{x-1}$\n"
            "- ✅ **Right:** $\\frac{d}{dx}[2^x] = 2^x \\ln 3$\n")
    assert sp.diff(2**X, X) != 2**X * sp.log(3)  # the oracle
    assert verdicts(note) == [None, False]
