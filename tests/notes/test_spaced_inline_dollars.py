"""Notes that put spaces inside every pair of dollars (``$ y(x) $``, ``$ 0 $``,
``$ kx $``, MathJax renders them) also have plain pieces with no command in
them.  Such a short pair is math; left as prose, its closing dollar would
open the next math and every later dollar (the display blocks) would pair
wrongly.  "costs $ 5 or $ 6" (a number after the closing dollar) and pairs
holding words stay prose.  A typo ``$( c $)`` does not run into the next
``$$`` display.  Verdicts as SymPy judges.  Snippets written for these tests."""

from __future__ import annotations

import sympy as sp
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document
from chainlens.engine.frontends.note_math import find_math

X = sp.symbols("x")

NOTE = ("To differentiate $ y(x) $ we use two rules:\n\n"
        "1. The derivative of a constant $( c $) is $ 0 $:\n"
        "   $$\n   \\frac{d}{dx}[c] = 0\n   $$\n\n"
        "2. The derivative of $ ax $, where $ a $ is a constant, is $$ a $$:\n"
        "   $$\n   \\frac{d}{dx}[7x] = {right}\n   $$\n\n"
        "For the term $ 5x^2 $:\n"
        "$$\n\\frac{d}{dx}[5x^2] = {second}\n$$\n")


def judged(note: str):
    doc = read_document(note, "markdown")
    return [(doc.text.count("\n", 0, u.name_span.start) + 1, check_claim(u).ok)
            for u in doc.claims]


def test_the_displays_after_spaced_pairs_are_read():
    want = [sp.diff(sp.Integer(3), X) == 0, sp.diff(7 * X, X) == 7,
            sp.diff(5 * X**2, X) == 10 * X]
    assert want == [True, True, True]  # the oracle
    got = judged(NOTE.replace("{right}", "7").replace("{second}", "10x"))
    assert got == [(5, True), (10, True), (15, True)]


def test_a_wrong_step_there_is_wrong():
    assert sp.diff(7 * X, X) != 8 and sp.diff(5 * X**2, X) != 5 * X  # the oracle
    got = judged(NOTE.replace("{right}", "8").replace("{second}", "5x"))
    assert got == [(5, True), (10, False), (15, False)]


def test_money_and_words_stay_prose():
    assert not [m for m in find_math("It costs $ 5 or $ 6 a week.") if "5" in m.text]
    assert not [m for m in find_math("Pay $ 10 each month $ 2 more") if "10" in m.text]
    assert [m.text for m in find_math("so $ the cost $ is")] == []
    assert [m.text.strip() for m in find_math("a slope of $ -3 $ here")] == ["-3"]
