"""Mixed second partials in notes (round 10's red team, P1: never seen, even
when wrong): ``\\frac{\\partial^2 f}{\\partial x \\partial y}`` of a function the
note defines, and the operator ``\\frac{\\partial^2}{\\partial x \\partial y}``
before its body, judged as SymPy judges ∂/∂x(∂f/∂y); the message names the
derivative with its order."""

from __future__ import annotations

import sympy as sp
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document

X, Y = sp.symbols("x y")


def verdicts(note: str):
    doc = read_document(note, "markdown")
    return [check_claim(u) for u in doc.claims]


def _same(a, b) -> bool:
    return sp.simplify(a - b) == 0


def test_a_mixed_partial_of_a_defined_function():
    f = X**2 * Y**3
    note = ("Let $f(x, y) = x^2 y^3$.\n\n"
            "Then $\\frac{\\partial^2 f}{\\partial x \\partial y} = 6xy^2$ and "
            "$\\frac{\\partial^2 f}{\\partial y\\,\\partial x} = 6xy$.\n")
    want = [_same(sp.diff(f, Y, X), 6 * X * Y**2), _same(sp.diff(f, X, Y), 6 * X * Y)]
    assert want == [True, False]  # the oracle
    got = verdicts(note)
    assert [v.ok for v in got] == want
    assert got[1].message().startswith("wrong derivative: ∂²/∂y∂x of x^2 y^3 is not 6xy")


def test_the_mixed_operator_before_its_body():
    note = ("$\\frac{\\partial^2}{\\partial x \\partial y}(x^2 y^3) = 6xy^2$ and "
            "$\\frac{\\partial^2}{\\partial x \\partial y} \\sin(xy) = \\cos(xy) - xy\\sin(xy)$ "
            "and $\\frac{\\partial^2}{\\partial x \\partial y} e^{xy} = xye^{xy}$.\n")
    want = [_same(sp.diff(X**2 * Y**3, Y, X), 6 * X * Y**2),
            _same(sp.diff(sp.sin(X * Y), Y, X), sp.cos(X * Y) - X * Y * sp.sin(X * Y)),
            _same(sp.diff(sp.exp(X * Y), Y, X), X * Y * sp.exp(X * Y))]
    assert want == [True, True, False]
    assert [v.ok for v in verdicts(note)] == want


def test_a_function_of_one_variable_or_the_same_variable_twice_is_not_read_as_mixed():
    note = ("Let $g(x) = x^3$.\n\n$\\frac{\\partial^2 g}{\\partial x \\partial y} = 1$ and "
            "$\\frac{\\partial^2 g}{\\partial x \\partial x} = 5$.\n")
    assert all(v.ok is not False for v in verdicts(note))


def test_a_second_derivative_is_named_with_its_order():
    got = verdicts("$\\frac{d^2}{dx^2} x^3 = 5x$\n")
    assert [v.ok for v in got] == [sp.diff(X**3, X, 2) == 5 * X]
    assert got[0].message().startswith("wrong derivative: d²/dx² of x^3 is not 5x")
