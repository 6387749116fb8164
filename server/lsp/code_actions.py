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
from chainlens.engine.frontends.note_edits import markdown_table, tabular_end
from chainlens.server.lsp import engine_access as engine
from chainlens.server.lsp.analysis import Analysis
from chainlens.server.lsp.hover_text import Notation
from chainlens.server.lsp.insertions import (
    Insertion,
    chain_code,
    comment_lines,
    indent_of,
    indent_unit,
    line_after,
    python_helper,
    reindented,
    still_reads,
)
from chainlens.server.lsp.python_names import signature_at
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


def _insert(analysis: Analysis, title: str, after: int, text: str) -> Offer:
    """An action inserting ``text`` as new line(s) after the line holding
    offset ``after``."""
    return _action(analysis, title, line_after(analysis.text, after, text.rstrip("\n").split("\n")))


#: a refactoring and the insertion it makes (checked before it is offered)
Offer = tuple[types.CodeAction, Insertion]


def _action(analysis: Analysis, title: str, insertion: Insertion) -> Offer:
    pos = analysis.index.position(insertion.at)
    action = types.CodeAction(
        title=title, kind=types.CodeActionKind.Refactor,
        edit=types.WorkspaceEdit(changes={analysis.uri: [
            types.TextEdit(range=types.Range(start=pos, end=pos), new_text=insertion.text)]}))
    return action, insertion


#: Refactorings offered at one place; the rest are left out (each action
#: already covers every variable of its kind).
MAX_ACTIONS = 3


def compute(analysis: Analysis, rng: types.Range) -> list[types.CodeAction]:
    offset = analysis.index.offset(rng.start)
    key = ("actions", offset)
    return analysis.memoised(key, lambda: _checked(analysis, _compute(analysis, offset)))


def _checked(analysis: Analysis, offers: list[Offer]) -> list[types.CodeAction]:
    """Only actions whose edit leaves a text that still reads (see
    :func:`.insertions.still_reads`), at most :data:`MAX_ACTIONS`."""
    kind = "python" if analysis.kind == "python" else analysis.kind
    outputs = None
    if analysis.kind == "chain" and analysis.units:
        outputs = analysis.units[0].program.outputs
    out = []
    for action, insertion in offers:
        if analysis.parse_error is None and not analysis.attempt(
                "check edit", still_reads, kind, analysis.text, insertion.apply(analysis.text),
                outputs):
            continue
        out.append(action)
        if len(out) == MAX_ACTIONS:
            break
    return out


def _compute(analysis: Analysis, offset: int) -> list[Offer]:
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


def _derivatives(analysis: Analysis, expr, names) -> list[tuple[str, object]]:
    out = []
    for var in names:
        d = analysis.attempt("diff", engine.derivative, expr, var)
        if d is not None:
            out.append((var, d))
    return out


def _comments(analysis: Analysis, of: str, found, indent: str) -> list[str] | None:
    spell = Notation(analysis.settings.notation)
    notation = spell.notation if spell.notation != "latex" else "unicode"
    lines: list[str] = []
    for var, d in found:
        got = comment_lines(spell.label(of, var) if spell.notation != "latex"
                            else f"∂{of}/∂{var}", d.result, notation, indent)
        if got is None:
            return None
        lines += got
    return lines or None


def _latex_lines(of: str, found, indent: str) -> list[str] | None:
    lines = []
    for var, d in found:
        latex = getattr(d, "latex", None)
        if not latex or len(latex) > 2000:
            return None
        lines.append(f"{indent}# $\\frac{{\\partial {of}}}{{\\partial {var}}} = {latex}$")
    return lines or None


def _titles(of: str, found) -> str:
    return ", ".join(f"∂{of}/∂{var}" for var, _ in found)


def _chain(analysis: Analysis, offset: int) -> list[Offer]:
    if not analysis.units:
        return []
    program = analysis.units[0].program
    a = next((a for a in program.assignments if a.span.start <= offset <= a.span.end), None)
    if a is None:
        return []
    expr = program.expanded(a.name)
    found = _derivatives(analysis, expr, free_symbols(expr)[:3])
    if not found:
        return []
    name, indent = a.display, indent_of(analysis.text, a.span.start)
    out = []
    after = a.span.end
    comments = _comments(analysis, name, found, indent)
    if comments:
        out.append(_action(analysis, f"Insert {_titles(name, found)} as a comment",
                           line_after(analysis.text, after, comments)))
    last = max(x.span.end for x in program.assignments) <= after
    code = chain_code(program, [(f"d{name}_d{var}", d.result) for var, d in found], indent,
                      after_last=last and a.layer is None)
    if code and a.layer is None:
        out.append(_action(analysis, f"Insert {_titles(name, found)} as code",
                           line_after(analysis.text, after, code)))
    if analysis.settings.notation == "latex":
        latex = _latex_lines(name, found, indent)
        if latex:
            out.append(_action(analysis, f"Insert {_titles(name, found)} as LaTeX",
                               line_after(analysis.text, after, latex)))
    return out


