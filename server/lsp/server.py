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
    completion,
    configuration,
    definition,
    diagnostics,
    hover,
    inlay_hints,
    notebooks,
    rename,
    semantic_tokens,
    signature_help,
    symbols,
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

    @lsp_method(types.EXIT)
    def lsp_exit(self, *args):
        """On stdio, exit ends the process (pygls); on TCP it ends this
        client's session and the server waits for the next one."""
        if not self._server.tcp_sessions:
            return (yield from super().lsp_exit(*args))
        if (user_handler := self.fm.features.get(types.EXIT)) is not None:
            yield user_handler, args, None
        self.writer.close()
        return None

    def new_session(self) -> None:
        """Forget the previous client: its workspace and its shutdown."""
        self._workspace = None
        self._shutdown = False
        self._request_futures.clear()


class ChainlensServer(LanguageServer):
    def __init__(self):
        super().__init__(
            "chainlens", VERSION, protocol_cls=ChainlensProtocol,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            notebook_document_sync=notebooks.SYNC_OPTIONS,
        )
        self.store = DocumentStore()
        self.store.anything_open = self._anything_open
        #: TCP: clients one after another, each a session of its own
        self.tcp_sessions = False
        #: whether to push diagnostics (off when the client pulls them)
        self.push_diagnostics = True
        self.publish_diagnostics = None

    def _anything_open(self) -> bool:
        workspace = self.protocol._workspace
        if workspace is None:
            return False
        return bool(workspace.text_documents or workspace.notebook_documents)

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
        analysis.start_heavy()  # a big program's, if its first publish has not sent it
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
        """Serve on TCP ``host:port``: one client at a time, each with a
        fresh session (its own initialize, documents and shutdown), until
        interrupted."""
        self._stop_event = stop = threading.Event()
        self.tcp_sessions = True

        async def main():
            one_at_a_time = asyncio.Lock()

            async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
                async with one_at_a_time:
                    self.protocol.new_session()
                    self.protocol.set_writer(writer)
                    try:
                        await transport.serve(lambda: reader.read(transport.CHUNK),
                                              self.protocol, stop, self.report_server_error)
                    except ConnectionError:
                        log.info("a TCP client went away")
                    finally:
                        self.store.end_session()  # documents, analyses, settings
                        self.push_diagnostics = True
                        with contextlib.suppress(OSError, RuntimeError):
                            writer.close()
                            await writer.wait_closed()

            self._server = await asyncio.start_server(connection, host, port)
            async with self._server:
                await self._server.serve_forever()

        try:
            asyncio.run(main())
        except (KeyboardInterrupt, SystemExit, asyncio.CancelledError):
            pass
        finally:
            self.shutdown()

    def report_server_error(self, error, source):
        # Never pop up a window per failing notification; the log has it.
        log.error("server error from %s: %s", source, error)


def create_server() -> ChainlensServer:
    server = ChainlensServer()
    for feature in (configuration, diagnostics, hover, code_actions, inlay_hints, notebooks,
                    completion, definition, rename, symbols, semantic_tokens, signature_help):
        feature.register(server)
    return server
