"""``__init__`` of a model class read as a structure of layers.

``self.fc = nn.Linear(784, 128)``, ``self.net = nn.Sequential(...)``,
``nn.ModuleList([Block(d) for _ in range(n)])``, ``nn.Parameter(torch.randn(d))``
and submodules of the same file become :mod:`python_values` objects with
their sizes evaluated from literals, defaults, arguments and module
constants.  A value the reader cannot evaluate stays :class:`Unknown`: it is
an error only if ``forward`` uses it.
"""

from __future__ import annotations

import ast
import contextlib

from chainlens.engine.core.limits import MAX_REPEAT
from chainlens.engine.frontends.python_ast import Offsets, dotted
from chainlens.engine.frontends.python_flax import missing_field
from chainlens.engine.frontends.python_init_calls import InitCalls
from chainlens.engine.frontends.python_init_draws import InitDraws
from chainlens.engine.frontends.python_init_values import (
    LIBRARIES,
    InitValues,
    const_binop,
)
from chainlens.engine.frontends.python_layers import layer_spec
from chainlens.engine.frontends.python_sites import named_submodule
from chainlens.engine.frontends.python_statements import (
    LoopBreak,
    LoopContinue,
    Nested,
    assume,
    assumed_truth,
)
from chainlens.engine.frontends.python_values import (
    Const,
    Func,
    Items,
    Layer,
    Lazy,
    Mod,
    Seq,
    Tup,
    Unknown,
)

__all__ = ["InitReader", "const_binop", "LIBRARIES"]

_CONFIG_NAMES = frozenset({"config", "cfg", "conf", "args", "model_args", "params", "hparams",
                           "hp", "opt"})


class _InitReturn(Exception):
    def __init__(self, value):
        self.value = value


