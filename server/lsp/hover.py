"""``textDocument/hover``: the derivative where the cursor is.

What is under the cursor decides the question asked of the engine:

* in a ``.chain`` file, a *name* asks for ∂(output)/∂(name) (for an
  assigned name, with the later assignments inlined and the earlier ones
  kept as names, the way backprop is written by hand); any other place
  in an assignment asks for its local partial derivatives;
* in Python, a ``def`` (or Sequential, or math assignment) asks for the
  gradient of its result by its parameters;
* in a note, a math fragment asks for its derivative, or for the verdict
  on the claim it makes.

The answer shows the result (in the notation of the settings) and a LaTeX
block, the chain-rule steps short with the full derivation below, the
value and gradient at the ``@at`` point, and the gradient-health summary.
Answers are memoised per analysis: hovering again is a look-up.
"""

from __future__ import annotations

import asyncio
import logging
import re

from chainlens.engine.api.derivatives import in_terms_of, unit_variables, variable_of
from chainlens.engine.core.nodes import Node
from chainlens.engine.core.walk import count_nodes, free_symbols
from chainlens.engine.frontends.document import math_expression
from chainlens.server.lsp import engine_access as engine
from chainlens.server.lsp import health_view, model_view
from chainlens.server.lsp.analysis import Analysis, Unit
from chainlens.server.lsp.hover_text import Notation
from lsprotocol import types

log = logging.getLogger("chainlens.lsp")

__all__ = ["register", "compute"]

#: Seconds a hover waits for the health half of a fresh analysis.
HEAVY_GRACE = 1.0

#: Above this many DAG nodes a hover shows numbers, not a symbolic result
#: (a result thousands of terms long helps nobody and costs the latency).
MAX_SYMBOLIC_NODES = 600
#: ... and above this many assignments between a name and the output (the
#: inlining alone would cost more than a hover may take).
MAX_SYMBOLIC_ASSIGNMENTS = 200
#: Local partials listed in the chain rule of a name's hover.
MAX_LOCAL_STEPS = 6
#: Longest result shown in a hover (a longer one is cut with "…").
MAX_RESULT_CHARS = 1500

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:_\{[A-Za-z0-9]+\})?")


def register(server) -> None:
    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def on_hover(ls, params: types.HoverParams):
        try:
            analysis = await server.current(params.text_document.uri, heavy=HEAVY_GRACE)
            if analysis is None:
                return None
            offset = analysis.index.offset(params.position)
            return await server.store.run(compute, analysis, offset)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - a hover must never take the server down
            log.exception("hover failed")
            return None


def compute(analysis: Analysis, offset: int) -> types.Hover | None:
    target = _target(analysis, offset)
    if target is None:
        return None
    key = ("hover", target, analysis.completed.done())
    found = analysis.memoised(key, lambda: _render(analysis, target))
    if found is None:
        return None
    markdown, (start, end) = found
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=markdown),
        range=analysis.index.range(start, end))


# ---- what is under the cursor ------------------------------------------------
def _word_at(text: str, offset: int) -> tuple[str, int, int] | None:
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line_end = len(text) if line_end < 0 else line_end
    for m in _WORD.finditer(text, line_start, line_end):
        if m.start() <= offset <= m.end():
            return m.group(0), m.start(), m.end()
    return None


def _target(analysis: Analysis, offset: int):
    if analysis.kind == "chain":
        if not analysis.units:
            return None
        program = analysis.units[0].program
        word = _word_at(analysis.text, offset)
        if word is not None and not analysis.text[word[1]:word[2]].startswith("@"):
            name = _resolve(program, word[0], word[1])
            if name is not None:
                return ("name", name, word[1], word[2])
        for a in program.assignments:
            if a.span.start <= offset <= a.span.end:
                return ("assignment", a.name, a.span.start, a.span.end)
        return None
    if analysis.kind == "python":
        unit = analysis.unit_at(offset)
        if unit is None:
            skipped = model_view.skip_at(analysis, offset)
            return None if skipped is None else ("skipped", skipped)
        return ("unit", analysis.units.index(unit))
    for i, frag in enumerate(analysis.math):
        if frag.start <= offset <= frag.end:
            return ("math", i, offset)
    return None


