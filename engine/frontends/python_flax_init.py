"""The initializers of ``jax.nn.initializers`` (re-exported by
``flax.linen.initializers``, with ``zeros_init()``/``ones_init()``), as a Flax
file writes them: ``kernel_init=``, ``bias_init=``, ``embedding_init=``, the
init of ``self.param``.

A Flax module's measured flow must start where Flax starts, so every
initializer becomes the law a torch ``nn.init`` call of the same
distribution would (:mod:`python_init_laws`): ``normal(stddev)``,
``uniform(scale)`` (U[0, scale)), ``truncated_normal(stddev, lower, upper)``,
``constant``/``zeros``/``ones``, and ``variance_scaling(scale, mode,
distribution)`` with JAX's fans (a Dense kernel ``(in, out)``: fan_in = in; a
Conv kernel ``(kh, kw, in, out)``: fan_in = in·kh·kw), which are torch's fans
of the same layer; ``lecun_normal``, ``glorot_*``/``xavier_*``,
``he_*``/``kaiming_*`` are its named cases, as ``jax/_src/nn/initializers.py``
defines them.  An initializer whose axes are moved (``in_axis=``),
``orthogonal`` or anything else is "not modelled", never a guess.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from chainlens.engine.frontends.python_init_laws import InitCall
from chainlens.engine.frontends.python_values import TYPICAL_WIDTH, Const, Ref, Unknown
from chainlens.engine.health.init import UNMODELLED, law_key

__all__ = ["FlaxInit", "is_initializer", "initializer", "as_initializer", "init_call",
           "param_law"]

#: (scale, mode, distribution) of the named variance-scaling initializers
_SCALING = {
    "glorot_uniform": (1.0, "fan_avg", "uniform"), "xavier_uniform": (1.0, "fan_avg", "uniform"),
    "glorot_normal": (1.0, "fan_avg", "truncated_normal"),
    "xavier_normal": (1.0, "fan_avg", "truncated_normal"),
    "lecun_uniform": (1.0, "fan_in", "uniform"),
    "lecun_normal": (1.0, "fan_in", "truncated_normal"),
    "he_uniform": (2.0, "fan_in", "uniform"), "kaiming_uniform": (2.0, "fan_in", "uniform"),
    "he_normal": (2.0, "fan_in", "truncated_normal"),
    "kaiming_normal": (2.0, "fan_in", "truncated_normal"),
}
#: initializers that are themselves initializers (not factories): nn.initializers.zeros
_BARE = {"zeros": 0.0, "ones": 1.0}
#: the (positional names, defaults) of the other factories, as JAX declares them
_FACTORIES = {
    "normal": (("stddev",), {"stddev": 1e-2}),
    "uniform": (("scale",), {"scale": 1e-2}),
    "truncated_normal": (("stddev", "dtype", "lower", "upper"),
                         {"stddev": 1e-2, "lower": -2.0, "upper": 2.0}),
    "constant": (("value",), {}),
    "variance_scaling": (("scale", "mode", "distribution"), {}),
    "zeros_init": ((), {}), "ones_init": ((), {}),
}
#: the standard deviation of a standard normal truncated to (-2, 2) (JAX's constant)
_TRUNCATED_STD = 0.87962566103423978
@dataclass(frozen=True)
class FlaxInit:
    """An initializer as written: ``kind`` (``const``, ``normal``, ``uniform``
    (U[0, scale)), ``trunc``, ``scaling``; None: not modelled), its
    arguments, and the words of the call."""

    kind: str | None
    args: tuple
    words: str


def is_initializer(path: tuple) -> bool:
    """``nn.initializers.X``, ``jax.nn.initializers.X``, ``initializers.X``."""
    return "initializers" in path[:-1]


def initializer(path: tuple, args: list, kwargs: dict, words: str) -> FlaxInit:
    """The initializer ``path(*args, **kwargs)`` builds."""
    name = path[-1]
    if any(isinstance(v, Unknown) or (isinstance(v, Const) and v.value is None)
           for v in list(args) + list(kwargs.values())):
        return FlaxInit(None, (), words)
    if name in _SCALING:
        if args or set(kwargs) - {"dtype"}:  # in_axis= / out_axis= / batch_axis= moved
            return FlaxInit(None, (), words)
        scale, mode, dist = _SCALING[name]
        return FlaxInit("scaling", (("scale", scale), ("mode", mode), ("distribution", dist)),
                        words)
    if name not in _FACTORIES:
        return FlaxInit(None, (), words)
    names, defaults = _FACTORIES[name]
    given = dict(defaults)
    for key, v in zip(names, args, strict=False):
        given[key] = v.value if isinstance(v, Const) else v
    for key, v in kwargs.items():
        given[key] = v.value if isinstance(v, Const) else v
    given.pop("dtype", None)
    if name in ("zeros_init", "ones_init"):
        return FlaxInit("const", (("value", 0.0 if name == "zeros_init" else 1.0),), words)
    if not set(given) <= set(names) or not all(
            isinstance(v, str) if k in ("mode", "distribution") else _number(v)
            for k, v in given.items()) or len(given) < len(names) - ("dtype" in names):
        return FlaxInit(None, (), words)
    if name == "constant":
        return FlaxInit("const", (("value", float(given["value"])),), words)
    if name == "variance_scaling":
        if given["mode"] not in ("fan_in", "fan_out", "fan_avg", "fan_geo_avg") or given[
                "distribution"] not in ("uniform", "normal", "truncated_normal"):
            return FlaxInit(None, (), words)
        return FlaxInit("scaling", tuple(sorted(given.items())), words)
    kind = {"normal": "normal", "uniform": "uniform", "truncated_normal": "trunc"}[name]
    return FlaxInit(kind, tuple(sorted(given.items())), words)


def _number(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def as_initializer(value) -> FlaxInit | None:
    """An initializer value: a built one, or ``nn.initializers.zeros``
    written without a call (an initializer itself); None for anything else."""
    if isinstance(value, FlaxInit):
        return value
    if isinstance(value, Ref) and is_initializer(value.path):
        words = ".".join(value.path)
        if value.path[-1] in _BARE:
            return FlaxInit("const", (("value", _BARE[value.path[-1]]),), words)
        return FlaxInit(None, (), words)  # a factory used as if it were the initializer
    return None


def init_call(init: FlaxInit) -> InitCall:
    """The :class:`InitCall` of torch's name for the same law, which the
    forward reader declares a layer's weight with: ``uniform(scale)`` is
    U[0, scale); ``truncated_normal`` cuts at ``lower``·stddev,
    ``upper``·stddev; a variance scaling ``scale``/fan is Xavier (fan_avg) or
    Kaiming (fan_in, fan_out) with gain √scale (the leaky-ReLU gain
    √(2 / (1 + a²)) at a = √(2/scale - 1)).  JAX's truncated normal of a
    variance scaling (``lecun_normal``, ``he_normal``, ``xavier_normal``) keeps
    the variance scale/fan after truncation (its 0.8796.. correction): it is
    drawn as the normal law of that variance."""
    a = dict(init.args)
    if init.kind == "const":
        return InitCall("constant_", (("val", a["value"]),), init.words)
    if init.kind == "normal":
        # torch.nn.init's argument names, spelled as keywords (not the table's primitives)
        return InitCall("normal_", tuple(dict(mean=0.0, std=float(a["stddev"])).items()),
                        init.words)
    if init.kind == "uniform":
        return InitCall("uniform_", (("a", 0.0), ("b", float(a["scale"]))), init.words)
    if init.kind == "trunc":
        s = float(a["stddev"])
        return InitCall("trunc_normal_", tuple(dict(mean=0.0, std=s, a=a["lower"] * s,
                                                    b=a["upper"] * s).items()), init.words)
    if init.kind == "scaling":
        scale, mode, dist = float(a["scale"]), a["mode"], a["distribution"]
        shape = "uniform" if dist == "uniform" else "normal"
        if mode == "fan_avg" and scale > 0:
            return InitCall(f"xavier_{shape}_", (("gain", math.sqrt(scale)),), init.words)
        if mode in ("fan_in", "fan_out") and 0 < scale <= 2:
            slope = math.sqrt(2.0 / scale - 1.0)
            return InitCall(f"kaiming_{shape}_", (("a", slope), ("mode", mode),
                                                  ("nonlinearity", "leaky_relu")), init.words)
    return InitCall(None, (), init.words)


def param_law(init: FlaxInit, shape: tuple, what: str) -> str:
    """The law string of ``self.param(what, init, shape)``: an absolute draw,
    or a variance scaling with JAX's fans of a matrix ``(in, out)`` (fan_in =
    in, the fan the reader declares ``x @ W`` with), its truncated normal
    exact (cut at ±2, std √(scale/fan) / 0.8796..)."""
    a = dict(init.args)
    if init.kind == "const":
        return law_key("a", "const", float(a["value"]), 0.0, None, init.words)
    if init.kind == "normal":
        return law_key("a", "normal", 0.0, float(a["stddev"]), None, init.words)
    if init.kind == "uniform":
        half = float(a["scale"]) / 2
        return law_key("a", "uniform", half, half, None, init.words)
    if init.kind == "trunc":
        return law_key("a", "trunc", 0.0, float(a["stddev"]), None, init.words,
                       float(a["lower"]), float(a["upper"]))
    if init.kind == "scaling" and len(shape) == 2:  # JAX refuses a vector by default
        fan_in, fan_out = (d if isinstance(d, int) and d > 0 else TYPICAL_WIDTH for d in shape)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2,
               "fan_geo_avg": math.sqrt(fan_in * fan_out)}[a["mode"]]
        std = math.sqrt(float(a["scale"]) / fan)
        if a["distribution"] == "uniform":
            return law_key("w", "uniform", 0.0, std * math.sqrt(3.0), fan_in, init.words)
        if a["distribution"] == "normal":
            return law_key("w", "normal", 0.0, std, fan_in, init.words)
        return law_key("w", "trunc", 0.0, std / _TRUNCATED_STD, fan_in, init.words, -2.0, 2.0)
    return f"{UNMODELLED}{what} with `{init.words}`"
