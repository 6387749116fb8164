"""Flax linen modules as real repositories write them (#12): the
initializers of ``jax.nn.initializers`` given as ``kernel_init=`` /
``bias_init=`` / ``embedding_init=`` and to ``self.param``, Flax's own
defaults (Dense/Conv LeCun-normal kernel and zero bias, Embed variance
1/features), ``partial(nn.Conv, ...)`` and ``partial(self.conv, ...)`` layer
factories, ``self.is_mutable_collection``, ``Sequence[int]`` fields without a
default, constructions by a top-level ``partial(Model, ...)``, and
``nn.MultiHeadDotProductAttention``.

Flax is not installed; JAX is.  The expected statistics are written out from
``jax/_src/nn/initializers.py`` and ``flax/linen/linear.py`` (and checked
against JAX's own initializers when JAX is importable); flows are checked
against a JAX oracle that computes the same modules with Flax's formulas
(``Dense``: ``x @ kernel + bias``; ``LayerNorm``: eps 1e-6, scale ones)."""

import math

import numpy as np
import pytest
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze
from chainlens.engine.health.measure import points_batch

HEADER = '''
from functools import partial
from typing import Any, Callable, Sequence

import jax.numpy as jnp
from flax import linen as nn

ModuleDef = Any
'''


def _units(src):
    doc = read_document(HEADER + src, path="m.py")
    return {u.label: u for u in doc.programs}, {s.name: s.reason for s in doc.skipped}


def _drawn(unit, prefix: str) -> np.ndarray:
    """The values the measurement draws for the parameter named ``prefix…``
    (2000 draws, the measurement's own sampler)."""
    program = unit.program
    decl = next(d for d in program.declarations if d.name.startswith(prefix))
    values, _ = points_batch(program, {d.name: d.range for d in program.declarations},
                             2000, seed=0)
    return values[decl.name]


def _dense(init: str) -> str:
    return f'''
class M(nn.Module):
    @nn.compact
    def __call__(self, x):
        return nn.Dense(24{init})(x)
'''


# (kernel_init as written, expected (mean, variance) at fan_in 16 (the width
# assumed for x) and fan_out 24, the same initializer built by JAX)
_FI, _FO = 16, 24
_TRUNC_VAR = 0.87962566103423978 ** 2  # a standard normal truncated to (-2, 2)
INITS = [
    ("", (0.0, 1 / _FI), lambda i: i.lecun_normal()),  # Flax's default
    (", kernel_init=nn.initializers.lecun_normal()", (0.0, 1 / _FI), lambda i: i.lecun_normal()),
    (", kernel_init=nn.initializers.xavier_uniform()", (0.0, 2 / (_FI + _FO)),
     lambda i: i.xavier_uniform()),
    (", kernel_init=nn.initializers.glorot_normal()", (0.0, 2 / (_FI + _FO)),
     lambda i: i.glorot_normal()),
    (", kernel_init=nn.initializers.kaiming_normal()", (0.0, 2 / _FI),
     lambda i: i.kaiming_normal()),
    (", kernel_init=nn.initializers.he_uniform()", (0.0, 2 / _FI), lambda i: i.he_uniform()),
    (", kernel_init=nn.initializers.variance_scaling(0.5, 'fan_out', 'uniform')",
     (0.0, 0.5 / _FO), lambda i: i.variance_scaling(0.5, "fan_out", "uniform")),
    (", kernel_init=nn.initializers.variance_scaling(1.0, 'fan_avg', 'normal')",
     (0.0, 2 / (_FI + _FO)), lambda i: i.variance_scaling(1.0, "fan_avg", "normal")),
    (", kernel_init=nn.initializers.normal(stddev=0.02)", (0.0, 0.02 ** 2),
     lambda i: i.normal(stddev=0.02)),
    (", kernel_init=nn.initializers.normal()", (0.0, 1e-4), lambda i: i.normal()),
    (", kernel_init=nn.initializers.uniform(scale=0.5)", (0.25, 0.25 / 12),
     lambda i: i.uniform(scale=0.5)),
    (", kernel_init=nn.initializers.truncated_normal(stddev=0.1)", (0.0, 0.01 * _TRUNC_VAR),
     lambda i: i.truncated_normal(stddev=0.1)),
    (", kernel_init=nn.initializers.constant(0.3)", (0.3, 0.0), lambda i: i.constant(0.3)),
    (", kernel_init=nn.initializers.zeros", (0.0, 0.0), lambda i: i.zeros),
]


