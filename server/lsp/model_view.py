"""Model classes in the editor: the gradient-flow hover and the reasons a
definition was not read.

A model unit (an ``nn.Module`` class read by the engine) carries its
layers; its health report carries the measured flow (per-layer |∂L/∂W| at
the framework's default initialisation, :mod:`chainlens.engine.health.model`).
This module lays them out as Markdown, and turns every skipped definition
into a hint on its ``def``/``class`` line that says why, so nothing is
silently ignored.
"""

from __future__ import annotations

import re

from chainlens.engine.core.source import Span
from chainlens.engine.health.init import program_init_words
from chainlens.engine.health.model import flow_remedies
from lsprotocol import types

__all__ = ["flow_markdown", "skip_diagnostics", "skip_at", "skip_markdown"]

#: rows of the table shown before eliding the middle of a deep stack
_HEAD, _TAIL = 4, 3

def _layer_labels(unit) -> dict[str, str]:
    """weight symbol -> what the hover calls the layer: its attribute and
    line (``fc1 (line 50)``), else the weight and its declaration's line."""
    source = getattr(unit, "source", None)
    labels = {}
    for d in unit.program.declarations:
        if d.role == "param" and d.span is not None:
            labels[d.name] = f"{d.name} (line {d.span.line})"
    for label, weight, span in getattr(source, "layers", ()) or ():
        if weight:
            labels[weight] = f"{label} (line {span.line})" if span is not None else label
    return labels


def flow_markdown(unit) -> list[str]:
    """Hover lines of a model unit: the flow table, the verdict and its
    remedies, what was assumed (empty before the measurement lands)."""
    source = getattr(unit, "source", None)
    report = getattr(unit, "health", None)
    flow = getattr(report, "flow", None)
    layers = getattr(source, "layers", ()) or ()
    count = len(flow.layers) if flow is not None and flow.layers else len(layers)
    if flow is not None and flow.inputs and not flow.layers:
        return _input_lines(flow, getattr(unit.program, "unmodelled", ())) + _notes(source)
    init = program_init_words(unit.program)
    lines = [f"{count} layer(s) with weights; init: {init}" if count else
             "no layer with weights: the gradient is measured over the input(s)"]
    if flow is None:
        lines.append("_gradient flow: measuring…_" if report is None
                     else "_gradient flow: not measured_")
        return lines + _notes(source)
    labels = _layer_labels(unit)
    rows = list(flow.layers)
    shown = rows if len(rows) <= _HEAD + _TAIL + 1 else rows[:_HEAD] + [None] + rows[-_TAIL:]
    if rows:  # no row when no layer gets a gradient as read (the verdict says why)
        lines += ["", "| layer | ‖∂L/∂W‖ | ratio to last |", "|---|---:|---:|"]
    for row in shown:
        if row is None:
            lines.append(f"| … {len(rows) - _HEAD - _TAIL} more | | |")
            continue
        name = labels.get(row.name, row.name)
        lines.append(f"| {row.layer}. {name} | {row.grad:.2g} | {row.ratio:.2g} |")
    lines.append("")
    unreached = getattr(flow, "unreached", ())
    if unreached:
        lines.append("_No gradient reaches (as read, not judged):_ "
                     + ", ".join(labels.get(n, n) for n in unreached))
        lines.append("")
    if flow.verdict == "flat":
        lines.append("**Gradient flow: none** — the loss does not reach the last layer's "
                     "weights at the default init")
    elif len(rows) < 2 and flow.verdict != "not judged":
        lines.append("**Gradient flow:** one layer, no first/last ratio to judge")
    elif flow.verdict == "healthy":
        lines.append(f"**Gradient flow: healthy** — first/last = {flow.ratio:.2g} "
                     f"(measured, {flow.draws} seeded draws at the default init)")
    elif flow.verdict == "not judged":
        ratio = f"first/last = {flow.ratio:.2g} as read; " if rows else ""
        lines.append("**Gradient flow: not judged** — " + ratio
                     + "; ".join(getattr(unit.program, "unmodelled", ())
                                 or (getattr(flow, "why", ""),)))
    else:
        lines.append(f"**Gradient flow: {flow.verdict}** — first/last = {flow.ratio:.2g} "
                     f"(measured, {flow.draws} seeded draws at the default init)")
        lines += [f"- remedy: {r}" for r in flow_remedies(flow.verdict, unit.program)]
    return lines + _notes(source)