def _resolve(program, word: str, at: int) -> str | None:
    """The SSA name ``word`` refers to at offset ``at``: the version whose
    name is written there, or the latest version assigned before."""
    word = word.replace("{", "").replace("}", "")
    latest = None
    for a in program.assignments:
        if a.display != word and a.name != word:
            continue
        if a.name_span.start <= at <= a.name_span.end:
            return a.name
        if a.span.end <= at:
            latest = a.name
    if latest is not None:
        return latest
    if word in program.inputs:
        return word
    return None


# ---- rendering -----------------------------------------------------------
def _render(analysis: Analysis, target) -> tuple[str, tuple[int, int]] | None:
    kind = target[0]
    if kind == "name":
        return _name(analysis, analysis.units[0], target[1]), (target[2], target[3])
    if kind == "assignment":
        return _assignment(analysis, analysis.units[0], target[1]), (target[2], target[3])
    if kind == "unit":
        unit = analysis.units[target[1]]
        return _unit(analysis, unit), (unit.span.start, unit.span.end)
    if kind == "skipped":
        return model_view.skip_markdown(target[1]), (target[1].span.start, target[1].span.end)
    frag = analysis.math[target[1]]
    text = _math(analysis, frag, target[2])
    return (text, (frag.start, frag.end)) if text else None


def _show(analysis: Analysis, node: Node) -> str:
    return analysis.attempt("render", engine.render, node, analysis.settings.notation) or str(node)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + " …"


def _derivative_block(analysis: Analysis, of: str, expr: Node, wrt: str,
                      with_steps: bool, chain: list[str] | None = None) -> list[str]:
    """Markdown lines for ∂(of)/∂(wrt) of ``expr`` (``of``, ``wrt``: names
    as the program knows them, SSA versions included), every part in the
    notation of the settings (see :mod:`.hover_text`).  ``chain``: the
    chain rule as the program's own names write it (else the steps of the
    derivation of ``expr``).  A deep result (shown with shared
    sub-expressions) gets no full derivation: it would be a wall."""
    spell = Notation(analysis.settings.notation)
    label = spell.strong_label(of, wrt)
    size = count_nodes(expr)
    if size > MAX_SYMBOLIC_NODES:
        return [f"{label}: too large to show symbolically ({size} nodes in the "
                "expression); its value at the point is below."]
    d = analysis.attempt("diff", engine.derivative, expr, wrt)
    if d is None:
        why = analysis.problems[-1] if analysis.problems else "engine error"
        return [f"{label}: not available ({why})"]
    shown = getattr(d, spell.notation, None)
    lines = spell.result_lines(label, d.result, shown)
    conditions = getattr(d, "conditions", ()) or ()
    if conditions:
        lines += ["", "valid for " + ", ".join(
            spell.math(_clip(str(getattr(c, "text", c)), 200)) for c in conditions[:4])]
    steps = getattr(d, "steps", ()) or ()
    if with_steps and steps:
        short = chain or analysis.attempt("steps", spell.short_steps, steps) or []
        if short:
            lines += ["", "**Chain rule**", ""] + short
        deep = len(lines) > 1 and lines[2:3] == ["where"]
        if analysis.settings.full_steps and len(steps) > len(short) and not deep:
            full = analysis.attempt("steps", spell.full_steps, steps) or []
            if full:
                lines += ["", "---", "", "**More: the full derivation**", ""] + full
    return lines


def _name_text(analysis: Analysis, name: str) -> str:
    return Notation(analysis.settings.notation).name(name)


