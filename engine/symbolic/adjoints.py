"""Symbolic backprop through a program's names: each name's adjoint
written through the program's names and in its inputs, the sum over its
consumers of (consumer's adjoint) x (local partial)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chainlens.engine.core import limits
from chainlens.engine.core.ir import add, mul
from chainlens.engine.core.nodes import ONE, ZERO, Node, sym
from chainlens.engine.core.source import ChainError, LimitError
from chainlens.engine.core.walk import count_nodes, free_symbols, substitute
from chainlens.engine.language.program import Program
from chainlens.engine.language.reader import parse
from chainlens.engine.printing import display_symbol, render
from chainlens.engine.symbolic.chain import _Forward, materialize
from chainlens.engine.symbolic.coerce import wrt_list
from chainlens.engine.symbolic.simplify import simplify as _simplify

__all__ = ["Adjoint", "Backprop", "backprop"]


def _render(node: Node, fmt: str) -> str:
    return render(node, fmt)


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

    def __repr__(self) -> str:
        names = [a.name for a in self.adjoints]
        shown = ", ".join(names[:8]) + (", …" if len(names) > 8 else "")
        return f"Backprop(∂{self.output}/∂· for {len(names)} names: {shown})"

    def _repr_markdown_(self) -> str:
        rows = [f"| ∂{self.output}/∂{display_symbol(a.name, 'unicode')} | "
                f"`{_render(a.through, 'unicode')[:200]}` |" for a in self.adjoints[:40]]
        more = [f"| … | {len(self.adjoints) - 40} more |"] if len(self.adjoints) > 40 else []
        return "\n".join(["| adjoint | through the names |", "|---|---|", *rows, *more])

    def _repr_latex_(self) -> str:
        rows = [f"\\frac{{\\partial {self.output}}}"
                f"{{\\partial {display_symbol(a.name, 'latex')}}} &= "
                f"{_render(a.through, 'latex')}" for a in self.adjoints[:20]]
        return "$\\begin{aligned}" + " \\\\ ".join(rows) + "\\end{aligned}$"

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
    if isinstance(program, str):
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
    work = (upto + 1) * count_nodes(program.expanded(output))
    if work > limits.MAX_BACKPROP_WORK:
        raise LimitError(
            f"backprop of {output!r} would write {upto + 1} adjoints in the inputs, each up to "
            f"the output's size: {work:,} units of work, past MAX_BACKPROP_WORK "
            f"({limits.MAX_BACKPROP_WORK:,})", program.assignment(output).span,
            hint="compile/evaluate the gradient numerically, or diff a smaller part")
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
        chosen = set(wrt_list(wrt, ZERO, ()))
        inputs = tuple(n for n in inputs if n in chosen)
    elif program.wrt:
        inputs = tuple(n for n in inputs if n in program.wrt)
    return Backprop(output, tuple(order), inputs)
