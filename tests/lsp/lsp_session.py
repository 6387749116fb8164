"""Session helpers shared by the LSP tests (opened documents, waiting for
diagnostics, positions)."""

from __future__ import annotations

import asyncio

from lsprotocol import types
from pytest_lsp import LanguageClient


def open_doc(client: LanguageClient, name: str, text: str, language: str,
             version: int = 1) -> str:
    uri = f"file:///tmp/chainlens-tests/{name}"
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id=language, version=version,
                                             text=text)))
    return uri


async def diagnostics_for(client: LanguageClient, uri: str, version: int | None = None,
                          timeout: float = 30.0, until=None) -> list[types.Diagnostic]:
    """Wait until diagnostics for ``uri`` (at ``version`` when given) arrive;
    with ``until``, until they satisfy it (health warnings are published in
    a second round when the worker is slow)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        got = client.diagnostics.get(uri)
        if got is not None and (version is None or _version(client, uri) == version) and (
                until is None or until(list(got))):
            return list(got)
        await asyncio.sleep(0.02)
    raise AssertionError(f"no diagnostics for {uri} within {timeout}s")


def _version(client, uri):
    return getattr(client, "_chainlens_versions", {}).get(uri)


def at(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def record_publishes(client: LanguageClient) -> dict[str, list[tuple[int | None, list]]]:
    """Keep every publishDiagnostics (with its version), not only the last
    (wraps pytest-lsp's own handler, once per client)."""
    log = getattr(client, "_chainlens_publishes", None)
    if log is not None:
        return log
    log = client._chainlens_publishes = {}
    features = client.protocol.fm.features
    original = features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS]

    def publish(params: types.PublishDiagnosticsParams):
        log.setdefault(params.uri, []).append((params.version, list(params.diagnostics)))
        return original(params)

    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    return log
