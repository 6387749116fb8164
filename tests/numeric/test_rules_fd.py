"""Every scalar rule's compiled derivative against central finite
differences of the rule's own numpy forward (an independent oracle: the
partials under test come from the rules table, the differences do not)."""

import numpy as np
import pytest
from chainlens.engine import rules
from chainlens.engine.core.ir import call
from chainlens.engine.core.nodes import sym
from chainlens.engine.numeric.kernel import compile

X, Y = sym("x"), sym("y")

#: rule -> points inside its domain, away from kinks
POINTS = {
    "acosh": [1.3, 2.0, 3.5], "acoth": [-2.5, 1.3, 3.0], "asech": [0.2, 0.5, 0.9],
    "asin": [-0.7, 0.1, 0.6], "acos": [-0.7, 0.1, 0.6], "atanh": [-0.7, 0.1, 0.6],
    "log": [0.3, 1.0, 4.0], "log2": [0.3, 1.0, 4.0], "log10": [0.3, 1.0, 4.0],
    "sqrt": [0.3, 1.0, 4.0], "log1p": [-0.5, 0.2, 3.0],
    "tan": [-1.0, 0.2, 1.2], "cot": [-1.0, 0.2, 1.2], "csc": [-1.0, 0.2, 1.2],
    "sec": [-1.0, 0.2, 1.2], "asec": [-2.5, 1.3, 3.0], "acsc": [-2.5, 1.3, 3.0],
}
DEFAULT = [-1.3, -0.4, 0.35, 0.8, 2.1]
SKIP = {"add", "mul", "pow"}  # n-ary / binary arithmetic: tested below

SCALAR_RULES = sorted(n for n, r in rules.RULES.items()
                      if r.kind == "elementwise" and r.arity == 1 and n not in SKIP)
BINARY_RULES = sorted(n for n, r in rules.RULES.items()
                      if r.kind == "elementwise" and r.arity == 2 and n not in SKIP)


def central(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


@pytest.mark.parametrize("name", SCALAR_RULES)
def test_unary_rule_matches_finite_differences(name):
    xs = np.array(POINTS.get(name, DEFAULT))
    kernel = compile(call(name, X))
    ev = kernel({"x": xs})
    forward = rules.RULES[name].forward
    np.testing.assert_allclose(ev.values["f"], forward(xs), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ev.gradients["f"]["x"], central(forward, xs),
                               rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", SCALAR_RULES)
def test_unary_rule_scalar_backend_equals_numpy(name):
    x = POINTS.get(name, DEFAULT)[1]
    kernel = compile(call(name, X))
    fast = kernel({"x": x})
    slow = kernel({"x": np.array([x])})
    assert fast.backend == "scalar" and slow.backend == "numpy"
    np.testing.assert_allclose(fast.gradients["f"]["x"], slow.gradients["f"]["x"], rtol=1e-13)


@pytest.mark.parametrize("name", [*BINARY_RULES, "pow"])
def test_binary_rule_matches_finite_differences(name):
    xs, ys = np.array([0.4, 1.7, 2.5]), np.array([1.1, 0.6, 3.0])
    kernel = compile(call(name, X, Y))
    ev = kernel({"x": xs, "y": ys})
    forward = rules.RULES[name].forward
    np.testing.assert_allclose(ev.gradients["f"]["x"], central(lambda t: forward(t, ys), xs),
                               rtol=1e-6)
    np.testing.assert_allclose(ev.gradients["f"]["y"], central(lambda t: forward(xs, t), ys),
                               rtol=1e-6)


@pytest.mark.parametrize("expr, grads", [
    (X * Y, {"x": 2.0, "y": 0.5}),
    (X + Y + X, {"x": 2.0, "y": 1.0}),
])
def test_arithmetic(expr, grads):
    ev = compile(expr, wrt=("x", "y"))({"x": 0.5, "y": 2.0})
    for w, g in grads.items():
        assert ev.gradients["f"][w][0] == pytest.approx(g)


def test_differentiating_by_a_name_the_program_does_not_use_is_an_error():
    from chainlens.engine.core.source import EvaluationError

    with pytest.raises(EvaluationError, match="'x': it is not an input"):
        compile(X * Y * X.__pow__(-1), wrt=("x",))  # x cancels: almost always a typo
