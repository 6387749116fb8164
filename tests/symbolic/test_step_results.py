"""Every step of a derivation states a result a student can check (#17).

Oracle: central differences of the step's own expression (d/dx of what the
step differentiates, at a point) against the value of the result it
states; a "simplify" step's two sides are equal in value; and the last
step's result is the printed result.  Over the seed expressions, the
textbook development set and the composite forms of the issue.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from chainlens.engine import diff
from chainlens.engine.core.walk import free_symbols
from chainlens.engine.printing import render
from chainlens.engine.symbolic.step_text import format_steps
from chainlens.engine.symbolic.values import value_at

ROOT = Path(__file__).resolve().parents[2]
SEED = [line.split("\t")[:2] for line in
        (ROOT / "examples/seed-derivatives.tsv").read_text().splitlines()
        if line.strip() and not line.startswith("#")]
BOOK = [(ex["expression"], ex["var"]) for ex in
        json.loads((ROOT / "tests/textbook/exercises.json").read_text())
        if ex["split"] == "dev"]
ISSUE = [("x^2/(x+1)", "x"), ("3*sin(x)/x", "x"), ("(t^2-1)/(t+1)", "t"),
         ("sin(x^2)*exp(x)", "x"), ("x^x", "x"), ("(1+x)^(1/x)", "x"),
         ("atan(sqrt(x))", "x"), ("tanh(x^2)", "x"), ("asin(2*t)", "t"),
         ("x*sin(x)/(x+1)", "x"), ("sigmoid(sigmoid(x))", "x")]
CASES = SEED + BOOK + ISSUE
POINTS = (0.61, 1.37, 0.23)
COMPOSITE = {"chain", "product", "quotient", "sum", "constant-multiple", "log-diff",
             "multivariable-chain", "combine"}


def _at(node, var, x):
    env = {n: 0.7 for n in free_symbols(node)}
    env[var] = x
    return value_at(node, env)


def _fd(node, var, x, h=1e-6):
    return (_at(node, var, x + h) - _at(node, var, x - h)) / (2 * h)


def _close(a, b):
    return math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-6)


@pytest.mark.parametrize("expr,var", CASES, ids=[c[0][:40] for c in CASES])
def test_each_step_states_a_result_that_is_right(expr, var):
    d = diff(expr, var)
    steps = d.steps
    assert steps[-1].result is d.result
    checked = 0
    for step in steps:
        if step.result is None:  # a "repeat" summary
            continue
        for x in POINTS:
            try:
                if step.rule == "simplify":
                    want, got = _at(step.expr, var, x), _at(step.result, var, x)
                else:
                    want, got = _fd(step.expr, var, x), _at(step.result, var, x)
            except (ValueError, ZeroDivisionError, OverflowError):
                continue
            if not (math.isfinite(want) and math.isfinite(got)):
                continue
            assert _close(want, got), (expr, step.rule, x, want, got)
            checked += 1
            break
    assert checked, expr


@pytest.mark.parametrize("expr,var", CASES, ids=[c[0][:40] for c in CASES])
def test_composite_steps_print_their_result(expr, var):
    for step in diff(expr, var).steps:
        # logarithmic differentiation states y' on its last line ("multiply by y")
        if step.rule in COMPOSITE and step.part != "logarithm":
            line = format_steps([step], "text").split("  (")[0].replace("ln(", "log(")
            assert line.rstrip().endswith(" = " + render(step.result, "text")), line


def test_the_quotient_rule_reads_as_students_learn_it():
    d = diff("x^2/(x+1)", "x")
    text = format_steps(d.steps, "text")
    assert "quotient rule: d/dx [x^2/(x + 1)] = (d/dx [x^2] * (x + 1) - x^2 * d/dx [x + 1])" \
           "/(x + 1)^2" in text
    assert "simplify (one denominator, common factors cancelled)" in text
