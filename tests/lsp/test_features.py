"""The LSP features editors expect, on a real server over stdio: completion,
go to definition, references, rename, document symbols, semantic tokens and
signature help for ``.chain`` files (LaTeX completion in notes too)."""

from __future__ import annotations

import pytest
from chainlens.server.lsp.semantic_tokens import LEGEND
from lsp_session import at, open_doc
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")

PROGRAM = """# two layers
input x in [-1, 1]
f(u, v) = u^2 + v
z = w*x + b
a = sigmoid(z)
a = tanh(a)
L = f(a, y)
@at x=0.5, w=0.8, b=-0.1, y=1
"""


def _doc(uri):
    return types.TextDocumentIdentifier(uri=uri)


def _rng(l1, c1, l2, c2):
    return types.Range(start=at(l1, c1), end=at(l2, c2))


async def test_definition_goes_to_the_version_the_name_reads(client):
    uri = open_doc(client, "def.chain", PROGRAM, "chain")
    # `a` in `tanh(a)` reads the first a; `a` in `f(a, y)` reads the second
    (first,) = await client.text_document_definition_async(types.DefinitionParams(
        text_document=_doc(uri), position=at(5, 9)))
    (second,) = await client.text_document_definition_async(types.DefinitionParams(
        text_document=_doc(uri), position=at(6, 6)))
    assert (first.range, second.range) == (_rng(4, 0, 4, 1), _rng(5, 0, 5, 1))
    (fn,) = await client.text_document_definition_async(types.DefinitionParams(
        text_document=_doc(uri), position=at(6, 4)))
    assert fn.range.start == at(2, 0)
    (x,) = await client.text_document_definition_async(types.DefinitionParams(
        text_document=_doc(uri), position=at(3, 6)))
    assert x.range == _rng(1, 6, 1, 7)  # the declaration


async def test_references_and_rename_cover_every_version_and_nothing_else(client):
    uri = open_doc(client, "ref.chain", PROGRAM, "chain")
    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=_doc(uri), position=at(4, 0),
        context=types.ReferenceContext(include_declaration=True)))
    assert sorted((r.range.start.line, r.range.start.character) for r in refs) == [
        (4, 0), (5, 0), (5, 9), (6, 6)]
    edit = await client.text_document_rename_async(types.RenameParams(
        text_document=_doc(uri), position=at(4, 0), new_name="h"))
    edits = edit.changes[uri]
    assert {e.new_text for e in edits} == {"h"} and len(edits) == 4
    with pytest.raises(Exception, match="already used"):
        await client.text_document_rename_async(types.RenameParams(
            text_document=_doc(uri), position=at(4, 0), new_name="z"))
    with pytest.raises(Exception, match="is a function"):
        await client.text_document_rename_async(types.RenameParams(
            text_document=_doc(uri), position=at(4, 0), new_name="exp"))


async def test_document_symbols_are_the_outline(client):
    uri = open_doc(client, "outline.chain", PROGRAM, "chain")
    found = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=_doc(uri)))
    assert [s.name for s in found] == ["x", "f(u, v)", "z", "a", "L", "@at"]
    (a,) = [s for s in found if s.name == "a"]
    assert [c.selection_range.start.line for c in a.children] == [5]  # the second version


async def test_semantic_tokens_follow_the_program(client):
    uri = open_doc(client, "tokens.chain", PROGRAM, "chain")
    tokens = await client.text_document_semantic_tokens_full_async(
        types.SemanticTokensParams(text_document=_doc(uri)))
    legend = LEGEND
    data, line, char, got = tokens.data, 0, 0, []
    for i in range(0, len(data), 5):
        line = line + data[i]
        char = data[i + 1] if data[i] else char + data[i + 1]
        text = PROGRAM.split("\n")[line][char:char + data[i + 2]]
        got.append((text, legend.token_types[data[i + 3]]))
    assert ("# two layers", "comment") in got
    assert ("sigmoid", "function") in got and ("tanh", "function") in got
    assert ("w", "parameter") in got and ("z", "variable") in got
    assert ("@at", "macro") in got and ("input", "keyword") in got


async def test_completion_offers_names_in_scope_functions_and_latex(client):
    text = PROGRAM.replace("L = f(a, y)", "L = si")
    uri = open_doc(client, "complete.chain", text, "chain")
    got = await client.text_document_completion_async(types.CompletionParams(
        text_document=_doc(uri), position=at(6, 6)))
    labels = [i.label for i in got.items]
    assert "sigmoid" in labels and "sin" in labels and "z" not in labels  # prefix "si"
    sigmoid = next(i for i in got.items if i.label == "sigmoid")
    assert "σ(u)·(1 − σ(u))" in sigmoid.documentation.value
    got = await client.text_document_completion_async(types.CompletionParams(
        text_document=_doc(uri), position=at(6, 4)))
    labels = [i.label for i in got.items]
    assert {"z", "a", "x", "w", "f"} <= set(labels) and "L" not in labels
    note = open_doc(client, "complete.md", "Then $\\si$ is\n", "markdown")
    got = await client.text_document_completion_async(types.CompletionParams(
        text_document=_doc(note), position=at(0, 9)))
    assert {"\\sin", "\\sinh", "\\sigma"} <= {i.label for i in got.items}


async def test_signature_help_names_the_active_parameter(client):
    text = PROGRAM.replace("L = f(a, y)", "L = f(a, ")
    uri = open_doc(client, "sig.chain", text, "chain")
    help_ = await client.text_document_signature_help_async(types.SignatureHelpParams(
        text_document=_doc(uri), position=at(6, 9)))
    assert help_.signatures[0].label == "f(u, v)" and help_.active_parameter == 1
    text = PROGRAM.replace("L = f(a, y)", "L = atan2(a")
    uri = open_doc(client, "sig2.chain", text, "chain")
    help_ = await client.text_document_signature_help_async(types.SignatureHelpParams(
        text_document=_doc(uri), position=at(6, 11)))
    assert help_.signatures[0].label == "atan2(u, v)" and help_.active_parameter == 0
    assert "v/(u² + v²)" in help_.signatures[0].documentation.value
