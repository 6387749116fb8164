"""Plain values inside ``__init__``: constants, module constants, sizes
(``4 * d``, ``d // n_head``), ``self.x`` attributes, lists, dicts,
comprehensions (``[Block(d) for _ in range(n)]``), comparisons and
conditional expressions on constructor flags, lambdas.

Split from :mod:`python_init` by role: that module walks ``__init__``'s
statements and instantiates classes; this one evaluates an expression.
:class:`InitValues` is a mixin of its ``InitReader`` (it uses ``classes``,
``functions``, ``constants`` and ``_call``).
"""

from __future__ import annotations

import ast
import dataclasses
import operator

from chainlens.engine.core.limits import MAX_REPEAT
from chainlens.engine.frontends.python_backbones import is_backbone
from chainlens.engine.frontends.python_flax import flax_call
from chainlens.engine.frontends.python_layers import SIZE_FIELDS
from chainlens.engine.frontends.python_site_options import record_call
from chainlens.engine.frontends.python_statements import known_truth, percent_format
from chainlens.engine.frontends.python_tables import Table
from chainlens.engine.frontends.python_transformer import decoder_stack
from chainlens.engine.frontends.python_values import (
    Closure,
    Const,
    Items,
    Layer,
    Mod,
    Param,
    Ref,
    Tup,
    Unknown,
)

__all__ = ["InitValues", "const_binop", "LIBRARIES", "BUILTINS"]

LIBRARIES = frozenset({"nn", "torch", "F", "functional", "np", "numpy", "jnp", "jax", "math",
                       "flax", "linen", "eqx", "nnx", "init", "collections", "copy", "einops",
                       "functools", "hk", "haiku"})
BUILTINS = frozenset({"range", "len", "int", "float", "max", "min", "round", "dict", "list",
                      "OrderedDict",
                      "tuple", "getattr", "isinstance", "hasattr", "enumerate", "zip", "super",
                      "map", "str", "sum", "reversed", "abs"})
def layer_size(layer: Layer, attr: str):
    """A size attribute of a built layer, as torch sets it: ``out_channels``,
    ``in_features`` (:data:`SIZE_FIELDS`, when written), a conv's
    ``kernel_size`` tuple.  The classic ``n = m.kernel_size[0] *
    m.kernel_size[1] * m.out_channels`` of an init loop is then torch's
    fan_out; None for a size the file does not write."""
    spec = layer.spec
    if attr in SIZE_FIELDS:
        value = getattr(spec, SIZE_FIELDS[attr], None)
        ok = isinstance(value, int) and not isinstance(value, bool) and value > 0
        return Const(value) if ok else None
    if attr == "kernel_size" and spec.kernel:
        return Tup([Const(k) for k in spec.kernel])
    return None


_BINOPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
           ast.Pow: operator.pow}



def const_binop(op: ast.operator, a, b):
    fn = _BINOPS.get(type(op))
    if fn is None or not all(isinstance(v, int | float) and not isinstance(v, bool)
                             for v in (a, b)):
        return None
    if isinstance(op, ast.Pow) and abs(b) > 64:
        return None
    try:
        return fn(a, b)
    except (ZeroDivisionError, OverflowError):
        return None


