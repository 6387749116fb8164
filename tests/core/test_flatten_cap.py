"""Sums are flattened only up to ir.FLATTEN_MAX operands: a residual chain
``a = f(a) + a`` stays linear in size (it was quadratic: a 10,000-layer one
took a minute to read) and keeps its value."""

import math

from chainlens.engine import parse
from chainlens.engine.core import ir
from chainlens.engine.core.nodes import sym
from chainlens.engine.core.walk import postorder
from chainlens.engine.symbolic.values import value_at


def _residual(layers: int) -> str:
    return (f"a = x\nrepeat k in 1..{layers} {{\n  z_k = w_k * a + b_k\n"
            "  a = asinh(z_k) + a\n}\nL = a\n")


def test_small_sums_are_flat_as_before():
    terms = [sym(f"t{i}") for i in range(ir.FLATTEN_MAX)]
    inner = ir.add(*terms[1:])
    assert ir.add(terms[0], inner).args == ir.add(*terms).args


def test_a_long_sum_stays_one_operand_of_an_enclosing_sum():
    long = ir.add(*[sym(f"t{i}") for i in range(ir.FLATTEN_MAX + 1)])
    outer = ir.add(sym("u"), long)
    assert long in outer.args and len(outer.args) == 2


def test_residual_chain_is_linear_in_size_and_keeps_its_value():
    layers = 300
    expr = parse(_residual(layers)).expr
    widest = max(len(n.args) for n in postorder(expr) if n.op == "add")
    assert widest <= ir.FLATTEN_MAX + 1
    env = {"x": 0.3} | {f"w_{k}": 0.01 * k for k in range(1, layers + 1)} \
        | {f"b_{k}": -0.002 * k for k in range(1, layers + 1)}
    a = env["x"]
    for k in range(1, layers + 1):
        a = math.asinh(env[f"w_{k}"] * a + env[f"b_{k}"]) + a
    assert math.isclose(value_at(expr, env), a, rel_tol=1e-12)
