"""Symbolic differentiation: the chain rule, written once, over the DAG.

Every derivative in chainlens comes out of :func:`_Forward.run`, which walks
the expression DAG children-first and applies the multivariate chain rule

    d f(a_1, .., a_n) = sum_i  (df/da_i)(a_1, .., a_n) * d a_i

at each node, reading the partials ``df/da_i`` from the rules table.  The
sum rule (``add``: every partial is 1), the product rule (``mul``: the
partial is the product of the other factors), the power, exponential and
logarithmic-differentiation rules (``pow``'s two partials) and the chain
rule proper (``sin(u)``: the partial is ``cos(u)``) are all this one line.

Each node is differentiated once (memoised by identity: nodes are
interned), so shared sub-expressions stay shared and a 50-layer chain has
an O(layers) derivative.  A gradient differentiates one DAG by many
variables: from the second on, only the nodes above the variable are
visited (the others have derivative 0).  The partials come from the rules
table through :mod:`chainlens.engine.symbolic.partials`, which instantiates each
rule's partial as a template where that is exact.  A derivative that is a plain product of a chain
of factors is kept as a lazy linked list (:class:`_Chain`) until it is
needed, so a deep composition costs O(depth), not O(depth^2) in
re-flattened products.

:mod:`chainlens.engine.symbolic.derivatives` builds ``diff``/``gradient``/
``jacobian``/``hessian`` on it, :mod:`chainlens.engine.symbolic.adjoints` the
symbolic ``backprop``; the result types are in :mod:`chainlens.engine.symbolic.results`.

The same pass records, per node, which rule fired, with which partials:
:mod:`chainlens.engine.symbolic.steps` turns that trace into the derivation people
read, so the steps and the result cannot disagree.
"""

from __future__ import annotations

from typing import NamedTuple

from chainlens.engine.core import limits
from chainlens.engine.core.cache import Cache
from chainlens.engine.core.ir import add, mul
from chainlens.engine.core.nodes import ONE, ZERO, Node, sym
from chainlens.engine.core.source import LimitError
from chainlens.engine.core.walk import postorder
from chainlens.engine.symbolic.partials import partial as _partial
from chainlens.engine.symbolic.partials import product

__all__ = ["Trace", "derive", "materialize"]


# --------------------------------------------------------------------------
# The chain rule
# --------------------------------------------------------------------------


class _Chain:
    """A derivative that is ``factors * tail``, kept unflattened.

    Flattening ``f'(u_k) * (f'(u_{k-1}) * ...)`` at every level would build
    a product of k factors at level k: quadratic in the depth.  Linking the
    factors and flattening once, when someone needs the node, is linear."""

    __slots__ = ("factors", "tail", "node")

    def __init__(self, factors: tuple[Node, ...], tail: Node | _Chain):
        self.factors = factors
        self.tail = tail
        self.node: Node | None = None


def materialize(d: Node | _Chain) -> Node:
    """The node a (possibly lazy) derivative stands for."""
    if isinstance(d, Node):
        return d
    if d.node is None:
        factors: list[Node] = []
        cur: Node | _Chain = d
        while isinstance(cur, _Chain):
            if cur.node is not None:
                factors.append(cur.node)
                break
            factors.extend(cur.factors)
            cur = cur.tail
        else:
            factors.append(cur)
        d.node = product(factors)
    return d.node


class Trace(NamedTuple):
    """What the chain rule did at one node: the dependent argument
    positions and the partials it read from the table (evaluated at the
    real arguments)."""

    node: Node
    dep: tuple[int, ...]
    partials: tuple[Node, ...]


#: ``Trace(...)`` without the generated __new__'s Python frame: the same
#: tuple (one per differentiated node).
_trace = tuple.__new__


