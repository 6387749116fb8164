"""The chain rule as a sum over paths: counted without listing, the largest
listed with their factors, and their sum equal to the gradient."""

import math

import pytest
from chainlens.engine.language.reader import parse
from chainlens.engine.numeric.paths import paths

from tests.conftest import ROOT


def test_graph_example_has_exactly_two_paths_summing_to_the_gradient():
    program = parse((ROOT / "examples" / "graph.chain").read_text())
    x = 0.5
    report = paths(program, at={"x": x})
    entry = report["x"]
    assert entry.count == 2 and len(entry.paths) == 2
    expected = 2 * (x + 1) * math.sin(x) + (x + 1) ** 2 * math.cos(x)
    assert sum(p.product for p in entry.paths) == pytest.approx(expected, rel=1e-14)
    assert entry.gradient == pytest.approx(expected, rel=1e-14)
    assert abs(entry.paths[0].product) >= abs(entry.paths[1].product)
    assert [f.target for f in entry.paths[0].factors][-1] == "y"


def doubling_chain(n: int) -> str:
    # each layer uses the previous value twice (a*b with both from a): 2^n paths
    lines = ["a0 = x"]
    for k in range(1, n + 1):
        lines.append(f"a{k} = sin(a{k - 1}) * cos(a{k - 1})")
    return "\n".join(lines)


def test_paths_are_counted_without_listing_them():
    report = paths(parse(doubling_chain(200)), at={"x": 0.3}, top=3)
    assert report["x"].count == 2**200  # exact, astronomically many
    assert len(report["x"].paths) == 3


@pytest.mark.parametrize("n", [1, 3, 6])
def test_all_paths_sum_to_the_gradient(n):
    report = paths(parse(doubling_chain(n)), at={"x": 0.7}, top=10**6)
    entry = report["x"]
    assert len(entry.paths) == entry.count == 2**n
    assert sum(p.product for p in entry.paths) == pytest.approx(entry.gradient, rel=1e-12)
    mags = [abs(p.product) for p in entry.paths]
    assert mags == sorted(mags, reverse=True)


def test_neuron_paths_per_input():
    program = parse((ROOT / "examples" / "neuron.chain").read_text())
    report = paths(program)
    for entry in report.inputs:
        assert sum(p.product for p in entry.paths) == pytest.approx(entry.gradient, rel=1e-12)
    assert {e.wrt for e in report.inputs} == {"x", "w", "b", "y"}