class InitReader(InitValues, InitCalls, InitDraws):
    """Builds a :class:`Mod` from a class's ``__init__`` (or Flax fields)."""

    def __init__(self, classes: dict, functions: dict, constants: dict, offsets: Offsets,
                 configs: dict | None = None):
        self.classes = classes
        self.functions = functions
        self.constants = constants
        self.offsets = offsets
        self.configs = configs or {}
        self.depth = 0
        self.notes: list[str] = []
        #: what the measurement cannot stand for (see Program.unmodelled)
        self.unmodelled: list[str] = []

    def config(self, arg: ast.arg) -> Mod | None:
        """A required ``config`` argument read as the file's own config
        class with its defaults (``GPTConfig``: ``n_layer: int = 12``): by
        its annotation, else by its name when the file has one such class."""
        parts = dotted(arg.annotation) if arg.annotation is not None else None
        cls = self.configs.get(parts[-1]) if parts else None
        if cls is None and len(self.configs) == 1 and arg.arg in _CONFIG_NAMES:
            cls = next(iter(self.configs.values()))
        if cls is None:
            return None
        mod = Mod(cls, {}, arg.arg)
        for stmt in cls.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                mod.attrs[stmt.target.id] = (self.value(stmt.value, {}, None) if stmt.value
                                             else Unknown(f"{cls.name}.{stmt.target.id} has "
                                                          "no default"))
        self.notes.append(f"{arg.arg}: the defaults of {cls.name}")
        return mod

    def instantiate(self, cls: ast.ClassDef, args: list, kwargs: dict, label: str) -> Mod:
        mod = Mod(cls, {}, label)
        for stmt in cls.body:  # dataclass-style fields (Flax, Equinox)
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                name = stmt.target.id
                mod.attrs[name] = (kwargs.get(name) if name in kwargs
                                   else self.value(stmt.value, {}, mod) if stmt.value
                                   else missing_field(stmt, self.notes, cls, len(args)))
        fields = [s.target.id for s in cls.body
                  if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)]
        for name, value in zip(fields, args, strict=False):
            mod.attrs[name] = value
        for stmt in cls.body:
            if isinstance(stmt, ast.FunctionDef) and stmt.name not in ("__init__",):
                mod.attrs.setdefault(stmt.name, Func(stmt, mod))
            elif isinstance(stmt, ast.ClassDef) and f"{cls.name}.{stmt.name}" in self.constants:
                # class F(torch.autograd.Function) inside the module: self.F.apply(x)
                mod.attrs.setdefault(stmt.name, self.constants[f"{cls.name}.{stmt.name}"])
            elif (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1  # expansion = 1
                  and isinstance(stmt.targets[0], ast.Name)
                  and isinstance(stmt.value, ast.Constant)):
                mod.attrs.setdefault(stmt.targets[0].id, Const(stmt.value.value))
            elif (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                  and isinstance(stmt.targets[0], ast.Name) and _written(stmt.value)):
                # cfg = [(1, 16, 1, 1), (6, 24, 2, 1), ...]: a written table of the class
                mod.attrs.setdefault(stmt.targets[0].id, self.value(stmt.value, {}, None))
        init = next((s for s in cls.body if isinstance(s, ast.FunctionDef)
                     and s.name == "__init__"), None)
        setup = next((s for s in cls.body if isinstance(s, ast.FunctionDef)
                      and s.name == "setup"), None)
        if init is None and setup is not None:  # Flax: layers built in setup()
            with contextlib.suppress(_InitReturn):  # a `return` ends it
                self.block(setup.body, {}, mod)
            return mod
        if init is None:
            base = self._base_class(cls)
            if base is not None:
                inner = self.instantiate(base, args, kwargs, label)
                inner.attrs.update({k: v for k, v in mod.attrs.items()
                                    if not isinstance(v, Unknown) or k not in inner.attrs})
                inner.cls = cls
                mod = inner
            if "<super>" not in mod.attrs:
                self.library_base(cls, args, kwargs, mod)
            return mod
        env = self._bind(init, args, kwargs)
        self.depth += 1
        if self.depth > 20:
            raise RecursionError("submodules nested more than 20 deep")
        try:
            self.block(init.body, env, mod)
        except _InitReturn:
            pass  # a `return` in __init__ ends it
        finally:
            self.depth -= 1
        return mod

    def library_base(self, cls: ast.ClassDef, args: list, kwargs: dict, mod: Mod) -> None:
        """A class deriving from a library layer (``class Linear(Bottle,
        nn.Linear)``): that layer, built from the constructor's arguments, is
        what ``super().forward`` calls."""
        for base in cls.bases:
            parts = dotted(base)
            if not parts or parts[0] not in LIBRARIES or len(parts) < 2:
                continue
            sized = [a.value if isinstance(a, Const) else None for a in args]
            spec = layer_spec(parts[-1], sized, {k: v.value if isinstance(v, Const) else None
                                                 for k, v in kwargs.items()})
            if spec is not None:
                mod.attrs["<super>"] = Layer(spec, mod.label or cls.name, self.offsets.span(cls))
                return

    def _base_class(self, cls: ast.ClassDef) -> ast.ClassDef | None:
        for base in cls.bases:
            parts = dotted(base)
            if parts and parts[-1] in self.classes and parts[-1] != cls.name:
                return self.classes[parts[-1]]
        return None

    def _named(self, name: str, fn: ast.FunctionDef, build: bool = False):
        """A required argument named like a module class of the file
        (:func:`named_submodule`): that class built with no arguments, said
        in the hover."""
        owner = next((c for c in self.classes.values() if fn in c.body), None)
        if owner is None:
            return None
        found = named_submodule(name, self.classes, owner)
        if found is None or not build:
            return found
        self.notes.append(f"{name} of {owner.name}.__init__ read as {found.name}() (the file's "
                          f"class of that name; no call site chainlens reads passes it)")
        return self.instantiate(found, [], {}, name)

    def _bind(self, fn: ast.FunctionDef, args: list, kwargs: dict, method: bool = True) -> dict:
        nodes = (fn.args.posonlyargs + fn.args.args)[1 if method else 0:]
        params = [a.arg for a in nodes]
        defaults = fn.args.defaults
        env: dict = {}
        for i, name in enumerate(params):
            k = i - (len(params) - len(defaults))
            if i < len(args) and (not isinstance(args[i], Unknown) or getattr(
                    args[i], "given", False)):  # a site's value it changes first: unknown
                env[name] = args[i]
            elif name in kwargs:
                env[name] = kwargs[name]
            elif k >= 0:
                env[name] = self.value(defaults[k], {}, None)
            elif method and fn.name == "__init__" and self._named(name, fn) is not None:
                env[name] = self._named(name, fn, build=True)  # embedding_net: EmbeddingNet
            else:
                env[name] = self.config(nodes[i]) or Unknown(
                    f"{name} is an argument of {fn.name}" + (
                        " with no default and no call site chainlens reads" if (
                            fn.name == "__init__" and not args and not kwargs) else ""))
        if fn.args.vararg is not None:  # Sequential-like: def __init__(self, *args)
            extra = args[len(params):]
            env[fn.args.vararg.arg] = Tup(list(extra)) if extra else Unknown(
                f"*{fn.args.vararg.arg} of {fn.name}, which the file does not fill")
        for a, d in zip(fn.args.kwonlyargs, fn.args.kw_defaults, strict=True):
            env[a.arg] = kwargs.get(a.arg, self.value(d, {}, None) if d is not None
                                    else Unknown(f"{a.arg} is an argument"))
        return env

    # ---- statements ------------------------------------------------------
    def block(self, body: list, env: dict, mod: Mod) -> None:
        for stmt in body:
            self.statement(stmt, env, mod)

    def method(self, fn: ast.FunctionDef, mod: Mod | None, args: list, kwargs: dict,
               label: str, closure: dict | None = None):
        """A helper method called in ``__init__`` (``self._make_layer(block,
        64, 2)`` returning an ``nn.Sequential``), or a function of the file
        (``clones(layer, 6)``, ``mod`` None): its body read as ``__init__``
        is, up to its ``return``; ``closure``: the names of the method that
        defines it (``def block(i, o): ...`` inside ``__init__``)."""
        env = self._bind(fn, args, kwargs, method=mod is not None and closure is None)
        if closure is not None:
            env = {**closure, **env}
        self.depth += 1
        if self.depth > 20:
            raise RecursionError("helpers nested more than 20 deep")
        try:
            self.block(fn.body, env, mod)
        except _InitReturn as ret:
            return ret.value
        finally:
            self.depth -= 1
        return Unknown(f"{fn.name} returns nothing chainlens reads")

    def statement(self, stmt: ast.stmt, env: dict, mod: Mod) -> None:
        if self.init_statement(stmt, env, mod):  # nn.init.*_, self.apply(init_fn)
            return
        if isinstance(stmt, ast.Return) and stmt.value is not None:
            raise _InitReturn(self.value(stmt.value, env, mod))
        if isinstance(stmt, ast.Assign | ast.AnnAssign) and stmt.value is not None:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            value = self.value(stmt.value, env, mod, label=_label(targets[0]))
            for t in targets:
                self.store(t, value, env, mod)
        elif isinstance(stmt, ast.AugAssign):
            cur = self.value(stmt.target, env, mod)
            add = self.value(stmt.value, env, mod)
            if isinstance(cur, Items) and isinstance(add, Items):
                self.store(stmt.target, Items(cur.items + add.items, cur.label), env, mod)
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            self._append(stmt.value, env, mod)
        elif isinstance(stmt, ast.If):
            test = self.value(stmt.test, env, mod)
            if isinstance(test, Const):
                self.block(stmt.body if test.value else stmt.orelse, env, mod)
            else:
                # an unknown flag: the first branch, and the hover says so; forward
                # reads the same flag the same way (python_statements.assume)
                def evaluate(n):
                    return self.value(n, env, mod)
                known = assumed_truth(stmt.test, env, mod, evaluate)
                if known is None:
                    self.notes.append(f"`if {ast.unparse(stmt.test)[:40]}` in __init__: read "
                                      "the if branch (a flag chainlens cannot see)")
                    assume(stmt.test, True, env, mod, evaluate)
                self.block(stmt.body if known in (None, True) else stmt.orelse, env, mod)
        elif isinstance(stmt, ast.For):
            self._loop(stmt, env, mod)
        elif isinstance(stmt, ast.Continue):
            raise LoopContinue(stmt, "`continue` outside a loop")
        elif isinstance(stmt, ast.Break):
            raise LoopBreak(stmt, "`break` outside a loop")
        elif isinstance(stmt, ast.FunctionDef) and not stmt.decorator_list:
            env[stmt.name] = Nested(stmt, env, mod)  # def block(in_feat, out_feat): ...
        elif isinstance(stmt, ast.Try):  # try: ... except ImportError: its body
            for part in (stmt.body, stmt.orelse, stmt.finalbody):
                self.block(part, env, mod)

    def _append(self, call: ast.Call, env: dict, mod: Mod) -> None:
        f = call.func
        parts = dotted(f) or []
        if parts == ["setattr"] and len(call.args) == 3 and isinstance(
                call.args[0], ast.Name) and call.args[0].id == "self" and mod is not None:
            # setattr(self, f"cell{i}", cell): a submodule, by the name it is given
            name = self.value(call.args[1], env, mod)
            if isinstance(name, Const) and isinstance(name.value, str):
                mod.attrs[name.value] = self.value(call.args[2], env, mod, label=name.value)
            return
        if (parts and parts[-1].endswith("_") and ("init" in parts[:-1] or "data" in parts)) or (
                parts[-2:] in (["self", "apply"], ["self", "reset_parameters"],
                               ["self", "_init_weights"], ["self", "init_weights"])):
            # self.init_weights() of a base class not in this file: not followed
            self._init_unmodelled(f"weights with `{ast.unparse(call)[:40]}`")
            return
        if (isinstance(f, ast.Attribute) and f.attr == "__init__" and isinstance(f.value, ast.Call)
                and isinstance(f.value.func, ast.Name) and f.value.func.id == "super"
                and mod is not None):
            # super().__init__(d_in, d_out) of a class deriving from nn.Linear
            args = [self.value(a, env, mod) for a in call.args]
            kwargs = {k.arg: self.value(k.value, env, mod) for k in call.keywords if k.arg}
            self.library_base(mod.cls, args, kwargs, mod)
            return
        if (isinstance(f, ast.Attribute) and f.attr == "register_parameter"
                and len(call.args) >= 2 and isinstance(call.args[0], ast.Constant)
                and mod is not None):
            name = str(call.args[0].value)
            mod.attrs[name] = self.value(call.args[1], env, mod, label=name)
            return
        if (isinstance(f, ast.Attribute) and f.attr == "register_buffer" and len(call.args) >= 2
                and isinstance(call.args[0], ast.Constant) and mod is not None):
            # a buffer is data the model adds, not a weight: an input
            mod.attrs[str(call.args[0].value)] = Lazy(str(call.args[0].value),
                                                      self.offsets.span(call), argument=False)
            return
        if (isinstance(f, ast.Attribute) and f.attr == "add_module" and len(call.args) == 2
                and isinstance(f.value, ast.Name) and f.value.id == "self" and mod is not None):
            # self.add_module("fc", nn.Linear(...)): a submodule, in its order
            name = self.value(call.args[0], env, mod)
            key = str(name.value) if isinstance(name, Const) else f"_modules.{len(mod.attrs)}"
            mod.attrs[key] = self.value(call.args[1], env, mod, label=key)
            return
        if isinstance(f, ast.Attribute) and f.attr in ("append", "add_module") and call.args:
            target = self.value(f.value, env, mod)
            count = len(target.items) if isinstance(target, Items | Seq) else 0
            item = self.value(call.args[-1], env, mod, label=f"{_label(f.value)}.{count}")
            if isinstance(target, Items | Seq):
                target.items.append(item)

    def _loop(self, stmt: ast.For, env: dict, mod: Mod) -> None:
        it = self.value(stmt.iter, env, mod)
        seq = it.items if isinstance(it, Items | Tup) else None
        if seq is None or len(seq) > MAX_REPEAT or not isinstance(stmt.target,
                                                                  ast.Name | ast.Tuple):
            if mod is not None:  # what it would have built: self.children() cannot be listed
                why = getattr(it, "why", None) or (
                    f"`for … in {ast.unparse(stmt.iter)[:40]}` in __init__ is not read")
                mod.attrs.setdefault("<unread-loop>", why)
                # self.layers.append(...) in the unread loop: the list is not the empty
                # ModuleList written before it (an identity would be read as healthy)
                for node in ast.walk(stmt):
                    own = node.value if isinstance(node, ast.Attribute) and isinstance(
                        node.ctx, ast.Load) else node  # self.X.append(...) or self.X = ...
                    if isinstance(own, ast.Attribute) and isinstance(own.value, ast.Name) and (
                            own.value.id == "self") and own.attr in mod.attrs and (
                            own is not node or isinstance(node.ctx, ast.Store)):
                        mod.attrs[own.attr] = Unknown(why)
            why = getattr(it, "why", None) or (
                f"`for … in {ast.unparse(stmt.iter)[:40]}` is not read")
            for name in _stored(stmt) & env.keys():  # layers += [conv, nn.ReLU()] in it:
                env[name] = Unknown(why)  # not the empty list written before the loop
            return
        if seq and _fills_tensor(stmt.body):  # pe[pos, i] = sin(...) for every position:
            for name in _stored(stmt) - _stored_into(stmt):  # nothing the reader models
                env[name] = Unknown("a loop variable of a loop that fills a tensor")
            self.store(stmt.target, seq[-1], env, mod)  # (200 × d passes cost seconds)
            return
        for v in seq:
            self.store(stmt.target, v, env, mod)  # for i, layer in enumerate(layers)
            if not self.loop_body(stmt.body, env, mod):
                break

    def loop_body(self, body: list, env: dict, mod: Mod) -> bool:
        """One pass of an unrolled loop's body (``if l == 'M': ...; continue``
        in VGG's make_layers); False after a ``break``."""
        try:
            self.block(body, env, mod)
        except LoopContinue:
            pass
        except LoopBreak:
            return False
        return True

    def store(self, target: ast.AST, value, env: dict, mod: Mod) -> None:
        if isinstance(target, ast.Name):
            env[target.id] = value
        elif (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
              and target.value.id == "self"):
            mod.attrs[target.attr] = value
        elif (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Attribute)
              and target.value.attr == "_modules" and mod is not None):
            # self._modules[name] = block (d2l's MySequential): a submodule
            key = self.value(target.slice, env, mod)
            name = str(key.value) if isinstance(key, Const) else str(len(mod.attrs))
            if isinstance(value, Layer) and value.label in ("", "?"):
                value.label = f"_modules[{name}] {value.spec.ctor}"
            mod.attrs[name] = value
        elif isinstance(target, ast.Tuple) and (isinstance(value, Tup) or (
                isinstance(value, Items) and len(value.items) == len(target.elts))):
            for t, v in zip(target.elts, value.items, strict=False):
                self.store(t, v, env, mod)  # model_fun, dim_in = model_dict[name]
        elif isinstance(target, ast.Tuple) and isinstance(value, Unknown):
            for t in target.elts:  # each name unknown for the value's reason
                self.store(t, value, env, mod)

    # ---- values ----------------------------------------------------------