class _Forward:
    """Forward accumulation of d/d``var`` over a DAG, one visit per node."""

    def __init__(self, var: Node):
        self.var = var
        self.d: dict[Node, Node | _Chain] = {}
        self.trace: dict[Node, Trace] = {}
        # The product rule on a flat product of k dependent factors builds k
        # products of k - 1 factors: quadratic work, bounded so that no
        # request can hold a server's thread for minutes.
        self.work_left = limits.MAX_DIFF_WORK

    def run(self, root: Node) -> Node | _Chain:
        var, d, trace = self.var, self.d, self.trace
        # Only the nodes that depend on the variable are visited; the others
        # have derivative 0 and are left out of ``d`` (read with a default).
        for node in _dependents(root, var):
            if node is var:
                d[node] = ONE
                continue
            args = node.args
            if not args:
                continue
            if len(args) == 1:  # the common case, kept lean
                da = d.get(args[0], ZERO)
                if da is ZERO:
                    d[node] = ZERO
                    continue
                p = _partial(node, 0)
                trace[node] = _trace(Trace, (node, (0,), (p,)))
                d[node] = _times(p, da)
                continue
            dep = tuple([i for i, a in enumerate(args) if d.get(a, ZERO) is not ZERO])
            if not dep:
                d[node] = ZERO
                continue
            self.work_left -= len(dep) * len(args)
            if self.work_left < 0:
                raise LimitError(
                    f"differentiating this needs more than {limits.MAX_DIFF_WORK:,} steps "
                    "of product-rule work (a product of many factors that all depend on "
                    f"{var.value})",
                    hint="ask for a lower order, or evaluate it numerically (chainlens grad)")
            partials = tuple([_partial(node, i) for i in dep])
            trace[node] = _trace(Trace, (node, dep, partials))
            if len(dep) == 1:
                d[node] = _times(partials[0], d[args[dep[0]]])
            else:
                # Each term p·da (the sum rule's p is 1: the term is da itself).
                d[node] = add(*[materialize(d[args[i]]) if p is ONE
                                else mul(p, materialize(d[args[i]]))
                                for p, i in zip(partials, dep, strict=True)])
        return d.get(root, ZERO)


class _Walk:
    """A root's postorder and, once a second variable asks, which nodes
    use which (so each later variable visits only the nodes above it)."""

    __slots__ = ("order", "index", "parents")

    def __init__(self, order: list[Node]):
        self.order = order
        self.index: dict[int, int] | None = None
        self.parents: list[list[int]] | None = None

    def above(self, var: Node) -> list[Node]:
        if self.parents is None:
            # Built in locals and published last: another thread reading a
            # half-built index must not happen.
            index = {id(n): i for i, n in enumerate(self.order)}
            parents: list[list[int]] = [[] for _ in self.order]
            for i, n in enumerate(self.order):
                for a in n.args:
                    parents[index[id(a)]].append(i)
            self.index = index
            self.parents = parents
        start = self.index.get(id(var))
        if start is None:
            return []
        cone, stack = {start}, [start]
        parents = self.parents
        while stack:
            for j in parents[stack.pop()]:
                if j not in cone:
                    cone.add(j)
                    stack.append(j)
        order = self.order
        return [order[i] for i in sorted(cone)]


#: Recent roots' walks: a gradient walks one DAG once per variable.
_ORDERS: Cache = Cache(max_entries=32)


def _dependents(root: Node, var: Node) -> list[Node]:
    """The nodes of ``root`` that depend on ``var``, children first (the
    whole postorder the first time a root is seen: one diff needs no index)."""
    walk = _ORDERS.get(root)
    if walk is None:
        walk = _ORDERS.put(root, _Walk(postorder(root)))
        return walk.order
    return walk.above(var)


def _times(p: Node, d: Node | _Chain) -> Node | _Chain:
    """``p * d`` without flattening ``d``."""
    if p is ZERO or d is ZERO:
        return ZERO
    if p is ONE:
        return d
    if d is ONE:
        return p
    return _Chain(p.args if p.op == "mul" else (p,), d)


def derive(node: Node, var: str) -> tuple[Node, _Forward]:
    """d``node``/d``var`` unsimplified, with the pass that computed it (its
    ``trace`` is what the steps are made of)."""
    fwd = _Forward(sym(var))
    return materialize(fwd.run(node)), fwd
