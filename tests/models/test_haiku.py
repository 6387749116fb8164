"""Haiku modules (#12): ``hk.Module`` classes whose ``__call__`` builds its
layers inline (``hk.Linear(out)(x)``, ``hk.nets.MLP``, ``hk.LayerNorm``,
``hk.Sequential``), read at Haiku's defaults and checked against PyTorch
running the same networks with Haiku's laws (JAX is not installed): a
Linear kernel N(0, 1/fan_in) truncated at ±2 stddev without rescaling, bias
zeros; ``VarianceScaling(s, 'fan_in', 'truncated_normal')`` stddev
√(s/fan_in)/0.8796.. truncated at ±2 stddev; LayerNorm eps 1e-5, scale ones,
offset zeros.  The kernel of ``hk.Linear`` is (in, out), PyTorch's weight
(out, in): the same Frobenius norm."""

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
FACTOR = 3.0
TRUNC_STD = 0.87962566103423978

SOURCE = '''
import dataclasses

import haiku as hk
import jax
import jax.numpy as jnp


def _norm(x):
    return hk.LayerNorm(axis=-1, create_scale=True, create_offset=True)(x)


@dataclasses.dataclass
class Helpers(hk.Module):
    num_heads: int

    def __call__(self, x):
        attn = hk.MultiHeadAttention(num_heads=self.num_heads, key_size=8,
                                     w_init=hk.initializers.VarianceScaling(1.0))
        x = x + attn(_norm(x), _norm(x), _norm(x))
        return hk.Linear(4)(_norm(x))


class DeepSigmoid(hk.Module):
    def __init__(self, width=32, depth=10, name=None):
        super().__init__(name=name)
        self.width = width
        self.depth = depth

    def __call__(self, x):
        for _ in range(self.depth):
            x = jax.nn.sigmoid(hk.Linear(self.width)(x))
        return hk.Linear(4)(x)


class TanhMLP(hk.Module):
    def __call__(self, x):
        mlp = hk.nets.MLP([32, 32, 32, 4], activation=jax.nn.tanh)
        return mlp(hk.LayerNorm(axis=-1, create_scale=True, create_offset=True)(x))


class HeNet(hk.Module):
    def __call__(self, x):
        init = hk.initializers.VarianceScaling(2.0, "fan_in", "truncated_normal")
        net = hk.Sequential([
            hk.Linear(32, w_init=init), jax.nn.relu,
            hk.Linear(32, w_init=init), jax.nn.relu,
            hk.Linear(4, w_init=hk.initializers.TruncatedNormal(stddev=0.02)),
        ])
        return net(x)


class ConvNet(hk.Module):
    def __call__(self, x):
        x = jax.nn.relu(hk.Conv2D(16, 3)(x))
        x = jax.nn.relu(hk.Conv2D(16, (3, 3), stride=2, with_bias=False,
                                  data_format="channels_last")(x))
        x = hk.Flatten()(x)
        return hk.Linear(10)(x)


class Dilated(hk.Module):
    def __call__(self, x):
        return hk.Conv2D(16, 3, rate=2)(x)


class Grouped(hk.Module):
    def __call__(self, x):
        return hk.Conv2D(16, 3, feature_group_count=4)(x)


class InitBuilt(hk.Module):
    def __init__(self, hidden=64, name=None):
        super().__init__(name=name)
        self.fc1 = hk.Linear(hidden, name="fc1")
        self.fc2 = hk.Linear(4)

    def __call__(self, x):
        return self.fc2(jax.nn.sigmoid(self.fc1(x)))


class WithBN(hk.Module):
    def __call__(self, x, is_training=True):
        x = hk.Linear(32)(x)
        x = hk.BatchNorm(create_scale=True, create_offset=True, decay_rate=0.9)(x, is_training)
        return hk.Linear(1)(jax.nn.relu(x))


class Tokens(hk.Module):
    def __call__(self, tokens):
        x = hk.Embed(1000, 32)(tokens)
        y = hk.Embed(vocab_size=1000, embed_dim=32,
                     w_init=hk.initializers.TruncatedNormal(stddev=0.02))(tokens)
        return hk.Linear(10)(jax.nn.gelu(x + y))


class Pretrained(hk.Module):
    def __call__(self, tokens, table):
        return hk.Linear(10)(hk.Embed(embedding_matrix=table)(tokens))


class Raw(hk.Module):
    def __call__(self, x):
        w1 = hk.get_parameter("w1", [16, 32], init=hk.initializers.TruncatedNormal(0.25))
        b1 = hk.get_parameter("b1", [32], init=jnp.zeros)
        h = jnp.tanh(x @ w1 + b1)
        w2 = hk.get_parameter("w2", [32, 4], init=hk.initializers.VarianceScaling(1.0))
        return h @ w2


class AttnBlock(hk.Module):
    def __call__(self, x):
        init = hk.initializers.VarianceScaling(1.0)
        attn = hk.MultiHeadAttention(num_heads=4, key_size=8, model_size=32, w_init=init)
        h = x + attn(x, x, x)
        return hk.Linear(4)(h)


class Attention(hk.Module):
    def __call__(self, x):
        attn = hk.MultiHeadAttention(num_heads=2, key_size=8)  # no initializer: Haiku raises
        return attn(x, x, x)


class Spectral(hk.Module):
    def __call__(self, x):
        return hk.SpectralNorm()(x)


class Shifted(hk.Module):
    def __call__(self, x):
        w = hk.initializers.RandomUniform(-0.5, 0.5)
        return hk.Linear(4, w_init=w)(jax.nn.relu(hk.Linear(8)(x)))
'''


