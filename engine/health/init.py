"""Framework default initialisation, per layer type, as ranges to sample.

A gradient measured at weights drawn from [-1, 1] is not the gradient a
PyTorch user sees: ``nn.Linear(32, 32)`` starts at U(±1/√32), so twenty
sigmoid layers shrink the gradient by ~1e-17 rather than grow it.  The
model reader declares each parameter with the range its framework gives it
and :mod:`~chainlens.engine.health.measure` samples uniformly in it:

* PyTorch ``Linear``/``Conv*`` weight: Kaiming-uniform with a = √5, which is
  U(±1/√fan_in) (fan_in = in_features × kernel elements); bias U(±1/√fan_in);
* ``Embedding`` and ``torch.randn`` parameters: N(0, 1), sampled as the
  uniform law of the same variance, U(±√3);
* norm gains ones, shifts zeros; ``torch.zeros``/``ones`` parameters likewise;
* Flax ``Dense``/``Conv`` kernel: LeCun-normal (variance 1/fan_in), sampled
  as U(±√(3/fan_in)); bias zeros; a Flax ``Embed`` table: variance
  1/features, sampled the same way;
* Haiku ``Linear``/``Conv`` weight: a normal of stddev 1/√fan_in truncated at
  ±2 stddev (variance 0.7737/fan_in: Haiku does not rescale it), sampled as
  the uniform law of that variance; bias zeros;
* PyTorch ``LSTM``/``GRU``/``RNN``: every weight and bias U(±1/√hidden_size);
* PyTorch ``MultiheadAttention``: the packed in-projection Xavier-uniform over
  (3E, E), U(±√(6/4E)), the out-projection as a Linear, both biases zeros;
* inputs of ``forward``: unit variance, U(±√3), the scale of ``torch.randn``.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["init_range", "INIT_WORDS", "law_key", "parse_law", "law_range", "draw", "init_words",
           "program_init_words", "LAW", "UNMODELLED"]

#: the variance of a standard normal truncated to (-2, 2): 0.87962566..²
_TRUNCATED_VARIANCE = 0.7737413035499233

#: what the hover says each initialisation is
INIT_WORDS = {
    "torch-weight": "Kaiming-uniform U(±1/√fan_in) (PyTorch default)",
    "torch-bias": "U(±1/√fan_in) (PyTorch default)",
    "flax-weight": "LeCun-normal, variance 1/fan_in (Flax default)",
    "flax-bias": "zeros (Flax default)",
    "haiku-weight": "truncated normal, stddev 1/√fan_in cut at ±2 stddev (Haiku default)",
    "haiku-bias": "zeros (Haiku default)",
    "haiku-embed": "truncated normal, stddev 1 cut at ±2 (Haiku's Embed default)",
    "flax-embed": "N(0, 1/features) (Flax's Embed default: variance_scaling(1, 'fan_in', "
                  "'normal', out_axis=0))",
    "normal": "N(0, 1)",
    "zeros": "zeros", "ones": "ones", "unit": "U(0, 1)",
    "uniform": "U(±1/√fan_in)",
    "torch-rnn-weight": "U(±1/√hidden_size) (PyTorch's RNN default)",
    "torch-rnn-bias": "U(±1/√hidden_size) (PyTorch's RNN default)",
    "input": "unit variance (as torch.randn)",
    "torch-mha-in-weight": "Xavier-uniform over the packed (3E, E) in-projection "
                           "(PyTorch's MultiheadAttention default)",
    "torch-mha-in-bias": "zeros (PyTorch's MultiheadAttention default)",
    "torch-mha-out-weight": "Kaiming-uniform U(±1/√fan_in) (PyTorch default)",
    "torch-mha-out-bias": "zeros (PyTorch's MultiheadAttention default)",
}


def init_range(init: str, fan_in: int) -> tuple[float, float]:
    """The uniform range sampled for a parameter initialised by ``init``
    (a key of :data:`INIT_WORDS`) with ``fan_in`` inputs per output."""
    if init and init.startswith(LAW):
        return law_range(init, fan_in)
    fan_in = max(1, int(fan_in or 1))
    if init == "torch-mha-in-weight":  # Xavier: √(6 / (fan_in + fan_out)), fan_out = 3E
        bound = math.sqrt(6.0 / (4 * fan_in))
        return -bound, bound
    if init in ("torch-mha-in-bias", "torch-mha-out-bias"):
        return 0.0, 0.0
    if init in ("torch-weight", "torch-bias", "uniform", "torch-rnn-weight", "torch-rnn-bias",
                "torch-mha-out-weight"):
        bound = 1.0 / math.sqrt(fan_in)
        return -bound, bound
    if init in ("flax-weight", "flax-embed"):  # variance 1/fan_in (an Embed's: 1/features)
        bound = math.sqrt(3.0 / fan_in)
        return -bound, bound
    if init == "haiku-weight":  # TruncatedNormal(1/√fan_in) at ±2σ: variance 0.7737/fan_in
        bound = math.sqrt(3.0 * _TRUNCATED_VARIANCE / fan_in)
        return -bound, bound
    if init == "haiku-embed":  # TruncatedNormal(1) at ±2: variance 0.7737, any width
        bound = math.sqrt(3.0 * _TRUNCATED_VARIANCE)
        return -bound, bound
    if init in ("flax-bias", "haiku-bias", "zeros"):
        return 0.0, 0.0
    if init == "ones":
        return 1.0, 1.0
    if init == "unit":
        return 0.0, 1.0
    root3 = math.sqrt(3.0)
    return -root3, root3  # normal(0, 1) and inputs: the same variance


# ---- a file's own initialisation (nn.init.*_ in __init__) ---------------
#
# The model reader writes a parameter re-initialised by the file as a *law*
# string, ``law:<scaling>:<dist>:<loc>:<scale>:<a>:<b>:<words>``:
#
# * ``dist``: ``normal`` (loc + scale·N(0, 1)), ``uniform`` (loc ± scale),
#   ``trunc`` (loc + scale·N(0, 1) truncated to [a, b] in scale units, as
#   ``trunc_normal_``), ``const`` (loc), ``orth`` (scale × an orthogonal
#   matrix, as ``orthogonal_(gain=scale)``);
# * ``scaling`` ``w``: a weight whose ``loc`` and ``scale`` are written per
#   fan-in (loc·fan_in, scale·√fan_in at the written fan-in) so that a layer
#   measured narrower than written (MEASURED_WIDTH) keeps the same gain per
#   layer, exactly as the framework default does; ``a``: absolute (a bias,
#   an embedding table);
# * ``words``: what the hover says (``xavier_normal_(gain=1.667)``).
#
# ``unmodelled:<words>`` marks a parameter the file re-initialises with a
# call chainlens does not model: its model gets no verdict.

LAW = "law:"
UNMODELLED = "unmodelled:"


def law_key(scaling: str, dist: str, loc: float, scale: float, fan_in: float | None,
            words: str, a: float = 0.0, b: float = 0.0) -> str:
    """The law string of a parameter drawn as ``dist`` (absolute ``loc``,
    ``scale``); ``fan_in``: the fan-in the reader passes with a weight."""
    if scaling == "w" and dist != "orth":
        f = max(1.0, float(fan_in or 1))
        loc, scale = loc * f, scale * math.sqrt(f)
    return f"{LAW}{scaling}:{dist}:{loc!r}:{scale!r}:{a!r}:{b!r}:{words}"


def parse_law(init: str | None) -> tuple[str, str, float, float, float, float, str] | None:
    """(scaling, dist, loc, scale, a, b, words) of a law string, else None."""
    if not init or not init.startswith(LAW):
        return None
    scaling, dist, loc, scale, a, b, words = init[len(LAW):].split(":", 6)
    return scaling, dist, float(loc), float(scale), float(a), float(b), words


def law_range(init: str, fan_in: int) -> tuple[float, float]:
    """The range of a law at ``fan_in`` (the static bounds' interval; the
    measurement draws from the law itself, :func:`draw`)."""
    scaling, dist, loc, scale, a, b, _ = parse_law(init)
    f = max(1, int(fan_in or 1))
    if dist == "orth":  # entries of an orthogonal n × n matrix: variance 1/n
        half = scale * math.sqrt(3.0 / f)
        return -half, half
    if scaling == "w":
        loc, scale = loc / f, scale / math.sqrt(f)
    if dist == "const":
        return loc, loc
    if dist == "uniform":
        return loc - scale, loc + scale
    if dist == "trunc":  # the bounds' interval stops at ±3 std (trunc_normal_(std=.02) cuts at ±2)
        lo_z, hi_z = _cut(a, b)
        return loc + lo_z * scale, loc + hi_z * scale
    return loc - math.sqrt(3.0) * scale, loc + math.sqrt(3.0) * scale  # normal: same variance


def _cut(a: float, b: float) -> tuple[float, float]:
    """A truncated normal's cut points (std units) as the bounds use them."""
    return max(a, -3.0), min(b, 3.0)


