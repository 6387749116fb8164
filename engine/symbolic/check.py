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

import numpy as np
from chainlens.engine.core.ir import ZERO, Node, free_symbols, postorder, sub
from chainlens.engine.core.source import ChainError, EvaluationError
from chainlens.engine.rules import RULES

__all__ = ["CheckResult", "check_derivative", "value_at"]

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

    def to_dict(self) -> dict:
        from chainlens.engine.printing import render

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
    from chainlens.engine.symbolic.chain import _as_node, _diff_node, _one_wrt
    from chainlens.engine.symbolic.conditions import conditions_of
    from chainlens.engine.symbolic.simplify import simplify

    node, declared = _as_node(expr)
    if isinstance(claimed, str):
        from chainlens.engine.language.reader import parse_expr

        claimed = parse_expr(claimed)
    var = _one_wrt(wrt, node, declared)
    d = _diff_node(node, var).result
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
        raise EvaluationError("no point of the expression's domain gave finite values "
                              "to compare the derivatives at")
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


def value_at(root: Node, env: dict[str, float]) -> float:
    """The float value of ``root`` at a point (nan outside the domain),
    from the rules table's numpy forwards."""
    vals: dict[Node, float] = {}
    with np.errstate(all="ignore"):
        for node in postorder(root):
            op = node.op
            if op == "num":
                v = _float(node.value)
            elif op == "sym":
                if node.value not in env:
                    raise EvaluationError(f"no value for {node.value!r}")
                v = float(env[node.value])
            elif op == "pi":
                v = math.pi
            elif op == "add":
                v = math.fsum(vals[a] for a in node.args)
            elif op == "mul":
                v = 1.0
                for a in node.args:
                    v *= vals[a]
            else:
                rule = RULES[op]
                if rule.kind != "elementwise":
                    raise ChainError(f"{op} is a tensor operation; derivative checks take "
                                     "scalar expressions", hint="check it numerically with "
                                     "chainlens grad")
                v = float(rule.forward(*(np.float64(vals[a]) for a in node.args)))
            vals[node] = v
    return vals[root]


def _float(value) -> float:
    """A rational as a float, saturating to ±inf beyond float64's range."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf
