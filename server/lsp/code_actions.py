"""``textDocument/codeAction``: quick fixes and derivative insertions.

Quick fixes come from the diagnostics the client sends back: their edits
were computed when the diagnostic was made and travel in its ``data``, so
nothing is recomputed and a fix always matches the warning it answers.

Refactorings at the cursor insert what the hover shows:

* the derivative as a comment, as a LaTeX line, or as code (``.chain``:
  a new assignment; Python: an assignment after the function);
* for a Python ``def``, a generated gradient function (printed from the
  IR by the engine's Python printer).
"""

from __future__ import annotations

import asyncio
import logging

from chainlens.engine.api.codegen import gradient_source
from chainlens.engine.api.derivatives import unit_variables, variable_of
from chainlens.engine.core.walk import free_symbols
from chainlens.engine.frontends.document import math_expression
from chainlens.server.lsp import engine_access as engine
from chainlens.server.lsp.analysis import Analysis
from lsprotocol import types

log = logging.getLogger("chainlens.lsp")

__all__ = ["register", "compute"]

def register(server) -> None:
    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[
                        types.CodeActionKind.QuickFix, types.CodeActionKind.Refactor]))
    async def on_code_action(ls, params: types.CodeActionParams):
        uri = params.text_document.uri
        actions = list(_from_diagnostics(uri, params.context.diagnostics))
        try:
            analysis = await server.current(uri, heavy=0)
            if analysis is not None:
                actions += await server.store.run(compute, analysis, params.range)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001
            log.exception("code actions failed")
        only = params.context.only
        if only:
            wanted = [getattr(k, "value", k) for k in only]
            actions = [a for a in actions
                       if any(getattr(a.kind, "value", a.kind).startswith(k) for k in wanted)]
        return actions


def _from_diagnostics(uri: str, diagnostics) -> list[types.CodeAction]:
    out = []
    for d in diagnostics or ():
        data = d.data if isinstance(d.data, dict) else {}
        for fix in data.get("fixes") or ():
            try:
                edits = [types.TextEdit(range=_range(e["range"]), new_text=e["newText"])
                         for e in fix["edits"]]
            except (KeyError, TypeError):
                continue
            out.append(types.CodeAction(
                title=str(fix.get("title", "Apply fix")), kind=types.CodeActionKind.QuickFix,
                diagnostics=[d], is_preferred=len(out) == 0,
                edit=types.WorkspaceEdit(changes={uri: edits})))
    return out


def _range(raw: dict) -> types.Range:
    return types.Range(
        start=types.Position(line=raw["start"]["line"], character=raw["start"]["character"]),
        end=types.Position(line=raw["end"]["line"], character=raw["end"]["character"]))


def _insert(analysis: Analysis, title: str, after: int, text: str) -> types.CodeAction:
    """An action inserting ``text`` as new line(s) after the line holding
    offset ``after``."""
    line_end = analysis.text.find("\n", after)
    if line_end < 0:
        line_end = len(analysis.text)
        text = "\n" + text.rstrip("\n")
    else:
        line_end += 1
        text = text if text.endswith("\n") else text + "\n"
    pos = analysis.index.position(line_end)
    return types.CodeAction(
        title=title, kind=types.CodeActionKind.Refactor,
        edit=types.WorkspaceEdit(changes={analysis.uri: [
            types.TextEdit(range=types.Range(start=pos, end=pos), new_text=text)]}))


def compute(analysis: Analysis, rng: types.Range) -> list[types.CodeAction]:
    offset = analysis.index.offset(rng.start)
    key = ("actions", offset)
    return analysis.memoised(key, lambda: _compute(analysis, offset))


def _compute(analysis: Analysis, offset: int) -> list[types.CodeAction]:
    if analysis.kind == "chain":
        return _chain(analysis, offset)
    if analysis.kind == "python":
        return _python(analysis, offset)
    return _note(analysis, offset)


def _pieces(analysis: Analysis, expr, wrt: str):
    d = analysis.attempt("diff", engine.derivative, expr, wrt)
    if d is None:
        return None
    text = getattr(d, "text", None) or engine.render(d.result, "text")
    return d, text, getattr(d, "latex", None), getattr(d, "unicode", None) or text


def _chain(analysis: Analysis, offset: int) -> list[types.CodeAction]:
    if not analysis.units:
        return []
    program = analysis.units[0].program
    a = next((a for a in program.assignments if a.span.start <= offset <= a.span.end), None)
    if a is None:
        return []
    out = []
    expr = program.expanded(a.name)
    for var in free_symbols(expr)[:3]:
        got = _pieces(analysis, expr, var)
        if got is None:
            continue
        d, text, latex, uni = got
        name = a.display
        out.append(_insert(analysis, f"Insert ∂{name}/∂{var} as a comment", a.span.end,
                           f"# ∂{name}/∂{var} = {uni}"))
        if latex:
            out.append(_insert(analysis, f"Insert ∂{name}/∂{var} as a LaTeX line", a.span.end,
                               f"# $\\frac{{\\partial {name}}}{{\\partial {var}}} = {latex}$"))
        out.append(_insert(analysis, f"Insert ∂{name}/∂{var} as code", a.span.end,
                           f"d{name}_d{var} = {text}"))
    return out


def _python(analysis: Analysis, offset: int) -> list[types.CodeAction]:
    unit = analysis.unit_at(offset)
    if unit is None or unit.kind == "sequential":
        return []
    program = unit.program
    expr = program.expanded(program.outputs[0])
    params = unit_variables(unit.source)
    out = []
    for var in params[:3]:
        got = _pieces(analysis, expr, var)
        if got is None:
            continue
        d, text, latex, uni = got
        code = analysis.attempt("render", engine.render, d.result, "python") or text
        indent = ""
        if unit.kind == "function":
            line_start = analysis.text.rfind("\n", 0, unit.span.start) + 1
            indent = analysis.text[line_start:unit.span.start]
        out.append(_insert(analysis, f"Insert ∂{unit.label}/∂{var} as a comment", unit.span.end,
                           f"{indent}# ∂{unit.label}/∂{var} = {uni}"))
        if latex:
            out.append(_insert(
                analysis, f"Insert ∂{unit.label}/∂{var} as a LaTeX line", unit.span.end,
                f"{indent}# $\\frac{{\\partial {unit.label}}}{{\\partial {var}}} = {latex}$"))
        out.append(_insert(analysis, f"Insert ∂{unit.label}/∂{var} as code", unit.span.end,
                           f"{indent}d{unit.label}_d{var} = {code}"))
    if unit.kind == "function" and params:
        source = analysis.attempt("gradient code", gradient_source, program, unit.label,
                                  params)
        if source:
            out.insert(0, _insert(analysis, f"Generate grad_{unit.label}({', '.join(params)})",
                                  unit.span.end, "\n\n" + source))
    return out


def _note(analysis: Analysis, offset: int) -> list[types.CodeAction]:
    frag = next((m for m in analysis.math if m.start <= offset <= m.end), None)
    if frag is None:
        return []
    found = math_expression(frag)
    if found is None:
        return []
    body, expr = found
    wrt = variable_of(expr, analysis.settings.default_variable)
    got = _pieces(analysis, expr, wrt)
    if got is None or not got[2]:
        return []
    latex = got[2]
    line = f"$$\\frac{{d}}{{d{wrt}}}\\left({body}\\right) = {latex}$$"
    return [_insert(analysis, f"Insert d/d{wrt} as a LaTeX line", frag.end, line)]
