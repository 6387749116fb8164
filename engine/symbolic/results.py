"""The results of symbolic differentiation, as frozen dataclasses that
print themselves in every notation (``.text``, ``.unicode``, ``.latex``,
``.python``) and have ONE JSON form each (``to_dict``): the batch records,
the gRPC service and the CLI's ``--json`` all use
:meth:`Derivative.to_dict`.

At a prompt or in a notebook they show what a textbook prints: a one-line
``repr`` (``Derivative(d/dx sin(x²) = 2x·cos(x²))``), ``_repr_latex_`` and
``_repr_markdown_``; and they are functions of a point, as ``jax.grad``'s
results are: ``diff("sin(x^2)")(0.5)`` or ``gradient(f)(x=arr, y=1)``
evaluate the result with the numeric kernels (scalars or arrays, broadcast).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from chainlens.engine.core import limits
from chainlens.engine.core.cache import Cache
from chainlens.engine.core.nodes import Node
from chainlens.engine.core.source import ChainError
from chainlens.engine.core.walk import count_nodes, free_symbols
from chainlens.engine.printing import render, render_auto
from chainlens.engine.symbolic.conditions import conditions_of, dedupe
from chainlens.engine.symbolic.step_text import step_to_dict
from chainlens.engine.symbolic.steps import build_steps
from chainlens.engine.symbolic.values import value_at

__all__ = ["Derivative", "Gradient", "Jacobian", "Hessian"]


def _render(node: Node, fmt: str) -> str:
    """A result as printed by default: flat, or with its shared
    sub-expressions named once when the flat text would be thousands of
    characters (printing then costs the DAG, not the tree)."""
    return render_auto(node, fmt)


#: Longest expression a ``repr`` shows before ``…``.
REPR_CHARS = 160


def _short(node: Node, fmt: str = "unicode") -> str:
    text = render(node, fmt, max_chars=REPR_CHARS * 4)
    return text if len(text) <= REPR_CHARS else text[:REPR_CHARS - 1] + "…"


def _leibniz(of: str, wrt: str, order: int, fmt: str) -> str:
    if fmt == "latex":
        n = f"^{{{order}}}" if order > 1 else ""
        return f"\\frac{{d{n}}}{{d{wrt}{n}}}\\left[{of}\\right]"
    n = str(order).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")) if order > 1 else ""
    return f"d{n}/d{wrt}{n} {of}"


def _variables(exprs, first: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The names a result's call binds, positional order: ``first`` (the
    ``wrt`` names), then the expression's other names, sorted."""
    names = set()
    for e in exprs:
        names |= set(free_symbols(e))
    return tuple(dict.fromkeys([*first, *sorted(names)]))


def at_points(nodes, variables: tuple[str, ...], args: tuple, values: dict):
    """The values of ``nodes`` with ``variables`` bound to ``args``/``values``
    (scalars or arrays, broadcast): a float for a scalar point, else an
    array of the broadcast shape; several nodes stack on a leading axis."""
    from chainlens.engine.numeric.kernel import compile  # the layer exception: see test_layers

    if len(args) > len(variables):
        raise ChainError(f"{len(args)} values for {len(variables)} variables "
                         f"({', '.join(variables) or 'none'})")
    point = dict(zip(variables, args, strict=False)) | values
    needed = _variables(nodes)
    missing = [v for v in needed if v not in point]
    if missing:
        raise ChainError(f"no value for {', '.join(missing)}",
                         hint=f"call it with {', '.join(f'{v}=…' for v in needed)}")
    arrays = {k: np.asarray(v, dtype=float) for k, v in point.items()}
    shape = np.broadcast_shapes(*(a.shape for a in arrays.values())) if arrays else ()
    flat = {k: np.broadcast_to(a, shape).reshape(-1) for k, a in arrays.items() if k in needed}
    out = []
    for node in nodes:
        kernel = _kernel(node, compile)
        if kernel is None:  # a constant
            out.append(np.full(shape, value_at(node, {})))
            continue
        ev = kernel(flat)
        value = np.asarray(next(iter(ev.values.values())), dtype=float)
        out.append(value.reshape(shape))
    result = out[0] if len(out) == 1 else np.stack(out)
    return float(result) if result.ndim == 0 else result


#: Kernels of results called on points (a notebook calls the same one often).
_KERNELS: Cache = Cache(max_entries=128)


def _kernel(node: Node, compile):
    if not free_symbols(node):
        return None
    kernel = _KERNELS.get(node)
    return kernel if kernel is not None else _KERNELS.put(node, compile(node))


def _matrix(rows: tuple[tuple[Node, ...], ...], fmt: str, vector: bool = False) -> str:
    """A vector (one row) or matrix of nodes in one notation."""
    cells = [[_render(n, fmt) for n in row] for row in rows]
    if fmt == "latex":
        body = " \\\\ ".join(" & ".join(row) for row in cells)
        return "\\begin{pmatrix} " + body + " \\end{pmatrix}"
    if vector:
        return "[" + ", ".join(cells[0]) + "]"
    return "[" + ", ".join("[" + ", ".join(row) + "]" for row in cells) + "]"


