"""What a compiled kernel returns, and the one measure of a tensor's size.

:class:`Evaluation` holds outputs and gradients at a batch of points;
:class:`NonFinite` names the node where NaN/Inf first appeared.
:func:`magnitude` is THE definition of a value's or gradient's magnitude
that the health report, the graph picture and the editor's inlay hints all
use: |x| for a number, the largest absolute entry (the ∞-norm) for a tensor.
Vanishing means every entry is tiny, and the largest entry is tiny exactly
then, so one tensor entry that still carries signal keeps a layer from being
called vanishing; an L2 norm would also grow with the tensor's size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from chainlens.engine.core.source import Span

__all__ = ["Evaluation", "NonFinite", "Trace", "magnitude", "magnitudes", "quick_evaluation"]


@dataclass(frozen=True)
class NonFinite:
    """The node that first produced NaN/Inf: ``phase`` is ``input``,
    ``forward`` or ``backward``; ``count`` how many points of the batch."""

    phase: str
    op: str
    name: str | None
    span: Span | None
    count: int

    def to_dict(self) -> dict:
        return {"phase": self.phase, "op": self.op, "name": self.name,
                "span": self.span.to_dict() if self.span else None, "count": self.count}


@dataclass(frozen=True)
class Evaluation:
    """Outputs (``name -> (B, *shape)``) and gradients (``output -> {input ->
    (B, *output shape, *input shape)}``) at ``batch`` points.  With
    ``keep=True``, ``node_values`` and ``adjoints`` hold every input and
    assignment (``adjoints`` are d(first output)/d(name); for a tensor output,
    of the sum of its elements)."""

    values: dict
    gradients: dict
    batch: int
    nonfinite: tuple[NonFinite, ...] = ()
    node_values: dict | None = None
    adjoints: dict | None = None
    backend: str = "numpy"

    def __repr__(self) -> str:
        parts = [f"{_label(o)} = {_brief(v)}" for o, v in self.values.items()]
        parts += [f"∂{_label(o)}/∂{w} = {_brief(g)}" for o, row in self.gradients.items()
                  for w, g in row.items()]
        shown = "; ".join(parts[:8]) + ("; …" if len(parts) > 8 else "")
        bad = f"; NaN/Inf in {len(self.nonfinite)} place(s)" if self.nonfinite else ""
        return f"Evaluation({self.batch} point{'s' * (self.batch != 1)}: {shown}{bad})"

    def _repr_markdown_(self) -> str:
        rows = [f"| {_label(o)} | {_brief(v)} |" for o, v in self.values.items()]
        rows += [f"| ∂{_label(o)}/∂{w} | {_brief(g)} |" for o, row in self.gradients.items()
                 for w, g in row.items()]
        rows += [f"| NaN/Inf | first from {nf.op} in the {nf.phase} pass ({nf.count} points) |"
                 for nf in self.nonfinite]
        return "\n".join([f"| {self.batch} point(s) | value |", "|---|---|", *rows])

    def _repr_latex_(self) -> str:
        cells = [f"{_label(o)} = {_brief(v)}" for o, v in self.values.items()]
        cells += [f"\\frac{{\\partial {_label(o)}}}{{\\partial {w}}} = {_brief(g)}"
                  for o, row in self.gradients.items() for w, g in row.items()]
        return "$" + ",\\quad ".join(cells[:12]) + "$"


def _label(name: str) -> str:
    """``_1`` (an expression statement) is ``f``, ``a@2`` is ``a``."""
    if name.startswith("_") and name[1:].isdigit():
        return "f"
    return name.split("@")[0]


def _brief(value) -> str:
    """One point's number as ``0.181099``; a batch as its shape and range."""
    a = np.asarray(value, dtype=float)
    if a.size == 1:
        return f"{float(a.reshape(-1)[0]):.6g}"
    with np.errstate(all="ignore"):
        return f"array{list(a.shape)} in [{np.nanmin(a):.4g}, {np.nanmax(a):.4g}]"


@dataclass(frozen=True)
class Trace:
    """Per slot of a kernel's tape, at ``batch`` points: ``values[k]``,
    ``adjoints[k]`` (∂ first output/∂ slot; absent for a slot the output
    does not depend on) and, for a scalar tape, ``edges[k, i]`` (the local
    derivative of slot ``k`` by its argument ``i``, non-constant arguments
    only; ``None`` for a tensor tape)."""

    values: tuple
    adjoints: dict
    edges: dict | None
    batch: int


def quick_evaluation(values: dict, gradients: dict) -> Evaluation:
    """A one-point Evaluation without the frozen dataclass's per-field
    ``object.__setattr__`` (a third of the time of a one-point gradient)."""
    ev = object.__new__(Evaluation)
    ev.__dict__.update(values=values, gradients=gradients, batch=1, nonfinite=(),
                       node_values=None, adjoints=None, backend="scalar")
    return ev


def magnitude(value) -> float:
    """The magnitude of one point's value or gradient: |x| for a number, the
    largest |entry| for a tensor (NaN for an empty tensor)."""
    arr = np.abs(np.asarray(value, dtype=np.float64))
    return float(arr.max()) if arr.size else math.nan


def magnitudes(arr, batch: int) -> np.ndarray:
    """:func:`magnitude` per point of a batch (leading axis; a value without
    one, or with a batch of 1, is the same at every point)."""
    arr = np.abs(np.asarray(arr, dtype=np.float64))
    if arr.ndim == 0:
        return np.full(batch, float(arr))
    arr = np.broadcast_to(arr, (batch, *arr.shape[1:])) if arr.shape[0] in (1, batch) else arr
    return arr.reshape(arr.shape[0], -1).max(axis=1) if arr.ndim > 1 else arr
