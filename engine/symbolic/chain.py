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

The same pass records, per node, which rule fired, with which partials:
:mod:`chainlens.engine.symbolic.steps` turns that trace into the derivation people
read, so the steps and the result cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from chainlens.engine.core import limits
from chainlens.engine.core.ir import (
    ONE,
    ZERO,
    Node,
    add,
    count_nodes,
    free_symbols,
    mul,
    postorder,
    substitute,
    sym,
)
from chainlens.engine.core.source import ChainError, LimitError
from chainlens.engine.symbolic.partials import partial as _partial
from chainlens.engine.symbolic.partials import product

__all__ = [
    "Derivative",
    "Gradient",
    "Jacobian",
    "Hessian",
    "Adjoint",
    "Backprop",
    "diff",
    "gradient",
    "jacobian",
    "hessian",
    "backprop",
    "derive",
]


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
                trace[node] = Trace(node, (0,), (p,))
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
            trace[node] = Trace(node, dep, partials)
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
_ORDERS: dict[Node, _Walk] = {}


def _dependents(root: Node, var: Node) -> list[Node]:
    """The nodes of ``root`` that depend on ``var``, children first (the
    whole postorder the first time a root is seen: one diff needs no index)."""
    walk = _ORDERS.get(root)
    if walk is None:
        walk = _ORDERS[root] = _Walk(postorder(root))
        if len(_ORDERS) > 32:
            limits.trim_oldest(_ORDERS, 32)
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


# --------------------------------------------------------------------------
# Inputs: strings, nodes, programs
# --------------------------------------------------------------------------


def _as_node(expr) -> tuple[Node, tuple[str, ...]]:
    """``(node, declared wrt)`` for a string, node or program."""
    from chainlens.engine.language.program import Program

    if isinstance(expr, Node):
        return expr, ()
    if isinstance(expr, str):
        from chainlens.engine.language.reader import parse

        expr = parse(expr)
    if isinstance(expr, Program):
        if len(expr.outputs) != 1:
            raise ChainError(
                f"the program has {len(expr.outputs)} outputs "
                f"({', '.join(expr.outputs) or 'none'}); differentiate one of them",
                hint="add an `@output NAME` line, or use jacobian() for several outputs")
        return expr.expr, tuple(expr.wrt)
    raise TypeError(f"cannot differentiate a {type(expr).__name__}")


def _wrt_list(wrt, node: Node, declared: tuple[str, ...]) -> tuple[str, ...]:
    if wrt is None:
        return declared or free_symbols(node)
    if isinstance(wrt, Node):
        return (wrt.value,)
    if isinstance(wrt, str):
        return tuple(w.strip() for w in wrt.split(",") if w.strip())
    return tuple(w.value if isinstance(w, Node) else str(w) for w in wrt)


def _one_wrt(wrt, node: Node, declared: tuple[str, ...]) -> str:
    names = _wrt_list(wrt, node, declared)
    if len(names) == 1:
        return names[0]
    if not names:
        raise ChainError("the expression has no variables to differentiate by",
                         hint="name one, e.g. wrt='x'")
    raise ChainError(f"which variable? the expression has {', '.join(names)}",
                     hint=f"name one, e.g. wrt='{names[0]}', or use gradient()")


# --------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------


def _render(node: Node, fmt: str) -> str:
    from chainlens.engine import printing

    return printing.render(node, fmt)


def _matrix(rows: tuple[tuple[Node, ...], ...], fmt: str, vector: bool = False) -> str:
    """A vector (one row) or matrix of nodes in one notation."""
    cells = [[_render(n, fmt) for n in row] for row in rows]
    if fmt == "latex":
        body = " \\\\ ".join(" & ".join(row) for row in cells)
        return "\\begin{pmatrix} " + body + " \\end{pmatrix}"
    if vector:
        return "[" + ", ".join(cells[0]) + "]"
    return "[" + ", ".join("[" + ", ".join(row) + "]" for row in cells) + "]"


