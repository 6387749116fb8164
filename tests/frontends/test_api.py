"""engine.api: the one validation of wrt / at / notation / order / text
size, and the views the editor and the command line share."""

from __future__ import annotations

import math

import numpy as np
import pytest
from chainlens.engine.api import inputs
from chainlens.engine.api.codegen import gradient_source
from chainlens.engine.api.derivatives import in_terms_of, unit_derivatives, unit_variables
from chainlens.engine.api.domains import domain_issues
from chainlens.engine.api.inputs import InputError
from chainlens.engine.core.limits import MAX_ORDER, MAX_SOURCE_CHARS
from chainlens.engine.core.source import ChainError, LimitError
from chainlens.engine.frontends.document import read_document
from chainlens.engine.language.reader import parse
from chainlens.engine.printing import render
from chainlens.engine.symbolic.values import value_at

NEURON = "z = w*x + b\na = sigmoid(z)\nL = (a - y)^2\n"


@pytest.mark.parametrize("value, expected", [
    (None, ("b", "w", "x", "y")), ("", ("b", "w", "x", "y")), ("w", ("w",)),
    ("w, b", ("w", "b")), ("w b", ("w", "b")), (["b", "w"], ("b", "w")),
    ("w,w", ("w",)),
])
def test_wrt_accepted(value, expected):
    program = parse(NEURON)
    assert sorted(inputs.wrt_names(value, program)) == sorted(expected)
    if value:
        assert inputs.wrt_names(value, program) == expected


def test_wrt_defaults_to_the_programs_own_wrt():
    assert inputs.wrt_names(None, parse(NEURON + "@wrt w\n")) == ("w",)


@pytest.mark.parametrize("value, field", [
    ("q", "wrt"), ("w, q", "wrt"), (["w", "q"], "wrt[1]"), (["q"], "wrt[0]"), ([3], "wrt[0]"),
    (5, "wrt"),
])
def test_wrt_refused_with_the_field(value, field):
    with pytest.raises(InputError) as info:
        inputs.wrt_names(value, parse(NEURON))
    assert info.value.field == field
    assert isinstance(info.value, ChainError)


def test_unknown_wrt_lists_what_is_known():
    with pytest.raises(InputError) as info:
        inputs.wrt_names("q", parse(NEURON))
    assert info.value.expected == ("b", "w", "x", "y")


def test_a_constant_has_nothing_to_differentiate_by():
    with pytest.raises(InputError, match="no variables"):
        inputs.wrt_names(None, parse("2 + 3"))


def test_points_are_checked_names_first():
    program = parse(NEURON)
    assert inputs.point({"x": 1, "w": [1, 2.5]}, program) == {"x": 1.0, "w": [1.0, 2.5]}
    assert inputs.point({"x": np.array([1.0, 2.0])}, program) == {"x": [1.0, 2.0]}
    cases = [({"q": 1}, "at['q']"), ({"x": "one"}, "at['x']"), ({"x": True}, "at['x']"),
             ({"x": [1, math.inf]}, "at['x'][1]"), ([1, 2], "at")]
    for values, field in cases:
        with pytest.raises(InputError) as info:
            inputs.point(values, program)
        assert info.value.field == field


def test_a_complete_point_names_the_missing_inputs():
    with pytest.raises(InputError, match="no value for b, w, y"):
        inputs.point({"x": 1}, parse(NEURON), complete=True)


def test_notation_order_and_text():
    assert inputs.notation("LaTeX") == "latex"
    with pytest.raises(InputError) as info:
        inputs.notation("mathml")
    assert info.value.expected == inputs.NOTATIONS
    assert inputs.order(None) == 1 and inputs.order(3) == 3
    with pytest.raises(LimitError):
        inputs.order(MAX_ORDER + 1)
    with pytest.raises(InputError):
        inputs.order(1.5)
    with pytest.raises(InputError, match="empty"):
        inputs.source_text("  \n")
    with pytest.raises(LimitError):
        inputs.source_text("x" * (MAX_SOURCE_CHARS + 1))


def test_in_terms_of_keeps_the_earlier_names():
    program = parse(NEURON)
    assert render(in_terms_of(program, "z", "L"), "text") == "(sigmoid(z) - y)^2"
    assert render(in_terms_of(program, "a", "L"), "text") == "(a - y)^2"


MODEL = "import numpy as np\n\ndef f(x, w, c):\n    return np.sin(w * x) + x\n"


def test_a_python_unit_is_differentiated_by_the_parameters_it_uses():
    (unit,) = read_document(MODEL, "python").units
    assert unit_variables(unit) == ("x", "w")
    assert unit_variables(unit, "w") == ("w",)
    with pytest.raises(InputError):
        unit_variables(unit, "c")
    dx, dw = unit_derivatives(unit)
    assert value_at(dx.result, {"x": 0.5, "w": 2.0}) == pytest.approx(2 * math.cos(1.0) + 1)
    assert value_at(dw.result, {"x": 0.5, "w": 2.0}) == pytest.approx(0.5 * math.cos(1.0))


def test_generated_gradient_code_runs_and_agrees_with_central_differences():
    (unit,) = read_document(MODEL, "python").units
    source = gradient_source(unit.program, "f", ("x", "w"))
    space = {"np": np}
    exec(compile(source, "<generated>", "exec"), space)  # code printed from the IR only
    dx, dw = space["grad_f"](0.5, 2.0)

    def f(x, w):
        return math.sin(w * x) + x
    h = 1e-6
    assert dx == pytest.approx((f(0.5 + h, 2.0) - f(0.5 - h, 2.0)) / (2 * h), rel=1e-6)
    assert dw == pytest.approx((f(0.5, 2.0 + h) - f(0.5, 2.0 - h)) / (2 * h), rel=1e-6)


def test_domains_at_a_point_and_over_declared_ranges():
    program = parse("input x in [-1, 2]\nL = log(x) + sqrt(x + 5)\n")
    (issue,) = domain_issues(program)
    assert issue.severity == "info" and issue.condition == "x > 0"
    assert "[-1, 2]" in issue.message
    (at_point, *_) = domain_issues(program, {"x": -0.5})
    assert at_point.severity == "warning" and "x = -0.5" in at_point.message
    assert domain_issues(parse("L = log(x)\n")) == ()


def test_limits_are_limit_errors_that_name_their_field():
    for call, field in [(lambda: inputs.order(MAX_ORDER + 1), "order"),
                        (lambda: inputs.source_text("x" * (MAX_SOURCE_CHARS + 1), "program"),
                         "program")]:
        with pytest.raises(LimitError) as info:
            call()
        assert isinstance(info.value, InputError) and info.value.field == field
