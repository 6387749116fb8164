"""Hyperbolic primitives, their reciprocals and inverses, and exp/log.

The inverses of the reciprocals are read through the plain inverses, as
notes define them: ``acoth(u) = atanh(1/u)`` (defined for |u| > 1),
``asech(u) = acosh(1/u)`` (0 < u ≤ 1) and ``acsch(u) = asinh(1/u)`` (u ≠ 0).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from chainlens.engine.core.ir import add, mul, neg, power, sub
from chainlens.engine.core.nodes import NEG_ONE, ONE, num
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
sinh, cosh, tanh = call_of("sinh"), call_of("cosh"), call_of("tanh")
sech, csch, coth = call_of("sech"), call_of("csch"), call_of("coth")
exp, log = call_of("exp"), call_of("log")
HALF_NEG = num(Fraction(-1, 2))


def _np_sech(x):
    # 1/cosh overflows to 1/inf = 0 for |x| > 710: the right limit.
    with np.errstate(over="ignore"):
        return 1.0 / np.cosh(x)


def _np_csch(x):
    with np.errstate(over="ignore", divide="ignore"):
        return 1.0 / np.sinh(x)


def _np_coth(x):
    with np.errstate(divide="ignore"):
        return 1.0 / np.tanh(x)


def _np_acoth(x):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.arctanh(1.0 / np.asarray(x, dtype=np.float64))


def _np_asech(x):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.arccosh(1.0 / np.asarray(x, dtype=np.float64))


def _np_acsch(x):
    with np.errstate(divide="ignore"):
        return np.arcsinh(1.0 / np.asarray(x, dtype=np.float64))


# One-point helpers, as numpy's forms: inf at the domain's edge, nan outside it.
def _acoth(x):
    if abs(x) > 1.0:
        return math.atanh(1.0 / x)
    return math.copysign(math.inf, x) if abs(x) == 1.0 else math.nan


def _asech(x):
    inv = 1.0 / x if x != 0.0 else math.copysign(math.inf, x)  # -0.0 -> -inf -> nan
    return math.acosh(inv) if inv >= 1.0 else math.nan


def _acsch(x):
    return math.asinh(1.0 / x) if x != 0.0 else math.copysign(math.inf, x)


def _sech(x):
    return 1.0 / math.cosh(x) if abs(x) < 710.0 else 0.0


def _csch(x):
    return 1.0 / math.sinh(x) if abs(x) < 710.0 else math.copysign(0.0, x)


_POSITIVE = (Condition(">", U, "u > 0"),)
_NONZERO = (Condition("!=", U, "u ≠ 0"),)
_INCREASING = Interval()

RULES: list[Rule] = [
    Rule("sinh", 1, np.sinh, unary("sinh", cosh), notation("sinh", latex="\\sinh"),
         bound=math.inf, interval=_INCREASING, spellings=Spellings(latex=("sinh",))),
    Rule("cosh", 1, np.cosh, unary("cosh", sinh), notation("cosh", latex="\\cosh"),
         bound=math.inf, interval=Interval(turns=(0.0,)), spellings=Spellings(latex=("cosh",))),
    Rule("tanh", 1, np.tanh, unary("tanh", lambda u: sub(ONE, power(tanh(u), num(2)))),
         notation("tanh", latex="\\tanh"), bound=1.0, saturates=True, interval=_INCREASING,
         spellings=Spellings(latex=("tanh",), modules=("Tanh",))),
    Rule("sech", 1, _np_sech, unary("sech", lambda u: neg(mul(sech(u), tanh(u)))),
         notation("sech", latex="\\operatorname{sech}", python="(1 / np.cosh({0}))",
                  scalar="_sech({0})"),
         bound=0.5, saturates=True, interval=Interval(turns=(0.0,)), helpers={"_sech": _sech}),
    Rule("csch", 1, _np_csch, unary("csch", lambda u: neg(mul(csch(u), coth(u)))),
         notation("csch", latex="\\operatorname{csch}", python="(1 / np.sinh({0}))",
                  scalar="_csch({0})"),
         bound=math.inf, domain=_NONZERO, interval=Interval(poles=(0.0,)),
         helpers={"_csch": _csch}),
    Rule("coth", 1, _np_coth, unary("coth", lambda u: neg(power(csch(u), num(2)))),
         notation("coth", latex="\\coth", python="(1 / np.tanh({0}))",
                  scalar="(1.0 / math.tanh({0}))"),
         bound=math.inf, domain=_NONZERO, interval=Interval(poles=(0.0,)),
         spellings=Spellings(latex=("coth",))),
    Rule("asinh", 1, np.arcsinh,
         unary("asinh", lambda u: power(add(power(u, num(2)), ONE), HALF_NEG)),
         notation("asinh", python="np.arcsinh({0})"), bound=1.0, interval=_INCREASING,
         spellings=Spellings(aliases=("arcsinh", "arsinh"), inverse_of="sinh")),
    Rule("acosh", 1, np.arccosh,
         unary("acosh", lambda u: power(sub(power(u, num(2)), ONE), HALF_NEG)),
         notation("acosh", python="np.arccosh({0})"), bound=math.inf,
         domain=(Condition(">=", sub(U, ONE), "u ≥ 1"),),
         smooth=(Condition(">", sub(U, ONE), "u > 1"),),
         interval=Interval(domain=(1.0, math.inf)),
         spellings=Spellings(aliases=("arccosh", "arcosh"), inverse_of="cosh")),
    Rule("atanh", 1, np.arctanh,
         unary("atanh", lambda u: power(sub(ONE, power(u, num(2))), NEG_ONE)),
         notation("atanh", python="np.arctanh({0})"), bound=math.inf,
         domain=(Condition("<", sub(call_of("abs")(U), ONE), "|u| < 1"),),
         interval=Interval(domain=(-1.0, 1.0)),
         spellings=Spellings(aliases=("arctanh", "artanh"), inverse_of="tanh")),
    Rule("acoth", 1, _np_acoth,
         unary("acoth", lambda u: power(sub(ONE, power(u, num(2))), NEG_ONE)),
         notation("acoth", latex="\\operatorname{arccoth}",
                  python="np.arctanh(1.0 / {0})", scalar="_acoth({0})"),
         bound=math.inf, saturates=True,
         domain=(Condition(">", sub(call_of("abs")(U), ONE), "|u| > 1"),),
         interval=Interval(known=False), helpers={"_acoth": _acoth},
         spellings=Spellings(aliases=("arccoth", "arcoth"), latex=("arccoth", "arcoth"),
                             inverse_of="coth")),
    Rule("asech", 1, _np_asech,
         unary("asech", lambda u: neg(mul(power(u, NEG_ONE),
                                          power(sub(ONE, power(u, num(2))), HALF_NEG)))),
         notation("asech", latex="\\operatorname{arcsech}",
                  python="np.arccosh(1.0 / {0})", scalar="_asech({0})"),
         bound=math.inf,
         domain=(Condition(">", U, "u > 0"), Condition(">=", sub(ONE, U), "u ≤ 1")),
         smooth=(Condition(">", sub(ONE, U), "u < 1"),),
         interval=Interval(domain=(0.0, 1.0)), helpers={"_asech": _asech},
         spellings=Spellings(aliases=("arcsech", "arsech"), latex=("arcsech", "arsech"),
                             inverse_of="sech")),
    Rule("acsch", 1, _np_acsch,
         unary("acsch", lambda u: neg(mul(power(call_of("abs")(u), NEG_ONE),
                                          power(add(power(u, num(2)), ONE), HALF_NEG)))),
         notation("acsch", latex="\\operatorname{arccsch}",
                  python="np.arcsinh(1.0 / {0})", scalar="_acsch({0})"),
         bound=math.inf, saturates=True, domain=_NONZERO, interval=Interval(poles=(0.0,)),
         helpers={"_acsch": _acsch},
         spellings=Spellings(aliases=("arccsch", "arcsch"), latex=("arccsch", "arcsch"),
                             inverse_of="csch")),
    # ---- exponentials and logarithms
    Rule("exp", 1, np.exp, unary("exp", exp), notation("exp", latex="\\exp"),
         bound=math.inf, interval=_INCREASING, spellings=Spellings(latex=("exp",))),
    Rule("log", 1, np.log, unary("log", lambda u: power(u, NEG_ONE)),
         notation("log", latex="\\ln"), bound=math.inf, domain=_POSITIVE,
         interval=Interval(domain=(0.0, math.inf)),
         spellings=Spellings(aliases=("ln",), latex=("ln", "log"))),
    Rule("log2", 1, np.log2,
         unary("log2", lambda u: power(mul(u, log(num(2))), NEG_ONE)),
         notation("log2", latex="\\log_2"), bound=math.inf, domain=_POSITIVE,
         interval=Interval(domain=(0.0, math.inf))),
    Rule("log10", 1, np.log10,
         unary("log10", lambda u: power(mul(u, log(num(10))), NEG_ONE)),
         notation("log10", latex="\\log_{10}"), bound=math.inf, domain=_POSITIVE,
         interval=Interval(domain=(0.0, math.inf))),
]
