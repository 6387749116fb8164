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
from chainlens.engine.frontends.python_concat import concat_method
from chainlens.engine.frontends.python_flow_ops import flow_method
from chainlens.engine.frontends.python_layers import REDUCTIONS, SHAPE_METHODS, apply_op
from chainlens.engine.frontends.python_library import clamp, std_or_var
from chainlens.engine.frontends.python_values import (
    TYPICAL_WIDTH,
    UNROLLED_STEPS,
    Concat,
    Const,
    Dim,
    Items,
    Lazy,
    Linear,
    Mask,
    Positions,
    Seq,
    Shape,
    Tensor,
    Tup,
    Unknown,
    Unsupported,
    feature_cut,
)

__all__ = ["Methods", "CHUNKS", "BUILTIN_CALLS"]

CHUNKS = frozenset({"chunk", "split", "tensor_split", "unbind"})
#: builtins read inside forward (others are calls chainlens does not model)
BUILTIN_CALLS = frozenset({"len", "int", "float", "range", "isinstance", "hasattr", "list",
                           "tuple", "enumerate", "zip", "map"})
#: methods that keep a layer's output as it is, axes and all
_SAME_AXES = frozenset({"contiguous", "float", "double", "half", "bfloat16", "type_as"})
#: methods that move or regroup its axes
_MOVES_AXES = frozenset({"view", "reshape", "permute", "transpose", "unflatten"})
_ARITHMETIC = {"pow": ast.Pow(), "add": ast.Add(), "sub": ast.Sub(), "mul": ast.Mult(),
               "div": ast.Div(), "__add__": ast.Add(), "__mul__": ast.Mult()}


