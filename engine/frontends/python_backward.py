"""A hand-written ``backward`` of a ``torch.autograd.Function`` checked
against the derivative of its ``forward`` (python_autograd).

PyTorch back-propagates through the user's ``backward``; chainlens measures
the true derivative of ``forward``.  The two measurements are the same only
when the backward is that derivative, so it is checked here, for the one
case read: one tensor input, straight-line bodies of element-wise math
(``x * torch.sigmoid(x)``, ``x.mul(torch.tanh(F.softplus(x)))``), a
backward returning ``grad_output`` times an expression of the saved
tensors.  Both bodies are inlined into one expression each (assignments
substituted, ``ctx.saved_tensors`` replaced by what ``forward`` saved, tensor
methods by their functions, the backward's ``grad_output * E`` read as
its factor ``E``: any other use of ``grad_output`` is not read) and compared with
:func:`~chainlens.engine.symbolic.check.check_derivative` (symbolically,
else at sampled points).  Anything else is None: not checked, never a
verdict of "wrong" on a guess.
"""

from __future__ import annotations

import ast
import copy

from chainlens.engine.core.source import ChainError
from chainlens.engine.frontends.python_ast import dotted
from chainlens.engine.frontends.python_builder import Builder
from chainlens.engine.frontends.python_builder import Unsupported as BuildError
from chainlens.engine.symbolic.check import check_derivative

__all__ = ["backward_agrees"]

#: tensor methods read as the element-wise function of the tensor
_UNARY = frozenset({"tanh", "sigmoid", "exp", "log", "sqrt", "abs", "sin", "cos", "neg"})
_BINARY = {"mul": ast.Mult, "add": ast.Add, "sub": ast.Sub, "div": ast.Div, "pow": ast.Pow}


class _Inline(ast.NodeTransformer):
    """Names replaced by their values, tensor methods by functions."""

    def __init__(self, values: dict):
        self.values = values

    def visit_Name(self, node: ast.Name):
        if isinstance(node.ctx, ast.Load) and node.id in self.values:
            return copy.deepcopy(self.values[node.id])
        return node

    def visit_Call(self, node: ast.Call):
        self.generic_visit(node)
        f = node.func
        if isinstance(f, ast.Attribute) and dotted(f.value) not in (["torch"], ["F"], ["np"]):
            if f.attr in _UNARY and not node.args and not node.keywords:
                fn = ast.Attribute(value=ast.Name(id="torch", ctx=ast.Load()), attr=f.attr,
                                   ctx=ast.Load())
                return ast.copy_location(ast.Call(func=fn, args=[f.value], keywords=[]), node)
            if f.attr in _BINARY and len(node.args) == 1 and not node.keywords:
                return ast.copy_location(ast.BinOp(left=f.value, op=_BINARY[f.attr](),
                                                   right=node.args[0]), node)
        return node


def _is_ctx_call(stmt: ast.stmt, ctx: str) -> bool:
    return (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)
            and (dotted(stmt.value.func) or [""])[0] == ctx)


def _inline_body(body: list, values: dict, ctx: str, saved: list | None = None
                 ) -> ast.expr | None:
    """The return expression of a straight-line body with every assigned
    name substituted; None for anything else.  ``saved`` collects the
    arguments of ``ctx.save_for_backward``, inlined where it is called."""
    for stmt in body:
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue
        if _is_ctx_call(stmt, ctx):
            if saved is not None and (dotted(stmt.value.func) or [""])[-1] == (
                    "save_for_backward"):
                saved[:] = [_Inline(values).visit(copy.deepcopy(a)) for a in stmt.value.args]
            continue
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(
                stmt.targets[0], ast.Name):
            values[stmt.targets[0].id] = _Inline(values).visit(copy.deepcopy(stmt.value))
            continue
        if isinstance(stmt, ast.Return) and stmt.value is not None:
            return _Inline(values).visit(copy.deepcopy(stmt.value))
        return None
    return None


def _factors(expr: ast.expr) -> list:
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mult):
        return _factors(expr.left) + _factors(expr.right)
    return [expr]


def _factor(expr: ast.expr | None, grad: str) -> ast.expr | None:
    """``E`` of a backward returning a product with ``grad`` once as a factor
    (``grad * s * (1 + x * (1 - s))``; ``grad`` nowhere else): the local
    derivative.  Anything else (``grad ** 2``, a sum with ``grad``) is None:
    setting ``grad`` to 1 would hide how it depends on the incoming gradient."""
    if expr is None:
        return None
    factors = _factors(expr)
    mine = [f for f in factors if isinstance(f, ast.Name) and f.id == grad]
    rest = [f for f in factors if not (isinstance(f, ast.Name) and f.id == grad)]
    if len(mine) != 1 or not rest or any(isinstance(n, ast.Name) and n.id == grad
                                         for f in rest for n in ast.walk(f)):
        return None
    out = rest[0]
    for f in rest[1:]:
        out = ast.BinOp(left=out, op=ast.Mult(), right=f)
    return out


def _node(expr: ast.expr):
    return Builder(_NoOffsets()).expr(expr)


class _NoOffsets:
    """Spans are not needed for a comparison (Builder notes them)."""

    @staticmethod
    def span(_node):
        return None


def backward_agrees(fwd: ast.FunctionDef, backward: ast.FunctionDef) -> bool | None:
    """True when ``backward`` is the derivative of ``fwd`` (see the module's
    docstring), False when it is not, None when the pair is not read."""
    params = [a.arg for a in fwd.args.posonlyargs + fwd.args.args]
    grads = [a.arg for a in backward.args.posonlyargs + backward.args.args]
    if len(params) != 2 or len(grads) != 2 or fwd.args.vararg or backward.args.vararg:
        return None
    ctx, x = params
    try:
        saved: list = []
        out = _inline_body(fwd.body, {}, ctx, saved)
        if out is None or not saved:
            return None
        bctx, grad = grads
        bvalues: dict = {}
        for stmt in backward.body:  # x = ctx.saved_tensors[0] / (x,) = ctx.saved_tensors
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and (
                    dotted(stmt.value.value if isinstance(stmt.value, ast.Subscript)
                           else stmt.value) == [bctx, "saved_tensors"]):
                target = stmt.targets[0]
                if isinstance(stmt.value, ast.Subscript) and isinstance(target, ast.Name) and (
                        isinstance(stmt.value.slice, ast.Constant)):
                    bvalues[target.id] = saved[stmt.value.slice.value]
                elif isinstance(target, ast.Tuple | ast.List) and len(target.elts) == len(
                        saved) and all(isinstance(e, ast.Name) for e in target.elts):
                    bvalues.update({e.id: s for e, s in zip(target.elts, saved, strict=True)})
                else:
                    return None
        body = [s for s in backward.body if not (
            isinstance(s, ast.Assign) and dotted(s.value.value if isinstance(s.value, ast.Subscript)
                                                 else s.value) == [bctx, "saved_tensors"])]
        claimed = _factor(_inline_body(body, bvalues, bctx), grad)
        if claimed is None:
            return None
        roots = {n.value.id for n in ast.walk(claimed) if isinstance(n, ast.Attribute)
                 and isinstance(n.value, ast.Name)}
        if any(isinstance(n, ast.Name) and n.id != x and n.id not in roots
               for e in (out, claimed) for n in ast.walk(e)):
            return None  # a name neither the input nor a library: not read
        return bool(check_derivative(_node(out), _node(claimed), wrt=x).equal)
    except (BuildError, IndexError, TypeError, ValueError, KeyError, AttributeError,
            ArithmeticError, RecursionError, ChainError):  # (the check's EvaluationError too)
        return None