def _python(analysis: Analysis, offset: int) -> list[Offer]:
    unit = analysis.unit_at(offset)
    if unit is None or unit.kind in ("sequential", "module"):  # no symbolic formula
        return []
    program = unit.program
    expr = program.expanded(program.outputs[0])
    params = unit_variables(unit.source)
    found = _derivatives(analysis, expr, params[:3])
    indent = indent_of(analysis.text, unit.span.start) if unit.kind == "function" else ""
    out = []
    sig = signature_at(analysis.text, analysis.index.position(unit.span.start).line,
                       unit.label) if unit.kind == "function" else None
    signature, decorators = sig if sig is not None else (None, ())
    if unit.kind == "function" and params and sig is not None:
        source = analysis.attempt("gradient code", gradient_source, program, unit.label,
                                  params, signature, decorators)
        if source and max(len(line) for line in source.split("\n")) <= 2000:
            gap = [""] if indent else ["", ""]
            step = indent_unit(analysis.text, indent)  # the file's own (tabs stay tabs)
            lines = gap + [indent + reindented(line, step) if line else ""
                           for line in source.strip("\n").split("\n")]
            out.append(_action(analysis, f"Generate grad_{unit.label}({', '.join(params)})",
                               line_after(analysis.text, unit.span.end, lines)))
    if not found:
        return out
    comments = _comments(analysis, unit.label, found, indent)
    if comments:
        out.append(_action(analysis, f"Insert {_titles(unit.label, found)} as a comment",
                           line_after(analysis.text, unit.span.end, comments)))
    helper_params = tuple(params) if unit.kind == "function" else tuple(
        unit_variables(unit.source))
    helpers: list[str] = []
    if unit.kind == "function" and sig is None:
        return out  # its signature is unknown: a helper could not be called like it
    for var, d in found:
        got = python_helper(f"d{unit.label}_d{var}", helper_params, d.result,
                            f"∂{unit.label}/∂{var}, generated by chainlens.", indent,
                            analysis.text, signature, decorators)
        if got is None:
            helpers = []
            break
        helpers += ["", ""] + got if not indent else [""] + got
    if helpers:
        out.append(_action(analysis, f"Insert {_titles(unit.label, found)} as functions",
                           line_after(analysis.text, unit.span.end, helpers)))
    return out


def _math_end(text: str, frag) -> int:
    """Where the math construct holding ``frag`` ends: past its closing
    delimiter (``$$``, ``$``, ``\\]``, ``\\)``, ``\\end{align*}``), so a line
    inserted after it lands outside the math, never inside an environment
    (``$$`` inside ``align*`` does not compile)."""
    if frag.plain:
        return frag.end
    rest = text[frag.end:]
    skipped = len(rest) - len(rest.lstrip())
    rest = rest.lstrip()
    for close in ("$$", "\\]", "\\)", "$"):
        if rest.startswith(close):
            return frag.end + skipped + len(close)
    if rest.startswith("\\end{"):
        brace = rest.find("}")
        if brace > 0:
            return frag.end + skipped + brace + 1
    return frag.end


def _states_a_claim(analysis: Analysis, frag) -> bool:
    """Does ``frag`` state a derivative (checked or not)?  Its claim has
    its own actions; the derivative of its claimed side is not news."""
    return any(frag.start <= c.claim.claimed_start <= frag.end for c in analysis.claims) or any(
        frag.start <= s.span.start <= frag.end for s in analysis.skipped)


def _note(analysis: Analysis, offset: int) -> list[Offer]:
    frag = next((m for m in analysis.math if m.start <= offset <= m.end), None)
    if frag is None or _states_a_claim(analysis, frag):
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
    derivative = f"\\frac{{d}}{{d{wrt}}}\\left({body.strip()}\\right) = {latex}"
    # a LaTeX document's display math is \[ … \] ($$ is plain TeX, not LaTeX)
    line = f"\\[ {derivative} \\]" if analysis.kind == "latex" else f"$${derivative}$$"
    placed = _outside_tables(analysis, _math_end(analysis.text, frag), line)
    if placed is None:
        return []
    return [_insert(analysis, f"Insert d/d{wrt} as a LaTeX line", *placed)]


def _outside_tables(analysis: Analysis, after: int, line: str) -> tuple[int, str] | None:
    """Where a new line after offset ``after`` may go: after the table
    holding it, never between its rows (red team R20).  A Markdown table
    reads every following line as one more row until a blank line, so the
    line goes after its last row and a blank line; display math is not
    allowed in a ``tabular`` cell, so it goes after ``\\end{tabular}``.  None
    when the table's end is missing."""
    if analysis.kind == "markdown":
        table = markdown_table(analysis.text, after)
        return (after, line) if table is None else (table[1], "\n" + line)
    if analysis.kind == "latex":
        end = tabular_end(analysis.text, after)
        if end is not None:
            return None if end < 0 else (end, line)
    return after, line
