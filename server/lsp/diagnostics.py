"""``textDocument/publishDiagnostics`` (pushed, debounced) and
``textDocument/diagnostic`` (pulled, when the client supports it).

Sources of diagnostics, all read from the document's :class:`Analysis`:

* parse errors, with the parser's exact span;
* gradient-health findings (vanishing / exploding / domain / unstable
  forms): the range covers the composition, ``relatedInformation`` points
  at each factor with its magnitude;
* numerically stable rewrites found in the program (:mod:`.rewrites`);
* wrong derivative claims in notes, with a counterexample.

Every fix a diagnostic offers is computed here, once, and travels in the
diagnostic's ``data`` (``{"fixes": [{"title", "edits": [{"range",
"newText"}]}]}``): the code action handler only reads it back.
"""

from __future__ import annotations

import asyncio
import logging

from chainlens.engine.frontends.note_edits import claim_edit
from chainlens.server.lsp import domain_view, health_view, model_view, rewrites
from chainlens.server.lsp.analysis import LARGE_PROGRAM, Analysis
from chainlens.server.lsp.moved_diagnostics import Published, moved
from lsprotocol import types

log = logging.getLogger("chainlens.lsp")

SOURCE = "chainlens"
#: Seconds to wait for the health half before publishing without it.
HEAVY_GRACE = 0.5

__all__ = ["build", "register", "SOURCE"]


def _fix(analysis: Analysis, title: str, edits: list[tuple[int, int, str]]) -> dict:
    return {"title": title, "edits": [
        {"range": _range_json(analysis, s, e), "newText": t} for s, e, t in edits]}


def _range_json(analysis: Analysis, start: int, end: int) -> dict:
    r = analysis.index.range(start, end)
    return {"start": {"line": r.start.line, "character": r.start.character},
            "end": {"line": r.end.line, "character": r.end.character}}


def _parse_errors(analysis: Analysis) -> list[types.Diagnostic]:
    """One error per unreadable statement (the rest of the program is read
    without them, so their hovers and findings stay)."""
    return [d for err in analysis.parse_errors or (analysis.parse_error,)
            for d in _parse_error(analysis, err)]


def _parse_error(analysis: Analysis, err) -> list[types.Diagnostic]:
    span = err.span
    start, end = (span.start, span.end) if span else (0, 0)
    if end <= start and start < len(analysis.text):
        end = start + 1
    message = err.message
    if err.expected:
        message += "; expected " + ", ".join(err.expected[:8])
    if err.hint:
        message += f" (hint: {err.hint})"
    return [types.Diagnostic(range=analysis.index.range(start, end), message=message,
                             severity=types.DiagnosticSeverity.Error, source=SOURCE,
                             code=type(err).__name__)]


def _claims(analysis: Analysis) -> list[types.Diagnostic]:
    out = []
    for check in analysis.claims:
        if check.ok is not False:
            continue
        c = check.claim
        fixes = []
        edit = check.correct_latex and claim_edit(
            analysis.text, c.claimed_start, c.claimed_end, check.correct_latex, analysis.kind)
        if edit:  # inside the author's decoration; no bar that splits a table cell
            fixes.append(_fix(analysis, f"Correct the claim to {edit[2]}", [edit]))
        out.append(types.Diagnostic(
            range=analysis.index.range(c.claimed_start, c.claimed_end), message=check.message(),
            severity=types.DiagnosticSeverity.Warning, source=SOURCE, code="wrong-derivative",
            data={"fixes": fixes, "counterexample": check.counterexample},
        ))
    return out


def build(analysis: Analysis) -> list[types.Diagnostic]:
    """All diagnostics of one analysis (memoised on it, separately before
    and after its heavy half has landed)."""
    return analysis.memoised(("diagnostics", analysis.completed.done()),
                             lambda: _build(analysis))


