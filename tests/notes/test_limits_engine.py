"""The engine's limits (:mod:`chainlens.engine.symbolic.limits`): computed
only when certain, checked against SymPy's ``limit`` (the oracle) at several
points of the other variables; every limit it cannot settle is refused with
a reason, never given a value."""

from __future__ import annotations

import random

import pytest
import sympy as sp
from chainlens.engine.language.reader import parse_expr
from chainlens.engine.symbolic.limits import limit
from chainlens.engine.symbolic.values import value_at

X, H, N, A = sp.symbols("x h n a", real=True)

COMPUTED = [  # (ours in LaTeX, variable, point, SymPy)
    ("\\frac{(x+h)^2 - x^2}{h}", "h", "0", ((X + H) ** 2 - X ** 2) / H),
    ("\\frac{\\sin(x+h) - \\sin(x)}{h}", "h", "0", (sp.sin(X + H) - sp.sin(X)) / H),
    ("\\frac{\\sin h}{h}", "h", "0", sp.sin(H) / H),
    ("\\frac{e^{h} - 1}{h}", "h", "0", (sp.exp(H) - 1) / H),
    ("\\frac{1 - \\cos h}{h^2}", "h", "0", (1 - sp.cos(H)) / H ** 2),
    ("\\frac{x^2 - 4}{x - 2}", "x", "2", (X ** 2 - 4) / (X - 2)),
    ("\\frac{\\frac{1}{x+h} - \\frac{1}{x}}{h}", "h", "0", (1 / (X + H) - 1 / X) / H),
    ("\\frac{\\sqrt{x+h} - \\sqrt{x}}{h}", "h", "0", (sp.sqrt(X + H) - sp.sqrt(X)) / H),
    ("\\frac{\\ln(x+h) - \\ln(x)}{h}", "h", "0", (sp.log(X + H) - sp.log(X)) / H),
    ("\\frac{\\tan(x+h) - \\tan(x)}{h}", "h", "0", (sp.tan(X + H) - sp.tan(X)) / H),
    ("2x + h", "h", "0", 2 * X + H),
    ("\\frac{x^3 - a^3}{x - a}", "x", "a", (X ** 3 - A ** 3) / (X - A)),
    ("\\frac{2x h + h^2}{h}", "h", "0", (2 * X * H + H ** 2) / H),
]


@pytest.mark.parametrize("text, var, point, oracle", COMPUTED)
def test_a_computed_limit_is_sympys(text, var, point, oracle):
    got = limit(parse_expr(text), var, parse_expr(point))
    assert got.value is not None, got.reason
    symbols = {"h": H, "x": X, "a": A}
    want = sp.limit(oracle, symbols[var], sp.sympify(point, locals={"a": A}))
    rng = random.Random(3)
    for _ in range(4):
        env = {"x": rng.uniform(0.2, 1.4), "a": rng.uniform(0.2, 1.4)}
        expected = float(want.subs({X: env["x"], A: env["a"]}))
        assert value_at(got.value, env) == pytest.approx(expected, rel=1e-9)


def test_the_power_rule_with_a_symbolic_exponent():
    got = limit(parse_expr("\\frac{(x+h)^n - x^n}{h}"), "h", parse_expr("0"))
    env = {"x": 1.3, "n": 2.5}
    assert value_at(got.value, env) == pytest.approx(2.5 * 1.3 ** 1.5)


@pytest.mark.parametrize("text, var, point", [
    ("\\frac{|h|}{h}", "h", "0"),               # no two-sided limit
    ("\\frac{\\max(0, h)}{h}", "h", "0"),        # a kink at the point
    ("\\operatorname{sgn}(h)", "h", "0"),        # a jump
    ("\\frac{1}{h}", "h", "0"),                  # infinite
    ("\\frac{1}{h^2}", "h", "0"),
    ("\\sqrt{h}", "h", "0"),                     # one side only
    ("h \\ln(h)", "h", "0"),                     # 0·(−∞), one side only
    ("\\sin(\\frac{1}{h})", "h", "0"),           # no limit at all
    ("h \\sin(\\frac{1}{h})", "h", "0"),         # 0, but not by these steps
    ("\\frac{f - g}{h}", "h", "0"),
    ("\\frac{x}{x}", "x", "x"),                  # the point depends on the variable
])
def test_a_limit_it_cannot_settle_is_refused_with_a_reason(text, var, point):
    got = limit(parse_expr(text), var, parse_expr(point))
    assert got.value is None and got.reason


def test_the_result_says_how():
    assert limit(parse_expr("2x + h"), "h", parse_expr("0")).how == "substitution"
    assert "l'Hôpital" in limit(parse_expr("\\frac{1-\\cos h}{h^2}"), "h",
                                parse_expr("0")).how