def _input_lines(flow, unmodelled=()) -> list[str]:
    """A module without weights (an activation, ``x + pe``, a loss): the
    gradient's gain over each input instead of a weight table."""
    relative = any(g.relative for g in flow.inputs)
    gain = "‖∂L/∂x‖ / ‖∂L/∂y‖" if relative else "‖∂L/∂x‖ (a scalar output)"
    lines = ["no layer with weights: the gradient's gain through the module, over its "
             "input(s)", "", f"| input | {gain} | per coordinate, 5–95% |", "|---|---:|---:|"]
    for g in flow.inputs:
        per = f"{g.low:.2g} … {g.high:.2g}" if g.low is not None and g.high is not None else "—"
        lines.append(f"| {g.name} | {g.gain:.2g} | {per} |")
    lines.append("")
    how = f"measured at inputs of unit variance, {flow.draws} seeded draws"
    if flow.verdict == "flat":
        lines.append(f"**Gradient flow: none** — no gradient reaches the input ({how})")
    elif flow.verdict == "healthy":
        lines.append(f"**Gradient flow: passes** — gain {flow.ratio:.2g} ({how}; per "
                     "coordinate of an elementwise activation: its derivative's range)")
    elif flow.verdict == "not judged":
        why = "; ".join(unmodelled)
        lines.append(f"**Gradient flow: not judged** — gain {flow.ratio:.2g} as read ({how})"
                     + (f": {why}" if why else ""))
    else:
        word = "shrinks" if flow.verdict == "vanishing" else "grows"
        lines.append(f"**Gradient flow: {flow.verdict}** — the module alone {word} the "
                     f"gradient by {flow.ratio:.2g} ({how})")
    return lines


def _notes(source) -> list[str]:
    notes = getattr(source, "notes", ()) or ()
    return (["", "_Read as:_ " + "; ".join(notes)]) if notes else []


_DEF = re.compile(r"^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+(\w+)", re.M)


def _def_line(text: str, skipped) -> tuple[int, int]:
    """The ``def``/``class`` line a skip belongs to: the nearest definition
    of its name (``Net.forward`` -> ``forward``) at or before its span."""
    short = skipped.name.split(".")[-1]
    best = None
    for m in _DEF.finditer(text, 0, skipped.span.end):
        if m.group(1) == short:
            best = m
    if best is None:
        return skipped.span.start, skipped.span.end
    return best.start(1), best.end(1)


def _class_line(text: str, skipped) -> tuple[int, int] | None:
    """The ``class`` line of a skipped method (``Net.forward`` -> ``class
    Net``): the nearest definition of that class before the method's."""
    if "." not in skipped.name:
        return None
    owner = skipped.name.split(".")[-2]
    best = None
    for m in _DEF.finditer(text, 0, skipped.span.start):
        if m.group(1) == owner and m.group(0).lstrip().startswith("class"):
            best = m
    return None if best is None else (best.start(1), best.end(1))


def skip_at(analysis, offset: int):
    """The skipped definition whose ``def``/``class`` line holds ``offset``
    (a skipped ``forward``/``__call__`` also on its class's line)."""
    text = analysis.text
    for skipped in analysis.skipped or ():
        for place in (_def_line(text, skipped), _class_line(text, skipped)):
            if place is None:
                continue
            line_start = text.rfind("\n", 0, place[0]) + 1
            line_end = text.find("\n", place[1])
            if line_start <= offset <= (line_end if line_end >= 0 else len(text)):
                return skipped
    return None


def skip_markdown(skipped) -> str:
    reason = skipped.reason.removeprefix("not read: ")
    return f"**{skipped.name}** — not read: {reason}"


def skip_diagnostics(analysis) -> list[types.Diagnostic]:
    """One hint per skipped definition of a Python document, on its line."""
    if analysis.kind != "python":  # a notebook's skips point into its cells' text
        return []
    out = []
    for skipped in analysis.skipped or ():
        if getattr(skipped, "error", None) is not None:
            continue  # limits are reported as errors by the parse diagnostics
        start, end = _def_line(analysis.text, skipped)
        reason = skipped.reason.removeprefix("not read: ")
        out.append(types.Diagnostic(
            range=analysis.index.span_range(Span.at(analysis.text, start, end)),
            message=f"{skipped.name} not read: {reason}",
            severity=types.DiagnosticSeverity.Hint, source="chainlens", code="not-read"))
    return out
