"""The seed article's derivatives, as typed: each comes out in the form the
article prints (canonical IR, so term order is irrelevant) and with the
right value."""

from __future__ import annotations

from pathlib import Path

import pytest
from chainlens.engine.language.reader import parse_expr
from chainlens.engine.symbolic.derivatives import diff
from chainlens.engine.symbolic.values import value_at
from symbolic_oracles import central_difference, close

SEED = Path(__file__).resolve().parents[2] / "examples" / "seed-derivatives.tsv"
ROWS = [line.rstrip("\n").split("\t") for line in SEED.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("expr,wrt,answer", ROWS, ids=[r[0] for r in ROWS])
def test_form(expr, wrt, answer):
    assert diff(expr, wrt).result is parse_expr(answer)


@pytest.mark.parametrize("expr,wrt,answer", ROWS, ids=[r[0] for r in ROWS])
def test_value(expr, wrt, answer):
    node = parse_expr(expr)
    env = {wrt: 0.6, "a": 2.5}
    assert close(value_at(diff(expr, wrt).result, env), central_difference(node, wrt, env))


@pytest.mark.parametrize("expr,wrt,answer", ROWS, ids=[r[0] for r in ROWS])
def test_steps_end_in_the_result(expr, wrt, answer):
    d = diff(expr, wrt)
    assert d.steps[-1].result is d.result


def test_text_form_of_the_issue_example():
    assert diff("sin(x^2)", "x").text == "2*x*cos(x^2)"
