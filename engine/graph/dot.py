"""DOT text for a computational graph (:class:`chainlens.engine.graph.build.Graph`).

People would rather look at a computational graph than read about it.
Nodes are filled by |∂L/∂node| on a log scale with a fixed palette and a
legend, so a vanishing (blue) or exploding (red) region shows at a glance;
a tensor's magnitude is its largest entry (‖·‖∞, the one definition in
:func:`chainlens.engine.numeric.results.magnitude`).  With ``paths=True``
the edges that carry input→output paths are drawn by how much of the
derivative flows through them, and the single largest path of each input is
drawn bold.

Pure text; :mod:`chainlens.engine.graph.render` turns it into a picture.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from chainlens.engine.printing import display_symbol

if TYPE_CHECKING:
    from chainlens.engine.graph.build import Graph, GraphEdge, GraphNode

__all__ = ["BANDS", "Band", "band", "colour", "superscript", "to_dot", "caption", "node_lines",
           "edge_lines", "path_legend", "natural", "LEGEND_ROWS"]


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


def superscript(text: str) -> str:
    """``-2`` as ``⁻²``; text that has no superscript form in parentheses."""
    table = str.maketrans("0123456789−", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
    return text.translate(table) if all(c in "0123456789−" for c in text) else f"({text})"


# --------------------------------------------------------------------------
# DOT text
# --------------------------------------------------------------------------

#: Formulas longer than this are left off edge labels (the value stays).
_FORMULA_CHARS = 24
_PATH_COLOUR = "#b2182b"
_OFF_PATH_COLOUR = "#aaaaaa"
_NONFINITE_BORDER = "#e7298a"


def to_dot(graph: Graph, *, paths: bool = False, title: str | None = None,
           note: str | None = None, groups: dict[int, str] | None = None) -> str:
    """DOT source for ``graph`` (build it with :func:`chainlens.engine.graph.build.build_graph`).
    ``note`` is added under the caption (e.g. where the values came from);
    ``groups`` (node key -> label) draws each group as one cluster (a layer
    of a ``repeat``)."""
    lines = [
        "digraph chainlens {",
        f"  graph [rankdir=LR, fontname=\"Helvetica\", labelloc=t, fontsize=14, "
        f"label={_quote(caption(graph, title, note))}];",
        "  node [fontname=\"Helvetica\", fontsize=11, style=\"filled,rounded\", shape=box];",
        "  edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.7];",
    ]
    origins = _nonfinite_origins(graph)
    clusters: dict[str, list[str]] = {}
    for node in graph.nodes:
        line = f"n{node.key} [{_node_attrs(node, graph.output, node.key in origins)}];"
        group = (groups or {}).get(node.key)
        if group is None:
            lines.append("  " + line)
        else:
            clusters.setdefault(group, []).append(line)
    for i, (label, members) in enumerate(clusters.items()):
        lines.append(f"  subgraph cluster_{i} {{ label={_quote(label)}; color=\"#bbbbbb\"; "
                     "fontsize=10;")
        lines.extend("    " + m for m in members)
        lines.append("  }")
    for edge in graph.edges:
        lines.append(f"  n{edge.source} -> n{edge.target} [{_edge_attrs(edge, graph, paths)}];")
    lines.extend(_legend(graph, paths))
    lines.append("}")
    return "\n".join(lines) + "\n"


def caption(graph: Graph, title: str | None = None, note: str | None = None) -> str:
    """The picture's caption: ``title`` or what and where, then ``note``."""
    text = title or _caption(graph)
    return f"{text}\n{note}" if note else text


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
        text = f"{mantissa}·10{superscript(str(int(exp)).replace('-', '−'))}"
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
    lines = node_lines(node, output)
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


def node_lines(node: GraphNode, output: str) -> list[str]:
    """The lines of a node's label (what it is, its value, ∂L/∂node): the
    DOT text and the pure-Python SVG layout print the same words."""
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
        prefix = "‖·‖∞ = " if node.shape else "= "
        lines.append(prefix + _fmt(node.value))
    if node.adjoint is not None:
        wrt = node.name or (f"({node.expr})" if len(node.expr) <= 12 else "·")
        derivative = f"∂{output}/∂{wrt}"
        lines.append(f"‖{derivative}‖∞ = " if node.shape else f"{derivative} = ")
        lines[-1] += _fmt(node.adjoint)
    return lines


def edge_lines(edge: GraphEdge) -> list[str]:
    """An edge's label: its local derivative's formula (when short) and value."""
    parts = []
    formula = edge.derivative
    if formula and len(formula) <= _FORMULA_CHARS and (edge.value is None
                                                        or formula != _fmt(edge.value)):
        parts.append(formula)
    if edge.value is not None:
        parts.append(("= " if parts else "") + _fmt(edge.value))
    return parts


def _edge_attrs(edge: GraphEdge, graph: Graph, paths: bool) -> str:
    parts = edge_lines(edge)
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
        for text in path_legend(graph):
            rows.append(f"<tr><td colspan=\"2\" align=\"left\">{html.escape(text)}</td></tr>")
    table = ("<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"3\">"
             + "".join(rows) + "</table>")
    return [
        "  subgraph cluster_legend {",
        "    label=\"legend\"; fontsize=10; color=\"#cccccc\";",
        f"    legend [shape=plaintext, style=\"\", label=<{table}>];",
        "  }",
    ]


#: Most inputs the legend lists by name (the largest |∂L/∂input|, then "… N more").
LEGEND_ROWS = 5


def path_legend(graph: Graph) -> list[str]:
    """A few rows: the inputs with the largest |∂L/∂input|, listed in natural
    order (b_2 before b_10), then how many more there are."""
    items = list(graph.gradients.items())
    top = sorted(items, key=lambda kv: -abs(kv[1]) if math.isfinite(kv[1]) else -math.inf)
    shown = sorted(top[:LEGEND_ROWS], key=lambda kv: natural(kv[0]))
    rows = []
    for w, g in shown:
        n = graph.path_counts.get(w, 0)
        rows.append(f"∂{graph.output}/∂{w} = {_fmt(g)}: {n} path{'s' if n != 1 else ''}, "
                    "largest bold")
    if len(items) > LEGEND_ROWS:
        rows.append(f"… and {len(items) - LEGEND_ROWS} more inputs (the largest shown)")
    return rows


def natural(name: str) -> tuple:
    """Sort key: ``b₂`` / ``b_2`` before ``b₁₀`` / ``b_10``."""
    digits = str.maketrans("₀₁₂₃₄₅₆₇₈₉⁰¹²³⁴⁵⁶⁷⁸⁹", "01234567890123456789")
    return tuple((0, int(p)) if p.isdigit() else (1, p)
                 for p in re.split(r"(\d+)", name.translate(digits)) if p)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
