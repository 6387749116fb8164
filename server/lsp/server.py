"""The chainlens language server: a pygls 2.x ``LanguageServer`` and the
features it serves, one module per feature.

``create_server()`` wires them; ``chainlens lsp`` (clients/cli/lsp.py)
starts it on stdio or TCP.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from urllib.parse import unquote

from chainlens.server.lsp import (
    code_actions,
    configuration,
    diagnostics,
    hover,
    inlay_hints,
    notebooks,
)
from chainlens.server.lsp.analysis import LARGE_PROGRAM, Analysis
from chainlens.server.lsp.documents import DocumentStore
from lsprotocol import types
from pygls.lsp.server import LanguageServer

log = logging.getLogger("chainlens.lsp")

__all__ = ["ChainlensServer", "create_server"]

VERSION = "0.1.0"


class ChainlensServer(LanguageServer):
    def __init__(self):
        super().__init__(
            "chainlens", VERSION,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            notebook_document_sync=notebooks.SYNC_OPTIONS,
        )
        self.store = DocumentStore()
        #: whether to push diagnostics (off when the client pulls them)
        self.push_diagnostics = True
        self.publish_diagnostics = None

    def open_document(self, uri: str):
        """The open document ``uri`` or None (pygls keys documents by the
        unquoted URI; never read a closed file from disk)."""
        return self.workspace.text_documents.get(unquote(uri))

    async def current(self, uri: str, heavy: float | None = None) -> Analysis | None:
        """The analysis of the open version of ``uri`` (None: not ours).
        ``heavy``: seconds to wait for its health half (None: until it
        lands, which the worker's deadline bounds; 0: not at all)."""
        doc = self.open_document(uri)
        if doc is None:
            return None
        kind = self.store.kind(uri, None)
        if kind is None:
            kind = self.store.kind(uri, doc.language_id)
        if kind is None:
            return None
        analysis = await self.store.analysis(uri, doc.version, doc.source, kind, complete=False)
        if analysis.size > LARGE_PROGRAM and heavy is not None:
            heavy = 0.0
        if heavy != 0 and not analysis.completed.done():
            waiting = asyncio.shield(asyncio.wrap_future(analysis.completed))
            # past the wait, answer without the health half; a later request gets it
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waiting, heavy)
        return analysis

    def report_server_error(self, error, source):
        # Never pop up a window per failing notification; the log has it.
        log.error("server error from %s: %s", source, error)


def create_server() -> ChainlensServer:
    server = ChainlensServer()
    for feature in (configuration, diagnostics, hover, code_actions, inlay_hints, notebooks):
        feature.register(server)
    return server