def _cut(text: str) -> str:
    return text if len(text) <= REPR_CHARS else text[:REPR_CHARS - 1] + "…"


def _markdown_matrix(name: str, wrt, matrix) -> str:
    head = "| " + name + " | " + " | ".join(f"∂/∂{v}" for v in wrt) + " |"
    rule = "|---" * (len(wrt) + 1) + "|"
    rows = [f"| {i + 1} | " + " | ".join(f"`{_short(n)}`" for n in row) + " |"
            for i, row in enumerate(matrix)]
    return "\n".join([head, rule, *rows])


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
        """The derivation, outside-in; the last step's result is ``result``.
        Empty for an expression over ``MAX_STEPS_NODES`` nodes (a budget:
        see :mod:`chainlens.engine.core.limits`)."""
        if count_nodes(self.expr) > limits.MAX_STEPS_NODES:
            return ()
        out: list = []
        for expr, raw, fwd, simplified, rewrites in self._passes:
            out.extend(build_steps(expr, self.wrt, raw, fwd, simplified, rewrites))
        return tuple(out)

    def __repr__(self) -> str:
        return f"Derivative({_leibniz(_short(self.expr), self.wrt, self.order, 'u')} = " \
               f"{_short(self.result)})"

    def _repr_latex_(self) -> str:
        head = _leibniz(_render(self.expr, "latex"), self.wrt, self.order, "latex")
        return f"$\\displaystyle {head} = {_render(self.result, 'latex')}$"

    def _repr_markdown_(self) -> str:
        head = _leibniz(f"`{_short(self.expr)}`", self.wrt, self.order, "u")
        lines = [f"**{head.split(' ')[0]}** {head.split(' ', 1)[1]} = `{_short(self.result)}`"]
        lines += [f"- *{'where' if c.kind != 'nondifferentiable' else 'note:'}* {c.text}"
                  for c in self.conditions]
        return "\n".join(lines)

    def __call__(self, *args, **values):
        """The derivative's value at a point: ``d(0.5)`` binds the variable
        differentiated by first, then the others sorted; ``d(x=arr, a=2)``
        by name.  Arrays broadcast; a scalar point gives a float."""
        variables = _variables((self.expr, self.result), (self.wrt,))
        return at_points((self.result,), variables, args, values)

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

    def __repr__(self) -> str:
        return f"Gradient(∇{_short(self.expr)} in ({', '.join(self.wrt)}) = " \
               f"{_cut(self.unicode)})"

    def _repr_latex_(self) -> str:
        return (f"$\\displaystyle \\nabla_{{{', '.join(self.wrt)}}} "
                f"\\left[{_render(self.expr, 'latex')}\\right] = {self.latex}$")

    def _repr_markdown_(self) -> str:
        rows = [f"| ∂/∂{v} | `{_short(c.result)}` |" for v, c in zip(self.wrt, self.components,
                                                                      strict=True)]
        return "\n".join([f"**∇** `{_short(self.expr)}`", "", "| | |", "|---|---|", *rows])

    def __call__(self, *args, **values):
        """The gradient at a point, components on the first axis (``wrt``
        order): binds ``wrt`` positionally, then the other names sorted."""
        variables = _variables((self.expr,), self.wrt)
        return np.asarray(at_points(self.results, variables, args, values), dtype=float)

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

    def __repr__(self) -> str:
        return f"Jacobian({len(self.outputs)}×{len(self.wrt)} in ({', '.join(self.wrt)}) = " \
               f"{_cut(self.unicode)})"

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle J = {self.latex}$"

    def _repr_markdown_(self) -> str:
        return _markdown_matrix("J", self.wrt, self.matrix)

    def __call__(self, *args, **values):
        """The Jacobian at a point: shape ``(outputs, wrt, *point shape)``."""
        variables = _variables(self.outputs, self.wrt)
        flat = [n for row in self.matrix for n in row]
        out = np.asarray(at_points(flat, variables, args, values), dtype=float)
        return out.reshape(len(self.outputs), len(self.wrt), *out.shape[1:])

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

    def __repr__(self) -> str:
        return f"Hessian({_short(self.expr)} in ({', '.join(self.wrt)}) = {_cut(self.unicode)})"

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle H = {self.latex}$"

    def _repr_markdown_(self) -> str:
        return _markdown_matrix("H", self.wrt, self.matrix)

    def __call__(self, *args, **values):
        """The Hessian at a point: shape ``(wrt, wrt, *point shape)``."""
        variables = _variables((self.expr,), self.wrt)
        flat = [n for row in self.matrix for n in row]
        out = np.asarray(at_points(flat, variables, args, values), dtype=float)
        n = len(self.wrt)
        return out.reshape(n, n, *out.shape[1:])

    def to_dict(self) -> dict:
        return {"expr": _render(self.expr, "text"), "wrt": list(self.wrt),
                "matrix": [[_render(n, "text") for n in row] for row in self.matrix]}
