"""Aligned derivations by a subscripted variable (``z_i``): a derivative
operator inside a claimed side (``\\frac{d}{dz_i}(1) + \\frac{d}{dz_i}e^{-z_i}``)
is differentiated by ``z_i``; ``=>`` typed between two statements ends the
first (``\\text{By (3)} => \\frac{d}{dz_i}\\ln(…) &= …``); and an operator
inside a derivation written before a sum without brackets
(``= \\frac{d}{dz_i}\\ln(1 + e^{-z_i}) + (1 - y_i)``) may take the first term
only: such a step is judged only when both readings agree.  Verdicts as
SymPy judges.  Snippets written for these tests."""

from __future__ import annotations

import sympy as sp
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document

Z, Y = sp.symbols("z_i y_i")


def verdicts(note: str):
    return [check_claim(u).ok for u in read_document(note, "markdown").claims]


def test_an_operator_by_a_subscripted_variable_inside_a_claim():
    inner = sp.diff(sp.Integer(1), Z) + sp.diff(sp.exp(-Z), Z)
    assert sp.simplify(sp.diff(1 + sp.exp(-Z), Z) - inner) == 0  # the oracle
    right = ("$$\\frac{d}{dz_i}(1 + e^{-z_i}) = \\frac{d}{dz_i}(1) + \\frac{d}{dz_i}e^{-z_i}"
             " = -e^{-z_i}$$")
    assert verdicts(right) == [True, True]
    assert verdicts(right.replace(") + \\frac{d}{dz_i}e", ") - \\frac{d}{dz_i}e")) == [False, True]


def test_an_operand_without_the_variable_is_not_read():
    note = "$$\\frac{d}{dz_i}(1 + e^{-z_i}) = \\frac{d}{dz_i}(1) + \\frac{d}{dz_i}e^{-z_j}$$"
    assert verdicts(note) == []


def test_an_arrow_typed_as_equals_greater_ends_a_statement():
    step = sp.diff(sp.log(1 + sp.exp(-Z)), Z)
    assert sp.simplify(step - (-sp.exp(-Z) / (1 + sp.exp(-Z)))) == 0  # the oracle
    assert sp.simplify(step - (-1 / (sp.exp(Z) + 1))) == 0
    note = ("$$\n\\begin{aligned}\n\\text{By (3), (4)} => \\dfrac{d}{dz_i}\\ln(1 + e^{-z_i}) "
            "&= \\frac{-e^{-z_i}}{1 + e^{-z_i}} \\\\\n&= -\\frac{1}{e^{z_i} + 1}\n"
            "\\end{aligned}\n$$\n")
    assert verdicts(note) == [True, True]
    assert verdicts(note.replace("{e^{z_i} + 1}", "{e^{z_i} - 1}")) == [True, False]


def test_an_operator_before_a_sum_inside_a_derivation_has_two_readings():
    f = sp.log(1 + sp.exp(-Z)) + (1 - Y)
    sigma = 1 / (1 + sp.exp(-Z))
    whole = sp.diff(f, Z)  # the operator takes the sum
    first = sp.diff(sp.log(1 + sp.exp(-Z)), Z) + (1 - Y)  # the first term only
    claimed = sigma - Y
    assert sp.simplify(first - claimed) == 0 and sp.simplify(whole - claimed) != 0
    note = ("$$\n\\begin{aligned}\n\\dfrac{df}{dz_i} &= \\dfrac{d}{dz_i}\\ln(1 + e^{-z_i}) "
            "+ (1 - y_i) \\\\\n&= \\sigma(z_i) - y_i\n\\end{aligned}\n$$\n")
    assert verdicts(note) == [None]  # right under one reading only: not checked
    # the other terms hold a name the first does not: that reading cannot be judged
    assert verdicts(note.replace("\\sigma(z_i) - y_i", "\\sigma(z_i) + y_i")) == [None]
    # wrong under both readings: wrong (d/dx of ln x + x, or of ln x then + x)
    x = sp.symbols("x")
    assert sp.diff(sp.log(x) + x, x) != 1 / x + 2 and sp.diff(sp.log(x), x) + x != 1 / x + 2
    both = "$$\\frac{dg}{dx} = \\frac{d}{dx}\\ln x + x = \\frac{1}{x} + 2$$"
    assert verdicts(both) == [False]
    # bracketed, the operator takes the sum: one reading
    bracketed = note.replace("\\ln(1 + e^{-z_i}) + (1 - y_i)", "[\\ln(1 + e^{-z_i}) + (1 - y_i)]")
    assert sp.simplify(whole - (sigma - 1)) == 0
    assert verdicts(bracketed.replace("\\sigma(z_i) - y_i", "\\sigma(z_i) - 1")) == [True]
