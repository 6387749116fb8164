"""A ``.chain`` file in the editor, end to end over stdio: parse errors,
vanishing-gradient warnings with their factors and quick fixes, domain
warnings, hovers on names and assignments, inlay hints."""

from __future__ import annotations

import math

import pytest
from lsp_session import at, diagnostics_for, open_doc
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")

NEURON = """# One neuron with a squared loss (the seed article, section 6).
z = w*x + b
a = sigmoid(z)
L = (a - y)^2
@at x=0.5, w=0.8, b=-0.1, y=1
"""

DEEP = """# fifty sigmoid layers
input x in [-1, 1]
a = x
repeat k in 1..50 {
  z_k = w_k * a + b_k
  a = sigmoid(z_k)
}
L = (a - y)^2
@at x=0.5, y=1
"""


def _doc(uri):
    return types.TextDocumentIdentifier(uri=uri)


def _rng(l1, c1, l2, c2):
    return types.Range(start=at(l1, c1), end=at(l2, c2))


def _has(diagnostics, code, count=1):
    return sum(d.code == code for d in diagnostics) >= count


def _sigmoid(t):
    return 1 / (1 + math.exp(-t))


async def test_parse_error_has_the_exact_range(client):
    uri = open_doc(client, "broken.chain", "z = w*x + b\na = sigmoid(z\n", "chain")
    (error,) = await diagnostics_for(client, uri)
    # the parser's own words, at the parser's own place
    assert (error.range, error.severity, error.source, error.code) == (
        _rng(1, 11, 1, 12), types.DiagnosticSeverity.Error, "chainlens", "ParseError")
    assert error.message.startswith(
        "'(' opened at line 2, column 12 is never closed; expected ')'")


async def test_a_correct_neuron_has_no_diagnostics(client):
    uri = open_doc(client, "neuron.chain", NEURON, "chain")
    assert await diagnostics_for(client, uri) == []


async def test_hover_on_a_name_is_the_output_derivative_by_it_with_its_value(client):
    uri = open_doc(client, "hover-name.chain", NEURON, "chain")
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=_doc(uri), position=at(1, 4)))
    assert hover.range == _rng(1, 4, 1, 5)
    lines = hover.contents.value.split("\n")
    assert lines[0] == "**∂L/∂w** = `2x·σ(w·x + b)·(σ(w·x + b) − y)·(1 − σ(w·x + b))`"
    # Unicode throughout (no LaTeX unless asked for); the chain rule in the
    # program's own names, one local partial per line; the derivation under "More"
    assert lines[1:7] == ["", "**Chain rule**", "", "1. ∂z/∂w = `x`",
                          "2. ∂a/∂z = `σ(z)·(1 − σ(z))`", "3. ∂L/∂a = `2(a − y)`"]
    assert "**More: the full derivation**" in lines
    assert not any("\\frac" in line or "```latex" in line for line in lines)
    # the value line, against the chain rule done by hand
    z = 0.8 * 0.5 - 0.1
    a = _sigmoid(z)
    dw = 2 * (a - 1) * a * (1 - a) * 0.5
    assert lines[-3] == (f"**At** x = 0.5, w = 0.8, b = -0.1, y = 1: w = 0.8 · "
                         f"L = {(a - 1) ** 2:.6g} · ∂L/∂w = {dw:.6g}")
    assert lines[-1] == ("**Gradient health:** no vanishing or exploding gradients "
                         "(at the @at point)")


async def test_hover_on_an_assignment_shows_its_local_partials(client):
    uri = open_doc(client, "hover-assign.chain", NEURON, "chain")
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=_doc(uri), position=at(2, 6)))
    z = 0.3
    a = _sigmoid(z)
    assert hover.range == _rng(2, 0, 2, 14)
    assert hover.contents.value == "\n".join([
        "`a = σ(z)`",
        "",
        "**∂a/∂z** = `σ(z)·(1 − σ(z))`",
        "",
        f"**At** x = 0.5, w = 0.8, b = -0.1, y = 1: a = {a:.6g} · L = {(a - 1) ** 2:.6g} · "
        f"∂L/∂a = {2 * (a - 1):.6g}",
        "",
        "**Gradient health:** no vanishing or exploding gradients (at the @at point)",
    ])


async def test_inlay_hints_show_gradient_magnitudes_per_assignment(client):
    uri = open_doc(client, "hints.chain", NEURON, "chain")
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=_doc(uri), range=_rng(0, 0, 5, 0)))
    a = _sigmoid(0.3)
    dz = abs(2 * (a - 1) * a * (1 - a))
    assert [(h.position, h.label) for h in hints] == [
        (at(1, 11), f"|∂L/∂z| = {dz:.2g}"),
        (at(2, 14), f"|∂L/∂a| = {abs(2 * (a - 1)):.2g}"),
    ]


