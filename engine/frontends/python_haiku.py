"""Haiku modules as their users write them: ``class Block(hk.Module)`` whose
``__call__`` builds its layers where it uses them (``hk.Linear(256)(x)``,
``hk.nets.MLP([64, 10])``, ``hk.LayerNorm(axis=-1, create_scale=True,
create_offset=True)``, ``hk.Sequential([...])``, ``hk.Flatten()``), read as a
Flax compact ``__call__`` is, at Haiku's own defaults (``haiku/_src/basic.py``,
``initializers.py``):

* ``hk.Linear(output_size, with_bias=True, w_init=None, b_init=None)``: the
  kernel a normal of stddev 1/√fan_in truncated at ±2 stddev (not rescaled,
  unlike ``VarianceScaling``), the bias zeros; ``hk.Conv1D/2D/3D`` the same
  over fan_in = kernel elements × input channels; ``hk.nets.MLP(output_sizes,
  activation=jax.nn.relu, activate_final=False)`` is such Linears with the
  activation between them;
* ``hk.LayerNorm``: ``eps`` 1e-5, scale ones and offset zeros; ``hk.BatchNorm``
  and ``hk.GroupNorm`` read, their verdict "not judged" (batch statistics);
* ``hk.Embed``: rows TruncatedNormal(stddev=1) cut at ±2, variance 0.7737;
* ``hk.initializers.TruncatedNormal(stddev=1.0, mean=0.0)``,
  ``RandomNormal``, ``RandomUniform(minval=0.0, maxval)``, ``Constant``,
  ``VarianceScaling(scale, mode, distribution)`` (its truncated normal
  rescaled by 0.8796.. as JAX's): the same laws as Flax's initializers
  (:mod:`python_flax_init`); anything else is "not modelled", never a guess;
* ``hk.MultiHeadAttention`` at one position (``out(value(v))``, as Flax's is
  read), its maps drawn by ``w_init`` (or ``VarianceScaling(w_init_scale)``);
* ``hk.get_parameter(name, shape, init=...)`` in ``__call__``: a weight at
  its init (the same name in the same module is the same weight);
* ``hk.dropout(rng, rate, x)``: ``x`` (evaluation), ``hk.next_rng_key()``: a key.

Every other ``hk.*`` is refused with its name, so no Haiku call ever falls
through to the PyTorch constructor table (``hk.Linear(out)`` is not
``nn.Linear(in, out)``).  Nothing here runs user code.
"""

from __future__ import annotations

import ast

from chainlens.engine.frontends.python_flax_init import FlaxInit, init_call, param_law
from chainlens.engine.frontends.python_layers import LayerSpec
from chainlens.engine.frontends.python_values import (
    Const,
    Items,
    Layer,
    Mod,
    Param,
    Ref,
    Seq,
    Tup,
    Unknown,
)

__all__ = ["HAIKU", "is_haiku", "haiku_call", "haiku_function", "is_parameter"]

#: the names a file imports Haiku by (``import haiku as hk``)
HAIKU = frozenset({"hk", "haiku"})
#: the Haiku activation default of ``hk.nets.MLP``
_RELU = Ref(("jax", "nn", "relu"))
#: (positional names, defaults) of the Haiku initializers chainlens models
_INITIALIZERS = {
    "TruncatedNormal": (("stddev", "mean", "lower", "upper"),
                        {"stddev": 1.0, "mean": 0.0, "lower": -2.0, "upper": 2.0}),
    "RandomNormal": (("stddev", "mean"), {"stddev": 1.0, "mean": 0.0}),
    "RandomUniform": (("minval", "maxval"), {"minval": 0.0, "maxval": 1.0}),
    "Constant": (("constant",), {}),
    "VarianceScaling": (("scale", "mode", "distribution"),
                        {"scale": 1.0, "mode": "fan_in", "distribution": "truncated_normal"}),
}


