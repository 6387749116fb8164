"""The record types of the rules table: one :class:`Rule` per primitive.

Every fact about a primitive is a typed field of its entry (or of a small
frozen sub-record), so a reader of one entry sees all of it, and every
consumer (parser, printers, symbolic chain rule, numeric kernels, interval
bounds) is a look-up in the same record:

* :class:`Notation` - how the four printers and the three kernel dialects
  spell it (text, Unicode, LaTeX, runnable numpy, one IEEE double);
* :class:`Spellings` - the other names parsers accept for it (``arcsin``,
  ``\\arcsin``, ``\\sin^{-1}``, ``torch.nn.Sigmoid``);
* :class:`Interval` - how it maps an interval of its argument (for the
  static gradient bounds);
* :class:`Tensor` - vector-Jacobian and Jacobian-vector products and the
  shape rule of a tensor primitive.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from chainlens.engine.core.nodes import Node, raw, sym

__all__ = ["Condition", "Notation", "Spellings", "Interval", "Tensor", "Rule", "Placeholders",
           "PLACEHOLDERS", "FULL", "unary", "nary", "notation", "call_of"]

FULL = (-math.inf, math.inf)


class Placeholders:
    """The placeholder arguments ``$0, $1, ...`` of rule templates, as many
    as asked for (an n-ary sum may have any number of terms)."""

    def __getitem__(self, index):
        if isinstance(index, slice):
            if index.stop is None:
                raise ValueError("placeholders are unbounded: give a stop")
            return tuple(sym(f"${i}") for i in range(*index.indices(index.stop)))
        if index < 0:
            raise IndexError(index)
        return sym(f"${index}")

    def __iter__(self) -> Iterator[Node]:
        i = 0
        while True:
            yield sym(f"${i}")
            i += 1


#: Placeholder argument symbols used in rule templates.
PLACEHOLDERS = Placeholders()


@dataclass(frozen=True)
class Condition:
    """``expr RELATION 0`` over a rule's placeholder arguments, with the
    words a person reads ("u > 0").  ``relation`` is one of
    ``> >= < <= !=``."""

    relation: str
    expr: Node
    text: str


@dataclass(frozen=True)
class Notation:
    """How a primitive is spelled.  ``python`` and ``scalar`` are
    ``str.format`` templates over the argument sources: ``python`` runs on
    numpy arrays with only ``numpy as np`` and ``math`` imported (the Python
    printer and the numpy kernels use it); ``scalar`` runs on one IEEE
    double with ``math`` and the rule's ``helpers`` (the Python-float and
    numba kernels).  ``latex`` is a control word (``\\sin``), an
    ``\\operatorname{..}``, or a template with ``{0}`` (``\\left|{0}\\right|``).
    ``graph`` is the title of the operation's node in a graph picture when the
    Unicode spelling does not suit one (None: ``unicode``); see :attr:`glyph`."""

    text: str
    unicode: str
    latex: str
    python: str
    scalar: str
    graph: str | None = None

    @property
    def glyph(self) -> str:
        """How a graph picture titles the operation's node."""
        return self.graph if self.graph is not None else self.unicode

    @property
    def infix(self) -> bool:
        """Written between two operands (``W @ x``) rather than called."""
        return not self.text.isidentifier()


@dataclass(frozen=True)
class Spellings:
    """Names the parsers accept for a primitive besides its own.

    ``aliases`` are names in any notation (``.chain``, numpy, torch, math,
    after their module prefix is stripped); ``latex`` the LaTeX control
    words that call it (without the backslash); ``inverse_of``: ``f`` such
    that ``\\f^{-1}`` means this primitive; ``modules``: ``torch.nn`` layer
    classes (``nn.Sigmoid()``) a Sequential may hold."""

    aliases: tuple[str, ...] = ()
    latex: tuple[str, ...] = ()
    inverse_of: str | None = None
    modules: tuple[str, ...] = ()


@dataclass(frozen=True)
class Interval:
    """How a unary element-wise primitive maps an interval of its argument.

    Between ``turns`` (points where f' changes sign; with ``period``, the
    turns repeat with that period) the function is monotone, so the image of
    an interval is the hull of f at its ends and at the turns inside.
    ``poles`` are points where f is discontinuous (with ``period``,
    repeating), an interval across one maps to ``image`` (None: the whole
    line).  Arguments are clamped into ``domain`` first.  ``known`` is False
    when none of this is declared: the image is then the whole line."""

    known: bool = True
    turns: tuple[float, ...] = ()
    period: float | None = None
    poles: tuple[float, ...] = ()
    image: tuple[float, float] | None = None
    domain: tuple[float, float] = FULL


