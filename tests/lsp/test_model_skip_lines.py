"""Every model class chainlens does not read says why where the user looks
(#12): a Haiku or Flax module whose ``__call__`` uses a construct the reader
does not model gets a hint on its ``def __call__`` line naming the construct,
and the same words in the hover of that line and of its ``class`` line; a
Haiku module that is read shows its flow at Haiku's default init."""

from __future__ import annotations

import pytest
from lsp_session import at, diagnostics_for, open_doc
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")

SOURCE = '''import haiku as hk
import jax
from flax import linen as nn


class Attend(hk.Module):
    def __call__(self, x):
        norm = hk.RMSNorm(axis=-1)
        return hk.Linear(4)(norm(x))


class Looped(nn.Module):
    @nn.compact
    def __call__(self, x):
        dense = nn.Dense(16)
        return jax.lax.fori_loop(0, 3, lambda i, h: dense(h), x)


class Deep(hk.Module):
    def __call__(self, x):
        for _ in range(8):
            x = jax.nn.sigmoid(hk.Linear(32)(x))
        return hk.Linear(4)(x)
'''


def _doc(uri):
    return types.TextDocumentIdentifier(uri=uri)


async def _hover(client, uri, line, col):
    return await client.text_document_hover_async(
        types.HoverParams(text_document=_doc(uri), position=at(line, col)))


async def test_skipped_haiku_and_flax_modules_say_why_on_their_def_and_class_lines(client):
    uri = open_doc(client, "model_skip_lines.py", SOURCE, "python")
    diags = await diagnostics_for(client, uri, until=lambda ds: sum(
        d.code == "not-read" for d in ds) >= 2)
    hints = sorted((d for d in diags if d.code == "not-read"), key=lambda d: d.range.start.line)
    assert [d.range.start.line for d in hints] == [6, 13]  # the two `def __call__` lines
    assert all(d.severity == types.DiagnosticSeverity.Hint for d in hints)
    assert "hk.RMSNorm(...) is a Haiku construct chainlens does not model" in hints[0].message
    assert "jax.lax.fori_loop(...) is not a function chainlens models" in hints[1].message
    for line, col in ((6, 9), (5, 8)):  # def __call__ of Attend, then `class Attend`
        hover = await _hover(client, uri, line, col)
        assert hover is not None and "**Attend.__call__** — not read:" in hover.contents.value
        assert "hk.RMSNorm" in hover.contents.value
    hover = await _hover(client, uri, 11, 8)  # `class Looped`
    assert hover is not None and "jax.lax.fori_loop" in hover.contents.value


async def test_a_read_haiku_module_hovers_its_flow_at_haikus_init(client):
    uri = open_doc(client, "model_haiku_read.py", SOURCE, "python")
    await diagnostics_for(client, uri, until=lambda ds: any(d.code == "vanishing" for d in ds))
    hover = await _hover(client, uri, 18, 8)  # `class Deep`
    text = hover.contents.value
    assert text.startswith("**Deep** (module)")
    assert "Haiku default" in text and "**Gradient flow: vanishing**" in text
