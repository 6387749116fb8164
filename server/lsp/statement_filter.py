"""Which assignments of a program can give a diagnostic at all, remembered by
expression.

The per-statement diagnostics (numerically unstable forms, domain
conditions) walk every assignment on every version: 40-70 ms on a
2,000-line program, most of a code edit's cost, though after an edit
nearly every expression is one seen before (nodes are interned, so an
unchanged statement's expression is the same object) and nearly none can
give a finding.  Whether an expression *can* (it contains a form with a
stable rewrite; it has a domain condition) does not depend on where it is
written, so it is remembered by expression; the engine's functions then
judge only the assignments that can, on a program of those alone, which
gives exactly their findings on the whole program (the others contribute
nothing, and each finding lies inside its own assignment).
"""

from __future__ import annotations

from dataclasses import replace

from chainlens.engine.api.stability import REPORTED
from chainlens.engine.core.walk import postorder
from chainlens.engine.rules.stable import match_stable
from chainlens.engine.symbolic.conditions import conditions_of

__all__ = ["with_unstable_candidates", "with_domain_conditions"]

#: expression -> whether it can give a finding (bounded: emptied when full)
_UNSTABLE: dict = {}
_DOMAIN: dict = {}
_MAX = 50_000


def _remembered(table: dict, node, compute) -> bool:
    found = table.get(node)
    if found is None:
        if len(table) > _MAX:
            table.clear()
        found = table[node] = compute(node)
    return found


def _has_unstable(node) -> bool:
    for n in postorder(node):
        found = match_stable(n)
        if found is not None and found.name in REPORTED:
            return True
    return False


def _has_domain(node) -> bool:
    return any(c.kind == "domain" for c in conditions_of(node))


def with_unstable_candidates(program):
    """``program`` with only the assignments that contain a reported unstable
    form (``engine.api.stability.unstable_forms`` finds the same on it)."""
    return _only(program, _UNSTABLE, _has_unstable)


def with_domain_conditions(program):
    """``program`` with only the assignments that have a domain condition,
    when no declared range makes intervals flow through the others
    (``engine.api.domains.domain_issues`` finds the same on it); else
    ``program``."""
    if any(d.range is not None for d in program.declarations):
        return program
    return _only(program, _DOMAIN, _has_domain)


def _only(program, table: dict, compute):
    if program.repeats:
        return program  # a block's layers share places: judged as a whole
    kept = tuple(a for a in program.assignments if _remembered(table, a.expr, compute))
    if len(kept) == len(program.assignments):
        return program
    return replace(program, assignments=kept, _expanded={})
