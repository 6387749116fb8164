"""engine/frontends/python_source.py: the math in Python source, read with ``ast``.

Each case compares the unit's output, with every assignment inlined, to
the same expression built with the IR constructors (nodes are interned, so
equal math is the identical node)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from chainlens.engine.core.ir import add, call, mul, power, sub
from chainlens.engine.core.nodes import PI, num, sym
from chainlens.engine.frontends.python_source import read_python

x, w, b = sym("x"), sym("w"), sym("b")

FUNCTION_CASES = [
    ("def f(x):\n    return np.sin(x**2)\n", call("sin", power(x, num(2)))),
    ("def f(x):\n    return math.exp(-x**2 / 2)\n",
     call("exp", mul(num(Fraction(-1, 2)), power(x, num(2))))),
    ("def f(x, w, b):\n    z = w * x + b\n    return torch.sigmoid(z)\n",
     call("sigmoid", add(mul(w, x), b))),
    ("def f(x):\n    return F.relu(x) + jnp.tanh(x)\n", add(call("relu", x), call("tanh", x))),
    ("def f(x):\n    y = x\n    y += 1\n    y *= 2\n    return y\n", mul(num(2), add(x, num(1)))),
    ("def f(x):\n    for i in range(3):\n        x = np.sin(x)\n    return x\n",
     call("sin", call("sin", call("sin", x)))),
    ("def f(x):\n    a = 0\n    for k in range(1, 4):\n        a = a + k * x\n    return a\n",
     mul(num(6), x)),
    ("def f(x):\n    return np.log1p(x) - np.square(x)\n",
     sub(call("log1p", x), power(x, num(2)))),
    ("def f(x):\n    return np.pi * np.arctan(x)\n", mul(PI, call("atan", x))),
    ("def f(x):\n    '''doc'''\n    return abs(x) ** 0.5\n",
     power(call("abs", x), num(Fraction(1, 2)))),
]


@pytest.mark.parametrize(("source", "expected"), FUNCTION_CASES)
def test_function_math(source, expected):
    (unit,) = read_python(source).units
    assert unit.kind == "function"
    assert unit.program.expanded(unit.program.outputs[0]) is expected


SKIP_CASES = [
    ("def f(x):\n    if x > 0:\n        return x\n    return -x\n", "If statements are not read"),
    ("def f(x):\n    return x.sum()\n", "x.sum is not a math function"),
    ("def f(x):\n    return g(x)(x)\n", "only calls of named functions are read"),
    ("def f(x):\n    return requests.get(x)\n", "requests.get is not a math function"),
    ("def f(x):\n    for i in range(n):\n        x = x * 2\n    return x\n",
     "only `for i in range(<literal>)` loops are unrolled"),
    ("def f(x):\n    y = x\n", "no return expression"),
]


@pytest.mark.parametrize(("source", "reason"), SKIP_CASES)
def test_functions_it_does_not_read_are_skipped_with_a_reason(source, reason):
    doc = read_python(source)
    assert doc.units == ()
    assert [s.reason for s in doc.skipped] == [reason]


def test_spans_point_at_the_python_text():
    source = "import numpy as np\n\ndef f(x):  # ünïcode\n    y = np.sin(x)\n    return y * 2\n"
    (unit,) = read_python(source).units
    p = unit.program
    assert source[unit.name_span.start:unit.name_span.end] == "f"
    assert [(a.name, source[a.expr_span.start:a.expr_span.end]) for a in p.assignments] == [
        ("y", "np.sin(x)"), ("f", "y * 2")]
    (span,) = p.spans[call("sin", x)]
    assert source[span.start:span.end] == "np.sin(x)"


def test_module_assignments_and_sequential():
    source = ("y = np.exp(x) * 3\n"
              "model = nn.Sequential(nn.Linear(3, 4), nn.Sigmoid(), nn.Linear(4, 1), nn.Tanh())\n")
    doc = read_python(source)
    assert [(u.kind, u.name) for u in doc.units] == [("expression", "y"),
                                                    ("sequential", "model")]
    seq = doc.units[1].program
    assert [a.expr.op for a in seq.assignments] == ["add", "sigmoid", "add", "tanh"]
    assert [(d.name, d.shape) for d in seq.declarations] == [
        ("x", (3,)), ("W_1", (4, 3)), ("b_1", (4,)), ("W_2", (1, 4)), ("b_2", (1,))]


def test_syntax_error_is_a_value_with_a_place():
    doc = read_python("def f(x:\n    return x\n")
    assert doc.units == ()
    assert doc.error is not None and doc.error.span.line == 1
