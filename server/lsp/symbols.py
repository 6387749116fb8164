"""``textDocument/documentSymbol``: the outline of a document.

A ``.chain`` file lists its declarations, functions, assignments (each
name once, at its first assignment; a later version is a child of the
first) and ``repeat`` blocks with the assignments of their body; a Python
file or a notebook cell lists the units chainlens reads (functions,
Sequential stacks, math assignments); a note lists its derivative claims.
"""

from __future__ import annotations

from chainlens.server.lsp.analysis import Analysis
from chainlens.server.lsp.names import program_of
from lsprotocol import types

__all__ = ["register", "compute"]

_UNIT_KIND = {"function": types.SymbolKind.Function, "sequential": types.SymbolKind.Class,
              "expression": types.SymbolKind.Variable, "chain": types.SymbolKind.Module}


def register(server) -> None:
    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    async def on_symbols(ls, params: types.DocumentSymbolParams):
        return await _answer_doc(server, params)


async def _answer_doc(server, params):
    analysis = await server.current(params.text_document.uri, heavy=0)
    if analysis is None:
        return None
    return await server.store.run(compute, analysis)


def _symbol(analysis: Analysis, name: str, kind, span, select=None, detail=None, children=None):
    return types.DocumentSymbol(
        name=name, kind=kind, range=analysis.index.span_range(span),
        selection_range=analysis.index.span_range(select or span), detail=detail,
        children=children or None)


def compute(analysis: Analysis) -> list[types.DocumentSymbol]:
    return analysis.memoised(("symbols",), lambda: _compute(analysis))


def _compute(analysis: Analysis) -> list[types.DocumentSymbol]:
    if analysis.kind == "chain":
        return _chain(analysis)
    out = [_symbol(analysis, u.label, _UNIT_KIND.get(u.kind, types.SymbolKind.Object),
                   u.span, u.name_span, detail=u.kind) for u in analysis.units]
    for check in analysis.claims:
        c = check.claim
        span = analysis.index.range(c.claimed_start, c.claimed_end)
        out.append(types.DocumentSymbol(
            name=f"d/d{check.wrt or 'x'} claim", kind=types.SymbolKind.Event, range=span,
            selection_range=span,
            detail={True: "correct", False: "wrong"}.get(check.ok, "not checked")))
    return out


def _chain(analysis: Analysis) -> list[types.DocumentSymbol]:
    program = program_of(analysis)
    if program is None:
        return []
    out: list[tuple[int, types.DocumentSymbol]] = []
    for d in program.declarations:
        if d.layer is None:
            out.append((d.span.start, _symbol(analysis, d.name, types.SymbolKind.Variable,
                                              d.span, detail=d.role)))
    for f in program.functions:
        out.append((f.span.start, _symbol(analysis, f"{f.name}({', '.join(f.params)})",
                                          types.SymbolKind.Function, f.span)))
    in_repeat = {n for r in program.repeats for layer in r.layers for n in layer}
    firsts: dict[str, types.DocumentSymbol] = {}
    for a in program.assignments:
        if a.name in in_repeat:
            continue
        sym = _symbol(analysis, a.display, types.SymbolKind.Variable, a.span, a.name_span,
                      detail="assignment")
        if a.display in firsts:
            first = firsts[a.display]
            first.children = [*(first.children or []), sym]
        else:
            firsts[a.display] = sym
            out.append((a.span.start, sym))
    for r in program.repeats:
        seen: dict[str, types.DocumentSymbol] = {}
        first_layer = r.layers[0] if r.layers else ()
        for name in first_layer:
            a = program.assignment(name)
            seen.setdefault(a.display, _symbol(analysis, a.display, types.SymbolKind.Variable,
                                               a.span, a.name_span, detail="layer 1"))
        out.append((r.span.start, _symbol(
            analysis, f"repeat {r.var} in {r.start}..{r.stop}", types.SymbolKind.Namespace,
            r.span, detail=f"{len(r.layers)} layers", children=list(seen.values()))))
    for p in program.points:
        out.append((p.span.start, _symbol(analysis, "@at", types.SymbolKind.Constant, p.span,
                                          detail=", ".join(k for k, _ in p.values))))
    return [s for _, s in sorted(out, key=lambda t: t[0])]
