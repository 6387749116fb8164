"""Concatenations along the feature axis used as a whole, read exactly.

The forward reader keeps one feature vector per sample and position, so a
``torch.cat`` / ``torch.stack(..., dim=-1).flatten(...)`` along the feature
axis is a :class:`Concat` of its parts (its backward is a split: each part
gets its slice of the gradient).  A layer reads such a value with one weight
block per part (:meth:`Apply.apply_weights`); this module reads the other
consumers real models write, each as the same math on the parts, with no
new primitive:

* element-wise functions and identities (``F.elu``, ``torch.tanh``,
  ``F.dropout``, ``.contiguous()``): part by part;
* ``x @ W`` / ``torch.mm(x, W)`` with ``W`` a parameter ``[in, out]``
  (``W @ x`` with ``W`` ``[out, in]``): ``Σ_j x_j @ W_j``, ``W`` declared as
  row (column) blocks matching the parts, each drawn by ``W``'s own init
  (its fan-in that of the whole ``W``) and grouped as one layer;
* ``q @ kᵀ`` of two concatenations cut alike (a score at one position):
  ``Σ_j q_j·k_j``; a score times a concatenation (``attn @ v``): part by
  part;
* a reduction over the features (``x.sum(-1)``), ``softmax`` /
  ``log_softmax`` over them and a layer norm's normalisation: over all the
  parts together (one mean, one variance, one normaliser).

The axis decides which readings hold (no rank is tracked): ``dim=-1`` is the
features; ``dim=1`` is read as the features (2-D tensors) but a reading over
all its parts is marked not judged (of 3-D tensors it is the sequence);
``torch.cat(parts)`` is along the leading axis (no feature reading); a class
token ``(1, 1, d)`` with data is along the sequence, which no reading (a layer
neither) takes.  A concatenation of data alone (no weight below it) used as a
whole is one input of unit variance.  Anything else (a slice, a sum with a
whole tensor of its width) stays a skip that names the concatenation and its
line.
"""

from __future__ import annotations

import ast
from fractions import Fraction

from chainlens.engine.core.ir import add, call, div, mul, sub
from chainlens.engine.core.nodes import Node, num, sym
from chainlens.engine.core.walk import postorder
from chainlens.engine.frontends.python_layers import SHAPE_METHODS, apply_op
from chainlens.engine.frontends.python_values import (
    TYPICAL_WIDTH,
    Concat,
    Const,
    Dim,
    Param,
    Tensor,
    Unsupported,
)
from chainlens.engine.rules import RULES

__all__ = ["concatenate", "concat_function", "concat_method", "concat_matmul", "concat_binop",
           "features", "why_not", "SEQUENCE", "data_input", "normalise_parts"]

#: functions of one tensor that pass it on unchanged at evaluation
_IDENTITIES = frozenset({"dropout", "dropout1d", "dropout2d", "alpha_dropout", "contiguous",
                         "flatten", "reshape", "squeeze", "unsqueeze", "transpose", "permute",
                         "clone", "detach_copy", "rearrange", "view_as_real"})
#: the axis of a concatenation of learned tokens with data (a class token)
SEQUENCE = "sequence"
#: reductions over the feature axis: name -> mean (True) or sum (False)
_REDUCE = {"sum": False, "mean": True}
#: normalisations over the feature axis
_SOFTMAX = frozenset({"softmax", "Softmax"})
_LOG_SOFTMAX = frozenset({"log_softmax", "LogSoftmax"})
#: the variance floor of PyTorch's norms
_EPS = num(Fraction(1, 100000))


def _axis(args: list, kwargs: dict, at: int):
    v = kwargs.get("dim", kwargs.get("axis", args[at] if len(args) > at else None))
    return v.value if isinstance(v, Const) and isinstance(v.value, int) else None


