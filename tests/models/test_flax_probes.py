"""Flax spellings found on files outside the corpus (#12; the flax
examples): a layer built inside a compact ``__call__`` and called later
(built once, as Flax does), ``nnx.Param`` weights read through ``.value``,
``.astype``, noise from ``jax.random.normal(key, x.shape)`` in a helper,
``jnp.where(mask, x, -jnp.inf)`` with the mask an input.  Flax is not
installed: the readings are checked for their layers and initialisation."""

import math

import pytest
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze

LINEN = '''
import jax.numpy as jnp
from flax import linen as nn
from jax import random


class Encoder(nn.Module):
    latents: int = 8

    @nn.compact
    def __call__(self, x):
        dense = nn.Dense(32, name="fc1")
        x = nn.relu(dense(x)).astype(jnp.float32)
        mean_x = nn.Dense(self.latents)(x)
        logvar_x = nn.Dense(self.latents)(x)
        return mean_x, logvar_x


def reparameterize(rng, mean, logvar):
    std = jnp.exp(0.5 * logvar)
    eps = random.normal(rng, logvar.shape)
    return mean + eps * std


class VAE(nn.Module):
    latents: int = 8

    def setup(self):
        self.encoder = Encoder(self.latents)
        self.decoder = nn.Dense(16)

    def __call__(self, x, z_rng):
        mean, logvar = self.encoder(x)
        return self.decoder(reparameterize(z_rng, mean, logvar))


class Masked(nn.Module):
    @nn.compact
    def __call__(self, x, mask):
        scores = nn.Dense(16)(x)
        scores = jnp.where(mask, scores, -jnp.inf)
        return nn.Dense(4)(nn.softmax(scores))
'''

NNX = '''
import jax
import jax.numpy as jnp
from flax import nnx


class Linear(nnx.Module):
    def __init__(self, din: int, dout: int, *, rngs: nnx.Rngs):
        self.w = nnx.Param(jax.random.uniform(rngs.params(), (din, dout)))
        self.b = nnx.Param(jnp.zeros((dout,)))

    def __call__(self, x):
        return x @ self.w.value + self.b.value


class MLP(nnx.Module):
    def __init__(self, din=4, dhidden=32, dout=2, *, rngs: nnx.Rngs):
        self.linear1 = Linear(din, dhidden, rngs=rngs)
        self.linear2 = Linear(dhidden, dout, rngs=rngs)

    def __call__(self, x):
        return self.linear2(jax.nn.relu(self.linear1(x)))
'''


def _units(src):
    doc = read_document(src, path="m.py")
    return {u.label: u for u in doc.programs}, {s.name: s.reason for s in doc.skipped}


def test_a_layer_built_in_a_compact_call_is_one_layer_at_lecun_normal():
    units, skips = _units(LINEN)
    assert "Encoder" in units, skips
    weights = {d.name: d for d in units["Encoder"].program.declarations
               if d.role == "param" and d.init == "flax-weight"}
    assert len(weights) == 3  # fc1 and the two heads
    first = next(iter(weights.values()))
    assert float(first.range[1]) == pytest.approx(math.sqrt(3.0 / 16))  # fan-in 16 (unsized)


def test_noise_drawn_in_a_helper_is_an_input_and_the_vae_is_read():
    units, skips = _units(LINEN)
    assert "VAE" in units, skips
    notes = " | ".join(units["VAE"].notes)
    assert "noise" in notes and "random.normal" in notes
    flow = analyze(units["VAE"].program).flow
    assert flow is not None and len(flow.layers) == 4


def test_a_mask_given_as_an_input_keeps_the_values_it_selects():
    units, skips = _units(LINEN)
    assert "Masked" in units, skips
    assert any("torch.where(mask, a, b) read as a" in n for n in units["Masked"].notes)
    assert len(analyze(units["Masked"].program).flow.layers) == 2


def test_nnx_params_read_through_value_are_the_weights_they_draw():
    units, skips = _units(NNX)
    assert "MLP" in units, skips
    params = {d.name: d for d in units["MLP"].program.declarations if d.role == "param"}
    w = [d for n, d in params.items() if n.startswith("P_w")]
    assert len(w) == 2 and all(d.init == "unit" for d in w)  # jax.random.uniform: U(0, 1)
    flow = analyze(units["MLP"].program).flow
    assert len(flow.layers) == 2
