"""Decorated and subscripted names, on snippets written for these tests: a
function named ``\\hat y`` (``\\hat y = \\sigma(z)``, ``\\hat{y}_2 = z^2``) binds
``\\frac{\\partial \\hat y}{\\partial z}``, and a subscripted variable of
differentiation (``\\partial w_1``, ``\\partial w_{2}``, ``dx_1``) is one
variable; each claim is judged as SymPy judges it."""

from __future__ import annotations

import sympy as sp
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document

Z, W1, W2 = sp.symbols("z w1 w2")


def oks(note: str):
    return [check_claim(u).ok for u in read_document(note, "markdown").claims]


def same(a, b) -> bool:
    return sp.simplify(a - b) == 0


def test_a_hatted_name_is_a_function_of_the_note():
    s = 1 / (1 + sp.exp(-Z))
    note = ("The output is $\\hat y = \\sigma(z)$, and $\\hat{y}_2 = z^2$.\n\n"
            "$$\\frac{\\partial \\hat y}{\\partial z} = \\sigma(z)(1 - \\sigma(z))$$\n\n"
            "$$\\frac{\\partial \\hat{y}}{\\partial z} = \\sigma(z)(1 + \\sigma(z))$$\n\n"
            "$$\\frac{d\\hat{y}_2}{dz} = 2z$$\n\n$$\\frac{d\\hat{y}_2}{dz} = 3z$$\n")
    want = [same(sp.diff(s, Z), s * (1 - s)), same(sp.diff(s, Z), s * (1 + s)),
            same(sp.diff(Z**2, Z), 2 * Z), same(sp.diff(Z**2, Z), 3 * Z)]
    assert want == [True, False, True, False]  # the oracle
    assert oks(note) == want


def test_a_subscripted_variable_of_differentiation():
    loss = W1**2 + 3 * W1 * W2
    note = ("Let $L = w_1^2 + 3w_1 w_2$.\n\n"
            "$$\\frac{\\partial L}{\\partial w_1} = 2w_1 + 3w_2$$\n\n"
            "$$\\frac{\\partial L}{\\partial w_{2}} = 3w_1$$\n\n"
            "$$\\frac{\\partial L}{\\partial w_{2}} = 3w_2$$\n\n"
            "$$\\frac{d}{dw_1}(w_1^3) = 3w_1$$\n")
    want = [same(sp.diff(loss, W1), 2 * W1 + 3 * W2), same(sp.diff(loss, W2), 3 * W1),
            same(sp.diff(loss, W2), 3 * W2), same(sp.diff(W1**3, W1), 3 * W1)]
    assert want == [True, True, False, False]  # the oracle
    assert oks(note) == want


def test_a_hatted_name_in_a_claimed_side_is_its_formula():
    """``\\hat y = \\sigma(z)`` and the cross-entropy L of it: ∂L/∂z written in ŷ
    (ŷ - y) and dσ/dz written as ŷ(1 - ŷ) are judged with ŷ = σ(z) (SymPy)."""
    y = sp.Symbol("y")
    s = 1 / (1 + sp.exp(-Z))
    loss = -(y * sp.log(s) + (1 - y) * sp.log(1 - s))
    note = ("The prediction is $\\hat{y} = \\sigma(z)$ and the loss is\n\n"
            "$$L = -\\left[y \\ln(\\hat{y}) + (1 - y)\\ln(1 - \\hat{y})\\right]$$\n\n"
            "$$\\frac{d\\sigma}{dz} = \\sigma(z)(1 - \\sigma(z)) = SIGMA$$\n\n"
            "$$\\frac{\\partial L}{\\partial z} = LOSS$$\n")
    for sigma, grad, want in (
            ("\\hat{y}(1 - \\hat{y})", "\\hat{y} - y", [True, True, True]),
            ("\\hat{y}(1 + \\hat{y})", "\\hat{y} + y", [True, False, False])):
        oracle = [True, same(sp.diff(s, Z), s * (1 + s) if "+" in sigma else s * (1 - s)),
                  same(sp.diff(loss, Z), s + y if "+" in grad else s - y)]
        assert oracle == want
        assert oks(note.replace("SIGMA", sigma).replace("LOSS", grad)) == want
