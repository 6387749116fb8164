"""Static gradient bounds: intervals up the program, derivative bounds down it.

Before anything runs, gradient health asks how large |∂L/∂v| *can* be for
each input ``v``.  The chain rule makes ∂L/∂v a sum over the v -> L paths of
the product of local derivatives along each path (the seed article's graph
theorem), so

    |∂L/∂v| ≤ Σ_paths Π_edges sup|∂parent/∂child|

and each supremum is taken over the values the child can take.  Those come
from interval arithmetic over the declared (or assumed) input ranges,
computed bottom-up (:mod:`.intervals`); each local derivative is the rules table's own partial
(``rules.partials``) evaluated in interval arithmetic and capped by the
rule's ``bound`` (sup|f'| over the whole domain), so no derivative formula
is written here.  The sum over paths is accumulated top-down once per DAG
node (reverse mode, with bounds instead of values), in log10 space because
0.25 to the 10,000th power is far below the smallest float.

The same pass keeps, for every vertex, the single path with the largest
product (max-product instead of sum-product): its edges are the "factors
responsible" a finding names, each with its place in the source.

For tensors the bounds are per element: an element that feeds several
outputs (the vector in ``W @ x``, a scalar broadcast over a vector) has its
local bound multiplied by that fan-out (sums over elements scale the
intervals themselves, in :mod:`.intervals`).  A primitive with no known
bound makes its factor *unknown*, and no finding is drawn through it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from chainlens.engine.core.nodes import Node
from chainlens.engine.core.walk import postorder, substitute
from chainlens.engine.health.intervals import Interval, interval_of, iv_mul, magnitude, times
from chainlens.engine.language.program import Program
from chainlens.engine.numeric.shapes import size
from chainlens.engine.rules import PLACEHOLDERS, RULES

__all__ = ["Local", "local_bound", "log_add", "log_mul", "Edge", "PathBound", "fanout",
           "backward_bounds"]

NEG_INF = -math.inf


# ---- local derivative bounds -----------------------------------------------

_FAILS = {
    ">": lambda lo, hi: lo <= 0, ">=": lambda lo, hi: lo < 0,
    "<": lambda lo, hi: hi >= 0, "<=": lambda lo, hi: hi > 0,
    "!=": lambda lo, hi: lo <= 0 <= hi,
}


@dataclass(frozen=True)
class Local:
    """sup |∂parent/∂child| on the intervals: ``log10`` of the bound (NaN
    when unknown), and whether an infinite bound comes from a singular
    point (a pole, a domain edge) inside the child's interval rather than
    from values that overflow."""

    log10: float
    singular: bool = False

    @property
    def value(self) -> float:
        if math.isnan(self.log10):
            return math.nan
        return math.inf if self.log10 > 308 else 10.0 ** self.log10


def _log10(x: float) -> float:
    if math.isnan(x):
        return math.nan
    return math.log10(x) if x > 0 else NEG_INF


def _is_singular(node: Node, iv: dict[Node, Interval]) -> bool:
    rule = RULES[node.op]
    if node.op == "pow":
        base, exp = node.args
        lo, hi = iv[base]
        whole = exp.op == "num" and exp.value.denominator == 1 and exp.value >= 1
        return lo <= 0 <= hi and not whole
    mapping = dict(zip(PLACEHOLDERS, node.args, strict=False))
    for cond in (*rule.domain, *rule.smooth):
        lo, hi = interval_of(substitute(cond.expr, mapping), iv)
        if _FAILS[cond.relation](lo, hi):
            return True
    return False


def local_bound(node: Node, i: int, iv: dict[Node, Interval],
                fanout: float = 1.0) -> Local:
    """Bound on |∂node/∂node.args[i]| over the intervals in ``iv``."""
    op = node.op
    if op == "add":
        return Local(_log10(fanout))
    if op == "mul":
        others = [iv[a] for j, a in enumerate(node.args) if j != i]
        return Local(_log10(times(magnitude(iv_mul(others)), fanout)))
    rule = RULES.get(op)
    if rule is None:
        return Local(math.nan)
    if rule.partial is None:  # tensor primitive: vector-Jacobian product
        if op == "matmul":
            other = iv[node.args[1 - i]]
            return Local(_log10(times(magnitude(other), fanout)))
        if rule.bound is not None:
            return Local(_log10(times(rule.bound, fanout)))
        return Local(math.nan)
    bound = magnitude(interval_of(rule.partial(node.args, i), iv))
    if rule.bound is not None:
        bound = min(bound, rule.bound)
    bound = times(bound, fanout)
    singular = bound == math.inf and _is_singular(node, iv)
    return Local(_log10(bound), singular)


def log_add(a: float, b: float) -> float:
    """log10(10^a + 10^b) without leaving log space."""
    if a == NEG_INF:
        return b
    if b == NEG_INF:
        return a
    if math.isnan(a) or math.isnan(b):
        return math.nan
    if math.inf in (a, b):
        return math.inf
    hi, lo = (a, b) if a >= b else (b, a)
    return hi + math.log10(1.0 + 10.0 ** (lo - hi))


def log_mul(a: float, b: float) -> float:
    if a == NEG_INF or b == NEG_INF:
        return NEG_INF
    return a + b


# ---- the program-wide pass ---------------------------------------------------


@dataclass(frozen=True)
class Edge:
    """One local derivative on a path: ``parent`` (inside assignment
    ``assignment``) with respect to its ``index``-th argument."""

    assignment: str
    parent: Node
    index: int
    local: Local


@dataclass(frozen=True)
class PathBound:
    """|∂output/∂name| bounded: ``log10`` of the sum over paths; the
    dominant path is kept as back-pointers and walked on demand (``path``:
    its edges from ``name`` up to the output).  ``unknown``/``singular``
    say whether that path has an unknown or a singular factor; ``repeat``
    is the first repeat (index into ``Program.repeats``) it enters."""

    name: str
    log10: float
    unknown: bool = False
    singular: bool = False
    repeat: int | None = None
    _back: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def path(self) -> tuple[Edge, ...]:
        return _trace(self.name, self._back)

    @property
    def value(self) -> float:
        if math.isnan(self.log10):
            return math.nan
        if self.log10 > 308:  # beyond float64: 10.0 ** 400 raises OverflowError
            return math.inf
        return 10.0 ** self.log10 if self.log10 > -320 else 0.0


def fanout(node: Node, i: int, shapes: dict[Node, tuple] | None) -> float:
    """How many elements of ``node`` one element of its ``i``-th argument
    feeds: a per-element gradient bound sums over all of them."""
    if shapes is None or node not in shapes:
        return 1.0
    child = node.args[i]
    if node.op == "matmul":
        a, b = (shapes[c] for c in node.args)
        if i == 0:
            return float(b[1]) if len(b) == 2 else 1.0
        return float(a[0]) if len(a) == 2 else 1.0
    if RULES.get(node.op) is not None and RULES[node.op].kind == "tensor":
        return 1.0
    return size(shapes[node]) / size(shapes.get(child, ()))


def backward_bounds(program: Program, output: str, iv: dict[Node, Interval],
                    shapes: dict[Node, tuple] | None = None) -> dict[str, PathBound]:
    """For every name (input or assignment) that ``output`` depends on, the
    bound on |∂output/∂name| (per element, for tensors) and its dominant path."""
    repeat_of = {name: r for r, rep in enumerate(program.repeats)
                 for layer in rep.layers for name in layer}
    total: dict[str, float] = {output: 0.0}
    best: dict[str, float] = {output: 0.0}
    # per vertex of the dominant path: (unknown, singular, repeat); a vertex
    # is a name (str) or (assignment name, node) inside its expression
    flags: dict[object, tuple[bool, bool, int | None]] = {output: (False, False, None)}
    back: dict[object, tuple[object, Edge | None]] = {}
    cache: dict[tuple[Node, int], Local] = {}
    stop = program.names.index(output) if output in program.names else -1
    for a in reversed(program.assignments[: stop + 1]):
        if a.name not in total:
            continue
        tot = {a.expr: total[a.name]}
        top = {a.expr: best[a.name]}
        unknown, singular, rep = flags[a.name]
        rep = repeat_of.get(a.name, rep)
        flag = {a.expr: (unknown, singular, rep)}
        back[(a.name, a.expr)] = (a.name, None)
        order = postorder(a.expr)
        variable = _variable_nodes(order)
        for node in reversed(order):
            if node not in tot or not node.args:
                continue
            for i, child in enumerate(node.args):
                if child not in variable:
                    continue
                key = (node, i)
                local = cache.get(key)
                if local is None:
                    local = local_bound(node, i, iv, fanout(node, i, shapes))
                    cache[key] = local
                tot[child] = log_add(tot.get(child, NEG_INF), log_mul(tot[node], local.log10))
                cand = log_mul(top[node], local.log10)
                if child not in top or _better(cand, top[child]):
                    top[child] = cand
                    u, s, r = flag[node]
                    flag[child] = (u or math.isnan(local.log10), s or local.singular, r)
                    back[(a.name, child)] = ((a.name, node), Edge(a.name, node, i, local))
        for node in order:
            if node.op != "sym" or node not in tot:
                continue
            name = node.value
            total[name] = log_add(total.get(name, NEG_INF), tot[node])
            if name not in best or _better(top[node], best[name]):
                best[name] = top[node]
                flags[name] = flag[node]
                back[name] = ((a.name, node), None)
    return {name: PathBound(name, total[name], *flags[name], back)
            for name in total if name != output}


def _better(cand: float, current: float) -> bool:
    if math.isnan(current):
        return not math.isnan(cand)
    return cand > current


def _variable_nodes(order: list[Node]) -> set[Node]:
    """Nodes that depend on some symbol (constants have no derivative)."""
    out: set[Node] = set()
    for node in order:
        if node.op == "sym" or any(a in out for a in node.args):
            out.add(node)
    return out


def _trace(name: str, back: dict) -> tuple[Edge, ...]:
    edges: list[Edge] = []
    vertex: object = name
    while vertex in back:
        vertex, edge = back[vertex]
        if edge is not None:
            edges.append(edge)
    return tuple(edges)
