"""The law a parameter re-initialised by the file is drawn from.

:mod:`python_init_draws` records each ``nn.init`` call (an
:class:`InitCall`) on the layer or ``nn.Parameter`` it draws; here the
record becomes the law string of :mod:`chainlens.engine.health.init` with
torch's own fans (``fan_in = size(1) × receptive field``, ``fan_out =
size(0) × ...``), ``calculate_gain``, and the Kaiming/Xavier formulas, when
the forward reader declares the weight (:func:`declared_init`); and
:func:`finish_inits` marks a model "not measured" when a call could not be
modelled exactly.  Never a verdict at the wrong initialisation.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

from chainlens.engine.frontends.python_library import MEASURED_WIDTH
from chainlens.engine.frontends.python_values import TYPICAL_WIDTH, UNROLLED_STEPS, Layer, Param
from chainlens.engine.health.init import LAW, UNMODELLED, law_key

__all__ = ["InitCall", "gain", "is_default", "param_law", "declared_init", "finish_inits",
           "torch_default", "constant_value"]


@dataclass(frozen=True)
class InitCall:
    """One re-initialisation of a parameter: the torch function (``None``:
    not modelled), its arguments evaluated, the call as written, and the
    sizes the file does not fix that its arguments were evaluated at
    (``self.hidden_size = 16``: the widths the reader assumes for the layers)."""

    fn: str | None
    args: tuple
    words: str
    assumed: tuple = ()
    #: a factor applied afterwards (ConvNeXt's ``head.weight.data.mul_(head_init_scale)``)
    factor: float = 1.0


def gain(nonlinearity, param) -> float | None:
    """``nn.init.calculate_gain``."""
    if nonlinearity in ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
                        "conv_transpose2d", "conv_transpose3d", "sigmoid"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else float(param)
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    return None



def is_default(layer: Layer, attr: str, init: InitCall) -> bool:
    """A call that sets what the framework default already is (a norm's
    gain ones, its shift zeros)."""
    if layer.spec.kind != "norm" or init.fn is None:
        return False
    args = dict(init.args)
    value = 1.0 if init.fn == "ones_" else 0.0 if init.fn == "zeros_" else args.get("val")
    return init.fn in ("ones_", "zeros_", "constant_") and value == (
        1.0 if attr == "weight" else 0.0)


def constant_value(init: InitCall | None) -> float | None:
    """The value a constant re-initialisation sets (``zeros_``, ``ones_``,
    ``constant_(w, c)``, times its factor), else None."""
    if init is None or init.fn not in ("zeros_", "ones_", "constant_") or not isinstance(
            dict(init.args).get("val", 0.0), int | float):
        return None
    law = _absolute(init, 1.0, 1.0)
    return law[1] if law is not None and law[0] == "const" else None


def _absolute(init: InitCall, fan_in: float, fan_out: float):
    """(dist, loc, scale, a, b) of ``init`` at torch's fans, times its
    factor; None if not modelled."""
    law = _unscaled(init, fan_in, fan_out)
    if law is None or init.factor == 1.0:
        return law
    dist, loc, scale, a, b = law  # a, b of a truncated normal are in std units
    return dist, loc * init.factor, scale * abs(init.factor), a, b


def torch_default(layer: Layer, attr: str) -> InitCall | None:
    """PyTorch's own draw of a Linear/Conv weight (kaiming_uniform_ with
    a = √5, i.e. U(±1/√fan_in)) or bias (U(±1/√fan_in)) as an init call, for a
    factor the file applies to it; None for other layers."""
    spec = layer.spec
    if spec.framework != "torch" or spec.kind not in ("linear", "conv"):
        return None
    if attr == "weight":
        return InitCall("kaiming_uniform_", (("a", math.sqrt(5.0)), ("mode", "fan_in"),
                                             ("nonlinearity", "leaky_relu")), "the default")
    return InitCall("bias_default_", (), "the default") if attr == "bias" else None


def _unscaled(init: InitCall, fan_in: float, fan_out: float):
    args = dict(init.args)
    fn = init.fn
    if fn == "uniform_":
        a, b = float(args["a"]), float(args["b"])
        return "uniform", (a + b) / 2, (b - a) / 2, 0.0, 0.0
    if fn == "normal_":
        return "normal", float(args["mean"]), float(args["std"]), 0.0, 0.0
    if fn == "trunc_normal_":
        mean, std = float(args["mean"]), float(args["std"])
        if std <= 0:
            return "const", mean, 0.0, 0.0, 0.0
        return ("trunc", mean, std, (float(args["a"]) - mean) / std,
                (float(args["b"]) - mean) / std)
    if fn in ("zeros_", "ones_", "constant_"):
        val = 0.0 if fn == "zeros_" else 1.0 if fn == "ones_" else args["val"]
        return "const", float(val), 0.0, 0.0, 0.0
    if fn in ("xavier_uniform_", "xavier_normal_"):
        std = float(args["gain"]) * math.sqrt(2.0 / (fan_in + fan_out))
        if fn == "xavier_uniform_":
            return "uniform", 0.0, std * math.sqrt(3.0), 0.0, 0.0
        return "normal", 0.0, std, 0.0, 0.0
    if fn in ("kaiming_uniform_", "kaiming_normal_"):
        if args["mode"] not in ("fan_in", "fan_out"):
            return None
        g = gain(args["nonlinearity"], args["a"])
        if g is None:
            return None
        std = g / math.sqrt(fan_in if args["mode"] == "fan_in" else fan_out)
        if fn == "kaiming_uniform_":
            return "uniform", 0.0, std * math.sqrt(3.0), 0.0, 0.0
        return "normal", 0.0, std, 0.0, 0.0
    if fn == "orthogonal_":
        return "orth", 0.0, float(args["gain"]), 0.0, 0.0
    if fn == "bias_default_":  # nn.Linear / Conv's bias: U(±1/√fan_in)
        return "uniform", 0.0, 1.0 / math.sqrt(fan_in), 0.0, 0.0
    return None


def _law(init: InitCall, scaling: str, fan_in, fan_out, declared_fan, matrix: bool,
         what: str) -> str:
    """The law string, or the not-modelled mark naming ``what`` and the call."""
    unmodelled = f"{UNMODELLED}{what} with `{init.words}`"
    if init.fn is None or any(isinstance(v, str) and k not in ("mode", "nonlinearity")
                              for k, v in init.args):
        return unmodelled
    law = _absolute(init, max(1.0, float(fan_in)), max(1.0, float(fan_out)))
    if law is None or (law[0] == "orth" and not matrix):
        return unmodelled
    if law[0] == "orth" and fan_out < fan_in and fan_in > MEASURED_WIDTH:
        # orthonormal rows: the gain √(rows/cols) changes when the reader
        # measures the layer narrower than written
        return unmodelled
    dist, loc, scale, a, b = law
    return law_key(scaling, dist, loc, scale, declared_fan, init.words, a, b)


#: laws whose draws do not depend on the parameter's fans
_FAN_FREE = frozenset({"uniform_", "normal_", "trunc_normal_", "constant_", "zeros_", "ones_"})


def assumed_shape(shape: tuple) -> tuple:
    """A parameter's shape with each entry the file does not fix at
    :data:`TYPICAL_WIDTH`, as the forward reader declares it
    (``nn.Parameter(torch.Tensor(in_features, out_features))`` of a caller's
    sizes)."""
    return tuple(d if isinstance(d, int) and not isinstance(d, bool) else (
        TYPICAL_WIDTH if d is None else d) for d in shape)


def _read_shape(shape: tuple) -> tuple:
    """The axes the forward reader declares a parameter of ``shape`` with
    (python_eval's ``tensor``: (1, C) a vector, more than 2 axes along the
    last one that is not 1)."""
    if len(shape) > 2:
        return tuple(d for d in shape if d != 1)[-1:] or shape[-1:]
    return shape[1:] if len(shape) == 2 and shape[0] == 1 else shape


def param_law(p: Param, init: InitCall) -> str:
    """An ``nn.Parameter`` re-initialised: torch's fans of its shape (fan_in
    = size(1) × receptive field, fan_out = size(0) × ...); per fan-in when it
    is a matrix (the reader declares it with fan_in = shape[0], or with its
    measured last axis when shape[0] is not written).  Entries the file does
    not fix are the reader's assumed width (checked against the widths
    declared, :func:`finish_inits`)."""
    shape, what = assumed_shape(p.shape), p.label or p.name
    unmodelled = f"{UNMODELLED}{what} with `{init.words}`"
    if not shape and init.fn in _FAN_FREE:  # Parameter(x) of a tensor not read: a law per entry
        return _law(init, "a", 1, 1, None, False, what)
    if not shape or not all(isinstance(d, int) and d > 0 for d in shape):
        return unmodelled
    if len(shape) > 2:  # GAT's (heads, 2F, 1) scores: read along one axis, each entry's law
        field = math.prod(shape[2:])
        if init.fn and "orth" in init.fn:
            return unmodelled
        return _law(init, "a", shape[1] * field, shape[0] * field, None, False, what)
    if len(shape) == 1:
        if init.fn and ("xavier" in init.fn or "kaiming" in init.fn or "orth" in init.fn):
            return unmodelled  # torch refuses fewer than 2 dimensions
        return _law(init, "a", 1, 1, None, False, what)
    if shape[0] == 1:  # a (1, n) start state, read as a vector
        if init.fn and "orth" not in init.fn:
            return _law(init, "a", shape[1], shape[0], None, False, what)
        return unmodelled
    # the fan the forward reader passes: the written shape[0], else the measured last axis
    declared = shape[0] if isinstance(p.shape[0], int) else min(shape[1], MEASURED_WIDTH)
    return _law(init, "w", shape[1], shape[0], declared, True, what)


def declared_init(layer: Layer, attr: str, default: str, fan_in=None, whole: bool = True) -> str:
    """The init key the forward reader declares ``layer.<attr>`` with: its
    framework default, or the law of the file's last re-initialisation of it
    (``fan_in``: the written fan-in the reader passes; ``whole``: the weight
    is declared as one matrix, not a slice of a fused or concatenated one)."""
    init = getattr(layer, "init", {}).get(attr)
    if init is None:
        return default
    layer.init[("used", attr)] = True  # in place: a deep copy shares its original's record
    spec = layer.spec
    what = f"{layer.label or spec.ctor}.{attr}"
    window = spec.window or 1
    if init.assumed and not isinstance(spec.fan_in, int) and fan_in and (
            fan_in != TYPICAL_WIDTH * window):
        # the formula was read at the assumed width, the layer at a width forward fixes
        return (f"{UNMODELLED}{what} with `{init.words}` (its sizes are fixed in forward, "
                "not where it is drawn)")
    if spec.kind == "embedding":  # torch's (num, dim) table: fan_in dim, fan_out num
        dim = spec.fan_out if isinstance(spec.fan_out, int) else TYPICAL_WIDTH
        num = spec.fan_in if isinstance(spec.fan_in, int) else TYPICAL_WIDTH
        return _law(init, "a", dim, num, None, False, what)
    f_in = fan_in or ((spec.fan_in or TYPICAL_WIDTH) * window)
    f_out = (spec.fan_out if isinstance(spec.fan_out, int) else TYPICAL_WIDTH) * window
    if attr == "bias":
        return _law(init, "a", f_in, f_out, None, False, what)
    return _law(init, "w", f_in, f_out, fan_in, whole and window == 1, what)


def finish_inits(built, reader):
    """``built`` (a read model) with a note of the initialisation measured
    at; its first parameter marked not modelled when a re-initialisation
    could not be read or was never declared (a norm's gain, an RNN's
    weights, a layer the forward reader declares elsewhere): its health then
    names the call instead of measuring the default initialisation."""
    program = built.program
    params = [i for i, d in enumerate(program.declarations) if d.role == "param"]
    if not params:
        return built
    reasons = list(getattr(reader, "init_unmodelled", []))
    assumed: list[str] = []
    shaped: list[str] = []  # parameters whose shape the file does not write
    for layer in getattr(reader, "init_layers", []):
        for attr, init in layer.init.items():
            if isinstance(attr, str) and ("used", attr) not in layer.init:
                reasons.append(f"{layer.label or layer.spec.ctor}.{attr} with `{init.words}`")
            elif isinstance(attr, str):
                assumed += init.assumed
    shapes = {d.name: d.shape for d in program.declarations}
    for p, init in getattr(reader, "init_params", []):
        if p.symbol is None or not p.init.startswith(LAW):
            continue
        written = assumed_shape(p.shape)
        if written == tuple(p.shape) and not init.assumed:
            continue
        expect = tuple(min(d, MEASURED_WIDTH) for d in _read_shape(written))
        if shapes.get(p.symbol) not in (expect, expect[::-1]):  # x @ W: declared [out, in]
            reasons.append(f"{p.label or p.name} with `{init.words}` (its sizes are fixed in "
                           "forward, not where it is drawn)")
            continue
        if written != tuple(p.shape):
            shaped.append(p.label or p.name)
        assumed += list(init.assumed)
    inits = [program.declarations[i].init or "" for i in params]
    marked = next((i[len(UNMODELLED):] for i in inits if i.startswith(UNMODELLED)), None)
    if reasons or marked:
        why = marked or reasons[0]
        note = f"not measured: the file re-initialises {why}, which chainlens does not model"
        if marked is None:
            decls = list(program.declarations)
            decls[params[0]] = dataclasses.replace(decls[params[0]], init=UNMODELLED + why)
            program = dataclasses.replace(program, declarations=tuple(decls))
        return dataclasses.replace(built, program=program, notes=(*built.notes, note))
    used = list(dict.fromkeys(i.split(":", 7)[-1] for i in inits if i.startswith(LAW)))
    if not used:
        return built
    note = ("measured at the file's own initialisation: "
            + ", ".join(f"`{w}`" for w in used[:3]) + (" …" if len(used) > 3 else ""))
    notes = (*built.notes, note)
    if shaped:
        shaped = list(dict.fromkeys(shaped))
        assumed.append(f"the shapes of {', '.join(shaped[:3])}" + (" …" if len(shaped) > 3
                                                                   else ""))
    if assumed:
        assumed = list(dict.fromkeys(assumed))
        notes += (f"its init read at sizes the file does not fix, as the rest of the model is "
                  f"read (widths {TYPICAL_WIDTH}, counts {UNROLLED_STEPS}): "
                  + ", ".join(assumed[:4]) + (" …" if len(assumed) > 4 else ""),)
    return dataclasses.replace(built, notes=notes)
