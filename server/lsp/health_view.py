"""Gradient-health findings as LSP diagnostics and hover summaries.

The engine's :func:`chainlens.engine.health.analysis.analyze` does the judging
(products of |f'| bounds along paths, domains); this module only maps a
finding to a diagnostic: its range covers the whole composition, each
contributing factor becomes a ``relatedInformation`` entry at the factor's
place with its magnitude, and its remedies (text edits) become the fixes
carried in ``data``.
"""

from __future__ import annotations

from chainlens.engine.core.source import Span
from lsprotocol import types

__all__ = ["diagnostics", "summary", "findings"]

_SEVERITY = {"error": types.DiagnosticSeverity.Error,
             "warning": types.DiagnosticSeverity.Warning,
             "info": types.DiagnosticSeverity.Information,
             "information": types.DiagnosticSeverity.Information,
             "hint": types.DiagnosticSeverity.Hint}


def findings(unit) -> list:
    report = unit.health
    if report is None:
        return []
    return list(getattr(report, "findings", None) or ())


def _text(obj, *names, default=""):
    for name in names:
        value = getattr(obj, name, None)
        if value is not None:
            return value
    return default


def _edits(remedy) -> list[tuple[int, int, str]]:
    """A remedy's text edits as ``(start, end, new_text)``."""
    edits = getattr(remedy, "edits", None)
    if edits is None:
        edits = [remedy]
    out = []
    for edit in edits:
        if isinstance(edit, tuple) and len(edit) == 2 and isinstance(edit[0], Span):
            span, text = edit
        else:
            span = getattr(edit, "span", None)
            text = _text(edit, "new_text", "text", "replacement", default=None)
        if isinstance(span, Span) and isinstance(text, str):
            out.append((span.start, span.end, text))
    return out


def diagnostics(analysis, unit, make_fix) -> list[types.Diagnostic]:
    out = []
    for finding in findings(unit):
        span = getattr(finding, "span", None) or unit.name_span or unit.span
        severity = str(getattr(finding, "severity", "warning")).lower()
        related = []
        for factor in getattr(finding, "factors", None) or ():
            fspan = getattr(factor, "span", None)
            if fspan is None:
                continue
            label = _text(factor, "message", "label", "text", "name", default="factor")
            magnitude = getattr(factor, "magnitude", None)
            if magnitude is not None and not isinstance(magnitude, str):
                label = f"{label}: |∂| ≤ {float(magnitude):.3g}"
            related.append(types.DiagnosticRelatedInformation(
                location=types.Location(uri=analysis.uri,
                                        range=analysis.index.span_range(fspan)),
                message=str(label)))
        fixes = []
        for remedy in getattr(finding, "remedies", None) or ():
            edits = _edits(remedy)
            if edits:
                title = _text(remedy, "title", "label", "description", "message",
                              default="Apply the suggested fix")
                fixes.append(make_fix(analysis, str(title), edits))
        out.append(types.Diagnostic(
            range=analysis.index.span_range(span),
            message=str(getattr(finding, "message", "gradient health")),
            severity=_SEVERITY.get(severity, types.DiagnosticSeverity.Warning),
            source="chainlens", code=str(getattr(finding, "kind", "health")),
            related_information=related or None,
            data={"fixes": fixes, "kind": str(getattr(finding, "kind", ""))},
        ))
    return out


def summary(unit) -> str:
    """One Markdown paragraph: the health verdict of a unit."""
    report = unit.health
    if report is None:
        return ""
    items = findings(unit)
    where = {"at": "at the @at point", "sampled": "at sampled points"}.get(
        getattr(report, "points_from", ""), "by static bounds")
    lines = []
    if not items:
        lines.append(f"**Gradient health:** no vanishing or exploding gradients ({where})")
    else:
        lines.append(f"**Gradient health:** {len(items)} finding(s) ({where})")
        for f in items[:5]:
            lines.append(f"- {f.severity}: {f.message}")
    for r in getattr(report, "repeats", ()) or ():
        if r.layers:
            lines.append(f"- repeat over {r.var}: |∂/∂ first layer| / |∂/∂ last layer| = "
                         f"{r.ratio:.2g}")
    return "\n".join(lines)
