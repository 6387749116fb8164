"""Measured flows of Flax modules against JAX (#12): the same modules
computed in JAX with Flax's formulas and initializers (``Dense``: ``x @ kernel
+ bias``, kernel LeCun-normal unless ``kernel_init`` says otherwise, bias
zeros; ``LayerNorm``: eps 1e-6, scale ones; ``MultiHeadDotProductAttention``:
per-head query/key/value Dense maps, softmax(q·k/√d) over the keys, an output
Dense, at one position as chainlens reads attention), one backward pass of
``(target * out).sum()`` per seed; per-layer ‖∂L/∂kernel‖ as ratios to the
last layer, median over seeds, within a factor of chainlens's measurement."""

import pytest
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze

jax = pytest.importorskip("jax")
jnp = jax.numpy
init = jax.nn.initializers

WIDTH = 16  # the width chainlens assumes for an input no layer fixes
SEEDS = 24
FACTOR = 3.0

SOURCE = '''
from typing import Any, Callable

import jax.numpy as jnp
from flax import linen as nn


class Deep(nn.Module):
    depth: int = 8

    @nn.compact
    def __call__(self, x):
        for _ in range(self.depth):
            x = nn.sigmoid(nn.Dense(16)(x))
        return nn.Dense(4)(x)


class ReluNet(nn.Module):
    @nn.compact
    def __call__(self, x):
        for width in (32, 32, 32):
            x = nn.relu(nn.Dense(width, kernel_init=nn.initializers.he_normal())(x))
        return nn.Dense(4, kernel_init=nn.initializers.xavier_uniform())(x)


class MlpBlock(nn.Module):
    mlp_dim: int = 32
    kernel_init: Callable = nn.initializers.xavier_uniform()
    bias_init: Callable = nn.initializers.normal(stddev=1e-6)

    @nn.compact
    def __call__(self, inputs):
        x = nn.Dense(self.mlp_dim, kernel_init=self.kernel_init, bias_init=self.bias_init)(inputs)
        x = nn.gelu(x)
        return nn.Dense(inputs.shape[-1], kernel_init=self.kernel_init,
                        bias_init=self.bias_init)(x)


class EncoderBlock(nn.Module):
    num_heads: int = 2

    @nn.compact
    def __call__(self, inputs):
        x = nn.LayerNorm()(inputs)
        x = nn.MultiHeadDotProductAttention(num_heads=self.num_heads)(x, x)
        x = x + inputs
        y = nn.LayerNorm()(x)
        return x + MlpBlock()(y)


class ResBlock(nn.Module):
    d: int = 32
    heads: int = 4

    @nn.compact
    def __call__(self, x):
        h = nn.SelfAttention(num_heads=self.heads)(nn.LayerNorm()(x))
        x = x + h
        h = nn.gelu(nn.Dense(4 * self.d)(nn.LayerNorm()(x)))
        return x + nn.Dense(self.d)(h)


class SelfAttn(nn.Module):
    @nn.compact
    def __call__(self, x):
        h = nn.SelfAttention(num_heads=4, qkv_features=8, out_features=12,
                             kernel_init=nn.initializers.xavier_uniform())(x)
        return nn.Dense(4)(jnp.tanh(h))
'''


@pytest.fixture(scope="module")
def units():
    doc = read_document(SOURCE, path="flax_flow.py")
    return {u.label: u for u in doc.programs}, {s.name: s.reason for s in doc.skipped}


def _ratios(grads_of, seeds: int = SEEDS) -> list[float]:
    """Median over seeds of each kernel's gradient norm, as ratios to the last."""
    run = jax.jit(grads_of)
    rows = []
    for seed in range(seeds):
        rows.append([float(jnp.linalg.norm(g)) for g in run(jax.random.PRNGKey(seed))])
    med = jnp.median(jnp.array(rows), axis=0)
    return [float(v) for v in med / med[-1]]


def _backward(forward, kernels, key, width: int = WIDTH):
    """Gradients of (target * forward(kernels, x)).sum() over the kernels."""
    kx, kt = jax.random.split(key)
    x = jax.random.normal(kx, (1, width))
    out_shape = jax.eval_shape(lambda k: forward(k, x), kernels).shape
    target = jax.random.normal(kt, out_shape)
    return jax.grad(lambda k: jnp.sum(target * forward(k, x)))(kernels)


def _dense(key, fan_in, fan_out, kernel_init=None, bias_init=None):
    kk, kb = jax.random.split(key)
    kernel = (kernel_init or init.lecun_normal())(kk, (fan_in, fan_out))
    bias = (bias_init or init.zeros)(kb, (fan_out,))
    return kernel, bias


def _flow(units, name):
    table, skips = units
    assert name in table, skips
    flow = analyze(table[name].program).flow
    assert flow is not None, table[name].notes
    return [layer.ratio for layer in flow.layers], flow


def _agree(ours, theirs):
    assert len(ours) == len(theirs), (ours, theirs)
    for mine, ref in zip(ours, theirs, strict=True):
        assert ref / FACTOR <= mine <= ref * FACTOR, (ours, theirs)


