"""Markdown and LaTeX notes end to end: wrong derivative claims get a
diagnostic with a counterexample and a fix; hovers show the derivative."""

from __future__ import annotations

import math

import pytest
from lsp_session import at, diagnostics_for, open_doc
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")

NOTE = """# Notes

Right: $\\frac{d}{dx}\\sin(x^2) = 2x\\cos(x^2)$.

Check: $\\frac{d}{dx}\\sin(x^2) = \\cos(x^2)$.

Logarithmic differentiation: $(x^x)' = x^x(\\ln x + 1)$.

Let $f(x) = x^3 \\sin x$, so $f'(x) = 3x^2 \\sin x$.
"""


def _rng(l1, c1, l2, c2):
    return types.Range(start=at(l1, c1), end=at(l2, c2))


async def test_wrong_claims_get_a_counterexample_and_a_fix(client):
    uri = open_doc(client, "notes.md", NOTE, "markdown")
    diagnostics = await diagnostics_for(client, uri)
    assert [(d.range, d.code, d.data["fixes"]) for d in diagnostics] == [
        (_rng(4, 32, 4, 41), "wrong-derivative", [{
            "title": "Correct the claim to 2 x \\cos\\left(x^{2}\\right)",
            "edits": [{"range": {"start": {"line": 4, "character": 32},
                                 "end": {"line": 4, "character": 41}},
                       "newText": "2 x \\cos\\left(x^{2}\\right)"}]}]),
        (_rng(8, 37, 8, 48), "wrong-derivative", [{
            "title": "Correct the claim to x^{3} \\cos\\left(x\\right) + 3 x^{2} "
                     "\\sin\\left(x\\right)",
            "edits": [{"range": {"start": {"line": 8, "character": 37},
                                 "end": {"line": 8, "character": 48}},
                       "newText": "x^{3} \\cos\\left(x\\right) + 3 x^{2} "
                                  "\\sin\\left(x\\right)"}]}]),
    ]
    # the counterexample is a real one: the claim and the derivative differ there
    counter = diagnostics[0].data["counterexample"]
    x = counter["at"]["x"]
    assert counter["expected"] == pytest.approx(2 * x * math.cos(x * x))
    assert counter["claimed"] == pytest.approx(math.cos(x * x))
    assert abs(counter["expected"] - counter["claimed"]) > 1e-6
    assert diagnostics[0].message.startswith(
        "wrong derivative: d/dx of \\sin(x^2) is not \\cos(x^2); it is 2x·cos(x²) "
        f"(counterexample: at x = {x:.6g} the derivative is")
    fix = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=diagnostics[0].range,
        context=types.CodeActionContext(diagnostics=diagnostics[:1],
                                        only=[types.CodeActionKind.QuickFix])))
    assert [(a.title, list(a.edit.changes[uri])) for a in fix] == [(
        "Correct the claim to 2 x \\cos\\left(x^{2}\\right)",
        [types.TextEdit(range=_rng(4, 32, 4, 41), new_text="2 x \\cos\\left(x^{2}\\right)")])]


async def test_hover_on_a_claim_gives_the_verdict(client):
    uri = open_doc(client, "verdict.md", NOTE, "markdown")
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=at(6, 40)))
    assert hover.contents.value == "**Claim** d/dx [x^x] = x^x(\\ln x + 1): ✓ correct"
    assert hover.range == _rng(6, 30, 6, 53)


async def test_latex_document_and_hover_on_plain_math(client):
    tex = ("\\documentclass{article}\\begin{document}\n"
           "\\begin{equation} g(t) = e^{-t^2} \\end{equation}\n"
           "\\[ \\frac{d}{dt} e^{-t^2} = -2t e^{-t^2} \\]\n\\end{document}\n")
    uri = open_doc(client, "paper.tex", tex, "latex")
    assert await diagnostics_for(client, uri) == []
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=at(1, 27)))
    assert hover.contents.value.split("\n")[0] == "**∂f/∂t** = `−2t·e^(−t²)`"
