"""Printed-length estimates: of a node, and of an expanded polynomial before
it is built.

The textbook stage (:mod:`chainlens.engine.symbolic.textbook`) keeps the
shortest of a few forms of each small sum or product.  :func:`cost` is about
the length of a node in text notation, counted without printing it.
:func:`expanded_cost` is the cost of the expanded form of a polynomial
exactly as :func:`~chainlens.engine.symbolic.poly.to_node` would build it,
computed from the polynomial and its atoms: most expansions lose
(``(x + 1)²·cos(x)`` expanded is twice as long), and this way a losing one is
never built.  Pure functions; the memo of costs is the caller's.
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd

from chainlens.engine.core.ir import power
from chainlens.engine.core.nodes import ONE, E, Node, num
from chainlens.engine.symbolic.poly import Atoms

__all__ = ["cost", "expanded_cost"]


def cost(node: Node, memo: dict | None = None) -> int:
    """About the length of ``node`` in text notation (operators, names,
    digits, parentheses), without printing it."""
    if memo is None:
        memo = {}
    got = memo.get(node)
    if got is not None:
        return got
    op = node.op
    # Rationals are read through their numerator and denominator: Fraction
    # comparisons are slow Python, and this runs on every candidate form.
    if op == "num":
        v = node.value
        n, d = v.numerator, v.denominator
        c = len(str(abs(n))) + (len(str(d)) + 1 if d != 1 else 0) + (n < 0)
    elif op == "sym":
        c = len(node.value)
    elif op == "pi":
        c = 2
    elif op == "add":
        c = sum(cost(a, memo) for a in node.args) + 3 * (len(node.args) - 1)
    elif op == "mul":
        c = 0
        for a in node.args:
            if a.op == "num" and a.value.denominator == 1 and a.value.numerator in (1, -1):
                c += 1
                continue
            c += cost(a, memo) + 1 + (2 if a.op == "add" else 0)
    elif op == "pow":
        b, e = node.args
        en, ed = (e.value.numerator, e.value.denominator) if e.op == "num" else (0, 0)
        if ed == 2 and en in (1, -1):
            c = cost(b, memo) + 6
        elif e is ONE or (ed == 1 and en == -1):
            c = cost(b, memo) + 2 + (2 if b.op in ("add", "mul") else 0)
        else:
            c = cost(b, memo) + cost(e, memo) + 1 + (2 if b.op in ("add", "mul", "pow") else 0) \
                + (2 if e.op in ("add", "mul") or ed > 1 else 0)
    else:
        c = len(op) + 2 + sum(cost(a, memo) for a in node.args) + (len(node.args) - 1)
    memo[node] = c
    return c


def _num_cost(c: int | Fraction) -> int:
    """:func:`cost` of ``num(c)``, from the number alone."""
    n = c.numerator
    d = c.denominator
    return len(str(abs(n))) + (len(str(d)) + 1 if d != 1 else 0) + (n < 0)


def expanded_cost(p: dict, atoms: Atoms, costs: dict[Node, int]) -> int:
    """``cost(_content(to_node(p, atoms)))`` without building the sum and
    its products, or 0 (no bound) when building could merge something.

    Exact when no two factors of a monomial share a base (``mul`` merges
    only equal bases) and the monomials' factor sets differ (``add``
    collects only equal terms): then ``to_node`` builds one product per
    monomial, ``num(c)`` first unless ``c`` is 1, and one sum of them, whose
    costs are sums over their arguments (the order does not matter)."""
    terms = _plain_terms(p, atoms, costs)
    if terms is None:
        terms = _built_terms(p, atoms, costs)
        if terms is None:
            return 0
    if not terms:
        return 1  # num(0)
    total = 0
    g = 0
    for c, k, fc in terms:
        total += _term_cost(c, k, fc)
        g = gcd(g, c.numerator)
    if len(terms) == 1:
        return total
    total += 3 * (len(terms) - 1)
    if g <= 1:
        return total
    inner = sum(_term_cost(Fraction(c, g), k, fc) for c, k, fc in terms) + 3 * (len(terms) - 1)
    factored = _num_cost(g) + 1 + inner + 3
    return factored if factored < total else total


def _plain_terms(p: dict, atoms: Atoms, costs: dict[Node, int]) -> list | None:
    """(coefficient, factors, their cost) per monomial without building a
    factor, when the atoms have distinct bases and each power ``a^e`` is
    the plain node ``pow(a, e)`` (cost ``cost(a) + len(str(e)) + 1``): no
    product can merge factors and distinct monomials are distinct terms.
    None otherwise (powers of powers merge exponents, ``e^2`` is
    ``exp(2)``, numbers fold): :func:`_built_terms` decides."""
    nodes = atoms.nodes
    acost: list[int] = []
    raised: list[bool] = []  # whether a^e (e > 1) is the plain pow(a, e)
    bases = set()
    for a in nodes:
        op = a.op
        if op == "num" or op == "mul" or op == "add":
            return None
        if op == "pow":
            b = a.args[0]
            if a.args[1] is ONE or b.op == "num":
                return None
            bases.add(id(b))
            raised.append(False)
        else:
            bases.add(id(a))
            raised.append(a is not E)
        acost.append(cost(a, costs))
    if len(bases) != len(nodes):
        return None
    terms = []
    for m, c in p.items():
        fc = 0
        for i, e in m:
            if e == 1:
                fc += acost[i]
            elif raised[i]:
                fc += acost[i] + len(str(e)) + 1
            else:
                return None
        terms.append((c, len(m), fc))
    return terms


def _built_terms(p: dict, atoms: Atoms, costs: dict[Node, int]) -> list | None:
    """As :func:`_plain_terms`, building each power factor, or None when a
    product could merge factors or two monomials give one term."""
    nodes = atoms.nodes
    powered: dict[tuple[int, int], Node] = {}
    seen: set = set()
    terms: list[tuple[int | Fraction, int, int]] = []  # (coefficient, factors, their cost)
    for m, c in p.items():
        fc = 0
        bases = set()
        fs = []
        for i, e in m:
            f = nodes[i]
            if e != 1:
                f = powered.get((i, e))
                if f is None:
                    f = powered[(i, e)] = power(nodes[i], num(e))
            op = f.op
            if op in ("num", "mul", "add"):
                return None
            bases.add(id(f.args[0]) if op == "pow" else id(f))
            fs.append(id(f))
            fc += cost(f, costs)
        if len(bases) != len(m):
            return None
        key = frozenset(fs)
        if key in seen:
            return None
        seen.add(key)
        terms.append((c, len(m), fc))
    return terms


def _term_cost(c: int | Fraction, k: int, fc: int) -> int:
    """Cost of ``mul(num(c), *k factors costing fc in all)``."""
    if k == 0:
        return _num_cost(c)
    if c == 1:
        return fc if k == 1 else fc + k
    return (1 if c == -1 else _num_cost(c) + 1) + fc + k
