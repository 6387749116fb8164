"""Two ways correct math was called wrong (red team R13, R18).

R13: ``\\sigma (x-\\mu)^2`` where the note gives σ as a number (a variance σ², σ > 0,
σ = 2, a Gaussian with μ and σ) is σ times the bracket, not the sigmoid; the
sigmoid reading stands alone only where the note uses σ as a function, and where
the note says neither the claim is judged only if both readings agree.

R18: a table formula whose constant is positive by convention
(``\\arcsin(x/a)' = 1/\\sqrt{a^2-x^2}``) is correct for a > 0 and wrong only at a
negative a: "correct for a > 0", never "wrong".  A real slip is still wrong.
SymPy is the oracle for every derivative the fixtures state.
"""

from __future__ import annotations

import pytest
import sympy as sp
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document

X, T, Z = sp.symbols("x t z", real=True)
MU = sp.Symbol("mu", real=True)
SIGMA = sp.Symbol("sigma", positive=True)
A, B = sp.symbols("a b", positive=True)


def verdicts(text: str):
    return [check_claim(c) for c in read_document(text, "markdown").claims]


def _same(lhs, rhs, var) -> bool:
    return sp.simplify(sp.diff(lhs, var) - rhs) == 0


# ---- R13: σ a number --------------------------------------------------------------

#: (note, lhs, claimed): each is right with σ a number (the oracle says so).
SIGMA_NUMBER = {
    "variance, space": ("With $\\sigma^2$ the variance, $\\frac{d}{dx} \\sigma (x-\\mu)^2 = "
                        "2\\sigma (x-\\mu)$.", SIGMA * (X - MU) ** 2, 2 * SIGMA * (X - MU), X),
    "variance, no space": ("With $\\sigma^{2}$ the variance, $\\frac{d}{dx}\\sigma(x-\\mu)^2 = "
                           "2\\sigma(x-\\mu)$.", SIGMA * (X - MU) ** 2, 2 * SIGMA * (X - MU), X),
    "left right": ("Here $\\sigma^2$ is the variance: $\\frac{d}{dx}\\sigma\\left(x-\\mu\\right)^2"
                   " = 2\\sigma\\left(x-\\mu\\right)$.", SIGMA * (X - MU) ** 2,
                   2 * SIGMA * (X - MU), X),
    "positive": ("Let the noise scale be $\\sigma > 0$.\n\nThen $\\frac{d}{dx} \\sigma (x+1)^2 = "
                 "2\\sigma (x+1)$.", SIGMA * (X + 1) ** 2, 2 * SIGMA * (X + 1), X),
    "value": ("Let the rate be $\\sigma = 2$. Then $\\frac{d}{dt}\\sigma(t^2) = 4t$.",
              2 * T ** 2, 4 * T, T),
    "gaussian": ("For a Gaussian $\\mathcal{N}(\\mu, \\sigma^2)$, "
                 "$\\frac{d}{dx} \\sigma (x - \\mu)^3 = 3\\sigma (x - \\mu)^2$.",
                 SIGMA * (X - MU) ** 3, 3 * SIGMA * (X - MU) ** 2, X),
}


@pytest.mark.parametrize("form", sorted(SIGMA_NUMBER))
def test_sigma_a_number_is_a_product(form):
    note, lhs, rhs, var = SIGMA_NUMBER[form]
    assert _same(lhs, rhs, var)
    assert [v.ok for v in verdicts(note + "\n")] == [True]


@pytest.mark.parametrize("form", ["variance, space", "positive", "gaussian"])
def test_sigma_a_number_real_slip_still_wrong(form):
    note, lhs, rhs, var = SIGMA_NUMBER[form]
    slipped = note.replace("= 2\\sigma", "= \\sigma").replace("= 3\\sigma", "= \\sigma")
    assert slipped != note
    assert not _same(lhs, rhs / (2 if form != "gaussian" else 3), var)
    assert [v.ok for v in verdicts(slipped + "\n")] == [False]


def test_sigma_value_slip_still_wrong():
    note = "Let the rate be $\\sigma = 2$. Then $\\frac{d}{dt}\\sigma(t^2) = 2t$."
    assert not _same(2 * T ** 2, 2 * T, T)
    assert [v.ok for v in verdicts(note + "\n")] == [False]


# ---- R13: σ a function -------------------------------------------------------------


def test_sigmoid_note_keeps_the_sigmoid():
    s = 1 / (1 + sp.exp(-Z))
    assert _same(s, s * (1 - s), Z)
    note = ("The sigmoid is $\\sigma(z) = \\frac{1}{1+e^{-z}}$.\n\n"
            "$\\frac{d}{dz}\\sigma(z) = \\sigma(z)(1-\\sigma(z))$\n\n"
            "$\\frac{d}{dz}\\sigma(z) = \\sigma(z)(1+\\sigma(z))$\n")
    assert [v.ok for v in verdicts(note)] == [True, False]


