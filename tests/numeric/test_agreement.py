"""The numeric kernels against the symbolic path and finite differences on
random programs (hypothesis): three independent routes to one derivative."""

import numpy as np
from chainlens.engine.core.ir import add, call, mul, power
from chainlens.engine.core.nodes import num, sym
from chainlens.engine.core.walk import free_symbols
from chainlens.engine.numeric.kernel import compile
from hypothesis import assume, given
from hypothesis import strategies as st

X, Y = sym("x"), sym("y")
UNARY = ["sin", "cos", "tanh", "sigmoid", "exp", "atan", "softplus", "erf"]


@st.composite
def expressions(draw, depth=4):
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from([X, Y, num(2), num(-1)]))
    kind = draw(st.sampled_from(["unary", "add", "mul", "pow"]))
    a = draw(expressions(depth=depth - 1))
    if kind == "unary":
        return call(draw(st.sampled_from(UNARY)), a)
    b = draw(expressions(depth=depth - 1))
    if kind == "add":
        return add(a, b)
    if kind == "mul":
        return mul(a, b)
    return power(call("sigmoid", a), num(draw(st.integers(1, 3))))  # positive base


POINTS = {"x": np.array([0.3, -0.7, 1.1]), "y": np.array([0.5, 0.9, -0.4])}


def finite_difference(kernel, name, h=1e-6):
    plus = {**POINTS, name: POINTS[name] + h}
    minus = {**POINTS, name: POINTS[name] - h}
    return (kernel.forward(plus)["f"] - kernel.forward(minus)["f"]) / (2 * h)


@given(expressions())
def test_numeric_gradient_matches_symbolic_and_finite_differences(expr):
    from chainlens.engine.symbolic.derivatives import diff

    names = [n for n in ("x", "y") if n in free_symbols(expr)]
    assume(names)
    kernel = compile(expr, wrt=names)
    ev = kernel(POINTS)  # values of names the expression lacks are ignored
    for name in names:
        numeric = ev.gradients["f"][name]
        symbolic = compile(diff(expr, name).result).forward(POINTS)["f"]
        np.testing.assert_allclose(numeric, np.broadcast_to(symbolic, numeric.shape),
                                   rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(numeric, finite_difference(kernel, name), rtol=1e-5,
                                   atol=1e-6)
