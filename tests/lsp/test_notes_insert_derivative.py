"""The "Insert d/dx as a LaTeX line" refactoring on a note's plain
expression, applied: the line lands after the math construct (never inside
an ``align*`` or a ``$$`` block), a LaTeX document gets ``\\[ … \\]``, and the
checker then reads the inserted line as a correct derivative claim.  A
fragment that already states a derivative is not offered it."""

from __future__ import annotations

import pytest
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document
from lsp_session import at, diagnostics_for, open_doc
from lsprotocol import types
from test_actions_examples import _apply

pytestmark = pytest.mark.asyncio(loop_scope="module")

TITLE = "Insert d/dx as a LaTeX line"

LATEX = (
    "\\documentclass{article}\n"
    "\\begin{document}\n"
    "\\begin{align*}\n"
    "  h(x) &= x^2 \\sin x\n"
    "\\end{align*}\n"
    "\\end{document}\n"
)

MARKDOWN = "A block:\n\n$$\nx^3 + \\cos x\n$$\n\nafter\n"

CLAIM = "\\begin{align*}\n\\frac{d}{dx} x^3 &= 3x^2\n\\end{align*}\n"


async def _insertion(client, uri, line, character):
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(start=at(line, character), end=at(line, character)),
        context=types.CodeActionContext(diagnostics=[])))
    return [a for a in actions or [] if a.title == TITLE]


def _claims_after(text: str, kind: str):
    doc = read_document(text, kind)
    assert doc.error is None
    return [check_claim(c) for c in doc.claims]


@pytest.mark.parametrize(("name", "kind", "text", "line", "character", "delimiters"), [
    ("d.tex", "latex", LATEX, 3, 12, ("\\[ ", " \\]")),
    ("d.md", "markdown", MARKDOWN, 3, 2, ("$$", "$$")),
])
async def test_the_inserted_line_lands_outside_the_math_and_checks_correct(
        client, name, kind, text, line, character, delimiters):
    uri = open_doc(client, name, text, kind)
    await diagnostics_for(client, uri)
    [action] = await _insertion(client, uri, line, character)
    after = _apply(text, action.edit.changes[uri])
    new = [row for row in after.split("\n") if row not in text.split("\n")]
    [inserted] = new
    assert inserted.startswith(delimiters[0]) and inserted.endswith(delimiters[1])
    rows = after.split("\n")
    closing = "\\end{align*}" if kind == "latex" else "$$"
    # right after the construct's closing line, not inside it
    assert rows[rows.index(inserted) - 1] == closing
    verdicts = _claims_after(after, kind)
    assert [v.ok for v in verdicts] == [True], [v.note for v in verdicts]


async def test_a_fragment_stating_a_derivative_is_not_offered_the_insertion(client):
    uri = open_doc(client, "claim.tex", CLAIM, "latex")
    await diagnostics_for(client, uri)
    assert await _insertion(client, uri, 1, 20) == []
