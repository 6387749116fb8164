"""Is a claimed derivative right?

Two independent judgements, cheapest first: the simplified difference
between our derivative and the claim is ``0`` (then they are equal as
expressions), otherwise both are evaluated at seeded random points inside
the expression's domain.  A point where they differ is a counterexample and
is reported with both values; agreement at every point is reported as
equal "numerically" (an identity the simplifier does not know, such as
``(1 - x^2)/(1 + x^2)^2`` versus its partial fractions).

The points depend only on the two expressions (the seed is their stable
hash), so the same question gets the same answer on every machine.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from chainlens.engine.core.ir import sub
from chainlens.engine.core.nodes import ZERO, Node
from chainlens.engine.core.source import EvaluationError
from chainlens.engine.core.walk import free_symbols
from chainlens.engine.language.reader import parse_expr
from chainlens.engine.printing import render
from chainlens.engine.symbolic.coerce import as_node, one_wrt
from chainlens.engine.symbolic.conditions import conditions_of
from chainlens.engine.symbolic.derivatives import diff_node
from chainlens.engine.symbolic.simplify import simplify
from chainlens.engine.symbolic.values import value_at

__all__ = ["CheckResult", "check_derivative"]

#: Points at which a claim is compared when the difference does not simplify to 0.
POINTS = 24
#: Relative tolerance of the numeric comparison.
RTOL = 1e-7


@dataclass(frozen=True)
class CheckResult:
    """``equal``: the claim is the derivative.  ``method`` is ``"symbolic"``
    (the difference simplifies to 0) or ``"numeric"`` (compared at
    ``points`` points).  When not equal, ``counterexample`` is a point
    (``((name, value), ...)``) with ``expected`` (our value) and ``got``
    (the claim's)."""

    equal: bool
    expr: Node
    claimed: Node
    wrt: str
    derivative: Node
    difference: Node
    method: str
    points: int = 0
    counterexample: tuple[tuple[str, float], ...] | None = None
    expected: float | None = None
    got: float | None = None

    def __repr__(self) -> str:
        head = f"d/d{self.wrt} {render(self.expr, 'unicode', 200)} = " \
               f"{render(self.derivative, 'unicode', 200)}"
        if self.equal:
            return f"CheckResult(equal: {render(self.claimed, 'unicode', 200)}; {head})"
        at = ", ".join(f"{k}={v:.4g}" for k, v in self.counterexample or ())
        return f"CheckResult(not equal: {render(self.claimed, 'unicode', 200)}; {head}" + \
               (f"; at {at}: {self.expected:.6g} vs {self.got:.6g})" if at else ")")

    def _repr_markdown_(self) -> str:
        verdict = "**equal**" if self.equal else "**not equal**"
        lines = [f"{verdict}: `{render(self.claimed, 'unicode', 200)}`; d/d{self.wrt} "
                 f"`{render(self.expr, 'unicode', 200)}` = "
                 f"`{render(self.derivative, 'unicode', 200)}`"]
        if self.counterexample:
            at = ", ".join(f"{k} = {v:.6g}" for k, v in self.counterexample)
            lines.append(f"- at {at} the derivative is {self.expected:.6g}, the claim gives "
                         f"{self.got:.6g}")
        return "\n".join(lines)

    def _repr_latex_(self) -> str:
        rel = "=" if self.equal else "\\neq"
        return (f"$\\frac{{d}}{{d{self.wrt}}}\\left[{render(self.expr, 'latex')}\\right] "
                f"= {render(self.derivative, 'latex')} {rel} {render(self.claimed, 'latex')}$")

    def to_dict(self) -> dict:
        return {
            "equal": self.equal,
            "expr": render(self.expr, "text"),
            "claimed": render(self.claimed, "text"),
            "wrt": self.wrt,
            "derivative": render(self.derivative, "text"),
            "difference": render(self.difference, "text"),
            "method": self.method,
            "points": self.points,
            "counterexample": dict(self.counterexample) if self.counterexample else None,
            "expected": self.expected,
            "got": self.got,
        }


def check_derivative(expr, claimed, wrt: str | None = None) -> CheckResult:
    """Whether ``claimed`` is d``expr``/d``wrt`` (see the module docstring)."""
    node, declared = as_node(expr)
    if isinstance(claimed, str):
        claimed = parse_expr(claimed)
    var = one_wrt(wrt, node, declared)
    d = diff_node(node, var).result
    difference = simplify(sub(d, claimed))
    if difference is ZERO:
        return CheckResult(True, node, claimed, var, d, difference, "symbolic")
    names = sorted(set(free_symbols((node, claimed))) | {var})
    conds = [c for c in conditions_of(node) if c.kind == "domain"]
    rng = random.Random(node.digest * 1_000_003 + claimed.digest)
    tested = 0
    for _ in range(POINTS * 10):
        env = {n: _draw(rng) for n in names}
        if any(c.holds(env) is not True for c in conds):
            continue
        want, got = value_at(d, env), value_at(claimed, env)
        if not (math.isfinite(want) and math.isfinite(got)):
            continue
        tested += 1
        if abs(want - got) > RTOL * max(1.0, abs(want), abs(got)):
            point = tuple((n, env[n]) for n in names)
            return CheckResult(False, node, claimed, var, d, difference, "numeric", tested,
                               point, want, got)
        if tested >= POINTS:
            break
    if tested == 0:
        raise EvaluationError("not checked: no point of the expression's domain gave finite "
                              "values to compare the derivatives at",
                              hint="every value was NaN or ±Inf at the points tried; "
                                   "constants beyond ±1.8e308 overflow double precision")
    return CheckResult(True, node, claimed, var, d, difference, "numeric", tested)


def _draw(rng: random.Random) -> float:
    # Mostly moderate values of either sign, some near 0 and in (0, 1) where
    # inverse trig and roots live; rounded so counterexamples read well.
    kind = rng.random()
    if kind < 0.5:
        v = rng.uniform(-3.0, 3.0)
    elif kind < 0.8:
        v = rng.uniform(0.05, 1.0)
    else:
        v = rng.uniform(-1.0, -0.05)
    return round(v, 4)


