"""Concatenated branches (#12): a residual over two concatenations cut
alike is added part by part (SqueezeNet's f3 = fire3(f2) + f2), a batch
norm over a concatenation normalises each part (per channel), ``.size()``
of a concatenation is its total width; a reading too large for the health
analysis is a skip with the reason (tests/models/fixtures/branches.py)."""

import importlib.util
import pathlib

import numpy as np
import pytest
from chainlens.engine.core.walk import postorder
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "branches.py"
_spec = importlib.util.spec_from_file_location("chainlens_branch_fixtures", FIXTURE)
fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixtures)
DOC = read_document(FIXTURE.read_text(), path=str(FIXTURE))
UNITS = {u.label: u for u in DOC.programs}
SKIPS = {s.name: s.reason for s in DOC.skipped}


def test_a_residual_over_two_concatenations_matches_torch():
    assert "FireStack" in UNITS, SKIPS.get("FireStack.forward")
    flow = analyze(UNITS["FireStack"].program).flow
    rows = []
    for seed in range(16):
        torch.manual_seed(seed)
        model = fixtures.FireStack().double()
        out = model(torch.randn(1, 8, dtype=torch.float64))
        (torch.randn(out.shape, dtype=torch.float64) * out).sum().backward()
        rows.append([float(m.weight.grad.norm()) for m in model.modules()
                     if isinstance(m, nn.Linear)])
    med = np.median(np.array(rows), axis=0)
    theirs = list(med / med[-1])
    ours = [r.ratio for r in flow.layers]
    assert len(ours) == len(theirs) == 8
    for a, b in zip(ours, theirs, strict=True):
        assert b / 2 <= a <= b * 2, (ours, theirs)


def test_a_batch_norm_over_a_concatenation_normalises_each_part():
    assert "DenseBlock" in UNITS, SKIPS.get("DenseBlock.forward")
    program = UNITS["DenseBlock"].program
    # the second layer's norm sees [x, branch]: two normalisations, one per part,
    # besides the first layer's one
    means = {n for a in program.assignments for n in postorder(a.expr) if n.op == "mean"}
    # mean u and mean (u - mean u)² of each part normalised: the input x (its second
    # normalisation is the same node as the first) and the first layer's branch z
    operands = {n.args[0] for n in means if n.args[0].op == "sym"}
    assert len(means) >= 4 and len(operands) >= 2, means
    flow = analyze(program).flow
    assert [r.name for r in flow.layers][-1] == "W_linear_0"  # its block over the first part


def test_a_reading_past_the_health_limit_is_a_skip_with_the_reason():
    blocks = "\n".join(f"        self.l{i} = DenseLayer(8 + 4 * {i}, 4)" for i in range(80))
    calls = "\n".join(f"        x = self.l{i}(x)" for i in range(80))
    src = (FIXTURE.read_text() + "\n\nclass Huge(nn.Module):\n    def __init__(self):\n"
           "        super().__init__()\n" + blocks + "\n\n    def forward(self, x):\n"
           + calls + "\n        return x\n")
    doc = read_document(src, path="huge.py")
    reasons = {s.name: s.reason for s in doc.skipped}
    assert "MAX_HEALTH_NODES" in reasons["Huge.forward"]
