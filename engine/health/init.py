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
  as U(±√(3/fan_in)); bias zeros;
* PyTorch ``LSTM``/``GRU``/``RNN``: every weight and bias U(±1/√hidden_size);
* PyTorch ``MultiheadAttention``: the packed in-projection Xavier-uniform over
  (3E, E), U(±√(6/4E)), the out-projection as a Linear, both biases zeros;
* inputs of ``forward``: unit variance, U(±√3), the scale of ``torch.randn``.
"""

from __future__ import annotations

import math

__all__ = ["init_range", "INIT_WORDS"]

#: what the hover says each initialisation is
INIT_WORDS = {
    "torch-weight": "Kaiming-uniform U(±1/√fan_in) (PyTorch default)",
    "torch-bias": "U(±1/√fan_in) (PyTorch default)",
    "flax-weight": "LeCun-normal, variance 1/fan_in (Flax default)",
    "flax-bias": "zeros (Flax default)",
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
    if init == "flax-weight":
        bound = math.sqrt(3.0 / fan_in)
        return -bound, bound
    if init in ("flax-bias", "zeros"):
        return 0.0, 0.0
    if init == "ones":
        return 1.0, 1.0
    if init == "unit":
        return 0.0, 1.0
    root3 = math.sqrt(3.0)
    return -root3, root3  # normal(0, 1) and inputs: the same variance
