"""A model file in the editor (#12): hover on a module class or its forward
shows the measured gradient flow by layer, the verdict and remedies; a
definition chainlens does not read gets a hint on its def line that says
why, and the same words in its hover."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsp_session import at, diagnostics_for, open_doc
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")

SOURCE = '''import torch
from torch import nn


class Deep(nn.Module):
    def __init__(self, width=32, depth=20):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(width, width) for _ in range(depth)])

    def forward(self, x):
        for layer in self.layers:
            x = torch.sigmoid(layer(x))
        return x


class Gated(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 8)

    def forward(self, x):
        if x.sum() > 0:
            return self.fc(x)
        return x
'''


def _doc(uri):
    return types.TextDocumentIdentifier(uri=uri)


async def _hover(client, uri, line, col):
    return await client.text_document_hover_async(
        types.HoverParams(text_document=_doc(uri), position=at(line, col)))


async def test_hover_on_forward_shows_the_flow_table_and_the_verdict(client):
    uri = open_doc(client, "model_hover.py", SOURCE, "python")
    diags = await diagnostics_for(client, uri, until=lambda ds: any(
        d.code == "vanishing" for d in ds))
    vanishing = [d for d in diags if d.code == "vanishing"]
    assert vanishing[0].severity == types.DiagnosticSeverity.Error
    assert vanishing[0].range.start.line == 7  # the ModuleList's Linear
    hover = await _hover(client, uri, 9, 9)  # `forward`
    text = hover.contents.value
    assert text.startswith("**Deep** (module)")
    assert "| layer | ‖∂L/∂W‖ | ratio to last |" in text
    assert "| 1. layers.0 (line 8) |" in text and "| 20. layers.19 (line 8) |" in text
    assert "… 13 more" in text
    assert "**Gradient flow: vanishing**" in text and "remedy: a residual connection" in text
    assert "Kaiming-uniform" in text


async def test_a_skipped_forward_says_why_on_its_def_line(client):
    uri = open_doc(client, "model_skip.py", SOURCE, "python")
    diags = await diagnostics_for(client, uri, until=lambda ds: any(
        d.code == "not-read" for d in ds))
    hints = [d for d in diags if d.code == "not-read"]
    assert [d.severity for d in hints] == [types.DiagnosticSeverity.Hint]
    assert hints[0].range.start.line == 20  # def forward of Gated
    assert "depends on data" in hints[0].message
    hover = await _hover(client, uri, 20, 9)
    assert "not read" in hover.contents.value and "depends on data" in hover.contents.value


#: the ReLU stack tests/cli/test_redteam_round7.py checks with torch (He init is its remedy)
RECTIFIED = (Path(__file__).resolve().parents[1] / "health" / "fixtures"
             / "remedy_models.py").read_text()


async def test_the_hover_gives_the_remedies_that_apply_as_the_cli_does(client):
    """A vanishing ReLU stack at PyTorch's default init: the hover names He
    init (what the CLI says, red team R10) and never tells a network with no
    sigmoid or tanh to replace them (tests/cli/test_redteam_round7.py checks
    with torch that He init is the remedy)."""
    uri = open_doc(client, "model_relu.py", RECTIFIED, "python")
    await diagnostics_for(client, uri, until=lambda ds: any(
        d.code == "vanishing" for d in ds))
    line = next(i for i, t in enumerate(RECTIFIED.splitlines()) if "def forward" in t)
    text = (await _hover(client, uri, line, 9)).contents.value
    assert "**Gradient flow: vanishing**" in text, text
    assert "remedy: Kaiming (He) init for the ReLU/GELU layers" in text
    assert "instead of sigmoid or tanh" not in text
