"""Two-sided limits ``lim_{v -> c} E`` that can be computed for certain.

Notes derive derivatives from first principles, ``f'(x) = lim_{h->0}
((x+h)^2 - x^2)/h = lim_{h->0} (2x + h) = 2x``; a checker that reads such a
chain must know each step's value, and must never guess one.  :func:`limit`
computes a limit only by the steps a calculus course allows without
conditions of its own:

1. substitution: ``E`` is continuous at ``c`` when every primitive in it is
   defined around ``c`` and smooth there (the rules table's ``domain`` and
   ``smooth`` conditions, :func:`~chainlens.engine.symbolic.conditions.conditions_of`);
   then the limit is ``E(c)`` (elementary functions are continuous inside
   their domain);
2. l'Hôpital's rule, at most :data:`MAX_RULES` times: ``E = N/D`` with
   ``N(c) = D(c) = 0``, ``N`` and ``D`` smooth around ``c``, and the limit of
   ``N'/D'`` computable (which includes ``sin h / h``, ``(e^h - 1)/h`` and
   every difference quotient of a smooth function).

Anything else (one-sided limits, limits at infinity, ``0 * inf``, a kink or a
jump at ``c``, a form the steps above do not settle) is *not computed*: the
result says why, and a note's step is then "not checked", never "wrong".
Each computed value is also confirmed numerically (``E`` near ``c`` on both
sides agrees with it at several points of the other variables), so a flaw in
the symbolic steps cannot turn into a verdict.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from fractions import Fraction

from chainlens.engine.core.ir import add, mul, power
from chainlens.engine.core.nodes import ZERO, Node, num, sym
from chainlens.engine.core.source import ChainError
from chainlens.engine.core.walk import free_symbols, substitute
from chainlens.engine.symbolic.conditions import conditions_of
from chainlens.engine.symbolic.derivatives import diff_node
from chainlens.engine.symbolic.simplify import simplify
from chainlens.engine.symbolic.values import value_at

__all__ = ["Limit", "limit", "quotient_parts", "MAX_RULES"]

#: Applications of l'Hôpital's rule before giving up.
MAX_RULES = 3
#: Points of the other variables at which each condition is tested.
SAMPLES = 12
#: Of those, at least this many must be inside the domain (else: not computed).
ENOUGH = 3
#: Distances from ``c`` at which the value is confirmed numerically.
NEAR = (1e-4, -1e-4, 1e-6, -1e-6)
#: Relative tolerance of that confirmation.
RTOL = 1e-3


@dataclass(frozen=True)
class Limit:
    """``value`` is the limit (None when not computed; ``reason`` says why);
    ``how`` names the steps taken (``"substitution"``, ``"l'Hôpital ×2"``)."""

    expr: Node
    var: str
    point: Node
    value: Node | None = None
    how: str = ""
    reason: str = ""


def limit(expr: Node, var: str, point: Node) -> Limit:
    """``lim_{var -> point} expr`` (two-sided), when it can be computed for
    certain (see the module docstring)."""
    if var in free_symbols(point):
        return Limit(expr, var, point, reason="the point depends on the variable")
    envs = _envs(expr, var, point)
    try:
        value, rules = _limit(expr, var, point, envs, MAX_RULES)
    except (ChainError, ArithmeticError, ValueError, RecursionError) as exc:
        return Limit(expr, var, point, reason=getattr(exc, "message", str(exc)) or
                     type(exc).__name__)
    if isinstance(value, str):
        return Limit(expr, var, point, reason=value)
    if not _confirmed(expr, var, point, value, envs):
        return Limit(expr, var, point, reason="the value found does not match the expression "
                     "near the point")
    how = "substitution" if rules == 0 else "l'Hôpital's rule" + (f" ×{rules}" if rules > 1
                                                                 else "")
    return Limit(expr, var, point, value, how=how)


def _envs(expr: Node, var: str, point: Node) -> list[dict[str, float]]:
    """Seeded points of the other variables (the seed is the question's hash)."""
    names = sorted((set(free_symbols(expr)) | set(free_symbols(point))) - {var})
    rng = random.Random(expr.digest * 31 + point.digest)
    # half of them positive: many limits live where a logarithm or a root is defined
    return [{n: round(rng.uniform(-2.5 if k % 2 else 0.1, 2.5), 4) for n in names}
            for k in range(SAMPLES)]


def _at(env: dict[str, float], var: str, point: Node, offset: float = 0.0) -> dict | None:
    try:
        c = value_at(point, env)
    except (ChainError, ArithmeticError, ValueError):
        return None
    if not math.isfinite(c):
        return None
    return {**env, var: c + offset}


def _near_ok(node: Node, var: str, point: Node, env: dict[str, float]) -> bool | None:
    """Is ``node`` defined and smooth on both sides of the point and at it?
    None: this point of the other variables is outside the domain."""
    conds = conditions_of(node)
    for offset in (-1e-3, 1e-3, 0.0):
        here = _at(env, var, point, offset)
        if here is None:
            return None
        for c in conds:
            try:
                v = value_at(c.expr, here)
            except (ChainError, ArithmeticError, ValueError):
                return None
            if not math.isfinite(v):
                return None
            if c.kind == "nondifferentiable" and abs(v) <= 1e-9 * (1 + abs(here[var])):
                return False  # a kink or a jump at (or right by) the point
            if c.kind == "domain" and not _holds(c.relation, v):
                if offset == 0.0:
                    return False  # the point is on the domain's edge: one side only
                return None
    return True


def _holds(relation: str, v: float) -> bool:
    return {">": v > 0, ">=": v > 0, "<": v < 0, "<=": v < 0, "!=": v != 0,
            "==": v == 0}.get(relation, False)


def _continuous(node: Node, var: str, point: Node, envs) -> bool | str:
    """True when ``node`` is continuous at the point for every sampled point
    of the other variables inside its domain; a reason when it is not."""
    inside = 0
    for env in envs:
        ok = _near_ok(node, var, point, env)
        if ok is False:
            return "a kink, a jump or the edge of the domain at the point"
        if ok:
            inside += 1
    return True if inside >= ENOUGH else "the expression is undefined near the point"


def _substituted(node: Node, var: str, point: Node) -> Node | None:
    try:
        return simplify(substitute(node, {sym(var): point}))
    except (ChainError, ArithmeticError, ValueError):
        return None


def quotient_parts(node: Node) -> tuple[Node, Node]:
    """``N/D``: the factors with a negative numeric power form ``D``."""
    factors = node.args if node.op == "mul" else (node,)
    top, bottom = [], []
    for f in factors:
        if f.op == "pow" and f.args[1].op == "num" and f.args[1].value < 0:
            bottom.append(power(f.args[0], num(-f.args[1].value)))
        else:
            top.append(f)
    return mul(*top) if top else num(1), mul(*bottom) if bottom else num(1)


def _zero_at(node: Node, var: str, point: Node, envs) -> bool:
    """``node(point) = 0`` for every sampled point of the other variables."""
    here = _substituted(node, var, point)
    if here is ZERO:
        return True
    seen = 0
    for env in envs:
        at = _at(env, var, point)
        try:
            v = value_at(node, at) if at is not None else math.nan
        except (ChainError, ArithmeticError, ValueError):
            continue
        if not math.isfinite(v):
            continue
        if abs(v) > 1e-9:
            return False
        seen += 1
    return seen >= ENOUGH


def _limit(node: Node, var: str, point: Node, envs, rules_left: int):
    """``(value, rules used)`` or ``(reason, 0)``."""
    if var not in free_symbols(node):
        return node, 0
    top, bottom = quotient_parts(node)
    if var not in free_symbols(bottom) or not _zero_at(bottom, var, point, envs):
        ok = _continuous(node, var, point, envs)
        if ok is True:
            value = _substituted(node, var, point)
            if value is None:
                return "the expression has no value at the point", 0
            return value, 0
        if node.op in ("add", "mul") and len(node.args) > 1:
            # the limit of a sum (a product) is the sum (product) of limits that exist
            return _parts(node, var, point, envs, rules_left, ok)
        return ok, 0
    # a denominator that vanishes at the point: only 0/0 has a chance
    for part in (top, bottom):
        ok = _continuous(part, var, point, envs)
        if ok is not True:
            return ok, 0
    if not _zero_at(top, var, point, envs):
        return "the denominator vanishes at the point but the numerator does not (no finite " \
               "limit)", 0
    if rules_left == 0:
        return f"the form 0/0 remains after l'Hôpital's rule ×{MAX_RULES}", 0
    d_top = diff_node(top, var).result
    d_bottom = diff_node(bottom, var).result
    quotient = simplify(mul(d_top, power(d_bottom, num(Fraction(-1)))))
    value, rules = _limit(quotient, var, point, envs, rules_left - 1)
    if isinstance(value, str):
        return value, 0
    return value, rules + 1


def _parts(node: Node, var: str, point: Node, envs, rules_left: int, why: str):
    values, used = [], 0
    for part in node.args:
        value, rules = _limit(part, var, point, envs, rules_left)
        if isinstance(value, str):
            return why, 0
        values.append(value)
        used = max(used, rules)
    joined = add(*values) if node.op == "add" else mul(*values)
    return simplify(joined), used


def _confirmed(expr: Node, var: str, point: Node, value: Node, envs) -> bool:
    """``expr`` near the point agrees with ``value`` (both sides, several
    points of the other variables; none where the gap does not shrink as the
    point is approached)."""
    agree = 0
    for env in envs:
        base = _at(env, var, point)
        if base is None:
            continue
        try:
            want = value_at(value, base)
        except (ChainError, ArithmeticError, ValueError):
            continue
        if not math.isfinite(want):
            continue
        gaps = []
        for offset in NEAR:
            try:
                got = value_at(expr, {**base, var: base[var] + offset})
            except (ChainError, ArithmeticError, ValueError):
                got = math.nan
            gaps.append(abs(got - want) / max(1.0, abs(want)))
        if not all(math.isfinite(g) for g in gaps):
            continue
        far, close = max(gaps[:2]), max(gaps[2:])
        if close <= RTOL:
            agree += 1
        elif close > 0.5 * far:
            return False  # the gap does not close: not the limit
    return agree >= ENOUGH