def _doc():
    return read_document(SOURCE, path="haiku_models.py")


def _units():
    return {u.label: u for u in _doc().programs}


def _trunc_(weight, std):
    nn.init.trunc_normal_(weight, std=std, a=-2 * std, b=2 * std)


class _Haiku(nn.Module):
    """PyTorch Linears at Haiku's laws: ``w_std(fan_in)`` per layer, or
    Haiku's default TruncatedNormal(1/√fan_in); zero biases."""

    def __init__(self, sizes, acts, w_std=None, norm=False):
        super().__init__()
        self.norm = nn.LayerNorm(sizes[0], eps=1e-5) if norm else None
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes, sizes[1:], strict=False))
        self.acts = acts
        for i, layer in enumerate(self.layers):
            std = (w_std or [lambda f: 1 / math.sqrt(f)] * len(self.layers))[i](layer.in_features)
            _trunc_(layer.weight, std)
            nn.init.zeros_(layer.bias)

    def forward(self, x):
        if self.norm is not None:
            x = self.norm(x)
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.acts):
                x = self.acts[i](x)
        return x


def _torch(make, n):
    weights = [lambda m, i=i: m.layers[i].weight.grad for i in range(n)]
    return torch_ratios(make, lambda: torch.randn(1, WIDTH), weights, seeds=24)


def _agree(name, make, n):
    flow = analyze(_units()[name].program).flow
    theirs = _torch(make, n)
    assert_ratios_agree([f.ratio for f in flow.layers], theirs, FACTOR)
    assert flow.verdict == verdict(theirs[0]), (flow.verdict, theirs[0])
    return flow


def test_a_deep_sigmoid_haiku_stack_vanishes_as_torch_measures_at_haikus_init():
    flow = _agree("DeepSigmoid", lambda: _Haiku([WIDTH] + [32] * 10 + [4],
                                                [torch.sigmoid] * 10), 11)
    assert flow.verdict == "vanishing"
    decls = {d.name: d for d in _units()["DeepSigmoid"].program.declarations}
    assert decls["W_linear"].init == "haiku-weight"  # never PyTorch's Kaiming-uniform
    assert decls["W_linear"].shape == (32, WIDTH) and decls["W_linear_10"].shape == (4, 32)
    assert decls["b_linear"].init == "haiku-bias"
    flow = analyze(_units()["DeepSigmoid"].program).flow  # Haiku's names: linear, linear_1, ...
    assert [f.name for f in flow.layers][:3] == ["W_linear", "W_linear_1", "W_linear_2"]
    tanh = analyze(_units()["TanhMLP"].program).flow  # hk.nets.MLP's: mlp/~/linear_0
    assert tanh.layers[0].name == "W_mlp_linear_0"


def test_hk_nets_mlp_and_layer_norm_agree_with_torch():
    flow = _agree("TanhMLP", lambda: _Haiku([WIDTH, 32, 32, 32, 4], [torch.tanh] * 3,
                                            norm=True), 4)
    assert flow.verdict == "healthy"


def test_given_initializers_are_haikus_laws():
    he = [lambda f: math.sqrt(2.0 / f) / TRUNC_STD] * 2 + [lambda f: 0.02]
    _agree("HeNet", lambda: _Haiku([WIDTH, 32, 32, 4], [torch.relu] * 2, w_std=he), 3)


def test_what_haiku_reading_does_not_model_is_skipped_with_its_name():
    skips = {s.name: s.reason for s in _doc().skipped}
    assert "Attention" not in _units()
    assert "an hk.MultiHeadAttention without a weight initializer" in skips["Attention.__call__"]
    assert "hk.SpectralNorm(...) is a Haiku construct chainlens does not model" in (
        skips["Spectral.__call__"])


def test_an_initializer_haiku_has_but_chainlens_does_not_model_is_not_measured():
    unit = _units()["Shifted"]  # RandomUniform(-0.5, 0.5): not the U[0, scale) law
    report = analyze(unit.program)
    assert report.flow is None  # no verdict at an initialisation the file does not train
    assert any(f.kind == "not-measured" and "RandomUniform(-0.5, 0.5)" in f.message
               for f in report.findings)


