"""The chain rule as a sum over paths (the seed article's graph theorem).

For a scalar computational graph, ∂y/∂x is the sum, over every directed path
from x to y, of the product of the local derivatives on the path's edges.
The number of paths can be exponential in the depth (every ``a*a``-style
reuse doubles it), so they are *counted* by dynamic programming over the
DAG (exact Python integers), and only the ``top`` largest in magnitude are
*listed*, by a best-first search guided by the largest product any
continuation can still reach (exact, so paths come out in order).

Edges are the primitives of the lowered program (see
:mod:`chainlens.engine.numeric.tape`): the same graph the numeric kernels run,
with the local derivatives evaluated from the rules table.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

import numpy as np
from chainlens.engine import rules
from chainlens.engine.core.source import EvaluationError, ShapeError
from chainlens.engine.numeric.arrays import as_program
from chainlens.engine.numeric.backends import ancestors
from chainlens.engine.numeric.kernel import compile
from chainlens.engine.numeric.results import Trace
from chainlens.engine.numeric.tape import Tape
from chainlens.engine.printing import to_text

__all__ = ["Factor", "Path", "InputPaths", "PathReport", "PathTable", "paths", "path_table",
           "largest_path", "edge_shares", "scalar_edges"]

#: Pops of the best-first search per listed path before it gives up
#: (only reachable when most paths have product 0).
_SEARCH_BUDGET = 10_000


@dataclass(frozen=True)
class Factor:
    """One edge: ∂target/∂source = ``value`` (``derivative`` in words)."""

    source: str
    target: str
    op: str
    derivative: str
    value: float


@dataclass(frozen=True)
class Path:
    factors: tuple[Factor, ...]
    product: float


@dataclass(frozen=True)
class InputPaths:
    """Paths from one input to the output: how many there are, the
    derivative they sum to, and the largest ones."""

    wrt: str
    count: int
    gradient: float
    paths: tuple[Path, ...]


@dataclass(frozen=True)
class PathReport:
    output: str
    at: dict
    inputs: tuple[InputPaths, ...]

    def __repr__(self) -> str:
        counts = ", ".join(f"{e.wrt}: {e.count} paths, sum {e.gradient:.6g}"
                           for e in self.inputs[:6])
        return f"PathReport({self.output}; {counts}{', …' if len(self.inputs) > 6 else ''})"

    def _repr_markdown_(self) -> str:
        rows = [f"| {e.wrt} | {e.count} | {e.gradient:.6g} | "
                f"{e.paths[0].product:.6g} |" if e.paths else f"| {e.wrt} | {e.count} | "
                f"{e.gradient:.6g} | |" for e in self.inputs]
        return "\n".join([f"| input | paths to {self.output} | sum = ∂{self.output}/∂input "
                           "| largest path |", "|---|---|---|---|", *rows])

    def _repr_latex_(self) -> str:
        terms = ",\\quad ".join(
            f"\\frac{{\\partial {self.output}}}{{\\partial {e.wrt}}} = "
            f"\\sum_{{{e.count}\\ \\text{{paths}}}} = {e.gradient:.6g}" for e in self.inputs[:8])
        return f"${terms}$"

    def __getitem__(self, wrt: str) -> InputPaths:
        for entry in self.inputs:
            if entry.wrt == wrt:
                return entry
        raise KeyError(wrt)


def _label(tape: Tape, k: int, names: dict[int, str]) -> str:
    if k in names:
        return names[k]
    node = tape.slots[k].node
    try:
        return to_text(node)
    except Exception:  # printing is optional for labels
        return node.op


def _derivative_text(tape: Tape, k: int, i: int) -> str:
    slot = tape.slots[k]
    try:
        return to_text(rules.RULES[slot.op].partial(slot.node.args, i))
    except Exception:  # printing is optional for labels
        return f"∂{slot.op}/∂arg{i}"


def paths(program, output: str | None = None, wrt=None, at=None, top: int = 10) -> PathReport:
    """∂output/∂input as a sum over paths, for every input in ``wrt``
    (default: all inputs), at the point ``at`` (default: the first ``@at``)."""
    program = as_program(program)
    kernel = compile(program, wrt=wrt, outputs=(output,) if output else None, keep_names=False)
    if len(kernel.outputs) != 1:
        kernel = compile(program, wrt=wrt, outputs=kernel.outputs[:1], keep_names=False)
    tape = kernel.tape
    if any(s.shape != () for s in tape.slots):
        raise ShapeError("paths are defined for scalar graphs; this program has tensors",
                         program.assignments[0].span if program.assignments else None)
    if at is None:
        if not program.points and kernel.inputs:
            raise EvaluationError("no point to evaluate the path factors at", None,
                                  hint="add an `@at x=...` line or pass at={...}")
        at = program.points[0].as_dict() if program.points else {}
    for name in tape.inputs:
        if name not in at:
            raise EvaluationError(f"no value for input {name!r}", None)
    point = {n: float(at[n]) for n in kernel.inputs}
    E = scalar_edges(kernel.trace(point))
    out = tape.outputs[0]
    names = {k: n for n, k in {**tape.inputs, **tape.names}.items()}
    evaluation = kernel(point)
    entries = []
    for w in kernel.wrt:
        gradient = float(evaluation.gradients[tape.output_names[0]][w][0])
        entries.append(_input_paths(tape, E, tape.inputs[w], out, w, gradient, names, top))
    return PathReport(tape.output_names[0], dict(at), tuple(entries))


def scalar_edges(trace: Trace) -> dict[tuple[int, int], float]:
    """The local derivatives of a scalar tape's edges at a trace's first point."""
    return {key: float(np.asarray(v).reshape(-1)[0]) for key, v in trace.edges.items()}


# --------------------------------------------------------------------------
# The dynamic program over the DAG (the path listing here and the graph
# picture's path shares and largest path both read it)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class PathTable:
    """Paths from the slot ``src`` to the slot ``out``: ``count[k]`` paths
    from ``src`` reach ``k`` (exact integers); ``consumers[j]`` are the edges
    ``(k, i)`` out of ``j`` on some such path; with local derivatives,
    ``best[k]`` is the largest |product| of a path from ``k`` to ``out``."""

    count: tuple[int, ...]
    consumers: dict
    best: tuple[float, ...] | None


def path_table(tape: Tape, src: int, out: int, E=None) -> PathTable:
    """Count the paths ``src`` -> ``out`` (and, given the edges' local
    derivatives ``E``, the largest product on from each slot): one pass
    forward, one backward, whatever the number of paths."""
    slots = tape.slots
    reach = ancestors(tape, [out])
    count = [0] * len(slots)
    count[src] = 1
    for k, slot in enumerate(slots):
        if k != src and reach[k]:
            count[k] = sum(count[j] for j in slot.args)
    consumers: dict[int, list[tuple[int, int]]] = {}
    for k, slot in enumerate(slots):
        if reach[k]:
            for i, j in enumerate(slot.args):
                if count[j]:
                    consumers.setdefault(j, []).append((k, i))
    best = None
    if E is not None:
        best = [0.0] * len(slots)
        best[out] = 1.0
        for j in range(out - 1, src - 1, -1):
            best[j] = max((abs(E[k, i]) * best[k] for k, i in consumers.get(j, ())),
                          default=0.0)
        best = tuple(best)
    return PathTable(tuple(count), consumers, best)


def largest_path(table: PathTable, E, src: int, out: int) -> list[tuple[int, int]]:
    """The edges of the path of largest |product|, followed greedily along
    the exact ``best`` (so greedy is optimal)."""
    edges, node = [], src
    while node != out and table.best[node] > 0:
        k, i = max(table.consumers[node], key=lambda e: abs(E[e]) * table.best[e[0]])
        edges.append((k, i))
        node = k
    return edges


def edge_shares(tape: Tape, E, src: int, out: int, adjoints) -> dict[tuple[int, int], float]:
    """Each edge's share of ∂out/∂src: ∂out/∂target × edge × ∂source/∂src,
    which is the sum of the products of every path through the edge (the
    shares of the edges into any one cut add up to the derivative)."""
    slots = tape.slots
    tangent = [0.0] * len(slots)  # ∂slot/∂src: the sum over paths src -> slot
    tangent[src] = 1.0
    for k in range(src + 1, out + 1):
        for i, j in enumerate(slots[k].args):
            if (k, i) in E:
                tangent[k] += E[k, i] * tangent[j]
    shares = {}
    for k in range(src + 1, out + 1):
        for i, j in enumerate(slots[k].args):
            if (k, i) in E and tangent[j] != 0:
                shares[k, i] = adjoints[k] * E[k, i] * tangent[j]
    return shares


def _input_paths(tape: Tape, E, src: int, out: int, wrt: str, gradient: float, names,
                 top: int) -> InputPaths:
    slots = tape.slots
    table = path_table(tape, src, out, E)
    count = table.count
    listed = _k_best(E, table.consumers, table.best, src, out, top) if count[out] else []
    paths_out = tuple(
        Path(tuple(Factor(_label(tape, slots[k].args[i], names), _label(tape, k, names),
                          slots[k].op, _derivative_text(tape, k, i), E[k, i])
                   for k, i in edges), math.prod(E[e] for e in edges))
        for edges in listed)
    return InputPaths(wrt, count[out], gradient, paths_out)


def _k_best(E, consumers, best, src: int, out: int, top: int) -> list[list[tuple[int, int]]]:
    """The ``top`` paths of largest |product|, largest first: A* with the
    exact bound ``best`` (so the first ``top`` arrivals are the answer)."""
    heap = [(-best[src], 0, src, 1.0, ())]
    found, tick = [], 1
    budget = _SEARCH_BUDGET * max(1, top)
    while heap and len(found) < top and budget > 0:
        budget -= 1
        _, _, node, mag, edges = heapq.heappop(heap)
        if node == out:
            found.append(list(edges))
            continue
        for k, i in consumers.get(node, ()):
            m = mag * abs(E[k, i])
            heapq.heappush(heap, (-m * best[k], tick, k, m, (*edges, (k, i))))
            tick += 1
    return found