def concatenate(fw, name: str, args: list, kwargs: dict, where):
    """``torch.cat`` / ``stack`` / ``hstack`` / ``vstack`` of ``args``: a
    :class:`Concat` of the parts (one part: itself).  ``torch.stack(..., dim=-1)``
    makes a last axis that real files flatten into the features (the rotary
    ``stack([re, im], -1).flatten(3)``): read as a concatenation of features,
    whose order (interleaved) changes no gradient norm."""
    parts = args[0].items if args and hasattr(args[0], "items") else args
    if not parts:
        raise Unsupported(where, f"{name} of an empty list")
    flat = []
    for p in parts:
        flat += p.parts if isinstance(p, Concat) else [fw.tensor(p, where)]
    axis = _axis(args, kwargs, 1)
    if axis is None and _given(args, kwargs, 1) is None:
        axis = -1 if name == "hstack" else 0  # torch.cat(parts): along the leading axis
    stacked = name == "stack" and axis != -1
    if len(flat) == 1:
        return flat[0]
    if axis == 1 and any(_token(fw, p) for p in flat):
        axis = SEQUENCE  # torch.cat((cls_tokens, x), dim=1): along the sequence
    return Concat(flat, stacked=stacked, axis=axis, line=getattr(where, "lineno", None))


def _leaves(fw, node: Node) -> tuple[set, set]:
    """The declared names ``node`` depends on and the ops on the way, through
    the names forward bound (None when the graph is too large to follow)."""
    bound = {a.name: a.expr for a in fw.assignments}
    names, ops, todo, seen = set(), set(), [node], 0
    while todo and seen < 256:
        seen += 1
        for n in postorder(todo.pop()):
            ops.add(n.op)
            if n.op == "sym" and n.value in bound:
                todo.append(bound[n.value])
            elif n.op == "sym":
                names.add(n.value)
    if todo:
        ops.add("<unfollowed>")
    return names, ops


def data_input(fw, c: Concat, where) -> Tensor | None:
    """A concatenation of data alone (no weight below any part: sinusoidal
    features ``cat([sin(t·f), cos(t·f)])`` of a timestep) used as a whole:
    one input of unit variance of the total width, as every input is read;
    None when a part depends on a weight."""
    for p in c.parts:
        names, ops = _leaves(fw, p.node)
        if "<unfollowed>" in ops or any(fw.decls.get(n, ("",))[0] == "param" for n in names):
            return None
    widths = [p.dim.value for p in c.parts]
    width = None if None in widths else sum(widths)  # unknown: what it meets fixes it
    node = fw.declare("features", "input", (Dim(width),), fw.offsets.span(where), "input")
    fw.inputs.append(node.value)
    fw.cut_inputs = True
    fw.notes.append("a concatenation of data (no weight below it) is one input of unit "
                    "variance")
    return Tensor(node, fw.decls[node.value][1][0])


def _token(fw, p: Tensor) -> bool:
    """``p`` is a learned token: a parameter of three or more axes (``(1, 1, d)``,
    expanded to the batch, through the names forward binds), no layer applied."""
    names, ops = _leaves(fw, p.node)
    # (a learned (1, n) state next to data is as often a feature concatenation,
    # an RNN's start state, so parameters of two axes say nothing)
    return bool(names & set(fw.many_axes)) and "matmul" not in ops


def _given(args: list, kwargs: dict, at: int):
    return kwargs.get("dim", kwargs.get("axis", args[at] if len(args) > at else None))


def features(c) -> bool:
    """``c`` is a concatenation along the feature axis: ``dim=-1``, or
    ``dim=1`` of parts none of which is a parameter of three axes (a class
    token ``(1, 1, d)`` is concatenated along the sequence)."""
    return isinstance(c, Concat) and not c.stacked and c.axis in (-1, 1)


def _elementwise(node: Node) -> bool:
    """No reduction or product over the features anywhere in ``node``."""
    return not any(n.op in RULES and RULES[n.op].kind == "tensor" for n in postorder(node))


