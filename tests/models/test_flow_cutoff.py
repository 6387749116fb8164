"""A model whose first layers no gradient reaches (red team R8).  When a
zero-initialised layer after them cuts them off, PyTorch measures their
|dL/dW| at exactly 0 at this init, so the first/last ratio over the layers
the gradient does reach is not the model's: the table is shown, the cut-off
layers listed, and no vanishing/healthy verdict given.  Layers the file
freezes on purpose (``.detach()``, ``torch.no_grad()``) are not trained:
the verdict over the trained layers stands, the frozen ones are listed."""

import textwrap
from types import SimpleNamespace

import pytest
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze
from chainlens.server.lsp.model_view import flow_markdown

torch = pytest.importorskip("torch")
nn = torch.nn
F = torch.nn.functional

SOURCE = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    class Gated(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = nn.Linear(12, 12)
            self.gate = nn.Linear(12, 12)
            self.out = nn.Linear(12, 12)
            nn.init.zeros_(self.gate.weight)

        def forward(self, x):
            return self.out(F.relu(self.gate(F.relu(self.enc(x)))))

    class Frozen(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = nn.Linear(12, 12)
            self.mid = nn.Linear(12, 12)
            self.dec = nn.Linear(12, 12)

        def forward(self, x):
            h = F.relu(self.enc(x)).detach()
            return self.dec(F.relu(self.mid(h)))

    class Pool(nn.Module):
        def __init__(self):
            super().__init__()
            self.proj = nn.Linear(12, 12)
            self.score = nn.Linear(12, 1)

        def forward(self, x):
            a = torch.softmax(self.score(torch.tanh(self.proj(x))).squeeze(2), dim=1)
            return (x * a.unsqueeze(2)).sum(dim=1)
    """)


class Gated(nn.Module):  # the same model, for the oracle
    def __init__(self):
        super().__init__()
        self.enc, self.gate, self.out = (nn.Linear(12, 12) for _ in range(3))
        nn.init.zeros_(self.gate.weight)

    def forward(self, x):
        return self.out(F.relu(self.gate(F.relu(self.enc(x)))))


def _reports():
    doc = read_document(SOURCE, path="gated.py")
    return {u.label: analyze(u.program) for u in doc.programs}


def test_torch_measures_the_layer_before_a_zero_layer_at_zero():
    torch.manual_seed(0)
    m = Gated()
    y = m(torch.randn(4, 12))
    (y * torch.randn_like(y)).sum().backward()
    assert torch.count_nonzero(m.enc.weight.grad) == 0
    assert m.gate.weight.grad.norm() > 0 and m.out.weight.grad.norm() > 0


def test_a_cut_off_first_layer_is_listed_and_the_flow_not_judged():
    report = _reports()["Gated"]
    flow = report.flow
    assert flow.unreached == ("W_enc",)
    assert [row.name for row in flow.layers] == ["W_gate", "W_out"]
    assert flow.verdict == "not judged"
    assert "W_enc (line 9)" in flow.why
    hints = [f for f in report.findings if f.kind == "not-measured"]
    assert hints and "no gradient reaches W_enc (line 9)" in hints[0].message
    assert not [f for f in report.findings if f.kind in ("vanishing", "exploding")]


def test_a_layer_frozen_by_detach_is_listed_and_the_trained_layers_judged():
    flow = _reports()["Frozen"].flow
    assert flow.unreached == ("W_enc",) and flow.why == ""
    assert [row.name for row in flow.layers] == ["W_mid", "W_dec"]
    assert flow.verdict == "healthy"


def test_the_hover_says_why_the_cut_off_flow_is_not_judged():
    doc = read_document(SOURCE, path="gated.py")
    unit = next(u for u in doc.programs if u.label == "Gated")
    hover = "\n".join(flow_markdown(SimpleNamespace(
        program=unit.program, source=unit, health=analyze(unit.program))))
    assert "**Gradient flow: not judged**" in hover
    assert "no gradient reaches W_enc (line 9)" in hover


class Pool(nn.Module):  # attention pooling over positions, for the oracle
    def __init__(self):
        super().__init__()
        self.proj, self.score = nn.Linear(12, 12), nn.Linear(12, 1)

    def forward(self, x):
        a = torch.softmax(self.score(torch.tanh(self.proj(x))).squeeze(2), dim=1)
        return (x * a.unsqueeze(2)).sum(dim=1)


def test_a_reading_that_cuts_every_layer_off_is_not_judged_never_none():
    # torch at 5 positions: both layers get a gradient; chainlens reads the
    # softmax at one position (1), so none does: no "the loss does not reach
    # the weights", the hover says why nothing is measured
    torch.manual_seed(0)
    m = Pool()
    y = m(torch.randn(3, 5, 12))
    (y * torch.randn_like(y)).sum().backward()
    assert m.proj.weight.grad.norm() > 0 and m.score.weight.grad.norm() > 0
    doc = read_document(SOURCE, path="gated.py")
    unit = next(u for u in doc.programs if u.label == "Pool")
    report = analyze(unit.program)
    assert report.flow.layers == () and report.flow.verdict == "not judged"
    assert set(report.flow.unreached) == {"W_proj", "W_score"}
    hover = "\n".join(flow_markdown(SimpleNamespace(program=unit.program, source=unit,
                                                     health=report)))
    assert "2 layer(s) with weights" in hover and "| layer |" not in hover
    assert "no gradient reaches any layer as read" in hover
    assert "Gradient flow: none" not in hover and "nan" not in hover
