"""Domain judging: ``log`` of a value that can be ≤ 0, ``sqrt`` of one that
can be negative, ``asin`` outside [-1, 1]...

The conditions come from the rules table
(:func:`chainlens.engine.symbolic.conditions.conditions_of`).  Each is judged
two ways:

* at a point (:meth:`Condition.holds` on the point's values): violated
  there -> a warning;
* over the declared input ranges (``input x in [-1, 1]``), by the interval
  evaluation the gradient-health analysis uses: the argument *can* leave
  the domain -> an information.

Inputs without a declared range are not judged statically: every ``log(x)``
would be flagged, and the health analysis already reports the singular
points under its assumed ranges.  The language server shows these issues
as diagnostics; any other door can list them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from chainlens.engine.core.nodes import Node
from chainlens.engine.core.source import Span
from chainlens.engine.core.walk import free_symbols
from chainlens.engine.health.intervals import FULL, forward_intervals, interval_of
from chainlens.engine.language.program import Program
from chainlens.engine.symbolic.conditions import conditions_of

__all__ = ["DomainIssue", "domain_issues"]

_RELATION_OK = {">": lambda lo, hi: lo > 0, ">=": lambda lo, hi: lo >= 0,
                "<": lambda lo, hi: hi < 0, "<=": lambda lo, hi: hi <= 0,
                "!=": lambda lo, hi: lo > 0 or hi < 0}


@dataclass(frozen=True)
class DomainIssue:
    """``severity`` is ``warning`` (violated at the point) or ``info`` (can
    be violated over the declared ranges)."""

    span: Span
    severity: str
    message: str
    condition: str


def _intervals(program: Program) -> dict[Node, tuple[float, float]] | None:
    ranges = {d.name: (float(d.range[0]), float(d.range[1]))
              for d in program.declarations if d.range is not None}
    if not ranges:
        return None
    for name in program.inputs:
        ranges.setdefault(name, FULL)
    return forward_intervals(program, ranges)


def _scalars(values: Mapping | None) -> dict[str, float] | None:
    if values is None:
        return None
    env = {}
    for name, value in values.items():
        try:
            env[name] = float(value)
        except (TypeError, ValueError):
            continue  # tensors are judged by the numeric path's nonfinite report
    return env


def domain_issues(program: Program, values: Mapping | None = None) -> tuple[DomainIssue, ...]:
    """Every domain condition of ``program`` violated at ``values`` (the
    values of its names at one point, None: not judged at a point) or
    possibly violated over its declared input ranges."""
    env = _scalars(values)
    iv = _intervals(program)
    out: list[DomainIssue] = []
    for a in program.assignments:
        for cond in conditions_of(a.expr):
            if cond.kind != "domain":
                continue
            spans = [s for s in program.spans.get(cond.source, ())
                     if a.span.start <= s.start and s.end <= a.span.end] or [a.expr_span]
            if env is not None and cond.holds(env) is False:
                shown = ", ".join(f"{n} = {env[n]:.4g}" for n in free_symbols(cond.expr)
                                  if n in env)
                out.append(DomainIssue(
                    spans[0], "warning",
                    f"outside its domain at the @at point: needs {cond.text}"
                    + (f" but {shown}" if shown else ""), cond.text))
                continue
            if iv is None:
                continue
            lo, hi = interval_of(cond.expr, dict(iv))
            if math.isnan(lo) or math.isnan(hi) or _RELATION_OK[cond.relation](lo, hi):
                continue
            out.append(DomainIssue(
                spans[0], "info",
                f"needs {cond.text}, but over the declared input ranges it can be anywhere in "
                f"[{lo:.3g}, {hi:.3g}]", cond.text))
    return tuple(out)