def _part_op(name: str, c: Concat) -> Concat | None:
    probe = apply_op(name, sym("_probe"))  # the op itself, without the parts' own graphs
    if probe is None or not _elementwise(probe) or any(p.scalar for p in c.parts):
        return None
    built = [apply_op(name, p.node) for p in c.parts]
    return Concat([Tensor(b, p.dim, p.scalar) for b, p in zip(built, c.parts, strict=True)],
                  c.stacked, c.axis, c.line)


def _total(c: Concat, mean: bool) -> Node:
    """``Σ`` (or the mean) of every entry of the parts."""
    total = None
    for p in c.parts:
        s = call("sum", p.node)
        total = s if total is None else add(total, s)
    if mean:
        width = sum(_width(p) for p in c.parts)
        total = div(total, num(width))
    return total


def _width(p: Tensor) -> int:
    if p.dim.value is None:  # a width the file does not fix: the reader's typical one
        p.dim.value = TYPICAL_WIDTH
    return p.dim.value


def _named(fw, node: Node, dim: Dim, where, base: str = "h") -> Tensor:
    return Tensor(sym(fw.bind(base, node, where)), dim)


def _whole(fw, c: Concat) -> None:
    """A reading of ``c`` as one feature vector: exact for ``dim=-1``; for
    ``dim=1`` only if the tensors are 2-D (of 3-D ones it is the sequence,
    which the file does not say), so the verdict is not judged."""
    if c.axis == 1:
        fw.unmodelled.append(f"torch.cat(..., dim=1){f' (line {c.line})' if c.line else ''} "
                             "read as a concatenation of features (2-D tensors); of 3-D ones "
                             "it would be along the sequence")


def reduce_parts(fw, c: Concat, name: str, where) -> Tensor:
    _whole(fw, c)
    return _named(fw, _total(c, _REDUCE[name]), Dim(1), where, "s")


def softmax_parts(fw, c: Concat, log: bool, where) -> Concat:
    _whole(fw, c)
    """softmax over all the features: ``exp(x_j - m) / Σ exp(x - m)``, with
    ``m`` one shift for all the parts (the largest of each part's largest)."""
    shift = None
    for p in c.parts:
        m = call("logsumexp", p.node)  # ≥ the part's largest entry: no overflow below
        shift = m if shift is None else call("max", shift, m)
    lse = None
    for p in c.parts:
        term = call("sum", call("exp", sub(p.node, shift)))
        lse = term if lse is None else add(lse, term)
    lse = _named(fw, add(shift, call("log", lse)), Dim(1), where, "s").node
    out = [Tensor(sub(p.node, lse) if log else call("exp", sub(p.node, lse)), p.dim)
           for p in c.parts]
    return Concat(out, c.stacked, c.axis, c.line)


def normalise_parts(fw, c: Concat, where) -> Concat:
    _whole(fw, c)
    """``(x - mean x) / sqrt(var x + 1e-5)`` over all the features of the
    parts (a LayerNorm of the concatenation, without its affine part)."""
    mean = _named(fw, _total(c, True), Dim(1), where, "s").node
    centred = [sub(p.node, mean) for p in c.parts]
    var = Concat([Tensor(mul(u, u), p.dim) for u, p in zip(centred, c.parts, strict=True)])
    denom = _named(fw, call("sqrt", add(_total(var, True), _EPS)), Dim(1), where, "s").node
    return Concat([Tensor(div(u, denom), p.dim) for u, p in zip(centred, c.parts, strict=True)],
                  c.stacked, c.axis, c.line)


def _along(c: Concat, given) -> bool:
    """A reduction / softmax over ``given`` (an axis, or None for the
    implicit one) of ``c`` is over its concatenated features."""
    return features(c) and given in (-1, None, c.axis)