class Methods:
    def builtin(self, name: str, args: list, node):
        if name == "range" and args and all(isinstance(a, Const) for a in args) and all(
                isinstance(a.value, int) for a in args):
            bounds = range(*(a.value for a in args))
            if len(bounds) > MAX_REPEAT:
                raise Unsupported(node, f"a loop of {len(bounds)} steps exceeds {MAX_REPEAT}")
            return Tup([Const(i) for i in bounds])
        if name == "range" and args and all(isinstance(a, Const | Unknown) for a in args):
            # range(seq.size(0)), range(seq_len): a length the file does not fix
            self.fw.notes.append(f"`{ast.unparse(node)[:40]}`: a length the file does not "
                                 f"fix, unrolled to {UNROLLED_STEPS} steps")
            return Tup([Const(i) for i in range(UNROLLED_STEPS)])
        if name == "len" and args and isinstance(args[0], Tup | Items | Seq):
            return Const(len(args[0].items))
        if name == "len" and args and isinstance(args[0], Shape | Const | Unknown):
            return Unknown("the rank of a tensor, which chainlens does not model")
        if name in ("int", "float") and args and isinstance(args[0], Const):
            return Const(args[0].value)
        if name in ("isinstance", "hasattr"):
            return Unknown("a flag chainlens cannot see")
        if name in ("list", "tuple") and len(args) == 1:
            if isinstance(args[0], Tup | Items | Seq):
                return Tup(list(args[0].items))
            if isinstance(args[0], Tensor | Lazy):  # list(x): its time steps
                return Tup(self.steps(args[0], node))
        if name == "enumerate" and len(args) == 1 and isinstance(args[0], Tup | Items | Seq):
            return Tup([Tup([Const(i), v]) for i, v in enumerate(args[0].items)])
        if name == "map" and len(args) == 2 and isinstance(args[1], Tup | Items | Seq):
            # q, k, v = map(lambda t: rearrange(t, ...), qkv): the function of each
            return Tup([self.fw.call_value(args[0], [v], {}, node) for v in args[1].items])
        if name == "zip" and args and all(isinstance(a, Tup | Items | Seq) for a in args):
            return Tup([Tup(list(vs)) for vs in zip(*(a.items for a in args), strict=False)])
        raise Unsupported(node, f"{name}(...) of something chainlens cannot count")

    def steps(self, value, node) -> list:
        """The time steps of a sequence the file does not size (``for x_t in
        x``, ``x.split(1, dim=1)``, ``list(x)``): :data:`UNROLLED_STEPS` steps
        of the feature vector, each read as the sequence itself."""
        t = self.fw.tensor(value, node)
        self.fw.notes.append(f"`{ast.unparse(node)[:40]}`: a sequence the file does not size, "
                             f"unrolled to {UNROLLED_STEPS} steps")
        return [t] * UNROLLED_STEPS

    def size(self, t: Tensor, axis):
        """``x.size(axis)`` / ``x.shape[axis]``: the feature width for the
        last axis (16 when no layer fixes it), unknown for the batch axis 0."""
        if axis == 0:
            return Const(None)
        if t.dim.value is None:  # k.size(-1) of a width not written
            t.dim.value = TYPICAL_WIDTH
        return Const(t.dim.value)

    def method(self, owner, node: ast.Call):
        fw = self.fw
        name = node.func.attr
        special = flow_method(self, owner, node)  # x.exp_(), x.new(size).normal_(), x.sort()
        if special is not None:
            return special
        if name in SHAPE_METHODS and not isinstance(owner, Linear | Concat):
            return fw.tensor(owner, node)  # view(B, T, -1): its sizes do not matter
        if name in ("masked_fill", "masked_fill_"):
            return fw.tensor(owner, node)  # a causal mask keeps the one position read
        args = [self.expr_or_unknown(a) for a in node.args]
        kwargs = {k.arg: self.expr_or_unknown(k.value) for k in node.keywords if k.arg}
        if name in CHUNKS:
            return self.chunk(owner, name, args, kwargs, node)
        if isinstance(owner, Concat) and name in SHAPE_METHODS:
            return owner  # torch.cat(...).view(...): still its parts
        if isinstance(owner, Concat):  # torch.cat(heads, -1).softmax(-1), .tanh(): the parts
            hit = concat_method(fw, owner, name, args, kwargs, node)
            if hit is not None:
                return hit
        if isinstance(owner, Concat) and name == "size":  # of all the parts together
            width = sum(p.dim.value or TYPICAL_WIDTH for p in owner.parts)
            whole = Tensor(fw.num(0), Dim(width))
            axis = args[0].value if args and isinstance(args[0], Const) else None
            return self.size(whole, axis) if args else Shape(whole)
        if isinstance(owner, Linear) and (name in _SAME_AXES or (
                feature_cut(owner, None) and name in _MOVES_AXES)):
            # self.qkv(x).view(b, t, 3, h, d): still the layer's output, whose rows a
            # later unbind / unpacking cuts into q, k, v (a conv's channels moved
            # by a view or permute are not said to be where a later cut takes them)
            return owner
        t = fw.tensor(owner, node)
        if name in SHAPE_METHODS:
            return t
        if name in _ARITHMETIC and len(args) == 1:
            return fw.binop(_ARITHMETIC[name], t, args[0], node)
        if name in ("size", "dim"):
            if name == "dim":
                return Unknown("the rank of a tensor, which chainlens does not model")
            axis = args[0].value if args and isinstance(args[0], Const) else None
            return self.size(t, axis) if args else Shape(t)
        if name in ("argmax", "argmin", "argsort", "multinomial"):
            return Positions()  # top1 = output.argmax(1): an index, no gradient
        if name in ("eq", "ne", "gt", "lt", "ge", "le", "isnan", "isinf", "logical_not"):
            return Mask()  # input_ids.eq(0): a mask of the data (a padding mask)
        if name in ("detach", "detach_", "numpy", "tolist", "item"):
            # no gradient flows back through it: from here on an input of unit
            # variance (its scale at initialisation, as torch.randn)
            node_in = fw.declare("detached", "input", (t.dim,), fw.offsets.span(node), "input")
            fw.inputs.append(node_in.value)
            fw.notes.append("x.detach(): no gradient flows back through it (read as an input)")
            return Tensor(node_in, t.dim, t.scalar)
        if name in ("new_zeros", "zeros_like", "new_ones"):
            return Tensor(fw.num(0 if "zeros" in name else 1), Dim(
                args[-1].value if args and isinstance(args[-1], Const) else None))
        axis = kwargs.get("dim", kwargs.get("axis", args[0] if args else None))
        if name in ("std", "var"):  # x.std(-1, keepdim=True): a hand-written LayerNorm
            return std_or_var(fw, t, name, axis, kwargs, 1, node)
        if name in REDUCTIONS and (isinstance(axis, Tup) or (
                isinstance(axis, Const) and axis.value == 0)):
            # h.mean(dim=0): over the batch / heads axis, which this model does
            # not keep: each copy is the same feature vector
            return t
        if name in REDUCTIONS and len(node.args) <= 1:
            # over the feature axis (the one this model keeps): one number
            return Tensor(apply_op(name, t.node), Dim(1), scalar=True)
        built = apply_op(name, t.node, t.scalar)
        if built is not None and len(node.args) <= 1:
            return Tensor(built, t.dim, t.scalar)
        if name in ("clamp", "clip", "clamp_min", "clamp_max", "clamp_", "clip_"):
            # x.clamp(min=0), x.clamp(0, 1), x.clamp_max(6): max / min of the bounds
            lo = kwargs.get("min", args[0] if args else None)
            hi = kwargs.get("max", args[1] if len(args) > 1 else None)
            if name == "clamp_max":
                lo, hi = None, lo
            return clamp(fw, t, lo, hi, node)
        if name in ("maximum", "minimum", "fmax", "fmin") and len(args) == 1:
            low = name in ("maximum", "fmax")
            return clamp(fw, t, args[0] if low else None, None if low else args[0], node)
        if name in ("matmul", "mm", "dot", "bmm") and args:  # attn_weights.bmm(enc_out)
            return fw.matmul(t, fw.tensor(args[0], node))
        raise Unsupported(node, f"the tensor method .{name}() is not modelled")

    def chunk(self, owner, name: str, args, kwargs, node):
        """``x.chunk(k)`` / ``x.split(size)`` of a layer's output: the layer's
        weight is cut by rows into ``k`` layers of the same fan-in.  Of any
        other tensor: ``k`` pieces each read as the tensor (a split along the
        sequence, ``x.split(1, dim=1)``, is its time steps)."""
        first = args[0] if args else kwargs.get("chunks", kwargs.get("split_size_or_sections"))
        if name == "unbind":  # x.unbind(2): an axis, not a count; the unpacking says how many
            first = Const(None)
        if not isinstance(owner, Linear):
            count = first.value if name != "split" and isinstance(first, Const) else None
            if isinstance(count, int) and 0 < count <= 64:
                return Tup([self.fw.tensor(owner, node)] * count)
            if self.expect:
                return Tup([self.fw.tensor(owner, node)] * self.expect)
            return Tup(self.steps(owner, node))
        axis = kwargs.get("dim", args[1] if len(args) > 1 else None)
        if name == "unbind":
            axis = kwargs.get("dim", args[0] if args else None)
        if not feature_cut(owner, axis):
            raise Unsupported(node, f".{name}() of a convolution's output along an axis other "
                              "than its channels (dim=1) cuts positions, which chainlens does "
                              "not read")
        if not (isinstance(first, Const) and isinstance(first.value, int)) and not self.expect:
            raise Unsupported(node, f".{name}() by a size chainlens cannot see")
        if not isinstance(first, Const) or not isinstance(first.value, int):
            first = Const(None)
        out = owner.terms[0][0].spec.fan_out
        # split(C) with C not fixed (B, T, C = x.size()): the unpacking says how many
        k = first.value if name != "split" else (
            out // first.value if out and first.value else None)
        if not k and self.expect:
            k = self.expect  # q, k, v = qkv.split(n_embd): three pieces
        if not k or k > 64:
            raise Unsupported(node, f".{name}() into a number of pieces chainlens cannot see")
        pieces = []
        for j in range(k):
            pieces.append(self.fw.materialise(owner, node, piece=(j, k)))
        return Tup(pieces)
