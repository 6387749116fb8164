"""Interval arithmetic over the program's DAG: the values a node can take.

The static gradient bounds (:mod:`.bounds`) need, for each local
derivative, the values its argument can take.  Those come from the declared
(or assumed) input ranges, pushed bottom-up through every node: sums and
products by the usual interval rules (with ``0 * inf = 0``: a factor that
is exactly zero wins), powers by their exponent's kind, and every primitive
from its rules-table entry's :class:`~chainlens.engine.rules.types.Interval`
(monotone pieces between turns, poles, image, domain), so no function is
described here.  Sums over tensor elements (``@``, ``sum``, ``logsumexp``)
scale the interval by the number of terms.  Intervals are sound, not tight:
every value the node takes lies inside.  ``api.domains`` reads the same
intervals to judge a derivative's conditions over the declared ranges.
"""

from __future__ import annotations

import math

import numpy as np
from chainlens.engine.core.nodes import Node, num, sym
from chainlens.engine.core.walk import postorder
from chainlens.engine.language.program import Program
from chainlens.engine.numeric.shapes import size
from chainlens.engine.rules import RULES

__all__ = ["Interval", "FULL", "magnitude", "hull", "times", "iv_add", "iv_mul", "iv_pow",
           "iv_call", "interval_of", "forward_intervals"]

Interval = tuple[float, float]
FULL: Interval = (-math.inf, math.inf)


def magnitude(iv: Interval) -> float:
    """sup |x| over the interval."""
    return max(abs(iv[0]), abs(iv[1]))


def hull(values) -> Interval:
    arr = np.asarray(values, dtype=np.float64)
    if arr.size == 0 or np.isnan(arr).any():
        return FULL
    return float(arr.min()), float(arr.max())


def times(a: float, b: float) -> float:
    """``a * b`` where 0 * inf is 0: in interval products a factor that is
    exactly zero wins."""
    if a == 0.0 or b == 0.0:
        return 0.0
    return a * b


def iv_add(ivs: list[Interval]) -> Interval:
    lo = sum(i[0] for i in ivs) if all(i[0] > -math.inf for i in ivs) else -math.inf
    hi = sum(i[1] for i in ivs) if all(i[1] < math.inf for i in ivs) else math.inf
    return lo, hi


def iv_mul(ivs: list[Interval]) -> Interval:
    out: Interval = (1.0, 1.0)
    for a in ivs:
        cands = [times(p, q) for p in out for q in a]
        out = (min(cands), max(cands))
    return out


def _reciprocal(iv: Interval) -> Interval:
    lo, hi = iv
    if lo > 0 or hi < 0:
        return hull([1.0 / lo if lo else -math.inf, 1.0 / hi if hi else math.inf])
    if lo == 0 and hi > 0:
        return 1.0 / hi, math.inf
    if hi == 0 and lo < 0:
        return -math.inf, 1.0 / lo
    return FULL


def _float(q) -> float:
    """``float(q)`` saturating to ±inf: the IR's exact constants can exceed
    float64 (``10^400`` is one Fraction), where ``float()`` raises."""
    try:
        return float(q)
    except OverflowError:
        return math.inf if q > 0 else -math.inf


def iv_pow(base: Interval, exp: Interval, exp_node: Node) -> Interval:
    lo, hi = base
    if exp_node.op == "num":
        e = exp_node.value
        if e.denominator == 1:
            n = int(e)
            if n < 0:
                return _reciprocal(iv_pow(base, (_float(-n),) * 2, num(-n)))
            # numpy's power saturates to ±inf where Python's float ** int
            # raises; a float exponent keeps the sign of odd powers (C pow)
            with np.errstate(all="ignore"):
                ends = [float(np.power(np.float64(end), _float(n))) for end in (lo, hi)]
            if n % 2 == 0 and lo < 0 < hi:
                ends.append(0.0)
            return hull(ends)
        # fractional powers are real only for non-negative bases
        lo = max(lo, 0.0)
        if hi < lo:
            return FULL
        with np.errstate(all="ignore"):
            return hull(np.power([lo, hi], _float(e)))
    if lo > 0:  # u^v = exp(v log u)
        with np.errstate(all="ignore"):
            logs = (math.log(lo), math.log(hi) if hi < math.inf else math.inf)
            return hull(np.exp(iv_mul([logs, exp])))
    return FULL


