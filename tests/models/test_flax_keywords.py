"""Flax keywords given with ``**`` and sharding annotations (#12): ``inits =
dict(kernel_init=nn.initializers.xavier_uniform(), bias_init=
nn.initializers.normal(stddev=1e-6))`` built in a compact ``__call__`` and
given as ``nn.Dense(32, **inits)`` is the file's own initialisation (never
silently Flax's default); ``nn.with_logical_constraint(x, axes)`` places x
and changes nothing.  Checked against PyTorch running the same network at
the same laws (JAX is not installed): Xavier-uniform kernels over their
(in, out) fans, N(0, 1e-12) biases.  A PyTorch layer given a helper's
``**kwargs`` the reader cannot see is read without them, as before, and the
hover says so; ``dict(**base, ...)`` of written dicts is their entries."""


import pytest
import torch_flow  # loaded by conftest.py (tests are not a package)
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze

torch = pytest.importorskip("torch")
nn = torch.nn


WIDTH = 16  # the width chainlens assumes for an input no layer fixes

SOURCE = '''
import jax.numpy as jnp
from flax import linen as nn


class Mlp(nn.Module):
    @nn.compact
    def __call__(self, x):
        inits = dict(
            kernel_init=nn.initializers.xavier_uniform(),
            bias_init=nn.initializers.normal(stddev=1e-6),
        )
        for _ in range(3):
            x = nn.Dense(32, **inits)(x)
            x = nn.with_logical_constraint(x, ("batch", "embed"))
            x = nn.tanh(x)
        return nn.Dense(4, **inits)(x)


class Opaque(nn.Module):
    @nn.compact
    def __call__(self, x, **options):
        return nn.Dense(4, **options)(x)
'''


class _Torch(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(WIDTH, 32), nn.Linear(32, 32),
                                     nn.Linear(32, 32), nn.Linear(32, 4)])
        for layer in self.layers:
            nn.init.xavier_uniform_(layer.weight)
            nn.init.normal_(layer.bias, std=1e-6)

    def forward(self, x):
        for layer in self.layers[:-1]:
            x = torch.tanh(layer(x))
        return self.layers[-1](x)


def _read():
    doc = read_document(SOURCE, path="flax_keywords.py")
    return {u.label: u for u in doc.programs}, {s.name: s.reason for s in doc.skipped}


def test_keywords_given_with_a_dict_are_the_layers_initializers():
    units, _ = _read()
    unit = units["Mlp"]
    laws = [d.init for d in unit.program.declarations if d.role == "param"]
    assert all(init.startswith("law:") for init in laws), laws  # never Flax's default
    flow = analyze(unit.program).flow
    weights = [lambda m, i=i: m.layers[i].weight.grad for i in range(4)]
    theirs = torch_flow.torch_ratios(_Torch, lambda: torch.randn(1, WIDTH), weights, seeds=24)
    torch_flow.assert_ratios_agree([f.ratio for f in flow.layers], theirs, 3.0)
    assert flow.verdict == torch_flow.verdict(theirs[0])
    assert "xavier_uniform" in " ".join(unit.notes)


def test_keywords_of_something_chainlens_cannot_see_are_a_skip_with_the_reason():
    units, skips = _read()
    assert "Opaque" not in units
    assert "`**options` gives keywords chainlens cannot see" in skips["Opaque.__call__"]


TORCH_SOURCE = '''
import torch
from torch import nn


class ConvBN(nn.Module):
    def __init__(self, i, o, **kwargs):
        super().__init__()
        self.conv = nn.Conv2d(i, o, bias=False, **kwargs)
        self.fc = nn.Linear(o, 4)

    def forward(self, x):
        return self.fc(torch.relu(self.conv(x)))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        base = dict(in_features=8)
        self.a = nn.Linear(**dict(**base, out_features=16))
        self.b = nn.Linear(16, 4)

    def forward(self, x):
        return self.b(torch.relu(self.a(x)))
'''


def test_torch_layers_given_keywords_with_double_star():
    doc = read_document(TORCH_SOURCE, path="torch_keywords.py")
    units = {u.label: u for u in doc.programs}
    assert "`**kwargs` of conv: read without those keywords" in units["ConvBN"].notes
    # the unseen keywords may set the conv's kernel size: the flow is shown, never judged
    assert any("**kwargs" in why for why in units["ConvBN"].program.unmodelled)
    assert analyze(units["ConvBN"].program).flow.verdict == "not judged"
    shapes = {d.name: d.shape for d in units["Net"].program.declarations}
    assert shapes["W_a"] == (16, 8)
