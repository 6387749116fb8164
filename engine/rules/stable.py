"""Numerically stable forms: ``log1p``/``expm1``, and the one matcher that
finds textbook spellings with a stable equivalent.

The numeric path evaluates (and differentiates) a stable form in place of
the textbook one: equal in exact arithmetic, without the overflow and
cancellation.  The doors (editor quick fixes, ``chainlens health``) report
the textbook forms that also break the user's own numpy/torch code
(``api.stability``).

* ``1/(1 + exp(-u))`` -> ``sigmoid(u)`` (``exp(-u)`` overflows for u << 0)
* ``log(1 + exp(u))`` -> ``softplus(u)`` (overflows for u >> 0)
* ``log(sigmoid(u))`` -> ``-softplus(-u)`` (-inf for u << 0, and its gradient
  NaN: sigmoid underflows to 0 below u = -745)
* ``log(sum(exp(u)))`` -> ``logsumexp(u)`` (shifts by the maximum)
* ``log(1 + u)`` -> ``log1p(u)``, ``exp(u) - 1`` -> ``expm1(u)`` (cancellation near 0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from chainlens.engine.core.ir import add, neg, power
from chainlens.engine.core.nodes import NEG_ONE, ONE, Node, raw
from chainlens.engine.rules.types import (
    PLACEHOLDERS,
    Condition,
    Interval,
    Rule,
    call_of,
    notation,
    unary,
)

__all__ = ["RULES", "Stable", "match_stable", "stable_form"]

U = PLACEHOLDERS[0]
exp = call_of("exp")

RULES: list[Rule] = [
    Rule("log1p", 1, np.log1p, unary("log1p", lambda u: power(add(ONE, u), NEG_ONE)),
         notation("log1p"), bound=math.inf,
         domain=(Condition(">", add(U, ONE), "u > -1"),),
         interval=Interval(domain=(-1.0, math.inf))),
    Rule("expm1", 1, np.expm1, unary("expm1", exp), notation("expm1"),
         bound=math.inf, interval=Interval()),
]


@dataclass(frozen=True)
class Stable:
    """A textbook form found in a DAG: ``name`` of the rewrite, its argument
    ``arg`` (the ``u``), the equal stable ``node`` (which the numeric path
    computes instead), the two forms in words, and why the textbook one fails."""

    name: str
    arg: Node
    node: Node
    unstable: str
    stable: str
    why: str


def _one_plus(node: Node) -> Node | None:
    """``u`` when ``node`` is ``1 + u``."""
    if node.op == "add" and node.args[0].op == "num" and node.args[0].value == 1:
        rest = node.args[1:]
        return rest[0] if len(rest) == 1 else add(*rest)
    return None


def match_stable(node: Node) -> Stable | None:
    """The stable rewrite of ``node``, or None (shape matching only)."""
    if node.op == "pow" and node.args[1].op == "num" and node.args[1].value == -1:
        u = _one_plus(node.args[0])
        if u is not None and u.op == "exp":
            v = u.args[0]
            return Stable("sigmoid", neg(v), raw("sigmoid", neg(v)), "1/(1 + exp(-u))",
                          "sigmoid(u)", "overflows for u << 0")
    if node.op == "log":
        arg = node.args[0]
        if arg.op == "sigmoid":
            u = arg.args[0]
            return Stable("logsigmoid", u, neg(raw("softplus", neg(u))), "log(sigmoid(u))",
                          "-softplus(-u)", "is -inf for u << 0")
        if arg.op == "sum" and arg.args[0].op == "exp":
            u = arg.args[0].args[0]
            return Stable("logsumexp", u, raw("logsumexp", u), "log(sum(exp(u)))",
                          "logsumexp(u)", "overflows for large u")
        u = _one_plus(arg)
        if u is not None and u.op == "exp":
            return Stable("softplus", u.args[0], raw("softplus", u.args[0]), "log(1 + exp(u))",
                          "softplus(u)", "overflows for large |u|")
        if u is not None:
            return Stable("log1p", u, raw("log1p", u), "log(1 + u)", "log1p(u)",
                          "loses digits near u = 0")
    if (node.op == "add" and len(node.args) == 2 and node.args[0].op == "num"
            and node.args[0].value == -1 and node.args[1].op == "exp"):
        u = node.args[1].args[0]
        return Stable("expm1", u, raw("expm1", u), "exp(u) - 1", "expm1(u)",
                      "loses digits near u = 0")
    return None


def stable_form(node: Node) -> Node | None:
    """The numerically stable primitive the numeric path computes in place
    of ``node``, or None."""
    found = match_stable(node)
    return found.node if found is not None else None
