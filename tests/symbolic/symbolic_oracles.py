"""Independent oracles for derivatives: central finite differences of the
numpy forwards, and SymPy (the IR converted to SymPy by hand here, so that
no chainlens code sits between the expression and the oracle)."""

from __future__ import annotations

import math

import sympy as sp
from chainlens.engine.core.nodes import Node
from chainlens.engine.core.walk import postorder
from chainlens.engine.symbolic.values import value_at


def central_difference(node: Node, var: str, env: dict[str, float], h: float = 1e-6) -> float:
    """(f(x + h) - f(x - h)) / 2h, with h scaled to |x|."""
    step = h * max(1.0, abs(env[var]))
    up = dict(env, **{var: env[var] + step})
    down = dict(env, **{var: env[var] - step})
    return (value_at(node, up) - value_at(node, down)) / (2 * step)


def close(a: float, b: float, rtol: float = 1e-5, atol: float = 1e-6) -> bool:
    return math.isclose(a, b, rel_tol=rtol, abs_tol=atol)


_SYMPY = {
    "sin": sp.sin, "cos": sp.cos, "tan": sp.tan, "exp": sp.exp, "log": sp.log,
    "tanh": sp.tanh, "sinh": sp.sinh, "cosh": sp.cosh, "atan": sp.atan, "asin": sp.asin,
    "acos": sp.acos, "asinh": sp.asinh, "erf": sp.erf, "sec": sp.sec, "csc": sp.csc,
    "cot": sp.cot, "abs": sp.Abs,
    "sigmoid": lambda u: 1 / (1 + sp.exp(-u)),
    "softplus": lambda u: sp.log(1 + sp.exp(u)),
}


def to_sympy(root: Node) -> sp.Expr:
    out: dict[Node, sp.Expr] = {}
    for node in postorder(root):
        op = node.op
        if op == "num":
            v = sp.Rational(node.value.numerator, node.value.denominator)
        elif op == "sym":
            v = sp.Symbol(node.value, real=True)
        elif op == "pi":
            v = sp.pi
        elif op == "add":
            v = sp.Add(*(out[a] for a in node.args))
        elif op == "mul":
            v = sp.Mul(*(out[a] for a in node.args))
        elif op == "pow":
            v = sp.Pow(out[node.args[0]], out[node.args[1]])
        else:
            v = _SYMPY[op](*(out[a] for a in node.args))
        out[node] = v
    return out[root]