def test_hk_conv_is_a_window_of_kernel_times_channels_at_haikus_default():
    unit = _units()["ConvNet"]
    decls = {d.name: d for d in unit.program.declarations}
    w = decls["W_conv2_d"]
    assert w.init == "haiku-weight" and w.shape == (16, WIDTH)
    bound = math.sqrt(3 * TRUNC_STD ** 2 / (9 * WIDTH))  # variance 0.7737 / (3·3·16)
    assert math.isclose(float(w.range[1]), bound, rel_tol=1e-6)
    assert "b_conv2_d_1" not in decls and decls["b_conv2_d"].init == "haiku-bias"
    assert [f.name for f in analyze(unit.program).flow.layers] == [
        "W_conv2_d", "W_conv2_d_1", "W_linear"]
    skips = {s.name: s.reason for s in _doc().skipped}
    assert "a dilated or channels-first hk.Conv2D is not modelled" in skips["Dilated.__call__"]
    assert "a grouped or masked hk.Conv2D is not modelled" in skips["Grouped.__call__"]


def test_layers_built_in_init_are_haikus_and_agree_with_torch():
    flow = _agree("InitBuilt", lambda: _Haiku([WIDTH, 64, 4], [torch.sigmoid]), 2)
    assert [f.name for f in flow.layers] == ["W_fc1", "W_fc2"]


def test_a_batch_norm_is_read_but_its_verdict_is_not_judged():
    unit = _units()["WithBN"]
    assert analyze(unit.program).flow.verdict == "not judged"
    assert any("over the batch" in why for why in unit.program.unmodelled)


def test_hk_embed_rows_are_haikus_truncated_normal_or_the_given_init():
    decls = {d.name: d for d in _units()["Tokens"].program.declarations}
    default, given = decls["E_embed"], decls["E_embed_1"]
    assert default.init == "haiku-embed" and default.shape == (32,)
    assert math.isclose(float(default.range[1]), math.sqrt(3) * TRUNC_STD, rel_tol=1e-6)
    assert given.init.startswith("law:a:trunc:0.0:0.02:-2.0:2.0:")
    skips = {s.name: s.reason for s in _doc().skipped}
    assert "an hk.Embed of a given embedding_matrix is not read" in skips["Pretrained.__call__"]


class _Raw(nn.Module):
    def __init__(self):
        super().__init__()
        self.w1 = nn.Parameter(torch.empty(16, 32))
        self.w2 = nn.Parameter(torch.empty(32, 4))
        _trunc_(self.w1, 0.25)
        _trunc_(self.w2, math.sqrt(1 / 32) / TRUNC_STD)  # VarianceScaling(1.0): fan_in 32

    def forward(self, x):
        return torch.tanh(x @ self.w1) @ self.w2


def test_hk_get_parameter_is_a_weight_at_its_init_and_agrees_with_torch():
    unit = _units()["Raw"]
    decls = {d.name: d for d in unit.program.declarations}
    assert decls["P_b1"].init.startswith("law:a:const:0.0:")  # init=jnp.zeros
    flow = analyze(unit.program).flow
    theirs = torch_ratios(_Raw, lambda: torch.randn(1, 16),
                          [lambda m: m.w1.grad, lambda m: m.w2.grad], seeds=24)
    assert_ratios_agree([f.ratio for f in flow.layers], theirs, FACTOR)
    assert flow.verdict == verdict(theirs[0])


class _AttnBlock(nn.Module):
    """Haiku's attention at one position: out(value(x)), both VarianceScaling(1.0)."""

    def __init__(self):
        super().__init__()
        self.value, self.out, self.head = nn.Linear(32, 32), nn.Linear(32, 32), nn.Linear(32, 4)
        for layer in (self.value, self.out):
            _trunc_(layer.weight, math.sqrt(1 / 32) / TRUNC_STD)
            nn.init.zeros_(layer.bias)
        _trunc_(self.head.weight, 1 / math.sqrt(32))
        nn.init.zeros_(self.head.bias)

    def forward(self, x):
        return self.head(x + self.out(self.value(x)))


def test_hk_multi_head_attention_at_one_position_agrees_with_torch():
    flow = analyze(_units()["AttnBlock"].program).flow
    assert [f.name for f in flow.layers] == [
        "W_multi_head_attention_value", "W_multi_head_attention_out", "W_linear"]
    theirs = torch_ratios(_AttnBlock, lambda: torch.randn(1, 32),
                          [lambda m: m.value.weight.grad, lambda m: m.out.weight.grad,
                           lambda m: m.head.weight.grad], seeds=24)
    assert_ratios_agree([f.ratio for f in flow.layers], theirs, FACTOR)
    assert flow.verdict == verdict(theirs[0])


def test_layers_a_helper_builds_are_haiku_modules_and_unfixed_heads_are_said():
    unit = _units()["Helpers"]  # hk.LayerNorm built in a module-level helper, num_heads unset
    assert [f.name for f in analyze(unit.program).flow.layers] == [
        "W_multi_head_attention_value", "W_multi_head_attention_out", "W_linear"]
    assert any(n.startswith("widths not written in the file") and "W_multi_head_attention_value"
               in n for n in unit.notes)