def _written(node: ast.expr) -> bool:
    """A literal list, tuple or dict of written numbers and strings (nested)."""
    if not isinstance(node, ast.List | ast.Tuple | ast.Dict):
        return False
    return all(isinstance(n, ast.List | ast.Tuple | ast.Dict | ast.Constant | ast.expr_context
                          | ast.UnaryOp | ast.USub) for n in ast.walk(node))


def _fills_tensor(body: list) -> bool:
    """A loop body that only writes entries of a local tensor (``pe[pos, i] =
    math.sin(pos / 10000 ** (2 * i / d))``), or loops that do: no pass of it
    builds a layer or changes a name the reader models."""
    for stmt in body:
        if isinstance(stmt, ast.For) and not stmt.orelse and isinstance(stmt.target, ast.Name):
            if not _fills_tensor(stmt.body):
                return False
            continue
        entries = isinstance(stmt, ast.Assign | ast.AugAssign) and all(
            isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name)
            for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]))
        if not entries or any(isinstance(n, ast.Call | ast.NamedExpr) and not _math_call(n)
                              for n in ast.walk(stmt)):
            return False
    return True


def _math_call(node: ast.AST) -> bool:
    """``math.sin(…)``, ``np.cos(…)``, ``float(…)``: a number, no effect."""
    parts = dotted(node.func) if isinstance(node, ast.Call) else None
    return bool(parts) and (parts[0] in ("math", "np", "numpy") and len(parts) == 2
                            or parts in (["float"], ["int"], ["pow"], ["abs"]))


def _stored_into(stmt: ast.stmt) -> set[str]:
    """The tensors a :func:`_fills_tensor` loop writes entries of."""
    return {n.value.id for n in ast.walk(stmt) if isinstance(n, ast.Subscript)
            and isinstance(n.ctx, ast.Store) and isinstance(n.value, ast.Name)}


def _stored(stmt: ast.stmt) -> set[str]:
    """Names a statement stores or changes in place (``x = …``, ``x += …``,
    ``x.append(…)``, ``x[k] = …``)."""
    out = set()
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            out.add(node.id)
        elif isinstance(node, ast.Subscript | ast.Attribute) and isinstance(
                node.ctx, ast.Store) and isinstance(node.value, ast.Name):
            out.add(node.value.id)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and (
                node.func.attr in ("append", "extend", "insert", "update", "add_module")
                and isinstance(node.func.value, ast.Name)):
            out.add(node.func.value.id)
    return out


def _label(target: ast.AST) -> str:
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Name):
        return target.id
    return "?"
