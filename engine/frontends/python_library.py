"""Library calls inside ``forward`` (``torch.cat``, ``F.layer_norm``,
``F.mse_loss``, ``torch.spmm``, ``math.sqrt`` of a size...) read as the
program pieces they stand for; split from the model reader
(:mod:`python_eval`) by role: this is the table of what library functions
mean, that one the walk through a model's layers."""

from __future__ import annotations

import ast
import math
from fractions import Fraction

from chainlens.engine.core.ir import add, call
from chainlens.engine.core.nodes import num
from chainlens.engine.core.walk import free_symbols
from chainlens.engine.frontends.python_autograd import apply_autograd
from chainlens.engine.frontends.python_concat import (
    concat_function,
    concat_matmul,
    concatenate,
)
from chainlens.engine.frontends.python_flow_ops import flow_function
from chainlens.engine.frontends.python_layers import (
    AXIS_CALLS,
    LOSS_PARAMETER,
    LOSSES,
    REDUCTIONS,
    apply_op,
    glu,
    l2_normalise,
    loss,
    normalise,
    relu,
    spread,
)
from chainlens.engine.frontends.python_padding import refuse_channel_pad
from chainlens.engine.frontends.python_values import (
    TYPICAL_WIDTH,
    Concat,
    Const,
    Dim,
    Items,
    Lazy,
    Linear,
    Mask,
    Param,
    Positions,
    Ref,
    Shape,
    Tensor,
    Tup,
    Unknown,
    Unsupported,
    feature_cut,
)

__all__ = ["call_library", "clamp", "loss_operands", "std_or_var", "CONSTANTS",
           "LIBRARY_MODULES"]

#: the widths a model is measured at (python_eval.MEASURED_WIDTH, which imports this)
MEASURED_WIDTH = 64

#: ``math.pi`` and the like, by name, in the modules that define them
CONSTANTS = {"pi": math.pi, "e": math.e, "tau": math.tau, "inf": math.inf}
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
                    "reduce", "from_numpy"})

#: functions that only move a tensor's axes (no copies, no new entries)
_REARRANGES = frozenset({"rearrange", "permute", "swapaxes", "moveaxis", "contiguous", "squeeze",
                         "unsqueeze", "transpose", "movedim"})

_ARITHMETIC = {"pow": ast.Pow(), "add": ast.Add(), "sub": ast.Sub(), "mul": ast.Mult(),
               "multiply": ast.Mult(), "div": ast.Div(), "divide": ast.Div(),
               "true_divide": ast.Div(), "subtract": ast.Sub(), "power": ast.Pow()}
_MATH = {"sqrt": math.sqrt, "log": math.log, "exp": math.exp, "pow": math.pow,
         "floor": math.floor, "ceil": math.ceil}


#: torch.finfo(dtype) fields by bits (IEEE half, single, double)
_FINFO = {16: {"eps": 2.0 ** -10, "tiny": 2.0 ** -14, "max": 65504.0, "min": -65504.0},
          32: {"eps": 2.0 ** -23, "tiny": 2.0 ** -126, "max": 3.4028234663852886e38,
               "min": -3.4028234663852886e38},
          64: {"eps": 2.0 ** -52, "tiny": 2.0 ** -1022, "max": 1.7976931348623157e308,
               "min": -1.7976931348623157e308}}


def loss_operands(args: list, kwargs: dict, where):
    """The output and the target of a loss call, by position or keyword
    (``input=``/``target=``, ``pred``/``y_true``...)."""
    first = ("input", "pred", "prediction", "logits", "y_pred", "output")
    second = ("target", "label", "labels", "y_true", "y")
    a = args[0] if args else next((kwargs[k] for k in first if k in kwargs), None)
    b = args[1] if len(args) > 1 else next((kwargs[k] for k in second if k in kwargs), None)
    if a is None or b is None:
        raise Unsupported(where, "a loss called without its output and target")
    return a, b