class _Printed:
    """``.text .unicode .latex .python`` of a result's ``_rows()``."""

    _vector = False

    def _rows(self) -> tuple[tuple[Node, ...], ...]:
        raise NotImplementedError

    @property
    def text(self) -> str:
        return _matrix(self._rows(), "text", self._vector)

    @property
    def unicode(self) -> str:
        return _matrix(self._rows(), "unicode", self._vector)

    @property
    def latex(self) -> str:
        return _matrix(self._rows(), "latex", self._vector)

    @property
    def python(self) -> str:
        return _matrix(self._rows(), "python", self._vector)


@dataclass(frozen=True)
class Derivative:
    """d^order expr / d wrt^order, simplified, with its derivation and the
    conditions under which it holds."""

    expr: Node
    wrt: str
    order: int
    result: Node
    unsimplified: Node
    simplified_by: tuple[str, ...] = ()
    _passes: tuple = field(default=(), repr=False, compare=False)
    _assumptions: tuple = field(default=(), repr=False)

    @cached_property
    def conditions(self) -> tuple:
        """Where the result holds: the expression's domain and points of
        non-differentiability, then the simplifications' assumptions.
        Collected on first read: most callers (a gradient's components, a
        benchmark, a batch job without conditions) never ask."""
        from chainlens.engine.symbolic.conditions import conditions_of, dedupe

        return dedupe(conditions_of(self.expr) + self._assumptions)

    @property
    def text(self) -> str:
        return _render(self.result, "text")

    @property
    def unicode(self) -> str:
        return _render(self.result, "unicode")

    @property
    def latex(self) -> str:
        return _render(self.result, "latex")

    @property
    def python(self) -> str:
        return _render(self.result, "python")

    @cached_property
    def steps(self) -> tuple:
        """The derivation, outside-in; the last step's result is ``result``."""
        from chainlens.engine.symbolic.steps import build_steps

        out: list = []
        for expr, raw, fwd, simplified, rewrites in self._passes:
            out.extend(build_steps(expr, self.wrt, raw, fwd, simplified, rewrites))
        return tuple(out)

    def to_dict(self, *, steps: bool = True) -> dict:
        from chainlens.engine.symbolic.steps import step_to_dict

        out = {
            "expr": _render(self.expr, "text"),
            "wrt": self.wrt,
            "order": self.order,
            "result": {fmt: _render(self.result, fmt)
                       for fmt in ("text", "unicode", "latex", "python")},
            "conditions": [c.to_dict() for c in self.conditions],
            "simplified_by": list(self.simplified_by),
        }
        if steps:
            out["steps"] = [step_to_dict(s) for s in self.steps]
        return out


def diff(expr, wrt=None, *, order: int = 1, simplify: bool = True) -> Derivative:
    """d^order ``expr`` / d ``wrt``^order.

    ``expr`` is text (any notation the parser reads), a node or a program
    (its output, expanded in the inputs).  ``wrt`` defaults to the only
    variable.  The result is simplified to textbook form unless
    ``simplify=False``."""
    node, declared = _as_node(expr)
    var = _one_wrt(wrt, node, declared)
    return _diff_node(node, var, order, simplify)


#: The most recent derivatives (an editor asks for the same hover again and
#: again).  Bounded: results hold their expressions alive.
_RECENT: dict = {}
_RECENT_SIZE = 256


def _diff_node(node: Node, var: str, order: int = 1, simplify: bool = True) -> Derivative:
    key = (node, var, order, simplify)
    hit = _RECENT.get(key)
    if hit is not None:
        return hit
    out = _compute(node, var, order, simplify)
    _RECENT[key] = out
    if len(_RECENT) > _RECENT_SIZE:
        limits.trim_oldest(_RECENT, _RECENT_SIZE)
    return out


def _compute(node: Node, var: str, order: int, simplify: bool) -> Derivative:
    from chainlens.engine.symbolic.simplify import simplify_traced

    if not isinstance(order, int) or order < 1:
        raise ChainError(f"the order of a derivative is a positive integer, not {order!r}")
    if order > limits.MAX_ORDER:
        raise LimitError(f"derivatives of order {order} are beyond the limit of "
                         f"{limits.MAX_ORDER}")
    passes = []
    current = node
    rewrites: list[str] = []
    assumptions: list = []
    raw = current
    for k in range(1, order + 1):
        raw, fwd = derive(current, var)
        _check_size(raw, k, order)
        if simplify:
            s = simplify_traced(raw)
            out, fired = s.node, s.rewrites
            assumptions.extend(s.assumptions)
            rewrites.extend(r for r in fired if r not in rewrites)
        else:
            out, fired = raw, ()
        passes.append((current, raw, fwd, out, fired))
        current = out
    return Derivative(node, var, order, current, raw, tuple(rewrites), tuple(passes),
                      tuple(assumptions))