def draw(init: str, lo: float, hi: float, shape: tuple, rng) -> np.ndarray:
    """Draws of shape ``shape`` (batch axis first) from the law ``init``
    whose range at the measured width is [lo, hi] (:func:`law_range`)."""
    _, dist, _, gain, a, b, _ = parse_law(init)
    if dist == "const":
        return np.full(shape, lo)
    if dist == "uniform":
        return rng.uniform(lo, hi, size=shape)
    if dist == "trunc":
        lo_z, hi_z = _cut(a, b)
        scale = (hi - lo) / (hi_z - lo_z) if hi_z > lo_z else 0.0
        loc = lo - lo_z * scale
        z = rng.standard_normal(size=shape)
        for _ in range(64):  # resample outside [a, b], as trunc_normal_'s law
            bad = (z < a) | (z > b)
            if not bad.any():
                break
            z[bad] = rng.standard_normal(size=int(bad.sum()))
        return loc + scale * np.clip(z, a, b)
    if dist == "orth" and len(shape) == 3:
        rows, cols = shape[1], shape[2]
        g = rng.standard_normal(size=(shape[0], max(rows, cols), min(rows, cols)))
        q, r = np.linalg.qr(g)
        q = q * np.sign(np.diagonal(r, axis1=1, axis2=2))[:, None, :]  # torch's sign fix
        if rows < cols:
            q = np.swapaxes(q, 1, 2)
        return gain * q
    mid, sd = (lo + hi) / 2, (hi - lo) / (2 * math.sqrt(3.0))
    return rng.normal(mid, sd, size=shape)


def init_words(init: str | None) -> str:
    """What the hover says a parameter's initialisation is."""
    law = parse_law(init)
    if law is not None:
        return f"{law[6]} (the file's own initialisation)"
    if init and init.startswith(UNMODELLED):
        return f"{init[len(UNMODELLED):]} (not modelled)"
    return INIT_WORDS.get(init, init or "")


def program_init_words(program) -> str:
    """The initialisation of a model program's weights in words (a weight's
    law before a bias's), as the hover and the CLI print it."""
    kinds = {d.init for d in program.declarations if d.role == "param" and d.init}
    weights = sorted((k for k in kinds if k.endswith("weight") or k.startswith(("law:", "unm"))),
                     key=lambda k: (k.startswith("law:a:"), k))  # a weight's law before a bias's
    return "; ".join(dict.fromkeys(init_words(k) for k in weights)) or "declared ranges"
