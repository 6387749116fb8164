"""check_derivative: equal / not equal, with a counterexample."""

from __future__ import annotations

import pytest
from chainlens.engine.core.ir import call
from chainlens.engine.core.nodes import num, sym
from chainlens.engine.symbolic.check import check_derivative

x, y = sym("x"), sym("y")
sin, cos, log, tan = (lambda u, f=f: call(f, u) for f in ("sin", "cos", "log", "tan"))

# expr, claim, equal?, method
CASES = [
    (sin(x**2), 2 * x * cos(x**2), True, "symbolic"),
    (sin(x**2), x * cos(x**2), False, "numeric"),
    (sin(x**2), 2 * x * sin(x**2), False, "numeric"),
    (log(cos(x)), -sin(x) / cos(x), True, "symbolic"),
    (x / (1 + x**2), (1 - x**2) / (1 + x**2) ** 2, True, "symbolic"),
    (x / (1 + x**2), 1 / (1 + x**2) - 2 * x**2 / (1 + x**2) ** 2, True, "symbolic"),
    (log(x), 1 / x, True, "symbolic"),
    (call("asin", x), (1 - x**2) ** (num(-1) / 2), True, "symbolic"),
    (tan(x), 1 + tan(x) ** 2, True, "symbolic"),  # 1 + tan² = sec² (issue #17)
    (x**3, 3 * x**2 + 1, False, "symbolic" if False else "numeric"),
]


@pytest.mark.parametrize("expr,claim,equal,method", CASES)
def test_check(expr, claim, equal, method):
    r = check_derivative(expr, claim, "x")
    assert (r.equal, r.method) == (equal, method)


def test_counterexample_has_both_values():
    r = check_derivative(sin(x**2), x * cos(x**2))
    assert r.counterexample is not None
    point = dict(r.counterexample)
    assert r.expected == pytest.approx(2 * r.got)
    assert set(point) == {"x"}


def test_deterministic():
    a = check_derivative(sin(x**2), x * cos(x**2))
    b = check_derivative(sin(x**2), x * cos(x**2))
    assert a.counterexample == b.counterexample


def test_points_stay_in_the_domain():
    r = check_derivative(log(x) + call("sqrt", x), 1 / x + 1 / (2 * call("sqrt", x)))
    assert r.equal


def test_claim_with_another_variable_is_not_equal():
    assert not check_derivative(x**2, 2 * y, "x").equal