def std_or_var(fw, t: Tensor, kind: str, axis, kwargs: dict, correction: int, where):
    """``x.std(-1, keepdim=True)``, ``torch.var(x, dim=1)``, ``np.std(x)``: over
    the feature axis one number (``correction`` unless ``unbiased=False`` /
    ``correction=`` / ``ddof=`` says otherwise); over the batch axis (0)
    copies of one vector have no spread this reading could measure."""
    if isinstance(axis, Const) and axis.value == 0 or isinstance(axis, Tup):
        raise Unsupported(where, f".{kind}() over the batch axis is not read")
    for key in ("correction", "ddof"):
        if isinstance(kwargs.get(key), Const) and isinstance(kwargs[key].value, int):
            correction = kwargs[key].value
    if isinstance(kwargs.get("unbiased"), Const):
        correction = 1 if kwargs["unbiased"].value else 0
    n = min(t.dim.value or TYPICAL_WIDTH, MEASURED_WIDTH)
    return Tensor(spread(t.node, kind, n, correction), Dim(1), scalar=True)


def _int_literal(where) -> bool:
    """Is ``where`` a call on a (nested) list of integer literals?"""
    if not isinstance(where, ast.Call) or not where.args:
        return False
    leaves = [n for n in ast.walk(where.args[0]) if not isinstance(n, ast.List | ast.Tuple
                                                                    | ast.Load)]
    return bool(leaves) and all(isinstance(n, ast.Constant) and isinstance(n.value, int)
                                for n in leaves)


def _square_positions(where) -> bool:
    """Is ``where`` ``torch.zeros/ones`` of a shape whose last two sizes are
    the same unfixed expression (``(B, T, T)``, ``(b, h, t, t)``)?"""
    if not isinstance(where, ast.Call):
        return False
    sizes = where.args[0].elts if len(where.args) == 1 and isinstance(
        where.args[0], ast.Tuple | ast.List) else where.args
    if len(sizes) < 3 or any(isinstance(n, ast.Starred) for n in sizes):
        return False
    a, b = sizes[-2], sizes[-1]
    return not isinstance(a, ast.Constant) and ast.dump(a) == ast.dump(b)


def clamp(fw, x, lo, hi, where) -> Tensor:
    """``clamp(x, lo, hi)`` = min(max(x, lo), hi), either bound absent (None);
    a bound is a number or a tensor (``torch.max(a, b)`` is clamp(a, b, None))."""
    t = fw.tensor(x, where)
    out = t.node
    for bound, op in ((lo, "max"), (hi, "min")):
        if bound is None:
            continue
        if isinstance(bound, Const | Unknown):
            value = getattr(bound, "value", None)
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise Unsupported(where, f"{ast.unparse(where)[:40]}: a bound chainlens "
                                  "cannot see")
            node = num(Fraction(repr(value)) if isinstance(value, float) else value)
        else:
            node = fw.tensor(bound, where).node
        out = call(op, out, node)
    return Tensor(out, t.dim, t.scalar)


def _variable(fw, value, where):
    """``torch.autograd.Variable(x)``: torch (2.x) returns a new leaf without
    ``x``'s history, so no gradient flows back through it (as ``x.detach()``);
    a constant (``Variable(torch.zeros(...))``, a first hidden state) stays itself."""
    t = fw.tensor(value, where)
    if not free_symbols(t.node):
        return t
    node_in = fw.declare("detached", "input", (t.dim,), fw.offsets.span(where), "input")
    fw.inputs.append(node_in.value)
    fw.notes.append("Variable(x): a new leaf, no gradient flows back through it (read as an "
                    "input)")
    return Tensor(node_in, t.dim, t.scalar)


#: torch.addmm(b, x, W) = b + x @ W (and its batched / vector forms)
_ADD_PRODUCTS = frozenset({"addmm", "baddbmm", "addbmm", "addmv"})


def _add_product(fw, name: str, args: list, kwargs: dict, where):
    """``torch.addmm(input, mat1, mat2)`` as ``input + mat1 @ mat2``; a
    ``beta``/``alpha`` other than the literal 1 is refused with its name
    (a scale chainlens does not draw)."""
    for key in ("beta", "alpha"):
        if key in kwargs and not (isinstance(kwargs[key], Const) and kwargs[key].value == 1):
            raise Unsupported(where, f"torch.{name}(..., {key}=...) scales a term by a value "
                              "chainlens does not read")
    product = fw.matmul(fw.tensor(args[1], where), fw.tensor(args[2], where))
    return fw.binop(ast.Add(), args[0], product, where)


def _constant_mask(value) -> bool:
    """A mask of ones built in forward (``jnp.tril(jnp.ones((T, T), bool))``,
    a causal mask): true at the one position read, so ``where`` keeps its
    second argument."""
    return isinstance(value, Tensor) and value.node.op == "num" and value.node.value == 1


