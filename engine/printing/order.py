"""Display order of terms and factors (for reading only: the IR's own
operand order is canonical but arbitrary).

Coefficient first, then symbols, polynomial factors, functions (inner
before outer), non-polynomial sums; in sums, higher degree first and
constants last.  Computed bottom-up per node (:class:`Shape`), once per
walk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from chainlens.engine.core.nodes import E, Node

__all__ = ["Shape", "shape_of", "factor_key", "term_key", "split", "is_exponential"]

_ZERO, _ONE = Fraction(0), Fraction(1)


@dataclass(frozen=True, slots=True)
class Shape:
    """What ordering needs to know about a node, computed bottom-up:
    its depth, and its polynomial degree (None when not a polynomial)."""

    depth: int
    degree: Fraction | None


def shape_of(node: Node, shapes: dict[int, Shape]) -> Shape:
    args = [shapes[id(a)] for a in node.args]
    depth = 1 + max((a.depth for a in args), default=0)
    op = node.op
    if op in ("num", "pi") or node is E:
        degree: Fraction | None = _ZERO
    elif op == "sym":
        degree = _ONE
    elif op in ("add", "mul", "matmul") and all(a.degree is not None for a in args):
        degrees = [a.degree for a in args]
        degree = max(degrees) if op == "add" else sum(degrees, _ZERO)
    elif (op == "pow" and args[0].degree is not None and node.args[1].op == "num"
          and node.args[1].value.denominator == 1 and node.args[1].value > 0):
        degree = args[0].degree * node.args[1].value
    else:
        degree = None
    return Shape(depth, degree)


def factor_key(f: Node, shapes: dict[int, Shape]) -> tuple:
    """Coefficient-like constants, then symbols, polynomial factors, powers
    with symbolic exponents, functions (simpler first, so ``exp(x^2)``
    precedes ``cos(exp(x^2))``), then non-polynomial sums."""
    op, shape, name = f.op, shapes[id(f)], ()
    base = f.args[0] if op == "pow" else f
    if op == "pow" and base.op == "num":
        cat = 0
    elif op == "pi" or f is E:
        cat = 1
    elif base.op == "sym" and shape.degree is not None:
        cat, name = 2, _natural(base.value)
    elif shape.degree is not None:
        cat = 3
    elif op == "pow" and base.op == "sym":
        cat, name = 4, _natural(base.value)
    elif base.op == "add":
        cat = 6
    else:
        cat = 5
    return (cat, name, shape.depth, f.sort_key)


def split(term: Node) -> tuple[Fraction, tuple[Node, ...]]:
    if term.op == "mul" and term.args[0].op == "num":
        return term.args[0].value, term.args[1:]
    if term.op == "mul":
        return Fraction(1), term.args
    return Fraction(1), (term,)


def term_key(term: Node, shapes: dict[int, Shape]) -> tuple:
    """Higher degree in the term's own variables first, constants last.  At
    equal degree a term with a function leads a bare monomial (``w·σ(z) + b``),
    then by the names involved, then simpler terms first (so the product
    rule reads u'v + uv': ``2*(x + 1)*sin(x) + (x + 1)^2*cos(x)``)."""
    if term.op == "num":
        return (2, 0, 0, (), 0, term.sort_key)
    _, factors = split(term)
    monomial = [f for f in factors
                if (f.args[0] if f.op == "pow" else f).op == "sym" and shapes[id(f)].degree]
    degree = sum((shapes[id(f)].degree for f in monomial), Fraction(0))
    bare = len(monomial) == len(factors)
    names = tuple(sorted(_natural((f.args[0] if f.op == "pow" else f).value) for f in monomial))
    return (0 if degree > 0 else 1, -degree, bare, names, shapes[id(term)].depth, term.sort_key)


def _natural(name: str) -> tuple:
    """Sort key that puts ``w_2`` before ``w_10``."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", name))


def is_exponential(term: Node) -> bool:
    return any(f.op == "exp" for f in split(term)[1])

