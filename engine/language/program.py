"""A ``.chain`` program as data: named assignments over the expression DAG.

The parser produces a :class:`Program`; every other part of the engine reads
one.  Assignments keep their names because people think in them (the seed
article writes backprop as ``dL/dw = 2(a - y) sigma'(z) x``), so each
assignment's right-hand side refers to earlier names as *symbols*; the
:meth:`Program.expanded` view inlines them for results "in the inputs".

A name that is assigned twice (``a = ...`` inside a ``repeat``) is given
single-assignment versions: the first keeps its name, later ones are
``a@2``, ``a@3``...  (``@`` cannot appear in a typed name, so versions never
clash with user names; printers show ``a@3`` as ``a₃``-style superscripts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType

from chainlens.engine.core.nodes import Node, sym
from chainlens.engine.core.source import Span
from chainlens.engine.core.walk import free_symbols, postorder, rebuild
from chainlens.engine.printing.names import plain_name

__all__ = [
    "Assignment",
    "Declaration",
    "FunctionDef",
    "Point",
    "Repeat",
    "Program",
    "display_name",
]


def display_name(name: str) -> str:
    """The name a person wrote: ``a@3`` -> ``a``."""
    return plain_name(name)


@dataclass(frozen=True)
class Assignment:
    """``name = expr``.  ``expr`` refers to earlier assignments by their
    (versioned) names as symbols."""

    name: str
    expr: Node
    span: Span
    name_span: Span
    expr_span: Span
    layer: int | None = None  # the repeat index that produced it

    @property
    def display(self) -> str:
        return display_name(self.name)


@dataclass(frozen=True)
class Declaration:
    """``input x: [3] in [-1, 1]`` / ``param W: [4, 3]``: a named input with a
    shape (``()`` for a scalar) and an optional declared value range, which
    the gradient-health analysis uses for its bounds."""

    name: str
    role: str  # "input" or "param"
    shape: tuple[int, ...]
    span: Span
    range: tuple[Fraction, Fraction] | None = None
    layer: int | None = None
    #: a model's parameter: the framework initialisation its range is
    #: (a key of health.init.INIT_WORDS), None for a declared range
    init: str | None = None


@dataclass(frozen=True)
class FunctionDef:
    """``f(t) = t^2 + 1``: inlined where it is called."""

    name: str
    params: tuple[str, ...]
    body: Node
    span: Span


@dataclass(frozen=True)
class Point:
    """``@at x=0.5, w=0.8``: values for a numeric evaluation.  Values are
    exact where written as decimals; tensors are nested tuples."""

    values: tuple[tuple[str, object], ...]
    span: Span

    def as_dict(self) -> dict[str, object]:
        return dict(self.values)


@dataclass(frozen=True)
class Repeat:
    """``repeat k in 1..50 { ... }``: which assignments each layer made."""

    var: str
    start: int
    stop: int  # inclusive
    span: Span
    layers: tuple[tuple[str, ...], ...]  # per layer, the SSA names assigned


@dataclass(frozen=True)
class Program:
    source: str
    assignments: tuple[Assignment, ...]
    outputs: tuple[str, ...]
    declarations: tuple[Declaration, ...] = ()
    functions: tuple[FunctionDef, ...] = ()
    points: tuple[Point, ...] = ()
    wrt: tuple[str, ...] = ()
    repeats: tuple[Repeat, ...] = ()
    #: What a measurement of this program cannot stand for, in words (a model
    #: whose BatchNorm normalises over the batch, which a per-sample program
    #: does not see): the health judge gives no direction verdict then.
    unmodelled: tuple[str, ...] = ()
    #: node -> every span where it was written, in source order.
    spans: Mapping[Node, tuple[Span, ...]] = field(
        default_factory=lambda: MappingProxyType({}), compare=False, hash=False, repr=False
    )
    _expanded: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __repr__(self) -> str:
        inputs = sorted({n for a in self.assignments for n in free_symbols(a.expr)}
                        - set(self.names))
        return (f"Program({len(self.assignments)} assignments; outputs "
                f"{', '.join(self.outputs) or 'none'}; inputs {', '.join(inputs) or 'none'}"
                f"{f'; {len(self.points)} @at points' if self.points else ''})")

    def _repr_markdown_(self) -> str:
        return "```\n" + (self.source if len(self.source) <= 4000
                           else self.source[:4000] + "\n…") + "\n```"

    # ---- names -----------------------------------------------------------
    def assignment(self, name: str) -> Assignment:
        for a in self.assignments:
            if a.name == name:
                return a
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.assignments)

    def latest(self, display: str) -> str:
        """The last SSA version of a name as the user wrote it."""
        found = None
        for a in self.assignments:
            if a.display == display or a.name == display:
                found = a.name
        if found is None:
            raise KeyError(display)
        return found

    @property
    def inputs(self) -> tuple[str, ...]:
        """Free variables: used but never assigned (declared or not)."""
        assigned = set(self.names)
        used: set[str] = set()
        for a in self.assignments:
            used.update(free_symbols(a.expr))
        used.update(d.name for d in self.declarations)
        return tuple(sorted(used - assigned))

    def declaration(self, name: str) -> Declaration | None:
        for d in self.declarations:
            if d.name == name:
                return d
        return None

    @property
    def expr(self) -> Node:
        """The single output, fully expanded in the inputs."""
        if len(self.outputs) != 1:
            raise ValueError(f"program has {len(self.outputs)} outputs; name one")
        return self.expanded(self.outputs[0])

    # ---- views -----------------------------------------------------------
    def expanded(self, name: str | None = None) -> Node:
        """``name`` (default: the single output) with every assigned name
        inlined, so the result is in the inputs only.  Shared names stay
        shared: the expansion is a DAG, computed once per program."""
        if name is None:
            return self.expr
        if not self._expanded:
            env: dict[Node, Node] = {}
            for a in self.assignments:
                env[sym(a.name)] = _inline(a.expr, env)
                self._expanded[a.name] = env[sym(a.name)]
        return self._expanded[name]

    def span_of(self, node: Node) -> Span | None:
        spans = self.spans.get(node)
        return spans[0] if spans else None


def _inline(expr: Node, env: dict[Node, Node]) -> Node:
    memo: dict[int, Node] = {}
    for node in postorder(expr):
        if node.op == "sym":
            memo[id(node)] = env.get(node, node)
        elif not node.args:
            memo[id(node)] = node
        else:
            memo[id(node)] = rebuild(node, tuple(memo[id(a)] for a in node.args))
    return memo[id(expr)]