@pytest.mark.parametrize(("init", "expected", "jax_init"), INITS, ids=[i[0] or "default"
                                                                      for i in INITS])
def test_a_dense_kernel_is_drawn_with_the_variance_its_initializer_gives(init, expected,
                                                                         jax_init):
    units, skips = _units(_dense(init))
    assert "M" in units, skips
    w = _drawn(units["M"], "W_")
    mean, var = expected
    assert w.mean() == pytest.approx(mean, abs=0.02 * math.sqrt(var) + 1e-9)
    assert w.var() == pytest.approx(var, rel=0.05, abs=1e-12)
    jax = pytest.importorskip("jax")
    drawn = np.concatenate([np.asarray(jax_init(jax.nn.initializers)(
        jax.random.PRNGKey(s), (_FI, _FO))).ravel() for s in range(200)])
    assert drawn.var() == pytest.approx(var, rel=0.05, abs=1e-12)
    if init:
        assert "measured at the file's own initialisation" in " | ".join(units["M"].notes)


def test_the_bias_init_is_drawn_and_the_default_bias_is_zero():
    units, skips = _units(_dense(", bias_init=nn.initializers.normal(stddev=1e-6)")
                          + _dense("").replace("class M", "class Z"))
    assert {"M", "Z"} <= set(units), skips
    assert _drawn(units["M"], "b_").std() == pytest.approx(1e-6, rel=0.05)
    assert not _drawn(units["Z"], "b_").any()  # Flax: zeros


def test_an_embed_table_is_drawn_at_variance_one_over_features():
    units, skips = _units('''
class M(nn.Module):
    @nn.compact
    def __call__(self, ids):
        return nn.Dense(8)(nn.Embed(100, 32)(ids))
''')
    assert "M" in units, skips
    assert _drawn(units["M"], "E_").var() == pytest.approx(1 / 32, rel=0.05)
    jax = pytest.importorskip("jax")
    table = jax.nn.initializers.variance_scaling(1.0, "fan_in", "normal", out_axis=0)(
        jax.random.PRNGKey(0), (100, 32))  # flax.linen.linear.default_embed_init
    assert float(np.asarray(table).var()) == pytest.approx(1 / 32, rel=0.1)


PARAMS = '''
class AddPositionEmbs(nn.Module):
    posemb_init: Callable = nn.initializers.normal(stddev=0.02)

    @nn.compact
    def __call__(self, inputs):
        pos_emb_shape = (1, inputs.shape[1], inputs.shape[2])
        pe = self.param('pos_embedding', self.posemb_init, pos_emb_shape)
        return inputs + pe


class Inline(nn.Module):
    @nn.compact
    def __call__(self, x):
        cls = self.param('cls', nn.initializers.zeros, (1, 1, x.shape[-1]))
        return nn.Dense(4)(x + cls)


class Kernel(nn.Module):
    features: int = 8

    @nn.compact
    def __call__(self, x):
        w = self.param('kernel', nn.initializers.lecun_normal(), (x.shape[-1], self.features))
        b = self.param('bias', nn.initializers.zeros_init(), (self.features,))
        return jnp.tanh(x @ w + b)


class Setup(nn.Module):
    def setup(self):
        self.w = self.param('w', nn.initializers.xavier_uniform(), (16, 16))

    def __call__(self, x):
        return jnp.dot(x, self.w)


class NoInit(nn.Module):
    posemb_init: Callable

    @nn.compact
    def __call__(self, x):
        return x + self.param('pe', self.posemb_init, (1, x.shape[-1]))
'''


def test_self_param_is_a_parameter_drawn_from_its_initializer():
    units, skips = _units(PARAMS)
    assert {"AddPositionEmbs", "Inline", "Kernel", "Setup"} <= set(units), skips
    assert _drawn(units["AddPositionEmbs"], "P_pos").std() == pytest.approx(0.02, rel=0.05)
    assert not _drawn(units["Inline"], "P_cls").any()
    kernel = _drawn(units["Kernel"], "P_kernel")
    assert kernel.var() == pytest.approx(1 / 16, rel=0.05)  # fan_in: x's assumed width
    assert abs(kernel).max() <= 2 * math.sqrt(1 / 16) / 0.8796 + 1e-9  # truncated at ±2σ
    assert _drawn(units["Setup"], "P_w").var() == pytest.approx(2 / 32, rel=0.05)
    assert analyze(units["Kernel"].program).flow is not None


