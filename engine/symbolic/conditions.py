"""Where an expression and its derivative are valid.

A derivative is only true where the function is defined and smooth: the
derivative of ``|x|`` is ``sign(x)`` except at 0, ``d/dx log(x) = 1/x``
needs ``x > 0``, ``asin`` has no derivative at ``|x| = 1``.  These facts are
declared once, in the rules table (``Rule.domain`` and ``Rule.smooth``,
conditions over placeholder arguments); this module substitutes the real
arguments of every primitive in an expression, adds the conditions general
powers carry (``x^(1/2)``, ``x^-1``, ``x^x``), and returns them as data the
language server can show and test.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cached_property

from chainlens.engine.core.cache import Cache
from chainlens.engine.core.nodes import Node
from chainlens.engine.core.walk import free_symbols, postorder, substitute
from chainlens.engine.printing import render
from chainlens.engine.rules import PLACEHOLDERS, RULES
from chainlens.engine.symbolic.values import value_at

__all__ = ["Condition", "conditions_of", "assumption"]

#: How each relation is spelled, and its boundary (where a smooth condition fails).
_SPELL = {">": ">", ">=": "≥", "<": "<", "<=": "≤", "!=": "≠", "==": "="}


@dataclass(frozen=True)
class Condition:
    """``expr RELATION 0``, concerning the sub-expression ``source``.

    ``kind`` is ``"domain"`` (the function is undefined elsewhere),
    ``"nondifferentiable"`` (the condition says where the derivative does
    NOT exist: ``relation`` is ``==``), or ``"assumption"`` (a
    simplification such as ``exp(log u) -> u`` holds only there).
    ``text`` is the sentence a person reads; it is printed on first use
    (``template`` over the printed ``args``, ``{f}`` the printed source),
    so collecting conditions costs no printing."""

    kind: str
    relation: str
    expr: Node
    source: Node
    template: str = field(repr=False)
    args: tuple[Node, ...] = field(default=(), repr=False)

    @cached_property
    def text(self) -> str:
        return self.template.format(*(_show(a) for a in self.args),
                                    f=_show(self.source) if "{f}" in self.template else "")

    def holds(self, env: dict[str, float]) -> bool | None:
        """Whether the condition is true at a point (None: cannot tell)."""
        v = value_at(self.expr, env)
        if not math.isfinite(v):
            return None
        return {
            ">": v > 0, ">=": v >= 0, "<": v < 0, "<=": v <= 0, "!=": v != 0, "==": v == 0,
        }[self.relation]

    def to_dict(self) -> dict:
        return {"kind": self.kind, "relation": self.relation, "text": self.text,
                "expr": _show(self.expr), "source": _show(self.source)}


def _show(node: Node) -> str:
    return render(node, "unicode")


def _template(text: str) -> str:
    """A rule's ``"cos(u) ≠ 0"`` as ``"cos({0}) ≠ 0"``."""
    text = text.replace("{", "{{").replace("}", "}}")
    return re.sub(r"\b[uv]\b", lambda m: "{0}" if m.group(0) == "u" else "{1}", text)


def _boundary(text: str) -> str:
    """Where a smooth condition fails: ``u ≠ 0`` -> ``u = 0``."""
    return re.sub("[<>≤≥≠]", "=", text, count=1)


def assumption(arg: Node, relation: str, source: Node) -> Condition:
    """A simplification's side condition: ``arg RELATION 0``."""
    return Condition("assumption", relation, arg, source, "{0} " + _SPELL[relation] + " 0",
                     (arg,))


#: Recent answers (a gradient asks once per variable; the editor asks for every
#: assignment of a 2,000-line file on each version, so the cache holds that many).
_RECENT: Cache = Cache(max_entries=4096)


def conditions_of(root: Node) -> tuple[Condition, ...]:
    """Every domain and differentiability condition of ``root``, each once,
    innermost first."""
    return _RECENT.get_or_make(root, lambda: _conditions(root))


def _conditions(root: Node) -> tuple[Condition, ...]:
    out: list[Condition] = []
    for node in postorder(root):
        if node.op == "pow":
            out.extend(_power_conditions(node))
            continue
        rule = RULES.get(node.op)
        if rule is None or not node.args:
            continue
        mapping = dict(zip(PLACEHOLDERS, node.args, strict=False))
        for c in rule.domain:
            out.append(Condition("domain", c.relation, substitute(c.expr, mapping), node,
                                 _template(c.text), node.args))
        for c in rule.smooth:
            where = _boundary(_template(c.text))
            out.append(Condition("nondifferentiable", "==", substitute(c.expr, mapping), node,
                                 "{f} is not differentiable where " + where, node.args))
    return dedupe(c for c in out if not _moot(c))


def _moot(c: Condition) -> bool:
    """A condition on constants that says nothing: ``2π > 0`` (true for every
    value) or ``2π = 0`` as a non-differentiable point (never).  One that fails
    (``log(−1)``'s ``−1 > 0``), or cannot be told, is kept."""
    if free_symbols(c.expr):
        return False
    holds = c.holds({})
    return holds is False if c.kind == "nondifferentiable" else holds is True


def dedupe(conditions) -> tuple[Condition, ...]:
    """Conditions without repeats: one domain condition per expression, one
    non-differentiability note per expression and primitive."""
    seen = set()
    unique = []
    for c in conditions:
        key = (c.kind, c.relation, c.expr, c.source if c.kind == "nondifferentiable" else None)
        if key not in seen:
            seen.add(key)
            unique.append(c)
    return tuple(unique)


def _power_conditions(node: Node) -> list[Condition]:
    base, exp = node.args
    if base.op == "num":
        return []
    if exp.op != "num":
        # u^v with a variable exponent is defined (as exp(v log u)) for u > 0.
        return [Condition("domain", ">", base, node, "{0} > 0", (base,))]
    e = exp.value
    if e.denominator == 1:
        if e < 0:
            return [Condition("domain", "!=", base, node, "{0} ≠ 0", (base,))]
        return []
    if e < 0:
        return [Condition("domain", ">", base, node, "{0} > 0", (base,))]
    out = [Condition("domain", ">=", base, node, "{0} ≥ 0", (base,))]
    if e < 1:
        # x^(1/2): the tangent is vertical at 0.
        out.append(Condition("nondifferentiable", "==", base, node,
                             "{f} is not differentiable where {0} = 0", (base,)))
    return out