def _check_size(node: Node, k: int, order: int) -> None:
    size = count_nodes(node)
    if size > limits.MAX_DERIVATIVE_NODES:
        what = "the derivative" if order == 1 else f"derivative {k} of {order}"
        raise LimitError(f"{what} has {size:,} distinct nodes, beyond the limit of "
                         f"{limits.MAX_DERIVATIVE_NODES:,}",
                         hint="ask for a lower order, or evaluate it numerically "
                              "(chainlens grad)")


# --------------------------------------------------------------------------
# Gradients, Jacobians, Hessians
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Gradient(_Printed):
    """∂expr/∂v for each variable v, in ``wrt`` order (printed as a row)."""

    expr: Node
    wrt: tuple[str, ...]
    components: tuple[Derivative, ...]

    _vector = True

    def _rows(self):
        return (self.results,)

    def __getitem__(self, name: str) -> Derivative:
        return self.components[self.wrt.index(name)]

    @property
    def results(self) -> tuple[Node, ...]:
        return tuple(c.result for c in self.components)

    def to_dict(self, *, steps: bool = False) -> dict:
        return {"expr": _render(self.expr, "text"), "wrt": list(self.wrt),
                "components": [c.to_dict(steps=steps) for c in self.components]}


def gradient(expr, wrt=None, *, simplify: bool = True) -> Gradient:
    """The gradient over ``wrt`` (default: every variable, sorted)."""
    node, declared = _as_node(expr)
    names = _wrt_list(wrt, node, declared)
    return Gradient(node, names, tuple(_diff_node(node, v, 1, simplify) for v in names))


@dataclass(frozen=True)
class Jacobian(_Printed):
    """``matrix[i][j] = ∂outputs[i]/∂wrt[j]``."""

    outputs: tuple[Node, ...]
    wrt: tuple[str, ...]
    rows: tuple[Gradient, ...]

    def _rows(self):
        return self.matrix

    @property
    def matrix(self) -> tuple[tuple[Node, ...], ...]:
        return tuple(r.results for r in self.rows)

    def to_dict(self) -> dict:
        return {"outputs": [_render(o, "text") for o in self.outputs], "wrt": list(self.wrt),
                "matrix": [[_render(n, "text") for n in row] for row in self.matrix]}


def jacobian(exprs, wrt=None, *, simplify: bool = True) -> Jacobian:
    """The Jacobian of several outputs: a sequence of expressions, or a
    program (each of its outputs, expanded)."""
    from chainlens.engine.language.program import Program

    if isinstance(exprs, str):
        from chainlens.engine.language.reader import parse

        exprs = parse(exprs)
    declared: tuple[str, ...] = ()
    if isinstance(exprs, Program):
        declared = tuple(exprs.wrt)
        nodes = tuple(exprs.expanded(o) for o in exprs.outputs)
    else:
        nodes = tuple(_as_node(e)[0] for e in exprs)
    if wrt is None:
        names = declared or free_symbols(nodes)
    else:
        names = _wrt_list(wrt, nodes[0] if nodes else ZERO, declared)
    rows = tuple(Gradient(n, names, tuple(_diff_node(n, v, 1, simplify) for v in names))
                 for n in nodes)
    return Jacobian(nodes, names, rows)


@dataclass(frozen=True)
class Hessian(_Printed):
    """``matrix[i][j] = ∂²expr/∂wrt[i]∂wrt[j]`` (differentiated by ``wrt[i]``
    first)."""

    expr: Node
    wrt: tuple[str, ...]
    matrix: tuple[tuple[Node, ...], ...]

    def _rows(self):
        return self.matrix

    def to_dict(self) -> dict:
        return {"expr": _render(self.expr, "text"), "wrt": list(self.wrt),
                "matrix": [[_render(n, "text") for n in row] for row in self.matrix]}