def test_self_param_of_an_initializer_the_file_does_not_give_is_not_measured():
    units, skips = _units(PARAMS)
    assert "NoInit" in units, skips
    notes = " | ".join(units["NoInit"].notes)
    assert "not measured" in notes and "posemb_init" in notes
    assert analyze(units["NoInit"].program).flow is None or "not measured" in notes


FACTORIES = '''
class Block(nn.Module):
    filters: int = 16
    conv: ModuleDef = nn.Conv

    @nn.compact
    def __call__(self, x, train: bool = True):
        conv = partial(self.conv, use_bias=False, dtype=jnp.float32)
        norm = partial(nn.BatchNorm, use_running_average=not train, momentum=0.9)
        y = conv(self.filters, (3, 3))(x)
        y = norm()(y)
        y = nn.relu(y)
        y = conv(self.filters, (3, 3), name='conv2')(y)
        return nn.relu(norm()(y) + x)


class Direct(nn.Module):
    @nn.compact
    def __call__(self, x):
        conv = partial(nn.Conv, features=8, kernel_size=(3, 3))
        return conv(use_bias=False)(nn.relu(conv()(x)))


class Mutable(nn.Module):
    norm_cls: ModuleDef = partial(nn.BatchNorm, momentum=0.9)

    @nn.compact
    def __call__(self, x):
        x = nn.Conv(8, (3, 3), use_bias=not self.norm_cls)(x)
        if self.norm_cls:
            mutable = self.is_mutable_collection('batch_stats')
            x = self.norm_cls(use_running_average=not mutable)(x)
        return nn.relu(x)


class ZeroScale(nn.Module):
    @nn.compact
    def __call__(self, x):
        y = nn.Dense(8)(x)
        return x + nn.LayerNorm(scale_init=nn.initializers.zeros_init())(y)
'''


def _weights(unit):
    return [d for d in unit.program.declarations if d.role == "param"]


def test_partial_layer_factories_build_the_layers_they_configure():
    units, skips = _units(FACTORIES)
    assert {"Block", "Direct", "Mutable"} <= set(units), skips
    block = [d.name for d in _weights(units["Block"])]
    assert len(block) == 2 and all(n.startswith("W_") for n in block)  # use_bias=False
    direct = [d.name for d in _weights(units["Direct"])]
    assert sum(n.startswith("W_") for n in direct) == 2 and sum(
        n.startswith("b_") for n in direct) == 1  # the second call overrides use_bias
    window = {d.name: d.range for d in _weights(units["Direct"]) if d.name.startswith("W_")}
    # a 3x3 kernel over 8 input channels of the second conv: fan_in 72
    assert any(float(hi) == pytest.approx(math.sqrt(3 / 72)) for _, hi in window.values())
    for name in ("Block", "Direct", "Mutable"):
        assert analyze(units[name].program).flow is not None, name


def test_is_mutable_collection_reads_the_training_step_and_a_factory_is_true():
    units, skips = _units(FACTORIES)
    assert "Mutable" in units, skips
    assert "is_mutable_collection" in " | ".join(units["Mutable"].notes)
    # `use_bias=not self.norm_cls`: the factory is set, so the conv has no bias
    assert [d.name[:2] for d in _weights(units["Mutable"])] == ["W_"]


def test_a_norm_scale_initialised_to_a_constant_is_read_as_that_constant():
    # scale_init=zeros_init(): γ = 0, the branch starts as zero (its Dense gets
    # no gradient, as JAX measures it); tests/models/test_norm_constants.py
    # checks the same law against torch
    units, skips = _units(FACTORIES)
    assert "ZeroScale" in units, skips
    notes = " | ".join(units["ZeroScale"].notes)
    assert "not measured" not in notes
    flow = analyze(units["ZeroScale"].program).flow
    assert flow.unreached == ("W_Dense_0",)


SEQUENCES = '''
class MLP(nn.Module):
    features: Sequence[int]

    @nn.compact
    def __call__(self, x):
        for feat in self.features[:-1]:
            x = nn.relu(nn.Dense(feat)(x))
        return nn.Dense(self.features[-1])(x)


class Stages(nn.Module):
    stage_sizes: Sequence[int]
    block_cls: ModuleDef
    num_filters: int = 8

    @nn.compact
    def __call__(self, x):
        for i, block_size in enumerate(self.stage_sizes):
            for j in range(block_size):
                x = self.block_cls(self.num_filters * 2 ** i)(x)
        return nn.Dense(10)(jnp.mean(x, axis=(1, 2)))


class Res(nn.Module):
    filters: int

    @nn.compact
    def __call__(self, x):
        return nn.relu(nn.Conv(self.filters, (3, 3))(x))


Stages18 = partial(Stages, stage_sizes=[2, 1], block_cls=Res)
'''


