"""Arithmetic, roots and piecewise primitives.

``add`` and ``mul`` are n-ary (their partials are the sum and product
rules); ``pow``'s two partials are the power rule and logarithmic
differentiation.  ``sqrt`` is rewritten to a power on construction; ``cbrt``
keeps the real cube root of negatives.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from chainlens.engine.core.ir import add, mul, power, sqrt, sub
from chainlens.engine.core.nodes import HALF, ONE, Node, num
from chainlens.engine.rules.types import (
    PLACEHOLDERS,
    Condition,
    Interval,
    Notation,
    Rule,
    Spellings,
    call_of,
    nary,
    notation,
    unary,
)

__all__ = ["RULES"]

U, V = PLACEHOLDERS[0], PLACEHOLDERS[1]
log, sign, cbrt = call_of("log"), call_of("sign"), call_of("cbrt")


def _mul_partial(args: tuple[Node, ...], i: int) -> Node:
    return mul(*(a for j, a in enumerate(args) if j != i))


def _pow_partial(args: tuple[Node, ...], i: int) -> Node:
    u, v = args
    if i == 0:
        # A rational exponent's v - 1 is folded at once (the node sub() gives).
        return mul(v, power(u, num(v.value - 1) if v.op == "num" else sub(v, ONE)))
    return mul(power(u, v), log(u))


def _max_partial(args: tuple[Node, ...], i: int) -> Node:
    # Ties split the gradient evenly (PyTorch's convention for maximum).
    a, b = args
    s = sign(sub(a, b)) if i == 0 else sign(sub(b, a))
    return mul(HALF, add(ONE, s))


def _min_partial(args: tuple[Node, ...], i: int) -> Node:
    a, b = args
    s = sign(sub(b, a)) if i == 0 else sign(sub(a, b))
    return mul(HALF, add(ONE, s))


def _np_step(x):
    return np.where(x > 0, 1.0, 0.0)


# ---- one-point spellings where math has none ------------------------------


def _sign(x):
    if x > 0:
        return 1.0
    if x < 0:
        return -1.0
    return x  # 0.0 and NaN keep themselves, like np.sign


def _maximum(a, b):
    return a if (a >= b or a != a) else b  # NaN propagates, like np.maximum


def _minimum(a, b):
    return a if (a <= b or a != a) else b


def _cbrt(x):
    return math.copysign(abs(x) ** (1.0 / 3.0), x)


def _step(x):
    return 1.0 if x > 0 else 0.0


_NONZERO = (Condition("!=", U, "u ≠ 0"),)
_INCREASING = Interval()
_EVEN = Interval(turns=(0.0,))

RULES: list[Rule] = [
    Rule("add", -1, nary(np.add), lambda args, i: ONE,
         Notation("+", "+", "+", "{0} + {1}", "{0} + {1}"), bound=1.0),
    Rule("mul", -1, nary(np.multiply), _mul_partial,
         # a graph node titled "·" would read as the pictures' operand mark, "(·)²"
         Notation("*", "·", "\\cdot", "{0} * {1}", "{0} * {1}", graph="×")),
    Rule("pow", 2, np.power, _pow_partial,
         Notation("^", "^", "^", "{0} ** {1}", "math.pow({0}, {1})")),
    # ---- roots (sqrt is a power; cbrt keeps real cube roots of negatives)
    Rule("sqrt", 1, np.sqrt, unary("sqrt", lambda u: mul(HALF, power(u, num(Fraction(-1, 2))))),
         notation("sqrt", "√", "\\sqrt"), bound=math.inf,
         domain=(Condition(">=", U, "u ≥ 0"),), smooth=(Condition(">", U, "u > 0"),),
         canonical=sqrt, interval=Interval(domain=(0.0, math.inf))),
    Rule("cbrt", 1, np.cbrt,
         unary("cbrt", lambda u: mul(num(Fraction(1, 3)), power(cbrt(u), num(-2)))),
         notation("cbrt", "∛", "\\sqrt[3]", scalar="_cbrt({0})"), bound=math.inf,
         smooth=_NONZERO, interval=_INCREASING, helpers={"_cbrt": _cbrt}),
    # ---- piecewise
    Rule("abs", 1, np.abs, unary("abs", sign),
         notation("abs", "abs", "\\left|{0}\\right|", scalar="abs({0})"),
         bound=1.0, smooth=_NONZERO, interval=_EVEN,
         spellings=Spellings(aliases=("absolute", "fabs"))),
    Rule("sign", 1, np.sign, unary("sign", lambda u: num(0)),
         notation("sign", latex="\\operatorname{sgn}", scalar="_sign({0})"),
         bound=0.0, smooth=_NONZERO, interval=_INCREASING, helpers={"_sign": _sign},
         spellings=Spellings(aliases=("sgn",), latex=("sgn",))),
    Rule("step", 1, _np_step, unary("step", lambda u: num(0)),
         notation("step", "H", "H", "np.where({0} > 0, 1.0, 0.0)", "_step({0})"), bound=0.0,
         smooth=_NONZERO, interval=_INCREASING, helpers={"_step": _step},
         spellings=Spellings(aliases=("heaviside",))),
    Rule("max", 2, np.maximum, _max_partial,
         notation("max", latex="\\max", python="np.maximum({0}, {1})",
                  scalar="_maximum({0}, {1})"),
         bound=1.0, smooth=(Condition("!=", sub(U, V), "u ≠ v"),), helpers={"_maximum": _maximum},
         interval=_INCREASING,
         spellings=Spellings(aliases=("maximum",), latex=("max",))),
    Rule("min", 2, np.minimum, _min_partial,
         notation("min", latex="\\min", python="np.minimum({0}, {1})",
                  scalar="_minimum({0}, {1})"),
         bound=1.0, smooth=(Condition("!=", sub(U, V), "u ≠ v"),), helpers={"_minimum": _minimum},
         interval=_INCREASING,
         spellings=Spellings(aliases=("minimum",), latex=("min",))),
]
