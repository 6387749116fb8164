"""The results of symbolic differentiation, as frozen dataclasses that
print themselves in every notation (``.text``, ``.unicode``, ``.latex``,
``.python``) and have ONE JSON form each (``to_dict``): the batch records,
the gRPC service and the CLI's ``--json`` all use
:meth:`Derivative.to_dict`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from chainlens.engine.core.nodes import Node
from chainlens.engine.printing import render
from chainlens.engine.symbolic.conditions import conditions_of, dedupe
from chainlens.engine.symbolic.step_text import step_to_dict
from chainlens.engine.symbolic.steps import build_steps

__all__ = ["Derivative", "Gradient", "Jacobian", "Hessian"]


def _render(node: Node, fmt: str) -> str:
    return render(node, fmt)


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
        out: list = []
        for expr, raw, fwd, simplified, rewrites in self._passes:
            out.extend(build_steps(expr, self.wrt, raw, fwd, simplified, rewrites))
        return tuple(out)

    def to_dict(self, *, steps: bool = True) -> dict:
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
