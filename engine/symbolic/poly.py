"""Sparse polynomials over *atoms*, for expanding, collecting and cancelling.

A term of a derivative is read as a polynomial with rational coefficients
in its atoms: every sub-expression that is not a sum, a product, a number
or a non-negative integer power (``x``, ``sin(x)``, ``sqrt(x)``, ``x^-1``)
is one atom.  That is enough for the textbook rewrites: distributing
``(2s - 1)(s + 4)``, collecting ``x² − (x² − 4) − 4`` to 0, and dividing a
numerator exactly by a polynomial factor of its denominator
(``(t² − 1)/(t + 1) = t − 1``).

Everything is bounded (:data:`MAX_TERMS`, :data:`MAX_DEGREE`): past a
bound :func:`from_node` answers ``None`` and the caller keeps its form.
Pure functions, no I/O; the atom table is the caller's (one per rewrite).
"""

from __future__ import annotations

from fractions import Fraction

from chainlens.engine.core.ir import add, mul, power
from chainlens.engine.core.nodes import Node, num

__all__ = ["Poly", "Atoms", "from_node", "to_node", "pmul", "padd", "divide", "MAX_TERMS"]

#: A monomial: sorted ((atom index, exponent), ...); the polynomial maps it to its coefficient.
Poly = dict
MAX_TERMS = 24
MAX_DEGREE = 12
#: Powers of sums are multiplied out only up to this degree: ``(2 − 3x)²``
#: is a textbook expansion, ``(3x² + 7)⁹`` never is (and costs milliseconds).
MAX_SUM_POWER = 3
_ONE_M: tuple = ()


class Atoms:
    """Atom <-> index, in first-seen order (so results are deterministic)."""

    def __init__(self):
        self.index: dict[Node, int] = {}
        self.nodes: list[Node] = []

    def of(self, node: Node) -> int:
        i = self.index.get(node)
        if i is None:
            i = self.index[node] = len(self.nodes)
            self.nodes.append(node)
        return i


def _mono_mul(a: tuple, b: tuple) -> tuple:
    if not a:
        return b
    if not b:
        return a
    d = dict(a)
    for i, e in b:
        d[i] = d.get(i, 0) + e
    return tuple(sorted(d.items()))


def padd(a: Poly, b: Poly, scale=1) -> Poly:
    out = dict(a)
    for m, c in b.items():
        v = out.get(m, 0) + scale * c
        if v:
            out[m] = v
        else:
            out.pop(m, None)
    return out


def pmul(a: Poly, b: Poly) -> Poly | None:
    if len(a) * len(b) > MAX_TERMS * 4:
        return None
    out: Poly = {}
    for ma, ca in a.items():
        for mb, cb in b.items():
            m = _mono_mul(ma, mb)
            v = out.get(m, 0) + ca * cb
            if v:
                out[m] = v
            else:
                out.pop(m, None)
    return out if len(out) <= MAX_TERMS else None


_MISS = object()


def from_node(node: Node, atoms: Atoms, memo: dict | None = None) -> Poly | None:
    """``node`` as a polynomial in atoms (expanded), or None past the bounds.
    With ``memo`` (node -> polynomial, for one atom table; the polynomials
    are never changed in place) shared sub-expressions are read once."""
    if memo is None or not node.args:
        return _read(node, atoms, memo)
    p = memo.get(node, _MISS)
    if p is _MISS:
        p = memo[node] = _read(node, atoms, memo)
    return p


def _read(node: Node, atoms: Atoms, memo: dict | None) -> Poly | None:
    op = node.op
    if op == "num":
        v = node.value
        return {_ONE_M: v.numerator if v.denominator == 1 else v} if v.numerator else {}
    if op == "add":
        out: Poly = {}
        for t in node.args:
            p = from_node(t, atoms, memo)
            if p is None:
                return None
            out = padd(out, p)
            if len(out) > MAX_TERMS:
                return None
        return out
    if op == "mul":
        acc: Poly | None = {_ONE_M: 1}
        for f in node.args:
            p = from_node(f, atoms, memo)
            if p is None:
                return None
            acc = pmul(acc, p)
            if acc is None:
                return None
        return acc
    if op == "pow":
        b, e = node.args
        # (integer comparisons: Fraction's are slow Python)
        if e.op == "num" and e.value.denominator == 1 and 0 < e.value.numerator <= MAX_SUM_POWER \
                and b.op in ("add", "mul"):
            base = from_node(b, atoms, memo)
            if base is None:
                return None
            acc = {_ONE_M: 1}
            for _ in range(e.value.numerator):
                acc = pmul(acc, base)
                if acc is None:
                    return None
            return acc
        if e.op == "num" and e.value.denominator == 1 and e.value.numerator > 0:
            if e.value.numerator > MAX_DEGREE:
                return {((atoms.of(node), 1),): 1}
            return {((atoms.of(b), e.value.numerator),): 1}
    return {((atoms.of(node), 1),): 1}


def to_node(p: Poly, atoms: Atoms) -> Node:
    terms = []
    for m, c in p.items():
        fs = [power(atoms.nodes[i], num(e)) for i, e in m]
        terms.append(mul(num(c), *fs))
    return add(*terms) if terms else num(0)


def _lead(p: Poly) -> tuple:
    """The leading monomial in graded lex order (degree, then exponents)."""
    return max(p, key=lambda m: (sum(e for _, e in m), [(-i, e) for i, e in m]))


def _divides(a: tuple, b: tuple) -> tuple | None:
    """``b / a`` when the monomial a divides b."""
    d = dict(b)
    for i, e in a:
        if d.get(i, 0) < e:
            return None
        d[i] -= e
        if not d[i]:
            del d[i]
    return tuple(sorted(d.items()))


def _quotient(a, b):
    """``a / b`` exactly, as an int when it is one (Fraction arithmetic is
    pure Python and dominated this module's cost)."""
    if type(a) is int and type(b) is int and a % b == 0:
        return a // b
    q = Fraction(a) / b
    return q.numerator if q.denominator == 1 else q


def divide(n: Poly, d: Poly) -> Poly | None:
    """``n / d`` when ``d`` divides ``n`` exactly, else None (multivariate
    division by one polynomial in graded lex order: a zero remainder is
    exact division; a non-zero one is reported as not dividing)."""
    if not d:
        return None
    lm = _lead(d)
    lc = d[lm]
    q: Poly = {}
    r = dict(n)
    for _ in range(4 * MAX_TERMS):
        if not r:
            return q
        m = _lead(r)
        t = _divides(lm, m)
        if t is None:
            return None
        c = _quotient(r[m], lc)
        q[t] = q.get(t, 0) + c
        step = pmul({t: c}, d)
        if step is None:
            return None
        r = padd(r, step, -1)
        if len(r) > 4 * MAX_TERMS:
            return None
    return None
