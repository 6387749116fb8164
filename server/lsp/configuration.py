"""Settings through ``workspace/configuration`` and
``workspace/didChangeConfiguration``; also the ``initialize`` options.

Read at start-up (after ``initialized``) and whenever the client says the
configuration changed; a change re-analyses every open document so that
thresholds, notation and file types apply at once.
"""

from __future__ import annotations

import logging

from chainlens.server.lsp.settings import from_json
from lsprotocol import types

log = logging.getLogger("chainlens.lsp")

__all__ = ["register"]


def register(server) -> None:
    store = server.store

    @server.feature(types.INITIALIZE)
    def initialize(ls, params: types.InitializeParams):
        store.settings = from_json(params.initialization_options, store.settings)
        caps = params.capabilities
        if caps.text_document is not None and caps.text_document.diagnostic is not None:
            server.push_diagnostics = False
        general = caps.general
        if general is not None and general.position_encodings and \
                types.PositionEncodingKind.Utf32 in general.position_encodings and \
                types.PositionEncodingKind.Utf16 not in general.position_encodings:
            store.encoding = "utf-32"

    async def refresh() -> None:
        caps = server.client_capabilities
        if caps.workspace is None or not caps.workspace.configuration:
            return
        try:
            result = await server.workspace_configuration_async(types.ConfigurationParams(
                items=[types.ConfigurationItem(section="chainlens")]))
        except Exception as exc:  # noqa: BLE001 - a client may refuse
            log.info("workspace/configuration failed: %s", exc)
            return
        if result:
            apply(result[0])

    def apply(raw) -> None:
        new = from_json(raw, store.settings)
        if new != store.settings:
            store.settings = new
            store.reset()
            for uri in list(server.workspace.text_documents):
                if store.kind(uri) is not None and server.publish_diagnostics:
                    store.debounce(uri, lambda uri=uri: server.publish_diagnostics(uri))

    @server.feature(types.INITIALIZED)
    async def initialized(ls, params):
        await refresh()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def changed(ls, params: types.DidChangeConfigurationParams):
        if params.settings:
            apply(params.settings)
        await refresh()