async def test_vanishing_warning_covers_the_repeat_and_points_at_each_factor(client):
    uri = open_doc(client, "deep.chain", DEEP, "chain")
    found = await diagnostics_for(client, uri, until=lambda ds: _has(ds, "vanishing"))
    (warning,) = [d for d in found if d.code == "vanishing"]
    assert warning.range == _rng(3, 0, 6, 1)
    assert warning.severity == types.DiagnosticSeverity.Error
    assert warning.message.startswith("50 sigmoid layers: |∂L/∂")
    assert "≤ 0.25⁵⁰" in warning.message
    # each factor's place: the sigmoid (bound 1/4) is among them, exactly
    related = [(r.location.range, r.message) for r in warning.related_information]
    assert (_rng(5, 6, 5, 18), "|sigmoid′(z_k)|: |∂| ≤ 0.25") in related
    assert all(r.location.uri == uri for r in warning.related_information)
    # every fix is re-analysed: ReLU (a dead gradient at layer 1) and Glorot's
    # scale (1e-29 left) do not clear the finding, the residual connection does
    assert [f["title"] for f in warning.data["fixes"]] == [
        "Add a residual connection: a = a + …"]
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=_doc(uri), range=warning.range,
        context=types.CodeActionContext(diagnostics=[warning],
                                        only=[types.CodeActionKind.QuickFix])))
    residual = actions[0]
    assert (residual.title, residual.is_preferred) == ("Add a residual connection: a = a + …",
                                                       True)
    assert list(residual.edit.changes[uri]) == [
        types.TextEdit(range=_rng(5, 6, 5, 6), new_text="a + ")]


async def test_deep_inlay_hints_show_first_and_last_layer(client):
    uri = open_doc(client, "deep-hints.chain", DEEP, "chain")
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=_doc(uri), range=_rng(0, 0, 9, 0)))
    labels = [h.label for h in hints]
    assert [h.position for h in hints] == [at(2, 5), at(4, 21), at(5, 18)]
    first, last = (float(v.split(" (")[0]) for v in labels[2].split("= ")[1].split(" … "))
    assert labels[2].startswith("|∂L/∂a| = ") and labels[2].endswith("(layers 1..50)")
    assert first < 1e-40 < 1e-2 < last  # vanished by the first layer


async def test_domain_warnings_at_the_point_and_over_declared_ranges(client):
    text = "input x in [-1, 1]\nz = log(x) + sqrt(y)\nL = z^2\n@at x=0.5, y=-2\n"
    uri = open_doc(client, "domain.chain", text, "chain")
    found = await diagnostics_for(client, uri, until=lambda ds: _has(ds, "domain", 2))
    domain = [(d.range, d.severity, d.message) for d in found if d.code == "domain"]
    assert domain == [
        (_rng(1, 13, 1, 20), types.DiagnosticSeverity.Warning,
         "outside its domain at the @at point: needs y ≥ 0 but y = -2"),
        (_rng(1, 4, 1, 10), types.DiagnosticSeverity.Information,
         "needs x > 0, but over the declared input ranges it can be anywhere in [-1, 1]"),
    ]


async def test_stable_rewrite_in_a_chain_file(client):
    uri = open_doc(client, "stable.chain", "q = log(1 + exp(z))\nL = log(sigmoid(q))\n", "chain")
    rewrites = [(d.range, d.data["fixes"][0]["edits"][0]["newText"])
                for d in await diagnostics_for(client, uri) if d.code == "unstable-form"]
    assert rewrites == [(_rng(0, 4, 0, 19), "softplus(z)"), (_rng(1, 4, 1, 19), "-softplus(-q)")]


async def test_insert_derivative_actions_in_a_chain_file(client):
    uri = open_doc(client, "insert.chain", NEURON, "chain")
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=_doc(uri), range=_rng(2, 2, 2, 2),
        context=types.CodeActionContext(diagnostics=[])))
    # one action per kind of insertion (at most three a line), each covering
    # every variable; no LaTeX unless the notation asks for it
    edits = [(a.title, list(a.edit.changes[uri])[0].new_text) for a in actions]
    assert [title for title, _ in edits] == [
        "Insert ∂a/∂b, ∂a/∂w, ∂a/∂x as a comment", "Insert ∂a/∂b, ∂a/∂w, ∂a/∂x as code"]
    assert "# ∂a/∂x = w·σ(w·x + b)·(1 − σ(w·x + b))\n" in edits[0][1]
    assert "da_dx = w*sigmoid(w*x + b)*(1 - sigmoid(w*x + b))\n" in edits[1][1]
