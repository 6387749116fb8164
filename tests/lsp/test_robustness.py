"""Behaviour under use: random edit streams, stale results, cancellation,
and a 2,000-line document.  No document, however broken, may stop the
server from answering."""

from __future__ import annotations

import asyncio
import random

import pytest
from lsp_session import at, open_doc, record_publishes
from lsprotocol import types
from pygls.exceptions import JsonRpcRequestCancelled

pytestmark = pytest.mark.asyncio(loop_scope="module")

SEEDS = {
    "chain": "z = w*x + b\na = sigmoid(z)\nL = (a - y)^2\n@at x=0.5, w=0.8, b=-0.1, y=1\n",
    "python": "import numpy as np\n\ndef f(x, w):\n    z = np.tanh(w * x)\n    return z**2\n",
    "markdown": "# n\n$\\frac{d}{dx}\\sin(x^2) = 2x\\cos(x^2)$ and $(x^x)' = x^x$\n",
}
#: fragments typed into documents: math, syntax, half-finished constructs
TOKENS = ["(", ")", "[", "]", "{", "}", "^", "*", "/", "+", "-", "=", "\n", " ", "x", "y",
          "sigmoid(", "log(", "exp(", "\\frac{", "$", "$$", "@at x=", "repeat k in 1..",
          "def g(", "return ", "np.sin(", "for i in range(3):\n    ", "0.5", "1e308", "é", "𝑥",
          "'", "\"", "#", "\\", "input x: [3] in [-1, 1]\n", "f(t) = t^2\n", "\t"]


def _random_edit(rng: random.Random, text: str) -> tuple[types.Range, str, str]:
    lines = text.split("\n")
    line = rng.randrange(len(lines))
    start = rng.randrange(len(lines[line]) + 1)
    end = min(len(lines[line]), start + rng.choice([0, 0, 1, 2, 5]))
    new = rng.choice(TOKENS) if rng.random() < 0.8 else ""
    offset = sum(len(x) + 1 for x in lines[:line])
    # positions are UTF-16: count astral characters twice
    def units(s: str) -> int:
        return len(s) + sum(1 for ch in s if ord(ch) > 0xFFFF)
    rng_ = types.Range(start=at(line, units(lines[line][:start])),
                       end=at(line, units(lines[line][:end])))
    return rng_, new, text[:offset + start] + new + text[offset + end:]


async def _ask_everything(client, uri: str, text: str) -> None:
    doc = types.TextDocumentIdentifier(uri=uri)
    lines = text.split("\n")
    line = len(lines) // 2
    pos = at(line, len(lines[line]) // 2)
    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc,
                                                                     position=pos))
    assert hover is None or hover.contents.value
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=doc, range=types.Range(start=at(0, 0), end=at(len(lines), 0))))
    assert isinstance(hints, list | tuple)
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=doc, range=types.Range(start=pos, end=pos),
        context=types.CodeActionContext(diagnostics=[])))
    assert isinstance(actions, list | tuple)


@pytest.mark.parametrize("kind", sorted(SEEDS))
async def test_random_edit_stream_keeps_the_server_answering(client, kind):
    publishes = record_publishes(client)
    rng = random.Random(f"chainlens-{kind}")
    suffix = {"chain": "chain", "python": "py", "markdown": "md"}[kind]
    text = SEEDS[kind]
    uri = open_doc(client, f"fuzz-{kind}.{suffix}", text, kind)
    version = 1
    for step in range(120):
        rng_, new, text = _random_edit(rng, text)
        version += 1
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangePartial(range=rng_, text=new)]))
        if step % 10 == 0:
            await _ask_everything(client, uri, text)
    # the last word is the final version's diagnostics, and nothing stale after it
    for _ in range(300):
        if publishes.get(uri) and publishes[uri][-1][0] == version:
            break
        await asyncio.sleep(0.05)
    versions = [v for v, _ in publishes[uri]]
    assert versions[-1] == version
    assert versions == sorted(versions)
    await _ask_everything(client, uri, text)


async def test_no_stale_diagnostics_after_a_fast_fix(client):
    publishes = record_publishes(client)
    uri = open_doc(client, "stale.chain", "z = (w*x\n", "chain")
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=at(0, 8), end=at(0, 8)), text=")")]))
    for _ in range(300):
        if publishes.get(uri) and publishes[uri][-1][0] == 2:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)
    # version 1 (the broken text) may only ever be shown before version 2
    assert publishes[uri][-1] == (2, [])
    assert all(v == 2 for v, _ in publishes[uri][publishes[uri].index((2, [])):])


async def test_cancelled_request_does_not_disturb_the_next(client):
    uri = open_doc(client, "cancel.chain", SEEDS["chain"], "chain")
    params = types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri),
                               position=at(1, 0))
    pending = client.protocol.send_request_async(types.TEXT_DOCUMENT_HOVER, params,
                                                 msg_id="cancel-me")
    client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="cancel-me"))
    try:
        first = await pending
        assert first is None or first.contents.value  # it may have finished first
    except JsonRpcRequestCancelled:
        pass
    again = await client.text_document_hover_async(params)
    assert again.contents.value.startswith("**∂L/∂a** = ")


def _big_program(layers: int) -> str:
    lines = ["# generated: a long chain of small layers", "a = x"]
    for k in range(1, layers + 1):
        act = ("tanh", "sigmoid", "softplus")[k % 3]
        lines.append(f"z{k} = w{k} * a + 0.01")
        lines.append(f"a = {act}(z{k})")
    lines.append("L = a^2")
    lines.append("@at x=0.5, " + ", ".join(f"w{k}=0.9" for k in range(1, layers + 1)))
    return "\n".join(lines) + "\n"


async def test_a_2000_line_document_stays_responsive(client):
    text = _big_program(1000)
    assert text.count("\n") > 2000
    uri = open_doc(client, "big.chain", text, "chain")
    doc = types.TextDocumentIdentifier(uri=uri)
    hover = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
        text_document=doc, position=at(1001, 1))), 60)
    assert hover.contents.value
    # a tiny document is answered while the big one is known to the server
    small = open_doc(client, "small.chain", SEEDS["chain"], "chain")
    quick = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=small), position=at(1, 0))), 30)
    assert quick.contents.value.startswith("**∂L/∂a** = ")
