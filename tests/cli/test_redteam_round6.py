"""Red team, round 6: `chainlens health -v` says which layers no gradient
reaches (as the hover does), so a model whose first layer PyTorch measures at
exactly 0 is never printed as "first/last = 1, healthy" without a word."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[2]
CHAINLENS = ROOT / ".venv" / "bin" / "chainlens"

MODELS = '''
import torch
from torch import nn
import torch.nn.functional as F


class CutOff(nn.Module):
    def __init__(self):
        super().__init__()
        self.first = nn.Linear(12, 12)
        self.second = nn.Linear(12, 12)
        self.third = nn.Linear(12, 12)

    def forward(self, x):
        h = torch.tanh(self.first(x)).detach()
        h = torch.tanh(self.second(h))
        return self.third(h)


class ZeroOut(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(10, 10)
        self.b = nn.Linear(10, 10)
        self.out = nn.Linear(10, 3)
        nn.init.zeros_(self.out.weight)

    def forward(self, x):
        return self.out(F.relu(self.b(F.relu(self.a(x)))))
'''


def _torch_grads(path: Path, name: str) -> list[float]:
    spec = importlib.util.spec_from_file_location("redteam_models", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    torch.manual_seed(0)
    model = getattr(module, name)().double()
    out = model(torch.randn(1, 12 if name == "CutOff" else 10, dtype=torch.float64))
    (torch.randn(out.shape, dtype=torch.float64) * out).sum().backward()
    linears = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    # a detached layer has no .grad at all: no gradient reaches it
    return [0.0 if m.weight.grad is None else float(m.weight.grad.norm()) for m in linears]


def test_layers_without_gradient_are_named_and_a_lone_layer_has_no_ratio(tmp_path):
    path = tmp_path / "models.py"
    path.write_text(MODELS)
    # the oracle: PyTorch's first-layer gradient is exactly 0 in both
    assert _torch_grads(path, "CutOff")[0] == 0.0
    assert _torch_grads(path, "ZeroOut")[:2] == [0.0, 0.0]
    proc = subprocess.run([str(CHAINLENS), "health", str(path), "-v"], capture_output=True,
                          text=True, timeout=240)
    out = proc.stdout
    cut = out[out.index("CutOff:"):out.index("ZeroOut:")]
    assert "no gradient reaches (as read, not judged): first (line 10)" in cut, out
    zero = out[out.index("ZeroOut:"):]
    assert "one layer measured, no first/last ratio to judge" in zero, out
    assert "no gradient reaches (as read, not judged): a (line 23), b (line 24)" in zero, out
    assert "first/last = 1," not in zero, out
