"""Issue #19, numeric items in the rules table and the code generators."""

import math

import numpy as np
import pytest
from chainlens.engine import compile, evaluate, parse


@pytest.mark.parametrize("n", [9, 12, 40])
def test_sums_and_products_of_many_input_terms_evaluate(n):
    # the rules' placeholders stopped at 8: IndexError at the 9th term
    names = [f"x{i}" for i in range(n)]
    at = {v: 1.0 + i / 10 for i, v in enumerate(names)}
    total = evaluate(parse("f = " + " + ".join(names)), at)
    assert total.values["f"][0] == pytest.approx(sum(at.values()))
    assert all(total.gradients["f"][v][0] == 1.0 for v in names)
    prod = evaluate(parse("f = " + "*".join(names)), at)
    assert prod.values["f"][0] == pytest.approx(math.prod(at.values()))
    g = prod.gradients["f"]["x0"][0]
    assert g == pytest.approx(math.prod(at.values()) / at["x0"])


@pytest.mark.parametrize(("source", "value"), [
    ("f = x + 2*pi*e", 1.0 + 2 * math.pi * math.e),
    ("f = x*(pi + e + sin(1))", math.pi + math.e + math.sin(1)),
    ("f = x + pi*e*sqrt(2)*3", 1.0 + math.pi * math.e * math.sqrt(2) * 3),
])
def test_three_or_more_constants_fold(source, value):
    # constant folding passed the third argument as numpy's `out`
    ev = evaluate(parse(source), {"x": 1.0})
    assert ev.values["f"][0] == pytest.approx(value, rel=1e-14)


@pytest.mark.parametrize("fn", ["sum", "mean", "logsumexp"])
def test_reductions_at_one_scalar_point(fn):
    # the scalar backend had no T_sum: NameError
    ev = evaluate(parse(f"f = {fn}(x)^2"), {"x": 1.5})
    assert ev.backend == "scalar"
    assert ev.values["f"][0] == pytest.approx(2.25)
    assert ev.gradients["f"]["x"][0] == pytest.approx(3.0)
    batched = compile(parse(f"f = {fn}(x)^2"))({"x": np.array([1.5, -2.0])})
    np.testing.assert_allclose(batched.gradients["f"]["x"], [3.0, -4.0])
