"""One function body of a model read in order: the statements and
expressions of ``forward``, of a submodule's ``forward`` and of helpers.

:class:`Body` keeps the local names of one call; tensors and layers are
built by the model reader (``fw``, :class:`~python_eval._Forward`) so a
helper inlined three times declares its layers once.
"""

from __future__ import annotations

import ast

from chainlens.engine.frontends.python_ast import dotted
from chainlens.engine.frontends.python_control import Control
from chainlens.engine.frontends.python_flax import (
    FlaxInit,
    flax_name,
    layer_method,
    lifted,
    make_partial,
    self_method,
)
from chainlens.engine.frontends.python_flow_ops import (
    Blank,
    Permutation,
    shape_drop,
    shape_head,
    shape_tail,
)
from chainlens.engine.frontends.python_haiku import is_haiku, is_parameter
from chainlens.engine.frontends.python_layers import SHAPE_METHODS, SIZE_FIELDS, TENSOR_FLAGS
from chainlens.engine.frontends.python_library import CONSTANTS, LIBRARY_MODULES
from chainlens.engine.frontends.python_methods import BUILTIN_CALLS, CHUNKS, Methods
from chainlens.engine.frontends.python_statements import Statements, percent_format
from chainlens.engine.frontends.python_values import (
    TYPICAL_WIDTH,
    Closure,
    Concat,
    Const,
    DataDependent,
    Dim,
    Func,
    Items,
    Layer,
    Lazy,
    Linear,
    Mask,
    Mod,
    Param,
    Positions,
    Ref,
    Seq,
    Shape,
    Tensor,
    Tup,
    Unknown,
    Unsupported,
    feature_cut,
)

__all__ = ["Body"]


class _Return(Exception):
    def __init__(self, value):
        self.value = value


