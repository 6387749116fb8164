"""Public printing entry points, and shared sub-expressions printed once.

:func:`render_shared` names big shared sub-expressions once, as lets
(``u₁ = …``), for hovers of deep programs.  Python source is never cut:
when a plain rendering would exceed ``max_chars``, :func:`to_python` names
the shared sub-expressions instead, as one expression that still runs
(``((u1 := …), (u2 := …), body)[-1]``: Python evaluates a tuple left to
right); if even a let exceeds ``max_chars`` the source says so in a
comment on a runnable ``None`` rather than emitting code that was cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chainlens.engine.core.nodes import Node
from chainlens.engine.core.walk import postorder
from chainlens.engine.printing.names import display_symbol
from chainlens.engine.printing.notations import Latex, Python, TooLong, Unicode
from chainlens.engine.printing.walk import ATOM, MAX_CHARS, Frag, Printer

__all__ = ["render", "render_flat", "render_shared", "render_shared_many", "render_auto",
           "SharedResults", "flat_length", "flat_lengths", "SHARED_ABOVE", "to_text",
           "to_unicode", "to_latex", "to_python", "NOTATIONS", "MAX_CHARS"]

_PRINTERS = {"text": Printer, "unicode": Unicode, "latex": Latex, "python": Python}
#: The notations :func:`render` accepts.
NOTATIONS = tuple(_PRINTERS)
#: Most lets a Python rendering may name, times ``max_chars`` its total length.
_PYTHON_TOTAL = 50


class Lets:
    """Decides, bottom-up, which shared nodes are printed once under a name
    (``root`` may be several roots: a gradient's components share lets)."""

    def __init__(self, root, notation: str, min_uses: int, min_chars: int):
        self.uses: dict[int, int] = {}
        names = set()
        # The walk's order, kept: the printer walks the same roots next.
        self.roots = root
        self.order = postorder(root)
        for node in self.order:
            for a in node.args:
                self.uses[id(a)] = self.uses.get(id(a), 0) + 1
            if node.op == "sym":
                names.add(node.value)
        # a let letter no variable could be confused with (u1, u_1, u₁)
        self.letter = next(c for c in "uhgqkmnrstUHG"
                           if not any(re.fullmatch(c + r"_?\d+", n) for n in names))
        self.notation = notation
        self.min_uses, self.min_chars = min_uses, min_chars
        self.bound: list[tuple[str, str]] = []

    def offer(self, node: Node, frag: Frag, opaque: set[int]) -> Frag:
        if (not node.args or self.uses.get(id(node), 0) < self.min_uses
                or len(frag.s) < self.min_chars):
            return frag
        i = len(self.bound) + 1
        if self.notation in ("text", "python"):
            name = f"{self.letter}{i}"
        else:
            name = display_symbol(f"{self.letter}_{i}", self.notation)
        self.bound.append((name, frag.s))
        opaque.add(id(node))
        return Frag(name, ATOM, name=True)



def render(node: Node, notation: str = "text", max_chars: int | None = MAX_CHARS) -> str:
    """``node`` in ``notation`` ("text", "unicode", "latex" or "python").
    Fragments longer than ``max_chars`` end in an ellipsis (Python source
    names shared sub-expressions instead: truncated code would not run)."""
    printer = _printer(notation)
    if notation == "python":
        return _python(node, max_chars)
    return printer(max_chars).walk(node).s


def _printer(notation: str):
    printer = _PRINTERS.get(notation)
    if printer is None:
        raise ValueError(f"unknown notation {notation!r}; choose one of {', '.join(NOTATIONS)}")
    return printer


def _python(node: Node, max_chars: int | None) -> str:
    """Python source for ``node``: plain when it fits, else with shared
    sub-expressions named by assignment expressions, else a comment."""
    try:
        return Python(max_chars).walk(node).s
    except TooLong:
        pass
    lets = Lets(node, "python", 2, 12)
    try:
        body = Python(max_chars).walk(node, lets).s
    except TooLong as exc:
        return _too_long(exc.length, max_chars)
    parts = [f"({name} := {text})" for name, text in lets.bound] + [body]
    total = sum(len(p) + 2 for p in parts)
    if max_chars is not None and total > _PYTHON_TOTAL * max_chars:
        return _too_long(total, max_chars)
    return "(" + ", ".join(parts) + ")[-1]"


def _too_long(length: int, max_chars: int) -> str:
    return (f"None  # chainlens: not printed, the Python source needs more than {max_chars} "
            f"characters in one piece ({length}); render with a larger max_chars")


def to_text(node: Node, max_chars: int | None = MAX_CHARS) -> str:
    """Plain ASCII that :func:`~chainlens.engine.language.reader.parse_expr` reads back
    to the same node: ``2*x*cos(x^2)``, ``exp(-x)/(1 + exp(-x))^2``."""
    return render(node, "text", max_chars)


def to_unicode(node: Node, max_chars: int | None = MAX_CHARS) -> str:
    """The hover form: ``2x·cos(x²)``, ``σ(z)``, ``√(1 − x²)``."""
    return render(node, "unicode", max_chars)


def to_latex(node: Node, max_chars: int | None = MAX_CHARS) -> str:
    """LaTeX: ``2 x \\cos\\left(x^{2}\\right)``, ``\\frac{}{}``, ``e^{-x}``."""
    return render(node, "latex", max_chars)


def to_python(node: Node, max_chars: int | None = MAX_CHARS) -> str:
    """numpy source (``2 * x * np.cos(x ** 2)``) that runs with only
    ``numpy as np`` and ``math`` imported."""
    return render(node, "python", max_chars)


#: A result whose flat text would be longer than this (estimated) is
#: printed with its shared sub-expressions named (:func:`render_auto`).
SHARED_ABOVE = 4000


def flat_length(node: Node, limit: int = SHARED_ABOVE) -> int:
    """About how long ``node``'s flat text is, counted over the DAG (each
    node once) and capped just above ``limit``: the flat text of a deep
    result is exponential, and this never builds it."""
    return flat_lengths((node,), limit)[0]


def flat_lengths(nodes, limit: int = SHARED_ABOVE) -> list[int]:
    """:func:`flat_length` of each of ``nodes`` from one walk over all of
    them (a gradient's components share most of their nodes)."""
    nodes = tuple(nodes)
    size: dict[int, int] = {}
    cap = limit + 1
    for n in postorder(nodes):
        args = n.args
        if not args:
            v = n.value
            size[id(n)] = len(v) if type(v) is str else 2 if v is None else len(str(v))
            continue
        total = len(n.op) + 2 * len(args)
        for a in args:
            total += size[id(a)]
        size[id(n)] = total if total <= cap else cap
    return [size[id(n)] for n in nodes]


def render_auto(node: Node, notation: str = "text", max_chars: int | None = MAX_CHARS) -> str:
    """The flat form when it is short, else :func:`render_shared` (lets
    ``u1 = …`` then the expression): what results print by default, so a
    deep gradient costs its DAG, not its exponential tree."""
    if notation == "python":
        return render(node, notation, max_chars)
    flat = render_flat(node, notation, max_chars)
    if flat is not None:
        return flat
    return render_shared(node, notation, max_chars=max_chars)


def render_flat(node: Node, notation: str = "text", max_chars: int | None = MAX_CHARS,
                limit: int = SHARED_ABOVE) -> str | None:
    """``render(node, notation, max_chars)`` when ``flat_length(node) <=
    limit``, else None; the estimate is counted over the printer's own
    postorder, before it prints (one walk of the DAG instead of two)."""
    if notation == "python":
        raise ValueError("Python source is never printed flat-or-nothing; use render")
    frag = _printer(notation)(max_chars).walk(node, flat_limit=limit)
    return None if frag is None else frag.s


@dataclass(frozen=True)
class SharedResults:
    """Several results printed together: ``lets`` (name, text) in dependency
    order, shared by all of them, and one body per result."""

    lets: tuple[tuple[str, str], ...]
    bodies: tuple[str, ...]

    def lines(self, labels=None) -> list[str]:
        head = [f"{name} = {text}" for name, text in self.lets]
        if labels is None:
            return head + list(self.bodies)
        return head + [f"{label} = {body}" for label, body in zip(labels, self.bodies,
                                                                      strict=True)]


def render_shared_many(nodes, notation: str = "text", min_uses: int = 2, min_chars: int = 12,
                       max_chars: int | None = MAX_CHARS) -> SharedResults:
    """Several nodes (a gradient's components) printed in one walk, their
    common sub-expressions named once for all of them."""
    nodes = tuple(nodes)
    lets = Lets(nodes, notation, min_uses, min_chars)
    bodies = _printer(notation)(max_chars).walk_many(nodes, lets)
    return SharedResults(tuple(lets.bound), tuple(f.s for f in bodies))


def render_shared(node: Node, notation: str = "text", min_uses: int = 2,
                  min_chars: int = 12, max_chars: int | None = MAX_CHARS) -> str:
    """``node`` with every sub-expression used at least ``min_uses`` times
    and printing to at least ``min_chars`` characters named once, as lets
    before the expression, one per line::

        u₁ = σ(w·x + b)
        2(u₁ − y)·u₁·(1 − u₁)·x

    Deep programs share their layers, so this stays linear in the DAG's size
    where the plain printers would be exponential.  Lets come in dependency
    order (each uses only earlier ones); the last line is the expression."""
    printer = _printer(notation)
    lets = Lets(node, notation, min_uses, min_chars)
    body = printer(max_chars).walk(node, lets).s
    return "\n".join([*(f"{name} = {text}" for name, text in lets.bound), body])
