"""A model file's own weight initialisation, read from ``__init__``.

PyTorch code often re-draws the weights its layers were built with:
``nn.init.xavier_normal_(layer.weight, gain=5/3)``, ``kaiming_normal_(...,
nonlinearity="relu")``, ``w.data.normal_(0, 0.02)``, loops ``for m in
self.modules(): if isinstance(m, nn.Linear): ...``, ``self.apply(init_fn)``
with ``init_fn`` (or a ``_init_weights`` method) of the same file.  A
gradient measured at the framework's default initialisation is then not
the gradient the user sees: a tanh stack re-drawn with Xavier(gain 5/3) is
healthy where the default init vanishes.  This mixin of
:class:`~chainlens.engine.frontends.python_init.InitReader` records each such
call on the layer (or ``nn.Parameter``) it draws, in the order the file
runs them; :func:`declared_init` turns the record into the law the
measurement draws from (:mod:`chainlens.engine.health.init`) when the layer's
weights are declared, and :func:`finish_inits` makes the whole model "not
measured" (with the call named) when a call cannot be modelled exactly:
an unknown target, a test that depends on data, an init function of
another file, a law without an exact model here.  Never a verdict at the
wrong initialisation.
"""

from __future__ import annotations

import ast
import dataclasses

from chainlens.engine.frontends.python_ast import dotted
from chainlens.engine.frontends.python_init_conditions import InitTests
from chainlens.engine.frontends.python_init_conditions import Slot as _Slot
from chainlens.engine.frontends.python_init_laws import (
    InitCall,
    constant_value,
    gain,
    is_default,
    param_law,
    torch_default,
)
from chainlens.engine.frontends.python_init_sizes import InitSizes
from chainlens.engine.frontends.python_values import (
    Const,
    Func,
    Items,
    Layer,
    Mod,
    Param,
    Ref,
    Seq,
    Tup,
)

__all__ = ["InitDraws", "is_init_call"]

#: nn.init functions: their parameters after the tensor, with defaults
INIT_FUNCS = {
    "uniform_": (("a", 0.0), ("b", 1.0)),
    "normal_": (("mean", 0.0), ("std", 1.0)),
    "trunc_normal_": (("mean", 0.0), ("std", 1.0), ("a", -2.0), ("b", 2.0)),
    "constant_": (("val", None),),
    "zeros_": (), "ones_": (),
    "xavier_uniform_": (("gain", 1.0),),
    "xavier_normal_": (("gain", 1.0),),
    "kaiming_uniform_": (("a", 0.0), ("mode", "fan_in"), ("nonlinearity", "leaky_relu")),
    "kaiming_normal_": (("a", 0.0), ("mode", "fan_in"), ("nonlinearity", "leaky_relu")),
    "orthogonal_": (("gain", 1.0),),
}
#: tensor methods that draw a parameter in place (``w.data.normal_(0, 0.02)``)
TENSOR_DRAWS = {
    "normal_": (("mean", 0.0), ("std", 1.0)),
    "uniform_": (("a", 0.0), ("b", 1.0)),
    "fill_": (("val", None),),
    "zero_": (),
}
#: in-place calls on a parameter that change it in ways not modelled here
_OTHER_INPLACE = frozenset({"copy_", "mul_", "div_", "add_", "sub_", "clamp_", "eye_",
                            "dirac_", "sparse_", "xavier_uniform", "xavier_normal",
                            "kaiming_uniform", "kaiming_normal", "normal", "uniform",
                            "constant", "orthogonal", "bernoulli_", "exponential_"})
_WALKS = frozenset({"modules", "named_modules", "children", "named_children", "parameters",
                    "named_parameters"})


def _words(call: ast.Call) -> str:
    text = ast.unparse(call)
    return text if len(text) <= 60 else text[:57] + "..."


