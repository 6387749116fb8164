"""Trigonometric primitives and their inverses, ``atan2`` included.

Conventions for the inverse co-functions follow SymPy (and Mathematica):
``acot(u) = atan(1/u)`` (range (-π/2, π/2], a jump at 0), ``asec(u) =
acos(1/u)`` and ``acsc(u) = asin(1/u)`` (defined for |u| ≥ 1).
``atan2(y, x)`` is the angle of the point (x, y), as numpy's ``arctan2``.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from chainlens.engine.core.ir import add, mul, neg, power, sub
from chainlens.engine.core.nodes import NEG_ONE, ONE, num, raw
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

U, V = PLACEHOLDERS[0], PLACEHOLDERS[1]
PI = math.pi
sin, cos, tan = call_of("sin"), call_of("cos"), call_of("tan")
sec, csc, cot, absolute = call_of("sec"), call_of("csc"), call_of("cot"), call_of("abs")
HALF_NEG = num(Fraction(-1, 2))


def _np_sec(x):
    return 1.0 / np.cos(x)


def _np_csc(x):
    return 1.0 / np.sin(x)


def _np_cot(x):
    return 1.0 / np.tan(x)


def _np_acot(x):
    with np.errstate(divide="ignore"):
        return np.arctan(1.0 / np.asarray(x, dtype=np.float64))


def _np_asec(x):
    with np.errstate(divide="ignore"):
        return np.arccos(1.0 / np.asarray(x, dtype=np.float64))


def _np_acsc(x):
    with np.errstate(divide="ignore"):
        return np.arcsin(1.0 / np.asarray(x, dtype=np.float64))


def _acot(x):
    return math.atan(1.0 / x) if x != 0 else math.copysign(PI / 2, x)


# One-point helpers are compiled by numba one by one: each is self-contained.
def _asec(x):
    return math.acos(1.0 / x) if x != 0 else math.nan


def _acsc(x):
    return math.asin(1.0 / x) if x != 0 else math.nan


def _atan2_partial(args, i):
    # atan2(y, x): ∂/∂y = x/(x² + y²), ∂/∂x = -y/(x² + y²)
    y, x = args
    r2 = power(add(power(x, num(2)), power(y, num(2))), NEG_ONE)
    return mul(x, r2) if i == 0 else neg(mul(y, r2))


def _inv_abs_root(u):
    """1 / (|u| √(u² − 1)): the magnitude of asec' and acsc'."""
    return mul(power(absolute(u), NEG_ONE), power(sub(power(u, num(2)), ONE), HALF_NEG))


_COS_NONZERO = (Condition("!=", raw("cos", U), "cos(u) ≠ 0"),)
_SIN_NONZERO = (Condition("!=", raw("sin", U), "sin(u) ≠ 0"),)
_UNIT = (Condition("<=", sub(raw("abs", U), ONE), "|u| ≤ 1"),)
_INSIDE_UNIT = (Condition("<", sub(raw("abs", U), ONE), "|u| < 1"),)
_OUTSIDE_UNIT = (Condition(">=", sub(raw("abs", U), ONE), "|u| ≥ 1"),)
_STRICTLY_OUTSIDE = (Condition(">", sub(raw("abs", U), ONE), "|u| > 1"),)

RULES: list[Rule] = [
    Rule("sin", 1, np.sin, unary("sin", cos), notation("sin", latex="\\sin"), bound=1.0,
         interval=Interval(turns=(PI / 2,), period=PI, image=(-1.0, 1.0)),
         spellings=Spellings(latex=("sin",))),
    Rule("cos", 1, np.cos, unary("cos", lambda u: neg(sin(u))), notation("cos", latex="\\cos"),
         bound=1.0, interval=Interval(turns=(0.0,), period=PI, image=(-1.0, 1.0)),
         spellings=Spellings(latex=("cos",))),
    Rule("tan", 1, np.tan, unary("tan", lambda u: power(sec(u), num(2))),
         notation("tan", latex="\\tan"), bound=math.inf, domain=_COS_NONZERO,
         interval=Interval(poles=(PI / 2,), period=PI), spellings=Spellings(latex=("tan",))),
    Rule("sec", 1, _np_sec, unary("sec", lambda u: mul(sec(u), tan(u))),
         notation("sec", latex="\\sec", python="(1 / np.cos({0}))",
                  scalar="(1.0 / math.cos({0}))"),
         bound=math.inf, domain=_COS_NONZERO,
         interval=Interval(turns=(0.0,), poles=(PI / 2,), period=PI),
         spellings=Spellings(latex=("sec",))),
    Rule("csc", 1, _np_csc, unary("csc", lambda u: neg(mul(csc(u), cot(u)))),
         notation("csc", latex="\\csc", python="(1 / np.sin({0}))",
                  scalar="(1.0 / math.sin({0}))"),
         bound=math.inf, domain=_SIN_NONZERO,
         interval=Interval(turns=(PI / 2,), poles=(0.0,), period=PI),
         spellings=Spellings(latex=("csc",))),
    Rule("cot", 1, _np_cot, unary("cot", lambda u: neg(power(csc(u), num(2)))),
         notation("cot", latex="\\cot", python="(1 / np.tan({0}))",
                  scalar="(1.0 / math.tan({0}))"),
         bound=math.inf, domain=_SIN_NONZERO, interval=Interval(poles=(0.0,), period=PI),
         spellings=Spellings(latex=("cot",))),
    # ---- inverses
    Rule("asin", 1, np.arcsin,
         unary("asin", lambda u: power(sub(ONE, power(u, num(2))), HALF_NEG)),
         notation("asin", latex="\\arcsin", python="np.arcsin({0})"), bound=math.inf,
         domain=_UNIT, smooth=_INSIDE_UNIT, interval=Interval(domain=(-1.0, 1.0)),
         spellings=Spellings(aliases=("arcsin",), latex=("arcsin",), inverse_of="sin")),
    Rule("acos", 1, np.arccos,
         unary("acos", lambda u: neg(power(sub(ONE, power(u, num(2))), HALF_NEG))),
         notation("acos", latex="\\arccos", python="np.arccos({0})"), bound=math.inf,
         domain=_UNIT, smooth=_INSIDE_UNIT, interval=Interval(domain=(-1.0, 1.0)),
         spellings=Spellings(aliases=("arccos",), latex=("arccos",), inverse_of="cos")),
    Rule("atan", 1, np.arctan,
         unary("atan", lambda u: power(add(ONE, power(u, num(2))), NEG_ONE)),
         notation("atan", latex="\\arctan", python="np.arctan({0})"), bound=1.0,
         saturates=True, interval=Interval(),
         spellings=Spellings(aliases=("arctan",), latex=("arctan",), inverse_of="tan")),
    Rule("acot", 1, _np_acot,
         unary("acot", lambda u: neg(power(add(ONE, power(u, num(2))), NEG_ONE))),
         notation("acot", latex="\\operatorname{arccot}",
                  python="np.arctan(1.0 / {0})", scalar="_acot({0})"),
         bound=1.0, saturates=True, smooth=(Condition("!=", U, "u ≠ 0"),),
         interval=Interval(poles=(0.0,), image=(-PI / 2, PI / 2)), helpers={"_acot": _acot},
         spellings=Spellings(aliases=("arccot",), latex=("arccot",), inverse_of="cot")),
    Rule("asec", 1, _np_asec, unary("asec", _inv_abs_root),
         notation("asec", latex="\\operatorname{arcsec}",
                  python="np.arccos(1.0 / {0})", scalar="_asec({0})"),
         bound=math.inf, domain=_OUTSIDE_UNIT, smooth=_STRICTLY_OUTSIDE,
         interval=Interval(poles=(0.0,), image=(0.0, PI)), helpers={"_asec": _asec},
         spellings=Spellings(aliases=("arcsec",), latex=("arcsec",), inverse_of="sec")),
    Rule("acsc", 1, _np_acsc, unary("acsc", lambda u: neg(_inv_abs_root(u))),
         notation("acsc", latex="\\operatorname{arccsc}",
                  python="np.arcsin(1.0 / {0})", scalar="_acsc({0})"),
         bound=math.inf, domain=_OUTSIDE_UNIT, smooth=_STRICTLY_OUTSIDE,
         interval=Interval(poles=(0.0,), image=(-PI / 2, PI / 2)), helpers={"_acsc": _acsc},
         spellings=Spellings(aliases=("arccsc",), latex=("arccsc",), inverse_of="csc")),
    Rule("atan2", 2, np.arctan2, _atan2_partial,
         notation("atan2", python="np.arctan2({0}, {1})", scalar="math.atan2({0}, {1})",
                  arity=2),
         bound=math.inf,
         smooth=(Condition("!=", add(power(U, num(2)), power(V, num(2))), "(u, v) ≠ (0, 0)"),),
         interval=Interval(known=False, image=(-PI, PI)),
         spellings=Spellings(aliases=("arctan2",))),
]
