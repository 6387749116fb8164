"""The table of primitives: every function chainlens knows, declared once.

Each :class:`~chainlens.engine.rules.types.Rule` says, for one primitive,
everything any part of chainlens needs: its arity and the names people type
for it; its numpy forward (numerically stable where the textbook form is
not) and its spellings in every printed notation and kernel dialect; each
partial derivative as an engine expression (``partial(args, i)``), the only
derivative formulas in the code base (the symbolic chain rule substitutes
the real arguments, the numeric backward pass compiles the same expression
over placeholder arguments ``$0, $1``, see :func:`template`); the bound of
|f'| and whether f saturates; its domain and points of
non-differentiability as conditions; how it maps intervals; and for tensor
primitives their vector-Jacobian products and shape rule.

Adding a primitive is adding one entry to one of the family modules:
:mod:`.arithmetic`, :mod:`.trig`, :mod:`.hyperbolic`, :mod:`.special`,
:mod:`.tensor`, :mod:`.stable`.  This module assembles them into
:data:`RULES` and the name index :data:`ALIASES`.
"""

from __future__ import annotations

from chainlens.engine.core.ir import add, mul
from chainlens.engine.core.nodes import Node, raw
from chainlens.engine.rules import arithmetic, hyperbolic, special, stable, tensor, trig
from chainlens.engine.rules.compose import COMPOSITIONS, Composition
from chainlens.engine.rules.stable import Stable, match_stable, stable_form
from chainlens.engine.rules.types import (
    PLACEHOLDERS,
    Condition,
    Interval,
    Notation,
    Rule,
    Spellings,
    Tensor,
)

__all__ = ["Rule", "Condition", "Notation", "Spellings", "Interval", "Tensor", "RULES",
           "ALIASES", "LATEX", "MODULES", "INVERSES", "COMPOSITIONS", "Composition", "lookup",
           "template", "partials", "PLACEHOLDERS", "Stable", "match_stable", "stable_form",
           "latex_commands", "function_names"]

RULES: dict[str, Rule] = {}
#: Every spelling a parser may map to a rule name (the name itself included).
ALIASES: dict[str, str] = {}
#: LaTeX control words (no backslash) -> rule name: ``arcsin`` -> ``asin``.
LATEX: dict[str, str] = {}
#: ``torch.nn`` module classes -> rule name: ``Sigmoid`` -> ``sigmoid``.
MODULES: dict[str, str] = {}
#: ``f`` -> the rule that ``\\f^{-1}`` means: ``sin`` -> ``asin``.
INVERSES: dict[str, str] = {}

for _family in (arithmetic, trig, hyperbolic, special, tensor, stable):
    for _r in _family.RULES:
        if _r.name in RULES:
            raise AssertionError(f"primitive {_r.name!r} declared twice")
        RULES[_r.name] = _r
for _r in RULES.values():
    ALIASES[_r.name] = _r.name
    for _a in _r.spellings.aliases:
        ALIASES.setdefault(_a, _r.name)
    for _l in _r.spellings.latex:
        LATEX[_l] = _r.name
    for _m in _r.spellings.modules:
        MODULES[_m] = _r.name
    if _r.spellings.inverse_of:
        INVERSES[_r.spellings.inverse_of] = _r.name


def lookup(name: str) -> Rule | None:
    """The rule a typed function name refers to (``arcsin`` -> ``asin``)."""
    canonical = ALIASES.get(name)
    return RULES.get(canonical) if canonical else None


def latex_commands() -> tuple[str, ...]:
    """The LaTeX control words that call a primitive, longest first (the
    grammar's LaTeX-function terminal is built from them)."""
    return tuple(sorted(LATEX, key=lambda n: (-len(n), n)))


def function_names() -> tuple[str, ...]:
    """Every function name a parser accepts: rule names and aliases (but not
    the arithmetic operators) and compositions."""
    names = {a for a, r in ALIASES.items() if r not in ("add", "mul", "pow")}
    return tuple(sorted(names | set(COMPOSITIONS)))


def template(name: str, arity: int | None = None) -> tuple[Node, tuple[Node, ...]]:
    """``(f($0, ..), (∂f/∂$0, ..))``: the rule's forward node and partials
    over placeholder arguments, for code generators that evaluate the
    partials numerically.  ``arity`` is needed for the n-ary ``add``/``mul``.
    A tensor primitive's partials are those on per-point scalars."""
    rule = RULES[name]
    n = rule.arity if rule.arity >= 0 else (arity or 2)
    args = PLACEHOLDERS[:n]
    if name == "add":
        out = add(*args)
    elif name == "mul":
        out = mul(*args)
    else:
        out = raw(name, *args)
    partial = rule.partial
    if partial is None and rule.tensor is not None:
        partial = rule.tensor.point_partial
    if partial is None:
        raise KeyError(f"{name} has no element-wise partial")
    return out, tuple(partial(args, i) for i in range(n))


def partials(node: Node) -> tuple[Node, ...]:
    """∂node/∂child for each child of ``node``, from the table."""
    rule = RULES[node.op]
    return tuple(rule.partial(node.args, i) for i in range(len(node.args)))
