"""The budgets the fuzzer needed (issue #16): each ends a stage that used to
run for seconds or minutes on a small input with a LimitError (or a note)
that names the limit, or makes a quadratic loop linear."""

from __future__ import annotations

import time

import pytest
from chainlens.engine import LimitError, analyze, backprop, compile, parse, parse_expr, render
from chainlens.engine.core import limits


def deep(n: int, f: str = "gelu") -> str:
    return f"a = x\nrepeat k in 1..{n} {{\n  a = {f}(w_k*a + b_k)\n}}\nL = a^2\n@at x=0.5\n"


def test_printing_a_dag_whole_ends_at_the_print_budget():
    # 40 nested calls of f(u) = u*u + u: a small DAG whose tree has ~2^40 leaves
    node = parse("f(u) = u*u + u\ny = " + "f(" * 40 + "x" + ")" * 40).expr
    t0 = time.process_time()
    with pytest.raises(LimitError, match="MAX_PRINT_WORK"):
        render(node, "text", None)
    assert time.process_time() - t0 < 5
    assert render(node, "text").endswith(" ...")  # the capped form still answers


def test_printing_whole_within_the_budget_reads_back():
    node = parse_expr("sin(x)^2 + exp(-x)/(1 + x)")
    assert parse_expr(render(node, "text", None)) == node


def test_backprop_of_a_deep_program_is_refused_at_its_budget():
    with pytest.raises(LimitError, match="MAX_BACKPROP_WORK") as info:
        backprop(parse(deep(400)))
    assert info.value.span is not None and info.value.span.line == 5  # the output's line
    assert backprop(parse(deep(10)))["x"].through is not None


def test_health_of_a_huge_program_is_refused_and_a_big_one_not_measured():
    with pytest.raises(LimitError, match="MAX_HEALTH_NODES") as info:
        analyze(deep(3_000))  # 18,004 nodes
    assert info.value.span is not None
    report = analyze(deep(1_000))  # 6,004 nodes: static findings only
    assert any("MAX_MEASURED_NODES" in n for n in report.notes)
    assert limits.MAX_MEASURED_NODES < limits.MAX_HEALTH_NODES


def test_compile_of_many_inputs_is_not_quadratic_in_them():
    # 20,001 inputs (w_k, b_k, x): membership in the wrt tuple made the
    # cost model and the numpy code generator slots x inputs (8 s here)
    t0 = time.process_time()
    kernel = compile(parse(deep(10_000)))
    assert len(kernel.inputs) == 20_001
    assert time.process_time() - t0 < 6