def concat_function(fw, name: str, args: list, kwargs: dict, where):
    """``torch.<name>(c, ...)`` / ``F.<name>(c, ...)`` of a concatenation
    ``c = args[0]``; None when this module has no reading (the caller's own
    reading, or its skip, follows)."""
    c = args[0]
    if name in _IDENTITIES:
        return c
    given, axis = _given(args, kwargs, 1), _axis(args, kwargs, 1)
    if name in _REDUCE and (given is None or axis is not None) and _along(c, axis):
        return reduce_parts(fw, c, name, where)
    if name in _SOFTMAX | _LOG_SOFTMAX and axis is not None and _along(c, axis):
        return softmax_parts(fw, c, name in _LOG_SOFTMAX, where)
    if name == "layer_norm" and len(args) == 2 and not set(kwargs) - {"eps"} and features(c):
        return normalise_parts(fw, c, where)  # F.layer_norm(h, (d,)): no affine part
    if len(args) == 1 and set(kwargs) <= {"inplace"}:
        return _part_op(name, c)
    return None


def concat_method(fw, c: Concat, name: str, args: list, kwargs: dict, where):
    """``c.<name>(...)`` of a concatenation; None when not read here."""
    if name in SHAPE_METHODS:
        return c
    if name in ("matmul", "mm", "bmm") and len(args) == 1:
        return concat_matmul(fw, c, args[0], where)
    given = _given(args, kwargs, 0)
    axis = _axis(args, kwargs, 0)
    if name in _REDUCE and (given is None or axis is not None) and _along(c, axis):
        return reduce_parts(fw, c, name, where)
    if name in _SOFTMAX | _LOG_SOFTMAX and axis is not None and _along(c, axis):
        return softmax_parts(fw, c, name in _LOG_SOFTMAX, where)
    if not args and not kwargs:
        return _part_op(name, c)
    return None


def _safe(label: str) -> str:
    out = "".join(ch if ch.isalnum() else "_" for ch in label).strip("_")
    return out or "p"


def _split_param(fw, w: Param, c: Concat, where, rows: bool) -> list[Node]:
    """``w`` declared as blocks matching the parts of ``c``: rows of ``[in, out]``
    (``rows``, for ``x @ W``) or columns of ``[out, in]`` (``W @ x``), each
    block declared ``[out, in_j]``; one layer, every block drawn by ``w``'s
    init at the whole fan-in."""
    if w.symbol is not None or w.buffer or len(w.shape) != 2:
        raise Unsupported(where, "a concatenation times a parameter used whole elsewhere (or "
                                 "not a matrix) is not read")
    total, out = (w.shape[0], w.shape[1]) if rows else (w.shape[1], w.shape[0])
    widths = [p.dim.value for p in c.parts]
    unknown = widths.count(None)
    if not isinstance(total, int) and unknown:  # nn.Parameter(torch.empty(nhid * heads, d)):
        widths = [v or TYPICAL_WIDTH for v in widths]  # widths not written are typical
        total = sum(widths)
    elif unknown and (total - sum(v for v in widths if v is not None)) % unknown == 0:
        rest = (total - sum(v for v in widths if v is not None)) // unknown  # heads alike
        widths = [rest if v is None else v for v in widths]
    elif not isinstance(total, int) and None not in widths:
        total = sum(widths)
    if None in widths or not isinstance(total, int) or sum(widths) != total or min(widths) <= 0:
        raise Unsupported(where, "a concatenation whose widths do not add up to the "
                                 f"{total} rows of the parameter it multiplies is not read")
    for p, v in zip(c.parts, widths, strict=True):
        p.dim.unify(Dim(v))
    layer = len(fw.layers) + 1
    base = fw.unique(f"P_{_safe(w.label)}")
    names = []
    for j, p in enumerate(c.parts):
        node = fw.declare(f"{base}_{j}", "param", (Dim(out), p.dim), w.span, w.init,
                          fan_in=total, layer=layer)
        fw.transposed.add(node.value)  # declared [out, in_j] whichever way it is written
        if w.scale != 1.0:
            fw.scales[node.value] = w.scale
        names.append(node)
    fw.layers.append((fw.row_name(w, base), names[0].value, w.span))
    w.symbol = "<split>"  # read whole later: refused (fw.tensor of it raises)
    fw.notes.append(f"{w.label}: a parameter multiplying a concatenation, read as one block "
                    "per part (Σ_j x_j @ W_j)")
    return names


