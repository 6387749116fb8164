"""A product's factors, as the simplifier's sum and trig rewrites read them.

A canonical product (:func:`chainlens.engine.core.ir.mul`) holds each base
once, with a rational or symbolic exponent; these helpers read a term as
base -> exponent (:func:`powers`), divide a common factor out of it
(:func:`cofactor`) and write ``sin(u)^s cos(u)^c`` in the fewest textbook
factors (:func:`trig_factors`, by the table :data:`TRIG`).  Pure functions
of nodes, no budget: :mod:`chainlens.engine.symbolic.simplify` decides when
to call them.
"""

from __future__ import annotations

from fractions import Fraction

from chainlens.engine.core.ir import add, mul, power
from chainlens.engine.core.nodes import ONE, Node, num, raw

__all__ = ["TRIG", "base_exponent", "cofactor", "common_factor", "powers", "trig_factors"]

#: Trig functions as powers of (sin, cos): tan = sin cos^-1, sec = cos^-1...
TRIG = {"sin": (1, 0), "cos": (0, 1), "tan": (1, -1), "cot": (-1, 1),
         "sec": (0, -1), "csc": (-1, 0)}
_ONE_Q = Fraction(1)


def cofactor(term: Node, common: dict[Node, Fraction]) -> Node:
    """``term / prod(b^e for b, e in common)``.  A canonical product holds
    each base once, so dividing is dropping (or lowering) the factors of
    the common bases; anything else (``x^(v-1)`` standing for ``x^v``)
    goes through :func:`mul`."""
    left = dict(common)
    rest: list[Node] = []
    for f in term.args if term.op == "mul" else (term,):
        if f in left and left[f] == 1:
            del left[f]
            continue
        if f.op == "pow" and f.args[1].op == "num" and f.args[0] in left:
            k, e = f.args[1].value, left.pop(f.args[0])
            if k != e:
                rest.append(power(f.args[0], num(k - e)))
            continue
        rest.append(f)
    if left:
        return mul(term, *(power(b, num(-e)) for b, e in common.items()))
    if not rest:
        return ONE
    return rest[0] if len(rest) == 1 else mul(*rest)


def base_exponent(f: Node) -> tuple[Node, Fraction]:
    if f.op == "pow":
        return f.args[0], f.args[1].value
    return f, _ONE_Q


def trig_factors(u: Node, s: Fraction | int, c: Fraction | int) -> list[Node]:
    """sin(u)^s cos(u)^c in the fewest textbook factors."""
    if s > 0 and c < 0:
        t = min(s, -c)
        parts = (("tan", t), ("sin", s - t), ("sec", -c - t))
    elif s < 0 and c > 0:
        t = min(-s, c)
        parts = (("cot", t), ("csc", -s - t), ("cos", c - t))
    else:
        parts = (("csc", -s) if s < 0 else ("sin", s), ("sec", -c) if c < 0 else ("cos", c))
    return [power(raw(name, u), num(e)) for name, e in parts if e != 0]


def powers(term: Node) -> dict[Node, Fraction]:
    """A term's non-numeric factors as base -> positive rational exponent
    (a power with a symbolic exponent is one opaque factor)."""
    fs = term.args if term.op == "mul" else (term,)
    out: dict[Node, Fraction] = {}
    for f in fs:
        if f.op == "num":
            continue
        if f.op == "pow" and f.args[1].op == "num" and f.args[1].value.numerator > 0:
            b = f.args[0]
            out[b] = out[b] + f.args[1].value if b in out else f.args[1].value
        elif f.op == "pow" and f.args[1].op == "num":
            continue
        elif f.op == "pow" and f.args[1].op == "add" and f.args[1].args[0].op == "num":
            # x^(v - 1) holds the factor x^v (logarithmic differentiation).
            key = power(f.args[0], add(*f.args[1].args[1:]))
            out[key] = out[key] + 1 if key in out else _ONE_Q
        else:
            out[f] = out[f] + 1 if f in out else _ONE_Q
    return out


def common_factor(node: Node) -> Node | None:
    """The sum ``node`` with a factor common to every term taken out, or
    None.  Only when a term is a bare multiple of it (``x^x + x^x log x ->
    x^x (log x + 1)``) and the factor is not a plain power of a variable
    (``x^2 + x`` stays a polynomial).  The simplifier's rewrite; the
    textbook stage asks it too, so that it does not pick an expanded form
    this would factor back."""
    if node.args[0].op == "num":
        return None  # a constant term (numbers sort first) has no factor to share
    maps = sorted((powers(t) for t in node.args), key=len)
    common = maps[0]
    for m in maps[1:]:  # smallest first: the intersection only shrinks
        common = {b: min(e, m[b]) for b, e in common.items() if b in m}
        if not common:
            return None
    if not any(b.op != "sym" and not (b.op == "pow" and b.args[0].op == "sym"
                                      and b.args[1].op == "num") for b in common):
        return None
    general_power = any(b.op == "pow" and b.args[1].op != "num" for b in common)
    if not general_power and not any(m == common for m in maps):
        # Only a term made of exactly the common factors leaves a number
        # (the condition below): nothing to take out, no need to divide.
        return None
    cofactors = [cofactor(t, common) for t in node.args]
    if not general_power and not any(c.op == "num" for c in cofactors):
        return None
    return mul(*(power(b, num(e)) for b, e in common.items()), add(*cofactors))