def test_sigma_unsure_is_never_wrong():
    # no word on what σ is: product (right) or sigmoid (wrong) -> not checked
    assert _same(SIGMA * (X - 1) ** 2, 2 * SIGMA * (X - 1), X)
    vs = verdicts("$\\frac{d}{dx}\\sigma (x-1)^2 = 2\\sigma (x-1)$\n")
    assert [v.ok for v in vs] == [None]
    assert "one reading only" in vs[0].note


def test_sigma_number_and_sigmoid_in_one_note_is_not_wrong():
    note = ("The sigmoid $\\sigma(z) = \\frac{1}{1+e^{-z}}$ and a variance $\\sigma^2$.\n\n"
            "$\\frac{d}{dx} \\sigma (x-\\mu)^2 = 2\\sigma (x-\\mu)$\n")
    assert [v.ok for v in verdicts(note)] == [None]


# ---- R18: constants positive by convention ------------------------------------------

#: (note claim, lhs, claimed, constant)
TABLE = {
    "arcsin frac": ("$\\frac{d}{dx}\\arcsin\\left(\\frac{x}{a}\\right) = "
                    "\\frac{1}{\\sqrt{a^2 - x^2}}$", sp.asin(X / A), 1 / sp.sqrt(A**2 - X**2), "a"),
    "arcsin slash": ("$\\frac{d}{dx}\\arcsin(x/a) = \\frac{1}{\\sqrt{a^2-x^2}}$",
                     sp.asin(X / A), 1 / sp.sqrt(A**2 - X**2), "a"),
    "sin inverse": ("$\\frac{d}{dx}\\sin^{-1}\\left(\\frac{x}{a}\\right) = "
                    "\\frac{1}{\\sqrt{a^2 - x^2}}$", sp.asin(X / A), 1 / sp.sqrt(A**2 - X**2), "a"),
    "cosh inverse": ("$\\frac{d}{dx}\\cosh^{-1}\\left(\\frac{x}{a}\\right) = "
                     "\\frac{1}{\\sqrt{x^2 - a^2}}$", sp.acosh(X / A), 1 / sp.sqrt(X**2 - A**2),
                     "a"),
    "sqrt over b": ("$\\frac{d}{dx}\\sqrt{\\frac{x}{b}} = \\frac{1}{2\\sqrt{bx}}$",
                    sp.sqrt(X / B), 1 / (2 * sp.sqrt(B * X)), "b"),
}


@pytest.mark.parametrize("form", sorted(TABLE))
def test_table_formula_correct_for_positive_constant(form):
    note, lhs, rhs, const = TABLE[form]
    # the oracle: right at x in the domain with the constant positive
    point = {X: sp.Rational(3, 2) if "cosh" in form else sp.Rational(1, 3),
             A: sp.Rational(7, 5) if "cosh" not in form else sp.Rational(1, 2), B: 2}
    assert abs(float((sp.diff(lhs, X) - rhs).subs(point))) < 1e-12
    vs = verdicts(note + "\n")
    assert [v.ok for v in vs] == [True]
    assert f"{const} > 0" in vs[0].note


@pytest.mark.parametrize("form", ["arcsin frac", "cosh inverse", "sqrt over b"])
def test_table_formula_real_slip_still_wrong(form):
    note, lhs, rhs, const = TABLE[form]
    slipped = note.replace("\\frac{1}{", "\\frac{" + const + "}{", 1) if form != "sqrt over b" \
        else note.replace("\\frac{1}{2", "\\frac{1}{", 1)
    assert slipped != note
    vs = verdicts(slipped + "\n")
    assert [v.ok for v in vs] == [False]


def test_constant_free_claim_unchanged():
    vs = verdicts("$\\frac{d}{dx}\\arcsin x = \\frac{-1}{\\sqrt{1-x^2}}$\n")
    assert [v.ok for v in vs] == [False]


def test_sigmoid_derivative_form_keeps_the_sigmoid_without_the_word():
    # σ(u)(1 - σ(u)) is the sigmoid's derivative: the note uses σ as a function
    W, BB = sp.symbols("w b", real=True)
    s = 1 / (1 + sp.exp(-(W * X + BB)))
    assert _same(s, s * (1 - s) * X, W)
    note = ("$\\frac{d}{dw}\\sigma(wx+b) = \\sigma(wx+b)(1-\\sigma(wx+b))x$\n\n"
            "$\\frac{d}{dw}\\sigma (wx+b) = \\sigma (wx+b)\\left(1 - \\sigma (wx+b)\\right)$\n")
    assert [v.ok for v in verdicts(note)] == [True, False]


def test_sigma_of_a_letter_after_sigma_a_number_is_not_wrong():
    # σ > 0 given, then σ(x): σ·x (derivative σ, right) or the sigmoid (wrong): not checked
    assert _same(SIGMA * X, SIGMA, X)
    vs = verdicts("Let $\\sigma > 0$.\n\nThen $\\frac{d}{dx}\\sigma(x) = \\sigma$.\n")
    assert [v.ok for v in vs] == [None]
