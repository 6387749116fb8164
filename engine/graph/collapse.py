"""Repeated layers drawn as one box each: a 50-layer ``repeat`` is a picture
of a dozen boxes, not 255 nodes in a 26,000-pixel line.

:func:`layer_groups` says which layer of the program's ``repeat`` each node
of a :class:`~chainlens.engine.graph.build.Graph` belongs to: an assignment
or declaration made inside the loop by its ``layer``; an unnamed operation
by the layer of the nodes it feeds (when they agree); an input by the layer
of its uses (when it is used in one layer only and declared in the loop).
:func:`collapse` then replaces each layer by one node coloured by its largest
|∂L/∂node| and listing its assignments; the first and last ``keep`` layers
are their own boxes, the ones between are one box that gives their range.
``chainlens graph --expand`` draws every node instead, one cluster per layer.
"""

from __future__ import annotations

import math
from dataclasses import replace

from chainlens.engine.graph.build import Graph, GraphEdge, GraphNode
from chainlens.engine.graph.dot import _fmt
from chainlens.engine.language.program import Program
from chainlens.engine.printing import display_symbol

__all__ = ["layer_groups", "collapse", "COLLAPSE_FROM"]

#: Programs with at least this many layers are collapsed by default.
COLLAPSE_FROM = 5


def layer_groups(graph: Graph, program: Program) -> dict[int, int]:
    """node key -> layer number, for the nodes a ``repeat`` made."""
    by_name = {display_symbol(a.name, "unicode"): a.layer for a in program.assignments
               if a.layer is not None}
    in_loop = {display_symbol(d.name, "unicode"): d.layer for d in program.declarations
               if d.layer is not None}
    layer: dict[int, int] = {}
    for n in graph.nodes:
        if n.kind != "input" and n.name in by_name:
            layer[n.key] = by_name[n.name]
    consumers: dict[int, set[int]] = {}
    for e in graph.edges:
        consumers.setdefault(e.source, set()).add(e.target)
    for n in reversed(graph.nodes):  # the tape is in order: consumers come later
        if n.key in layer or n.kind == "output":
            continue
        used = {layer.get(c) for c in consumers.get(n.key, ())}
        if len(used) == 1 and None not in used and (n.kind != "input" or n.name in in_loop):
            layer[n.key] = used.pop()
    return layer


def collapse(graph: Graph, program: Program, keep: int = 2) -> tuple[Graph, int]:
    """``(collapsed graph, number of layers)``; the graph itself when the
    program has fewer than :data:`COLLAPSE_FROM` layers."""
    layer = layer_groups(graph, program)
    layers = sorted(set(layer.values()))
    if len(layers) < COLLAPSE_FROM:
        return graph, len(layers)
    head, tail = layers[:keep], layers[-keep:]
    middle = [k for k in layers if k not in head and k not in tail]

    def box(k: int) -> str:
        if k in head or k in tail:
            return f"layer {k}"
        return f"layers {middle[0]}–{middle[-1]}"

    members: dict[str, list[GraphNode]] = {}
    for n in graph.nodes:
        if n.key in layer:
            members.setdefault(box(layer[n.key]), []).append(n)
    key_of = {}
    nodes: list[GraphNode] = []
    next_key = max(n.key for n in graph.nodes) + 1
    placed: set[str] = set()
    for n in graph.nodes:
        if n.key not in layer:
            nodes.append(n)
            continue
        name = box(layer[n.key])
        if name not in placed:
            placed.add(name)
            nodes.append(_box(next_key, name, members[name], graph.output))
            key_of[name] = next_key
            next_key += 1
        key_of[n.key] = key_of[name]
    remap = {n.key: key_of.get(n.key, n.key) for n in graph.nodes}
    edges: dict[tuple[int, int], GraphEdge] = {}
    for e in graph.edges:
        s, t = remap[e.source], remap[e.target]
        if s == t:
            continue
        if (s, t) in edges:  # several edges between two boxes: one arrow, no label
            edges[(s, t)] = replace(edges[(s, t)], derivative="", value=None, flux=None)
        else:
            edges[(s, t)] = replace(e, source=s, target=t)
    return replace(graph, nodes=tuple(nodes), edges=tuple(edges.values())), len(layers)


def _box(key: int, name: str, nodes: list[GraphNode], output: str) -> GraphNode:
    """One node for a layer (or a run of alike layers): what it assigns, and
    its largest |∂L/∂node| (which colours it)."""
    named = [n for n in nodes if n.name and n.kind != "input"]
    adjoints = [abs(n.adjoint) for n in nodes if n.adjoint is not None
                and math.isfinite(n.adjoint)]
    if name.startswith("layers"):
        lines = [f"{name} ({len({n.name for n in named})} values, alike)"]
        if adjoints:
            lines.append(f"|∂{output}/∂·| from {_fmt(min(adjoints))} to {_fmt(max(adjoints))}")
    else:
        lines = [name] + [f"{n.name} = {n.expr}" if len(n.expr) <= 28 else n.name
                          for n in named[:4]]
        params = [n.name for n in nodes if n.kind == "input" and n.name]
        if params:
            lines.append("with " + ", ".join(params[:6]))
    adjoint = max(adjoints) if adjoints else (None if all(n.adjoint is None for n in nodes)
                                              else math.nan)
    return GraphNode(key=key, kind="op", op="layer", name=None, title="\n".join(lines),
                     shape=(), value=None, adjoint=adjoint, expr=name)
