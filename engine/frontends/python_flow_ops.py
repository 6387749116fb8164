"""Forward ops real model files write that carry no new math for the
gradient flow, read as PyTorch runs them.

* lists of states of a count the file does not fix (``[h] * self.num_layers``,
  ``[None] * n``): as many copies as the reader unrolls the layers it builds
  with ``range(self.num_layers)`` (:data:`UNROLLED_STEPS`), so that states and
  layers line up;
* in-place twins used as values (``logvar.mul(0.5).exp_()``,
  ``eps.mul(std).add_(mu)``): the out-of-place op, and a named tensor they
  update is rebound, as Python sees it afterwards;
* fresh tensors filled in place (``std.data.new(std.size()).normal_()``,
  ``torch.FloatTensor(std.size()).normal_()``, ``x.new_empty(...).uniform_(a, b)``):
  noise of that law, an input the gradient does not reach (as ``randn_like``);
  a blank tensor used before it is filled is a skip, never zeros;
* permutations (``lengths.sort(descending=True)``, ``argsort``,
  ``torch.randperm``) and indexing by one (``x[order]``): gradient-neutral,
  the sorted values are the tensor itself (a permutation of its entries
  leaves every gradient norm the same), the indices are no tensor.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass

from chainlens.engine.frontends.python_values import (
    UNROLLED_STEPS,
    Const,
    Dim,
    Shape,
    Tensor,
    Tup,
    Unknown,
    Unsupported,
)

__all__ = ["Blank", "Permutation", "repeated_list", "flow_method", "flow_function", "shape_tail",
           "shape_head", "shape_drop", "shape_sum", "TWINS"]

#: in-place methods read as their out-of-place twin (``exp_`` -> ``exp``)
TWINS = frozenset({"exp_", "log_", "sigmoid_", "tanh_", "relu_", "add_", "sub_", "mul_", "div_",
                   "pow_", "neg_", "abs_", "sqrt_", "rsqrt_", "sin_", "cos_", "reciprocal_",
                   "square_", "unsqueeze_", "squeeze_", "t_", "transpose_", "clamp_min_",
                   "clamp_max_", "erf_", "expm1_", "log1p_"})
#: methods that draw a tensor in place: law -> its parameters (name, default), as
#: torch.Tensor spells them
DRAWS = {"normal_": (("mean", 0.0), ("std", 1.0)), "uniform_": (("from", 0.0), ("to", 1.0))}
#: methods that make a tensor whose values are not set yet
BLANKS = frozenset({"new", "new_empty", "new_tensor"})
#: torch constructors of a tensor whose values are not set yet
BLANK_CTORS = frozenset({"FloatTensor", "Tensor", "DoubleTensor", "empty", "empty_like",
                         "HalfTensor"})


@dataclass
class Blank:
    """A tensor whose values are not set yet (``x.new(size)``,
    ``torch.FloatTensor(size)``, ``torch.empty(...)``): becomes noise or a
    constant once filled in place; used as it is, a skip."""

    dim: Dim


@dataclass
class Permutation:
    """Indices that permute an axis (``order`` of ``lengths.sort()``):
    indexing by them moves entries, it changes no gradient norm."""


def _count(v) -> int | None:
    if isinstance(v, Const) and isinstance(v.value, int) and not isinstance(v.value, bool):
        return v.value
    return None


def repeated_list(op: ast.operator, a, b, notes: list) -> Tup | None:
    """``[h] * n`` / ``n * [h]`` with ``n`` a count the file does not fix:
    :data:`UNROLLED_STEPS` copies (the count the layers of the same
    ``range(n)`` are read with); None for anything else."""
    if not isinstance(op, ast.Mult):
        return None
    if isinstance(b, Tup) and not isinstance(a, Tup):
        a, b = b, a
    if not isinstance(a, Tup) or _count(b) is not None:
        return None
    if not (isinstance(b, Unknown) or (isinstance(b, Const) and b.value is None)):
        return None
    notes.append(f"a list of states of a count the file does not fix: {UNROLLED_STEPS} "
                 "copies, as its layers are read")
    return Tup(list(a.items) * UNROLLED_STEPS)


def inplace_twin(node: ast.Call) -> ast.Call | None:
    """The out-of-place call of an in-place method used as a value
    (``logvar.mul(0.5).exp_()`` -> ``logvar.mul(0.5).exp()``), else None."""
    if not (isinstance(node.func, ast.Attribute) and node.func.attr in TWINS):
        return None
    func = ast.copy_location(ast.Attribute(value=node.func.value, attr=node.func.attr[:-1],
                                           ctx=ast.Load()), node.func)
    return ast.copy_location(ast.Call(func=func, args=node.args, keywords=node.keywords), node)


def blank(fw, args: list, like=None) -> Blank:
    """A blank tensor of the sizes ``args`` (a ``Shape``, ints, a tuple of
    them) or like the tensor ``like``."""
    if like is not None:
        return Blank(like.dim)
    if len(args) == 1 and isinstance(args[0], Shape):
        return Blank(args[0].of.dim)
    if len(args) == 1 and isinstance(args[0], Tup):
        args = list(args[0].items)
    last = _count(args[-1]) if args else None
    return Blank(Dim(last if last and last > 0 else None))


def draw_into(fw, owner, name: str, args: list, kwargs: dict, where):
    """``t.normal_(mean, std)``, ``t.uniform_(a, b)``, ``t.zero_()``,
    ``t.fill_(c)`` of a fresh tensor: noise of that law (an input of unit
    variance, shifted and scaled) or the constant; None when ``name`` is
    none of those or an argument is not a number."""
    dim = owner.dim if isinstance(owner, Blank | Tensor) else None
    if dim is None:
        return None
    if name in ("zero_", "fill_"):
        value = 0 if name == "zero_" else (_number(args[0]) if args else None)
        if value is None:
            return None
        return Tensor(fw.num(value), dim)
    spec = DRAWS.get(name)
    if spec is None:
        return None
    values = []
    for i, (key, default) in enumerate(spec):
        v = args[i] if i < len(args) else kwargs.get(key)
        values.append(default if v is None else _number(v))
    if None in values:
        return None
    node = fw.declare("eps", "input", (dim,), fw.offsets.span(where), "input")
    fw.inputs.append(node.value)
    if name == "normal_":
        loc, scale = values
        words = f"normal_({loc:g}, {scale:g})"
    else:  # U(a, b): mean (a+b)/2, standard deviation (b-a)/√12
        loc, scale = (values[0] + values[1]) / 2, (values[1] - values[0]) / math.sqrt(12.0)
        words = f"uniform_({values[0]:g}, {values[1]:g})"
    fw.notes.append(f"noise ({words} of a fresh tensor) is an input of unit variance"
                    + ("" if (loc, scale) == (0.0, 1.0) else ", shifted and scaled"))
    out = Tensor(node, dim)
    if scale != 1.0:
        out = fw.binop(ast.Mult(), out, Const(scale), where)
    if loc != 0.0:
        out = fw.binop(ast.Add(), out, Const(loc), where)
    return out


def flow_method(body, owner, node: ast.Call):
    """``owner.<method>(...)`` when it is one of this module's ops (a twin,
    a blank, a draw, a sort), else None.  ``body``: the forward reader's
    statement evaluator (``fw``, ``env``, ``method``, ``expr_or_unknown``)."""
    fw, name = body.fw, node.func.attr
    twin = inplace_twin(node)
    if twin is not None:
        value = body.method(owner, twin)
        base = node.func.value
        if isinstance(base, ast.Name) and base.id in body.env:
            body.env[base.id] = value  # y = x.exp_(): x is updated too
        return value
    if name not in BLANKS and name not in DRAWS and name not in ("zero_", "fill_", "sort"):
        return None
    args = [body.expr_or_unknown(a) for a in node.args]
    kwargs = {k.arg: body.expr_or_unknown(k.value) for k in node.keywords if k.arg}
    if name in BLANKS:  # std.data.new(std.size()), x.new_empty(b, d)
        return blank(fw, args) if args else blank(fw, [], like=fw.tensor(owner, node))
    if name == "sort":  # lengths.sort(dim=0, descending=True): (values, order)
        return Tup([fw.tensor(owner, node), Permutation()])
    if not isinstance(owner, Blank):
        return None  # an in-place draw over a tensor the graph computes: not read here
    drawn = draw_into(fw, owner, name, args, kwargs, node)
    if drawn is None:
        raise Unsupported(node, f"`{ast.unparse(node)[:40]}` fills a fresh tensor with "
                                "values chainlens cannot see")
    return drawn


def flow_function(fw, name: str, args: list, kwargs: dict, where):
    """``torch.FloatTensor(size)``, ``torch.empty(...)``, ``torch.empty_like(x)``
    (blanks), ``torch.sort(x)``, ``torch.randperm(n)``: this module's value,
    else None."""
    if name in BLANK_CTORS:
        if name == "empty_like" and args:
            return blank(fw, [], like=fw.tensor(args[0], where))
        if args and all(isinstance(a, Shape | Tup | Const) for a in args):
            return blank(fw, args)
        return None
    if name == "sort" and args:
        return Tup([fw.tensor(args[0], where), Permutation()])
    if name == "randperm":
        return Permutation()
    return None


def _literal(node) -> int | None:
    """A written integer (``2``, ``-2``), else None."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _literal(node.operand)
        return None if inner is None else -inner
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(
            node.value, bool):
        return node.value
    return None


