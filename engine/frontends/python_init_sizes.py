"""Numbers an init formula reads that the file does not fix, at the sizes
the reader already assumes.

Hand-written cells and graph layers scale their own draws by a width the
file leaves to the caller: ``std = 1.0 / math.sqrt(self.hidden_size)``,
pygcn's ``stdv = 1. / math.sqrt(self.weight.size(1))``, minGPT's
``std=0.02 / math.sqrt(2 * config.n_layer)``.  The structure reader reads
the same classes with every width it cannot see at
:data:`~chainlens.engine.frontends.python_values.TYPICAL_WIDTH` and every
count at :data:`~chainlens.engine.frontends.python_values.UNROLLED_STEPS`;
measuring the init at those same sizes is the one consistent reading (a
formula left unread made the whole model "not measured").

A name is assumed only where the file itself uses it as a size: an
argument of a layer or tensor constructor (a width) or of ``range`` (a
count).  Any other unknown (``std=init_std`` of a caller's float) stays
unknown, so the model stays "not measured" with the call named: a scale
is never guessed.  The hover names each size assumed.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass

from chainlens.engine.frontends.python_ast import dotted
from chainlens.engine.frontends.python_init_values import const_binop
from chainlens.engine.frontends.python_values import (
    TYPICAL_WIDTH,
    UNROLLED_STEPS,
    Const,
    Layer,
    Param,
    Unknown,
)

__all__ = ["Assumed", "InitSizes", "size_roles"]

#: constructors whose leading arguments are widths
_SIZED = frozenset({"Linear", "Bilinear", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d",
                    "ConvTranspose2d", "ConvTranspose3d", "Embedding", "LSTM", "GRU", "RNN",
                    "LSTMCell", "GRUCell", "RNNCell", "LayerNorm", "BatchNorm1d",
                    "BatchNorm2d", "BatchNorm3d", "MultiheadAttention", "Dense", "Tensor",
                    "FloatTensor", "randn", "rand", "zeros", "ones", "empty", "new_zeros"})
#: keywords of those constructors that are widths
_SIZE_WORDS = frozenset({"in_features", "out_features", "in_channels", "out_channels",
                         "num_embeddings", "embedding_dim", "input_size", "hidden_size",
                         "normalized_shape", "num_features", "embed_dim", "features"})
_FUNCS = {"sqrt": math.sqrt, "float": float, "int": int, "abs": abs}
_DEPTH = 24


@dataclass(frozen=True)
class Assumed:
    """A number computed at assumed sizes; ``sizes``: what the hover says
    (``hidden_size = 16``)."""

    value: float
    sizes: tuple[str, ...] = ()


def _leaves(node: ast.AST) -> set[str]:
    """The last part of every name in ``node`` (``3 * self.hidden_size`` ->
    hidden_size)."""
    out = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name):
            out.add(n.id)
        elif isinstance(n, ast.Attribute):
            out.add(n.attr)
    return out


def size_roles(trees) -> dict[str, str]:
    """name -> ``width`` / ``count`` (``both`` when the file uses it as
    each: then it is never assumed) over the classes and functions."""
    roles: dict[str, str] = {}

    def mark(names, role):
        for name in names:
            roles[name] = role if roles.get(name, role) == role else "both"

    for tree in trees:
        for n in ast.walk(tree):
            if not isinstance(n, ast.Call):
                continue
            last = (dotted(n.func) or [""])[-1]
            if last == "range":
                for a in n.args:
                    mark(_leaves(a), "count")
            elif last in _SIZED:
                for a in n.args[:2]:
                    mark(_leaves(a), "width")
                for k in n.keywords:
                    if k.arg in _SIZE_WORDS:
                        mark(_leaves(k.value), "width")
    return roles


def _number(value) -> float | None:
    if isinstance(value, Const) and isinstance(value.value, int | float) and not isinstance(
            value.value, bool):
        return value.value
    return None


class InitSizes:
    """Mixin of the init reader: the formulas of ``__init__`` (and the
    methods it calls) kept by name, and evaluated at assumed sizes."""

    def note_source(self, stmt: ast.stmt, env: dict, mod) -> None:
        """Keeps ``std = <expr>`` / ``self.stdv = <expr>`` so that a draw
        reading ``std`` can evaluate the formula at assumed sizes."""
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            target, value = stmt.target, stmt.value
        else:
            return
        if isinstance(target, ast.Name):
            owner, name = env, target.id
        elif (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
              and target.value.id == "self" and mod is not None):
            owner, name = mod, target.attr
        else:
            return
        # keyed by id() with the owner kept alive, so that no id is reused
        sources = self.__dict__.setdefault("init_sources", {})
        sources.setdefault(id(owner), (owner, {}))[1][name] = (value, env)

    def _source(self, owner, name: str):
        """(formula, the names it was written among) of ``name``, else None."""
        entry = self.__dict__.get("init_sources", {}).get(id(owner))
        return entry[1].get(name) if entry is not None and entry[0] is owner else None

    def _roles(self) -> dict[str, str]:
        roles = self.__dict__.get("init_roles")
        if roles is None:
            roles = size_roles([*self.classes.values(), *self.functions.values()])
            self.__dict__["init_roles"] = roles
        return roles

    def assumed_number(self, node: ast.AST, env: dict, mod) -> Assumed | None:
        """``node`` as a number, every size the file does not fix at the
        reader's assumption; None when something else is unknown."""
        sizes: list[str] = []
        value = self._assume(node, env, mod, sizes, 0)
        if value is None or isinstance(value, complex) or not math.isfinite(value):
            return None
        return Assumed(value, tuple(dict.fromkeys(sizes)))

    def _assume(self, node, env, mod, sizes, depth):
        if depth > _DEPTH:
            return None
        again = (lambda n, e=env, m=mod: self._assume(n, e, m, sizes, depth + 1))
        if isinstance(node, ast.Constant):
            return _number(Const(node.value))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            v = again(node.operand)
            return None if v is None else (-v if isinstance(node.op, ast.USub) else v)
        if isinstance(node, ast.BinOp):
            a, b = again(node.left), again(node.right)
            return None if a is None or b is None else const_binop(node.op, a, b)
        if isinstance(node, ast.Call):
            return self._assume_call(node, env, mod, sizes, again)
        if isinstance(node, ast.Subscript):  # self.weight.shape[1], w.size()[0]
            return self._shape_entry(node.value, node.slice, env, mod, sizes, shape_of=True)
        if isinstance(node, ast.Name | ast.Attribute):
            value = self.value(node, env, mod)
            number = _number(value)
            if number is not None:
                return number
            if not (isinstance(value, Unknown) or (isinstance(value, Const)
                                                   and value.value is None)):
                return None
            owner, name = ((env, node.id) if isinstance(node, ast.Name) else
                           (mod, node.attr) if isinstance(node.value, ast.Name)
                           and node.value.id == "self" else (None, node.attr))
            source = self._source(owner, name) if owner is not None else None
            if source is not None:
                return self._assume(source[0], source[1], mod, sizes, depth + 1)
            role = self._roles().get(name)
            if role == "width":
                sizes.append(f"{ast.unparse(node)} = {TYPICAL_WIDTH}")
                return TYPICAL_WIDTH
            if role == "count":
                sizes.append(f"{ast.unparse(node)} = {UNROLLED_STEPS}")
                return UNROLLED_STEPS
        return None

    def _assume_call(self, node, env, mod, sizes, again):
        parts = dotted(node.func) or []
        last = parts[-1] if parts else ""
        if last == "size" and isinstance(node.func, ast.Attribute):
            if len(node.args) == 1 and not node.keywords:  # self.weight.size(1)
                return self._shape_entry(node.func.value, node.args[0], env, mod, sizes)
            return None
        if last == "pow" and len(node.args) == 2 and parts[:-1] in (["math"], []):
            a, b = again(node.args[0]), again(node.args[1])
            return None if a is None or b is None else const_binop(ast.Pow(), a, b)
        if last in _FUNCS and len(node.args) == 1 and not node.keywords and (
                parts[:-1] in (["math"], ["np"], ["numpy"]) or (
                    len(parts) == 1 and last != "sqrt")):
            v = again(node.args[0])
            if v is None or (last == "sqrt" and v < 0):
                return None
            return _FUNCS[last](v)
        return None

    def _shape_entry(self, owner_node, index_node, env, mod, sizes, shape_of=False):
        """Entry ``index`` of a parameter's shape (``self.weight.size(1)``):
        torch's (out, in) of a layer's weight, a Parameter's written shape,
        an unwritten entry at the assumed width."""
        if shape_of:
            if not (isinstance(owner_node, ast.Attribute) and owner_node.attr == "shape") and not (
                    isinstance(owner_node, ast.Call) and isinstance(owner_node.func, ast.Attribute)
                    and owner_node.func.attr == "size" and not owner_node.args):
                return None
            owner_node = owner_node.value if isinstance(owner_node, ast.Attribute) \
                else owner_node.func.value
        index = _number(self.value(index_node, env, mod))
        if not isinstance(index, int):
            return None
        while isinstance(owner_node, ast.Attribute) and owner_node.attr == "data":
            owner_node = owner_node.value
        shape = self._param_shape(owner_node, env, mod)
        if shape is None or not -len(shape) <= index < len(shape):
            return None
        entry = shape[index]
        if isinstance(entry, int) and not isinstance(entry, bool) and entry > 0:
            return entry
        sizes.append(f"{ast.unparse(owner_node)}.size({index}) = {TYPICAL_WIDTH}")
        return TYPICAL_WIDTH

    def _param_shape(self, node, env, mod) -> tuple | None:
        if isinstance(node, ast.Attribute) and node.attr in ("weight", "bias"):
            layer = self.value(node.value, env, mod)
            if isinstance(layer, Layer) and layer.spec.kind in ("linear", "embedding"):
                spec = layer.spec
                out, inp = spec.fan_out, spec.fan_in
                if spec.kind == "embedding":  # torch's (num, dim) table
                    return (inp, out) if node.attr == "weight" else None
                return (out, inp) if node.attr == "weight" else (out,)
        value = self.value(node, env, mod)
        if isinstance(value, Param) and value.shape:
            return tuple(value.shape)
        return None
