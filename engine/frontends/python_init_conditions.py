"""Tests written around a model file's own initialisation, decided from
the file: ``isinstance(m, nn.Linear)``, ``m.bias is not None``,
``pn.endswith("c_proj.weight")``, ``classname.find("Conv") != -1``,
``p.dim() > 1``.

Split from :mod:`python_init_draws` by role: that module reads the init
calls and records their laws; this one decides the ``if`` tests that select
what they draw (None when the file does not decide it: the model is then
"not measured").  :class:`InitTests` is a mixin of the init reader (it uses
``value`` and ``_init_target``).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from chainlens.engine.frontends.python_ast import dotted
from chainlens.engine.frontends.python_values import Const, Items, Layer, Mod, Param, Seq, Tup

__all__ = ["InitTests", "Slot"]


@dataclass
class Slot:
    """A parameter reached by ``self.parameters()``: ``layer.<attr>``."""

    owner: object  # Layer | Param
    attr: str
    name: str


class InitTests:
    """The tests of ``if`` statements in init code."""

    # ---- tests: isinstance(m, nn.Linear), m.bias is not None, pn.endswith(...) ----
    def _init_test(self, node: ast.AST, env: dict, mod: Mod):
        """True/False, or None when it cannot be decided from the file."""
        if isinstance(node, ast.BoolOp):
            vals = [self._init_test(v, env, mod) for v in node.values]
            if None in vals:
                return None
            return all(vals) if isinstance(node.op, ast.And) else any(vals)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            v = self._init_test(node.operand, env, mod)
            return None if v is None else not v
        if isinstance(node, ast.Call):
            parts = dotted(node.func) or []
            if parts == ["isinstance"] and len(node.args) == 2:
                obj = self.value(node.args[0], env, mod)
                kinds = node.args[1].elts if isinstance(node.args[1], ast.Tuple) \
                    else [node.args[1]]
                names = [(dotted(k) or ["?"])[-1] for k in kinds]
                return any(_is_a(obj, n) for n in names)
            if parts == ["hasattr"] and len(node.args) == 2 and isinstance(
                    node.args[1], ast.Constant):
                obj = self.value(node.args[0], env, mod)
                return _has(obj, str(node.args[1].value))
            if isinstance(node.func, ast.Attribute) and node.func.attr in (
                    "endswith", "startswith") and len(node.args) == 1:
                s = self._init_str(node.func.value, env, mod)
                arg = self.value(node.args[0], env, mod)
                if s is None or not isinstance(arg, Const | Tup):
                    return None
                ends = tuple(i.value for i in arg.items) if isinstance(arg, Tup) \
                    else arg.value
                if not isinstance(ends, str | tuple):
                    return None
                return getattr(s, node.func.attr)(ends)
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            op, right = node.ops[0], node.comparators[0]
            if isinstance(right, ast.Constant) and right.value is None and isinstance(
                    op, ast.Is | ast.IsNot) and isinstance(node.left, ast.Attribute):
                # m.bias is not None
                obj = self.value(node.left.value, env, mod)
                present = _has(obj, node.left.attr)
                if present is None:
                    return None
                return (not present) if isinstance(op, ast.Is) else present
            if isinstance(op, ast.In | ast.NotIn):
                s = self._init_str(right, env, mod)
                sub = self.value(node.left, env, mod)
                if s is None or not isinstance(sub, Const) or not isinstance(sub.value, str):
                    return None
                return (sub.value in s) == isinstance(op, ast.In)
            if (isinstance(node.left, ast.Call) and isinstance(node.left.func, ast.Attribute)
                    and node.left.func.attr == "find" and len(node.left.args) == 1):
                # classname.find('Conv') != -1 (DCGAN's weights_init)
                s = self._init_str(node.left.func.value, env, mod)
                sub = self.value(node.left.args[0], env, mod)
                num = self.value(right, env, mod)
                if s is None or not isinstance(sub, Const) or not isinstance(num, Const):
                    return None
                found = s.find(str(sub.value))
                if isinstance(op, ast.NotEq):
                    return found != num.value
                if isinstance(op, ast.Eq):
                    return found == num.value
                return None
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(
                node.ops[0], ast.Gt | ast.GtE | ast.Lt | ast.LtE | ast.Eq | ast.NotEq):
            # if p.dim() > 1: (the annotated transformer's xavier_uniform_ of every matrix)
            left = self._init_num(node.left, env, mod)
            right = self._init_num(node.comparators[0], env, mod)
            if left is not None and right is not None:
                return {ast.Gt: left > right, ast.GtE: left >= right, ast.Lt: left < right,
                        ast.LtE: left <= right, ast.Eq: left == right,
                        ast.NotEq: left != right}[type(node.ops[0])]
        value = self.value(node, env, mod)
        if isinstance(value, Const) and isinstance(value.value, bool | int | str | None):
            return bool(value.value)
        return None

    def _init_num(self, node: ast.AST, env: dict, mod: Mod):
        """A number a test compares: a constant, or a parameter's number of
        axes (``p.dim()``, ``p.ndim``, ``len(p.shape)``)."""
        owner = None
        if isinstance(node, ast.Call) and not node.args and isinstance(
                node.func, ast.Attribute) and node.func.attr in ("dim", "ndimension"):
            owner = node.func.value
        elif isinstance(node, ast.Attribute) and node.attr == "ndim":
            owner = node.value
        elif (isinstance(node, ast.Call) and dotted(node.func) == ["len"] and len(node.args) == 1
              and isinstance(node.args[0], ast.Attribute) and node.args[0].attr == "shape"):
            owner = node.args[0].value
        if owner is not None:
            slot = self._init_target(owner, env, mod)
            return _axes(slot) if slot is not None else None
        value = self.value(node, env, mod)
        if isinstance(value, Const) and isinstance(value.value, int | float) and not isinstance(
                value.value, bool):
            return value.value
        return None

    def _init_str(self, node: ast.AST, env: dict, mod: Mod) -> str | None:
        """A name string: ``pn`` of named_parameters, ``m.__class__.__name__``."""
        if (isinstance(node, ast.Attribute) and node.attr == "__name__"
                and isinstance(node.value, ast.Attribute) and node.value.attr == "__class__"):
            return _class_name(self.value(node.value.value, env, mod))
        if (isinstance(node, ast.Attribute) and node.attr == "__name__"
                and isinstance(node.value, ast.Call) and dotted(node.value.func) == ["type"]
                and len(node.value.args) == 1):
            return _class_name(self.value(node.value.args[0], env, mod))
        value = self.value(node, env, mod)
        return value.value if isinstance(value, Const) and isinstance(value.value, str) else None


def _axes(slot: Slot) -> int | None:
    """How many axes torch gives the parameter ``slot`` (a Linear's weight 2,
    a conv's 2 + its kernel's, any bias 1)."""
    owner = slot.owner
    if isinstance(owner, Param):
        return len(owner.shape) if owner.shape else None
    if slot.attr == "bias":
        return 1
    if slot.attr != "weight":
        return None
    kind = owner.spec.kind
    if kind in ("linear", "embedding"):
        return 2
    if kind == "norm":
        return 1
    if kind == "conv":
        digits = [c for c in owner.spec.ctor if c.isdigit()]
        return 2 + int(digits[0]) if digits else None
    return None


def _class_name(obj) -> str | None:
    if isinstance(obj, Layer):
        return obj.spec.ctor
    if isinstance(obj, Mod):
        return obj.cls.name
    if isinstance(obj, Seq):
        return "Sequential"
    if isinstance(obj, Items):
        return "ModuleList"
    return None


def _is_a(obj, name: str) -> bool:
    if name in ("Module",):
        return isinstance(obj, Layer | Mod | Seq | Items)
    cls = _class_name(obj)
    if name in ("_ConvNd",):
        return bool(cls) and cls.startswith("Conv")
    if name in ("_BatchNorm", "_NormBase"):
        return bool(cls) and "BatchNorm" in cls
    return cls == name


def _has(obj, attr: str):
    """Whether a module has a parameter ``attr`` (``m.bias is not None``)."""
    if isinstance(obj, Layer):
        kind = obj.spec.kind
        if attr == "weight":
            return kind in ("linear", "conv", "embedding", "norm")
        if attr == "bias":
            return kind in ("linear", "conv", "norm") and bool(obj.spec.bias)
        return None
    if isinstance(obj, Mod):
        value = obj.attrs.get(attr)
        if value is None:
            return False if attr in ("weight", "bias") else None
        return not (isinstance(value, Const) and value.value is None)
    if isinstance(obj, Seq | Items):
        return False if attr in ("weight", "bias") else None
    return None