def shape_tail(index: ast.AST) -> bool:
    """``x.shape[k:]`` (k ≥ 1 written) or ``x.shape[-k:]``: the trailing sizes,
    read as a shape is (lengths unknown, the feature width last)."""
    if not (isinstance(index, ast.Slice) and index.upper is None and index.step is None):
        return False
    lower = _literal(index.lower)
    return lower is not None and lower != 0


def shape_head(index: ast.AST) -> int | None:
    """``x.shape[:k]`` (k ≥ 1 written): how many leading sizes (batch,
    sequence: lengths the reader does not fix), else None."""
    if not (isinstance(index, ast.Slice) and index.lower is None and index.step is None):
        return None
    upper = _literal(index.upper)
    return upper if upper is not None and 0 < upper <= 8 else None


def shape_drop(index: ast.AST) -> bool:
    """``x.size()[:-k]`` (k ≥ 1 written): every size but the last k, as
    HuggingFace-style code writes a head split (``x.size()[:-1] + (h, d)``);
    how many there are is the tensor's rank, which the reader does not fix."""
    if not (isinstance(index, ast.Slice) and index.lower is None and index.step is None):
        return False
    upper = _literal(index.upper)
    return upper is not None and upper < 0


def shape_sum(fw, a, b) -> Shape:
    """Sizes joined as ``torch.Size`` + tuple joins them (``x.size()[:-1] +
    (self.nf,)``, ``(n,) + x.shape[1:]``): a shape whose width is the last
    size, the right side's (a written int of the tuple, else not fixed)."""
    if isinstance(b, Shape):
        return Shape(b.of)
    if not b.items:
        return a
    last = _count(b.items[-1])
    return Shape(Tensor(fw.num(0), Dim(last if last and last > 0 else None)))


def _number(v):
    if isinstance(v, Const) and isinstance(v.value, int | float) and not isinstance(
            v.value, bool):
        return float(v.value)
    return None
