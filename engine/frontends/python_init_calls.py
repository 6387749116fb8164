"""Calls inside ``__init__``: what ``nn.Linear(d, 4 * d)``,
``nn.Sequential(...)``, ``nn.ModuleList(...)``, ``nn.Parameter(torch.randn(d))``,
``range(n)`` or a submodule of the same file construct.

Split from :mod:`python_init` by role: that module walks the statements
and evaluates plain values; this one is the table of constructors.
:class:`InitCalls` is a mixin of its ``InitReader``.
"""

from __future__ import annotations

import ast
import dataclasses
import math

from chainlens.engine.core.limits import MAX_REPEAT
from chainlens.engine.frontends.python_ast import dotted
from chainlens.engine.frontends.python_backbones import backbone
from chainlens.engine.frontends.python_layers import LayerSpec, layer_spec
from chainlens.engine.frontends.python_names import register
from chainlens.engine.frontends.python_site_records import note_site
from chainlens.engine.frontends.python_statements import Nested
from chainlens.engine.frontends.python_values import (
    UNROLLED_STEPS,
    Const,
    Func,
    Items,
    Layer,
    Mod,
    Param,
    Ref,
    Seq,
    Tup,
    Unknown,
)

__all__ = ["InitCalls", "TENSOR_INITS"]

TENSOR_INITS = {"randn": "normal", "zeros": "zeros", "ones": "ones", "rand": "unit",
                "empty": "uniform", "FloatTensor": "uniform", "Tensor": "uniform"}


_MATH = {"sqrt": math.sqrt, "log": math.log, "exp": math.exp}


def fresh(value, label: str):
    """A deep copy of a layer structure (``copy.deepcopy(layer)`` in
    ``clones``): the same specs, weights of its own."""
    if isinstance(value, Layer):
        copy = Layer(value.spec, label, value.span)
        if getattr(value, "init", None):  # re-initialised before the copy: so is the copy
            copy.init = value.init  # shared: the copy's use marks the original's record
        return copy
    if isinstance(value, Mod):
        copy = Mod(value.cls, {}, label)
        for k, v in value.attrs.items():  # methods bound to the copy
            copy.attrs[k] = (Func(v.node, copy) if isinstance(v, Func) and v.bound is value
                             else fresh(v, label if k == "<super>" else f"{label}.{k}"))
        return copy
    if isinstance(value, Seq):
        return Seq([fresh(v, f"{label}.{i}") for i, v in enumerate(value.items)], label,
                   value.keys)
    if isinstance(value, Items):
        names = ({k: fresh(v, f"{label}.{k}") for k, v in value.names.items()}
                 if value.names else None)
        items = (list(names.values()) if names else
                 [fresh(v, f"{label}.{i}") for i, v in enumerate(value.items)])
        return Items(items, label, names, value.registered)
    if isinstance(value, Param):
        return dataclasses.replace(value, symbol=None, label=label)
    return value


def _sizes(v):
    """``kernel_size=(3, 3)``: a tuple of written sizes, else None."""
    if isinstance(v, Tup) and v.items and all(
            isinstance(i, Const) and isinstance(i.value, int) and not isinstance(i.value, bool)
            for i in v.items):
        return tuple(i.value for i in v.items)
    return None


#: module methods that return the module itself (a device, a dtype, a mode)
_MOVES = frozenset({"to", "cuda", "cpu", "double", "float", "half", "type", "train", "eval",
                    "requires_grad_"})


