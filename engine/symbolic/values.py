"""The one point evaluator of the IR: an expression's float value at a
point, from the rules table's numpy forwards (IEEE semantics: NaN outside
the domain, ±inf past float64's range).  Derivative checks, domain
conditions and the tests' oracles all use it; batched evaluation is the
numeric kernels' job (:mod:`chainlens.engine.numeric`)."""

from __future__ import annotations

import math

import numpy as np
from chainlens.engine.core.nodes import Node
from chainlens.engine.core.source import ChainError, EvaluationError
from chainlens.engine.core.walk import postorder
from chainlens.engine.rules import RULES

__all__ = ["value_at"]


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
                terms = [vals[a] for a in node.args]
                # fsum raises on inf - inf; IEEE arithmetic gives NaN (issue #19)
                v = math.fsum(terms) if all(map(math.isfinite, terms)) else sum(terms)
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
