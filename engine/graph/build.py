"""The computational graph of a program at a point, as data.

The graph is the one the numeric kernels run (:func:`chainlens.engine.numeric.tape.lower`'s
tape): inputs, primitives, the output; constants are folded into the label
of the operation that uses them (``^2``, ``× −1``), as one writes them.
At a point, each node carries its value and ∂L/∂node, each edge its local
derivative (from the rules table, via the same generated code the backward
pass runs) and, for the inputs in ``wrt``, how much of the derivative flows
through it (the sum of the products of every path through the edge) and
whether it is on the single largest path: the seed article's theorem, that
∂L/∂x is the sum over paths of the products of local derivatives.  The path
arithmetic is :mod:`chainlens.engine.numeric.paths`'s dynamic program, so the
picture and ``chainlens grad --paths`` agree.

:mod:`chainlens.engine.graph.dot` writes this data as DOT text.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from chainlens.engine import rules
from chainlens.engine.core.source import EvaluationError, LimitError
from chainlens.engine.graph.dot import superscript, to_dot
from chainlens.engine.graph.render import render_svg
from chainlens.engine.graph.svg import to_svg
from chainlens.engine.language.program import Program, display_name
from chainlens.engine.numeric.arrays import as_program, name_list
from chainlens.engine.numeric.backends import ancestors
from chainlens.engine.numeric.kernel import compile
from chainlens.engine.numeric.paths import edge_shares, largest_path, path_table, scalar_edges
from chainlens.engine.numeric.results import magnitude
from chainlens.engine.numeric.shapes import show_shape
from chainlens.engine.numeric.tape import Tape, lower
from chainlens.engine.printing import display_symbol, to_unicode

__all__ = ["Graph", "GraphEdge", "GraphNode", "MAX_GRAPH_NODES", "build_graph", "output_label"]

#: A picture with more values than this is unreadable (and slow to lay
#: out); such programs are better seen through ``layer_gradients``.
MAX_GRAPH_NODES = 1500


@dataclass(frozen=True)
class GraphNode:
    key: int  # the tape slot
    kind: str  # "input", "op" or "output"
    op: str  # "input" or the primitive
    name: str | None  # the assignment or input it is, if any
    title: str  # what the node does, constants folded in: "+", "^2", "σ"
    shape: tuple[int, ...]
    value: float | None  # the value (a tensor's norm) at the point
    adjoint: float | None  # ∂L/∂node (a tensor's norm)
    expr: str  # the node as an expression, for unnamed nodes


@dataclass(frozen=True)
class GraphEdge:
    source: int
    target: int
    index: int  # which argument of the target
    derivative: str  # the local derivative ∂target/∂source as a formula
    value: float | None  # ... and its value at the point
    flux: float | None  # sum of the products of every wrt-input path through it
    best: bool  # on the largest-|product| path of some wrt input


@dataclass(frozen=True)
class Graph:
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    output: str
    wrt: tuple[str, ...]
    #: ∂L/∂input at the point, and the number of input→output paths
    gradients: dict[str, float]
    path_counts: dict[str, int]
    at: dict[str, object] | None

    def _repr_svg_(self) -> str:
        """The picture, inline in a notebook (laid out in Python without Graphviz)."""
        return render_svg(to_dot(self)) or to_svg(self)


# --------------------------------------------------------------------------
# Building the graph and its numbers
# --------------------------------------------------------------------------


def build_graph(program: Program | str, at=None, *, output: str | None = None,
                wrt=None, max_nodes: int = MAX_GRAPH_NODES) -> Graph:
    """The computational graph of ``output`` (default: the first output), with
    values, local derivatives and ∂L/∂node at ``at`` (default: the program's
    first ``@at`` point; without any point, the structure alone)."""
    program = as_program(program)
    tape = lower(program, (output,) if output else None, keep_names=False)
    if len(tape.outputs) > 1:
        tape = lower(program, tape.output_names[:1], keep_names=False)
    if not tape.outputs:
        raise EvaluationError("nothing to draw: the program has no output", None,
                              hint="write an expression, or an assignment, to draw")
    out = tape.outputs[0]
    reach = ancestors(tape, [out])
    visible = [k for k, s in enumerate(tape.slots) if reach[k] and s.op != "const"]
    if len(visible) > max_nodes:
        raise LimitError(f"the graph has {len(visible)} values; pictures stop at {max_nodes}",
                         hint="draw the per-layer gradient norms instead (--layers)")
    if at is None and program.points:
        at = program.points[0].as_dict()
    for w in name_list(wrt) or ():
        if w not in tape.inputs:
            raise EvaluationError(f"cannot follow paths from {w!r}: it is not an input", None,
                                  expected=tuple(tape.inputs) or ("an input name",))
    wrt_names = tuple(w for w in (name_list(wrt) or program.wrt or tuple(tape.inputs))
                      if w in tape.inputs and reach[tape.inputs[w]])
    numbers = _Numbers(program, tape, at, out, wrt_names) if at is not None else None
    names = {k: n for n, k in tape.names.items()}
    names.update({k: n for n, k in tape.inputs.items()})  # `a = x` does not rename x
    nodes = tuple(_node(tape, k, out, names, numbers) for k in visible)
    edges = tuple(
        _edge(tape, k, i, numbers)
        for k in visible for i, j in enumerate(tape.slots[k].args)
        if tape.slots[j].op != "const"
    )
    return Graph(
        nodes=nodes,
        edges=edges,
        output=output_label(tape.output_names[0]),
        wrt=wrt_names,
        gradients=numbers.gradients if numbers else {},
        path_counts={w: path_table(tape, tape.inputs[w], out).count[out] for w in wrt_names},
        at=dict(at) if at is not None else None,
    )


def output_label(name: str) -> str:
    # a bare expression's output is an internal "_1": call it f, as people do
    return "f" if name.startswith("_") else display_name(name)


class _Numbers:
    """Values, local derivatives, adjoints and path shares at one point: the
    kernel's trace of the picture's tape, read through the path dynamic
    program of :mod:`chainlens.engine.numeric.paths`."""

    def __init__(self, program: Program, tape: Tape, at, out: int, wrt: tuple[str, ...]):
        missing = [n for n in tape.inputs if n not in at]
        if missing:
            raise EvaluationError(f"no value for {', '.join(missing)} at the point", None,
                                  hint="add them to `@at` (or --at)")
        kernel = compile(program, outputs=tape.output_names[:1], keep_names=False)
        trace = kernel.trace({n: _point_value(program, tape, n, at[n]) for n in tape.inputs})
        self.scalar = trace.edges is not None
        self.values = [_point_value_summary(v) for v in trace.values]
        self.edges = scalar_edges(trace) if self.scalar else {}
        named = {*tape.names.values(), *tape.inputs.values()}
        adj: list[float | None] = []
        for k in range(len(tape.slots)):
            a = trace.adjoints.get(k)
            if self.scalar:
                adj.append(0.0 if a is None else float(first_point(a)))
            else:  # a tensor's norm, shown for its names only
                adj.append(magnitude(first_point(a)) if a is not None and k in named else None)
        adj[out] = 1.0
        self.adjoints = adj
        self.gradients = {w: adj[tape.inputs[w]] for w in wrt} if self.scalar else {}
        self.flux: dict[tuple[int, int], float] = {}
        self.best: set[tuple[int, int]] = set()
        if self.scalar:
            for w in wrt:
                src = tape.inputs[w]
                for edge, share in edge_shares(tape, self.edges, src, out, adj).items():
                    self.flux[edge] = self.flux.get(edge, 0.0) + share
                table = path_table(tape, src, out, self.edges)
                self.best.update(largest_path(table, self.edges, src, out))


def _point_value(program: Program, tape: Tape, name: str, value) -> np.ndarray:
    """``value`` as the array of one point, of the shape ``name`` is declared
    with.  A picture is of one point (not a batch), and the graph's numbers
    are computed slot by slot without the kernel's own checks: a value of
    another shape would broadcast silently into numbers of some other
    program."""
    slot = tape.inputs[name]
    shape = tape.slots[slot].shape
    decl = program.declaration(name)
    span = decl.span if decl is not None else program.span_of(tape.slots[slot].node)
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise EvaluationError(f"the value of {name!r} is not a number or array", span) from None
    if array.shape != shape:
        raise EvaluationError(f"the value of {name!r} has shape {show_shape(array.shape)}; "
                              f"{name} is {show_shape(shape)} (a picture is of one point)",
                              span)
    return array




def _title(tape: Tape, k: int) -> str:
    """What slot ``k`` does, with its constant arguments written in."""
    slot = tape.slots[k]
    consts = [to_unicode(tape.slots[j].node) for j in slot.args if tape.slots[j].op == "const"]
    if slot.op == "pow":
        base, exp = (tape.slots[j] for j in slot.args)
        if exp.op == "const":
            return "√(·)" if exp.exact == Fraction(1, 2) else "(·)" + superscript(consts[-1])
        return f"{consts[0]}^(·)" if base.op == "const" else "^"
    rule = rules.RULES.get(slot.op)
    symbol = rule.notation.glyph if rule else slot.op
    if slot.op in ("add", "mul") and consts:
        return f"{symbol} {consts[0]}"
    return symbol




def _node(tape: Tape, k: int, out: int, names: dict[int, str], numbers) -> GraphNode:
    slot = tape.slots[k]
    kind = "output" if k == out else ("input" if slot.op == "input" else "op")
    name = names.get(k)
    if k == out:
        name = output_label(tape.output_names[0])
    expr = to_unicode(slot.origin, max_chars=40)
    return GraphNode(
        key=k,
        kind=kind,
        op=slot.op,
        name=display_symbol(name, "unicode") if name else None,
        title="" if slot.op == "input" else _title(tape, k),
        shape=slot.shape,
        value=numbers.values[k] if numbers else None,
        adjoint=numbers.adjoints[k] if numbers else None,
        expr=expr,
    )


def _edge(tape: Tape, k: int, i: int, numbers) -> GraphEdge:
    slot = tape.slots[k]
    rule = rules.RULES.get(slot.op)
    derivative = ""
    if rule is not None and rule.partial is not None:
        derivative = to_unicode(rule.partial(slot.node.args, i), max_chars=60)
    return GraphEdge(
        source=slot.args[i],
        target=k,
        index=i,
        derivative=derivative,
        value=numbers.edges.get((k, i)) if numbers else None,
        flux=numbers.flux.get((k, i)) if numbers else None,
        best=bool(numbers) and (k, i) in numbers.best,
    )



def _point_value_summary(v) -> float:
    """A slot's value at the (one) point: the number itself, signed, or a
    tensor's magnitude."""
    point = first_point(v)
    return float(point) if point.ndim == 0 else magnitude(point)


def first_point(v) -> np.ndarray:
    arr = np.asarray(v, dtype=np.float64)
    return arr[0] if arr.ndim else arr
