"""Measured gradient health: per-name and per-layer |∂L/∂v| at real points,
checked against finite differences, and the findings only a run can make."""

import math
from pathlib import Path

import numpy as np
import pytest
from chainlens.engine.core.source import ShapeError
from chainlens.engine.health.analysis import Thresholds, analyze
from chainlens.engine.health.measure import points_batch, run
from chainlens.engine.language.reader import parse
from chainlens.engine.symbolic.adjoints import backprop
from chainlens.engine.symbolic.values import value_at

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_sigmoid_layers_shrink_geometrically_from_last_to_first():
    program = parse((EXAMPLES / "deep_sigmoid.chain").read_text())
    report = analyze(program)
    (rep,) = report.repeats
    grads = [m.gradient for m in rep.layers]
    assert [m.layer for m in rep.layers] == list(range(1, 51))
    # each layer multiplies by w * sigmoid' <= 1/4: at every point, hence in the median
    assert all(g1 <= 0.25 * g2 for g1, g2 in zip(grads, grads[1:], strict=False))
    assert rep.ratio == pytest.approx(grads[0] / grads[-1])
    assert rep.ratio < 0.25**49
    # the log of the layer gradients is close to a straight line: geometric decay
    slope, _ = np.polyfit(np.arange(50), np.log10(grads), 1)
    assert slope > 0.6  # at least 10^0.6 = 4x per layer


def test_residual_layers_keep_their_gradient():
    report = analyze((EXAMPLES / "deep_residual.chain").read_text())
    (rep,) = report.repeats
    assert 0.1 < rep.ratio < 10
    assert report.flagged("info") == ()


def test_per_point_layer_decay_on_the_raw_adjoints():
    program = parse((EXAMPLES / "deep_sigmoid.chain").read_text())
    values, source = points_batch(program, {n: (-1.0, 1.0) for n in program.inputs}, 8, 3)
    measured = run(program, "L", values)
    states = [layer[-1] for layer in program.repeats[0].layers]
    adj = np.abs(np.stack([measured.adjoints[s] for s in states]))
    assert source == "sampled" and adj.shape == (50, 8)
    assert np.all(adj[:-1] <= 0.25 * adj[1:] + 1e-300)


NEURON = "z = w*x + b\na = sigmoid(z)\nL = (a - y)^2\n@at x=0.5, w=0.8, b=-0.1, y=1\n"


def test_adjoints_match_central_differences_at_the_at_point():
    program = parse(NEURON)
    values, source = points_batch(program, {}, 16, 0)
    assert source == "at" and values["x"].tolist() == [0.5]
    measured = run(program, "L", values)

    def loss(point):
        z = point["w"] * point["x"] + point["b"]
        return (1 / (1 + math.exp(-z)) - point["y"]) ** 2

    point = {k: float(v[0]) for k, v in values.items()}
    for name in ("x", "w", "b", "y"):
        h = 1e-6
        up, down = dict(point), dict(point)
        up[name] += h
        down[name] -= h
        fd = (loss(up) - loss(down)) / (2 * h)
        assert measured.adjoints[name][0] == pytest.approx(fd, rel=1e-6, abs=1e-9)


def test_measured_adjoints_agree_with_symbolic_backprop():
    """The kernel's per-name adjoints against an independent mechanism: the
    symbolic adjoints of :func:`backprop`, evaluated at each point."""
    program = parse((EXAMPLES / "deep_sigmoid.chain").read_text())
    values, _ = points_batch(program, {n: (-1.0, 1.0) for n in program.inputs}, 4, 1)
    measured = run(program, "L", values)
    symbolic = backprop(program, "L", simplify=False)
    for name in ("w_1", "b_25", "a@51", "z_7", "x"):
        expected = [value_at(symbolic[name].through,
                             {k: float(v[i]) for k, v in measured.values.items()})
                    for i in range(4)]
        np.testing.assert_allclose(measured.adjoints[name], expected, rtol=1e-9)


def test_at_override_and_points_report():
    report = analyze(NEURON, at=[{"x": 0.1, "w": 1, "b": 0, "y": 0},
                                 {"x": 0.2, "w": 1, "b": 0, "y": 0}])
    assert (report.points, report.points_from) == (2, "at")
    grads = {v.name: v.gradient for v in report.values}
    assert set(grads) >= {"x", "w", "b", "y", "z", "a", "L"}
    assert grads["L"] == 1.0


def test_measured_value_confirms_the_static_finding():
    report = analyze((EXAMPLES / "deep_sigmoid.chain").read_text())
    (f,) = report.findings
    assert f.kind == "vanishing" and f.severity == "error"
    assert f.measured is not None and f.measured < 1e-30
    assert "measured" in f.message


def test_tanh_chain_vanishes_when_measured_though_its_bound_allows_it():
    source = "a = x\nrepeat k in 1..30 {\n  a = tanh(w_k * a + b_k)\n}\nL = a\n"
    static = analyze(source, thresholds=Thresholds(measure=False))
    assert static.flagged() == ()
    (f,) = analyze(source).flagged()
    assert f.kind == "vanishing" and "30 tanh layers, measured: |∂L/∂a| at layer 1 is" in f.message
    assert f.layers == (1, 30)


@pytest.mark.parametrize(("source", "kind", "where"), [
    ("input x in [-1, 1]\nL = log(x)", "nonfinite", "log(x)"),
    ("input x in [-1, 1]\nL = exp(exp(exp(exp(x))))", "nonfinite", "exp(exp(exp(exp(x))))"),
    ("input z in [20, 30]\nL = sigmoid(z)", "saturation", "sigmoid(z)"),
])
def test_findings_only_a_run_can_make(source, kind, where):
    report = analyze(source)
    (f,) = [f for f in report.findings if f.kind == kind]
    assert source[f.span.start:f.span.end] == where


def test_shape_errors_are_raised_with_their_place():
    source = "input v: [3]\nparam W: [4, 2]\nL = sum(v @ W)"
    with pytest.raises(ShapeError) as err:
        analyze(source)
    assert source[err.value.span.start:err.value.span.end] == "v @ W"
