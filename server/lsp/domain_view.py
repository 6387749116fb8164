"""Domain warnings as LSP diagnostics: ``log`` of a value that can be ≤ 0,
``sqrt`` of one that can be negative, ``asin`` outside [-1, 1]...

The judging is the engine's (:func:`chainlens.engine.api.domains.domain_issues`:
at the ``@at`` point, and over the declared input ranges); this module
only turns each issue into a diagnostic at its place.
"""

from __future__ import annotations

from chainlens.engine.api.domains import domain_issues
from chainlens.server.lsp.statement_filter import with_domain_conditions
from lsprotocol import types

__all__ = ["diagnostics"]

_SEVERITY = {"warning": types.DiagnosticSeverity.Warning,
             "info": types.DiagnosticSeverity.Information}


def diagnostics(analysis, unit, make_fix) -> list[types.Diagnostic]:
    if analysis.kind != "chain":
        return []
    pv = unit.point
    values = pv.values if pv is not None and pv.where == "at" else None
    return [types.Diagnostic(range=analysis.index.span_range(issue.span),
                             severity=_SEVERITY[issue.severity], source="chainlens",
                             code="domain", message=issue.message, data={"fixes": []})
            for issue in domain_issues(with_domain_conditions(unit.program), values)]
