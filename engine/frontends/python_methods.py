"""Tensor methods and builtins inside a model's ``forward``: ``x.view(...)``,
``x.size(-1)``, ``h.chunk(4, 1)``, ``len(self.blocks)``, ``range(n)``.

Split from :mod:`python_body` by role: that module walks statements and
expressions, this one says what a call on a tensor (or a builtin) means.
:class:`Methods` is a mixin of :class:`~python_body.Body` (it uses its
``fw``, ``expr_or_unknown`` and ``expect``).
"""

from __future__ import annotations

import ast

from chainlens.engine.core.limits import MAX_REPEAT
from chainlens.engine.frontends.python_layers import REDUCTIONS, SHAPE_METHODS, apply_op
from chainlens.engine.frontends.python_values import (
    TYPICAL_WIDTH,
    Concat,
    Const,
    Dim,
    Items,
    Linear,
    Seq,
    Shape,
    Tensor,
    Tup,
    Unknown,
    Unsupported,
)

__all__ = ["Methods", "CHUNKS"]

CHUNKS = frozenset({"chunk", "split", "tensor_split"})
_ARITHMETIC = {"pow": ast.Pow(), "add": ast.Add(), "sub": ast.Sub(), "mul": ast.Mult(),
               "div": ast.Div(), "__add__": ast.Add(), "__mul__": ast.Mult()}


class Methods:
    def builtin(self, name: str, args: list, node):
        if name == "range" and all(isinstance(a, Const) and isinstance(a.value, int)
                                   for a in args):
            bounds = range(*(a.value for a in args))
            if len(bounds) > MAX_REPEAT:
                raise Unsupported(node, f"a loop of {len(bounds)} steps exceeds {MAX_REPEAT}")
            return Tup([Const(i) for i in bounds])
        if name == "len" and args and isinstance(args[0], Tup | Items | Seq):
            return Const(len(args[0].items))
        if name in ("int", "float") and args and isinstance(args[0], Const):
            return Const(args[0].value)
        if name in ("isinstance", "hasattr"):
            return Unknown("a flag chainlens cannot see")
        raise Unsupported(node, f"{name}(...) of something chainlens cannot count")

    def method(self, owner, node: ast.Call):
        fw = self.fw
        name = node.func.attr
        if name in SHAPE_METHODS and not isinstance(owner, Linear | Concat):
            return fw.tensor(owner, node)  # view(B, T, -1): its sizes do not matter
        if name in ("masked_fill", "masked_fill_"):
            return fw.tensor(owner, node)  # a causal mask keeps the one position read
        args = [self.expr_or_unknown(a) for a in node.args]
        kwargs = {k.arg: self.expr_or_unknown(k.value) for k in node.keywords if k.arg}
        if name in CHUNKS:
            return self.chunk(owner, name, args, kwargs, node)
        t = fw.tensor(owner, node)
        if name in SHAPE_METHODS:
            return t
        if name in _ARITHMETIC and len(args) == 1:
            return fw.binop(_ARITHMETIC[name], t, args[0], node)
        if name == "size":
            if args and t.dim.value is None:  # k.size(-1) of a width not written
                t.dim.value = TYPICAL_WIDTH
            return Const(t.dim.value) if args else Shape(t)
        if name in ("new_zeros", "zeros_like", "new_ones"):
            return Tensor(fw.num(0 if "zeros" in name else 1), Dim(
                args[-1].value if args and isinstance(args[-1], Const) else None))
        if name in REDUCTIONS and len(node.args) <= 1:
            # over the feature axis (the one this model keeps): one number
            return Tensor(apply_op(name, t.node), Dim(1), scalar=True)
        built = apply_op(name, t.node, t.scalar)
        if built is not None and len(node.args) <= 1:
            return Tensor(built, t.dim, t.scalar)
        if name in ("matmul", "mm", "dot") and args:
            return fw.matmul(t, fw.tensor(args[0], node))
        raise Unsupported(node, f"the tensor method .{name}() is not modelled")

    def chunk(self, owner, name: str, args, kwargs, node):
        """``x.chunk(k)`` / ``x.split(size)`` of a layer's output: the layer's
        weight is cut by rows into ``k`` layers of the same fan-in."""
        if not isinstance(owner, Linear):
            raise Unsupported(node, f".{name}() of something other than a layer's output")
        first = args[0] if args else kwargs.get("chunks", kwargs.get("split_size_or_sections"))
        if not (isinstance(first, Const) and isinstance(first.value, int)) and not self.expect:
            raise Unsupported(node, f".{name}() by a size chainlens cannot see")
        if not isinstance(first, Const) or not isinstance(first.value, int):
            first = Const(None)
        out = owner.terms[0][0].spec.fan_out
        k = first.value if name != "split" else (out // first.value if out else None)
        if not k and self.expect:
            k = self.expect  # q, k, v = qkv.split(n_embd): three pieces
        if not k or k > 64:
            raise Unsupported(node, f".{name}() into a number of pieces chainlens cannot see")
        pieces = []
        for j in range(k):
            pieces.append(self.fw.materialise(owner, node, piece=(j, k)))
        return Tup(pieces)
