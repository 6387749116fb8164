"""Library calls inside ``forward`` (``torch.cat``, ``F.layer_norm``,
``F.mse_loss``, ``torch.spmm``, ``math.sqrt`` of a size...) read as the
program pieces they stand for; split from the model reader
(:mod:`python_eval`) by role: this is the table of what library functions
mean, that one the walk through a model's layers."""

from __future__ import annotations

import ast
import math

from chainlens.engine.core.ir import add, call
from chainlens.engine.core.nodes import num
from chainlens.engine.frontends.python_layers import (
    AXIS_CALLS,
    LOSSES,
    REDUCTIONS,
    apply_op,
    normalise,
    relu,
)
from chainlens.engine.frontends.python_values import (
    Concat,
    Const,
    Dim,
    Items,
    Mask,
    Param,
    Positions,
    Ref,
    Tensor,
    Tup,
    Unknown,
    Unsupported,
)

__all__ = ["call_library", "CONSTANTS", "LIBRARY_MODULES"]

#: ``math.pi`` and the like, by name, in the modules that define them
CONSTANTS = {"pi": math.pi, "e": math.e, "tau": math.tau}
LIBRARY_MODULES = frozenset({"math", "np", "numpy", "torch", "jnp", "cmath"})
#: calls that ask how the program runs, never what the data is
_FLAGS = frozenset({"is_grad_enabled", "is_autocast_enabled", "is_available",
                    "is_tensor", "is_floating_point", "is_scripting", "is_tracing"})
#: calls that keep the feature vector a gradient sees (a dtype, a mask, a
#: complex view of the same numbers, a shape)
_KEEPS = frozenset({"view_as_complex", "view_as_real", "tril", "triu", "flip", "roll",
                    "repeat_interleave", "expand_dims", "swapaxes", "moveaxis", "permute",
                    "broadcast_to", "tile", "squeeze", "unsqueeze", "contiguous", "detach_copy",
                    "as_tensor", "asarray", "rearrange", "pack", "unpack", "repeat",
                    "reduce"})

_ARITHMETIC = {"pow": ast.Pow(), "add": ast.Add(), "sub": ast.Sub(), "mul": ast.Mult(),
               "multiply": ast.Mult(), "div": ast.Div(), "divide": ast.Div(),
               "true_divide": ast.Div(), "subtract": ast.Sub(), "power": ast.Pow()}
_MATH = {"sqrt": math.sqrt, "log": math.log, "exp": math.exp, "pow": math.pow,
         "floor": math.floor, "ceil": math.ceil}


