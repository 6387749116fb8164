"""A hover inside a chain of equalities gives the verdict of the step under
the cursor, the one its diagnostic underlines (an ``align*`` step per line,
``A = B = C`` on one line): never the first step's verdict on a wrong step."""

from __future__ import annotations

import pytest
from lsp_session import at, diagnostics_for, open_doc
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")

ALIGN = (
    "\\documentclass{article}\n"
    "\\begin{document}\n"
    "\\begin{align*}\n"
    "\\frac{d}{dx} \\left( x^2 \\sin x \\right) &= 2x \\sin x + x^2 \\cos x \\\\\n"
    "  &= x (2 \\sin x + x \\cos x) \\\\\n"
    "  &= x^2 \\cos x\n"
    "\\end{align*}\n"
    "\\end{document}\n"
)

ONE_LINE = "Chain: $\\frac{d}{dx} x^3 = 3x^2 = 3x$.\n"


async def _hover(client, uri, line, character):
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=at(line, character)))
    return hover.contents.value.split("\n")[0]


async def test_each_align_step_hovers_its_own_verdict(client):
    uri = open_doc(client, "steps.tex", ALIGN, "latex")
    diagnostics = await diagnostics_for(client, uri)
    assert [(d.range.start.line, d.code) for d in diagnostics] == [(5, "wrong-derivative")]
    first = await _hover(client, uri, 3, 5)
    assert first.startswith("**Claim** d/dx [x^2 \\sin x] = 2x \\sin x + x^2 \\cos x: ✓ correct")
    assert (await _hover(client, uri, 4, 10)).endswith("✓ correct")
    # anywhere on the underlined step, before or on its claimed side
    for character in (2, 7, 14):
        assert await _hover(client, uri, 5, character) == (
            "**Claim** d/dx [x^2 \\sin x] = x^2 \\cos x: ✗ wrong")


async def test_steps_of_one_line_hover_by_the_cursor(client):
    uri = open_doc(client, "line.md", ONE_LINE, "markdown")
    diagnostics = await diagnostics_for(client, uri)
    [wrong] = diagnostics
    assert (await _hover(client, uri, 0, 28)).endswith("= 3x^2: ✓ correct")
    assert (await _hover(client, uri, 0, wrong.range.start.character)).endswith("= 3x: ✗ wrong")


async def test_a_wrong_step_hover_shows_the_right_derivative_without_an_empty_block(client):
    uri = open_doc(client, "block.tex", ALIGN, "latex")
    await diagnostics_for(client, uri)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=at(5, 7)))
    lines = hover.contents.value.split("\n")
    assert lines[1].startswith("it is `")
    assert "```latex" not in lines or lines[lines.index("```latex") + 1].strip()
