"""Logarithmic differentiation reads like a textbook: y = u^v, ln y = v·ln u,
both sides differentiated (the product rule), y' = y·(y'/y).  The lines are
read off the chain rule's own partials at the power node, so they end where
the result ends."""

from __future__ import annotations

import pytest
from chainlens.engine.core.nodes import sym
from chainlens.engine.symbolic.derivatives import diff
from chainlens.engine.symbolic.step_text import format_steps, markdown

CASES = [
    # expr, the ln y line, the y'/y line, the last line (unicode)
    ("x^x", "1. logarithmic differentiation: y = x^x, so ln y = x·ln(x)",
     "  2. differentiate both sides (product rule): y'/y = d/dx [x·ln(x)]"
     " = ln(x) + x·(1/x) = ln(x) + 1",
     "3. multiply by y: y' = y · (ln(x) + 1) = x^x·(ln(x) + 1)"),
    ("x^sin(x)", "1. logarithmic differentiation: y = x^sin(x), so ln y = sin(x)·ln(x)",
     "  2. differentiate both sides (product rule): y'/y = d/dx [sin(x)·ln(x)]"
     " = cos(x)·ln(x) + sin(x)·(1/x) = cos(x)·ln(x) + sin(x)/x",
     "4. multiply by y: y' = y · (cos(x)·ln(x) + sin(x)/x) = x^sin(x)·(cos(x)·ln(x) + sin(x)/x)"),
]


@pytest.mark.parametrize("expr,log_line,both_sides,last", CASES, ids=[c[0] for c in CASES])
def test_textbook_lines(expr, log_line, both_sides, last):
    lines = format_steps(diff(expr, "x").steps, "unicode").splitlines()
    assert lines[0] == log_line
    assert lines[1] == both_sides
    assert lines[-1] == last


@pytest.mark.parametrize("expr", ["x^x", "x^sin(x)", "(x^2 + 1)^x", "x^(x^2)"])
def test_the_last_step_is_the_result(expr):
    d = diff(expr, "x")
    assert any(s.part == "logarithm" for s in d.steps)
    assert d.steps[-1].result is d.result


def test_the_inner_derivatives_are_explained_under_the_product_rule():
    steps = diff("x^sin(x)", "x").steps
    assert [(s.rule, s.part, s.depth) for s in steps] == [
        ("log-diff", "logarithm", 0), ("product", "both-sides", 1), ("known", "", 2),
        ("log-diff", "solve", 0)]
    assert steps[2].result is diff("sin(x)", "x").result


def test_the_ratio_is_the_derivative_over_y():
    # y'/y from the trace, times y, is the computed derivative (as a value).
    from chainlens.engine.symbolic.values import value_at

    d = diff("x^sin(x)", "x")
    both_sides = d.steps[1]
    y = d.expr
    env = {"x": 1.7}
    assert value_at(both_sides.result, env) * value_at(y, env) == pytest.approx(
        value_at(d.result, env))


def test_nested_log_diff_is_put_together_by_the_chain_rule():
    steps = diff("sin(x^x)", "x").steps
    assert [s.rule for s in steps][:4] == ["chain", "log-diff", "product", "log-diff"]
    assert steps[-1].rule == "simplify"


@pytest.mark.parametrize("fmt,needle", [
    ("text", "ln y = x*ln(x)"), ("latex", "\\ln y = x \\cdot \\ln\\left(x\\right)")])
def test_every_format_says_ln_y(fmt, needle):
    assert needle in format_steps(diff("x^x", "x").steps, fmt)


def test_hover_markdown():
    steps = diff("x^x", "x").steps
    short = markdown(steps)
    assert short.splitlines()[-1] == (
        "logarithmic differentiation ($\\ln y = x \\cdot \\ln\\left(x\\right)$); product rule")
    full = markdown(steps, short=False).splitlines()
    assert full[2].startswith("1. **logarithmic differentiation**: $y = x^{x}")
    assert full[3].startswith("   - **differentiate both sides (product rule)**: $\\frac{y'}{y}")
    assert full[4].startswith("2. **multiply by y**: $y' = y")


def test_not_used_when_only_one_side_varies():
    assert diff(sym("a") ** sym("x"), "x").steps[0].rule == "exponential"
    assert diff(sym("x") ** sym("a"), "x").steps[0].rule == "power"
