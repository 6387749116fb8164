"""Pictures of computational graphs: DOT text from a program and a point.

People would rather look at a computational graph than read about it.  The
graph drawn is the one the numeric kernels run (:func:`codegen.lower`'s
tape): inputs, primitives, the output; constants are folded into the label
of the operation that uses them (``^2``, ``× −1``), as one writes them.
At a point, each node shows its value and ∂L/∂node, each edge its local
derivative (from the rules table, via the same generated code the backward
pass runs), and nodes are filled by |∂L/∂node| on a log scale with a fixed
palette and a legend, so a vanishing (blue) or exploding (red) region shows
at a glance.  With ``paths=True`` the edges that carry input→output paths
are drawn by how much of the derivative flows through them (the sum of the
products of every path through the edge), and the single largest path of
each input is drawn bold: the seed article's theorem, that ∂L/∂x is the
sum over paths of the products of local derivatives, made visible.

Pure: returns data and text; rendering DOT to SVG/PNG is the CLI's job
(:mod:`chainlens.cli.graph`).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from chainlens.engine import rules
from chainlens.engine.core.source import ChainError, EvaluationError, LimitError
from chainlens.engine.language.program import Program, display_name
from chainlens.engine.numeric.backends import ancestors, build_edges, build_numpy
from chainlens.engine.numeric.kernel import as_program, name_list
from chainlens.engine.numeric.shapes import show_shape
from chainlens.engine.numeric.tape import Tape, lower
from chainlens.engine.printing.printers import display_symbol, to_unicode

__all__ = [
    "BANDS",
    "Band",
    "Graph",
    "GraphEdge",
    "GraphNode",
    "LayerGradients",
    "MAX_GRAPH_NODES",
    "build_graph",
    "colour",
    "layer_gradients",
    "to_dot",
]

#: A picture with more values than this is unreadable (and slow to lay
#: out); such programs are better seen through ``layer_gradients``.
MAX_GRAPH_NODES = 1500


@dataclass(frozen=True)
class Band:
    """One colour of the legend: |∂L/∂node| at least ``low``."""

    low: float
    fill: str
    font: str
    text: str


#: Decades of |∂L/∂node|, red (exploding) through yellow (about 1) to blue
#: (vanishing): ColorBrewer's 7-class RdYlBu, fixed so pictures compare.
BANDS = (
    Band(10.0, "#d73027", "white", "≥ 10"),
    Band(1.0, "#fc8d59", "black", "1 – 10"),
    Band(1e-1, "#fee090", "black", "0.1 – 1"),
    Band(1e-2, "#ffffbf", "black", "0.01 – 0.1"),
    Band(1e-3, "#e0f3f8", "black", "10⁻³ – 0.01"),
    Band(1e-4, "#91bfdb", "black", "10⁻⁴ – 10⁻³"),
    Band(0.0, "#4575b4", "white", "< 10⁻⁴"),
)
ZERO = Band(0.0, "#d9d9d9", "black", "exactly 0")
NONFINITE = Band(math.nan, "#000000", "white", "NaN / ±Inf")
NO_VALUE = Band(math.nan, "#ffffff", "black", "no point given")


def band(magnitude: float | None) -> Band:
    """The legend entry for |∂L/∂node| = ``magnitude``."""
    if magnitude is None:
        return NO_VALUE
    if not math.isfinite(magnitude):
        return NONFINITE
    if magnitude == 0:
        return ZERO
    return next(b for b in BANDS if magnitude >= b.low)


def colour(magnitude: float | None) -> str:
    """Fill colour for |∂L/∂node| = ``magnitude``."""
    return band(magnitude).fill


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

    def _repr_svg_(self) -> str | None:
        """The picture, inline in a notebook.  Drawing runs Graphviz, which
        is the CLI's business, so it is imported only when a notebook asks;
        without Graphviz this is None and Jupyter shows the text repr."""
        from chainlens.cli.graph import render_svg

        return render_svg(to_dot(self))


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
        output=_output_name(tape.output_names[0]),
        wrt=wrt_names,
        gradients=numbers.gradients if numbers else {},
        path_counts={w: _count_paths(tape, tape.inputs[w], out) for w in wrt_names},
        at=dict(at) if at is not None else None,
    )


def _output_name(name: str) -> str:
    # a bare expression's output is an internal "_1": call it f, as people do
    return "f" if name.startswith("_") else display_name(name)


class _Numbers:
    """Values, local derivatives, adjoints and path fluxes at one point."""

    def __init__(self, program: Program, tape: Tape, at, out: int, wrt: tuple[str, ...]):
        slots = tape.slots
        missing = [n for n in tape.inputs if n not in at]
        if missing:
            raise EvaluationError(f"no value for {', '.join(missing)} at the point", None,
                                  hint="add them to `@at` (or --at)")
        arrays = [_point_value(program, tape, n, at[n])[None, ...] for n in tape.inputs]
        scalar = all(s.shape == () for s in slots)
        with np.errstate(all="ignore"):
            V = build_numpy(tape, ()).forward(*arrays)
            E = {}
            if scalar:
                E = {key: float(np.asarray(v).reshape(-1)[0])
                     for key, v in build_edges(tape)(V).items()}
        self.values = [_magnitude(v, signed=True) for v in V]
        self.edges = E
        self.scalar = scalar
        # reverse accumulation over the same edges: ∂L/∂slot
        adj = [0.0] * len(slots)
        adj[out] = 1.0
        for k in range(out, -1, -1):
            for i, j in enumerate(slots[k].args):
                if (k, i) in E and adj[k] != 0:
                    adj[j] += adj[k] * E[k, i]
        self.adjoints = adj if scalar else self._tensor_adjoints(program, tape, at, out)
        self.gradients = {w: adj[tape.inputs[w]] for w in wrt} if scalar else {}
        self.flux: dict[tuple[int, int], float] = {}
        self.best: set[tuple[int, int]] = set()
        if scalar:
            for w in wrt:
                self._paths_from(tape, tape.inputs[w], out, adj)

    @staticmethod
    def _tensor_adjoints(program: Program, tape: Tape, at, out: int) -> list[float | None]:
        """Norms of ∂L/∂name for the named values of a tensor program, from
        the numeric kernel (local derivatives of tensor primitives are
        Jacobians, not numbers an edge label could show)."""
        from chainlens.engine.numeric.kernel import compile

        kernel = compile(program, outputs=tape.output_names[:1])
        adjoints = kernel({n: at[n] for n in kernel.inputs}, keep=True).adjoints or {}
        adj: list[float | None] = [None] * len(tape.slots)
        for name, k in {**tape.names, **tape.inputs}.items():
            if name in adjoints:
                adj[k] = _magnitude(adjoints[name])
        adj[out] = 1.0
        return adj

    def _paths_from(self, tape: Tape, src: int, out: int, adj: list[float]) -> None:
        """Add each edge's share of ∂L/∂src (∂L/∂target · edge · ∂source/∂src,
        the sum of the products of every path through the edge), and mark
        the path of largest |product| (dynamic programming over the DAG)."""
        slots, E = tape.slots, self.edges
        tangent = [0.0] * len(slots)
        tangent[src] = 1.0
        best = [0.0] * len(slots)
        best[out] = 1.0
        consumers: dict[int, list[tuple[int, int]]] = {}
        for k in range(src + 1, out + 1):
            for i, j in enumerate(slots[k].args):
                if (k, i) in E:
                    tangent[k] += E[k, i] * tangent[j]
                    consumers.setdefault(j, []).append((k, i))
        for k in range(out - 1, src - 1, -1):
            best[k] = max((abs(E[e]) * best[e[0]] for e in consumers.get(k, ())), default=0.0)
        for k in range(src + 1, out + 1):
            for i, j in enumerate(slots[k].args):
                if (k, i) in E and tangent[j] != 0:
                    share = adj[k] * E[k, i] * tangent[j]
                    self.flux[k, i] = self.flux.get((k, i), 0.0) + share
        node = src
        while node != out and best[node] > 0:
            k, i = max(consumers[node], key=lambda e: abs(E[e]) * best[e[0]])
            self.best.add((k, i))
            node = k


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


def _magnitude(v, signed: bool = False) -> float:
    arr = np.asarray(v, dtype=np.float64)
    point = arr[0] if arr.ndim else arr
    if np.ndim(point) == 0:
        x = float(point)
        return x if signed else abs(x)
    return float(np.linalg.norm(point))


def _count_paths(tape: Tape, src: int, out: int) -> int:
    count = [0] * len(tape.slots)
    count[src] = 1
    for k in range(src + 1, out + 1):
        count[k] = sum(count[j] for j in tape.slots[k].args)
    return count[out]


_OP_SYMBOLS = {"add": "+", "mul": "×", "pow": "^", "matmul": "@"}


def _title(tape: Tape, k: int) -> str:
    """What slot ``k`` does, with its constant arguments written in."""
    slot = tape.slots[k]
    consts = [to_unicode(tape.slots[j].node) for j in slot.args if tape.slots[j].op == "const"]
    if slot.op == "pow":
        base, exp = (tape.slots[j] for j in slot.args)
        if exp.op == "const":
            return "√(·)" if exp.exact == Fraction(1, 2) else "(·)" + _sup(consts[-1])
        return f"{consts[0]}^(·)" if base.op == "const" else "^"
    if slot.op in ("add", "mul"):
        symbol = _OP_SYMBOLS[slot.op]
        return f"{symbol} {consts[0]}" if consts else symbol
    rule = rules.RULES.get(slot.op)
    notation = rule.notation.unicode if rule else slot.op
    return _OP_SYMBOLS.get(slot.op, notation)


def _sup(text: str) -> str:
    table = str.maketrans("0123456789−", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
    return text.translate(table) if all(c in "0123456789−" for c in text) else f"({text})"


def _node(tape: Tape, k: int, out: int, names: dict[int, str], numbers) -> GraphNode:
    slot = tape.slots[k]
    kind = "output" if k == out else ("input" if slot.op == "input" else "op")
    name = names.get(k)
    if k == out:
        name = _output_name(tape.output_names[0])
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


# --------------------------------------------------------------------------
# DOT text
# --------------------------------------------------------------------------

#: Formulas longer than this are left off edge labels (the value stays).
_FORMULA_CHARS = 24
_PATH_COLOUR = "#b2182b"
_OFF_PATH_COLOUR = "#aaaaaa"
_NONFINITE_BORDER = "#e7298a"


def to_dot(graph: Graph | Program | str, at=None, *, paths: bool = False,
           title: str | None = None) -> str:
    """DOT source for ``graph`` (or for the graph of a program at ``at``)."""
    if not isinstance(graph, Graph):
        graph = build_graph(graph, at)
    lines = [
        "digraph chainlens {",
        f"  graph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, fontsize=14, "
        f"label={_quote(title or _caption(graph))}];",
        "  node [fontname=\"Helvetica\", fontsize=11, style=\"filled,rounded\", shape=box];",
        "  edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.7];",
    ]
    origins = _nonfinite_origins(graph)
    for node in graph.nodes:
        lines.append(f"  n{node.key} [{_node_attrs(node, graph.output, node.key in origins)}];")
    for edge in graph.edges:
        lines.append(f"  n{edge.source} -> n{edge.target} [{_edge_attrs(edge, graph, paths)}];")
    lines.extend(_legend(graph, paths))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _caption(graph: Graph) -> str:
    if graph.at is None:
        return f"{graph.output}: computational graph (no point: pass @at or --at for values)"
    items = list(graph.at.items())
    point = ", ".join(f"{display_symbol(k, 'unicode')}={_fmt_value(v)}" for k, v in items[:8])
    more = f" and {len(items) - 8} more values" if len(items) > 8 else ""
    return f"{graph.output} at {point}{more}"


def _fmt(x: float | None) -> str:
    if x is None:
        return "?"
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    text = f"{x:.4g}"
    if "e" in text:
        mantissa, exp = text.split("e")
        text = f"{mantissa}·10{_sup(str(int(exp)).replace('-', '−'))}"
    return text.replace("-", "−")


def _fmt_value(v) -> str:
    try:
        return _fmt(float(v))
    except (TypeError, ValueError):
        return "[…]"


def _nonfinite_origins(graph: Graph) -> set[int]:
    """Nodes whose value is NaN/Inf although every argument's is finite:
    where a non-finite value first appears."""
    values = {n.key: n.value for n in graph.nodes}
    bad = {k for k, v in values.items() if v is not None and not math.isfinite(v)}
    inherited = {e.target for e in graph.edges if e.source in bad}
    return bad - inherited


def _node_attrs(node: GraphNode, output: str, nonfinite_origin: bool = False) -> str:
    lines = []
    if node.kind == "input":
        lines.append(node.name or node.expr)
    elif node.name:
        lines.append(f"{node.name} = {node.title}")
    else:
        lines.append(node.title)
    if node.shape:
        lines.append("[" + "×".join(map(str, node.shape)) + "]")
    if node.value is not None:
        prefix = "‖·‖ = " if node.shape else "= "
        lines.append(prefix + _fmt(node.value))
    if node.adjoint is not None:
        wrt = node.name or (f"({node.expr})" if len(node.expr) <= 12 else "·")
        derivative = f"∂{output}/∂{wrt}"
        lines.append(f"‖{derivative}‖ = " if node.shape else f"{derivative} = ")
        lines[-1] += _fmt(node.adjoint)
    b = band(abs(node.adjoint) if node.adjoint is not None else None)
    attrs = [f"label={_quote(chr(10).join(lines))}", f"fillcolor=\"{b.fill}\"",
             f"fontcolor=\"{b.font}\""]
    if nonfinite_origin:
        attrs += [f"color=\"{_NONFINITE_BORDER}\"", "penwidth=3"]
    if node.kind == "input":
        attrs.append("shape=ellipse")
    elif node.kind == "output":
        attrs.append("peripheries=2")
    attrs.append(f"tooltip={_quote(node.expr)}")
    return ", ".join(attrs)


def _edge_attrs(edge: GraphEdge, graph: Graph, paths: bool) -> str:
    parts = []
    formula = edge.derivative
    if formula and len(formula) <= _FORMULA_CHARS and (edge.value is None
                                                        or formula != _fmt(edge.value)):
        parts.append(formula)
    if edge.value is not None:
        parts.append(("= " if parts else "") + _fmt(edge.value))
    attrs = []
    if paths and edge.flux is not None:
        total = max((abs(g) for g in graph.gradients.values()), default=0.0)
        share = abs(edge.flux) / total if total else 0.0
        parts.append(f"paths: {_fmt(edge.flux)}")
        width = 1.0 + 3.0 * min(1.0, share)
        attrs += [f"color=\"{_PATH_COLOUR}\"", f"fontcolor=\"{_PATH_COLOUR}\"",
                  f"penwidth={5.0 if edge.best else width:.2f}"]
        if edge.best:
            attrs.append("style=bold")
    elif paths:
        attrs += [f"color=\"{_OFF_PATH_COLOUR}\"", "style=dashed"]
    return ", ".join([f"label={_quote(chr(10).join(parts))}", *attrs])


def _legend(graph: Graph, paths: bool) -> list[str]:
    rows = [f"<tr><td colspan=\"2\"><b>|∂{html.escape(graph.output)}/∂node|</b></td></tr>"]
    for b in (*BANDS, ZERO, NONFINITE):
        rows.append(f"<tr><td bgcolor=\"{b.fill}\" width=\"18\"></td>"
                    f"<td align=\"left\">{html.escape(b.text)}</td></tr>")
    if paths and graph.gradients:
        rows.append("<tr><td colspan=\"2\"><b>sum over paths</b></td></tr>")
        for w, g in graph.gradients.items():
            n = graph.path_counts.get(w, 0)
            text = (f"∂{graph.output}/∂{w} = {_fmt(g)}: "
                    f"{n} path{'s' if n != 1 else ''}, largest bold")
            rows.append(f"<tr><td colspan=\"2\" align=\"left\">{html.escape(text)}</td></tr>")
    table = ("<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"3\">"
             + "".join(rows) + "</table>")
    return [
        "  subgraph cluster_legend {",
        "    label=\"legend\"; fontsize=10; color=\"#cccccc\";",
        f"    legend [shape=plaintext, style=\"\", label=<{table}>];",
        "  }",
    ]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


# --------------------------------------------------------------------------
# Per-layer gradient norms (the picture of vanishing gradients)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class LayerGradients:
    """|∂L/∂v| for the values each layer of a ``repeat`` assigns: one series
    per assignment of the body (``z_k``, ``a``), one entry per layer."""

    output: str
    var: str
    layers: tuple[int, ...]
    series: dict[str, tuple[float, ...]]


def layer_gradients(program: Program | str, at=None, *, output: str | None = None
                    ) -> LayerGradients:
    """The per-layer gradient norms of the first ``repeat`` block at ``at``
    (default: the first ``@at`` point)."""
    from chainlens.engine.numeric.kernel import compile

    program = as_program(program)
    if not program.repeats:
        raise ChainError("there is no `repeat` block: layer norms need a layered program",
                         hint="write the layers as `repeat k in 1..N { ... }`")
    repeat = program.repeats[0]
    if at is None:
        if not program.points:
            raise EvaluationError("no point to evaluate the gradients at", None,
                                  hint="add an `@at` line or pass values")
        at = program.points[0].as_dict()
    kernel = compile(program, outputs=(output,) if output else None)
    evaluation = kernel({n: at[n] for n in kernel.inputs if n in at}, keep=True)
    adjoints = evaluation.adjoints or {}
    first = repeat.layers[0] if repeat.layers else ()
    labels = [_series_label(name, repeat) for name in first]
    series = {
        label: tuple(_magnitude(adjoints[layer[j]]) if j < len(layer) and layer[j] in adjoints
                     else math.nan for layer in repeat.layers)
        for j, label in enumerate(labels)
    }
    return LayerGradients(
        output=_output_name(next(iter(evaluation.values))),
        var=repeat.var,
        layers=tuple(range(repeat.start, repeat.start + len(repeat.layers))),
        series=series,
    )


def _series_label(name: str, repeat) -> str:
    """``z_1`` (the first layer's ``z_k``) -> ``z_k``; ``a@2`` -> ``a``."""
    base = display_name(name)
    suffix = f"_{repeat.start}"
    return base[: -len(suffix)] + f"_{repeat.var}" if base.endswith(suffix) else base
