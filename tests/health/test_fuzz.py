"""Whatever program comes in, analyze() returns a report (or raises a
ChainError with a place): never a crash, never a bound below the truth."""

import math

import numpy as np
import pytest
from chainlens.engine.core.source import ChainError
from chainlens.engine.health.analysis import Thresholds, analyze
from chainlens.engine.health.bounds import backward_bounds
from chainlens.engine.health.intervals import forward_intervals
from chainlens.engine.health.measure import points_batch, run
from chainlens.engine.language.reader import parse
from hypothesis import given, settings
from hypothesis import strategies as st

UNARY = ["sin", "cos", "exp", "log", "sqrt", "sigmoid", "tanh", "relu", "softplus", "abs",
         "atan", "erf", "sign", "asin", "cosh"]
LEAVES = st.sampled_from(["x", "y", "w", "2", "0.5", "pi"])


def expressions():
    def extend(inner):
        return st.one_of(
            st.builds(lambda f, a: f"{f}({a})", st.sampled_from(UNARY), inner),
            st.builds(lambda a, op, b: f"({a} {op} {b})", inner,
                      st.sampled_from(["+", "-", "*", "/", "^"]), inner),
        )
    return st.recursive(LEAVES, extend, max_leaves=8)


@settings(max_examples=60)
@given(body=expressions(), layers=st.integers(0, 6), ranged=st.booleans())
def test_any_program_gets_a_report_or_a_chain_error(body, layers, ranged):
    decl = "input x in [-2, 2]\n" if ranged else ""
    loop = f"repeat k in 1..{layers} {{\n  x = {body.replace('w', 'w_k')}\n}}\n" if layers else ""
    source = f"{decl}{loop}L = {body}\n"
    try:
        report = analyze(source, thresholds=Thresholds(samples=4))
    except ChainError as exc:
        assert exc.message
        return
    for f in report.findings:
        assert f.severity in ("error", "warning", "info") and f.message
        assert f.bound_log10 is None or not math.isnan(f.bound_log10)
        if f.span is not None:
            assert 0 <= f.span.start <= f.span.end <= len(source)
    report.to_dict()


def test_zero_gradient_everywhere_is_named():
    report = analyze("input x in [-1, 1]\nL = sign(x) + 3", thresholds=Thresholds(measure=False))
    (f,) = report.findings
    assert f.kind == "vanishing" and "= 0 on the whole input range: sign(x)" in f.message


@settings(max_examples=60)
@given(body=expressions(), lo=st.floats(-3, 3), width=st.floats(0.01, 3))
def test_static_bound_dominates_the_kernel_gradient(body, lo, width):
    """The bound is an upper bound: the numeric kernel's gradient (another
    implementation) never exceeds it at any point of the declared ranges."""
    hi = lo + width
    source = (f"input x in [{lo!r}, {hi!r}]\ninput y in [-1, 1]\ninput w in [-1, 1]\n"
              f"L = {body} + 0*x\n")
    try:
        program = parse(source)
    except ChainError:
        return
    ranges = {d.name: (float(d.range[0]), float(d.range[1])) for d in program.declarations}
    iv = forward_intervals(program, ranges)
    bounds = backward_bounds(program, "L", iv)
    values, _ = points_batch(program, ranges, 32, 0)
    try:
        measured = run(program, "L", values)
    except ChainError:
        return
    for name in program.inputs:
        g = np.abs(np.asarray(measured.adjoints[name], dtype=float))
        g = g[np.isfinite(g)]
        b = bounds[name].value if name in bounds else 0.0
        if math.isnan(b):
            continue
        assert np.all(g <= b * (1 + 1e-9) + 1e-12), (name, g.max(), b)


@pytest.mark.parametrize("source", [
    "1e308^1e308",            # exact constants far beyond float64
    "L = 10^400 * x",
    "L = x^1e400",
    "L = x^(-10^400)",
    "L = 2^2^2^2^2^2 + x",
    "L = 99999999999999999999999999^99999999999999",
    "L = x^(10^400/3)",
])
def test_constants_beyond_the_float_range_get_a_report(source):
    report = analyze(source, thresholds=Thresholds(samples=2))
    report.to_dict()


def test_samples_of_a_huge_tensor_are_not_measured_but_reported():
    report = analyze("input W: [5000, 5000]\nL = sum(W)")
    assert any("exceeds the limit" in note for note in report.notes)


def test_a_value_that_is_not_finite_is_named_as_written():
    (f,) = [f for f in analyze("x/0").findings if f.kind == "nonfinite"]
    assert f.message.startswith("x/0 first becomes NaN/∞")  # the place, as written
