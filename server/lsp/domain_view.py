"""Domain warnings: ``log`` of a value that can be ≤ 0, ``sqrt`` of one
that can be negative, ``asin`` outside [-1, 1]...

The conditions come from the engine (:func:`chainlens.engine.symbolic.conditions.conditions_of`,
which reads them from the rules table).  Each is judged two ways, both by
the engine:

* at the ``@at`` point (:meth:`Condition.holds` on the evaluated values):
  violated there -> a warning;
* over the declared input ranges (``input x in [-1, 1]``), by the interval
  evaluation the gradient-health analysis uses: the argument *can* leave
  the domain -> an information.

Inputs without a declared range are not judged statically: every ``log(x)``
would be flagged, and the health analysis already reports the singular
points under its assumed ranges.
"""

from __future__ import annotations

import math

from chainlens.engine.core.ir import Node
from lsprotocol import types

__all__ = ["diagnostics"]

_RELATION_OK = {">": lambda lo, hi: lo > 0, ">=": lambda lo, hi: lo >= 0,
                "<": lambda lo, hi: hi < 0, "<=": lambda lo, hi: hi <= 0,
                "!=": lambda lo, hi: lo > 0 or hi < 0}


def _intervals(program) -> dict[Node, tuple[float, float]] | None:
    from chainlens.engine.health.bounds import FULL, forward_intervals

    ranges = {d.name: (float(d.range[0]), float(d.range[1]))
              for d in program.declarations if d.range is not None}
    if not ranges:
        return None
    for name in program.inputs:
        ranges.setdefault(name, FULL)
    return forward_intervals(program, ranges)


def _scalar_env(unit) -> dict[str, float] | None:
    pv = unit.point
    if pv is None or pv.where != "at":
        return None
    env = {}
    for name, value in pv.values.items():
        try:
            env[name] = float(value)
        except (TypeError, ValueError):
            continue  # tensors are judged by the numeric path's nonfinite report
    return env


def diagnostics(analysis, unit, make_fix) -> list[types.Diagnostic]:
    if analysis.kind != "chain":
        return []
    from chainlens.engine.health.bounds import interval_of
    from chainlens.engine.symbolic.conditions import conditions_of

    program = unit.program
    env = _scalar_env(unit)
    iv = _intervals(program)
    out: list[types.Diagnostic] = []
    for a in program.assignments:
        for cond in conditions_of(a.expr):
            if cond.kind != "domain":
                continue
            spans = [s for s in program.spans.get(cond.source, ())
                     if a.span.start <= s.start and s.end <= a.span.end] or [a.expr_span]
            where = analysis.index.span_range(spans[0])
            if env is not None and cond.holds(env) is False:
                values = ", ".join(f"{n} = {env[n]:.4g}" for n in _names(cond.expr) if n in env)
                out.append(types.Diagnostic(
                    range=where, severity=types.DiagnosticSeverity.Warning, source="chainlens",
                    code="domain",
                    message=f"outside its domain at the @at point: needs {cond.text}"
                            + (f" but {values}" if values else ""),
                    data={"fixes": []}))
                continue
            if iv is None:
                continue
            lo, hi = interval_of(cond.expr, dict(iv))
            if math.isnan(lo) or math.isnan(hi) or _RELATION_OK[cond.relation](lo, hi):
                continue
            out.append(types.Diagnostic(
                range=where, severity=types.DiagnosticSeverity.Information, source="chainlens",
                code="domain",
                message=f"needs {cond.text}, but over the declared input ranges it can be "
                        f"anywhere in [{lo:.3g}, {hi:.3g}]",
                data={"fixes": []}))
    return out


def _names(expr: Node) -> tuple[str, ...]:
    from chainlens.engine.core.ir import free_symbols

    return free_symbols(expr)
