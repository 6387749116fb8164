"""Activations and special functions: sigmoid, ReLU, softplus, GELU, erf, erfc.

``gelu`` is the exact form ``u Φ(u) = u (1 + erf(u/√2)) / 2``, as
``torch.nn.functional.gelu`` computes by default (not the tanh
approximation).  numpy has no ``erf``: the forwards vectorise ``math.erf``
and ``math.erfc``, exact to the last ulp.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from chainlens.engine.core.ir import add, mul, neg, power, sub
from chainlens.engine.core.nodes import HALF, ONE, PI, num
from chainlens.engine.rules.types import (
    PLACEHOLDERS,
    Condition,
    Interval,
    Rule,
    Spellings,
    call_of,
    notation,
    unary,
)

__all__ = ["RULES"]

U = PLACEHOLDERS[0]
exp, sigmoid, step, erf = call_of("exp"), call_of("sigmoid"), call_of("step"), call_of("erf")
HALF_NEG = num(Fraction(-1, 2))
_SQRT1_2 = 1.0 / math.sqrt(2.0)
#: the runnable numpy spelling of erf (numpy has none; only numpy and math imported)
_ERF = "np.vectorize(math.erf, otypes=[float])"
_ERFC = "np.vectorize(math.erfc, otypes=[float])"


def _np_sigmoid(x):
    # 0.5(1 + tanh(x/2)) never overflows, unlike 1/(1+exp(-x)) for x << 0.
    return 0.5 * (1.0 + np.tanh(0.5 * x))


_vec_erf = np.frompyfunc(math.erf, 1, 1)
_vec_erfc = np.frompyfunc(math.erfc, 1, 1)


def _np_erf(x):
    return np.asarray(_vec_erf(np.asarray(x, dtype=np.float64)), dtype=np.float64)


def _np_erfc(x):
    return np.asarray(_vec_erfc(np.asarray(x, dtype=np.float64)), dtype=np.float64)


def _np_gelu(x):
    x = np.asarray(x, dtype=np.float64)
    # u Φ(u) with Φ(u) = erfc(-u/√2)/2: no cancellation for u << 0, and
    # exactly 0 (not -inf * 0) at -inf.
    with np.errstate(invalid="ignore"):
        out = 0.5 * x * _np_erfc(-x * _SQRT1_2)
    return np.where(x == -np.inf, 0.0, out)


def _gelu(x):
    return 0.5 * x * math.erfc(-x * _SQRT1_2) if x != -math.inf else 0.0


def _relu(x):
    return x if x > 0.0 or x != x else 0.0  # NaN propagates, like np.maximum


def _gaussian(u):
    """2/√π · exp(−u²): erf's derivative."""
    return mul(num(2), power(PI, HALF_NEG), exp(neg(power(u, num(2)))))


def _gelu_partial(u):
    # d/du u Φ(u) = Φ(u) + u φ(u), φ(u) = exp(-u²/2)/√(2π)
    phi = mul(power(mul(num(2), PI), HALF_NEG), exp(mul(HALF_NEG, power(u, num(2)))))
    cdf = mul(HALF, add(ONE, erf(mul(power(num(2), HALF_NEG), u))))
    return add(cdf, mul(u, phi))


_INCREASING = Interval()

RULES: list[Rule] = [
    Rule("sigmoid", 1, _np_sigmoid,
         unary("sigmoid", lambda u: mul(sigmoid(u), sub(ONE, sigmoid(u)))),
         # 1/(1 + exp(-u)) is stable for one double (exp(-u) overflows to inf
         # and 1/inf is 0, no NaN) and costs one exp instead of a slower tanh.
         notation("sigmoid", "σ", "\\sigma", "(0.5 * (1.0 + np.tanh(0.5 * {0})))",
                  "(1.0 / (1.0 + math.exp(-{0})))"),
         bound=0.25, saturates=True, interval=_INCREASING,
         spellings=Spellings(aliases=("expit", "logistic", "sigma", "σ"), modules=("Sigmoid",))),
    Rule("relu", 1, lambda x: np.maximum(x, 0.0), unary("relu", step),
         notation("relu", "ReLU", "\\operatorname{ReLU}", "np.maximum({0}, 0.0)",
                  "_relu({0})"),
         bound=1.0, smooth=(Condition("!=", U, "u ≠ 0"),), interval=_INCREASING,
         helpers={"_relu": _relu},
         spellings=Spellings(aliases=("ReLU",), modules=("ReLU",))),
    Rule("softplus", 1, lambda x: np.logaddexp(0.0, x), unary("softplus", sigmoid),
         notation("softplus", python="np.logaddexp(0.0, {0})",
                  scalar="(max({0}, 0.0) + math.log1p(math.exp(-abs({0}))))"),
         bound=1.0, interval=_INCREASING, spellings=Spellings(modules=("Softplus",))),
    Rule("gelu", 1, _np_gelu, unary("gelu", _gelu_partial),
         notation("gelu", "GELU", "\\operatorname{GELU}",
                  f"(0.5 * {{0}} * {_ERFC}(-{{0}} * {_SQRT1_2!r}))", "_gelu({0})"),
         bound=1.128904145185155,  # at u = √2: Φ(√2) + √2 φ(√2)
         interval=Interval(turns=(-0.7517915246935645,)), helpers={"_gelu": _gelu},
         spellings=Spellings(aliases=("GELU",), modules=("GELU",))),
    Rule("erf", 1, _np_erf, unary("erf", _gaussian),
         notation("erf", latex="\\operatorname{erf}", python=f"{_ERF}({{0}})"),
         bound=2 / math.sqrt(math.pi), saturates=True, interval=_INCREASING,
         spellings=Spellings(latex=("erf",))),
    Rule("erfc", 1, _np_erfc, unary("erfc", lambda u: neg(_gaussian(u))),
         notation("erfc", latex="\\operatorname{erfc}", python=f"{_ERFC}({{0}})"),
         bound=2 / math.sqrt(math.pi), saturates=True, interval=_INCREASING,
         spellings=Spellings(latex=("erfc",))),
]
