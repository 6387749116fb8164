"""A derivative operator of higher order typed on the command line (round
10's red team, P1): ``chainlens diff 'd^2/dx^2 x^3'`` printed partials by
names ``d`` and ``dx`` (exit 0), ``\\frac{\\partial^2}{\\partial x^2}`` was an
unknown command, and ``chainlens check 'd^2/dx^2 x^3 = 6x'`` found no claim.
The operator's order is the derivative's order; SymPy is the oracle."""

from __future__ import annotations

import pytest
import sympy as sp
from chainlens.cli.main import main

X, Y = sp.symbols("x y")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _result(text: str) -> sp.Expr:
    """The right side of ``d^n/dx^n EXPR = RESULT``, as SymPy reads it."""
    return sp.sympify(text.split(" = ", 1)[1].splitlines()[0].replace("·", "*")
                      .replace("−", "-").replace("³", "**3").replace("²", "**2"))


@pytest.mark.parametrize(("typed", "expr", "order"), [
    ("d^2/dx^2 x^3", X**3, 2),
    ("\\frac{d^2}{dx^2} x^3", X**3, 2),
    ("d^{3}/dx^{3} sin(x)", sp.sin(X), 3),
    ("d²/dx² x^4", X**4, 2),
    ("\\frac{\\partial^2}{\\partial x^2} x^3*y", X**3 * Y, 2),
    ("d/dx x^3", X**3, 1),
])
def test_diff_takes_the_order_from_the_operator(capsys, typed, expr, order):
    code, out, err = run(capsys, "diff", typed, "--format", "text")
    assert code == 0, err
    assert sp.simplify(_result(out) - sp.diff(expr, X, order)) == 0, out
    assert "dd" not in out and "dx ≠ 0" not in out


def test_an_order_on_one_side_only_or_against_order_is_an_error(capsys):
    code, _out, err = run(capsys, "diff", "d^2/dx x^3")
    assert code == 2 and "order 2 on the d and 1 on the variable" in err
    code, _out, err = run(capsys, "diff", "d^2/dx^2 x^3", "--order", "3")
    assert code == 2 and "--order says 3" in err
    code, _out, err = run(capsys, "diff", "\\frac{\\partial^2}{\\partial x \\partial y} x^3 y")
    assert code == 2 and "--hessian" in err
    code, _out, err = run(capsys, "check-derivative", "d^2/dx^2 x^3", "6x")
    assert code == 2 and "first derivative" in err


@pytest.mark.parametrize(("claim", "expr", "claimed"), [
    ("d^2/dx^2 x^3 = 6x", X**3, 6 * X),
    ("d^2/dx^2 x^3 = 5x", X**3, 5 * X),
    ("\\frac{d^2}{dx^2} x^3 = 6x", X**3, 6 * X),
    ("d^2/dx^2 sin(x) = -sin(x)", sp.sin(X), -sp.sin(X)),
    ("d^2/dx^2 sin(x) = sin(x)", sp.sin(X), sp.sin(X)),
    ("d^{2}/dx^{2} x^0.5 = -0.25x^(-1.5)", sp.sqrt(X), -sp.Rational(1, 4) * X**sp.Rational(-3, 2)),
])
def test_check_judges_a_typed_higher_order_claim_as_sympy_does(capsys, claim, expr, claimed):
    right = sp.simplify(sp.diff(expr, X, 2) - claimed) == 0
    code, out, err = run(capsys, "check", "--all", claim)
    assert code == (0 if right else 1), (out, err)
    assert ("ok: correct" in out) == right and ("wrong derivative" in out) == (not right)

