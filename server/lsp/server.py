"""The chainlens language server: a pygls 2.x ``LanguageServer`` and the
features it serves, one module per feature.

``create_server()`` wires them; ``chainlens lsp`` (clients/cli/lsp.py)
starts it on stdio or TCP.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import threading
from urllib.parse import unquote

from chainlens.server.lsp import (
    code_actions,
    configuration,
    diagnostics,
    hover,
    inlay_hints,
    notebooks,
    transport,
)
from chainlens.server.lsp.analysis import LARGE_PROGRAM, Analysis
from chainlens.server.lsp.documents import DocumentStore
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidRequest
from pygls.io_ import StdoutWriter
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol, lsp_method

log = logging.getLogger("chainlens.lsp")

__all__ = ["ChainlensServer", "create_server"]

VERSION = "0.1.0"


class ChainlensProtocol(LanguageServerProtocol):
    """pygls's protocol, except that ``initialize`` is answered once: a
    second one (the spec allows one) used to replace the workspace and so
    forget every open document; now it is refused and nothing changes."""

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams):
        if self._workspace is not None:
            raise JsonRpcInvalidRequest("the server is already initialized; initialize is "
                                        "sent once per session")
        return (yield from super().lsp_initialize(params))


class ChainlensServer(LanguageServer):
    def __init__(self):
        super().__init__(
            "chainlens", VERSION, protocol_cls=ChainlensProtocol,
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

    # ---- transports: pygls's, with the bounded reader of transport.py ----
    def start_io(self, stdin=None, stdout=None):
        """Serve on stdio (the editor's pipes) until they close."""
        stdin = stdin or sys.stdin.buffer
        self._stop_event = stop = threading.Event()
        self.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
        read_some = getattr(stdin, "read1", stdin.read)

        async def main():
            loop = asyncio.get_running_loop()
            await transport.serve(
                lambda: loop.run_in_executor(self.thread_pool, read_some, transport.CHUNK),
                self.protocol, stop, self.report_server_error)

        try:
            asyncio.run(main())
        except BrokenPipeError:
            log.error("the connection to the client is lost; shutting down")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            self.shutdown()

    def start_tcp(self, host: str, port: int) -> None:
        """Serve one client on TCP ``host:port``."""
        self._stop_event = stop = threading.Event()

        async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
            self.protocol.set_writer(writer)
            await transport.serve(lambda: reader.read(transport.CHUNK), self.protocol, stop,
                                  self.report_server_error)
            self.shutdown()

        async def main():
            self._server = await asyncio.start_server(connection, host, port)
            async with self._server:
                await self._server.serve_forever()

        with contextlib.suppress(asyncio.CancelledError):
            asyncio.run(main())

    def report_server_error(self, error, source):
        # Never pop up a window per failing notification; the log has it.
        log.error("server error from %s: %s", source, error)


def create_server() -> ChainlensServer:
    server = ChainlensServer()
    for feature in (configuration, diagnostics, hover, code_actions, inlay_hints, notebooks):
        feature.register(server)
    return server
