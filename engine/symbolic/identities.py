"""Textbook identities the simplifier applies before it cancels.

Two families, each a small table so every identity is one line:

* inverse compositions, ``sin(asin u) = u``, ``cos(asin u) = √(1 − u²)``,
  ``sin(atan u) = u/√(1 + u²)``...  They hold on the whole domain of the
  inner function (asin needs |u| ≤ 1, which the derivative's conditions
  already state), so no new assumption is needed.  ``atan(tan u) = u`` holds
  only near 0 and is NOT rewritten; its derivative still becomes 1 through
  ``1 + tan² = sec²``.
* Pythagorean and hyperbolic pairs in a sum: ``c·R − c·R·sin²u = c·R·cos²u``,
  ``c·R + c·R·tan²u = c·R·sec²u``, ``c·R·cosh²u − c·R = c·R·sinh²u``...
  for any common cofactor ``c·R`` (``1 − cos²x`` in a denominator becomes
  ``sin²x`` and then cancels).
"""

from __future__ import annotations

from fractions import Fraction

from chainlens.engine.core.ir import add, mul, power, sqrt, sub
from chainlens.engine.core.nodes import ONE, Node, num, raw

__all__ = ["compose", "pythagoras", "square_of"]

_TWO = num(2)


def _s1m(u: Node) -> Node:
    return sqrt(sub(ONE, power(u, _TWO)))


def _s1p(u: Node) -> Node:
    return sqrt(add(ONE, power(u, _TWO)))


#: (outer, inner) -> the composition as a function of the inner argument.
INVERSES = {
    ("sin", "asin"): lambda u: u,
    ("cos", "acos"): lambda u: u,
    ("tan", "atan"): lambda u: u,
    ("sinh", "asinh"): lambda u: u,
    ("cosh", "acosh"): lambda u: u,
    ("tanh", "atanh"): lambda u: u,
    ("cos", "asin"): _s1m,
    ("sin", "acos"): _s1m,
    ("tan", "asin"): lambda u: mul(u, power(_s1m(u), num(-1))),
    ("tan", "acos"): lambda u: mul(_s1m(u), power(u, num(-1))),
    ("sin", "atan"): lambda u: mul(u, power(_s1p(u), num(-1))),
    ("cos", "atan"): lambda u: power(_s1p(u), num(-1)),
    ("sec", "atan"): _s1p,
    ("cosh", "asinh"): _s1p,
}

#: f(u)² -> (g, which coefficient survives): ``bare + r·bare·f² = bare·g²``
#: when r is the ratio below ("bare": 1 − sin² = cos²), or
#: ``f²·c − c = c·g²`` ("square": sec² − 1 = tan²).
PAIRS = {
    ("sin", -1): ("cos", "bare"), ("cos", -1): ("sin", "bare"),
    ("tanh", -1): ("sech", "bare"), ("tan", 1): ("sec", "bare"),
    ("cot", 1): ("csc", "bare"), ("sinh", 1): ("cosh", "bare"),
    ("sec", -1): ("tan", "square"), ("csc", -1): ("cot", "square"),
    ("cosh", -1): ("sinh", "square"),
}
_SQUARED = frozenset(f for f, _ in PAIRS)


def compose(node: Node) -> Node | None:
    """The inverse composition ``node`` stands for, or None."""
    if len(node.args) != 1 or len(node.args[0].args) != 1:
        return None
    inner = node.args[0]
    rule = INVERSES.get((node.op, inner.op))
    return None if rule is None else rule(inner.args[0])


def square_of(f: Node) -> bool:
    return f.op == "pow" and f.args[1] is _TWO and f.args[0].op in _SQUARED \
        and len(f.args[0].args) == 1


def _split(term: Node) -> tuple[Fraction, tuple[Node, ...]]:
    if term.op == "num":
        return term.value, ()
    fs = term.args if term.op == "mul" else (term,)
    if fs[0].op == "num":
        return fs[0].value, fs[1:]
    return _ONE_Q, fs


_ONE_Q = Fraction(1)


def pythagoras(node: Node) -> tuple[Node, str] | None:
    """One Pythagorean/hyperbolic pair of ``node``'s terms merged, with the
    identity's name, or None."""
    terms = node.args
    if not _has_square(terms):
        return None  # no f(u)² among the factors: no pair to merge
    index: dict[tuple[Node, ...], list[int]] = {}
    split = [_split(t) for t in terms]
    for k, (_, fs) in enumerate(split):
        index.setdefault(fs, []).append(k)
    for k, (c, fs) in enumerate(split):
        for j, f in enumerate(fs):
            if not square_of(f):
                continue
            rest = fs[:j] + fs[j + 1:]
            for i in index.get(rest, ()):
                if i == k:
                    continue
                bare = split[i][0]
                hit = PAIRS.get((f.args[0].op, int(c / bare) if c / bare in (1, -1) else 0))
                if hit is None:
                    continue
                g, keep = hit
                coeff = bare if keep == "bare" else c
                merged = mul(num(coeff), *rest, power(raw(g, *f.args[0].args), _TWO))
                left = [t for m, t in enumerate(terms) if m not in (i, k)]
                name = f"{_name(f.args[0].op, c / bare)} = {g}²"
                return add(*left, merged), name
    return None


def _has_square(terms: tuple[Node, ...]) -> bool:
    """Whether some term has a factor :func:`square_of` accepts."""
    for t in terms:
        if t.op == "mul":
            for f in t.args:
                if f.op == "pow" and square_of(f):
                    return True
        elif t.op == "pow" and square_of(t):
            return True
    return False


def _name(f: str, r: Fraction) -> str:
    if r > 0:
        return f"1 + {f}²"
    return f"{f}² − 1" if f in ("sec", "csc", "cosh") else f"1 − {f}²"
