"""Partials instantiated from a template are the very nodes the rules table
builds: the fast path of :mod:`chainlens.engine.symbolic.partials` changes speed,
never results.  Checked for every unary rule at arguments of every kind
(atoms, sums, products, powers, numbers, e), and for the long products the
chain rule makes."""

from __future__ import annotations

import itertools

import pytest
from chainlens.engine.core.ir import call, mul
from chainlens.engine.core.nodes import PI, E, num, raw, sym
from chainlens.engine.rules import RULES
from chainlens.engine.symbolic import partials
from hypothesis import given, settings
from hypothesis import strategies as st

UNARY = sorted(name for name, r in RULES.items() if r.arity == 1 and r.partial is not None)
_fresh = itertools.count()


def _arguments():
    """Fresh symbols each time: no partial memoised by an earlier test."""
    k = next(_fresh)
    x, y = sym(f"x_p{k}"), sym(f"y_p{k}")
    return [x, x + 1, 2 * x, x * y, x**2, x ** num(-1), call("sin", x), call("exp", x),
            call("log", y), num(3), num(-1) / 2, PI, E, raw("exp", num(0)), x ** y]


@pytest.mark.parametrize("name", UNARY)
def test_template_partial_is_the_table_partial(name):
    rule = RULES[name]
    for u in _arguments():
        node = raw(name, u)
        assert partials.partial(node, 0) is rule.partial((u,), 0), (name, u)


@pytest.mark.parametrize("n", [2, 3, 10, -1, -2, num(1) / 2, num(-1) / 2, num(5) / 3])
def test_power_rule_template_is_the_table_partial(n):
    n = n if not isinstance(n, int) else num(n)
    for u in _arguments():
        node = raw("pow", u, n)
        assert partials.partial(node, 0) is RULES["pow"].partial((u, n), 0), (u, n)


def test_templates_are_used_where_they_are_exact():
    usable = {name for name in UNARY if partials._template(name, 0) is not None}
    # The activations and trig functions of deep chains take the fast path.
    assert {"sigmoid", "tanh", "cos", "tan", "log", "asin", "atan"} <= usable


factors = st.lists(st.sampled_from(
    [sym("a"), sym("b"), call("sin", sym("a")), call("sigmoid", sym("b")), sym("a") + 1,
     sym("a") ** 2, num(2), num(-1), E, PI, sym("a") * sym("b"), call("exp", sym("a"))]),
    min_size=0, max_size=8)


@settings(max_examples=150, deadline=None)
@given(factors)
def test_product_is_mul(fs):
    assert partials.product(fs) is mul(*fs)


@pytest.mark.parametrize("op", ["mul", "add"])
def test_binary_partials_are_the_table_partials(op):
    rule = RULES[op]
    args = _arguments()
    for a, b in itertools.product(args[:8], args[8:]):
        node = raw(op, a, b)
        for i in (0, 1):
            assert partials.partial(node, i) is rule.partial((a, b), i), (op, a, b, i)