def call_library(fw, f: Ref, args: list, kwargs: dict, where):
    """A call of a library function (``torch.cat``, ``F.layer_norm``, ``F.relu``,
    ``math.sqrt``...) inside ``forward``: the value it stands for, or
    :class:`Unsupported` naming it."""
    name = f.path[-1]
    if name == "getattr" and len(args) == 2 and isinstance(args[0], Ref) and isinstance(
            args[1], Const):
        return Ref(args[0].path + (str(args[1].value),))
    if name in ("arange", "linspace"):
        return Positions()  # positions: an index, not a tensor gradients reach
    if "random" in f.path[:-1] and name in ("split", "PRNGKey", "key", "fold_in"):
        count = args[1].value if len(args) > 1 and isinstance(args[1], Const) else 2
        return Tup([Const(None)] * (count if isinstance(count, int) and 0 < count <= 64
                                    else 2))  # PRNG keys: no gradient, no value read
    if name in _FLAGS:
        return Unknown(f"{'.'.join(f.path)}() is a flag chainlens cannot see")
    if name in ("scaled_dot_product_attention", "flash_attn_func") and len(args) >= 3:
        # read at one position like a written-out attention: softmax over one key
        # is 1, so the output is v and q, k get no gradient
        fw.notes.append("attention read at one position: the output is v (softmax over one "
                        "key is 1)")
        return fw.tensor(args[2], where)
    if name in ("randn_like", "rand_like", "normal_like"):
        t = fw.tensor(args[0], where)
        node = fw.declare("eps", "input", (t.dim,), fw.offsets.span(where), "input")
        fw.inputs.append(node.value)
        fw.notes.append("noise (randn_like) is an input of unit variance")
        return Tensor(node, t.dim)
    if name in ("cat", "concat", "concatenate", "hstack", "stack", "vstack"):
        # along any axis: the loss sees each part with its own target
        parts = args[0].items if args and isinstance(args[0], Tup | Items) else args
        if not parts:
            raise Unsupported(where, f"{name} of an empty list")
        flat = []
        for p in parts:
            flat += p.parts if isinstance(p, Concat) else [fw.tensor(p, where)]
        return Concat(flat) if len(flat) > 1 else flat[0]
    if name in _KEEPS and args:
        return fw.tensor(args[0], where)
    if name in ("dropout", "dropout1d", "dropout2d", "alpha_dropout", "contiguous",
                "interpolate", "pad", "max_pool2d", "avg_pool2d", "max_pool1d",
                "avg_pool1d", "adaptive_avg_pool2d", "flatten", "reshape", "squeeze",
                "unsqueeze", "transpose", "stop_gradient", "normalize"):
        return fw.tensor(args[0], where)
    if name in ("layer_norm", "batch_norm", "group_norm", "instance_norm", "rms_norm"):
        t = fw.tensor(args[0], where)
        gain, shift = (args + [None, None, None, None])[2:4]
        gain, shift = kwargs.get("weight", gain), kwargs.get("bias", shift)
        g = fw.tensor(gain, where).node if isinstance(gain, Param | Tensor) else None
        b = fw.tensor(shift, where).node if isinstance(shift, Param | Tensor) else None
        return Tensor(normalise(t.node, g, b), t.dim)
    if name in ("linear",) and len(args) >= 2:
        x, w = fw.tensor(args[0], where), fw.tensor(args[1], where)
        z = call("matmul", w.node, x.node)
        if len(args) > 2 and not isinstance(args[2], Const):
            z = add(z, fw.tensor(args[2], where).node)
        return Tensor(z, w.dim)
    if name in ("spmm", "sparse_mm") and len(args) == 2:
        # a (normalised) adjacency mixes nodes, the axis this model does not keep
        fw.notes.append("torch.spmm(adj, h) read as mixing over nodes (gain 1)")
        return fw.tensor(args[1], where)
    if name == "einsum" and len(args) == 3 and isinstance(args[0], Const):
        args = args[1:]  # einsum("bnd,de->bne", x, W): the contraction of the two
    if name in ("matmul", "mm", "dot", "bmm", "einsum") and len(args) == 2:
        return fw.matmul(fw.tensor(args[0], where), fw.tensor(args[1], where))
    if name in LOSSES and len(args) >= 2:
        a, b = fw.tensor(args[0], where), fw.tensor(args[1], where)
        return Tensor(LOSSES[name](a.node, b.node), Dim(1), scalar=True)
    if name in ("zeros", "zeros_like", "ones", "ones_like") and args:
        value = 0 if name.startswith("zeros") else 1
        like = args[0]
        dim = like.dim if isinstance(like, Tensor) else Dim(
            args[-1].value if isinstance(args[-1], Const) else None)
        return Tensor(num(value), dim)
    if name in ("maximum",) and len(args) == 2 and isinstance(args[0], Const) and (
            args[0].value == 0):
        t = fw.tensor(args[1], where)
        return Tensor(relu(t.node), t.dim)
    if f.path[0] in LIBRARY_MODULES and args and all(isinstance(a, Const | Unknown)
                                                     for a in args) and any(
            isinstance(a, Unknown) or a.value is None for a in args):
        return Const(None)  # jnp.sqrt(d_head) of a size the file does not fix
    if f.path[0] == "math" and any(isinstance(a, Unknown) or (
            isinstance(a, Const) and a.value is None) for a in args):
        return Const(None)  # math.sqrt(self.d_k) of a size the file does not fix
    if f.path[0] == "math" and all(isinstance(a, Const) for a in args):
        values = [a.value for a in args]
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            raise Unsupported(where, f"math.{name} of a size chainlens cannot see")
        if name not in _MATH or (name in ("sqrt", "log") and values[0] <= 0):
            raise Unsupported(where, f"math.{name} is not read")
        return Const(_MATH[name](*values))
    if name == "where" and len(args) == 3 and isinstance(args[0], Mask | Unknown):
        # torch.where(adj > 0, e, -9e15): the kept values, as masked_fill reads them
        fw.notes.append("torch.where(mask, a, b) read as a (the values the mask keeps)")
        return fw.tensor(args[1], where)
    if name == "leaky_relu" and args:  # F.leaky_relu(x, 0.2), negative_slope=0.2
        slope = kwargs.get("negative_slope", args[1] if len(args) > 1 else Const(0.01))
        t = fw.tensor(args[0], where)
        value = slope.value if isinstance(slope, Const) and isinstance(
            slope.value, int | float) else 0.01
        return Tensor(apply_op(name, t.node, t.scalar, value), t.dim, t.scalar)
    if name in ("where", "clamp", "clip") and args:
        raise Unsupported(where, f"{name}(...) depends on the data's values")
    if name in _ARITHMETIC and len(args) == 2:
        return fw.binop(_ARITHMETIC[name], args[0], args[1], where)  # torch.pow(x, 3)
    if len(args) == 1 or (args and name in AXIS_CALLS):
        t = fw.tensor(args[0], where)
        axis = kwargs.get("dim", kwargs.get("axis", args[1] if len(args) > 1 else None))
        if name in REDUCTIONS and (isinstance(axis, Tup) or (
                isinstance(axis, Const) and axis.value == 0)):
            return t  # over the batch or spatial axes this model does not keep
        if name in REDUCTIONS and "dim" not in kwargs and (
                "axis" not in kwargs):
            node = apply_op(name, t.node)
            if node is not None:
                return Tensor(node, Dim(1), scalar=True)
        node = apply_op(name, t.node, t.scalar)
        if node is not None:
            return Tensor(node, t.dim, t.scalar)
    raise Unsupported(where, f"{'.'.join(f.path)}(...) is not a function chainlens models")
