"""``\\frac{\\partial J}{\\partial w_1} = \\frac{\\partial}{\\partial w_1}(w_1^2 w_2) +
\\frac{\\partial}{\\partial w_1}(w_2^3) = 2w_1w_2``: a sum of one operator applied to
bracketed terms is the operator applied to their sum, so the steps after it
are judged (they were "an implicit derivative").  And ``\\frac{d}{dx}(x^2) + x^3``
(the brackets close before the sum goes on) may differentiate (x^2) only:
judged only when both readings agree.  Verdicts as SymPy judges.  Snippets
written for these tests."""

from __future__ import annotations

import sympy as sp
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document

X, W1, W2 = sp.symbols("x w_1 w_2")


def verdicts(note: str):
    return [check_claim(u).ok for u in read_document(note, "markdown").claims]


def test_a_sum_of_partial_operators_is_one_head():
    d = sp.diff(W1**2 * W2, W1) + sp.diff(W2**3, W1)
    assert d == 2 * W1 * W2  # the oracle
    note = ("$$\\frac{\\partial J}{\\partial w_1} = \\frac{\\partial}{\\partial w_1}(w_1^2w_2)"
            " + \\frac{\\partial}{\\partial w_1}(w_2^3) = 2w_1w_2 + 0 = {last}$$")
    assert verdicts(note.replace("{last}", "2w_1w_2")) == [True, True]
    assert verdicts(note.replace("{last}", "3w_1w_2")) == [True, False]


def test_a_difference_of_operators():
    d = sp.diff(X**3, X) - sp.diff(sp.sin(X), X)
    assert d == 3 * X**2 - sp.cos(X)  # the oracle
    note = "$$\\frac{d}{dx}(x^3) - \\frac{d}{dx}(\\sin x) = 3x^2 - \\cos x$$"
    assert verdicts(note) == [True]
    assert verdicts(note.replace("- \\cos x", "+ \\cos x")) == [False]


def test_operators_by_two_variables_are_not_summed():
    note = "$$\\frac{d}{dx}(x^2) + \\frac{d}{dy}(x^3) = 2x$$"
    assert all(ok is not False for ok in verdicts(note))


def test_brackets_that_close_before_the_sum_give_two_readings():
    first = sp.diff(X**2, X) + X**3  # the operator takes (x^2) only
    whole = sp.diff(X**2 + X**3, X)
    assert first == 2 * X + X**3 and whole == 2 * X + 3 * X**2  # the oracle
    note = "$$\\frac{d}{dx}(x^2) + x^3 = {claim}$$"
    assert verdicts(note.replace("{claim}", "2x + x^3")) == [None]
    assert verdicts(note.replace("{claim}", "2x + 3x^2")) == [None]
    assert sp.simplify(first - 3 * X) != 0 and sp.simplify(whole - 3 * X) != 0
    assert verdicts(note.replace("{claim}", "3x")) == [False]
    # no brackets: the operator takes the whole sum, as before
    assert sp.diff(X**2 + 3 * X, X) == 2 * X + 3
    assert verdicts("$$\\frac{d}{dx} x^2 + 3x = 2x + 3$$") == [True]


def test_an_operand_in_left_right_brackets_is_one_reading():
    f = 3 * X * W2**2 + X + 2 * W2**2
    assert sp.diff(f, W2) == 6 * X * W2 + 4 * W2  # the oracle
    note = ("$$\\left(\\frac{\\partial f}{\\partial w_2}\\right)_{x} = "
            "\\frac{\\partial}{\\partial w_2}\\left(3 x w_2^{2}+x+2 w_2^{2}\\right) = {claim}$$")
    assert verdicts(note.replace("{claim}", "6 x w_2+4 w_2")) == [True]
    assert verdicts(note.replace("{claim}", "6 x w_2+4")) == [False]
