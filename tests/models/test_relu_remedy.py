""""Use ReLU instead of sigmoid/tanh" (red team F19, F29): the text edit
changes exactly what the measured twin changed (each statement's root
call), never the model's output activation, never a gate (a sigmoid whose
result multiplies another tensor), never an activation inside another call."""

from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze
from chainlens.engine.health.fixes import apply_edits
from chainlens.engine.health.model_fixes import _relus

NARROWING = '''
import torch
from torch import nn


class Narrowing(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 48)
        self.fc2 = nn.Linear(48, 32)
        self.fc3 = nn.Linear(32, 24)
        self.fc4 = nn.Linear(24, 16)
        self.fc5 = nn.Linear(16, 12)
        self.fc6 = nn.Linear(12, 8)
        self.fc7 = nn.Linear(8, 4)
        self.fc8 = nn.Linear(4, 1)

    def forward(self, x):
        x = torch.sigmoid(self.fc1(x))
        x = torch.sigmoid(self.fc2(x))
        x = torch.sigmoid(self.fc3(x))
        x = torch.sigmoid(self.fc4(x))
        x = torch.sigmoid(self.fc5(x))
        x = torch.sigmoid(self.fc6(x))
        x = torch.sigmoid(self.fc7(x))
        return torch.sigmoid(self.fc8(x))


stack = nn.Sequential(
    nn.Linear(16, 32), nn.Sigmoid(),
    nn.Linear(32, 32), nn.Sigmoid(),
    nn.Linear(32, 32), nn.Sigmoid(),
    nn.Linear(32, 32), nn.Sigmoid(),
    nn.Linear(32, 32), nn.Sigmoid(),
    nn.Linear(32, 32), nn.Sigmoid(),
    nn.Linear(32, 8), nn.Sigmoid(),
)
'''

GATED = '''
import torch
from torch import nn


class Gated(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(16, 16)
        self.gate = nn.Linear(16, 16)
        self.fc2 = nn.Linear(16, 16)
        self.fc3 = nn.Linear(16, 16)
        self.fc4 = nn.Linear(16, 16)
        self.fc5 = nn.Linear(16, 16)
        self.fc6 = nn.Linear(16, 1)

    def forward(self, x):
        x = torch.sigmoid(self.fc1(x))
        x = torch.sigmoid(self.fc2(torch.sigmoid(self.gate(x)) * x))
        x = torch.sigmoid(self.fc3(x))
        x = torch.sigmoid(self.fc4(x))
        x = torch.sigmoid(self.fc5(x))
        return self.fc6(x)
'''

GRU = '''
import torch
from torch import nn


class ManualGRU(nn.Module):
    def __init__(self, d=16):
        super().__init__()
        self.Wz = nn.Linear(2 * d, d)
        self.Wr = nn.Linear(2 * d, d)
        self.Wh = nn.Linear(2 * d, d)

    def forward(self, x):
        h = torch.zeros_like(x)
        for _ in range(20):
            hx = torch.cat([h, x], dim=-1)
            z = torch.sigmoid(self.Wz(hx))
            r = torch.sigmoid(self.Wr(hx))
            hh = torch.tanh(self.Wh(torch.cat([r * h, x], dim=-1)))
            h = (1 - z) * h + z * hh
        return h
'''


def _relu_edits(src: str) -> dict[str, str]:
    """Each unit's ReLU remedy applied to the text (units that are offered one)."""
    out = {}
    for unit in read_document(src, path="m.py").programs:
        for finding in analyze(unit.program).findings:
            for remedy in finding.remedies:
                if remedy.kind == "relu":
                    out[unit.label] = apply_edits(src, remedy.edits)
    return out


def _changed(before: str, after: str) -> list[tuple[str, str]]:
    return [(a.strip(), b.strip()) for a, b in zip(before.splitlines(), after.splitlines(),
                                                    strict=True) if a != b]


def test_the_output_activation_is_kept():
    edited = _relu_edits(NARROWING)
    changed = _changed(NARROWING, edited["Narrowing"])
    assert [b for _, b in changed] == [f"x = torch.relu(self.fc{i}(x))" for i in range(1, 8)]
    assert "return torch.sigmoid(self.fc8(x))" in edited["Narrowing"]
    stack = _changed(NARROWING, edited["stack"])
    assert len(stack) == 6 and all(b.endswith("nn.ReLU(),") for _, b in stack)
    assert "nn.Linear(32, 8), nn.Sigmoid()," in edited["stack"]


def test_a_gate_and_what_it_gates_are_kept():
    edited = _relu_edits(GATED)["Gated"]
    assert "torch.relu(self.fc2(torch.sigmoid(self.gate(x)) * x))" in edited
    assert "x = torch.sigmoid(self.fc1(x))" in edited  # x multiplies the gate


def test_a_gru_is_offered_no_relu():
    assert "ManualGRU" not in _relu_edits(GRU)


def test_the_edited_file_is_the_measured_twin():
    for src in (NARROWING, GATED):
        for unit in read_document(src, path="m.py").programs:
            found = _relus(unit.program)
            if not found:
                continue
            remedy, twin = found[0]
            again = {u.label: u for u in read_document(apply_edits(src, remedy.edits),
                                                       path="m.py").programs}[unit.label]
            assert [str(a.expr) for a in again.program.assignments] == [
                str(a.expr) for a in twin.assignments], unit.label
