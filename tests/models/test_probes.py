"""Constructs of small NLP model files (#12), found on files outside the
corpus: sizes under ``if __name__ == "__main__":``, layers without weights
built in forward, a frozen ``from_pretrained`` table, padding masks, an
attention module without weights, a numpy side output
(tests/models/fixtures/probes.py; imported to run with torch)."""

import importlib.util
import pathlib

import numpy as np
import pytest
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze

torch = pytest.importorskip("torch")

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "probes.py"
_spec = importlib.util.spec_from_file_location("chainlens_probe_fixtures", FIXTURE)
fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixtures)
DOC = read_document(FIXTURE.read_text(), path=str(FIXTURE))
UNITS = {u.label: u for u in DOC.programs}
SKIPS = {s.name: s.reason for s in DOC.skipped}


def test_sizes_set_under_main_and_a_pooling_layer_built_in_forward_are_read():
    assert "TextCNN" in UNITS, SKIPS.get("TextCNN.forward")
    flow = analyze(UNITS["TextCNN"].program).flow
    labels = [label for label, _, _ in UNITS["TextCNN"].layers]
    # the embedding (a vector per token), three convolutions, the classifier
    assert len([x for x in labels if x.startswith("filter_list")]) == 3, labels
    assert flow is not None and len(flow.layers) == 4  # the 3 convs and the classifier


def test_an_attention_module_without_weights_passes_the_gradient_to_its_value():
    """At one position softmax over one key is 1: the output is V, Q and K
    get nothing; torch agrees at sequence length 1."""
    flow = analyze(UNITS["ScaledDotProductAttention"].program).flow
    gains = {g.name: g.gain for g in flow.inputs}
    assert gains["V"] == pytest.approx(1.0) and gains.get("Q", 0.0) == 0.0
    assert flow.verdict == "healthy"  # judged by the input the gradient reaches
    q, k, v = (torch.randn(1, 1, 8, dtype=torch.float64, requires_grad=True) for _ in "qkv")
    out, _ = fixtures.ScaledDotProductAttention()(q, k, v, torch.zeros(1, 1, 1, dtype=bool))
    t = torch.randn(out.shape, dtype=torch.float64)
    (t * out).sum().backward()
    assert float(q.grad.abs().max()) == 0.0
    assert float(v.grad.norm() / t.norm()) == pytest.approx(1.0)


def test_a_frozen_pretrained_table_is_an_input_and_masks_are_data():
    assert "Encoder" in UNITS, SKIPS.get("Encoder.forward")
    unit = UNITS["Encoder"]
    assert any("from_pretrained (frozen)" in n for n in unit.notes)
    params = {d.name for d in unit.program.declarations if d.role == "param"}
    assert not any("pos_emb" in p for p in params)  # no weight for the frozen table
    flow = analyze(unit.program).flow
    assert [r.name for r in flow.layers] == ["W_fc"]
    model = fixtures.Encoder()
    model(torch.tensor([[1, 2, 3, 4, 0]])).sum().backward()
    assert model.pos_emb.weight.grad is None  # torch: frozen, as read


def test_a_numpy_side_output_is_no_gradient_path_and_the_first_output_is_read():
    assert "WithAttentionMap" in UNITS, SKIPS.get("WithAttentionMap.forward")
    flow = analyze(UNITS["WithAttentionMap"].program).flow
    rows = []
    for seed in range(16):
        torch.manual_seed(seed)
        model = fixtures.WithAttentionMap().double()
        out, _ = model(torch.randn(1, 8, dtype=torch.float64))
        (torch.randn(out.shape, dtype=torch.float64) * out).sum().backward()
        rows.append([float(model.fc.weight.grad.norm()), float(model.out.weight.grad.norm())])
    med = np.median(np.array(rows), axis=0)
    expected = med[0] / med[1]
    assert [r.name for r in flow.layers] == ["W_fc", "W_out"]
    assert expected / 2 <= flow.layers[0].ratio <= expected * 2, (flow, expected)


def test_keyword_calls_of_layers_and_functions_match_torch():
    """self.fc(input=x), F.gelu(approximate="tanh"), F.dropout(training=...),
    F.leaky_relu(negative_slope=...), torch.clamp(min=, max=), F.normalize(dim=-1)
    (x / ‖x‖, not the identity)."""
    assert "Keywords" in UNITS, SKIPS.get("Keywords.forward")
    flow = analyze(UNITS["Keywords"].program).flow
    rows = []
    for seed in range(16):
        torch.manual_seed(seed)
        model = fixtures.Keywords().double().eval()
        out = model(torch.randn(1, 16, dtype=torch.float64))
        (torch.randn(out.shape, dtype=torch.float64) * out).sum().backward()
        rows.append([float(model.fc.weight.grad.norm()), float(model.out.weight.grad.norm())])
    med = np.median(np.array(rows), axis=0)
    expected = med[0] / med[1]
    assert [r.name for r in flow.layers] == ["W_fc", "W_out"]
    assert expected / 1.5 <= flow.layers[0].ratio <= expected * 1.5, (flow, expected)


def test_glu_of_a_layer_gates_one_half_of_its_rows_by_the_other_as_torch():
    assert "GLUBlock" in UNITS, SKIPS.get("GLUBlock.forward")
    flow = analyze(UNITS["GLUBlock"].program).flow
    rows = []
    for seed in range(16):
        torch.manual_seed(seed)
        model = fixtures.GLUBlock().double()
        out = model(torch.randn(1, 16, dtype=torch.float64))
        (torch.randn(out.shape, dtype=torch.float64) * out).sum().backward()
        rows.append([float(model.fc.weight.grad.norm()), float(model.out.weight.grad.norm())])
    med = np.median(np.array(rows), axis=0)
    expected = med[0] / med[1]
    assert len(flow.layers) == 2
    assert expected / 1.5 <= flow.layers[0].ratio <= expected * 1.5, (flow, expected)
