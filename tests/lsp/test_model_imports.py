"""A model file whose layers live in a sibling module of its project (#12):
the editor reads the import from disk (the document's file: URI), hovers
show the imported layers' flow, and every diagnostic stays on the file's
own lines (the imported layers' on the import that brought them in)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lsp_session import at, diagnostics_for, open_doc
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")

LAYERS = '''import torch
from torch import nn


class Deep(nn.Module):
    def __init__(self, width=32, depth=20):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(width, width) for _ in range(depth)])

    def forward(self, x):
        for layer in self.layers:
            x = torch.sigmoid(layer(x))
        return x
'''

MODEL = '''from torch import nn

from .layers import Deep


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = Deep()
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(self.body(x))
'''


async def test_imported_layers_are_read_and_their_findings_stay_on_the_import(client):
    folder = f"imports{os.getpid()}"
    pkg = Path("/tmp/chainlens-tests") / folder
    pkg.mkdir(parents=True, exist_ok=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "layers.py").write_text(LAYERS)
    uri = open_doc(client, f"{folder}/model.py", MODEL, "python")
    diags = await diagnostics_for(client, uri, until=lambda ds: any(
        d.code == "vanishing" for d in ds))
    lines = len(MODEL.splitlines())
    assert all(d.range.end.line < lines for d in diags)
    vanishing = [d for d in diags if d.code == "vanishing"]
    assert vanishing[0].range.start.line == 2  # from .layers import Deep
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=at(11, 9)))
    text = hover.contents.value
    assert text.startswith("**Net** (module)") and "**Gradient flow: vanishing**" in text
    assert "layers.19" in text
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=vanishing[0].range,
        context=types.CodeActionContext(diagnostics=vanishing)))
    for action in actions or []:
        for edit in (action.edit.changes or {}).get(uri, []) if action.edit else []:
            assert edit.range.start.line != 2, action.title  # never inside the import