def call_library(fw, f: Ref, args: list, kwargs: dict, where):
    """A call of a library function (``torch.cat``, ``F.layer_norm``, ``F.relu``,
    ``math.sqrt``...) inside ``forward``: the value it stands for, or
    :class:`Unsupported` naming it."""
    applied = apply_autograd(fw, f, args, kwargs, where)  # SwishFn.apply(x)
    if applied is not None:
        return applied
    name = f.path[-1]
    if name == "getattr" and len(args) == 2 and isinstance(args[0], Ref) and isinstance(
            args[1], Const):
        return Ref(args[0].path + (str(args[1].value),))
    if name == "getattr" and len(args) == 2 and isinstance(args[0], Ref) and isinstance(
            args[1], Unknown):
        raise Unsupported(where, f"getattr({'.'.join(args[0].path)}, …) picks a name chainlens "
                          f"cannot see ({args[1].why})")
    special = flow_function(fw, name, args, kwargs, where)  # torch.empty(size), torch.sort(x)
    if special is not None:
        return special
    if args and isinstance(args[0], Concat):  # F.elu(torch.cat(heads, dim=1)): on the parts
        special = concat_function(fw, name, args, kwargs, where)
        if special is not None:
            return special
    if name in ("arange", "linspace"):
        return Positions()  # positions: an index, not a tensor gradients reach
    if "random" in f.path[:-1] and name in ("split", "PRNGKey", "key", "fold_in"):
        count = args[1].value if len(args) > 1 and isinstance(args[1], Const) else 2
        return Tup([Const(None)] * (count if isinstance(count, int) and 0 < count <= 64
                                    else 2))  # PRNG keys: no gradient, no value read
    if name in _FLAGS:
        return Unknown(f"{'.'.join(f.path)}() is a flag chainlens cannot see")
    if name == "Variable" and "autograd" in f.path and args:
        return _variable(fw, args[0], where)
    if name in ("scaled_dot_product_attention", "flash_attn_func", "dot_product_attention") and (
            len(args) >= 3):
        # read at one position like a written-out attention: softmax over one key
        # is 1, so the output is v and q, k get no gradient
        fw.notes.append("attention read at one position: the output is v (softmax over one "
                        "key is 1)")
        return args[2] if isinstance(args[2], Concat) else fw.tensor(args[2], where)
    if "random" in f.path[:-1] and name in ("normal", "uniform") and len(args) >= 2 and (
            (isinstance(args[1], Tup) and args[1].items) or isinstance(args[1], Shape)):
        # eps = jax.random.normal(key, logvar.shape): noise, an input of unit variance
        if isinstance(args[1], Shape):
            dim = args[1].of.dim
        else:
            last = args[1].items[-1]
            dim = Dim(last.value if isinstance(last, Const) and isinstance(last.value, int)
                      else None)
        node = fw.declare("eps", "input", (dim,), fw.offsets.span(where), "input")
        fw.inputs.append(node.value)
        fw.notes.append(f"noise ({'.'.join(f.path)}) is an input of unit variance")
        return Tensor(node, dim)
    if name == "randn" and f.path[0] == "torch" and args and all(
            isinstance(a, Const | Tup | Shape) for a in args):
        # eps = torch.randn((B, n, d), device=...) in forward: noise of unit variance, an
        # input the gradient does not reach (the last size written is its width)
        sizes = args[0].items if len(args) == 1 and isinstance(args[0], Tup) else args
        last = sizes[-1] if sizes else None
        dim = last.of.dim if isinstance(last, Shape) else Dim(
            last.value if isinstance(last, Const) and isinstance(last.value, int)
            and not isinstance(last.value, bool) else None)
        node = fw.declare("eps", "input", (dim,), fw.offsets.span(where), "input")
        fw.inputs.append(node.value)
        fw.notes.append("noise (torch.randn) is an input of unit variance")
        return Tensor(node, dim)
    if name in ("randn_like", "rand_like", "normal_like"):
        t = fw.tensor(args[0], where)
        node = fw.declare("eps", "input", (t.dim,), fw.offsets.span(where), "input")
        fw.inputs.append(node.value)
        fw.notes.append("noise (randn_like) is an input of unit variance")
        return Tensor(node, t.dim)
    if name in ("cat", "concat", "concatenate", "hstack", "stack", "vstack"):
        # along any axis: the loss sees each part with its own target
        return concatenate(fw, name, args, kwargs, where)
    if name in _REARRANGES and args and isinstance(args[0], Linear) and feature_cut(args[0],
                                                                                   None):
        # rearrange(self.qkv(x), 'b n (k h d) -> k b h n d', k=3), torch.permute(...):
        # still the layer's output, whose rows the unpacking / unbind after cuts
        return args[0]
    if name in _KEEPS and args:
        return args[0] if isinstance(args[0], Concat) else fw.tensor(args[0], where)
    if name in ("pack_padded_sequence", "pack_sequence") and args:
        return fw.tensor(args[0], where)  # the same steps, packed by length
    if name == "pad_packed_sequence" and args:  # (output, lengths)
        return Tup([fw.tensor(args[0], where), Const(None)])
    if name == "glu" and args and isinstance(args[0], Linear) and feature_cut(
            args[0], kwargs.get("dim", args[1] if len(args) > 1 else None)):
        # F.glu(self.conv(x), dim=1): the layer's rows cut in two, a·σ(b)
        a, b = (fw.materialise(args[0], where, piece=(j, 2)) for j in range(2))
        return Tensor(glu(a.node, b.node), a.dim)
    if name == "normalize" and args and not (isinstance(kwargs.get("dim"), Const) and (
            kwargs["dim"].value == 0)):  # F.normalize(x, dim=-1): x / ‖x‖ over the features
        t = fw.tensor(args[0], where)
        return Tensor(l2_normalise(t.node), t.dim, t.scalar)
    if name == "pad" and args:
        refuse_channel_pad(args, kwargs, where)  # zero channels: not the identity
    if name in ("dropout", "dropout1d", "dropout2d", "alpha_dropout", "contiguous",
                "interpolate", "pad", "max_pool2d", "avg_pool2d", "max_pool1d",
                "avg_pool1d", "adaptive_avg_pool2d", "flatten", "reshape", "squeeze",
                "avg_pool", "max_pool", "adaptive_max_pool2d", "pixel_shuffle", "upsample",
                "unsqueeze", "transpose", "stop_gradient", "normalize"):
        if isinstance(args[0], Concat) and name in ("flatten", "reshape", "squeeze",
                                                    "unsqueeze", "transpose", "contiguous"):
            return args[0]  # torch.reshape(torch.cat(parts), ...): still its parts
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
    if name in ("matmul", "mm", "dot", "bmm", "einsum") and len(args) == 2 and (
            isinstance(args[0], Concat) or isinstance(args[1], Concat)):
        return concat_matmul(fw, args[0], args[1], where)
    if name in ("matmul", "mm", "dot", "bmm", "einsum") and len(args) == 2:
        return fw.matmul(fw.tensor(args[0], where), fw.tensor(args[1], where))
    if name in _ADD_PRODUCTS and len(args) == 3:
        return _add_product(fw, name, args, kwargs, where)
    if name in LOSSES:  # F.mse_loss(y, t, reduction="sum"), F.l1_loss(input=y, target=t)
        a, b = loss_operands(args, kwargs, where)
        ta, tb = fw.tensor(a, where), fw.tensor(b, where)
        kind = LOSSES[name]
        if kind == "bce":  # F.binary_cross_entropy(p, t): probabilities, as nn.BCELoss
            fw.probabilities(ta, tb)
        key = LOSS_PARAMETER.get(kind, (None,))[0]
        reduction, parameter = kwargs.get("reduction"), kwargs.get(key) if key else None
        node, scalar = loss(kind, ta.node, tb.node, reduction.value if isinstance(
            reduction, Const) else None, parameter.value if isinstance(
                parameter, Const) else None)
        return Tensor(node, Dim(1) if scalar else ta.dim, scalar=scalar)
    if name in ("tensor", "as_tensor", "asarray", "array", "float32", "float64") and (
            len(args) == 1 and isinstance(args[0], Const) and isinstance(args[0].value, int | float)
            and not isinstance(args[0].value, bool)):
        return args[0]  # torch.tensor(2.0 / torch.pi): a number
    if name in ("LongTensor", "IntTensor", "BoolTensor", "tensor", "as_tensor") and args and (
            _int_literal(where)):
        return Positions()  # torch.LongTensor([[1, 2, 3, 4, 0]]): indices written in the file
    if name in ("zeros", "zeros_like", "ones", "ones_like", "empty", "empty_like",
                "full", "full_like") and args:
        if name.startswith(("empty", "full")):  # filled later / with a value: read as zeros
            name = "zeros"
        value = 0 if name.startswith("zeros") else 1
        like = args[0]
        dim = like.dim if isinstance(like, Tensor) else Dim(
            args[-1].value if isinstance(args[-1], Const) else None)
        if _square_positions(where):
            # torch.zeros((B, T, T)): scores of every position against every
            # other; at the one position read, one score (softmax of it is 1)
            fw.notes.append(f"`{ast.unparse(where)[:40]}`: a T x T matrix of positions, one "
                            "score at the one position read")
            return Tensor(num(value), Dim(1), scalar=True)
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
    if name == "where" and len(args) == 3 and (isinstance(args[0], Mask | Unknown | Lazy) or (
            _constant_mask(args[0]))):
        # torch.where(adj > 0, e, -9e15): the kept values, as masked_fill reads them;
        # jnp.where(mask == 0, -inf, att): the fill is the number, att is kept; a
        # causal mask jnp.tril(jnp.ones((T, T))) keeps the one position read
        kept = args[2] if isinstance(args[1], Const) and not isinstance(args[2], Const) else (
            args[1])
        fw.notes.append("torch.where(mask, a, b) read as a (the values the mask keeps)"
                        if kept is args[1] else f"{name}(mask, a, b) read as b (a is the "
                        "fill, b the values the mask keeps)")
        return fw.tensor(kept, where)
    if name == "leaky_relu" and args:  # F.leaky_relu(x, 0.2), negative_slope=0.2
        slope = kwargs.get("negative_slope", args[1] if len(args) > 1 else Const(0.01))
        t = fw.tensor(args[0], where)
        value = slope.value if isinstance(slope, Const) and isinstance(
            slope.value, int | float) else 0.01
        return Tensor(apply_op(name, t.node, t.scalar, value), t.dim, t.scalar)
    if name in ("gt", "lt", "ge", "le", "eq", "ne", "greater", "less", "equal", "not_equal",
                "logical_and", "logical_or", "logical_not", "isnan", "isinf") and args:
        return Mask()  # torch.gt(mask, 0): a comparison of the data, a mask
    if name in ("clamp", "clip", "clamp_min", "clamp_max") and args:
        # torch.clamp(x, min=0), np.clip(x, 0, 1), torch.clip(x, max=6): max/min
        lo = kwargs.get("min", kwargs.get("a_min", args[1] if len(args) > 1 else None))
        hi = kwargs.get("max", kwargs.get("a_max", args[2] if len(args) > 2 else None))
        if name == "clamp_max":
            lo, hi = None, lo
        return clamp(fw, args[0], lo, hi, where)
    if name in ("max", "min", "maximum", "minimum", "fmax", "fmin") and len(args) == 2 and (
            isinstance(args[1], Tensor | Param | Lazy | Linear) or (
                name in ("maximum", "minimum", "fmax", "fmin")
                and isinstance(args[1], Const))):
        # torch.max(a, b) of two tensors, torch.maximum(x, 0.5): elementwise
        a, b = (fw.tensor(v, where) if not isinstance(v, Const) else v for v in args)
        low = name in ("max", "maximum", "fmax")
        return clamp(fw, a, b if low else None, None if low else b, where)
    if name in ("finfo", "iinfo"):
        # torch.finfo(torch.float32).eps: the number, float32's unless float64 or half
        kind = ".".join(args[0].path) if args and isinstance(args[0], Ref) else ""
        bits = 64 if ("64" in kind or "double" in kind) else 16 if (
            "16" in kind or "half" in kind) else 32
        info = _FINFO[bits]
        return Items([], "finfo", {k: Const(v) for k, v in info.items()})
    if name == "where" and args:
        raise Unsupported(where, f"{name}(...) depends on the data's values")
    if name in ("std", "var") and args:  # torch: correction 1; numpy / jax: ddof 0
        axis = kwargs.get("dim", kwargs.get("axis", args[1] if len(args) > 1 else None))
        return std_or_var(fw, fw.tensor(args[0], where), name, axis, kwargs,
                          1 if f.path[0] == "torch" else 0, where)
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
