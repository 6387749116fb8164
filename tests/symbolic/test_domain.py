"""Conditions a derivative carries: domains and points of non-differentiability."""

from __future__ import annotations

import pytest
from chainlens.engine.core.ir import call
from chainlens.engine.core.nodes import sym
from chainlens.engine.symbolic.conditions import conditions_of
from chainlens.engine.symbolic.derivatives import diff

x = sym("x")
f = call

# expression, (kind, text) pairs it must carry
CASES = [
    (f("abs", x), [("nondifferentiable", "|x| is not differentiable where x = 0")]),
    (f("relu", x), [("nondifferentiable", "ReLU(x) is not differentiable where x = 0")]),
    (f("sqrt", x), [("domain", "x ≥ 0"),
                    ("nondifferentiable", "√x is not differentiable where x = 0")]),
    (f("log", x), [("domain", "x > 0")]),
    (f("log", f("cos", x)), [("domain", "cos(x) > 0")]),
    (f("asin", x), [("domain", "|x| ≤ 1"),
                    ("nondifferentiable", "asin(x) is not differentiable where |x| = 1")]),
    (1 / x, [("domain", "x ≠ 0")]),
    (x**x, [("domain", "x > 0")]),
    (f("tan", x), [("domain", "cos(x) ≠ 0")]),
    (f("sin", x), []),
]


@pytest.mark.parametrize("expr,expected", CASES, ids=[repr(c[0]) for c in CASES])
def test_conditions(expr, expected):
    got = [(c.kind, c.text) for c in conditions_of(expr)]
    assert got == expected


def test_derivative_carries_the_conditions():
    d = diff(f("log", x) + f("abs", x), "x")
    kinds = {(c.kind, c.text) for c in d.conditions}
    assert ("domain", "x > 0") in kinds
    assert ("nondifferentiable", "|x| is not differentiable where x = 0") in kinds


@pytest.mark.parametrize("value,holds", [(2.0, True), (-1.0, False), (0.0, False)])
def test_condition_holds_at_a_point(value, holds):
    (cond,) = conditions_of(f("log", x))
    assert cond.holds({"x": value}) is holds


def test_conditions_are_data():
    (cond,) = conditions_of(f("log", x + 1))
    assert cond.to_dict()["relation"] == ">"
    assert cond.source is f("log", x + 1)