#: An interval behaviour for a primitive nobody described.
UNKNOWN_INTERVAL = Interval(known=False)


@dataclass(frozen=True)
class Tensor:
    """A tensor primitive's derivative and shape rule.

    ``vjp(g, out, *args) -> adjoint per argument``; ``jvp(out, args,
    tangents) -> tangent``; ``shape(*per-point shapes) -> result shape``
    (ValueError with the words a ShapeError shows).  ``point_partial`` is the
    element-wise partial on per-point scalars (``sum`` of one number is that
    number), for the one-point kernels; None when scalars are rejected.
    ``vjp_summed(g, out, *args, wanted=kinds)``: the adjoints by kind, per
    argument ``"point"`` (each point's, as ``vjp``), ``"total"`` (a value
    shared by the batch: summed over the batch, size-1 batch axis, without
    forming each point's: ``x.T @ g`` for a weight matrix) or None (not
    needed: not computed); None: the backward pass uses ``vjp`` and sums."""

    vjp: Callable
    jvp: Callable
    shape: Callable[..., tuple[int, ...]]
    point_partial: Callable[[tuple[Node, ...], int], Node] | None = None
    vjp_summed: Callable | None = None


@dataclass(frozen=True)
class Rule:
    """Everything chainlens knows about one primitive."""

    name: str
    arity: int  # -1: n-ary (add, mul)
    #: numpy forward (numerically stable where the textbook form is not); an
    #: n-ary rule's forward takes any number of arguments.
    forward: Callable[..., object]
    #: ``partial(args, i)``: ∂f/∂args[i] as an engine expression; None for
    #: tensor primitives (their derivative is ``tensor``).
    partial: Callable[[tuple[Node, ...], int], Node] | None
    notation: Notation
    #: sup |df/darg| over the domain, per argument; inf when unbounded,
    #: None when it depends on the other arguments (products, powers).
    bound: float | None = None
    #: f'(u) -> 0 as |u| -> inf (sigmoid, tanh, erf): the vanishing suspects.
    saturates: bool = False
    domain: tuple[Condition, ...] = ()
    smooth: tuple[Condition, ...] = ()
    spellings: Spellings = Spellings()
    interval: Interval = UNKNOWN_INTERVAL
    #: Functions ``notation.scalar`` names besides ``math`` (numba compiles them).
    helpers: Mapping[str, Callable] = field(default_factory=lambda: MappingProxyType({}))
    #: Optional rewrite applied on construction (e.g. sqrt -> power).
    canonical: Callable[..., Node] | None = None
    tensor: Tensor | None = None

    @property
    def kind(self) -> str:
        return "tensor" if self.tensor is not None else "elementwise"

    @property
    def aliases(self) -> tuple[str, ...]:
        return self.spellings.aliases


def unary(name: str, f: Callable[[Node], Node]):
    """A one-argument partial from ``f(u) = f'(u)``."""

    def partial(args: tuple[Node, ...], i: int) -> Node:
        return f(args[0])

    partial.__qualname__ = f"{name}_partial"
    return partial


def nary(f: Callable) -> Callable:
    """An n-ary forward from a binary numpy ufunc: a fold, so a third
    argument is never taken for numpy's ``out``."""

    @functools.wraps(f)
    def forward(*args):
        return functools.reduce(f, args)

    return forward


def call_of(name: str) -> Callable[..., Node]:
    """``f(u, ..)`` for a primitive of the table, built without canonicalising."""
    return lambda *args: raw(name, *args)


def notation(text, uni=None, latex=None, python=None, scalar=None, arity=1) -> Notation:
    """A :class:`Notation` with the usual defaults: ``np.text`` and
    ``math.text`` calls, ``\\operatorname{text}`` in LaTeX."""
    args = ", ".join(f"{{{i}}}" for i in range(arity))
    return Notation(
        text=text,
        unicode=uni if uni is not None else text,
        latex=latex if latex is not None else "\\operatorname{" + text + "}",
        python=python if python is not None else f"np.{text}({args})",
        scalar=scalar if scalar is not None else f"math.{text}({args})",
    )