def is_init_call(node: ast.AST) -> bool:
    """A call that re-initialises a parameter (or runs code that may)."""
    if not isinstance(node, ast.Call):
        return False
    parts = dotted(node.func) or []
    if not parts:
        return False
    last = parts[-1]
    if "init" in parts[:-1] and (last in INIT_FUNCS or last in _OTHER_INPLACE
                                 or last.endswith("_")):
        return True
    if len(parts) >= 2 and last in (*TENSOR_DRAWS, *_OTHER_INPLACE) and (
            "data" in parts or parts[-2] in ("weight", "bias")):
        return True
    if len(parts) == 1 and last.endswith("_") and node.args:
        # from torch.nn.init import xavier_uniform_; timm's trunc_normal_(m.weight, std=.02)
        return True
    return last == "apply" and len(parts) >= 2 and len(node.args) == 1


def _contains_init(stmts) -> bool:
    return any(is_init_call(n) for s in stmts for n in ast.walk(s))


def _modules(value, out: list) -> list:
    """Every module under ``value``, children before parents (the order
    ``Module.apply`` visits them)."""
    if isinstance(value, Layer):
        out.append(value)
    elif isinstance(value, Seq | Items | Tup):
        for item in value.items:
            _modules(item, out)
        if not isinstance(value, Tup):
            out.append(value)
    elif isinstance(value, Mod):
        for key, item in value.attrs.items():
            if not key.startswith("<"):
                _modules(item, out)
        out.append(value)
    return out


def _params(value, prefix: str, out: list) -> list:
    """(name, slot) of every parameter under ``value``, as named_parameters."""
    if isinstance(value, Layer):
        if value.spec.kind in ("linear", "conv", "embedding", "norm"):
            out.append((f"{prefix}weight", _Slot(value, "weight", f"{prefix}weight")))
            if value.spec.bias and value.spec.kind != "embedding":
                out.append((f"{prefix}bias", _Slot(value, "bias", f"{prefix}bias")))
        elif value.spec.kind not in ("act", "shape", "loss"):
            out.append((f"{prefix}?", _Slot(value, "?", f"{prefix}?")))  # an RNN's weight_ih...
    elif isinstance(value, Param) and not value.buffer:
        out.append((prefix.rstrip("."), _Slot(value, "", prefix.rstrip("."))))
    elif isinstance(value, Seq | Items):
        for i, item in enumerate(value.items):
            _params(item, f"{prefix}{i}.", out)
    elif isinstance(value, Mod):
        for key, item in value.attrs.items():
            if not key.startswith("<"):
                _params(item, f"{prefix}{key}.", out)
    return out