def _build(analysis: Analysis) -> list[types.Diagnostic]:
    out: list[types.Diagnostic] = []
    if analysis.parse_error is not None:
        out.extend(_parse_errors(analysis))
    for unit in analysis.units:
        try:
            out.extend(health_view.diagnostics(analysis, unit, _fix))
        except Exception:  # noqa: BLE001 - a bad finding must not hide the others
            log.exception("health diagnostics failed on %s", analysis.uri)
        try:
            out.extend(domain_view.diagnostics(analysis, unit, _fix))
        except Exception:  # noqa: BLE001
            log.exception("domain diagnostics failed on %s", analysis.uri)
        try:
            out.extend(rewrites.diagnostics(analysis, unit, _fix))
        except Exception:  # noqa: BLE001
            log.exception("rewrite diagnostics failed on %s", analysis.uri)
    out.extend(_claims(analysis))
    out.extend(model_view.skip_diagnostics(analysis))
    return _dedupe(out)


def _dedupe(items: list[types.Diagnostic]) -> list[types.Diagnostic]:
    seen, out = set(), []
    for d in items:
        key = (d.range.start.line, d.range.start.character, d.range.end.line,
               d.range.end.character, d.message)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


# ---- protocol ----------------------------------------------------------------
def register(server) -> None:
    store = server.store

    async def publish(uri: str) -> None:
        doc = server.open_document(uri)
        kind = store.kind(uri) if doc is not None else None
        if doc is None or kind is None:
            return
        version, text = doc.version, doc.source
        if not server.push_diagnostics:
            return

        def current() -> bool:
            doc = server.open_document(uri)
            return doc is not None and doc.version == version

        def put(items, size: int) -> bool:
            if not current():
                return False  # the document moved on: a newer run will publish
            server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=uri, version=version, diagnostics=items))
            store.published[uri] = Published(version, text, tuple(items), size)
            return True

        async def send(analysis) -> bool:
            if not current():
                return False  # not even built: it would compete with the newer run
            return put(await store.run(build, analysis), analysis.size)

        # A comment or blank line typed in a big program: the last diagnostics,
        # moved, at once; the analysis of this version publishes when complete.
        last = store.published.get(uri)
        early = None
        if kind == "chain" and last is not None and last.size > LARGE_PROGRAM \
                and last.version != version:
            early = moved(last, text)
            if early is not None and not put(early, last.size):
                return
        analysis = await store.analysis(uri, version, text, kind, complete=False)
        heavy = asyncio.wrap_future(analysis.completed)
        grace = HEAVY_GRACE if analysis.size <= LARGE_PROGRAM else 0.0
        try:
            await asyncio.wait_for(asyncio.shield(heavy), grace)
        except TimeoutError:
            # The health half is slow (a big program): show what the parser
            # and the claim checker found now, the rest when it lands.
            if early is None and not await send(analysis):
                return
            # after that first publish (big programs), off the event loop:
            # sending pickles the program
            await store.run(analysis.start_heavy)
            await asyncio.shield(heavy)
        await send(analysis)

    server.publish_diagnostics = publish

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls, params: types.DidOpenTextDocumentParams):
        doc = params.text_document
        if store.kind(doc.uri, doc.language_id) is not None:
            await _guarded(publish(doc.uri))

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls, params: types.DidChangeTextDocumentParams):
        uri = params.text_document.uri
        if store.kind(uri) is not None:
            store.debounce(uri, lambda: _guarded(publish(uri)))

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls, params: types.DidCloseTextDocumentParams):
        uri = params.text_document.uri
        store.forget(uri)
        if server.push_diagnostics:
            ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_DIAGNOSTIC,
                    types.DiagnosticOptions(identifier=SOURCE, inter_file_dependencies=False,
                                            workspace_diagnostics=False))
    async def pull(ls, params: types.DocumentDiagnosticParams):
        analysis = await server.current(params.text_document.uri)
        items = [] if analysis is None else await store.run(build, analysis)
        result_id = None if analysis is None else f"{analysis.version}"
        return types.RelatedFullDocumentDiagnosticReport(items=items, result_id=result_id)


async def _guarded(coro) -> None:
    try:
        await coro
    except Exception:  # noqa: BLE001
        log.exception("publishing diagnostics failed")
