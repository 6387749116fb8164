"""NaN/Inf are always detected, and reported at the node that first produced
them, with its source span and how many points it affected."""

import numpy as np
import pytest
from chainlens.engine.language.reader import parse
from chainlens.engine.numeric.kernel import compile

SOURCE = """z = w*x
a = log(z)
r = sqrt(a + 1)
L = r * 3
"""


def report_text(ev):
    return [(nf.phase, nf.op, nf.name, nf.count) for nf in ev.nonfinite]


def test_forward_nan_is_located_at_its_node_and_span():
    program = parse(SOURCE)
    kernel = compile(program)
    # z = -1 -> log NaN at point 0; z = 1e-3 -> a + 1 < 0 -> sqrt NaN at point 1; point 2 fine
    ev = kernel({"w": np.array([-1.0, 1.0, 1.0]), "x": np.array([1.0, 1e-3, 2.0])})
    # sqrt is x^(1/2) once read; the report names what was written
    assert report_text(ev) == [("forward", "log", "a", 1), ("forward", "sqrt", "r", 1)]
    log_report = ev.nonfinite[0]
    assert SOURCE[log_report.span.start:log_report.span.end] == "log(z)"
    assert np.isfinite(ev.values["L"][2]) and not np.isfinite(ev.values["L"][:2]).any()


def test_backward_inf_is_located_where_the_derivative_blows_up():
    # sqrt at 0: the value is finite, its derivative is not
    source = "L = sqrt(x^2) + x"
    ev = compile(parse(source))({"x": np.array([0.0, 2.0])})
    assert report_text(ev) == [("backward", "sqrt", "L", 1)]
    assert ev.values["L"][0] == 0.0


@pytest.mark.parametrize(("source", "op"), [
    ("L = sqrt(x)", "sqrt"),  # red team P2-11: it said pow
    ("L = 3 * np.sqrt(x) + x", "sqrt"),
    ("L = x^x", "pow"),  # a power as written
    ("L = x**(1/2)", "pow"),
])
def test_the_culprit_is_named_as_written(source, op):
    # at 0: sqrt's derivative is inf, x^x's (x^x (log x + 1)) is not finite
    ev = compile(parse(source))({"x": np.array([0.0, 2.0])})
    assert [(nf.phase, nf.op, nf.count) for nf in ev.nonfinite] == [("backward", op, 1)]


def test_scalar_fast_path_falls_back_and_reports():
    ev = compile(parse("L = log(x)"))({"x": -1.0})
    assert ev.backend == "numpy" and report_text(ev) == [("forward", "log", "L", 1)]


def test_nonfinite_input_is_reported_as_input():
    program = parse("input x: [2]\nL = sum(x)")
    ev = compile(program)({"x": np.array([[1.0, np.inf], [1.0, 2.0]])})
    assert report_text(ev) == [("input", "input", "x", 1)]


@pytest.mark.parametrize("source, xs", [
    ("1/(1+exp(-x))", [-800.0, 800.0, 1e-12]),
    ("log(1+exp(x))", [-800.0, 800.0, 1e-12]),
    ("exp(x) - 1", [-800.0, 5.0, 1e-12]),
])
def test_stable_forms_stay_finite_where_the_textbook_form_overflows(source, xs):
    ev = compile(parse(source))({"x": np.array(xs)})
    assert ev.nonfinite == ()
    assert np.isfinite(ev.gradients["_1"]["x"]).all()


def test_expm1_keeps_precision_near_zero():
    ev = compile(parse("exp(x) - 1"))({"x": np.array([1e-12])})
    assert ev.values["_1"][0] == pytest.approx(1e-12, rel=1e-12)