class Body(Control, Methods, Statements):
    def __init__(self, fw, fn: ast.FunctionDef, bound, args: list, kwargs: dict,
                 closure: dict | None = None):
        self.fw = fw
        self.fn = fn
        self.bound = bound
        self.env: dict = dict(closure or {})
        self.expect: int | None = None  # how many names a chunk is unpacked into
        params = [a.arg for a in fn.args.posonlyargs + fn.args.args]
        if bound is not None and params and params[0] in ("self", "cls"):
            self.env[params[0]] = bound
            params = params[1:]
        defaults = fn.args.defaults
        for i, name in enumerate(params):
            k = i - (len(params) - len(defaults))
            if i < len(args):
                self.env[name] = args[i]
            elif name in kwargs:
                self.env[name] = kwargs[name]
            elif k >= 0:
                self.env[name] = fw.init.value(defaults[k], {}, None)
            else:
                raise Unsupported(fn, f"{fn.name} is called without its argument {name}")
        for a, d in zip(fn.args.kwonlyargs, fn.args.kw_defaults, strict=True):
            self.env[a.arg] = kwargs.get(a.arg, fw.init.value(d, {}, None) if d else Const(None))

    def run(self):
        try:
            self.block(self.fn.body)
        except _Return as ret:
            return ret.value
        raise Unsupported(self.fn, f"{self.fn.name} returns nothing")

    # ---- statements ------------------------------------------------------
    def block(self, body: list) -> None:
        for stmt in body:
            self.statement(stmt)

    def statement(self, stmt: ast.stmt) -> None:
        if isinstance(stmt, ast.Expr):
            if isinstance(stmt.value, ast.Constant):
                return  # docstring
            if isinstance(stmt.value, ast.Call) and (dotted(stmt.value.func) or [""])[0] in (
                    "print", "logger", "logging", "warnings"):
                return
            if self.appended(stmt.value) or self.effect(stmt.value):
                return
            raise Unsupported(stmt, f"`{ast.unparse(stmt)[:50]}` has an effect chainlens "
                              "does not model")
        if isinstance(stmt, ast.Assign | ast.AnnAssign):
            if stmt.value is None:
                return
            first = stmt.targets[0] if isinstance(stmt, ast.Assign) else stmt.target
            self.expect = len(first.elts) if isinstance(first, ast.Tuple) else None
            value = self.expr(stmt.value)
            self.expect = None
            for target in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]):
                self.store(target, value, stmt)
        elif isinstance(stmt, ast.AugAssign):
            cur = self.expr(stmt.target)
            self.store(stmt.target, self.fw.binop(stmt.op, cur, self.expr(stmt.value), stmt),
                       stmt)
        elif isinstance(stmt, ast.Return):
            raise _Return(self.expr(stmt.value) if stmt.value is not None else Const(None))
        elif isinstance(stmt, ast.If):
            self.branch(stmt)
        elif isinstance(stmt, ast.For):
            self.loop(stmt)
        elif isinstance(stmt, ast.Assert | ast.Pass):
            return
        elif isinstance(stmt, ast.With):
            self.with_block(stmt)
        elif isinstance(stmt, ast.Raise):
            raise Unsupported(stmt, f"`{ast.unparse(stmt)[:40]}`: forward raises here")
        elif not self.other_statement(stmt):
            raise Unsupported(stmt, f"{type(stmt).__name__} statements are not read")

    def store(self, target: ast.AST, value, stmt) -> None:
        if isinstance(target, ast.Name):
            if isinstance(value, Tensor) and value.node.op != "num":
                t = value
                name = self.fw.bind(target.id, t.node, stmt)
                from_sym = Tensor(self.fw.sym(name), t.dim, t.scalar)
                self.env[target.id] = from_sym
            else:
                self.env[target.id] = value
        elif isinstance(target, ast.Tuple | ast.List) and any(
                isinstance(e, ast.Starred) for e in target.elts):
            self.starred_store(target, value, stmt)  # *_, h, w = x.shape; x, *rest = outs
        elif isinstance(target, ast.Tuple | ast.List):
            items = self.unpack(value, len(target.elts), stmt, target)
            for t, v in zip(target.elts, items, strict=True):
                self.store(t, v, stmt)
        elif isinstance(target, ast.Attribute):
            base = self.expr_or_unknown(target.value)
            if isinstance(base, Mod):
                base.attrs[target.attr] = value
        elif isinstance(target, ast.Starred):
            self.store(target.value, value, stmt)
        elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) and (
                self.time_buffer(self.expr_or_unknown(target.value))):
            # outputs = torch.zeros(T, B, V); outputs[t] = output: the steps, stacked
            base = self.expr_or_unknown(target.value)
            parts = list(base.parts) if isinstance(base, Concat) else []
            self.env[target.value.id] = Concat(parts + [self.fw.tensor(value, stmt)],
                                               stacked=True)
        elif isinstance(target, ast.Subscript):
            base = self.expr_or_unknown(target.value)
            index = self.expr_or_unknown(target.slice)
            if not (isinstance(base, Tup | Items) and isinstance(index, Const)
                    and isinstance(index.value, int) and -len(base.items) <= index.value
                    < len(base.items)):
                raise Unsupported(stmt, f"assignment to {ast.unparse(target)[:40]} is not read")
            base.items[index.value] = value  # X[i] = h: a list of time steps
        else:
            raise Unsupported(stmt, f"assignment to {ast.unparse(target)[:40]} is not read")

    @staticmethod
    def time_buffer(base) -> bool:
        """A tensor of zeros (``torch.zeros(trg_len, batch, vocab)``) or the steps
        already written into one: what ``outputs[t] = y`` fills."""
        return (isinstance(base, Tensor) and base.node.op == "num" and base.node.value == 0
                and not base.scalar) or (isinstance(base, Concat) and base.stacked)

    def unpack(self, value, n: int, stmt, target):
        if isinstance(value, Tup | Items):
            if len(value.items) != n:
                raise Unsupported(stmt, f"unpacking {len(value.items)} values into {n}")
            return value.items
        if isinstance(value, Lazy):
            names = [t.id if isinstance(t, ast.Name) else f"{value.name}_{i}"
                     for i, t in enumerate(target.elts)]
            return [Lazy(nm, value.span, argument=value.argument) for nm in names]
        if isinstance(value, Shape):
            return [Const(None)] * (n - 1) + [Const(value.of.dim.value)]
        if isinstance(value, Linear) and feature_cut(value, None) and 1 < n <= 8:
            # q, k, v = self.qkv(x).view(b, t, 3, h, d).unbind(2): the weight's row blocks
            return [self.fw.materialise(value, stmt, piece=(j, n)) for j in range(n)]
        raise Unsupported(stmt, f"unpacking {ast.unparse(stmt)[:40]} is not read")

    # ---- expressions -----------------------------------------------------
    def expr_or_unknown(self, node):
        try:
            return self.expr(node)
        except DataDependent:
            raise
        except Unsupported as exc:
            return Unknown(exc.reason)

    def expr(self, node: ast.AST):
        fw = self.fw
        if isinstance(node, ast.Constant):
            return Const(node.value)
        if isinstance(node, ast.Name):
            if node.id in self.env:
                return self.env[node.id]
            if node.id in fw.init.functions:
                return Func(fw.init.functions[node.id])
            return fw.init.value(node, {}, None)
        if isinstance(node, ast.Attribute):
            return self.attribute(node)
        if isinstance(node, ast.BinOp):
            left, right = self.expr(node.left), self.expr(node.right)
            text = percent_format(node.op, left, right)  # "layer%d" % i
            return text if text is not None else fw.binop(node.op, left, right, node)
        if isinstance(node, ast.UnaryOp):
            v = self.expr(node.operand)
            if isinstance(node.op, ast.USub):
                return fw.negate(v, node)
            if isinstance(node.op, ast.UAdd):
                return v
            if isinstance(node.op, ast.Not) and isinstance(v, Const):
                return Const(not v.value)
            if isinstance(node.op, ast.Invert) and type(v).__name__ == "Mask":
                return v  # ~mask: still a mask
            if isinstance(node.op, ast.Not) and not isinstance(v, Tensor | Lazy | Linear):
                return Unknown("a flag chainlens cannot see")  # not self.config.birnn
            raise DataDependent(node, f"`{ast.unparse(node)[:40]}` depends on data")
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.BoolOp):
            return self.boolean(node)
        if isinstance(node, ast.IfExp):
            return self.if_expr(node)
        if isinstance(node, ast.Tuple | ast.List):
            return Tup([self.expr(e) for e in node.elts])
        if isinstance(node, ast.Dict) and all(isinstance(k, ast.Constant) for k in node.keys):
            values = {str(k.value): self.expr_or_unknown(v)
                      for k, v in zip(node.keys, node.values, strict=True)}
            return Items(list(values.values()), "dict", values)  # return {"logits": y}
        if isinstance(node, ast.ListComp | ast.GeneratorExp) and len(node.generators) == 1:
            return self.comprehension(node)
        if isinstance(node, ast.Subscript):
            return self.subscript(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Lambda):  # map(lambda t: rearrange(t, ...), qkv)
            return Closure(node, dict(self.env), self.bound)
        other = self.other_expr(node)  # f"fc{i}"
        if other is not None:
            return other
        raise Unsupported(node, f"{type(node).__name__} `{ast.unparse(node)[:40]}` is not read")

    def attribute(self, node: ast.Attribute):
        base = self.expr(node.value)
        if isinstance(base, Mod):
            if node.attr in base.attrs:
                return base.attrs[node.attr]
            if node.attr == "training":
                return Const(False)
            raise Unsupported(node, f"self.{node.attr} is not set in __init__")
        if isinstance(base, Ref) and base.path[0] == "<local>" and len(base.path) == 2 and (
                base.path[1] in self.fw.init.classes):
            # MultiHeadAttention.attention(q, k, v): a @staticmethod called by its class
            found = next((s for s in self.fw.init.classes[base.path[1]].body
                          if isinstance(s, ast.FunctionDef) and s.name == node.attr
                          and any(dotted(d) == ["staticmethod"] for d in s.decorator_list)),
                         None)
            if found is not None:
                return Func(found)
        if isinstance(base, Ref):
            if len(base.path) == 1 and base.path[0] in LIBRARY_MODULES and (
                    node.attr in CONSTANTS):
                return Const(CONSTANTS[node.attr])  # math.pi, np.e
            return Ref(base.path + (node.attr,))
        if isinstance(base, Items) and base.names and node.attr in base.names:
            return base.names[node.attr]
        if isinstance(base, Layer) and node.attr in SIZE_FIELDS:  # self.fc.out_features
            return Const(getattr(base.spec, SIZE_FIELDS[node.attr]))
        if isinstance(base, Positions):
            return base
        if isinstance(base, Concat) and node.attr == "shape":
            width = sum(p.dim.value or TYPICAL_WIDTH for p in base.parts)
            return Shape(Tensor(self.fw.num(0), Dim(width)))
        if isinstance(base, Linear) and node.attr in ("T", "mT"):  # self.W_key(x).T
            return self.fw.tensor(base, node)
        if isinstance(base, Linear) and node.attr == "shape":
            # k = self.key(x); k.shape[-1]: the layer's width, without building it
            out = base.terms[0][0].spec.fan_out
            return Shape(Tensor(self.fw.num(0), Dim(out if isinstance(out, int) else None)))
        if isinstance(base, Param) and node.attr == "shape" and base.shape:
            return Tup([Const(d) for d in base.shape])  # a parameter's sizes, as written
        if isinstance(base, Tensor | Lazy | Param):
            if node.attr in TENSOR_FLAGS:  # input.is_cuda, x.device: not the data
                return Unknown(f"{ast.unparse(node)[:40]} is a flag chainlens cannot see")
            if node.attr == "shape":
                return Shape(self.fw.tensor(base, node))
            if node.attr in ("T", "mT", "data", "value"):  # nnx: self.w.value
                return self.fw.tensor(base, node)
            return Ref(("<tensor>", node.attr))
        if isinstance(base, Unknown):
            return base
        return Unknown(f"{ast.unparse(node)[:40]} is configuration chainlens cannot see")

    def subscript(self, node: ast.Subscript):
        base = self.expr(node.value)
        if isinstance(base, Tup | Items | Seq) and isinstance(node.slice, ast.Slice):
            # self.layers[:-1], list(self.children())[1:]: the layers of the slice
            bounds = [None if b is None else self.expr_or_unknown(b)
                      for b in (node.slice.lower, node.slice.upper, node.slice.step)]
            if all(b is None or (isinstance(b, Const) and isinstance(b.value, int | None))
                   for b in bounds):
                cut = slice(*(None if b is None else b.value for b in bounds))
                items = list(base.items)[cut]
                return Seq(items, getattr(base, "label", "")) if isinstance(base, Seq) else (
                    Tup(items))
        if isinstance(base, Tup | Items | Seq):
            index = self.expr_or_unknown(node.slice)
            if isinstance(index, Const) and isinstance(index.value, int):
                if not -len(base.items) <= index.value < len(base.items):
                    # h0[j] of [None] * self.num_layers over more layers than the
                    # count chainlens chose: the reading's sizes disagree, not the file
                    raise Unsupported(node, f"`{ast.unparse(node)[:40]}` takes item "
                                      f"{index.value} of the {len(base.items)} chainlens read "
                                      "(a count the file does not fix)")
                return base.items[index.value]
            raise Unsupported(node, f"`{ast.unparse(node)[:40]}` indexes by a value chainlens "
                              "cannot see")
        if isinstance(base, Shape):
            if shape_tail(node.slice):  # up.shape[2:]: still sizes, the width last
                return base
            head = shape_head(node.slice)
            if head is not None:  # n_steps, batch_size = x.shape[:2]: leading lengths
                return Tup([Const(None)] * head)
            if shape_drop(node.slice):  # x.size()[:-1]: lengths only, the width cut off
                return Shape(Tensor(self.fw.num(0), Dim()))
            index = self.expr_or_unknown(node.slice)
            if isinstance(index, Const) and index.value == -1:
                return self.size(base.of, -1)  # x.shape[-1]: the feature width
            return Const(None)  # a batch or sequence length
        if isinstance(base, Positions):
            return base
        if isinstance(base, Param):
            # self.pos_emb[:, :t, :], self.a[:, :n, :]: a slice of one parameter,
            # read as the whole parameter (its gradient is the slices' sum)
            self.fw.notes.append(f"`{ast.unparse(node)[:40]}`: a slice of a parameter read as "
                                 "the whole parameter")
            return self.fw.tensor(base, node)
        if isinstance(base, Linear):  # self.fc(x)[:, 0]: the layer's output, then the slice
            base = self.fw.tensor(base, node)
        if isinstance(base, Tensor | Lazy):
            if isinstance(node.slice, ast.Tuple | ast.Slice | ast.UnaryOp):
                return self.fw.tensor(base, node)  # positions along batch/sequence
            index = self.expr_or_unknown(node.slice)
            if isinstance(index, Permutation):  # x[order] of lengths.sort(): entries moved
                return self.fw.tensor(base, node)
            if isinstance(index, Const) and isinstance(index.value, int | None):
                # seq[t], x[0]: one position along the leading (batch or time) axis
                self.fw.notes.append(f"`{ast.unparse(node)[:40]}` read as one position along "
                                     "the leading axis")
                return self.fw.tensor(base, node)
            raise Unsupported(node, f"`{ast.unparse(node)[:40]}` picks entries of a tensor")
        raise Unsupported(node, f"`{ast.unparse(node)[:40]}` is not read")

    def call(self, node: ast.Call):
        fw = self.fw
        children = self.children(node)
        if children is not None:
            return children
        if isinstance(node.func, ast.Call) and dotted(node.func.func) != ["getattr"]:
            # Flax: nn.Dense(features)(x); getattr(self, f"fc{i}")(x) is read as a value
            fw.flax_count += 1
            f = fw.init.value(node.func, dict(self.env), self.bound, label=flax_name(
                self.bound, (dotted(node.func.func) or ["layer"])[-1], node.func,
                self.expr_or_unknown))
        elif isinstance(node.func, ast.Attribute):
            if _is_super(node.func.value):
                f = self.super_method(node.func.attr, node)
            else:
                owner = self.expr_or_unknown(node.func.value)
                if isinstance(owner, Positions):
                    return owner if node.func.attr in SHAPE_METHODS else self.method(
                        self.fw.tensor(owner, node), node)
                if isinstance(owner, Tensor | Lazy | Linear | Concat | Param | Blank):
                    return self.method(owner, node)
                if isinstance(owner, Tup) and node.func.attr == "pop" and not (
                        node.args or node.keywords) and owner.items:
                    return owner.items.pop()  # hs.pop(): a UNet's skip, last in first out
                known = self.container_method(owner, node)  # .items(), "{}".format(i)
                if known is not None:
                    return known
                if isinstance(owner, Mask):
                    return owner  # mask.unsqueeze(1).expand(...): still the mask
                tied = layer_method(self, owner, node)  # embed.attend(x): tied weights
                if tied is not None:
                    return tied
                if isinstance(owner, Mod) and node.func.attr not in owner.attrs:
                    flax = self_method(fw.init, node, dict(self.env), owner, fw.notes)
                    if flax is not None:  # self.param(...) in a compact __call__
                        return flax
                f = self.attribute(node.func)
        elif isinstance(node.func, ast.Name) and node.func.id == "super":
            return Unknown("super()")
        else:
            f = self.expr(node.func)
        built = self.inline_layer(f, node)  # before its arguments: built once, not twice
        if built is not None:
            return built
        args = []
        for a in node.args:
            v = self.expr(a.value if isinstance(a, ast.Starred) else a)
            args += list(v.items) if isinstance(a, ast.Starred) and isinstance(v, Tup) else [v]
        kwargs = {k.arg: self.expr_or_unknown(k.value) for k in node.keywords if k.arg}
        if isinstance(f, Ref) and f.path[-1] == "partial":  # conv = partial(self.conv, ...)
            factory = make_partial(args, kwargs)
            if factory is not None:
                return factory
        same = lifted(f, args, kwargs)  # B = nn.remat(Block)
        if same is not None:
            return same
        if isinstance(f, Ref) and f.path[0] == "<local>":
            name = f.path[1]
            if name in fw.init.classes:
                fw.flax_count += 1  # blk = Block(32): built with the arguments it is given
                return fw.init.instantiate(fw.init.classes[name], args, kwargs,
                                           flax_name(self.bound, name, node))
            if name in fw.init.functions:
                return fw.call_function(fw.init.functions[name], None, args, kwargs)
        if isinstance(f, Ref) and f.path[-1] in CHUNKS and args and (
                isinstance(args[0], Linear) or (f.path[0] == "torch" and isinstance(
                    args[0], Tensor | Lazy | Concat | Param))):
            # torch.chunk(x, 2, dim=-1) is x.chunk(2, dim=-1) (np/jnp.split count
            # sections, torch.split sizes: only torch's spelling is read as the method)
            return self.chunk(args[0], f.path[-1], args[1:], kwargs, node)
        known = self.call_hook(f, args, kwargs, node)  # helpers of this method, builtins
        if known is not None:
            return known
        if isinstance(f, Ref) and f.path[0] == "builtins" and f.path[-1] in BUILTIN_CALLS:
            return self.builtin(f.path[-1], args, node)
        return fw.call_value(f, args, kwargs, node)

    def inline_layer(self, f, node: ast.Call):
        """A layer class called in forward: ``mp = nn.MaxPool2d(k)`` (a layer
        without weights built there), or in a Flax/Haiku ``__call__`` (compact)
        any layer, built once like ``nn.Dense(f)(x)`` / ``hk.Linear(f)(x)``;
        None for any other call.  Read before the call's arguments are, so its
        layers are built once (never an orphan copy whose initializers were
        recorded but that nothing uses)."""
        fw = self.fw
        if is_parameter(f):  # hk.get_parameter("w", [d, h], init=...): a weight made here
            return fw.init.value(node, dict(self.env), self.bound, label=f.path[-1])
        if not (isinstance(f, Ref) and ("nn" in f.path[:-1] or is_haiku(f))
                and f.path[-1][:1].isupper()):
            return None
        # Haiku builds a new module at every construction, in any function the
        # module calls (a helper's hk.LayerNorm too), as Flax does in a compact method
        compact = is_haiku(f) or self.fn.name == "__call__" or any(
            (dotted(d) or [""])[-1] == "compact" for d in self.fn.decorator_list)
        if compact:
            fw.flax_count += 1
        layer = fw.init.value(node, dict(self.env), self.bound, label=(
            flax_name(self.bound, f.path[-1], node, self.expr_or_unknown) if compact
            else f.path[-1]))
        if isinstance(layer, Layer) and (compact or layer.spec.kind in ("shape", "act",
                                                                        "loss")):
            return layer
        if compact and isinstance(layer, Seq | FlaxInit):  # hk.nets.MLP([...]), an init
            return layer
        if compact and isinstance(layer, Unknown):  # hk.MultiHeadAttention: its own reason
            raise Unsupported(node, layer.why)
        raise Unsupported(node, f"{'.'.join(f.path)}(...) built inside forward (new "
                          "weights at every call) is not read")

    def children(self, node: ast.Call):
        """``self.children()``, ``self._modules.values()`` (and the named
        ``named_children()`` / ``_modules.items()``): the submodules set in
        ``__init__``, in the order they were set, as PyTorch registers them;
        None for any other call."""
        f = node.func
        if node.args or node.keywords or not isinstance(f, ast.Attribute):
            return None
        owner = f.value
        if f.attr in ("values", "items") and isinstance(owner, ast.Attribute) and (
                owner.attr == "_modules"):
            owner = owner.value
        elif f.attr not in ("children", "named_children"):
            return None
        mod = self.expr_or_unknown(owner)
        if not isinstance(mod, Mod):
            return None
        if "<unread-loop>" in mod.attrs:
            raise Unsupported(node, f"{ast.unparse(f)[:40]}(): {mod.attrs['<unread-loop>']}")
        subs = [(k, v) for k, v in mod.attrs.items()
                if not k.startswith("<") and isinstance(v, Layer | Seq | Mod | Items)]
        if not subs:
            raise Unsupported(node, f"{ast.unparse(f)[:40]}(): no submodule is read in __init__")
        if f.attr in ("items", "named_children"):
            return Tup([Tup([Const(k), v]) for k, v in subs])
        return Tup([v for _, v in subs])

    def super_method(self, name: str, node: ast.Call):
        """``super().forward(x)`` / ``super(Bottle, self).forward(x)``: the
        method of the next same-file base class, or the library layer the
        class derives from (``class Linear(Bottle, nn.Linear)``)."""
        mod = self.bound
        if not isinstance(mod, Mod):
            raise Unsupported(node, "super() outside a module's method")
        owner = next((c for c in self.fw.init.classes.values() if self.fn in c.body), None)
        for base in (owner.bases if owner is not None else []):
            parts = dotted(base) or [""]
            cls = self.fw.init.classes.get(parts[-1])
            method = next((n for n in (cls.body if cls is not None else [])
                           if isinstance(n, ast.FunctionDef) and n.name == name), None)
            if method is not None:
                return Func(method, mod)
        layer = mod.attrs.get("<super>")
        if name in ("forward", "__call__") and isinstance(layer, Layer):
            return layer
        where = owner.name if owner is not None else "this class"
        raise Unsupported(node, f"super().{name}(...): no base of {where} defines it in this "
                          "file or as a layer chainlens models (a mixin of nn.Module)")


def _is_super(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "super")