class InitCalls:
    def _call(self, node: ast.Call, env, mod, label):
        if isinstance(node.func, ast.Attribute) and node.func.attr in _MOVES:
            owner = self._value(node.func.value, env, mod, label)
            if isinstance(owner, Layer | Mod | Seq | Items):
                return owner  # nn.Linear(i, 3 * h).to(self.device)
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("zero_", "fill_") and (
                len(node.args) == (node.func.attr == "fill_")):
            owner = self._value(node.func.value, env, mod, label)
            fill = self._value(node.args[0], env, mod, label) if node.args else Const(0)
            if isinstance(owner, Param) and isinstance(fill, Const) and fill.value == 0:
                return dataclasses.replace(owner, init="zeros")  # th.empty(n).fill_(0)
        library = backbone(tuple(dotted(node.func) or ()))  # torchvision.models.resnet18(...)
        if library is not None:
            return library
        func = self._value(node.func, env, mod, label)
        flat = isinstance(func, Ref) and func.path[-1] in ("ModuleList", "Parameter",
                                                           "ParameterList")
        args = [self._value(a.value if isinstance(a, ast.Starred) else a, env, mod,
                            label if flat else f"{label}.{i}") for i, a in enumerate(node.args)]
        if any(isinstance(a, ast.Starred) for a in node.args):
            # Sequential(*block(d, 128), *block(128, 256), nn.Linear(...)): each list spread
            args = [v for a, arg in zip(node.args, args, strict=True)
                    for v in (arg.items if isinstance(a, ast.Starred) and isinstance(
                        arg, Items | Tup) else [arg])]
        kwargs = {k.arg: self._value(k.value, env, mod, f"{label}.{k.arg}")
                  for k in node.keywords if k.arg}
        if isinstance(func, Unknown):
            return func  # its reason: "Attention is not defined in this file"
        if isinstance(func, Func) and isinstance(func.bound, Mod):
            return self.method(func.node, func.bound, args, kwargs, label)
        if isinstance(func, Nested):  # a helper defined inside __init__
            return self.method(func.node, func.bound, args, kwargs, label, closure=func.env)
        if not isinstance(func, Ref):
            return Unknown(f"{ast.unparse(node.func)[:40]}(...) is not read")
        library = backbone(func.path)  # from torchvision.models import resnet18
        if library is not None:
            return library
        name = func.path[-1]
        if func.path[0] == "<local>":
            if name in self.classes:
                note_site(self, name, node, args, kwargs)  # the first place another builds it
                return self.instantiate(self.classes[name], args, kwargs, label)
            if name in self.functions:  # clones(layer, N): a helper of the file
                return self.method(self.functions[name], None, args, kwargs, label)
            return Unknown(f"{name}(...) is computed at run time")
        if name == "deepcopy" and len(args) == 1:
            return fresh(args[0], label)  # copy.deepcopy(layer): its own weights
        if name == "range" and args and any(isinstance(a, Unknown) or (
                isinstance(a, Const) and a.value is None) for a in args):
            # range(config.n_layer) of a depth the file does not fix
            self.notes.append(f"`{ast.unparse(node)[:40]}`: a count the file does not fix, "
                              f"read as {UNROLLED_STEPS} (the verdict is for {UNROLLED_STEPS}; "
                              "a deeper stack can vanish or explode where these do not)")
            return Items([Const(i) for i in range(UNROLLED_STEPS)], label)
        if name in ("range",) and all(isinstance(a, Const) for a in args) and args:
            if not all(isinstance(a.value, int) and not isinstance(a.value, bool) for a in args):
                return Unknown(f"`{ast.unparse(node)[:40]}` of a value that is not an int")
            bounds = range(*(a.value for a in args)) if args[-1].value or len(args) < 3 else None
            if bounds is None:
                return Unknown(f"`{ast.unparse(node)[:40]}` has a step of 0")
            if len(bounds) > MAX_REPEAT:  # counted, never built: range(10 ** 9) is O(1)
                return Unknown(f"`{ast.unparse(node)[:40]}` is more than {MAX_REPEAT} layers")
            return Items([Const(i) for i in bounds], label)
        if name == "len" and args and isinstance(args[0], Items | Tup):
            return Const(len(args[0].items))
        if func.path[0] == "builtins" and name == "reversed" and len(args) == 1 and isinstance(
                args[0], Items | Tup):  # for i in reversed(range(depth - 1)): UNet's up path
            return Items(list(reversed(args[0].items)), label)
        if func.path[0] == "builtins" and name in ("enumerate", "zip", "list", "tuple") and (
                args and any(isinstance(a, Unknown) for a in args)):
            return next(a for a in args if isinstance(a, Unknown))  # enumerate(*layers unknown)
        if func.path[0] == "builtins" and name in ("enumerate", "zip", "list", "tuple") and (
                args and all(isinstance(a, Items | Tup) for a in args)):
            # for i, layer in enumerate(args): zip(sizes[:-1], sizes[1:]); list(layers)
            if name == "enumerate":
                return Items([Tup([Const(i), v]) for i, v in enumerate(args[0].items)], label)
            if name == "zip":
                return Items([Tup(list(vs)) for vs in zip(*(a.items for a in args),
                                                          strict=False)], label)
            return Items(list(args[0].items), label)
        if func.path[0] == "math" and name in _MATH and len(args) == 1 and isinstance(
                args[0], Const) and isinstance(args[0].value, int | float) and args[0].value > 0:
            return Const(_MATH[name](args[0].value))  # 1 / math.sqrt(d)
        if name in ("int", "float", "max", "min", "round", "str") and args and all(
                isinstance(a, Const) for a in args):
            fn = {"int": int, "float": float, "max": max, "min": min, "round": round,
                  "str": str}[name]
            return Const(fn(*(a.value for a in args)))
        if name == "OrderedDict" and len(args) == 1 and isinstance(args[0], Items | Tup) and all(
                isinstance(p, Tup) and len(p.items) == 2 and isinstance(p.items[0], Const)
                for p in args[0].items):
            # OrderedDict([("fc1", nn.Linear(...)), ("act", nn.ReLU())])
            names = {str(p.items[0].value): p.items[1] for p in args[0].items}
            return Items(list(names.values()), label, names)
        if name == "Sequential":
            if len(args) == 1 and isinstance(args[0], Unknown):
                return args[0]
            if len(args) == 1 and isinstance(args[0], Items) and args[0].names:
                return Seq(list(args[0].items), label,  # Sequential(OrderedDict(...))
                           list(args[0].names))
            return Seq(list(args), label)
        if name in ("weight_norm", "spectral_norm", "parametrize") and args and isinstance(
                args[0], Layer):
            # torch.nn.utils.weight_norm(nn.Linear(...)): the layer, at its default init
            self.notes.append(f"{name}(...) read as the layer it wraps")
            return args[0]
        if name in ("ModuleList", "ParameterList"):
            if args and isinstance(args[0], Items | Unknown):
                return register(args[0])  # an unknown count stays unknown: never empty
            return Items([], label, registered=True)
        if name == "ModuleDict" and args and isinstance(args[0], Items):
            return register(args[0])
        if name in ("ModuleDict", "dict"):
            names = dict(kwargs)
            return Items(list(names.values()), label, names, registered=name == "ModuleDict")
        if name == "TransformerEncoder" and args and isinstance(args[0], Layer) and (
                args[0].spec.kind == "encoder"):
            # num_layers deep copies of the layer (each its own weights), then the norm
            count = kwargs.get("num_layers", args[1] if len(args) > 1 else None)
            n = count.value if isinstance(count, Const) and isinstance(count.value, int) else None
            if n is None or not 0 < n <= 64:
                self.notes.append(f"TransformerEncoder of a depth the file does not fix: read "
                                  f"with {UNROLLED_STEPS} layers")
                n = UNROLLED_STEPS
            layers = [Layer(args[0].spec, f"{label}.layers.{i}", args[0].span) for i in range(n)]
            norm = kwargs.get("norm", args[2] if len(args) > 2 else None)
            return Seq(layers + ([norm] if isinstance(norm, Layer) else []), label)
        if name == "from_pretrained" and len(func.path) > 1 and func.path[-2] == "Embedding":
            # nn.Embedding.from_pretrained(table): fixed (freeze=True) unless told otherwise
            freeze = kwargs.get("freeze", args[1] if len(args) > 1 else Const(True))
            kind = "embedding" if isinstance(freeze, Const) and freeze.value is False else "frozen"
            return Layer(LayerSpec(kind, "Embedding"), label, self.offsets.span(node))
        if name == "partial" and args and isinstance(args[0], Ref) and all(
                isinstance(v, Const | Tup) for v in list(args[1:]) + list(kwargs.values())):
            return args[0]  # partial(nnx.avg_pool, window_shape=(2, 2)): the function, configured
        if name == "Lambda" and len(args) == 1:
            return args[0]  # eqx.nn.Lambda(jax.nn.silu): the function it wraps
        if name == "Parameter" or (name == "Param" and "nnx" in func.path):  # nnx.Param(w)
            inner = args[0] if args else None
            if isinstance(inner, Param):
                inner.buffer = False
                return inner
            return Param(label, (), "uniform", label, self.offsets.span(node))
        if "random" in func.path[:-1] and name in ("normal", "uniform", "truncated_normal") and (
                len(args) >= 2 and isinstance(args[1], Tup)):
            # jax.random.normal(key, (out, in)): a weight drawn from N(0, 1) / U(0, 1)
            shape = tuple(d.value if isinstance(d, Const) and isinstance(d.value, int) else None
                          for d in args[1].items)
            return Param(label, shape, "unit" if name == "uniform" else "normal", label,
                         self.offsets.span(node))
        if name in TENSOR_INITS and func.path[0] in ("torch", "np", "numpy", "jnp"):
            dims = list(args[0].items) if len(args) == 1 and isinstance(args[0], Tup) else args
            if not args and isinstance(kwargs.get("size"), Tup):  # torch.empty(size=(i, o))
                dims = list(kwargs["size"].items)
            shape = tuple(d.value if isinstance(d, Const) and isinstance(d.value, int) else None
                          for d in dims)
            # a torch tensor not wrapped in nn.Parameter is state, not a weight
            # (d2l's moving_mean = torch.zeros(shape)); numpy arrays of a
            # hand-written net are its weights
            return Param(label, shape, TENSOR_INITS[name], label, self.offsets.span(node),
                         buffer=func.path[0] == "torch")
        # a size not fixed yet (vocab_size: int = -1, set before training) is unknown
        sized = [a.value if isinstance(a, Const) and not (
            isinstance(a.value, int) and not isinstance(a.value, bool) and a.value <= 0)
            else _sizes(a) for a in args]
        spec = layer_spec(name, sized, {k: v.value if isinstance(v, Const) else _sizes(v)
                                        for k, v in kwargs.items()},
                          "nnx" if "nnx" in func.path[:-1] else
                          "flax" if func.path[0] in ("flax", "linen") or (
                              func.path[0] == "nn" and name in ("Dense", "Conv", "Embed"))
                          else "torch")
        if spec is not None:
            return Layer(spec, label, self.offsets.span(node))
        if name in ("getattr",) and len(args) == 2 and isinstance(args[0], Ref) and isinstance(
                args[1], Const):
            return Ref(args[0].path + (str(args[1].value),))
        if name in ("getattr",) and len(args) == 2 and isinstance(args[0], Ref) and isinstance(
                args[1], Unknown):  # getattr(nn, rnn_type)(...): the class is chosen by name
            return Unknown(f"getattr({'.'.join(args[0].path)}, …) picks a layer by a name "
                           f"chainlens cannot see ({args[1].why})")
        return Unknown(f"{'.'.join(func.path)}(...) is not a layer chainlens models")
