"""The model reader on the code ML engineers write (#12): what it reads,
what it builds, and that whatever it skips says why, on the def line."""

import math

import pytest
from chainlens.engine.core.walk import postorder
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze
from chainlens.engine.health.init import init_range


def _units(src: str):
    doc = read_document(src, path="m.py")
    return {u.label: u for u in doc.programs}, doc


LSTM = '''
import torch
from torch import nn


class LSTMCell(nn.Module):
    def __init__(self, input_size=10, hidden_size=20):
        super().__init__()
        self.x2h = nn.Linear(input_size, 4 * hidden_size)
        self.h2h = nn.Linear(hidden_size, 4 * hidden_size)

    def forward(self, x, hidden):
        h, c = hidden
        gates = self.x2h(x) + self.h2h(h)
        i, f, g, o = gates.chunk(4, 1)
        c_next = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        return torch.sigmoid(o) * torch.tanh(c_next), c_next
'''


def test_a_hand_written_lstm_cell_cuts_its_weights_into_gates():
    units, doc = _units(LSTM)
    cell = units["LSTMCell"]
    assert cell.kind == "module" and cell.params == ("x", "h", "c")
    shapes = {d.name: d.shape for d in cell.program.declarations}
    assert shapes["W_x2h_0"] == (20, 10) and shapes["W_h2h_3"] == (20, 20)
    lo, hi = init_range("torch-weight", 10)  # the gate keeps the layer's fan-in
    decl = cell.program.declaration("W_x2h_2")
    assert math.isclose(float(decl.range[1]), hi, rel_tol=1e-6) and decl.init == "torch-weight"
    flow = analyze(cell.program).flow
    assert [f.name for f in flow.layers] == ["W_x2h_0", "W_h2h_0"]


FLAGS = '''
import torch.nn as nn
import torch.nn.functional as F


def act(x):
    return F.gelu(x)


class Net(nn.Module):
    def __init__(self, d=8, use_norm=False, hidden=None):
        super().__init__()
        hidden = hidden or 4 * d
        self.up = nn.Linear(d, 32)
        self.down = nn.Linear(32, d)
        self.norm = nn.LayerNorm(d) if use_norm else nn.Identity()

    def forward(self, x, mask=None):
        if mask is not None:
            x = x * mask
        y = self.down(act(self.up(self.norm(x))))
        return x + y
'''


def test_flags_defaults_helpers_and_residuals():
    units, _ = _units(FLAGS)
    net = units["Net"]
    assert [label for label, _, _ in net.layers] == ["up", "down"]
    assert net.params == ("x",)  # mask=None keeps its default
    report = analyze(net.program)
    assert report.flow.verdict == "healthy"
    ops = {n.op for a in net.program.assignments for n in postorder(a.expr)}
    assert "gelu" in ops  # the helper `act` was inlined
    assert not any("norm" in label for label, _, _ in net.layers)  # use_norm=False: Identity


FLAX = '''
import flax.linen as nn


class MLP(nn.Module):
    features: int = 32

    @nn.compact
    def __call__(self, x):
        for _ in range(3):
            x = nn.Dense(self.features)(x)
            x = nn.relu(x)
        return nn.Dense(1)(x)
'''


def test_a_flax_module_reads_its_inline_layers_at_lecun_init():
    units, _ = _units(FLAX)
    mlp = units["MLP"]
    assert len(mlp.layers) == 4
    assert {d.init for d in mlp.program.declarations if d.role == "param"} == {
        "flax-weight", "flax-bias"}
    assert analyze(mlp.program).flow.verdict == "healthy"


SKIPS = '''
import torch
from torch import nn


class Gated(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.rnn = nn.MultiheadAttention(4, 2)

    def forward(self, x):
        if x.sum() > 0:
            return self.fc(x)
        return x


class Attn(nn.Module):
    def __init__(self):
        super().__init__()
        self.att = nn.Transformer(4, 2, custom_encoder=nn.Identity())

    def forward(self, x):
        return self.att(x, x)


class NoForward(nn.Module):
    pass
'''


@pytest.mark.parametrize(("name", "words"), [
    ("Gated.forward", "`if x.sum() > 0` depends on data (line 13)"),
    ("Attn.forward", "nn.Transformer(...) is not a layer chainlens models"),
    ("NoForward", "has no forward or __call__"),
])
def test_every_skip_says_why_and_points_at_its_def(name, words):
    _, doc = _units(SKIPS)
    skips = {s.name: s for s in doc.skipped}
    assert words in skips[name].reason
    line = SKIPS.splitlines()[skips[name].span.line - 1]
    assert line.lstrip().startswith(("def ", "class "))


def test_the_reader_never_runs_the_file(tmp_path):
    sentinel = tmp_path / "ran"
    src = f'''
import torch
from torch import nn
open({str(sentinel)!r}, "w").write("module level")


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        open({str(sentinel)!r}, "w").write("init")
        self.fc = nn.Linear(3, 3)

    def forward(self, x):
        print(open({str(sentinel)!r}, "w"))
        return self.fc(x)
'''
    _, doc = _units(src)
    assert not sentinel.exists()


CONFIG = '''
from dataclasses import dataclass
from torch import nn


@dataclass
class Config:
    width: int = 48
    depth: int = 3


class Tower(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(config.width, config.width)
                                     for _ in range(config.depth)])

    def forward(self, x):
        for layer in self.layers:
            x = nn.functional.relu(layer(x))
        return x


class Unknown(nn.Module):
    def __init__(self, n_layers):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(8, 8) for _ in range(n_layers)])

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x
'''


def test_a_config_argument_is_the_files_own_defaults_and_an_unknown_count_says_so():
    units, doc = _units(CONFIG)
    tower = units["Tower"]
    assert len(tower.layers) == 3
    assert tower.program.declaration("W_layers_0").shape == (48, 48)
    assert any("defaults of Config" in n for n in tower.notes)
    # never read as an empty loop: as UNROLLED_STEPS layers, and the hover says so
    unknown = units["Unknown"]
    assert len(unknown.layers) == 4
    assert any("a count the file does not fix, read as 4" in n and "deeper" in n
               for n in unknown.notes)
