"""Jupyter notebooks through LSP notebook-document sync.

The client sends the notebook's cells as text documents (``cell_text_documents``)
and their edits; pygls keeps them in the workspace.  Each code cell is read
as Python (:mod:`chainlens.engine.frontends.python_source`), so hovers, diagnostics and code
actions work per cell exactly as in a ``.py`` file; this module only
advertises the sync and routes notebook events to the cell diagnostics.
"""

from __future__ import annotations

import logging

from lsprotocol import types

log = logging.getLogger("chainlens.lsp")

__all__ = ["SYNC_OPTIONS", "register"]

SYNC_OPTIONS = types.NotebookDocumentSyncOptions(
    notebook_selector=[types.NotebookDocumentFilterWithCells(
        notebook="jupyter-notebook",
        cells=[types.NotebookCellLanguage(language="python")])],
    save=False,
)


def _cells(ls, notebook_uri: str) -> list[str]:
    nb = ls.workspace.get_notebook_document(notebook_uri=notebook_uri)
    if nb is None:
        return []
    return [c.document for c in nb.cells if c.kind == types.NotebookCellKind.Code]


def register(server) -> None:
    store = server.store

    def schedule(uri: str) -> None:
        if store.kind(uri, "python", notebook=True) is not None and server.publish_diagnostics:
            store.debounce(uri, lambda: server.publish_diagnostics(uri))

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    def did_open(ls, params: types.DidOpenNotebookDocumentParams):
        for cell in _cells(ls, params.notebook_document.uri):
            schedule(cell)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def did_change(ls, params: types.DidChangeNotebookDocumentParams):
        cells = params.change.cells
        touched: set[str] = set()
        if cells is not None:
            touched.update(t.document.uri for t in cells.text_content or ())
            if cells.structure is not None:
                touched.update(c.uri for c in cells.structure.did_open or ())
                for closed in cells.structure.did_close or ():
                    store.forget(closed.uri)
        for uri in touched:
            schedule(uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def did_close(ls, params: types.DidCloseNotebookDocumentParams):
        for cell in params.cell_text_documents:
            store.forget(cell.uri)
            if server.push_diagnostics:
                ls.text_document_publish_diagnostics(
                    types.PublishDiagnosticsParams(uri=cell.uri, diagnostics=[]))
