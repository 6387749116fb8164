"""A Python file in the editor, end to end over stdio: hover on a ``def``,
the stable-rewrite diagnostic and its quick fix, generated gradient code."""

from __future__ import annotations

import asyncio
import math

import pytest
from lsp_session import at, diagnostics_for, open_doc
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")

SOURCE = (
    "import numpy as np\n"
    "\n"
    "def f(x):\n"
    "    return np.sin(x**2)\n"
    "\n"
    "def g(x, w):\n"
    "    return np.log(1 + np.exp(w * x))\n"
)


def _changes(action):
    return {k: list(v) for k, v in action.edit.changes.items()}


def _doc(uri):
    return types.TextDocumentIdentifier(uri=uri)


async def _hover_once_health_is_in(client, uri, position, timeout=60.0):
    """The hover, asked again until its health half has arrived: a hover
    waits one second for the health worker, which a loaded machine's
    freshly started worker can miss (the next hover then shows it)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        hover = await client.text_document_hover_async(
            types.HoverParams(text_document=_doc(uri), position=position))
        if "**Gradient health:**" in hover.contents.value or loop.time() > deadline:
            return hover
        await asyncio.sleep(0.5)


async def test_hover_on_a_def_shows_derivative_steps_and_health(client):
    uri = open_doc(client, "hover.py", SOURCE, "python")
    hover = await _hover_once_health_is_in(client, uri, at(2, 4))
    assert hover.range == types.Range(start=at(2, 0), end=at(3, 23))
    assert hover.contents.kind == types.MarkupKind.Markdown
    assert hover.contents.value == "\n".join([
        "**f** (function)",
        "",
        "**∂f/∂x** = `2x·cos(x²)`",
        "",
        "**Chain rule**",
        "",
        "1. **chain rule**: `d/dx [sin(x²)] with outer sin(u), inner u = x²: cos(u) · u' ⇒ "
        "cos(x²) · d/dx [x²] = 2x·cos(x²)`",
        "2. **putting it together**: `d/dx [sin(x²)] = 2x·cos(x²)`",
        "",
        "---",
        "",
        "**More: the full derivation**",
        "",
        "1. **chain rule**: `d/dx [sin(x²)] with outer sin(u), inner u = x²: cos(u) · u' ⇒ "
        "cos(x²) · d/dx [x²] = 2x·cos(x²)`",
        "   - **power rule**: `d/dx [x²] = 2x`",
        "2. **putting it together**: `d/dx [sin(x²)] = 2x·cos(x²)`",
        "",
        "**Gradient health:** no vanishing or exploding gradients (at sampled points)",
    ])


async def test_unstable_form_diagnostic_carries_its_fix(client):
    uri = open_doc(client, "stable.py", SOURCE, "python")
    diagnostics = await diagnostics_for(client, uri)
    fix_range = {"start": {"line": 6, "character": 11}, "end": {"line": 6, "character": 36}}
    assert diagnostics == [types.Diagnostic(
        range=types.Range(start=at(6, 11), end=at(6, 36)),
        message="log(1 + exp(u)) overflows for large |u|; softplus(u) is the stable form",
        severity=types.DiagnosticSeverity.Information, source="chainlens",
        code="unstable-form",
        data={"fixes": [{"title": "Rewrite as np.logaddexp(0, w * x)",
                         "edits": [{"range": fix_range, "newText": "np.logaddexp(0, w * x)"}]}]},
    )]
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=_doc(uri), range=diagnostics[0].range,
        context=types.CodeActionContext(diagnostics=diagnostics,
                                        only=[types.CodeActionKind.QuickFix])))
    assert [(a.title, a.kind, _changes(a)) for a in actions] == [(
        "Rewrite as np.logaddexp(0, w * x)", types.CodeActionKind.QuickFix,
        {uri: [types.TextEdit(range=diagnostics[0].range, new_text="np.logaddexp(0, w * x)")]},
    )]


async def test_generated_gradient_function_matches_finite_differences(client):
    uri = open_doc(client, "grad.py", SOURCE, "python")
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=_doc(uri), range=types.Range(start=at(5, 5), end=at(5, 5)),
        context=types.CodeActionContext(diagnostics=[])))
    titles = [a.title for a in actions]
    # one action per kind of insertion, each covering every parameter
    assert titles == ["Generate grad_g(x, w)", "Insert ∂g/∂x, ∂g/∂w as a comment",
                      "Insert ∂g/∂x, ∂g/∂w as functions"]
    (edit,) = actions[0].edit.changes[uri]
    assert edit.range == types.Range(start=at(7, 0), end=at(7, 0))
    code = edit.new_text
    assert code.startswith("\n\ndef grad_g(x, w):\n")
    # The generated code is ours (printed from the IR), so running it here is
    # fine; the oracle is a central finite difference of the original g.
    import numpy as np

    scope = {"np": np}
    exec(compile(code, "<generated>", "exec"), scope)  # noqa: S102 - generated, not user text
    g = lambda x, w: math.log(1 + math.exp(w * x))  # noqa: E731
    for x, w in [(0.3, -1.2), (2.0, 0.5), (-1.5, 0.7)]:
        h = 1e-6
        fd = ((g(x + h, w) - g(x - h, w)) / (2 * h), (g(x, w + h) - g(x, w - h)) / (2 * h))
        got = scope["grad_g"](x, w)
        assert np.allclose(got, fd, rtol=1e-6, atol=1e-8)


async def test_insert_derivative_as_a_comment(client):
    uri = open_doc(client, "comment.py", SOURCE, "python")
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=_doc(uri), range=types.Range(start=at(3, 8), end=at(3, 8)),
        context=types.CodeActionContext(diagnostics=[])))
    comment = next(a for a in actions if a.title == "Insert ∂f/∂x as a comment")
    assert _changes(comment) == {uri: [types.TextEdit(
        range=types.Range(start=at(4, 0), end=at(4, 0)), new_text="# ∂f/∂x = 2x·cos(x²)\n")]}