def _sum(nodes: list[Node]) -> Node:
    total = nodes[0]
    for n in nodes[1:]:
        total = add(total, n)
    return total


def _scalar(v) -> bool:
    return isinstance(v, Tensor) and (v.scalar or v.dim.value == 1)


def concat_matmul(fw, a, b, where):
    """``a @ b`` where one side is a feature concatenation; None when neither
    is one (the reader's own matmul follows)."""
    c = b if isinstance(b, Concat) else a
    other = a if c is b else b
    if not isinstance(other, Concat | Param):
        score = fw.tensor(other, where)
        if _scalar(score):  # attn @ v with one score: each part times it
            return Concat([Tensor(mul(score.node, p.node), p.dim) for p in c.parts], c.stacked,
                          c.axis, c.line)
    if not features(c) or (isinstance(other, Concat) and not features(other)):
        return None
    if isinstance(a, Concat) and isinstance(b, Param):  # x @ W, W [in, out]
        _whole(fw, a)
        blocks = _split_param(fw, b, a, where, rows=True)
        terms = [call("matmul", w, p.node) for w, p in zip(blocks, a.parts, strict=True)]
        return _named(fw, _sum(terms), Dim(b.shape[1] if isinstance(b.shape[1], int)
                                           else None), where, "z")
    if isinstance(a, Param) and isinstance(b, Concat):  # W @ x, W [out, in]
        _whole(fw, b)
        blocks = _split_param(fw, a, b, where, rows=False)
        terms = [call("matmul", w, p.node) for w, p in zip(blocks, b.parts, strict=True)]
        return _named(fw, _sum(terms), Dim(a.shape[0] if isinstance(a.shape[0], int)
                                           else None), where, "z")
    if isinstance(a, Concat) and isinstance(b, Concat) and not b.stacked and len(
            a.parts) == len(b.parts) and all(p.dim.value == q.dim.value for p, q in zip(
                a.parts, b.parts, strict=True)):
        # q @ kᵀ at one position: one score, the sum over every feature
        _whole(fw, a)
        fw.notes.append("attention read at one position: q @ kᵀ is one score, softmax "
                        "over one key is 1")
        terms = [call("sum", mul(p.node, q.node)) for p, q in zip(a.parts, b.parts,
                                                                   strict=True)]
        return Tensor(_named(fw, _sum(terms), Dim(1), where, "s").node, Dim(1), scalar=True)
    raise Unsupported(where, "a concatenation of features multiplied by a tensor cut "
                             "otherwise is not read")


def concat_binop(fw, op: ast.operator, a, b, where):
    """``a <op> b`` of a feature concatenation and one number (a scalar
    tensor): part by part; None otherwise."""
    c, other = (a, b) if isinstance(a, Concat) else (b, a)
    if not isinstance(c, Concat) or not isinstance(other, Tensor) or not _scalar(other):
        return None
    return Concat([fw.binop(op, p, other, where) if c is a else fw.binop(op, other, p, where)
                   for p in c.parts], c.stacked, c.axis, c.line)


def why_not(c: Concat) -> str:
    """The skip's words for a concatenation used where no reading of it exists
    (the line of its torch.cat named when it is known)."""
    made = f" (the torch.cat of line {c.line})" if c.line else ""
    return _why(c) + made


def _why(c: Concat) -> str:
    if c.stacked:
        return "torch.stack of tensors (a new axis) feeds something other than a layer"
    if c.axis == -1:
        return ("torch.cat along the feature axis feeds an operation chainlens does not read "
                "part by part (a slice, a sum with a tensor of the whole width)")
    if c.axis == 1:
        return ("torch.cat along axis 1 (the features of a 2-D tensor, the sequence of a 3-D "
                "one) feeds an operation chainlens does not read part by part")
    if c.axis == SEQUENCE:
        return ("torch.cat of a class token along the sequence axis: chainlens reads one "
                "position, so the positions it adds are not modelled")
    return (f"torch.cat along axis {c.axis} (not the feature axis) feeds something other "
            "than a layer")
