"""BCELoss takes probabilities (PyTorch refuses values outside [0, 1]): a
loss module passing forward's arguments straight to it is measured at
p, t in U(0, 1), never at unit variance, where log(p) is NaN at nearly
every draw and the loss was called "becomes NaN" (an error the file never
meets).  The gain over p is checked against torch at the same law."""

import textwrap

import numpy as np
import pytest
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze

torch = pytest.importorskip("torch")

SOURCE = textwrap.dedent("""
    import torch.nn as nn
    import torch.nn.functional as F


    class Bce(nn.Module):
        def __init__(self):
            super().__init__()
            self.loss = nn.BCELoss(reduction="sum")

        def forward(self, pred, target):
            return self.loss(pred, target)


    class BceFn(nn.Module):
        def forward(self, pred, target):
            return F.binary_cross_entropy(pred, target, reduction="sum")
    """)


@pytest.mark.parametrize("label", ["Bce", "BceFn"])
def test_a_bce_loss_of_forward_arguments_is_measured_at_probabilities(label):
    unit = next(u for u in read_document(SOURCE, path="bce.py").programs if u.label == label)
    assert any("U(0, 1)" in n for n in unit.notes)
    report = analyze(unit.program)
    assert not [f for f in report.findings if f.kind == "nonfinite"]
    gain = next(g for g in report.flow.inputs if g.name == "pred")
    # torch: ‖∂L/∂p‖ of Σ BCE at p, t ~ U(0, 1) over 16 features, median of draws
    torch.manual_seed(0)
    norms = []
    for _ in range(256):
        p = torch.rand(16, dtype=torch.float64, requires_grad=True)
        t = torch.rand(16, dtype=torch.float64)
        torch.nn.functional.binary_cross_entropy(p, t, reduction="sum").backward()
        norms.append(float(p.grad.norm()))
    theirs = float(np.median(norms))
    assert theirs / 3 <= gain.gain <= theirs * 3, (gain.gain, theirs)