def _point_lines(analysis: Analysis, unit: Unit, names: list[str]) -> list[str]:
    pv = unit.point
    if pv is None:
        return []
    out = unit.program.outputs[0]
    spell = Notation(analysis.settings.notation)
    parts = [f"{spell.inline(spell.name(n))} = {_fmt(pv.values[n])}" for n in names
             if n in pv.values and n != out]
    if out in pv.values:
        parts.append(f"{spell.inline(spell.name(out))} = {_fmt(pv.values[out])}")
    parts += [f"{spell.inline(spell.label(out, n))} = {_fmt(pv.adjoints[n])}"
              for n in names if n in pv.adjoints and n != out]
    if not parts:
        return []
    if pv.where == "at" and unit.program.points:
        where = ", ".join(f"{k} = {_fmt(float(v)) if not isinstance(v, tuple) else v}"
                          for k, v in unit.program.points[0].values)
        head = f"**At** {where}:"
    else:
        head = "**Typical values** (medians over sampled points):"
    return ["", head + " " + " · ".join(parts)]


def _fmt(value) -> str:
    try:
        import numpy as np

        arr = np.asarray(value, dtype=float)
        if arr.ndim == 0:
            return f"{float(arr):.6g}"
        return np.array2string(arr, precision=4, separator=", ", threshold=8)
    except (TypeError, ValueError):
        return str(value)


def _downstream(program, name: str) -> int:
    """How many assignments follow ``name`` (an input: all of them)."""
    names = program.names
    return len(names) - 1 - names.index(name) if name in names else len(names)


def _name(analysis: Analysis, unit: Unit, name: str) -> str:
    program = unit.program
    out = program.outputs[0] if program.outputs else None
    lines: list[str] = []
    if out is None:
        return ""
    if name == out:
        lines.append(f"**{out}** is the output")
        a = program.assignment(out)
        for var in free_symbols(a.expr)[:4]:
            lines += [""] + _derivative_block(analysis, out, a.expr, var, with_steps=False)
    elif _downstream(program, name) > MAX_SYMBOLIC_ASSIGNMENTS:
        lines.append(f"{Notation(analysis.settings.notation).strong_label(out, name)}: "
                     f"{_downstream(program, name)} assignments lie between them, too many "
                     "to show symbolically; its value at the point is below.")
    else:
        expr = in_terms_of(program, name, out)
        chain = analysis.attempt("chain", _local_chain, analysis, program, name, out)
        lines += _derivative_block(analysis, out, expr, name, with_steps=True, chain=chain)
    lines += _point_lines(analysis, unit, [name])
    summary = health_view.summary(unit)
    if summary:
        lines += ["", summary]
    return "\n".join(lines)


def _local_chain(analysis: Analysis, program, name: str, out: str) -> list[str]:
    """The chain rule from ``name`` to ``out`` as backprop writes it by
    hand: the local partial of each assignment on the way by the name it
    reads (``∂a/∂z = σ(z)·(1 − σ(z))``), in program order, as a compact
    numbered list."""
    spell = Notation(analysis.settings.notation)
    reach, edges = {name}, []
    for a in program.assignments:
        if a.name == name:
            continue
        deps = [v for v in free_symbols(a.expr) if v in reach]
        if deps:
            reach.add(a.name)
            edges += [(a, v) for v in deps]
    needed = {out}
    for a, v in reversed(edges):
        if a.name in needed:
            needed.add(v)
    edges = [(a, v) for a, v in edges if a.name in needed and v in needed]
    lines = []
    for i, (a, v) in enumerate(edges[:MAX_LOCAL_STEPS], 1):
        d = engine.derivative(a.expr, v)
        lines.append(f"{i}. {spell.inline(spell.label(a.name, v))} = "
                     f"{spell.math(_clip(_show(analysis, d.result), 160))}")
    if len(edges) > MAX_LOCAL_STEPS:
        lines.append(f"{MAX_LOCAL_STEPS + 1}. … ({len(edges) - MAX_LOCAL_STEPS} more factors, "
                     "the same way)")
    return lines


