"""One Flax network in the spellings real files use (#12): a compact loop,
``nn.Sequential([...])`` (Flax's takes a list), layers listed in ``setup``,
a block wrapped in ``nn.remat``, ``nn.DenseGeneral`` and
``nn.dot_product_attention``, ``nnx.MultiHeadAttention``.  Each reading is
checked against the same network computed in JAX with Flax's formulas and
default initializers (LeCun-normal kernels, zero biases), per layer within a
factor 3."""

import pytest
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze

jax = pytest.importorskip("jax")
jnp = jax.numpy

WIDTH = 16  # the width chainlens assumes for an input no layer fixes
FACTOR = 3.0

SOURCE = '''
from typing import Sequence

import jax.numpy as jnp
import flax.linen as nn
from flax import nnx


class Loop(nn.Module):
    @nn.compact
    def __call__(self, x):
        for width in (32, 32):
            x = nn.relu(nn.Dense(width)(x))
        return nn.Dense(4)(x)


class Sequential(nn.Module):
    @nn.compact
    def __call__(self, x):
        return nn.Sequential([nn.Dense(32), nn.relu, nn.Dense(32), nn.relu, nn.Dense(4)])(x)


class SetupList(nn.Module):
    features: Sequence[int] = (32, 32, 4)

    def setup(self):
        self.layers = [nn.Dense(f) for f in self.features]

    def __call__(self, x):
        for i, lyr in enumerate(self.layers):
            x = lyr(x)
            if i != len(self.layers) - 1:
                x = nn.relu(x)
        return x


class Hidden(nn.Module):
    @nn.compact
    def __call__(self, x):
        return nn.relu(nn.Dense(32)(x))


class Remat(nn.Module):
    @nn.compact
    def __call__(self, x):
        block = nn.remat(Hidden)
        for _ in range(2):
            x = block()(x)
        return nn.Dense(4)(x)


class General(nn.Module):
    @nn.compact
    def __call__(self, x):
        x = nn.relu(nn.DenseGeneral((4, 8))(x))
        x = nn.relu(nn.DenseGeneral(32)(x))
        return nn.DenseGeneral(4)(x)


class DotAttention(nn.Module):
    @nn.compact
    def __call__(self, x):
        q = nn.DenseGeneral((2, 8))(x)
        k = nn.DenseGeneral((2, 8))(x)
        v = nn.DenseGeneral((2, 8))(x)
        y = nn.dot_product_attention(q, k, v)
        return nn.DenseGeneral(4, axis=(-2, -1))(jnp.tanh(y))


class NnxAttention(nnx.Module):
    def __init__(self, d: int = 24, *, rngs: nnx.Rngs):
        self.attn = nnx.MultiHeadAttention(num_heads=4, in_features=d, decode=False, rngs=rngs)
        self.fc = nnx.Linear(d, 4, rngs=rngs)

    def __call__(self, x):
        return self.fc(x + self.attn(x))
'''


@pytest.fixture(scope="module")
def units():
    doc = read_document(SOURCE, path="flax_spellings.py")
    return {u.label: u for u in doc.programs}, {s.name: s.reason for s in doc.skipped}


def _dense(key, fan_in, fan_out):
    return jax.nn.initializers.lecun_normal()(key, (fan_in, fan_out)), jnp.zeros(fan_out)


def _ratios(make, forward, width=WIDTH, seeds=24):
    """Median over seeds of each kernel's ‖∂L/∂W‖ for L = (target · out).sum(),
    as ratios to the last kernel."""
    def grads(key):
        kp, kx, kt = jax.random.split(key, 3)
        params = make(kp)
        x = jax.random.normal(kx, (1, width))
        target = jax.random.normal(kt, jax.eval_shape(lambda p: forward(p, x), params).shape)
        g = jax.grad(lambda p: jnp.sum(target * forward(p, x)))(params)
        return [jnp.linalg.norm(w) for w, _ in g]

    run = jax.jit(grads)
    rows = jnp.array([run(jax.random.PRNGKey(s)) for s in range(seeds)])
    med = jnp.median(rows, axis=0)
    return [float(v) for v in med / med[-1]]


def _mlp(key):
    keys = jax.random.split(key, 3)
    sizes = [WIDTH, 32, 32, 4]
    return [_dense(keys[i], sizes[i], sizes[i + 1]) for i in range(3)]


def _mlp_forward(params, x):
    for kernel, bias in params[:-1]:
        x = jax.nn.relu(x @ kernel + bias)
    return x @ params[-1][0] + params[-1][1]


def _agree(units, name, theirs):
    table, skips = units
    assert name in table, skips
    flow = analyze(table[name].program).flow
    assert flow is not None, table[name].notes
    ours = [layer.ratio for layer in flow.layers]
    assert len(ours) == len(theirs), (ours, theirs)
    for mine, ref in zip(ours, theirs, strict=True):
        assert ref / FACTOR <= mine <= ref * FACTOR, (name, ours, theirs)


@pytest.mark.parametrize("name", ["Loop", "Sequential", "SetupList", "Remat", "General"])
def test_each_spelling_of_one_relu_mlp_agrees_with_jax(units, name):
    _agree(units, name, _ratios(_mlp, _mlp_forward))


def test_dot_product_attention_of_dense_general_heads_agrees_with_jax(units):
    def make(key):
        keys = jax.random.split(key, 4)
        return [_dense(keys[i], WIDTH, 16) for i in range(3)] + [_dense(keys[3], 16, 4)]

    def forward(p, x):
        q, k, v = ((x @ w + b).reshape(1, 2, 8) for w, b in p[:3])
        weights = jax.nn.softmax(jnp.einsum("qhd,khd->hqk", q / jnp.sqrt(8.0), k), axis=-1)
        y = jnp.einsum("hqk,khd->qhd", weights, v).reshape(1, 16)
        return jnp.tanh(y) @ p[3][0] + p[3][1]

    theirs = _ratios(make, forward)
    assert theirs[0] == 0.0 and theirs[1] == 0.0  # one position: q and k get nothing
    _agree(units, "DotAttention", theirs[2:])


def test_nnx_attention_takes_its_widths_from_in_features(units):
    d = 24

    def make(key):
        keys = jax.random.split(key, 5)
        attn = [_dense(keys[i], d, d) for i in range(4)]  # query, key, value, out
        return attn + [_dense(keys[4], d, 4)]

    def forward(p, x):
        q, k, v = ((x @ w + b).reshape(1, 4, 6) for w, b in p[:3])
        weights = jax.nn.softmax(jnp.einsum("qhd,khd->hqk", q / jnp.sqrt(6.0), k), axis=-1)
        y = jnp.einsum("hqk,khd->qhd", weights, v).reshape(1, d) @ p[3][0] + p[3][1]
        return (x + y) @ p[4][0] + p[4][1]

    theirs = _ratios(make, forward, width=d)
    _agree(units, "NnxAttention", theirs[2:])
