"""A hand-written LayerNorm (``x.std(-1, keepdim=True)``, the annotated
transformer's) and ``torch.var``/``np.std`` spellings, read as PyTorch and
NumPy compute them (correction 1 / ddof 0); Flax NNX modules (``nnx.Linear``,
``nnx.Conv``, ``nnx.BatchNorm``, ``partial(nnx.avg_pool, ...)``) read at
their LeCun-normal default."""

import math

import numpy as np
import pytest
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health import measure
from chainlens.engine.health.analysis import analyze

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402

LN = '''
import torch
from torch import nn


class LayerNorm(nn.Module):
    def __init__(self, features, eps=1e-6):
        super().__init__()
        self.a_2 = nn.Parameter(torch.ones(features))
        self.b_2 = nn.Parameter(torch.zeros(features))
        self.eps = eps

    def forward(self, x):
        mean = x.mean(-1, keepdim=True)
        std = x.std(-1, keepdim=True)
        return self.a_2 * (x - mean) / (std + self.eps) + self.b_2


class Net(nn.Module):
    def __init__(self, d=16):
        super().__init__()
        self.fc = nn.Linear(d, d)
        self.norm = LayerNorm(d)
        self.out = nn.Linear(d, 4)

    def forward(self, x):
        return self.out(self.norm(torch.sigmoid(self.fc(x))))


class Spreads(nn.Module):
    def forward(self, x):
        return torch.var(x, dim=-1) + x.var(-1, unbiased=False) + x.std(correction=0)
'''


class _LayerNorm(nn.Module):
    def __init__(self, features, eps=1e-6):
        super().__init__()
        self.a_2 = nn.Parameter(torch.ones(features))
        self.b_2 = nn.Parameter(torch.zeros(features))
        self.eps = eps

    def forward(self, x):
        mean = x.mean(-1, keepdim=True)
        std = x.std(-1, keepdim=True)
        return self.a_2 * (x - mean) / (std + self.eps) + self.b_2


class _Net(nn.Module):
    def __init__(self, d=16):
        super().__init__()
        self.fc = nn.Linear(d, d)
        self.norm = _LayerNorm(d)
        self.out = nn.Linear(d, 4)

    def forward(self, x):
        return self.out(self.norm(torch.sigmoid(self.fc(x))))


def _units(src):
    doc = read_document(src, path="m.py")
    return {u.label: u for u in doc.programs}, {s.name: s.reason for s in doc.skipped}


def test_a_hand_written_layer_norm_with_std_matches_torch():
    units, skips = _units(LN)
    assert "Net" in units, skips
    flow = analyze(units["Net"].program).flow
    rows = []
    for seed in range(16):
        torch.manual_seed(seed)
        model = _Net().double()
        out = model(torch.randn(1, 16, dtype=torch.float64))
        (torch.randn(out.shape, dtype=torch.float64) * out).sum().backward()
        rows.append([float(model.fc.weight.grad.norm()), float(model.out.weight.grad.norm())])
    med = np.median(np.array(rows), axis=0)
    expected = med[0] / med[1]
    assert [r.name for r in flow.layers] == ["W_fc", "W_out"]
    assert expected / 1.5 <= flow.layers[0].ratio <= expected * 1.5, (flow, expected)


def test_std_and_var_use_the_framework_correction():
    """torch.var(x, dim=-1) divides by n - 1; unbiased=False and correction=0
    by n: the value of the reading at a point is torch's."""
    units, _ = _units(LN)
    program = units["Spreads"].program
    x = np.linspace(-1.0, 1.5, 16)
    (name,) = program.inputs
    run = measure.run(program, program.outputs[0], {name: x[None, :]})
    t = torch.tensor(x)
    expected = float(torch.var(t, dim=-1) + t.var(-1, unbiased=False) + t.std(correction=0))
    got = float(np.ravel(run.values[program.outputs[0]])[0])
    assert got == pytest.approx(expected, rel=1e-9)


def test_std_over_the_batch_axis_is_a_skip_with_the_reason():
    src = ("import torch\nfrom torch import nn\n\nclass BatchStd(nn.Module):\n"
           "    def __init__(self):\n        super().__init__()\n"
           "        self.fc = nn.Linear(4, 4)\n\n    def forward(self, x):\n"
           "        h = self.fc(x)\n        return h / h.std(0)\n")
    units, skips = _units(src)
    assert "BatchStd" not in units
    assert "batch axis" in skips["BatchStd.forward"]


NNX = '''
import jax.numpy as jnp
from flax import nnx
from functools import partial


class Model(nnx.Module):
    def __init__(self, rngs: nnx.Rngs):
        self.conv1 = nnx.Conv(in_features=1, out_features=16, kernel_size=(3, 3), rngs=rngs)
        self.bn1 = nnx.BatchNorm(num_features=16, rngs=rngs)
        self.pool = partial(nnx.avg_pool, window_shape=(2, 2), strides=(2, 2))
        self.dense1 = nnx.Linear(in_features=784, out_features=256, rngs=rngs)
        self.dense2 = nnx.Linear(256, 10, rngs=rngs)

    def __call__(self, x):
        x = self.pool(nnx.relu(self.bn1(self.conv1(x))))
        x = x.reshape(x.shape[0], -1)
        return self.dense2(nnx.relu(self.dense1(x)))


model = Model(nnx.Rngs(0))
'''


def test_flax_nnx_layers_are_read_at_their_lecun_normal_default():
    units, skips = _units(NNX)
    assert "Model" in units, skips
    program = units["Model"].program
    weights = {d.name: d for d in program.declarations if d.role == "param" and d.init}
    assert {d.init for d in weights.values()} >= {"flax-weight", "flax-bias"}
    dense2 = weights["W_dense2"]
    bound = math.sqrt(3.0 / 64)  # LeCun-normal 1/fan_in as U(±√(3/fan_in)), measured at 64
    assert float(dense2.range[1]) == pytest.approx(bound, rel=1e-6)
    conv = weights["W_conv1"]
    assert float(conv.range[1]) == pytest.approx(math.sqrt(3.0 / 9), rel=1e-6)  # 1 x 3 x 3
    flow = analyze(program).flow
    assert [r.name for r in flow.layers] == ["W_conv1", "W_dense1", "W_dense2"]
