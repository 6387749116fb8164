"""Hypothesis strategies over the IR constructors and the rules table, shared
by the printing tests: random expressions built the way the engine builds
them, so every generated node is canonical."""

from __future__ import annotations

from fractions import Fraction

from chainlens.engine.core.ir import add, call, div, mul, neg, power, sub
from chainlens.engine.core.nodes import PI, E, num, sym
from chainlens.engine.core.walk import postorder
from chainlens.engine.rules import RULES
from hypothesis import strategies as st

NAMES = ("x", "y", "z", "b", "w_1", "theta", "alpha")

#: every scalar primitive of the table (tensor ops have their own tests)
UNARY = tuple(sorted(n for n, r in RULES.items() if r.arity == 1 and r.kind == "elementwise"))
BINARY = tuple(sorted(n for n, r in RULES.items()
                      if r.arity == 2 and r.kind == "elementwise" and n != "pow"))

EXPONENTS = tuple(num(q) for q in (2, 3, -1, -2, Fraction(1, 2), Fraction(-1, 2),
                                   Fraction(1, 3), Fraction(3, 2)))

leaves = st.one_of(
    st.sampled_from(NAMES).map(sym),
    st.integers(-6, 9).map(num),
    st.fractions(min_value=-4, max_value=4, max_denominator=7).map(num),
    st.sampled_from((PI, E)),
)


def _combine(children: st.SearchStrategy) -> st.SearchStrategy:
    pair = st.tuples(children, children)
    return st.one_of(
        pair.map(lambda t: add(*t)),
        pair.map(lambda t: sub(*t)),
        pair.map(lambda t: mul(*t)),
        pair.map(lambda t: div(*t)),
        pair.map(lambda t: power(*t)),
        st.tuples(children, st.sampled_from(EXPONENTS)).map(lambda t: power(*t)),
        children.map(neg),
        st.tuples(st.sampled_from(UNARY), children).map(lambda t: call(*t)),
        st.tuples(st.sampled_from(BINARY), children, children).map(lambda t: call(*t)),
    )


def _sane(node) -> bool:
    """No division by zero (``0^-1`` has no value to print), and no constant
    folded to an unreadably long number."""
    for n in postorder(node):
        if n.op == "pow" and n.args[0].op == "num" and n.args[0].value == 0:
            return False
        if n.op == "num" and max(n.value.numerator.bit_length(),
                                 n.value.denominator.bit_length()) > 64:
            return False
    return True


def expressions(ops_allowed: frozenset[str] | None = None) -> st.SearchStrategy:
    """Random canonical expressions; ``ops_allowed`` restricts the primitives."""
    base = st.recursive(leaves, _combine, max_leaves=10)
    base = base.filter(_sane)
    if ops_allowed is not None:
        base = base.filter(lambda e: all(
            n.op in ops_allowed or n.op in ("num", "sym", "pi", "add", "mul", "pow")
            for n in postorder(e)))
    return base


def evaluate(node, env: dict[str, float]):
    """The node's value by the rules table's numpy forwards, bottom-up: the
    reference the printed Python source is checked against."""
    import numpy as np

    values: dict[int, object] = {}
    for n in postorder(node):
        args = [values[id(a)] for a in n.args]
        if n.op == "num":
            v = float(n.value)
        elif n.op == "sym":
            v = env[n.value]
        elif n.op == "pi":
            v = np.pi
        elif n.op == "add":
            v = sum(args[1:], args[0])
        elif n.op == "mul":
            v = args[0]
            for arg in args[1:]:
                v = v * arg
        else:
            v = RULES[n.op].forward(*args)
        values[id(n)] = v
    return values[id(node)]
