"""Module-level ``nn.Sequential(nn.Linear(..), nn.Sigmoid(), ...)`` stacks
read as programs: one layer per ``Linear`` followed by its activation, the
weights at PyTorch's default initialisation.

Split from :mod:`python_source` by role (that module reads functions and
expressions and dispatches the units); the statements are built with its
expression builder.
"""

from __future__ import annotations

import ast
from fractions import Fraction

from chainlens.engine.core.ir import add, call, mul
from chainlens.engine.core.nodes import Node, sym
from chainlens.engine.frontends.python_ast import Offsets, dotted
from chainlens.engine.frontends.python_builder import Builder, Unsupported
from chainlens.engine.health.init import init_range
from chainlens.engine.language.program import Declaration, Program
from chainlens.engine.rules import MODULES, RULES

__all__ = ["sequential"]


def sequential(target: ast.Name, value: ast.Call, stmt: ast.stmt, offsets: Offsets,
                source: str) -> Program:
    """``nn.Sequential(Linear, act, Linear, act...)``: layer k is
    ``z_k = W_k @ a + b_k`` (``w_k * a + b_k`` when no tensor rules are
    loaded) followed by its activation."""
    builder = Builder(offsets)
    tensors = "matmul" in RULES
    a: Node = sym("x")
    width: int | None = None
    layer = 0
    for item in value.args:
        parts = dotted(item.func) if isinstance(item, ast.Call) else None
        kind = parts[-1] if parts else None
        if kind == "Linear":
            dims = [x.value for x in item.args if isinstance(x, ast.Constant)]
            if len(dims) < 2 or not all(type(d) is int for d in dims[:2]):
                raise Unsupported(item, "Linear needs literal in/out sizes")
            layer += 1
            w, b = sym(f"W_{layer}" if tensors else f"w_{layer}"), sym(f"b_{layer}")
            if tensors:
                if width is None:
                    width = dims[0]
                    builder.declarations.append(Declaration(
                        "x", "input", (dims[0],), offsets.span(item), _init("input", 1)))
                # PyTorch's default initialisation: U(±1/√fan_in) for both
                builder.declarations.append(Declaration(
                    w.value, "param", (dims[1], dims[0]), offsets.span(item),
                    _init("torch-weight", dims[0]), layer=layer, init="torch-weight"))
                builder.declarations.append(Declaration(
                    b.value, "param", (dims[1],), offsets.span(item),
                    _init("torch-bias", dims[0]), layer=layer, init="torch-bias"))
                z = add(call("matmul", w, a), b)
            else:
                z = add(mul(w, a), b)
            builder.note(z, item)
            a = sym(builder.bind(f"z_{layer}", z, item, item))
        elif kind in MODULES:
            act = builder.note(call(MODULES[kind], a), item)
            a = sym(builder.bind("a", act, item, item))
        else:
            raise Unsupported(item, f"layer {kind or '?'} is not read")
    if not builder.assignments:
        raise Unsupported(value, "empty Sequential")
    return builder.program(source, (builder.assignments[-1].name,))


def _init(kind: str, fan_in: int) -> tuple[Fraction, Fraction]:
    lo, hi = init_range(kind, fan_in)
    return Fraction(lo).limit_denominator(10**9), Fraction(hi).limit_denominator(10**9)
