"""Jupyter notebooks through notebook-document sync: code cells are read
as Python; diagnostics and hovers are per cell, and follow cell edits."""

from __future__ import annotations

import pytest
from lsp_session import at, diagnostics_for
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")

NB = "file:///tmp/chainlens-tests/model.ipynb"
CELLS = [
    ("vscode-notebook-cell:/tmp/chainlens-tests/model.ipynb#W0", "import numpy as np\n"),
    ("vscode-notebook-cell:/tmp/chainlens-tests/model.ipynb#W1",
     "def softplus_ish(x):\n    return np.log(1 + np.exp(x))\n"),
    ("vscode-notebook-cell:/tmp/chainlens-tests/model.ipynb#W2", "y = np.tanh(x**3)\n"),
]


def _open(client):
    client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
        notebook_document=types.NotebookDocument(
            uri=NB, notebook_type="jupyter-notebook", version=1,
            cells=[types.NotebookCell(kind=types.NotebookCellKind.Code, document=uri)
                   for uri, _ in CELLS]),
        cell_text_documents=[types.TextDocumentItem(uri=uri, language_id="python", version=1,
                                                    text=text) for uri, text in CELLS]))


async def test_cells_are_python_with_hovers_and_diagnostics(client):
    _open(client)
    cell1, cell2 = CELLS[1][0], CELLS[2][0]
    diagnostics = await diagnostics_for(client, cell1)
    assert [(d.range, d.code) for d in diagnostics] == [
        (types.Range(start=at(1, 11), end=at(1, 32)), "unstable-form")]
    assert diagnostics[0].data["fixes"][0]["edits"][0]["newText"] == "np.logaddexp(0, x)"
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=cell2), position=at(0, 0)))
    assert hover.contents.value.split("\n")[:3] == [
        "**y** (expression)", "", "**∂y/∂x** = `3x²·sech(x³)²`"]


async def test_a_cell_edit_updates_that_cells_diagnostics(client):
    cell1 = CELLS[1][0]
    await diagnostics_for(client, cell1)
    client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
        notebook_document=types.VersionedNotebookDocumentIdentifier(uri=NB, version=2),
        change=types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(
            text_content=[types.NotebookDocumentCellContentChanges(
                document=types.VersionedTextDocumentIdentifier(uri=cell1, version=2),
                changes=[types.TextDocumentContentChangePartial(
                    range=types.Range(start=at(1, 11), end=at(1, 32)),
                    text="np.logaddexp(0, x)")])]))))
    client.diagnostics.pop(cell1, None)
    assert await diagnostics_for(client, cell1) == []
