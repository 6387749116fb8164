"""Random expressions (hypothesis): our derivative against central finite
differences and against SymPy's, numerically at points; and properties of
the result (linearity, the product rule, simplification preserves value)."""

from __future__ import annotations

import math

import pytest
import sympy as sp
from chainlens.engine.core.ir import call
from chainlens.engine.core.nodes import num, sym
from chainlens.engine.symbolic.derivatives import diff
from chainlens.engine.symbolic.simplify import simplify
from chainlens.engine.symbolic.values import value_at
from hypothesis import given, settings
from hypothesis import strategies as st
from symbolic_oracles import central_difference, close, to_sympy

X, Y = sym("x"), sym("y")
# Functions defined and smooth on every real number (so any point will do).
SMOOTH = ("sin", "cos", "tanh", "sigmoid", "atan", "asinh", "erf", "softplus")


def _positive(u):
    return 1 + u**2


leaves = st.sampled_from([X, Y, X, num(2), num(-3), num(1) / 2])


def _extend(children):
    return st.one_of(
        st.builds(lambda f, u: call(f, u), st.sampled_from(SMOOTH), children),
        st.builds(lambda u: call("exp", call("sin", u)), children),
        st.builds(lambda u: call("log", _positive(u)), children),
        st.builds(lambda u: call("sqrt", _positive(u)), children),
        st.builds(lambda u, v: u + v, children, children),
        st.builds(lambda u, v: u * v, children, children),
        st.builds(lambda u, v: u / _positive(v), children, children),
        st.builds(lambda u, n: u**n, children, st.integers(2, 4)),
        st.builds(lambda u, v: _positive(u) ** call("sin", v), children, children),
    )


pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")

expressions = st.recursive(leaves, _extend, max_leaves=8)
points = st.tuples(st.floats(-1.5, 1.5), st.floats(-1.5, 1.5))


@given(expressions, points)
def test_against_finite_differences(expr, point):
    env = {"x": point[0], "y": point[1]}
    got = value_at(diff(expr, "x").result, env)
    want = central_difference(expr, "x", env)
    if math.isfinite(want) and abs(want) < 1e6:
        assert close(got, want, rtol=1e-4, atol=1e-5)


@settings(max_examples=40)
@given(expressions, points)
def test_against_sympy(expr, point):
    env = {"x": point[0], "y": point[1]}
    theirs = sp.diff(to_sympy(expr), sp.Symbol("x", real=True))
    f = sp.lambdify([sp.Symbol("x", real=True), sp.Symbol("y", real=True)], theirs, "math")
    want = float(f(point[0], point[1]))
    got = value_at(diff(expr, "x").result, env)
    assert close(got, want, rtol=1e-9, atol=1e-9)


@given(expressions, points)
def test_simplify_preserves_value(expr, point):
    env = {"x": point[0], "y": point[1]}
    assert close(value_at(simplify(expr), env), value_at(expr, env), rtol=1e-9, atol=1e-9)


@given(expressions, expressions)
def test_linearity_and_product_rule(f, g):
    df, dg = diff(f, "x", simplify=False).result, diff(g, "x", simplify=False).result
    assert diff(f + g, "x", simplify=False).result is (df + dg)
    env = {"x": 0.4, "y": -0.7}
    lhs = value_at(diff(f * g, "x").result, env)
    assert close(lhs, value_at(df * g + f * dg, env), rtol=1e-9, atol=1e-9)


@settings(max_examples=40)
@given(expressions)
def test_check_accepts_the_derivative_and_rejects_a_shifted_one(expr):
    from chainlens.engine.symbolic.check import check_derivative

    d = diff(expr, "x", simplify=False).result
    assert check_derivative(expr, d, "x").equal
    assert not check_derivative(expr, d + num(1) / 3, "x").equal