def test_a_sequence_field_without_a_default_is_read_as_typical_entries_and_said_so():
    units, skips = _units(SEQUENCES)
    assert "MLP" in units, skips
    assert len(_weights(units["MLP"])) == 6  # 3 Dense layers, weights and biases
    assert "field features: a sequence without a default, read as 3 entries" in " | ".join(
        units["MLP"].notes)


def test_the_files_own_construction_fills_the_fields_it_gives():
    units, skips = _units(SEQUENCES + "\nmodel = MLP(features=[8, 8, 8, 2])\n")
    assert "MLP" in units, skips
    notes = " | ".join(units["MLP"].notes)
    assert "built as the file builds it" in notes and "read as 3 entries" not in notes
    assert len(_weights(units["MLP"])) == 8


def test_a_top_level_partial_of_a_model_is_its_construction():
    units, skips = _units(SEQUENCES)
    assert "Stages" in units, skips
    assert "built as the file builds it" in " | ".join(units["Stages"].notes)
    convs = [d for d in _weights(units["Stages"]) if d.name.startswith("W_") and len(
        d.shape) == 2]
    assert len(convs) == 4  # three blocks (stage sizes [2, 1]) and the head


NAMES = '''
class Inner(nn.Module):
    width: int = 8

    @nn.compact
    def __call__(self, x):
        return nn.relu(nn.Dense(self.width)(x))


class Named(nn.Module):
    @nn.compact
    def __call__(self, x):
        x = nn.Conv(8, (3, 3))(x)
        x = nn.Dense(16)(x)
        x = nn.Dense(16, name='hidden')(x)
        x = nn.Dense(16)(x)
        block = Inner(4)
        return block(nn.Conv(8, (1, 1))(x))
'''


def test_layers_are_named_as_flax_names_them_and_a_block_keeps_its_arguments():
    units, skips = _units(NAMES)
    assert "Named" in units, skips
    labels = [row[0] for row in units["Named"].layers]
    assert labels == ["Conv_0", "Dense_0", "hidden", "Dense_1", "Conv_1", "Inner_0.Dense_0"]
    inner = [d for d in _weights(units["Named"]) if d.name.startswith("W_Inner")]
    assert inner and inner[0].shape[0] == 4  # Inner(4): its width, not the default 8


def test_a_name_written_as_an_f_string_and_a_repeated_tuple_field_are_read():
    units, skips = _units('''
class Stack(nn.Module):
    features: Sequence[int] = (8,) * 5

    @nn.compact
    def __call__(self, x):
        for i, f in enumerate(self.features):
            x = nn.tanh(nn.Dense(f, name=f"fc{i}")(x))
        return x
''')
    assert "Stack" in units, skips
    assert [row[0] for row in units["Stack"].layers] == [f"fc{i}" for i in range(5)]


MASKS = '''
class Pad(nn.Module):
    @nn.compact
    def __call__(self, x, pad):
        mask = nn.combine_masks(nn.make_attention_mask(pad > 0, pad > 0), None)
        y = nn.SelfAttention(num_heads=2)(x, mask=mask)
        causal = nn.make_causal_mask(pad)
        return nn.Dense(4)(nn.MultiHeadDotProductAttention(num_heads=2)(y, y, mask=causal))


class Tied(nn.Module):
    @nn.compact
    def __call__(self, ids):
        embed = nn.Embed(50, 16)
        return embed.attend(nn.Dense(16)(embed(ids)))
'''


def test_flax_mask_builders_are_masks_and_a_tied_output_layer_says_why():
    units, skips = _units(MASKS)
    assert "Pad" in units, skips
    assert len(units["Pad"].layers) == 5  # two attentions (value, out) and the head
    # the tied head is read drawn apart from the table: shown, not judged, the reason said
    # (test_flax_modes.py)
    assert "Tied" in units, skips
    [why] = units["Tied"].program.unmodelled
    assert "tied weights" in why and "embed.attend" in why
