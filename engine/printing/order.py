"""Display order of terms and factors (for reading only: the IR's own
operand order is canonical but arbitrary).

Coefficient first, then symbols, polynomial factors, functions (inner
before outer), non-polynomial sums; in sums, higher degree first and
constants last.  Computed bottom-up per node (:class:`Shape`), once per
walk.
"""

from __future__ import annotations

import re
from fractions import Fraction

from chainlens.engine.core.nodes import E, Node

__all__ = ["Shape", "shape_of", "factor_key", "term_key", "split", "is_exponential"]

_ZERO, _ONE = Fraction(0), Fraction(1)


#: What ordering needs to know about a node, computed bottom-up: the
#: pair (depth, polynomial degree or None when not a polynomial).  A plain
#: tuple of ints: a degree is a whole number (a power counts only with a
#: positive integer exponent), and ints add without Fraction's cost.
Shape = tuple


def shape_of(node: Node, shapes: dict[int, Shape]) -> Shape:
    args = node.args
    op = node.op
    if not args:
        if op == "sym":
            return (1, 1)
        return (1, 0) if op in ("num", "pi") else (1, None)
    if len(args) == 1:
        a = shapes[id(args[0])]
        depth = 1 + a[0]
        if node is E:
            return (depth, 0)
        if op in ("add", "mul", "matmul"):
            return (depth, a[1])
        return (depth, None)
    kids = [shapes[id(a)] for a in args]
    depth = 1 + max([k[0] for k in kids])
    if op in ("add", "mul", "matmul"):
        degrees = [k[1] for k in kids]
        if None in degrees:
            return (depth, None)
        return (depth, max(degrees) if op == "add" else sum(degrees))
    if op == "pow":
        b = kids[0][1]
        e = args[1]
        if b is not None and e.op == "num":
            q = e.value
            if q.denominator == 1 and q.numerator > 0:
                return (depth, b * q.numerator)
    return (depth, None)


def factor_key(f: Node, shapes: dict[int, Shape]) -> tuple:
    """Coefficient-like constants, then symbols, polynomial factors, powers
    with symbolic exponents, functions (simpler first, so ``exp(x^2)``
    precedes ``cos(exp(x^2))``), then non-polynomial sums."""
    op, (depth, degree), name = f.op, shapes[id(f)], ()
    base = f.args[0] if op == "pow" else f
    if op == "pow" and base.op == "num":
        cat = 0
    elif op == "pi" or f is E:
        cat = 1
    elif base.op == "sym" and degree is not None:
        cat, name = 2, _natural(base.value)
    elif degree is not None:
        cat = 3
    elif op == "pow" and base.op == "sym":
        cat, name = 4, _natural(base.value)
    elif base.op == "add":
        cat = 6
    else:
        cat = 5
    return (cat, name, depth, f.sort_key)


def split(term: Node) -> tuple[Fraction, tuple[Node, ...]]:
    if term.op == "mul" and term.args[0].op == "num":
        return term.args[0].value, term.args[1:]
    if term.op == "mul":
        return _ONE, term.args
    return _ONE, (term,)


def term_key(term: Node, shapes: dict[int, Shape]) -> tuple:
    """Higher degree in the term's own variables first, constants last.  At
    equal degree a term with a function leads a bare monomial (``w·σ(z) + b``),
    then by the names involved, then simpler terms first (so the product
    rule reads u'v + uv': ``2*(x + 1)*sin(x) + (x + 1)^2*cos(x)``)."""
    if term.op == "num":
        return (2, 0, 0, (), 0, term.sort_key)
    _, factors = split(term)
    degree = 0
    names = []
    for f in factors:
        b = f.args[0] if f.op == "pow" else f
        if b.op == "sym":
            d = shapes[id(f)][1]
            if d:
                degree += d
                names.append(_natural(b.value))
    bare = len(names) == len(factors)
    names.sort()
    return (0 if degree > 0 else 1, -degree, bare, tuple(names), shapes[id(term)][0],
            term.sort_key)


_NATURAL: dict[str, tuple] = {}
_SPLIT_DIGITS = re.compile(r"(\d+)").split


def _natural(name: str) -> tuple:
    """Sort key that puts ``w_2`` before ``w_10`` (memoised: names recur)."""
    key = _NATURAL.get(name)
    if key is None:
        key = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in _SPLIT_DIGITS(name))
        if len(_NATURAL) > 50_000:
            _NATURAL.clear()
        _NATURAL[name] = key
    return key


def is_exponential(term: Node) -> bool:
    """A term with an ``exp`` factor (the constant of such a sum leads)."""
    if term.op == "mul":
        return "exp" in [f.op for f in term.args]
    return term.op == "exp"