class InitValues:
    def value(self, node: ast.AST, env: dict, mod: Mod | None, label: str = "?"):
        try:
            return self._value(node, env, mod, label)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            return Unknown(f"{ast.unparse(node)[:40]} is not read")

    def _value(self, node, env, mod, label):
        if isinstance(node, ast.Constant):
            return Const(node.value)
        if isinstance(node, ast.Name):
            if node.id in env:
                return env[node.id]
            if node.id == "self" and mod is not None:
                return mod
            if node.id in LIBRARIES:
                return Ref((node.id,))
            if node.id in self.constants:
                value = self.constants[node.id]
                if isinstance(value, tuple):  # filter_sizes = [2, 3, 4]
                    return Tup([Const(v) for v in value])
                if isinstance(value, Table):  # model_dict = {'resnet18': [resnet18, 512]}
                    return self._value(value.node, {}, None, node.id)
                return value if isinstance(value, Ref) else Const(value)
            if node.id in BUILTINS:
                return Ref(("builtins", node.id))
            if node.id in self.classes or node.id in self.functions:
                return Ref(("<local>", node.id))
            return Unknown(f"{node.id} is not defined in this file")
        if isinstance(node, ast.Attribute):
            base = self._value(node.value, env, mod, label)
            if is_backbone(base):  # resnet.children, vgg.features: still library code
                return base
            if isinstance(base, Mod):
                return base.attrs.get(node.attr, Unknown(f"self.{node.attr} is not set"))
            if isinstance(base, Ref) and base.path[0] == "<local>" and (
                    base.path[-1] in self.classes):
                # block.expansion: a class attribute of a class of this file
                for stmt in self.classes[base.path[-1]].body:
                    if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                            and isinstance(stmt.targets[0], ast.Name)
                            and stmt.targets[0].id == node.attr
                            and isinstance(stmt.value, ast.Constant)):
                        return Const(stmt.value.value)
            if isinstance(base, Ref):
                return Ref(base.path + (node.attr,))
            if isinstance(base, Items) and base.names and node.attr in base.names:
                return base.names[node.attr]
            if isinstance(base, Layer):  # m.out_channels, m.kernel_size in an init loop
                size = layer_size(base, node.attr)
                if size is not None:
                    return size
            return Unknown(f"{ast.unparse(node)[:40]} is configuration chainlens cannot see")
        if isinstance(node, ast.BinOp):
            a = self._value(node.left, env, mod, label)
            b = self._value(node.right, env, mod, label)
            text = percent_format(node.op, a, b)  # self.add_module("conv%d" % i, ...)
            if text is not None:
                return text
            if isinstance(a, Const) and isinstance(b, Const):
                r = const_binop(node.op, a.value, b.value)
                if r is not None:
                    return Const(r)
            number = (isinstance(b, Const) and isinstance(b.value, int | float)
                      and not isinstance(b.value, bool) and b.value != 0)
            if isinstance(a, Param) and number and isinstance(node.op, ast.Mult | ast.Div):
                # torch.randn(d, d) * 0.02, / math.sqrt(d): the draw, scaled
                factor = b.value if isinstance(node.op, ast.Mult) else 1 / b.value
                return dataclasses.replace(a, scale=a.scale * abs(factor))
            if isinstance(b, Param) and isinstance(a, Const) and isinstance(
                    a.value, int | float) and isinstance(node.op, ast.Mult):
                return dataclasses.replace(b, scale=b.scale * abs(a.value))
            if isinstance(a, Param):  # torch.randn(d) + c: the distribution's family
                return a
            if isinstance(node.op, ast.Mult) and isinstance(a, Items) and isinstance(b, Const):
                return Items(a.items * int(b.value), a.label)
            if isinstance(node.op, ast.Mult) and isinstance(a, Tup) and isinstance(b, Const) and (
                    isinstance(b.value, int) and 0 <= b.value <= MAX_REPEAT):
                return Tup(a.items * b.value)  # features: Sequence[int] = (32,) * 20
            if isinstance(node.op, ast.Add) and isinstance(a, Items | Tup) and isinstance(
                    b, Items | Tup):
                return Items(a.items + b.items, a.label)  # [stride] + [1] * (n - 1)
            return Unknown(f"{ast.unparse(node)[:40]} is not a constant")
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            truth = known_truth(self._value(node.operand, env, mod, label))  # not self.norm_cls
            return Const(not truth) if truth is not None else Unknown(
                f"{ast.unparse(node)[:40]} is a flag chainlens cannot see")
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            v = self._value(node.operand, env, mod, label)
            return Const(-v.value) if isinstance(v, Const) and isinstance(
                v.value, int | float) else Unknown("not a constant")
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            a = self._value(node.left, env, mod, label)
            b = self._value(node.comparators[0], env, mod, label)
            if isinstance(a, Const) and isinstance(b, Const):
                op = node.ops[0]
                table = {ast.Is: operator.is_, ast.IsNot: operator.is_not, ast.Eq: operator.eq,
                         ast.NotEq: operator.ne, ast.Gt: operator.gt, ast.Lt: operator.lt,
                         ast.GtE: operator.ge, ast.LtE: operator.le}
                if type(op) in table:
                    return Const(table[type(op)](a.value, b.value))
            return Unknown("a comparison chainlens cannot evaluate")
        if isinstance(node, ast.IfExp):
            test = self._value(node.test, env, mod, label)
            pick = (node.body if test.value else node.orelse) if isinstance(test, Const) \
                else node.orelse  # a flag chainlens cannot see: the default branch
            return self._value(pick, env, mod, label)
        if isinstance(node, ast.BoolOp):
            value = Const(isinstance(node.op, ast.And))
            for part in node.values:
                value = self._value(part, env, mod, label)
                if not isinstance(value, Const):
                    return value if isinstance(node.op, ast.Or) else Unknown(
                        f"{ast.unparse(node)[:40]} is not a constant")
                if bool(value.value) == isinstance(node.op, ast.Or):
                    return value
            return value
        if isinstance(node, ast.List | ast.Tuple):
            items = [self._value(e.value if isinstance(e, ast.Starred) else e, env, mod,
                                 f"{label}.{i}") for i, e in enumerate(node.elts)]
            return Items(items, label) if isinstance(node, ast.List) else Tup(items)
        if isinstance(node, ast.Dict) and all(isinstance(k, ast.Constant) for k in node.keys):
            names = {k.value: self._value(v, env, mod, f"{label}.{k.value}")
                     for k, v in zip(node.keys, node.values, strict=True)}
            return Items(list(names.values()), label, names)
        if isinstance(node, ast.Lambda):
            return Closure(node, dict(env), mod)  # self.mlpf = lambda x: m.c_proj(m.c_fc(x))
        if isinstance(node, ast.ListComp | ast.GeneratorExp):
            # [Block(d) for _ in range(n)], ModuleList(nn.Linear(d, d) for _ in range(n)),
            # [m for _ in range(n) for m in (nn.Linear(d, d), nn.ReLU())]
            return self._comprehension(node, env, mod, label)
        if isinstance(node, ast.Call):
            made = flax_call(self, node, env, mod, label)  # self.param, partial, initializers
            if made is None:  # nn.TransformerDecoder(layer, N, norm)
                made = decoder_stack(self, node, env, mod, label)
            if made is None:
                made = record_call(self, node, env, mod)  # Config(hidden=48): a record type
            return made if made is not None else self._call(node, env, mod, label)
        if isinstance(node, ast.Subscript):
            base = self._value(node.value, env, mod, label)
            if is_backbone(base):  # list(resnet.children())[:-1]
                return base
            if isinstance(base, Items | Tup) and isinstance(node.slice, ast.Slice):
                # sizes[:-1], sizes[1:]: the slice of a written list
                bounds = [None if b is None else self._value(b, env, mod, label)
                          for b in (node.slice.lower, node.slice.upper, node.slice.step)]
                if all(b is None or (isinstance(b, Const) and isinstance(b.value, int))
                       for b in bounds):
                    cut = slice(*(None if b is None else b.value for b in bounds))
                    return type(base)(list(base.items)[cut], label) if isinstance(
                        base, Items) else Tup(list(base.items)[cut])
            index = self._value(node.slice, env, mod, label)
            if isinstance(base, Items) and base.names and isinstance(index, Const) and (
                    isinstance(index.value, str)):  # cfg['D'] of a written dict
                return base.names.get(index.value, Unknown(f"{ast.unparse(node)[:40]} is "
                                                           "not in the dict"))
            if isinstance(base, Items | Tup) and isinstance(index, Const):
                return base.items[index.value]
        if isinstance(node, ast.JoinedStr):  # f"fc{i}": a name, when its parts are known
            parts = []
            for v in node.values:
                inner = v.value if isinstance(v, ast.FormattedValue) else v
                part = self._value(inner, env, mod, label)
                if not isinstance(part, Const) or (isinstance(v, ast.FormattedValue) and (
                        v.format_spec is not None or v.conversion != -1)):
                    return Unknown(f"{ast.unparse(node)[:40]} is not read")
                parts.append(str(part.value))
            return Const("".join(parts))
        return Unknown(f"{ast.unparse(node)[:40]} is not read")

    def _comprehension(self, node: ast.ListComp | ast.GeneratorExp, env, mod, label):
        """Its items, loop by loop as Python runs them: an inner loop's
        iterable is evaluated again for each outer item (a fresh tuple of
        layers per block)."""
        out: list = []
        why: list[str] = []  # the reason an iterable is not counted (range(10 ** 9))

        def run(k: int, inner: dict) -> bool:
            if k == len(node.generators):
                out.append(self._value(node.elt, inner, mod, f"{label}.{len(out)}"))
                return len(out) <= MAX_REPEAT
            gen = node.generators[k]
            it = self._value(gen.iter, inner, mod, f"{label}.{len(out)}")
            if isinstance(it, Unknown):
                why.append(it.why)
            seq = it.items if isinstance(it, Items | Tup) else None
            if seq is None or gen.ifs or gen.is_async or len(seq) > MAX_REPEAT:
                return False
            for v in seq:
                scope = dict(inner)
                self._bind_target(gen.target, v, scope)
                if not run(k + 1, scope):
                    return False
            return True

        if not run(0, env):
            return Unknown(why[0] if why else
                           "a comprehension over something chainlens cannot count")
        return Items(out, label)

    def _bind_target(self, target, value, env):
        if isinstance(target, ast.Name):
            env[target.id] = value
        elif isinstance(target, ast.Tuple) and isinstance(value, Tup):
            for t, v in zip(target.elts, value.items, strict=False):
                self._bind_target(t, v, env)
