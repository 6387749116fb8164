"""A class that subclasses a library layer and keeps its math is that layer.

``class LayerNorm(nn.LayerNorm)`` whose forward casts to float32, calls
``super().forward`` and casts back (CLIP), ``class Conv2d(nn.Conv2d):
pass``, an ``__init__`` that only hands its arguments to ``super()``: the
file's class computes what the library layer computes, so the model reader
reads it as that layer (the library's initialisation, the library's
gradient).  Anything more (an extra statement in ``__init__``, arithmetic
in ``forward``, another method that may change the weights such as
``reset_parameters``, class attributes, decorators) and the class is not
that layer: it is read, or skipped with its reason, as the file wrote it.
"""

from __future__ import annotations

import ast

from chainlens.engine.frontends.python_ast import dotted
from chainlens.engine.frontends.python_values import Ref

__all__ = ["layer_subclasses", "subclass_reasons"]

#: bases that are containers or the module base itself, not a layer with math
_NOT_LAYERS = frozenset({"Module", "ModuleList", "ModuleDict", "Sequential", "Parameter",
                         "ParameterList", "ParameterDict", "Function"})
#: tensor methods that change a dtype or layout, not values
_CASTS = frozenset({"type", "to", "float", "half", "double", "bfloat16", "contiguous"})


def layer_subclasses(classes: dict, constants: dict) -> dict:
    """``{name: Ref(library layer)}`` for each class of ``classes`` that is
    a library layer under another name."""
    out = {}
    for name, cls in classes.items():
        path = _library_base(cls, constants)
        if path is not None and _change(cls) is None:
            out[name] = Ref(path)
    return out


def subclass_reasons(classes: dict, constants: dict) -> dict:
    """``{name: why it is not read}`` for the subclasses of a library layer
    that change it (the reason a class using one is skipped)."""
    out = {}
    for name, cls in classes.items():
        path = _library_base(cls, constants)
        change = _change(cls) if path is not None else None
        if change is not None:
            out[name] = (f"{name} subclasses {'.'.join(path)} and changes it ({change}); "
                         "chainlens reads such a class as the layer only when it keeps the "
                         "layer's math and initialisation")
    return out


def _library_base(cls: ast.ClassDef, constants: dict) -> tuple[str, ...] | None:
    if len(cls.bases) != 1 or cls.keywords or cls.decorator_list:
        return None
    parts = dotted(cls.bases[0])
    if not parts:
        return None
    if len(parts) == 1 and isinstance(constants.get(parts[0]), Ref):
        parts = list(constants[parts[0]].path)  # from torch.nn import LayerNorm
    if parts[0] not in ("nn", "torch") or len(parts) < 2 or parts[-1] in _NOT_LAYERS or (
            not parts[-1][:1].isupper()):
        return None
    return tuple(parts)


def _change(cls: ast.ClassDef) -> str | None:
    """What the class changes in the layer it subclasses, or None."""
    for stmt in cls.body:
        if isinstance(stmt, ast.Pass) or (isinstance(stmt, ast.Expr) and isinstance(
                stmt.value, ast.Constant)):
            continue
        if not isinstance(stmt, ast.FunctionDef):
            return f"line {stmt.lineno}: `{ast.unparse(stmt)[:40]}`"
        if stmt.decorator_list:
            return f"a decorated {stmt.name}"
        if stmt.name == "__init__" and _passes_through(stmt):
            continue
        if stmt.name == "forward" and _super_forward(stmt):
            continue
        if stmt.name == "extra_repr":
            continue
        return f"its own {stmt.name}"
    return None


def _body(fn: ast.FunctionDef) -> list[ast.stmt]:
    body = list(fn.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return body


def _is_super(call: ast.AST, method: str) -> bool:
    return (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
            and call.func.attr == method and isinstance(call.func.value, ast.Call)
            and isinstance(call.func.value.func, ast.Name)
            and call.func.value.func.id == "super")


def _passes_through(fn: ast.FunctionDef) -> bool:
    """``__init__`` that only calls ``super().__init__`` with its own
    parameters, in order, as written (``*args, **kwargs`` too)."""
    body = _body(fn)
    if len(body) != 1 or not isinstance(body[0], ast.Expr) or not _is_super(
            body[0].value, "__init__"):
        return False
    call = body[0].value
    params = [a.arg for a in fn.args.posonlyargs + fn.args.args][1:]
    given = [a.id if isinstance(a, ast.Name) else (
        "*" + a.value.id if isinstance(a, ast.Starred) and isinstance(a.value, ast.Name)
        else None) for a in call.args]
    if fn.args.vararg is not None:
        params.append("*" + fn.args.vararg.arg)
    if given != params[:len(given)] or len(given) != len(params):
        return False
    for k in call.keywords:
        if not isinstance(k.value, ast.Name):
            return False
        if k.arg is None:
            if fn.args.kwarg is None or k.value.id != fn.args.kwarg.arg:
                return False
        elif k.arg != k.value.id or k.value.id not in {a.arg for a in fn.args.kwonlyargs}:
            return False
    return not fn.args.defaults and not any(fn.args.kw_defaults)


def _super_forward(fn: ast.FunctionDef) -> bool:
    """``forward`` whose only computation is ``super().forward(...)``,
    with dtype casts around it (``x.type(torch.float32)``, ``.to(dtype)``)."""
    supers = 0
    for node in ast.walk(fn):
        if isinstance(node, ast.BinOp | ast.UnaryOp | ast.Subscript | ast.Compare
                      | ast.If | ast.For | ast.While | ast.IfExp | ast.Lambda):
            return False
        if isinstance(node, ast.Call):
            if _is_super(node, "forward"):
                supers += 1
            elif isinstance(node.func, ast.Attribute) and node.func.attr in _CASTS:
                continue
            elif not (isinstance(node.func, ast.Name) and node.func.id == "super"):
                return False
    return supers == 1