def is_haiku(value) -> bool:
    return isinstance(value, Ref) and bool(value.path) and value.path[0] in HAIKU


def _given(names: tuple, defaults: dict, args: list, kwargs: dict) -> dict | None:
    """The arguments by name, with the defaults; None when one is not a
    written constant or not a parameter of the call."""
    given = dict(defaults)
    for key, v in zip(names, args, strict=False):
        given[key] = v
    given.update(kwargs)
    out = {}
    for key, v in given.items():
        if isinstance(v, Const):
            v = v.value
        if key not in names or isinstance(v, Unknown | Ref) or v is None:
            return None
        out[key] = v
    return out


def _number(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def initializer(name: str, args: list, kwargs: dict, words: str) -> FlaxInit:
    """``hk.initializers.<name>(*args, **kwargs)`` as the law of the same
    name in JAX (a :class:`FlaxInit`), or "not modelled"."""
    if name not in _INITIALIZERS or len(args) > len(_INITIALIZERS[name][0]):
        return FlaxInit(None, (), words)
    given = _given(*_INITIALIZERS[name], args, kwargs)
    if given is None or len(given) < len(_INITIALIZERS[name][0]):
        return FlaxInit(None, (), words)
    if name == "VarianceScaling":
        if not _number(given["scale"]) or given["mode"] not in (
                "fan_in", "fan_out", "fan_avg") or given["distribution"] not in (
                "truncated_normal", "normal", "uniform"):
            return FlaxInit(None, (), words)
        return FlaxInit("scaling", tuple(sorted(given.items())), words)
    if not all(_number(v) for v in given.values()):
        return FlaxInit(None, (), words)
    if name == "Constant":
        return FlaxInit("const", (("value", float(given["constant"])),), words)
    if name == "RandomUniform" and given["minval"] == 0:  # U[0, maxval): Flax's uniform(scale)
        return FlaxInit("uniform", (("scale", float(given["maxval"])),), words)
    if given.get("mean", 0.0) != 0:
        return FlaxInit(None, (), words)
    if name == "RandomNormal":
        return FlaxInit("normal", (("stddev", float(given["stddev"])),), words)
    if name == "TruncatedNormal":  # Haiku cuts at lower·stddev, upper·stddev, never rescales
        return FlaxInit("trunc", (("lower", float(given["lower"])),
                                  ("stddev", float(given["stddev"])),
                                  ("upper", float(given["upper"]))), words)
    return FlaxInit(None, (), words)


def _size(v):
    v = v.value if isinstance(v, Const) else v
    return v if _number(v) and isinstance(v, int) and v > 0 else None


def _linear(reader, out, kwargs: dict, node: ast.Call, label: str, with_inits):
    """``hk.Linear(output_size, with_bias=True, w_init=None, b_init=None)``:
    its fan-in is the input's; given initializers are recorded as the
    file's own by ``with_inits``
    (:func:`~chainlens.engine.frontends.python_flax.flax_layer`)."""
    from_init = {}
    for key, flax_key in (("w_init", "kernel_init"), ("b_init", "bias_init")):
        v = kwargs.get(key)
        if v is not None and not (isinstance(v, Const) and v.value is None):
            from_init[flax_key] = v
    bias = kwargs.get("with_bias", Const(True))
    if not isinstance(bias, Const):
        return Unknown(f"`with_bias` of {label} is a flag chainlens cannot see")
    spec = LayerSpec("linear", "Linear", None, _size(out), bias=bool(bias.value),
                     framework="haiku")
    layer = Layer(spec, label, reader.offsets.span(node))
    return with_inits(layer, from_init, reader) if from_init else layer


#: Haiku's convolutions and their spatial axes
_CONVS = {"Conv1D": 1, "Conv2D": 2, "Conv3D": 3}
#: hk.ConvND's parameters after output_channels, kernel_shape, in order
_CONV_ARGS = ("stride", "rate", "padding", "with_bias", "w_init", "b_init", "data_format",
              "mask", "feature_group_count")


def _conv(reader, name: str, args: list, kwargs: dict, node: ast.Call, label: str, with_inits):
    """``hk.Conv2D(output_channels, kernel_shape, stride=1, rate=1, padding='SAME',
    with_bias=True, w_init=None, b_init=None)``: a linear map over a window of
    kernel elements × input channels, the kernel TruncatedNormal(1/√fan_in)
    with fan_in that product (Haiku's default), the bias zeros; a dilation
    (``rate``) other than 1 or a channels-first layout is not modelled."""
    given = dict(zip(("output_channels", "kernel_shape", *_CONV_ARGS), args, strict=False))
    given.update(kwargs)
    out, kernel = _size(given.get("output_channels")), given.get("kernel_shape")
    dims = _CONVS[name]
    if isinstance(kernel, Const) and _size(kernel) is not None:
        window = kernel.value ** dims
    elif isinstance(kernel, Tup | Items) and kernel.items and all(
            _size(k) is not None for k in kernel.items):
        window = 1
        for k in kernel.items:
            window *= k.value
    else:
        return Unknown(f"the kernel_shape of {label} is not written in the file")
    rate = given.get("rate", Const(1))
    layout = given.get("data_format", Const("channels_last"))
    groups = given.get("feature_group_count", Const(1))
    last = isinstance(layout, Const) and isinstance(layout.value, str) and (
        layout.value == "channels_last" or (layout.value[:1] == "N" and layout.value[-1:] == "C"))
    if not (isinstance(rate, Const) and rate.value in (1, (1,) * dims)) or not last:
        return Unknown(f"{label}: a dilated or channels-first hk.{name} is not modelled")
    if not (isinstance(groups, Const) and groups.value == 1) or "mask" in given:
        return Unknown(f"{label}: a grouped or masked hk.{name} is not modelled")
    bias = given.get("with_bias", Const(True))
    if not isinstance(bias, Const):
        return Unknown(f"`with_bias` of {label} is a flag chainlens cannot see")
    spec = LayerSpec("conv", name, None, out, window=window, bias=bool(bias.value),
                     framework="haiku")
    layer = Layer(spec, label, reader.offsets.span(node))
    inits = {flax_key: given[key] for key, flax_key in (("w_init", "kernel_init"),
                                                         ("b_init", "bias_init"))
             if key in given and not (isinstance(given[key], Const) and given[key].value is None)}
    return with_inits(layer, inits, reader) if inits else layer


def _mlp(reader, args: list, kwargs: dict, node: ast.Call, label: str, with_inits):
    """``hk.nets.MLP(output_sizes, w_init=None, b_init=None, with_bias=True,
    activation=jax.nn.relu, activate_final=False)``: Linear layers, the
    activation after each but the last (and after it with activate_final)."""
    sizes = args[0] if args else kwargs.get("output_sizes")
    if not isinstance(sizes, Items | Tup) or not sizes.items:
        return Unknown(f"the output_sizes of {label} are not written in the file")
    act = kwargs.get("activation", args[4] if len(args) > 4 else _RELU)
    final = kwargs.get("activate_final", args[5] if len(args) > 5 else Const(False))
    if not isinstance(act, Ref) or not isinstance(final, Const) or any(
            isinstance(v, Unknown) for v in args[1:4]):
        return Unknown(f"the activation of {label} is not one chainlens can see")
    given = {k: v for k, v in kwargs.items() if k in ("w_init", "b_init", "with_bias")}
    for key, v in zip(("w_init", "b_init", "with_bias"), args[1:4], strict=False):
        given[key] = v
    items: list = []
    for i, out in enumerate(sizes.items):
        layer = _linear(reader, out, given, node, f"{label}.linear_{i}", with_inits)
        if isinstance(layer, Unknown):
            return layer
        items.append(layer)
        if i < len(sizes.items) - 1 or final.value:
            items.append(act)
    return Seq(items, label)


def _layer_norm(reader, args: list, kwargs: dict, node: ast.Call, label: str):
    """``hk.LayerNorm(axis, create_scale, create_offset, eps=1e-5, scale_init=None,
    offset_init=None)`` over the last axis: the scale ones, the offset zeros
    (any other init leaves the model "not measured")."""
    axis = kwargs.get("axis", args[0] if args else None)
    axis = axis.value if isinstance(axis, Const) else (
        tuple(a.value for a in axis.items if isinstance(a, Const))
        if isinstance(axis, Tup | Items) else axis)
    if axis not in (-1, (-1,), [-1]):
        return Unknown(f"{label} normalises over axis {axis!r}, not the features alone")
    eps = kwargs.get("eps", args[3] if len(args) > 3 else Const(1e-5))
    if not (isinstance(eps, Const) and _number(eps.value) and abs(eps.value - 1e-5) <= 1e-6):
        return Unknown(f"{label} has an eps other than 1e-5, which chainlens does not model")
    layer = Layer(LayerSpec("norm", "LayerNorm", framework="haiku"), label,
                  reader.offsets.span(node))
    _norm_inits(reader, kwargs, label)
    return layer


def _attention(reader, args: list, kwargs: dict, node: ast.Call, label: str):
    """``hk.MultiHeadAttention(num_heads, key_size, w_init_scale=None, *,
    w_init=None, with_bias=True, b_init=None, value_size=None,
    model_size=None)`` called ``attn(query, key, value, mask=None)``, read at
    one position as Flax's and PyTorch's attention are: the softmax over one
    key is 1, so the output is ``out(value(v))``, a value map of
    num_heads·value_size and an output map of model_size (default
    key_size·num_heads), both drawn by ``w_init`` (``VarianceScaling(
    w_init_scale)`` when only that is given, as Haiku does), biases zeros or
    ``b_init``; query and key get no gradient."""
    given = dict(zip(("num_heads", "key_size", "w_init_scale"), args, strict=False))
    given.update(kwargs)
    heads, key = _size(given.get("num_heads")), _size(given.get("key_size"))
    value = _size(given.get("value_size")) or key
    width = heads * value if heads and value else None
    model = _size(given.get("model_size")) or (heads * key if heads and key else None)
    # None: num_heads·key_size of fields the file never fills, read at the query's
    # width (said with the widths the file does not write)
    init = given.get("w_init")
    if init is None or isinstance(init, Const) and init.value is None:
        scale = given.get("w_init_scale")
        if not (isinstance(scale, Const) and _number(scale.value) and scale.value > 0):
            return Unknown(f"{label}: an hk.MultiHeadAttention without a weight initializer")
        init = FlaxInit("scaling", (("distribution", "truncated_normal"), ("mode", "fan_in"),
                                    ("scale", float(scale.value))),
                        f"VarianceScaling({scale.value}) (w_init_scale)")
    bias = given.get("with_bias", Const(True))
    if not isinstance(bias, Const):
        return Unknown(f"`with_bias` of {label} is a flag chainlens cannot see")
    # Flax's reading of attention at one position (python_flax.flax_attention),
    # with every Dense map given Haiku's initializers
    spec = LayerSpec("attention", "MultiHeadAttention", width, model,
                     bias=bool(bias.value), framework="flax")
    layer = Layer(spec, label, reader.offsets.span(node))
    layer.init = {"weight": init_call(init if isinstance(init, FlaxInit) else FlaxInit(
        None, (), "w_init"))}
    b_init = given.get("b_init")
    if b_init is not None and not (isinstance(b_init, Const) and b_init.value is None):
        layer.init["bias"] = init_call(b_init if isinstance(b_init, FlaxInit) else FlaxInit(
            None, (), "b_init"))
    return layer


def _embed(reader, args: list, kwargs: dict, node: ast.Call, label: str, with_inits):
    """``hk.Embed(vocab_size, embed_dim, embedding_matrix=None, w_init=None)``:
    a table of rows TruncatedNormal(stddev=1) cut at ±2 (Haiku's default,
    variance 0.7737), or the given ``w_init``; a given ``embedding_matrix``
    (pretrained values) is not read."""
    given = dict(zip(("vocab_size", "embed_dim", "embedding_matrix", "w_init"), args,
                     strict=False))
    given.update(kwargs)
    matrix = given.get("embedding_matrix")
    if matrix is not None and not (isinstance(matrix, Const) and matrix.value is None):
        return Unknown(f"{label}: an hk.Embed of a given embedding_matrix is not read")
    spec = LayerSpec("embedding", "Embed", _size(given.get("vocab_size")),
                     _size(given.get("embed_dim")), framework="haiku")
    layer = Layer(spec, label, reader.offsets.span(node))
    init = given.get("w_init")
    if init is not None and not (isinstance(init, Const) and init.value is None):
        return with_inits(layer, {"embedding_init": init}, reader)
    return layer


def _norm_inits(reader, kwargs: dict, label: str) -> None:
    """A norm's ``scale_init``/``offset_init`` other than Haiku's ones/zeros is
    an init chainlens does not model (the flow is then not measured)."""
    for key in ("scale_init", "offset_init"):
        v = kwargs.get(key)
        if v is not None and not (isinstance(v, Const) and v.value is None):
            reader._init_unmodelled(f"{label}.{key.split('_')[0]} with "
                                    f"`{getattr(v, 'words', key)}`")


def _batch_norm(reader, name: str, kwargs: dict, node: ast.Call, label: str):
    """``hk.BatchNorm(create_scale, create_offset, decay_rate)`` (called
    ``bn(x, is_training)``) and ``hk.GroupNorm(groups)``: normalised over the
    batch or a group's positions as Haiku trains them, which one sample read
    at one position is not, so the model's flow is shown but not judged
    (as ``nn.BatchNorm`` is, :mod:`python_apply`)."""
    layer = Layer(LayerSpec("norm", name, framework="haiku"), label, reader.offsets.span(node))
    _norm_inits(reader, kwargs, label)
    return layer


def is_parameter(func) -> bool:
    """``hk.get_parameter``: a weight made where it is used, in ``__call__``."""
    return is_haiku(func) and func.path[-1] == "get_parameter" and len(func.path) == 2


#: array constructors a file gives as an initializer (``init=jnp.zeros``)
_FILLS = {"zeros": 0.0, "ones": 1.0}


def _parameter(reader, args: list, kwargs: dict, mod, node: ast.Call, label: str):
    """``hk.get_parameter(name, shape, dtype=None, init=None)``: a weight of
    that shape drawn by ``init`` (a Haiku initializer, ``jnp.zeros``/
    ``jnp.ones``), with JAX's fans of a matrix (in, out); the same name in
    the same module is the same weight (Haiku returns it again)."""
    given = dict(zip(("name", "shape", "dtype", "init"), args, strict=False))
    given.update(kwargs)
    name, shape, init = given.get("name"), given.get("shape"), given.get("init")
    if not (isinstance(name, Const) and isinstance(name.value, str)) or not isinstance(
            shape, Tup | Items) or not isinstance(mod, Mod):
        return Unknown(f"{label}: hk.get_parameter(...) of a name or shape chainlens cannot "
                       "see")
    key = f"<param:{name.value}>"
    if key in mod.attrs:
        return mod.attrs[key]
    if isinstance(init, Ref) and init.path[-1] in _FILLS and init.path[0] in (
            "jnp", "np", "numpy", "jax"):
        init = FlaxInit("const", (("value", _FILLS[init.path[-1]]),), ".".join(init.path))
    if not isinstance(init, FlaxInit):
        init = FlaxInit(None, (), ast.unparse(node)[:40] if init is None else
                        f"init={getattr(init, 'path', [type(init).__name__])[-1]}")
    dims = tuple(d.value if isinstance(d, Const) and _size(d) is not None else None
                 for d in shape.items)
    param = Param(name.value, dims, param_law(init, dims, name.value), name.value,
                  reader.offsets.span(node))
    mod.attrs[key] = param
    return param


def haiku_call(reader, func: Ref, node: ast.Call, env: dict, mod, label: str, with_inits):
    """What ``hk.<name>(...)`` builds where a layer is made (``__init__``,
    or inline in ``__call__``): a layer, an initializer, a stack, or
    :class:`Unknown` with the construct's name; ``with_inits(layer, kwargs,
    reader)`` records a layer's given initializers (Flax's ``flax_layer``)."""
    name = func.path[-1]
    args = [reader._value(a, env, mod, label if name == "Sequential" else f"{label}.{i}")
            for i, a in enumerate(node.args) if not isinstance(a, ast.Starred)]
    kwargs = {k.arg: reader._value(k.value, env, mod, f"{label}.{k.arg}")
              for k in node.keywords if k.arg}
    kwargs.pop("name", None)
    where = ".".join(func.path)
    if len(args) < len(node.args) or any(k.arg is None for k in node.keywords):
        return Unknown(f"{where}(*...) of arguments chainlens cannot count")
    if "initializers" in func.path[:-1]:
        return initializer(name, args, kwargs, ast.unparse(node)[:60])
    if is_parameter(func):
        return _parameter(reader, args, kwargs, mod, node, label)
    if name == "Linear" and len(func.path) == 2:
        out = args[0] if args else kwargs.pop("output_size", None)
        kwargs.update(zip(("with_bias", "w_init", "b_init"), args[1:], strict=False))
        return _linear(reader, out, kwargs, node, label, with_inits)
    if name in _CONVS and len(func.path) == 2:
        return _conv(reader, name, args, kwargs, node, label, with_inits)
    if name == "MLP" and func.path[-2] == "nets":
        return _mlp(reader, args, kwargs, node, label, with_inits)
    if name == "LayerNorm" and len(func.path) == 2:
        return _layer_norm(reader, args, kwargs, node, label)
    if name == "MultiHeadAttention" and len(func.path) == 2:
        return _attention(reader, args, kwargs, node, label)
    if name == "Embed" and len(func.path) == 2:
        return _embed(reader, args, kwargs, node, label, with_inits)
    if name in ("BatchNorm", "GroupNorm") and len(func.path) == 2:
        return _batch_norm(reader, name, kwargs, node, label)
    if name == "Flatten" and len(func.path) == 2:
        return Layer(LayerSpec("shape", "Flatten", framework="haiku"), label,
                     reader.offsets.span(node))
    if name == "Sequential" and len(func.path) == 2 and len(args) == 1 and isinstance(
            args[0], Items | Tup):
        return Seq(list(args[0].items), label)
    return Unknown(f"{where}(...) is a Haiku construct chainlens does not model")


def haiku_function(func, args: list, kwargs: dict):
    """A Haiku function called in ``__call__``: ``hk.dropout(rng, rate, x)``
    is ``x`` (evaluation, as PyTorch's dropout in eval mode),
    ``hk.next_rng_key()`` a key; any other ``hk.*`` is :class:`Unknown` with
    its name; None for a call that is not Haiku's or is a constructor."""
    if not is_haiku(func) or func.path[-1][:1].isupper():
        return None  # hk.Linear(...): a constructor, built by haiku_call
    name = func.path[-1]
    if name == "dropout" and len(func.path) == 2:
        x = args[2] if len(args) > 2 else kwargs.get("x")
        return x if x is not None else Unknown("hk.dropout(...) without its input")
    if name in ("next_rng_key", "maybe_next_rng_key") and not args:
        return Const(0)
    return Unknown(f"{'.'.join(func.path)}(...) is a Haiku construct chainlens does not model")