def test_a_deep_sigmoid_dense_stack_vanishes_as_in_jax(units):
    def grads(key):
        keys = jax.random.split(key, 10)
        sizes = [WIDTH] + [16] * 8 + [4]
        params = [_dense(keys[i], sizes[i], sizes[i + 1]) for i in range(9)]

        def forward(ps, x):
            for kernel, bias in ps[:-1]:
                x = jax.nn.sigmoid(x @ kernel + bias)
            return x @ ps[-1][0] + ps[-1][1]

        g = _backward(forward, params, keys[9])
        return [k for k, _ in g]

    theirs = _ratios(grads)
    ours, flow = _flow(units, "Deep")
    _agree(ours, theirs)
    assert theirs[0] < 1e-3 and flow.verdict == "vanishing"


def test_a_relu_stack_at_he_normal_keeps_its_gradient_as_in_jax(units):
    def grads(key):
        keys = jax.random.split(key, 5)
        sizes = [WIDTH, 32, 32, 32, 4]
        params = [_dense(keys[i], sizes[i], sizes[i + 1], init.he_normal()) for i in range(3)]
        params.append(_dense(keys[3], 32, 4, init.xavier_uniform()))

        def forward(ps, x):
            for kernel, bias in ps[:-1]:
                x = jax.nn.relu(x @ kernel + bias)
            return x @ ps[-1][0] + ps[-1][1]

        return [k for k, _ in _backward(forward, params, keys[4])]

    ours, flow = _flow(units, "ReluNet")
    _agree(ours, _ratios(grads))
    assert flow.verdict == "healthy"


def _layer_norm(x):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / jnp.sqrt(var + 1e-6)


def _attention(p, xq, xkv, heads):
    """Flax's MultiHeadDotProductAttention on (length, features) inputs."""
    def project(kernel, bias, x):
        return (x @ kernel + bias).reshape(x.shape[0], heads, -1)

    q, k, v = (project(*p[n], x) for n, x in (("query", xq), ("key", xkv), ("value", xkv)))
    q = q / jnp.sqrt(q.shape[-1])
    weights = jax.nn.softmax(jnp.einsum("qhd,khd->hqk", q, k), axis=-1)
    mixed = jnp.einsum("hqk,khd->qhd", weights, v).reshape(xq.shape[0], -1)
    return mixed @ p["out"][0] + p["out"][1]


def test_an_encoder_block_with_flax_attention_agrees_with_jax(units):
    def grads(key):
        keys = jax.random.split(key, 7)
        attn = {n: _dense(keys[i], WIDTH, WIDTH) for i, n in enumerate(("query", "key",
                                                                         "value", "out"))}
        mlp = [_dense(keys[4], WIDTH, 32, init.xavier_uniform(), init.normal(1e-6)),
               _dense(keys[5], 32, WIDTH, init.xavier_uniform(), init.normal(1e-6))]

        def forward(ps, x):
            a, m = ps
            h = _layer_norm(x)
            x = _attention(a, h, h, heads=2) + x
            y = _layer_norm(x)
            y = jax.nn.gelu(y @ m[0][0] + m[0][1]) @ m[1][0] + m[1][1]
            return x + y

        ga, gm = _backward(forward, (attn, mlp), keys[6])
        return [ga["query"][0], ga["value"][0], ga["out"][0], gm[0][0], gm[1][0]]

    theirs = _ratios(grads)
    assert theirs.pop(0) == 0.0  # one position: the query (and key) get no gradient

    ours, flow = _flow(units, "EncoderBlock")
    _agree(ours, theirs)
    assert "read at one position" in " | ".join(units[0]["EncoderBlock"].notes)


def test_self_attention_with_its_widths_and_kernel_init_agrees_with_jax(units):
    def grads(key):
        keys = jax.random.split(key, 6)
        xavier = init.xavier_uniform()
        attn = {n: _dense(keys[i], WIDTH, 8, xavier) for i, n in enumerate(("query", "key",
                                                                             "value"))}
        attn["out"] = _dense(keys[3], 8, 12, xavier)
        head = _dense(keys[4], 12, 4)

        def forward(ps, x):
            a, h = ps
            return jnp.tanh(_attention(a, x, x, heads=4)) @ h[0] + h[1]

        ga, gh = _backward(forward, (attn, head), keys[5])
        return [ga["value"][0], ga["out"][0], gh[0]]

    ours, flow = _flow(units, "SelfAttn")
    _agree(ours, _ratios(grads))


def test_a_block_read_alone_takes_its_input_width_from_the_residual(units):
    """Flax attention's widths are its input's: ``x + Dense(d)(...)`` fixes
    them (red team G18: was "sizes that do not agree")."""
    d = 32

    def grads(key):
        keys = jax.random.split(key, 7)
        attn = {n: _dense(keys[i], d, d) for i, n in enumerate(("query", "key", "value",
                                                                 "out"))}
        mlp = [_dense(keys[4], d, 4 * d), _dense(keys[5], 4 * d, d)]

        def forward(ps, x):
            a, m = ps
            x = x + _attention(a, _layer_norm(x), _layer_norm(x), heads=4)
            h = jax.nn.gelu(_layer_norm(x) @ m[0][0] + m[0][1])
            return x + h @ m[1][0] + m[1][1]

        ga, gm = _backward(forward, (attn, mlp), keys[6], width=d)
        return [ga["value"][0], ga["out"][0], gm[0][0], gm[1][0]]

    ours, flow = _flow(units, "ResBlock")
    _agree(ours, _ratios(grads))
    x = next(dcl for dcl in units[0]["ResBlock"].program.declarations if dcl.name == "x")
    assert tuple(x.shape) == (d,)