class InitDraws(InitSizes, InitTests):
    """The ``__init__`` statements that re-initialise parameters."""

    def _init_unmodelled(self, why: str) -> None:
        reasons = self.__dict__.setdefault("init_unmodelled", [])
        if why not in reasons:
            reasons.append(why)

    def _init_layers(self) -> list:
        return self.__dict__.setdefault("init_layers", [])

    def init_statement(self, stmt: ast.stmt, env: dict, mod: Mod) -> bool:
        """Reads ``stmt`` if it re-initialises weights (True), else leaves it
        to the structure reader (False)."""
        if isinstance(stmt, ast.Assign | ast.AnnAssign):
            self.note_source(stmt, env, mod)  # std = 1 / math.sqrt(self.hidden_size)
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            call = stmt.value
            parts = dotted(call.func) or []
            if len(parts) == 2 and parts[0] == "self" and mod is not None:
                fn = self._method_node(mod, parts[1])
                if fn is not None and self._inits(fn.body, mod):
                    # self._init_weights(), self.reset_parameters(): its body, read here
                    args = [self.value(a, env, mod) for a in call.args]
                    self.method(fn, mod, args, {}, parts[1])
                    return True
            if len(parts) == 1 and parts[0] in self.functions and parts[0] not in env and (
                    self._inits(self.functions[parts[0]].body, mod)):
                # he_init(layer): a function of the file that re-initialises what it is given
                args = [self.value(a, env, mod) for a in call.args]
                kwargs = {k.arg: self.value(k.value, env, mod) for k in call.keywords if k.arg}
                self.method(self.functions[parts[0]], None, args, kwargs, parts[0])
                return True
            if is_init_call(call):
                self._init_call(call, env, mod)
                return True
            if self._passes_modules(call, parts, env, mod):
                self._init_unmodelled(f"weights passed to `{_words(call)}` (a function "
                                      "chainlens does not read)")
                return True
            return False
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.ListComp | ast.GeneratorExp) \
                and self._inits([stmt], mod):
            self.value(stmt.value, env, mod)  # [he_init(l) for l in self.layers]
            return True
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and self._replaced(
                stmt, env, mod):
            return True  # layer.weight.data = torch.randn(d, d) * c
        if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
                and isinstance(stmt.value, ast.Attribute) and stmt.value.attr == "__name__"):
            name = self._init_str(stmt.value, env, mod)  # classname = m.__class__.__name__
            if name is not None:
                env[stmt.targets[0].id] = Const(name)
                return True
            return False
        if isinstance(stmt, ast.With) and self._inits(stmt.body, mod):
            self.block(stmt.body, env, mod)  # with torch.no_grad(): ...
            return True
        if isinstance(stmt, ast.If) and self._inits([stmt], mod):
            test = self._init_test(stmt.test, env, mod)
            if test is None:  # the layers of its first branch, as the reader takes them
                self._init_unmodelled(f"weights under `if {ast.unparse(stmt.test)[:40]}`")
                self.block(stmt.body, env, mod)
                return True
            self.block(stmt.body if test else stmt.orelse, env, mod)
            return True
        if isinstance(stmt, ast.For) and self._inits(stmt.body, mod):
            return self._init_loop(stmt, env, mod)
        return False

    def _inits(self, stmts, mod, depth: int = 0) -> bool:
        """Whether ``stmts`` re-initialise parameters: an init call, or a call
        of a function or method of the file that does (``he_init(m)`` inside
        ``_maybe_init``), up to 4 calls deep."""
        if _contains_init(stmts):
            return True
        if depth >= 4:
            return False
        for n in (n for s in stmts for n in ast.walk(s)):
            if not isinstance(n, ast.Call):
                continue
            parts = dotted(n.func) or []
            fn = None
            if len(parts) == 1 and parts[0] in self.functions:
                fn = self.functions[parts[0]]
            elif len(parts) == 2 and parts[0] == "self" and mod is not None:
                fn = self._method_node(mod, parts[1])
            if fn is not None and self._inits(fn.body, mod, depth + 1):
                return True
        return False

    def _passes_modules(self, call: ast.Call, parts: list, env: dict, mod) -> bool:
        """A statement call of a function chainlens does not read (another
        file's ``init_weights(self)``, ``weight_norm(self.fc)``) given a layer,
        a module or a parameter: it may re-initialise them."""
        if not parts or parts[0] in ("self", "super", "print", "setattr", "logging", "log",
                                     "logger", "warnings", "torch", "pdb", "breakpoint"):
            return parts[:3] in (["torch", "nn", "utils"],) if parts else False
        if parts[0] in self.functions or parts[0] in env and not isinstance(
                env[parts[0]], Ref):
            return False
        values = [self.value(a, env, mod) for a in call.args]
        return any(isinstance(v, Layer | Mod | Seq | Items) or (isinstance(v, Param)
                                                                 and not v.buffer)
                   for v in values)

    def _replaced(self, stmt: ast.Assign, env: dict, mod) -> bool:
        """``layer.weight.data = torch.randn(d, d) * c``, ``layer.weight =
        nn.Parameter(...)``, ``layer.bias.data = torch.zeros(d)``: the law of the
        new tensor (N(0, c²), zeros, ones, U(0, c)), else "not measured" naming
        the statement.  False when the target is not a layer's weight or bias
        (a parameter of the module itself, another layer's weight: tying)."""
        node = stmt.targets[0]
        if isinstance(node, ast.Attribute) and node.attr == "data":
            node = node.value
        if not (isinstance(node, ast.Attribute) and node.attr in ("weight", "bias")):
            return False
        owner = self.value(node.value, env, mod)
        if not isinstance(owner, Layer) or owner.spec.kind not in ("linear", "conv",
                                                                   "embedding", "norm"):
            return False
        value = self.value(stmt.value, env, mod)
        if isinstance(stmt.value, ast.Attribute) and stmt.value.attr in ("weight", "bias"):
            # self.head.weight = self.emb.weight, l.weight = self.layers[0].weight: one
            # tensor used by both layers, whose gradient is the sum of its uses; the reader
            # draws each layer's own (red team G23: 20 tied layers were "vanishing" where
            # torch measures 1), so the flow is not judged
            text = ast.unparse(stmt)
            self.unmodelled.append(f"layers share a weight (`{text[:60]}`): chainlens draws "
                                   "each layer's apart, PyTorch sums the gradient of its uses")
            return False
        text = ast.unparse(stmt)
        words = text if len(text) <= 60 else text[:57] + "..."
        slot = _Slot(owner, node.attr, node.attr)
        if owner.spec.kind == "embedding" and node.attr == "weight" and _data_tensor(stmt.value):
            # nn.Parameter(torch.tensor(embeddings)): pretrained vectors, data read at unit
            # variance as Embedding.from_pretrained's are (and as torch's N(0, 1) default)
            self._record(slot, InitCall("normal_", (("mean", 0.0), ("std", 1.0)),
                                        f"{words} (pretrained: data at unit variance)"))
            return True
        if not isinstance(value, Param):
            self._record(slot, InitCall(None, (), words))
            return True
        law = {"normal": ("normal_", (("mean", 0.0), ("std", value.scale))),
               "zeros": ("zeros_", ()),
               "ones": ("constant_", (("val", value.scale),)),
               "unit": ("uniform_", (("a", 0.0), ("b", value.scale)))}.get(value.init)
        self._record(slot, InitCall(*law, words) if law else InitCall(None, (), words))
        return True

    def _method_node(self, mod: Mod, name: str):
        value = mod.attrs.get(name)
        if isinstance(value, Func):
            return value.node
        cls = mod.cls
        for _ in range(8):
            fn = next((s for s in cls.body if isinstance(s, ast.FunctionDef)
                       and s.name == name), None)
            if fn is not None:
                return fn
            base = self._base_class(cls)
            if base is None:
                return None
            cls = base
        return None

    def _init_loop(self, stmt: ast.For, env: dict, mod: Mod) -> bool:
        it = stmt.iter
        parts = dotted(it.func) if isinstance(it, ast.Call) and not it.args else None
        if not parts or parts[-1] not in _WALKS:
            return False  # a ModuleList, a list: the structure reader's loop
        owner = self.value(it.func.value, env, mod) if isinstance(it.func, ast.Attribute) \
            else None
        walk = parts[-1]
        if not isinstance(owner, Mod | Layer | Seq | Items):
            self._init_unmodelled(f"weights in `for … in {ast.unparse(it)[:40]}`")
            return True
        if walk in ("parameters", "named_parameters"):
            items = [(Const(n), s) for n, s in _params(owner, "", [])]
        elif walk in ("children", "named_children"):
            kids = (owner.attrs.items() if isinstance(owner, Mod)
                    else enumerate(owner.items) if isinstance(owner, Seq | Items) else [])
            items = [(Const(str(k)), v) for k, v in kids if not str(k).startswith("<")]
        else:
            items = [(Const(getattr(m, "label", "")), m) for m in _modules(owner, [])]
            items = items[-1:] + items[:-1]  # modules(): the module itself first
        named = walk.startswith("named_")
        for name, value in items:
            if named and isinstance(stmt.target, ast.Tuple) and len(stmt.target.elts) == 2:
                self.store(stmt.target.elts[0], name, env, mod)
                self.store(stmt.target.elts[1], value, env, mod)
            elif not named and isinstance(stmt.target, ast.Name):
                self.store(stmt.target, value, env, mod)
            else:
                self._init_unmodelled(f"weights in `for {ast.unparse(stmt.target)} in …`")
                return True
            if not self.loop_body(stmt.body, env, mod):  # `continue` / `break` as Python
                break
        return True

    # ---- the calls ---------------------------------------------------------
    def _init_call(self, call: ast.Call, env: dict, mod: Mod) -> None:
        parts = dotted(call.func) or []
        last = parts[-1]
        if last == "apply":
            self._init_apply(call, env, mod)
            return
        if ("init" in parts[:-1] and parts[0] in ("nn", "torch", "init")) or len(parts) == 1:
            # a bare name: torch's (or timm's same-signature trunc_normal_) when it is one of
            # torch.nn.init's, else not modelled
            target = call.args[0] if call.args else next(
                (k.value for k in call.keywords if k.arg == "tensor"), None)
            if last not in INIT_FUNCS and f"{last}_" in INIT_FUNCS:
                last = f"{last}_"  # nn.init.xavier_uniform(w): the deprecated spelling
            spec = INIT_FUNCS.get(last)
            rest, keywords = call.args[1:], call.keywords
        else:  # w.data.normal_(0, 0.02): the tensor is the method's owner
            target = call.func.value if isinstance(call.func, ast.Attribute) else None
            spec = TENSOR_DRAWS.get(last)
            rest, keywords = call.args, call.keywords
        slot = self._init_target(target, env, mod) if target is not None else None
        words = _words(call)
        if slot is None:
            self._init_unmodelled(f"weights with `{words}`")
            return
        if last in ("mul_", "div_") and len(call.args) == 1 and not call.keywords:
            sizes: list = []
            factor = self._init_arg(call.args[0], env, mod, sizes)
            if isinstance(factor, int | float) and factor and last == "div_":
                factor = 1.0 / factor
            if self._scale(slot, factor, words, sizes):
                return
        if spec is None:
            self._record(slot, InitCall(None, (), words))
            return
        args, sizes = {}, []
        for i, (name, default) in enumerate(spec):
            node = rest[i] if i < len(rest) else next(
                (k.value for k in keywords if k.arg == name), None)
            args[name] = default if node is None else self._init_arg(node, env, mod, sizes)
        if any(v is None for v in args.values()):
            self._record(slot, InitCall(None, (), words))
            return
        self._record(slot, InitCall(last.replace("fill_", "constant_").replace(
            "zero_", "zeros_"), tuple(args.items()), words, tuple(dict.fromkeys(sizes))))

    def _init_arg(self, node: ast.AST, env: dict, mod: Mod, sizes: list):
        """An argument's value; a formula of sizes the file does not fix
        (``1 / math.sqrt(self.hidden_size)``) at the sizes the reader
        assumes for its layers, each added to ``sizes``."""
        if isinstance(node, ast.Call) and (dotted(node.func) or [""])[-1] == "calculate_gain":
            what = self.value(node.args[0], env, mod) if node.args else None
            param = self.value(node.args[1], env, mod) if len(node.args) > 1 else Const(None)
            if isinstance(what, Const) and isinstance(param, Const):
                return gain(what.value, param.value)
            return None
        value = self.value(node, env, mod)
        if isinstance(value, Const) and isinstance(value.value, int | float | str) and (
                not isinstance(value.value, bool)):
            return value.value
        assumed = self.assumed_number(node, env, mod)
        if assumed is None:
            return None
        sizes.extend(assumed.sizes)
        return assumed.value

    def _init_target(self, node: ast.AST, env: dict, mod: Mod):
        while isinstance(node, ast.Attribute) and node.attr == "data":
            node = node.value  # layer.weight.data
        if isinstance(node, ast.Attribute):
            owner = self.value(node.value, env, mod)
            if isinstance(owner, Layer):
                return _Slot(owner, node.attr, node.attr)
        value = self.value(node, env, mod)
        if isinstance(value, _Slot):
            return value
        if isinstance(value, Param) and (not value.buffer or isinstance(node, ast.Name)):
            # a local tensor drawn into before nn.Parameter wraps it (GPT-2's Conv1D:
            # w = torch.empty(nx, nf); nn.init.normal_(w, std=0.02)): the same tensor
            return _Slot(value, "", value.label)
        return None

    def _scale(self, slot: _Slot, factor, words: str, sizes: list) -> bool:
        """``w.data.mul_(c)`` of a layer's weight or bias: its current law
        (the file's draw, else PyTorch's default) times ``c``; False when
        that is not modelled (a parameter, another layer, ``c`` unknown)."""
        owner = slot.owner
        if not isinstance(factor, int | float) or isinstance(factor, bool) or not isinstance(
                owner, Layer) or slot.attr not in ("weight", "bias"):
            return False
        current = getattr(owner, "init", {}).get(slot.attr) or torch_default(owner, slot.attr)
        if current is None or current.fn is None:
            return False
        self._record(slot, dataclasses.replace(
            current, factor=current.factor * factor, words=f"{current.words}, then {words}"
            if current.words != "the default" else words,
            assumed=tuple(dict.fromkeys((*current.assumed, *sizes)))))
        return True

    def _record(self, slot: _Slot, init: InitCall) -> None:
        owner = slot.owner
        if isinstance(owner, Param):
            owner.init = param_law(owner, init)
            owner.scale = 1.0  # the constructor's draw (randn(d) * 0.02) is replaced
            params = self.__dict__.setdefault("init_params", [])
            params[:] = [(p, i) for p, i in params if p is not owner] + [(owner, init)]
            return
        if is_default(owner, slot.attr, init):
            return  # constant_(bn.weight, 1), zeros_(bn.bias): the default already
        if slot.attr not in ("weight", "bias") or owner.spec.kind not in (
                "linear", "conv", "embedding") and not (
                owner.spec.kind == "norm" and constant_value(init) is not None):
            init = InitCall(None, (), init.words)  # a norm's γ = 0 is read (a constant)
        owner.init = {**getattr(owner, "init", {}), slot.attr: init}
        if owner not in self._init_layers():
            self._init_layers().append(owner)

    def _init_apply(self, call: ast.Call, env: dict, mod: Mod) -> None:
        """``self.apply(fn)``: ``fn`` (a function or method of this file)
        called on every submodule, children first."""
        words = _words(call)
        owner = self.value(call.func.value, env, mod)
        node = call.args[0]
        fn, bound = None, None
        parts = dotted(node) or []
        if len(parts) == 2 and parts[0] == "self" and mod is not None:
            fn, bound = self._method_node(mod, parts[1]), mod
        elif len(parts) == 1 and parts[0] in self.functions:
            fn = self.functions[parts[0]]
        elif len(parts) == 1 and isinstance(env.get(parts[0]), Func):
            fn, bound = env[parts[0]].node, env[parts[0]].bound
        elif len(parts) == 1 and isinstance(env.get(parts[0]), Ref) and (
                env[parts[0]].path[0] == "<local>") and env[parts[0]].path[-1] in self.functions:
            fn = self.functions[env[parts[0]].path[-1]]  # def __init__(self, init=weights_init)
        if fn is None or not isinstance(owner, Mod | Layer | Seq | Items) or not isinstance(
                fn, ast.FunctionDef):
            self._init_unmodelled(f"weights with `{words}`")
            return
        if any(dotted(d) == ["staticmethod"] for d in fn.decorator_list):
            bound = None  # @staticmethod def _maybe_init(m): m is its first parameter
        for module in _modules(owner, []):
            self.method(fn, bound, [module], {}, fn.name)


def _data_tensor(node: ast.AST) -> bool:
    """``[nn.Parameter](torch.tensor(x) | torch.from_numpy(x) | torch.FloatTensor(x))``
    of a name (an array the file loads), not of sizes."""
    if isinstance(node, ast.Call) and (dotted(node.func) or [""])[-1] == "Parameter" and (
            node.args):
        node = node.args[0]
    if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name | (
            ast.Attribute))):
        return False
    return (dotted(node.func) or [""])[-1] in ("tensor", "from_numpy", "as_tensor",
                                               "FloatTensor", "Tensor") and len(node.args) == 1