def hessian(expr, wrt=None, *, simplify: bool = True) -> Hessian:
    node, declared = _as_node(expr)
    names = _wrt_list(wrt, node, declared)
    first = [_diff_node(node, v, 1, simplify).result for v in names]
    matrix = tuple(tuple(_diff_node(g, v, 1, simplify).result for v in names) for g in first)
    return Hessian(node, names, matrix)


# --------------------------------------------------------------------------
# Backprop through a program's names
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Adjoint:
    """∂output/∂name, written through the program's names (``through``:
    ``2*(a - y)*sigmoid(z)*(1 - sigmoid(z))*x``) and in the inputs
    (``expanded``).  ``terms`` are the paths' contributions: for each
    consumer ``c`` of ``name``, ``(c, ∂c/∂name)``; the adjoint is
    ``sum(adjoint(c) * local)``."""

    name: str
    through: Node
    expanded: Node
    terms: tuple[tuple[str, Node], ...]

    def to_dict(self) -> dict:
        return {"name": self.name, "through": _render(self.through, "text"),
                "expanded": _render(self.expanded, "text"),
                "terms": [{"via": c, "local": _render(n, "text")} for c, n in self.terms]}


@dataclass(frozen=True)
class Backprop:
    """Reverse-mode adjoints of one output, from the output back to the
    inputs (the order backprop visits them)."""

    output: str
    adjoints: tuple[Adjoint, ...]
    wrt: tuple[str, ...]

    def __getitem__(self, name: str) -> Adjoint:
        for a in self.adjoints:
            if a.name == name:
                return a
        raise KeyError(name)

    def to_dict(self) -> dict:
        return {"output": self.output, "wrt": list(self.wrt),
                "adjoints": [a.to_dict() for a in self.adjoints]}


def backprop(program, output: str | None = None, wrt: Sequence[str] | str | None = None,
             *, simplify: bool = True) -> Backprop:
    """Reverse accumulation through the assignments: each name's adjoint is
    the sum over its consumers of (consumer's adjoint) x (local partial),
    each local partial from :func:`diff` of one assignment."""
    from chainlens.engine.language.program import Program
    from chainlens.engine.symbolic.simplify import simplify as _simplify

    if isinstance(program, str):
        from chainlens.engine.language.reader import parse

        program = parse(program)
    if not isinstance(program, Program):
        raise TypeError("backprop() takes a program")
    if output is None:
        if len(program.outputs) != 1:
            raise ChainError(f"the program has {len(program.outputs)} outputs; name one",
                             hint="backprop(program, output='L')")
        output = program.outputs[0]
    names = program.names
    if output not in names:
        try:
            output = program.latest(output)
        except KeyError:
            raise ChainError(f"{output!r} is not assigned in the program") from None
    tidy = _simplify if simplify else (lambda n: n)
    upto = names.index(output)
    pending: dict[str, list[tuple[str, Node]]] = {}
    adj: dict[str, Node] = {output: ONE}
    order: list[Adjoint] = []
    inlined = {sym(n): program.expanded(n) for n in names}

    def finish(name: str, terms: list[tuple[str, Node]]) -> Adjoint:
        total = tidy(add(*(mul(adj[c], local) for c, local in terms))) if terms else ONE
        adj[name] = total
        return Adjoint(name, total, tidy(substitute(total, inlined)), tuple(terms))

    for a in reversed(program.assignments[: upto + 1]):
        if a.name == output:
            order.append(Adjoint(output, ONE, ONE, ()))
        elif a.name in pending:
            order.append(finish(a.name, pending.pop(a.name)))
        else:
            continue  # does not reach the output
        for s in free_symbols(a.expr):
            local = tidy(materialize(_Forward(sym(s)).run(a.expr)))
            if local is not ZERO:
                pending.setdefault(s, []).append((a.name, local))
    for name in sorted(pending):
        order.append(finish(name, pending[name]))
    inputs = tuple(sorted(n for n in pending))
    if wrt is not None:
        chosen = set(_wrt_list(wrt, ZERO, ()))
        inputs = tuple(n for n in inputs if n in chosen)
    elif program.wrt:
        inputs = tuple(n for n in inputs if n in program.wrt)
    return Backprop(output, tuple(order), inputs)