def iv_call(op: str, args: list[Interval]) -> Interval:
    """The image of the argument intervals under a primitive, from its
    table entry's :class:`~chainlens.engine.rules.types.Interval`."""
    rule = RULES.get(op)
    if rule is None:
        return FULL
    how = rule.interval
    if not how.known:
        return how.image or FULL
    if len(args) != 1:  # increasing in every argument (max, min)
        with np.errstate(all="ignore"):
            ends = [float(rule.forward(*(np.float64(a[k]) for a in args))) for k in (0, 1)]
        return hull(ends)
    lo, hi = args[0]
    dlo, dhi = how.domain
    lo, hi = max(lo, dlo), min(hi, dhi)
    if hi < lo:
        return FULL
    whole = how.image or FULL
    if how.period is not None and not (math.isfinite(lo) and math.isfinite(hi)):
        return FULL if how.poles else whole
    if any(_hits(p, how.period, lo, hi) for p in how.poles):
        return whole
    if how.period is not None and hi - lo >= 2 * how.period:
        return whole  # a whole period: both extrema inside
    cands = [lo, hi] + [t for p in how.turns for t in _points(p, how.period, lo, hi)]
    with np.errstate(all="ignore"):
        values = np.asarray(rule.forward(np.asarray(cands, dtype=np.float64)), dtype=np.float64)
    if np.isnan(values).any():
        return whole
    return hull(values)


def _points(p: float, period: float | None, lo: float, hi: float) -> list[float]:
    """``p`` (and its repeats by ``period``) inside [lo, hi]."""
    if period is None:
        return [p] if lo <= p <= hi else []
    ks = range(math.ceil((lo - p) / period), math.floor((hi - p) / period) + 1)
    return [p + k * period for k in ks]


def _hits(p: float, period: float | None, lo: float, hi: float) -> bool:
    if period is None:
        return lo <= p <= hi
    return math.floor((hi - p) / period) >= math.ceil((lo - p) / period)


def _tensor_interval(node: Node, args: list[Interval], shapes: dict[Node, tuple]) -> Interval:
    """Sums over elements scale the interval by how many terms they add."""
    op = node.op
    known = all(a in shapes for a in node.args)
    if op == "matmul" and known:
        n = shapes[node.args[0]][-1] if shapes[node.args[0]] else 1
        lo, hi = iv_mul(args)
        return times(n, lo), times(n, hi)
    if op == "sum" and known:
        n = size(shapes[node.args[0]])
        return times(n, args[0][0]), times(n, args[0][1])
    if op == "logsumexp" and known:
        return args[0][0], args[0][1] + math.log(size(shapes[node.args[0]]))
    return iv_call(op, args)


def interval_of(expr: Node, iv: dict[Node, Interval],
                shapes: dict[Node, tuple] | None = None) -> Interval:
    """The interval of ``expr``; ``iv`` holds the symbols' intervals and is
    extended with every node evaluated (it doubles as the cache).  Tensor
    reductions need ``shapes`` (per-point shapes of nodes)."""
    for node in postorder(expr):
        if node in iv:
            continue
        op = node.op
        if op == "num":
            v = _float(node.value)
            out = (v, v)
        elif op == "pi":
            out = (math.pi, math.pi)
        elif op == "sym":
            out = FULL
        else:
            args = [iv[a] for a in node.args]
            if op == "add":
                out = iv_add(args)
            elif op == "mul":
                out = iv_mul(args)
            elif op == "pow":
                out = iv_pow(args[0], args[1], node.args[1])
            elif shapes is not None and op in ("matmul", "sum", "logsumexp"):
                out = _tensor_interval(node, args, shapes)
            else:
                out = iv_call(op, args)
        iv[node] = out
    return iv[expr]


def forward_intervals(program: Program, ranges: dict[str, Interval],
                      shapes: dict[Node, tuple] | None = None) -> dict[Node, Interval]:
    """Intervals of every node of every assignment (and of each name, under
    its symbol), from the input ranges."""
    iv: dict[Node, Interval] = {sym(name): r for name, r in ranges.items()}
    for a in program.assignments:
        iv[sym(a.name)] = interval_of(a.expr, iv, shapes)
    return iv
