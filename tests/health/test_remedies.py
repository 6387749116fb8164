"""Remedies are text edits of the source: each one parses, and the ReLU and
residual edits really cure the vanishing gradient they are offered for."""

from pathlib import Path

import pytest
from chainlens.engine.core.source import Span
from chainlens.engine.health.analysis import Thresholds, analyze
from chainlens.engine.health.fixes import TextEdit, apply_edits
from chainlens.engine.language.reader import parse

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
STATIC = Thresholds(measure=False)
SIGMOID = (EXAMPLES / "deep_sigmoid.chain").read_text()


def remedies_of(source: str, thresholds=STATIC) -> dict:
    (finding,) = [f for f in analyze(source, thresholds=thresholds).findings
                  if f.kind == "vanishing"]
    return {r.kind: r for r in finding.remedies}


def edited(source: str, remedy) -> str:
    return apply_edits(source, remedy.edits)


def test_apply_edits_replaces_and_inserts_from_the_end():
    text = "a = sigmoid(z)\nL = a"
    edits = (TextEdit(Span.at(text, 4, 11), "relu"), TextEdit(Span.at(text, 15, 15), "# x\n"))
    assert apply_edits(text, edits) == "a = relu(z)\n# x\nL = a"


def test_deep_sigmoid_offers_relu_residual_and_init_scale():
    assert set(remedies_of(SIGMOID)) == {"relu", "residual", "init_scale"}


@pytest.mark.parametrize("kind", ["relu", "residual", "init_scale"])
def test_every_remedy_parses(kind):
    parse(edited(SIGMOID, remedies_of(SIGMOID)[kind]))


@pytest.mark.parametrize(("kind", "line"), [
    ("relu", "  a = relu(z_k)"),
    ("residual", "  a = a + sigmoid(z_k)"),
    ("init_scale", "  param w_k in [-4, 4]"),
])
def test_remedy_edits_read_like_a_person_wrote_them(kind, line):
    assert line in edited(SIGMOID, remedies_of(SIGMOID)[kind]).splitlines()


@pytest.mark.parametrize("kinds", [("relu",), ("residual",), ("relu", "residual")])
def test_relu_and_residual_cure_the_vanishing_gradient(kinds):
    fixes = remedies_of(SIGMOID)
    source = apply_edits(SIGMOID, tuple(e for k in kinds for e in fixes[k].edits))
    after = analyze(source, thresholds=STATIC)
    assert "vanishing" not in {f.kind for f in after.findings}


def test_residual_cure_is_measured_too():
    fixes = remedies_of(SIGMOID)
    after = analyze(edited(SIGMOID, fixes["residual"]))
    assert "vanishing" not in {f.kind for f in after.findings}
    assert after.repeats[0].ratio > 1e-3


@pytest.mark.parametrize(("spelled", "expected"), [
    ("sigmoid(z_k)", "relu(z_k)"),
    ("torch.sigmoid(z_k)", "relu(z_k)"),
    ("\\sigma(z_k)", "relu(z_k)"),
    ("\\tanh(z_k)", "relu(z_k)"),
])
def test_relu_edit_works_for_every_spelling(spelled, expected):
    source = SIGMOID.replace("sigmoid(z_k)", spelled)
    fixed = edited(source, remedies_of(source)["relu"] if "tanh" not in spelled else
                   _tanh_relu(source))
    assert f"a = {expected}" in fixed
    parse(fixed)


def _tanh_relu(source):
    # tanh' <= 1 does not vanish statically: the measured finding offers the fix
    (f,) = [f for f in analyze(source).findings if f.kind == "vanishing"]
    return {r.kind: r for r in f.remedies}["relu"]


def test_init_scale_declares_undeclared_weights_inside_the_repeat():
    source = "a = x\nrepeat k in 1..40 {\n    a = sigmoid(w_k * a)\n}\nL = a"
    fixed = edited(source, remedies_of(source)["init_scale"])
    assert "    param w_k in [-4, 4]\n    a = sigmoid(w_k * a)" in fixed
    assert parse(fixed).declaration("w_1").range == (-4, 4)


def test_residual_is_not_offered_without_an_earlier_value():
    # h is first defined inside the loop: `h = h + ...` would turn h into an input
    source = "repeat k in 1..40 {\n  h_k = sigmoid(w_k * x)\n  x = h_k\n}\nL = x"
    fixes = remedies_of(source)
    assert "residual" not in fixes or "h_k + " not in edited(source, fixes["residual"])


def test_normalisation_is_offered_for_tensor_layers():
    source = ("input x: [4] in [-1, 1]\na = x\nrepeat k in 1..20 {\n"
              "  param W_k: [4, 4] in [-0.5, 0.5]\n  a = sigmoid(W_k @ a)\n}\nL = sum(a^2)\n")
    fixes = remedies_of(source)
    assert "normalize" in fixes
    fixed = edited(source, fixes["normalize"])
    assert "mean(" in fixed and "sqrt(" in fixed
    parse(fixed)


def test_init_scale_cures_an_exploding_linear_chain():
    source = ("input x in [-1, 1]\na = x\nrepeat k in 1..50 {\n  param w_k in [-3, 3]\n"
              "  a = w_k * a\n}\nL = a\n")
    (f,) = analyze(source, thresholds=STATIC).findings
    assert f.kind == "exploding" and f.message.startswith("50 layers: |∂L/∂x| ≤ 3⁵⁰")
    (fix,) = f.remedies
    assert fix.kind == "init_scale" and "in [-1, 1]" in fix.title
    assert analyze(edited(source, fix), thresholds=STATIC).findings == ()
