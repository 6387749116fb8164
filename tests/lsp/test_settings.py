"""Settings through workspace/configuration and initializationOptions, and
pull diagnostics for clients that ask for them."""

from __future__ import annotations

import asyncio

import pytest
import pytest_lsp
from conftest import SERVER
from lsp_session import at, open_doc
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

pytestmark = pytest.mark.asyncio(loop_scope="module")

NEURON = "z = w*x + b\na = sigmoid(z)\nL = (a - y)^2\n@at x=0.5, w=0.8, b=-0.1, y=1\n"
DEEP = ("a = x\nrepeat k in 1..8 {\n  a = tanh(w_k * a)\n}\n@at x=0.5\n")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), scope="module")
async def client(lsp_client: LanguageClient):
    """A client that pulls diagnostics (VS Code 1.65 + the 3.17 diagnostic
    capability) and configures LaTeX notation, no Python, a loose threshold."""
    lsp_client.set_configuration({"chainlens": {
        "notation": "latex", "fileTypes": {"python": False},
        "thresholds": {"vanishing": 0.5}, "debounceMs": 10}})
    caps = client_capabilities("visual-studio-code")
    caps.text_document.diagnostic = types.DiagnosticClientCapabilities()
    await lsp_client.initialize_session(types.InitializeParams(capabilities=caps))
    yield
    await lsp_client.shutdown_session()


async def _pull(client, uri):
    return await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))


async def _configured(client):
    # initialized -> the server asks workspace/configuration; wait for it to apply
    for _ in range(200):
        hover = await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=open_doc(
                client, "probe.chain", NEURON, "chain")), position=at(0, 4)))
        if hover and hover.contents.value.startswith("$\\frac{\\partial L}{\\partial w} = 2 x"):
            return
        await asyncio.sleep(0.05)


async def test_notation_setting_changes_the_hover(client):
    await _configured(client)
    uri = open_doc(client, "notation.chain", NEURON, "chain")
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=at(1, 6)))
    # every part in the notation asked for: the label too, as one formula
    assert hover.contents.value.split("\n")[2] == (
        "$\\frac{\\partial a}{\\partial z} = \\sigma\\left(z\\right) "
        "\\left(1 - \\sigma\\left(z\\right)\\right)$")


async def test_pull_diagnostics_and_no_push(client):
    await _configured(client)
    uri = open_doc(client, "pulled.chain", "z = (\n", "chain")
    report = await _pull(client, uri)
    assert report.kind == "full"
    assert [(d.range, d.code) for d in report.items] == [
        (types.Range(start=at(0, 4), end=at(0, 5)), "ParseError")]
    assert report.result_id == "1"
    await asyncio.sleep(0.3)
    assert uri not in client.diagnostics  # pulled, so never pushed


async def test_threshold_setting_reaches_the_health_analysis(client):
    await _configured(client)
    uri = open_doc(client, "threshold.chain", DEEP, "chain")
    report = await _pull(client, uri)
    assert "vanishing" in [d.code for d in report.items]


async def test_file_types_setting_turns_python_off(client):
    await _configured(client)
    uri = open_doc(client, "off.py", "import numpy as np\ny = np.log(1 + np.exp(x))\n",
                   "python")
    assert list((await _pull(client, uri)).items) == []
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=at(1, 0)))
    assert hover is None
