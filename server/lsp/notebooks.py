"""Jupyter notebooks through LSP notebook-document sync.

The client sends the notebook's cells as text documents (``cell_text_documents``)
and their edits; pygls keeps them in the workspace.  Each code cell is read
as Python (:mod:`chainlens.engine.frontends.python_source`), so hovers, diagnostics and code
actions work per cell exactly as in a ``.py`` file; each Markdown cell is read
as a Markdown note, its derivative claims checked as ``chainlens check`` checks
the notebook's Markdown cells (red team round 8: the editor was silent there).
This module only advertises the sync and routes notebook events to the cell
diagnostics, each cell by the language its text document names.
"""

from __future__ import annotations

import logging

from lsprotocol import types

log = logging.getLogger("chainlens.lsp")

__all__ = ["SYNC_OPTIONS", "register"]

SYNC_OPTIONS = types.NotebookDocumentSyncOptions(
    notebook_selector=[types.NotebookDocumentFilterWithCells(
        notebook="jupyter-notebook",
        cells=[types.NotebookCellLanguage(language="python"),
               types.NotebookCellLanguage(language="markdown")])],
    save=False,
)


def _language(cell: types.TextDocumentItem) -> str:
    """The language a cell is read in: a Markdown cell's claims, else Python."""
    return "markdown" if (cell.language_id or "").lower() == "markdown" else "python"


def register(server) -> None:
    store = server.store

    def schedule(uri: str, language: str | None = None) -> None:
        # ``language`` when the cell is new; later edits keep the kind it was given
        if store.kind(uri, language, notebook=True) is not None and server.publish_diagnostics:
            store.debounce(uri, lambda: server.publish_diagnostics(uri))

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    def did_open(ls, params: types.DidOpenNotebookDocumentParams):
        for cell in params.cell_text_documents:
            schedule(cell.uri, _language(cell))

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def did_change(ls, params: types.DidChangeNotebookDocumentParams):
        cells = params.change.cells
        touched: dict[str, str | None] = {}
        if cells is not None:
            touched.update((t.document.uri, None) for t in cells.text_content or ())
            if cells.structure is not None:
                touched.update((c.uri, _language(c)) for c in cells.structure.did_open or ())
                for closed in cells.structure.did_close or ():
                    store.forget(closed.uri)
        for uri, language in touched.items():
            schedule(uri, language)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def did_close(ls, params: types.DidCloseNotebookDocumentParams):
        for cell in params.cell_text_documents:
            store.forget(cell.uri)
            if server.push_diagnostics:
                ls.text_document_publish_diagnostics(
                    types.PublishDiagnosticsParams(uri=cell.uri, diagnostics=[]))
