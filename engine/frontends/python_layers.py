"""What the layers and ops of a model file mean, as the Python model reader
builds them: a table from a constructor or function name to the program it
stands for.

PyTorch, Flax and numpy models are written in the same few dozen layers
(``nn.Linear``, ``nn.Conv2d``, ``nn.LayerNorm``, ``nn.ReLU()``, ``F.gelu``...).
Each is read here as what it does to one feature vector (batch and
sequence axes are not modelled: ``view``/``reshape``/pooling are shape
operations), with the parameters it owns and the initialisation its
framework gives them (:mod:`chainlens.engine.health.init` knows the
distributions), so the measured gradient is the one the framework's user
would see at step 0.  Nothing here runs user code.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from chainlens.engine.core.ir import add, call, div, mul, neg, sub
from chainlens.engine.core.nodes import Node, num
from chainlens.engine.rules import ALIASES, COMPOSITIONS, MODULES, RULES

__all__ = ["LayerSpec", "layer_spec", "apply_op", "BINARY", "relu", "REDUCTIONS", "AXIS_CALLS",
           "ACTIVATION_LAYERS", "SHAPE_LAYERS", "NORM_LAYERS", "CONV_LAYERS", "SHAPE_METHODS",
           "RNN_GATES", "rnn_step", "OPS", "TENSOR_FLAGS", "SIZE_FIELDS", "LOSSES",
           "LOSS_PARAMETER", "loss", "spread", "l2_normalise", "glu"]

#: ``nn.<X>`` layers that change no value a gradient sees in this model
SHAPE_LAYERS = frozenset({
    "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "Identity", "Flatten",
    "Unflatten", "MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d",
    "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveMaxPool2d", "ReflectionPad2d",
    "ReplicationPad2d", "ZeroPad2d", "ConstantPad2d", "Upsample", "PixelShuffle",
    "Rearrange", "Reduce",  # einops layers: axes moved / pooled (feature width from the next layer)
})
NORM_LAYERS = frozenset({
    "LayerNorm", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "BatchNorm", "GroupNorm",
    "InstanceNorm1d",
    "InstanceNorm2d", "RMSNorm", "LocalResponseNorm",
})
CONV_LAYERS = {"Conv1d": 1, "Conv2d": 2, "Conv3d": 3, "ConvTranspose1d": 1,
               "ConvTranspose2d": 2, "ConvTranspose3d": 3, "Conv": 2}
#: recurrent layers read as one time step from a zero state: their gates
RNN_GATES = {"LSTM": 4, "GRU": 3, "RNN": 1, "LSTMCell": 4, "GRUCell": 3, "RNNCell": 1}
#: tensor methods that only move axes
SHAPE_METHODS = frozenset({
    "view", "reshape", "flatten", "transpose", "permute", "contiguous", "squeeze", "unsqueeze",
    "float", "double", "type_as", "to", "clone", "detach_", "expand", "expand_as", "view_as",
    "cuda", "cpu", "half", "t", "bfloat16", "unflatten", "movedim", "swapaxes", "repeat",
    "tile", "broadcast_to", "requires_grad_", "byte", "long", "int", "bool", "type",
    "repeat_interleave", "astype",
})
#: tensor attributes that describe where or how it is stored, not its values
TENSOR_FLAGS = frozenset({
    "is_cuda", "is_xpu", "is_mps", "is_cpu", "is_sparse", "is_quantized", "device", "dtype",
    "requires_grad", "is_leaf", "layout", "ndim", "is_contiguous",
})


def _silu(x: Node) -> Node:
    return mul(x, call("sigmoid", x))


def _leaky(x: Node, slope: float = 0.01) -> Node:
    return sub(call("relu", x), mul(num(Fraction(slope).limit_denominator(10**6)),
                                    call("relu", neg(x))))


def _elu(x: Node) -> Node:
    return add(call("relu", x), call("min", sub(call("exp", x), num(1)), num(0)))


def _log_softmax(x: Node) -> Node:
    return sub(x, call("logsumexp", x))


def _mish(x: Node) -> Node:
    return mul(x, call("tanh", call("softplus", x)))


def _hardtanh(x: Node) -> Node:
    return call("min", call("max", x, num(-1)), num(1))


def _relu6(x: Node) -> Node:
    return call("min", call("relu", x), num(6))


def _hardsigmoid(x: Node) -> Node:
    return div(_relu6(add(x, num(3))), num(6))


def _selu(x: Node) -> Node:
    scale, alpha = Fraction(10507, 10000), Fraction(16733, 10000)  # PyTorch's constants
    return mul(num(scale), add(call("relu", x),
                               mul(num(alpha), call("min", sub(call("exp", x), num(1)),
                                                    num(0)))))


#: element-wise / reducing functions by their last dotted name (``F.relu``,
#: ``torch.tanh``, ``x.tanh()``, ``nn.ReLU()``) -> builder of one argument
OPS: dict[str, Callable[[Node], Node]] = {
    "silu": _silu, "swish": _silu, "SiLU": _silu, "leaky_relu": _leaky, "LeakyReLU": _leaky,
    "elu": _elu, "ELU": _elu, "log_softmax": _log_softmax, "LogSoftmax": _log_softmax,
    "mish": _mish, "Mish": _mish, "Softmax": lambda x: call("softmax", x),
    "relu6": lambda x: call("min", call("relu", x), num(6)),
    "ReLU6": lambda x: call("min", call("relu", x), num(6)),
    "logsigmoid": lambda x: neg(call("softplus", neg(x))),
    "LogSigmoid": lambda x: neg(call("softplus", neg(x))),
    # PReLU at its initial slope (0.25; the slope's own gradient is not a layer)
    "PReLU": lambda x: _leaky(x, 0.25),
    "hardtanh": _hardtanh, "Hardtanh": _hardtanh,
    "hardsigmoid": _hardsigmoid, "Hardsigmoid": _hardsigmoid,
    "hardswish": lambda x: mul(x, _hardsigmoid(x)), "Hardswish": lambda x: mul(x, _hardsigmoid(x)),
    "softsign": lambda x: div(x, add(num(1), call("abs", x))),
    "Softsign": lambda x: div(x, add(num(1), call("abs", x))),
    "selu": _selu, "SELU": _selu,
    "tanhshrink": lambda x: sub(x, call("tanh", x)),
    "Tanhshrink": lambda x: sub(x, call("tanh", x)),
    "softmin": lambda x: call("softmax", neg(x)), "Softmin": lambda x: call("softmax", neg(x)),
}
for _name, _prim in MODULES.items():
    OPS.setdefault(_name, lambda x, p=_prim: call(p, x))
for _name in ("relu", "gelu", "sigmoid", "tanh", "softplus", "softmax", "exp", "log", "sqrt",
              "abs", "sin", "cos", "erf", "sum", "mean", "logsumexp", "log1p", "expm1"):
    if _name in RULES:
        OPS.setdefault(_name, lambda x, p=_name: call(p, x))

ACTIVATION_LAYERS = frozenset(n for n in OPS if n[:1].isupper())
#: calls that reduce a tensor to one number unless given an axis
REDUCTIONS = frozenset({"sum", "mean", "logsumexp", "norm"})
#: calls whose second positional argument is an axis, not a second operand
AXIS_CALLS = frozenset({"softmax", "log_softmax", "sum", "mean"})


def relu(x: Node) -> Node:
    """``np.maximum(0, x)``."""
    return call("relu", x)


#: normalisers over the last axis: of one number (attention read at one
#: position) softmax is 1 and log-softmax 0
_ONE_POSITION = {"softmax": 1, "Softmax": 1, "log_softmax": 0, "LogSoftmax": 0}


def apply_op(name: str, x: Node, scalar: bool = False, slope: float | None = None
             ) -> Node | None:
    """``name`` applied to ``x`` (``scalar``: x is one number; ``slope``: a
    leaky ReLU's negative slope), or None when ``name`` is no known op."""
    if scalar and name in _ONE_POSITION:
        return num(_ONE_POSITION[name])
    if slope is not None and name in ("LeakyReLU", "leaky_relu"):
        return _leaky(x, slope)
    build = OPS.get(name)
    if build is not None:
        return build(x)
    prim = ALIASES.get(name)
    if prim in RULES and RULES[prim].arity == 1:
        return call(prim, x)
    composed = COMPOSITIONS.get(name)
    if composed is not None and composed.arity == 1:
        return composed.build(x)
    return None


def logaddexp(a: Node, b: Node) -> Node:
    """``np.logaddexp(a, b)`` = log(e^a + e^b) = a + softplus(b - a): the
    stable form the softplus quick fix writes (``np.logaddexp(0, x)``)."""
    return add(a, call("softplus", sub(b, a)))


#: numpy/torch functions of two arguments that are compositions of primitives
BINARY = {"logaddexp": logaddexp}


def _smooth(d: Node, beta: float, huber: bool) -> Node:
    """SmoothL1 / Huber of a difference without a branch: with m = min(|d|, β),
    0.5·m²/β + |d| - m (SmoothL1) or 0.5·m² + β·(|d| - m) (Huber), which is
    0.5·d²/β (0.5·d²) inside β and |d| - 0.5β (β·(|d| - 0.5β)) outside."""
    b = num(Fraction(repr(float(beta))))
    size = call("abs", d)
    m = call("min", size, b)
    half = mul(num(Fraction(1, 2)), mul(m, m))
    if huber:
        return add(half, mul(b, sub(size, m)))
    return add(div(half, b), sub(size, m))


#: losses of an output and a target, per coordinate (reduced by ``reduction``:
#: mean by default, sum, or none): (a, b, parameter) -> node
POINTWISE = {
    "mse": lambda a, b, _: mul(sub(a, b), sub(a, b)),
    "l1": lambda a, b, _: call("abs", sub(a, b)),
    "smooth_l1": lambda a, b, beta: _smooth(sub(a, b), beta, huber=False),
    "huber": lambda a, b, delta: _smooth(sub(a, b), delta, huber=True),
    "bce": lambda p, t, _: neg(add(mul(t, call("log", p)),
                                   mul(sub(num(1), t), call("log", sub(num(1), p))))),
    "bce_logits": lambda z, t, _: sub(call("softplus", z), mul(t, z)),
}


def cross_entropy(logits: Node, target: Node) -> Node:
    """``-Σ t·log softmax(z)`` with ``t`` the target (a one-hot or
    probability vector, not differentiated)."""
    return sub(call("logsumexp", logits), call("sum", mul(target, logits)))


def nll(logp: Node, target: Node) -> Node:
    return neg(call("sum", mul(target, logp)))


#: class losses: one number per sample (over the class axis, whatever the reduction)
CLASS_LOSSES = {"cross_entropy": cross_entropy, "nll": nll}
#: every spelling (F.* function and nn.* layer) -> its POINTWISE or CLASS_LOSSES key,
#: and the keyword of its parameter with PyTorch's default
LOSSES = {"mse_loss": "mse", "MSELoss": "mse", "l1_loss": "l1", "L1Loss": "l1",
          "smooth_l1_loss": "smooth_l1", "SmoothL1Loss": "smooth_l1",
          "huber_loss": "huber", "HuberLoss": "huber",
          "binary_cross_entropy": "bce", "BCELoss": "bce",
          "binary_cross_entropy_with_logits": "bce_logits", "BCEWithLogitsLoss": "bce_logits",
          "cross_entropy": "cross_entropy", "CrossEntropyLoss": "cross_entropy",
          "nll_loss": "nll", "NLLLoss": "nll"}
LOSS_PARAMETER = {"smooth_l1": ("beta", 1.0), "huber": ("delta", 1.0)}


def loss(kind: str, a: Node, b: Node, reduction: str | None = None, parameter=None):
    """The loss ``kind`` (a LOSSES value) of output ``a`` against target ``b``:
    (node, is_scalar).  ``reduction='none'`` keeps a pointwise loss per
    coordinate; a class loss is one number per sample either way."""
    if kind in CLASS_LOSSES:
        return CLASS_LOSSES[kind](a, b), True
    default = LOSS_PARAMETER.get(kind, (None, 1.0))[1]
    value = parameter if isinstance(parameter, int | float) and not isinstance(
        parameter, bool) and parameter > 0 else default
    each = POINTWISE[kind](a, b, value)
    if reduction == "none":
        return each, False
    return call("sum" if reduction == "sum" else "mean", each), True  # PyTorch: mean


@dataclass(frozen=True)
class LayerSpec:
    """A layer constructor read from ``__init__``: its kind (``linear``,
    ``conv``, ``embedding``, ``norm``, ``act``, ``shape``, ``loss``), the
    sizes that matter and the framework default initialisation."""

    kind: str
    ctor: str
    fan_in: int | None = None
    fan_out: int | None = None
    window: int = 1  # conv: kernel elements (k**d)
    bias: bool = True
    op: str | None = None  # act: the OPS key; loss: the POINTWISE / CLASS_LOSSES key
    framework: str = "torch"  # torch | flax
    norm_first: bool = False  # a transformer layer: pre-norm
    slope: float | None = None  # LeakyReLU's negative slope; a loss's beta / delta
    reduction: str | None = None  # a loss: "sum", "none", else the mean
    depth: tuple = ()  # nn.Transformer / TransformerDecoder: (encoder, decoder) layers
    final_norm: bool = False  # ... ending in a LayerNorm
    kernel: tuple = ()  # a torch conv: its kernel_size as torch keeps it, when written


def layer_spec(ctor: str, args: list, kwargs: dict, framework: str = "torch") -> LayerSpec | None:
    """The spec of ``nn.<ctor>(*args, **kwargs)`` with constant arguments
    already evaluated (None for a size that is not known), or None when
    ``ctor`` is no layer this reader models."""
    def arg(i: int, *names: str, default=None):
        for n in names:
            if n in kwargs:
                return kwargs[n]
        return args[i] if i < len(args) else default

    if ctor == "Linear" and framework == "nnx":  # nnx.Linear(in, out): LeCun-normal, zero bias
        return LayerSpec("linear", ctor, arg(0, "in_features"), arg(1, "out_features"),
                         bias=bool(kwargs.get("use_bias", True)), framework="flax")
    if ctor in ("Linear", "LazyLinear", "Bilinear"):
        return LayerSpec("linear", ctor, arg(0, "in_features"), arg(1, "out_features"),
                         bias=bool(arg(2, "bias", default=True)))
    if ctor == "DenseGeneral":  # flax: features (h, d) -> one axis of h·d; axis=(-2, -1) in
        feats, axis = arg(0, "features"), kwargs.get("axis", -1)
        width = math.prod(feats) if isinstance(feats, tuple) and all(
            isinstance(f, int) for f in feats) else feats if isinstance(feats, int) else None
        if kwargs.get("batch_dims") or not (axis == -1 or axis == (-2, -1) or axis is None):
            return None  # batched kernels / other contractions: not one linear map per vector
        return LayerSpec("linear", ctor, None, width, bias=kwargs.get("use_bias") is not False,
                         framework="flax")
    if ctor == "Dense":  # flax: Dense(features); the fan-in comes from the input
        return LayerSpec("linear", ctor, None, arg(0, "features"),
                         bias=bool(kwargs.get("use_bias", True)), framework="flax")
    if ctor in CONV_LAYERS:
        if framework == "nnx":  # nnx.Conv(in_features, out_features, kernel_size)
            k = arg(2, "kernel_size", default=1)
            return LayerSpec("conv", ctor, arg(0, "in_features"), arg(1, "out_features"),
                             window=_window(k, CONV_LAYERS[ctor]),
                             bias=bool(kwargs.get("use_bias", True)), framework="flax")
        if framework == "flax":
            k = arg(1, "kernel_size", default=1)
            k = k[0] if isinstance(k, tuple) and k else k
            return LayerSpec("conv", ctor, None, arg(0, "features"),
                             window=_window(k, CONV_LAYERS[ctor]), framework="flax",
                             bias=kwargs.get("use_bias") is not False)
        k = arg(2, "kernel_size", default=1)
        return LayerSpec("conv", ctor, arg(0, "in_channels"), arg(1, "out_channels"),
                         window=_window(k, CONV_LAYERS[ctor]),
                         bias=bool(arg(7, "bias", default=True)),
                         kernel=_kernel(k, CONV_LAYERS[ctor]))
    if ctor == "Embedding":
        return LayerSpec("embedding", ctor, arg(0, "num_embeddings"), arg(1, "embedding_dim"))
    if ctor == "Embed":  # linen and nnx: Embed(num_embeddings, features)
        return LayerSpec("embedding", ctor, arg(0, "num_embeddings"), arg(1, "features"),
                         framework="flax")
    if ctor == "TransformerEncoderLayer":
        act = arg(4, "activation", default="relu")
        return LayerSpec("encoder", ctor, arg(0, "d_model"), arg(2, "dim_feedforward",
                                                                default=2048),
                         bias=bool(arg(8, "bias", default=True)),
                         op=act if act in ("relu", "gelu") else "relu",
                         norm_first=bool(arg(7, "norm_first", default=False)))
    if ctor in ("TransformerDecoderLayer", "Transformer"):
        return _transformer_spec(ctor, arg, len(args), kwargs)
    if ctor == "MultiheadAttention":
        return LayerSpec("attention", ctor, arg(0, "embed_dim"), arg(0, "embed_dim"),
                         bias=bool(arg(3, "bias", default=True)))
    if ctor in RNN_GATES:
        return LayerSpec("rnn", ctor, arg(0, "input_size"), arg(1, "hidden_size"),
                         framework="torch-rnn")
    if ctor in NORM_LAYERS:
        return LayerSpec("norm", ctor, None, None)
    if ctor in SHAPE_LAYERS:
        return LayerSpec("shape", ctor)
    if ctor == "LeakyReLU":  # nn.LeakyReLU(0.2): its slope, not the default 0.01
        slope = arg(0, "negative_slope", default=0.01)
        return LayerSpec("act", ctor, op=ctor,
                         slope=slope if isinstance(slope, int | float) else 0.01)
    if ctor in ACTIVATION_LAYERS:
        return LayerSpec("act", ctor, op=ctor)
    if ctor in LOSSES:  # nn.SmoothL1Loss(reduction='none', beta=0.5)
        key = LOSS_PARAMETER.get(LOSSES[ctor], (None,))[0]
        return LayerSpec("loss", ctor, op=LOSSES[ctor], reduction=kwargs.get("reduction"),
                         slope=kwargs.get(key) if key else None)
    return None


def _transformer_spec(ctor: str, arg, given: int, kwargs: dict) -> LayerSpec | None:
    """``nn.TransformerDecoderLayer(d_model, nhead, dim_feedforward=2048, ...)`` or
    ``nn.Transformer(d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6,
    dim_feedforward=2048, ...)`` at PyTorch's defaults; None for an activation
    other than relu/gelu or a custom encoder/decoder."""
    whole = ctor == "Transformer"  # its two counts come before dim_feedforward
    act = arg(6 if whole else 4, "activation", default="relu")
    custom = given > 7 or "custom_encoder" in kwargs or "custom_decoder" in kwargs
    if act not in ("relu", "gelu") or (whole and custom):
        return None
    d = arg(0, "d_model", default=512 if whole else None)
    ff = arg(4 if whole else 2, "dim_feedforward", default=2048)
    depth = (arg(2, "num_encoder_layers", default=6), arg(3, "num_decoder_layers", default=6))
    if whole and not all(n is None or (isinstance(n, int) and 0 <= n <= 64) for n in depth):
        return None  # None: a count the file does not fix (read as UNROLLED_STEPS, said)
    return LayerSpec("transformer" if whole else "decoder", ctor, d, ff,
                     bias=bool(arg(12 if whole else 8, "bias", default=True)), op=act,
                     norm_first=bool(arg(11 if whole else 7, "norm_first", default=False)),
                     depth=depth if whole else (), final_norm=whole)


#: ``self.fc.out_features`` and the like: the LayerSpec field holding the
#: size the constructor was given
SIZE_FIELDS = {"in_features": "fan_in", "in_channels": "fan_in", "input_size": "fan_in",
               "num_embeddings": "fan_in", "embed_dim": "fan_out", "out_features": "fan_out",
               "out_channels": "fan_out", "hidden_size": "fan_out", "embedding_dim": "fan_out",
               "features": "fan_out"}


def _kernel(k, dims: int) -> tuple:
    """``m.kernel_size`` as torch keeps it (``3`` -> ``(3, 3)``); () when a
    side is not written."""
    sides = tuple(k) if isinstance(k, tuple) else (k,) * dims
    ok = len(sides) == dims and all(isinstance(v, int) and not isinstance(v, bool) and v > 0
                                    for v in sides)
    return sides if ok else ()


def _window(k, dims: int) -> int:
    if isinstance(k, tuple):
        return math.prod(int(v) for v in k if isinstance(v, int)) or 1
    return int(k) ** dims if isinstance(k, int) else 1


def rnn_step(z: list[Node]):
    """One step of a recurrent layer from a zero state, from its gates'
    pre-activations: LSTM (i, f, g, o) gives ``(c, h_of(c))`` with
    c = σ(i)·tanh(g), h = σ(o)·tanh(c); GRU (r, z, n) ``(None, (1 - σ(z))·tanh(n))``;
    a plain RNN ``(None, tanh(a))``."""
    if len(z) == 4:
        cell = mul(call("sigmoid", z[0]), call("tanh", z[2]))
        return cell, lambda c: mul(call("sigmoid", z[3]), call("tanh", c))
    if len(z) == 3:
        return None, mul(sub(num(1), call("sigmoid", z[1])), call("tanh", z[2]))
    return None, call("tanh", z[0])


def lstm_carry(forget: Node, c_prev: Node, cell: Node) -> Node:
    """An LSTM cell given a state: c = σ(f)·c_prev + ``cell`` (σ(i)·tanh(g))."""
    return add(mul(call("sigmoid", forget), c_prev), cell)


def gru_cell(xi: list[Node], hh: list[Node], h_prev: Node) -> Node:
    """``nn.GRUCell(x, h)`` as PyTorch computes it, from the input and hidden
    pre-activations of its (r, z, n) gates: r, z = σ(W_i x + W_h h),
    n = tanh(W_in x + r·(W_hn h + b_hn)), h' = (1 - z)·n + z·h."""
    r = call("sigmoid", add(xi[0], hh[0]))
    z = call("sigmoid", add(xi[1], hh[1]))
    n = call("tanh", add(xi[2], mul(r, hh[2])))
    return add(mul(sub(num(1), z), n), mul(z, h_prev))


def spread(x: Node, kind: str, n: int, correction: int = 0) -> Node:
    """``x.var()`` / ``x.std()`` over the feature axis of width ``n``: the
    mean squared deviation, times n / (n - correction) (PyTorch's default
    correction is 1, NumPy's and JAX's ddof 0), its square root for std."""
    u = sub(x, call("mean", x))
    var = call("mean", mul(u, u))
    if correction and n > correction:
        var = mul(num(Fraction(n, n - correction)), var)
    return call("sqrt", var) if kind == "std" else var


def glu(a: Node, b: Node) -> Node:
    """``F.glu``: the first half gated by the sigmoid of the second, a·σ(b)."""
    return mul(a, call("sigmoid", b))


def l2_normalise(x: Node) -> Node:
    """``F.normalize(x, dim=-1)``: x / ‖x‖ over the feature axis (its gradient
    is the projection off x, scaled by 1/‖x‖, not the identity)."""
    return div(x, call("sqrt", call("sum", mul(x, x))))


def normalise(x: Node, gain: Node | None, shift: Node | None) -> Node:
    """Layer/batch normalisation of one feature vector:
    ``(x - mean x) / sqrt(var x + 1e-5)``, then the affine part."""
    u = sub(x, call("mean", x))
    y = div(u, call("sqrt", add(call("mean", mul(u, u)), num(Fraction(1, 100000)))))
    if gain is not None:
        y = mul(y, gain)
    if shift is not None:
        y = add(y, shift)
    return y
