"""#19: the Python reader answers hostile text with chainlens errors that
name a place, never with RecursionError or UnicodeEncodeError."""

from __future__ import annotations

import math

import pytest
from chainlens.engine.core.limits import MAX_NESTING
from chainlens.engine.core.source import LimitError, ParseError
from chainlens.engine.frontends.python_source import read_python

SUM_1000 = "f = " + " + ".join(f"x{i}" for i in range(1000)) + "\n"


def test_a_thousand_term_sum_is_read():
    doc = read_python(SUM_1000)
    assert doc.error is None and not doc.skipped
    (unit,) = doc.units
    assert len(unit.program.inputs) == 1000


def test_a_thousand_term_sum_in_a_function_differentiates():
    from chainlens.engine.symbolic.derivatives import diff

    text = "def f(x):\n    return " + " + ".join(f"{i}*x**2" for i in range(1000)) + "\n"
    (unit,) = read_python(text).units
    d = diff(unit.program.expanded(unit.program.outputs[0]), "x")
    # d/dx sum_i i*x^2 = 2x * sum_i i ; at x = 1: 2 * 499500
    from chainlens.engine.symbolic.values import value_at

    assert math.isclose(value_at(d.result, {"x": 1.0}), 999000.0)


@pytest.mark.parametrize("count", [1000, 3000, 100_000])
def test_many_unary_minuses_give_a_limit_error_with_a_place(count):
    text = "a = 1\nf = " + "-" * count + "x\n"
    doc = read_python(text)
    errors = [s.error for s in doc.skipped if s.error is not None] + [doc.error]
    error = next(e for e in errors if e is not None)
    assert isinstance(error, LimitError)
    assert error.span is not None and error.span.line == 2
    assert str(MAX_NESTING) in error.message


@pytest.mark.parametrize("count", [3000, 100_000])
def test_sums_too_long_for_pythons_parser_give_a_limit_error(count):
    text = "a = 1\nf = " + "+".join(["x"] * count) + "\n"
    doc = read_python(text)
    assert isinstance(doc.error, LimitError)
    assert doc.error.span is not None and doc.error.span.line == 2


@pytest.mark.parametrize("text, line, column", [
    ("f = x\ud800\n", 1, 6),
    ("def f(x):\n    # \udcff\n    return x\n", 2, 7),
])
def test_lone_surrogates_give_a_parse_error_at_the_character(text, line, column):
    doc = read_python(text)
    assert isinstance(doc.error, ParseError)
    assert (doc.error.span.line, doc.error.span.column) == (line, column)
    assert "surrogate" in doc.error.message
    assert doc.units == ()
