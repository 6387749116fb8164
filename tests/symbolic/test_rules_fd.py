"""Every scalar rule of the table, differentiated through the chain rule,
against central finite differences of its own numpy forward, at seeded
random points inside its domain and away from its kinks."""

from __future__ import annotations

import random

import numpy as np
import pytest
from chainlens.engine.core.ir import call
from chainlens.engine.core.nodes import num, sym
from chainlens.engine.core.walk import substitute
from chainlens.engine.rules import PLACEHOLDERS, RULES, template
from chainlens.engine.symbolic.derivatives import diff
from chainlens.engine.symbolic.values import value_at
from symbolic_oracles import central_difference, close

SCALAR = sorted(name for name, r in RULES.items() if r.partial is not None and r.kind ==
                "elementwise" and name not in ("add", "mul"))
UNARY = [name for name in SCALAR if RULES[name].arity == 1]
X, Y = sym("x"), sym("y")


def _inside(rule, point: tuple[float, ...]) -> bool:
    """The point satisfies the rule's domain and is 0.05 away from a kink."""
    mapping = {p: num(str(round(v, 6))) for p, v in zip(PLACEHOLDERS, point, strict=False)}
    for c in rule.domain:
        v = value_at(substitute(c.expr, mapping), {})
        ok = {">": v > 0.05, ">=": v > 0.05, "<": v < -0.05, "<=": v < -0.05,
              "!=": abs(v) > 0.05}[c.relation]
        if not ok:
            return False
    return all(abs(value_at(substitute(c.expr, mapping), {})) >= 0.05 for c in rule.smooth)


def _points(rule, n: int = 6) -> list[tuple[float, ...]]:
    rng = random.Random(rule.name)
    arity = 2 if rule.arity < 0 else rule.arity
    out = []
    while len(out) < n:
        point = tuple(round(rng.uniform(-2.5, 2.5), 6) for _ in range(arity))
        if rule.name == "pow":
            point = (abs(point[0]) + 0.1, point[1])
        if _inside(rule, point):
            out.append(point)
    return out


@pytest.mark.parametrize("name", SCALAR)
def test_rule_matches_finite_differences(name):
    rule = RULES[name]
    args = (X, Y)[: rule.arity]
    expr = call(name, *args)
    for point in _points(rule):
        env = dict(zip(("x", "y"), point, strict=False))
        for var in ("x", "y")[: rule.arity]:
            got = value_at(diff(expr, var).result, env)
            want = central_difference(expr, var, env)
            assert close(got, want, rtol=1e-5, atol=1e-6), (name, var, env, got, want)


@pytest.mark.parametrize("name", UNARY)
def test_rule_through_an_inner_function(name):
    """The chain rule multiplies the table's partial by the inner derivative."""
    rule = RULES[name]
    expr = call(name, X / 2 + num(1) / 10)
    for (u,) in _points(rule, 4):
        env = {"x": 2 * (u - 0.1)}
        got = value_at(diff(expr, "x").result, env)
        assert close(got, central_difference(expr, "x", env), rtol=1e-5, atol=1e-6)


def test_every_scalar_rule_is_covered():
    assert {"sin", "cos", "tan", "asin", "acos", "atan", "exp", "log", "sigmoid", "relu",
            "abs", "pow", "tanh", "erf", "softplus", "max", "min"} <= set(SCALAR)


@pytest.mark.parametrize("name", SCALAR)
def test_table_partials_match_finite_differences(name):
    """The partials as the numeric path reads them (``template``), over the
    placeholders, against the rule's own numpy forward: this covers
    entries such as ``sqrt`` whose nodes are rewritten to powers."""
    rule = RULES[name]
    _, partials = template(name)
    for point in _points(rule, 4):
        env = {p.value: v for p, v in zip(PLACEHOLDERS, point, strict=False)}
        for i, partial in enumerate(partials):
            h = 1e-6 * max(1.0, abs(point[i]))
            up = list(point)
            down = list(point)
            up[i] += h
            down[i] -= h
            want = (float(rule.forward(*map(np.float64, up)))
                    - float(rule.forward(*map(np.float64, down)))) / (2 * h)
            assert close(value_at(partial, env), want, rtol=1e-5, atol=1e-6), (name, i, point)
