"""Flax modes and masks (#12): a required ``train: bool`` of ``__call__`` is
evaluation (False, as PyTorch's ``self.training`` is read: dropout the
identity, ``not train`` a constant), said in the hover; ``jnp.where(mask ==
0, -inf, att)`` and ``jnp.where(mask, att, fill)`` of a causal mask keep the
scores at the one position read; ``embed.attend(x)`` (tied output layer) is
read as a head drawn apart from the table, shown and not judged.  Checked
against PyTorch running the same networks at Flax's laws (JAX is not
installed): LeCun-normal kernels (truncated at ±2σ, rescaled), zero biases."""

import math

import pytest
import torch_flow  # loaded by conftest.py (tests are not a package)
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze

torch = pytest.importorskip("torch")
nn = torch.nn

assert_ratios_agree, torch_ratios, verdict = (torch_flow.assert_ratios_agree,
                                              torch_flow.torch_ratios, torch_flow.verdict)

WIDTH = 16  # the width chainlens assumes for an input no layer fixes

SOURCE = '''
import jax
import jax.numpy as jnp
import flax.linen as nn


class Mlp(nn.Module):
    @nn.compact
    def __call__(self, x, *, train: bool):
        for _ in range(4):
            x = jnp.tanh(nn.Dense(32)(x))
            x = nn.Dropout(0.5)(x, deterministic=not train)
        if train:
            x = x * 2.0
        return nn.Dense(4)(x)


class Masked(nn.Module):
    d: int = 32

    @nn.compact
    def __call__(self, x):
        T = x.shape[0]
        q = nn.Dense(self.d)(x)
        k = nn.Dense(self.d)(x)
        v = nn.Dense(self.d)(x)
        mask = jnp.tril(jnp.ones((T, T)))
        att = (q @ k.swapaxes(-2, -1)) / jnp.sqrt(self.d)
        att = jnp.where(mask == 0, float('-inf'), att)
        att = nn.softmax(att, axis=-1)
        return nn.Dense(4)(jnp.tanh(att @ v))


class Kept(nn.Module):
    d: int = 32

    @nn.compact
    def __call__(self, x):
        T = x.shape[0]
        q = nn.Dense(self.d)(x)
        k = nn.Dense(self.d)(x)
        v = nn.Dense(self.d)(x)
        mask = jnp.tril(jnp.ones((T, T), dtype=jnp.bool_))
        att = (q @ k.swapaxes(-2, -1)) / jnp.sqrt(self.d)
        att = jnp.where(mask, att, jnp.finfo(jnp.float32).min)
        att = jax.nn.softmax(att, axis=-1)
        return nn.Dense(4)(jnp.tanh(att @ v))


class Tied(nn.Module):
    def setup(self):
        self.embed = nn.Embed(50, 32)
        self.fc = nn.Dense(32)

    def __call__(self, ids):
        return self.embed.attend(jnp.tanh(self.fc(self.embed(ids))))
'''


def _lecun_(layer):
    std = math.sqrt(1 / layer.in_features) / 0.87962566103423978
    nn.init.trunc_normal_(layer.weight, std=std, a=-2 * std, b=2 * std)
    nn.init.zeros_(layer.bias)


class _Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(WIDTH, 32), nn.Linear(32, 32), nn.Linear(32, 32),
                                     nn.Linear(32, 32), nn.Linear(32, 4)])
        for layer in self.layers:
            _lecun_(layer)

    def forward(self, x):  # evaluation: dropout the identity, `if train` not taken
        for layer in self.layers[:-1]:
            x = torch.tanh(layer(x))
        return self.layers[-1](x)


class _Attention(nn.Module):
    """Causal attention over one position (T = 1), as chainlens reads it."""

    def __init__(self):
        super().__init__()
        self.q, self.k, self.v = (nn.Linear(WIDTH, 32) for _ in range(3))
        self.out = nn.Linear(32, 4)
        for layer in (self.q, self.k, self.v, self.out):
            _lecun_(layer)

    def forward(self, x):  # x: (T=1, WIDTH)
        att = self.q(x) @ self.k(x).T / math.sqrt(32)
        mask = torch.tril(torch.ones(1, 1, dtype=torch.float64))
        att = torch.softmax(att.masked_fill(mask == 0, float("-inf")), dim=-1)
        return self.out(torch.tanh(att @ self.v(x)))


def _read():
    doc = read_document(SOURCE, path="flax_modes.py")
    return {u.label: u for u in doc.programs}, {s.name: s.reason for s in doc.skipped}


def test_a_train_flag_is_evaluation_and_the_flow_is_torchs_in_eval():
    units, skips = _read()
    assert "Mlp" in units, skips
    flow = analyze(units["Mlp"].program).flow
    weights = [lambda m, i=i: m.layers[i].weight.grad for i in range(5)]
    theirs = torch_ratios(_Mlp, lambda: torch.randn(1, WIDTH), weights, seeds=24)
    assert_ratios_agree([f.ratio for f in flow.layers], theirs, 3.0)
    assert flow.verdict == verdict(theirs[0])
    assert any("train read as False" in n for n in units["Mlp"].notes)


@pytest.mark.parametrize("name", ["Masked", "Kept"])
def test_where_of_a_causal_mask_keeps_the_scores_at_one_position(name):
    units, skips = _read()
    assert name in units, skips
    flow = analyze(units[name].program).flow
    weights = [lambda m: m.v.weight.grad, lambda m: m.out.weight.grad]
    theirs = torch_ratios(_Attention, lambda: torch.randn(1, WIDTH), weights, seeds=24)
    assert_ratios_agree([f.ratio for f in flow.layers], theirs, 3.0)
    # query and key get no gradient at one position (torch: exactly 0 too): not judged
    assert flow.verdict == "not judged"


def test_a_tied_output_layer_is_shown_and_not_judged_with_the_reason():
    units, skips = _read()
    assert "Tied" in units, skips
    program = units["Tied"].program
    assert any("tied weights" in u for u in program.unmodelled)
    flow = analyze(program).flow
    assert flow.layers and flow.verdict == "not judged"
