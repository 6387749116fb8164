"""An SVG picture of a :class:`~chainlens.engine.graph.build.Graph` without
Graphviz: a small layered layout in pure Python.

So ``make demo`` on a fresh machine (no ``dot`` binary) still shows
pictures.  The layout is the classic one for a DAG read left to right:
each node's column is its longest path from an input, the order within a
column is improved by a few barycentre sweeps (fewer crossings), boxes are
sized from their text, edges are Bézier curves with their label at the
middle.  The words and colours are :mod:`chainlens.engine.graph.dot`'s
(``node_lines``, ``edge_lines``, ``band``), so both renderings say the same.
Graphviz draws nicer pictures; this one is for when it is missing.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from chainlens.engine.graph.dot import (
    BANDS,
    NONFINITE,
    ZERO,
    band,
    caption,
    edge_lines,
    node_lines,
    path_legend,
)

if TYPE_CHECKING:
    from chainlens.engine.graph.build import Graph

__all__ = ["to_svg"]

_CHAR = 6.6  # average glyph width at 11 px
_LINE = 14.0
_PAD = 8.0
_COLUMN_GAP = 70.0
_ROW_GAP = 18.0
_MARGIN = 20.0
_SWEEPS = 4


def to_svg(graph: Graph, *, paths: bool = False, title: str | None = None,
           note: str | None = None, groups: dict[int, str] | None = None) -> str:
    """SVG text of ``graph``: the same boxes, colours, labels and legend as
    the DOT text, laid out here.  ``groups`` outlines each group (a layer)."""
    keys = [n.key for n in graph.nodes]
    preds: dict[int, list[int]] = {k: [] for k in keys}
    succs: dict[int, list[int]] = {k: [] for k in keys}
    for e in graph.edges:
        if e.source in preds and e.target in preds:
            preds[e.target].append(e.source)
            succs[e.source].append(e.target)
    rank = _ranks(keys, preds)
    columns = _order(keys, rank, preds, succs)
    boxes = {n.key: node_lines(n, graph.output) for n in graph.nodes}
    size = {k: (max(len(t) for t in lines) * _CHAR + 2 * _PAD, len(lines) * _LINE + _PAD)
            for k, lines in boxes.items()}
    head = caption(graph, title, note).split("\n")
    top = _MARGIN + len(head) * 18 + 10
    pos: dict[int, tuple[float, float]] = {}
    x = _MARGIN
    heights = [sum(size[k][1] for k in col) + _ROW_GAP * (len(col) - 1) for col in columns]
    tallest = max(heights, default=0.0)
    for col, h in zip(columns, heights, strict=True):
        width = max((size[k][0] for k in col), default=0.0)
        y = top + (tallest - h) / 2
        for k in col:
            pos[k] = (x + (width - size[k][0]) / 2, y)
            y += size[k][1] + _ROW_GAP
        x += width + _COLUMN_GAP
    legend = _legend(graph, paths)
    legend_h = len(legend) * 16 + 10
    width = max(x - _COLUMN_GAP + _MARGIN, 360.0,
                max((len(t) for t in head), default=0) * 8.0 + 2 * _MARGIN)
    height = top + tallest + _MARGIN + legend_h + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" '
           f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
           'font-family="Helvetica, Arial, sans-serif">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
           'fill="#555"/></marker></defs>',
           f'<rect width="{width:.0f}" height="{height:.0f}" fill="white"/>']
    for i, line in enumerate(head):
        out.append(f'<text x="{width / 2:.1f}" y="{_MARGIN + 14 + i * 18:.1f}" '
                   f'text-anchor="middle" font-size="14">{_esc(line)}</text>')
    out += _group_frames(groups, pos, size)
    for e in graph.edges:
        if e.source in pos and e.target in pos:
            out += _edge(e, pos, size, paths)
    for n in graph.nodes:
        out += _node(n, boxes[n.key], pos[n.key], size[n.key])
    y = top + tallest + _MARGIN
    for i, (fill, text) in enumerate(legend):
        yy = y + i * 16
        if fill:
            out.append(f'<rect x="{_MARGIN}" y="{yy:.1f}" width="14" height="12" '
                       f'fill="{fill}" stroke="#999"/>')
        out.append(f'<text x="{_MARGIN + 20}" y="{yy + 10:.1f}" font-size="11">'
                   f'{_esc(text)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _ranks(keys: list[int], preds: dict[int, list[int]]) -> dict[int, int]:
    """Longest path from a source (the graph's nodes are in tape order, so
    every predecessor comes first)."""
    rank: dict[int, int] = {}
    for k in keys:
        rank[k] = max((rank[p] + 1 for p in preds[k] if p in rank), default=0)
    return rank


def _order(keys, rank, preds, succs) -> list[list[int]]:
    """Columns, each ordered by barycentre sweeps (left to right, then back)."""
    columns: list[list[int]] = [[] for _ in range(max(rank.values(), default=-1) + 1)]
    for k in keys:
        columns[rank[k]].append(k)
    for sweep in range(_SWEEPS):
        forward = sweep % 2 == 0
        order = range(1, len(columns)) if forward else range(len(columns) - 2, -1, -1)
        for c in order:
            place = {k: i for col in columns for i, k in enumerate(col)}
            near = preds if forward else succs

            def centre(k, near=near, place=place):
                ns = [place[n] for n in near[k] if n in place]
                return sum(ns) / len(ns) if ns else place[k]

            columns[c].sort(key=centre)
    return columns


def _node(n, lines, at, size) -> list[str]:
    x, y = at
    w, h = size
    b = band(abs(n.adjoint) if n.adjoint is not None else None)
    if n.kind == "input":
        shape = (f'<ellipse cx="{x + w / 2:.1f}" cy="{y + h / 2:.1f}" rx="{w / 2 + 6:.1f}" '
                 f'ry="{h / 2 + 2:.1f}" fill="{b.fill}" stroke="#333"/>')
    else:
        extra = ' stroke-width="2.5"' if n.kind == "output" else ""
        shape = (f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="6" '
                 f'fill="{b.fill}" stroke="#333"{extra}/>')
    out = [f"<g><title>{_esc(n.expr)}</title>", shape]
    for i, line in enumerate(lines):
        out.append(f'<text x="{x + w / 2:.1f}" y="{y + _PAD / 2 + (i + 0.8) * _LINE:.1f}" '
                   f'text-anchor="middle" font-size="11" fill="{b.font}">{_esc(line)}</text>')
    out.append("</g>")
    return out


def _edge(e, pos, size, paths: bool) -> list[str]:
    (sx, sy), (sw, sh) = pos[e.source], size[e.source]
    (tx, ty), (_tw, th) = pos[e.target], size[e.target]
    x1, y1 = sx + sw, sy + sh / 2
    x2, y2 = tx, ty + th / 2
    bend = max(30.0, (x2 - x1) / 2)
    colour, width = "#555", 1.0
    if paths and e.flux is not None:
        colour, width = "#b2182b", 4.0 if e.best else 1.8
    elif paths:
        colour = "#aaaaaa"
    out = [f'<path d="M {x1:.1f} {y1:.1f} C {x1 + bend:.1f} {y1:.1f} {x2 - bend:.1f} {y2:.1f} '
           f'{x2:.1f} {y2:.1f}" fill="none" stroke="{colour}" stroke-width="{width}" '
           'marker-end="url(#arrow)"/>']
    label = edge_lines(e)
    for i, line in enumerate(label):
        out.append(f'<text x="{(x1 + x2) / 2:.1f}" y="{(y1 + y2) / 2 - 4 + i * 11:.1f}" '
                   f'text-anchor="middle" font-size="9" fill="#333">{_esc(line)}</text>')
    return out


def _group_frames(groups, pos, size) -> list[str]:
    out = []
    members: dict[str, list[int]] = {}
    for k, label in (groups or {}).items():
        if k in pos:
            members.setdefault(label, []).append(k)
    for label, ks in members.items():
        x0 = min(pos[k][0] for k in ks) - 6
        y0 = min(pos[k][1] for k in ks) - 16
        x1 = max(pos[k][0] + size[k][0] for k in ks) + 6
        y1 = max(pos[k][1] + size[k][1] for k in ks) + 6
        out.append(f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" '
                   f'height="{y1 - y0:.1f}" fill="none" stroke="#bbb" rx="4"/>')
        out.append(f'<text x="{x0 + 4:.1f}" y="{y0 + 11:.1f}" font-size="10" '
                   f'fill="#666">{_esc(label)}</text>')
    return out


def _legend(graph: Graph, paths: bool) -> list[tuple[str | None, str]]:
    rows: list[tuple[str | None, str]] = [(None, f"|∂{graph.output}/∂node|:")]
    rows += [(b.fill, b.text) for b in (*BANDS, ZERO, NONFINITE)]
    if paths and graph.gradients:
        rows.append((None, "sum over paths:"))
        rows += [(None, text) for text in path_legend(graph)]
    return rows


def _esc(text: str) -> str:
    return html.escape(text, quote=True)