def _assignment(analysis: Analysis, unit: Unit, name: str) -> str:
    a = unit.program.assignment(name)
    shown = _name_text(analysis, name)
    spell = Notation(analysis.settings.notation)
    lines = [spell.math(f"{shown} = {_clip(_show(analysis, a.expr), MAX_RESULT_CHARS)}")]
    for var in free_symbols(a.expr)[:4]:
        lines += [""] + _derivative_block(analysis, name, a.expr, var, with_steps=False)
    lines += _point_lines(analysis, unit, [name])
    summary = health_view.summary(unit)
    if summary:
        lines += ["", summary]
    return "\n".join(lines)


def _unit(analysis: Analysis, unit: Unit) -> str:
    program = unit.program
    out = program.outputs[0]
    lines = [f"**{unit.label}** ({unit.kind})"]
    if unit.kind == "module":
        lines += model_view.flow_markdown(unit)
        return "\n".join(lines)
    if unit.kind == "sequential":
        layers = program.assignments
        acts = [a.expr.op for a in layers if a.expr.op not in ("add", "matmul", "mul")]
        lines.append(f"{len(layers)} steps; activations: {', '.join(acts) or 'none'}")
        if getattr(unit.health, "flow", None) is not None:
            lines += model_view.flow_markdown(unit)[1:]
    else:
        expr = program.expanded(out)
        for i, var in enumerate(unit_variables(unit.source)[:4]):
            lines += [""] + _derivative_block(analysis, unit.label, expr, var, with_steps=i == 0)
    summary = health_view.summary(unit)
    if summary:
        lines += ["", summary]
    return "\n".join(lines)


def _claim_at(analysis: Analysis, frag, offset: int):
    """The claim of ``frag`` the cursor is on: in a chain of equalities
    (an ``align*`` with a step per line, ``A = B = C`` on one line) each step
    is its own claim, and the hover must give the verdict of the step under
    the cursor, the one its diagnostic underlines, not the first step's.  On
    the cursor's line: the last claim starting at or before the cursor, else
    the line's first; on a line without a claim: the last claim before it,
    else the fragment's first."""
    checks = sorted((c for c in analysis.claims
                     if frag.start <= c.claim.claimed_start <= frag.end),
                    key=lambda c: c.claim.claimed_start)
    if not checks:
        return None
    text = analysis.text
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line_end = len(text) if line_end < 0 else line_end
    on_line = [c for c in checks if line_start <= c.claim.claimed_start <= line_end]
    if on_line:
        before = [c for c in on_line if c.claim.claimed_start <= offset]
        return before[-1] if before else on_line[0]
    before = [c for c in checks if c.claim.claimed_start <= offset]
    return before[-1] if before else checks[0]


def _math(analysis: Analysis, frag, offset: int) -> str:
    check = _claim_at(analysis, frag, offset)
    if check is not None:
        c = check.claim
        if check.ok is None:
            return f"Derivative claim {check.note or 'not checked'}"
        verdict = "✓ correct" if check.ok else "✗ wrong"
        lines = [f"**Claim** d/d{check.wrt} [{c.expr}] = {c.claimed}: {verdict}"]
        if not check.ok and check.correct_unicode:
            lines.append(f"it is `{check.correct_unicode}`")
            if check.correct_latex:  # no empty code block when there is no LaTeX form
                lines += ["", "```latex", check.correct_latex, "```"]
        return "\n".join(lines)
    for skipped in analysis.skipped:
        if frag.start <= skipped.span.start <= frag.end:
            return f"Derivative claim {skipped.reason}"
    found = math_expression(frag)
    if found is None:
        return ""
    expr = found[1]
    wrt = variable_of(expr, analysis.settings.default_variable)
    return "\n".join(_derivative_block(analysis, "f", expr, wrt, with_steps=True))
