"""What Flax linen modules write that a PyTorch module does not:
``self.param(name, init, shape)``, ``partial(nn.Conv, use_bias=False)`` and
``partial(self.conv, ...)`` as layer factories, layers given initializers
(:mod:`python_flax_init`), ``self.is_mutable_collection('batch_stats')``,
dataclass fields without a default (a ``Sequence[int]``: typical entries, said
in the hover; the file's own construction, also ``Model18 = partial(Model,
...)``, fills them), and ``nn.MultiHeadDotProductAttention``/``SelfAttention``
read at one position as PyTorch's attention is.  Nothing here runs user code.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from chainlens.engine.frontends.python_ast import dotted
from chainlens.engine.frontends.python_flax_init import (
    FlaxInit,
    as_initializer,
    init_call,
    initializer,
    is_initializer,
    param_law,
)
from chainlens.engine.frontends.python_haiku import HAIKU, haiku_call, haiku_function, is_haiku
from chainlens.engine.frontends.python_init_laws import InitCall
from chainlens.engine.frontends.python_layers import LayerSpec, layer_spec
from chainlens.engine.frontends.python_values import (
    Const,
    Items,
    Layer,
    Mask,
    Mod,
    Param,
    Ref,
    Seq,
    Tensor,
    Tup,
    Unknown,
    Unsupported,
)

__all__ = ["FlaxInit", "Partial", "flax_layer", "self_method", "make_partial", "merged",
           "missing_field", "needs_fields", "partial_construction", "flax_attention",
           "TYPICAL_SEQUENCE", "FLAX_ATTENTION", "attention_spec", "attention_inits",
           "flax_call", "lifted", "flax_name", "layer_method", "mode_flag"]

#: Flax's attention layers (all MultiHeadDotProductAttention)
FLAX_ATTENTION = frozenset({"MultiHeadDotProductAttention", "MultiHeadAttention",
                            "SelfAttention"})
#: Flax/JAX transforms that change how a module runs, not what it computes
_LIFTS = frozenset({"remat", "checkpoint", "jit", "named_call"})
#: Haiku's module names: its class in snake case (haiku/_src/utils.py's rule)
_CAMEL_TO_SNAKE = re.compile(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))")
#: sharding annotations: the value they place, unchanged
_SHARDING = frozenset({"with_logical_constraint", "with_sharding_constraint",
                       "with_partitioning", "with_logical_partitioning"})
#: Flax's attention-mask builders
_MASKS = frozenset({"make_causal_mask", "make_attention_mask", "combine_masks"})
#: entries assumed for a ``Sequence[int]`` field the file never fills
TYPICAL_SEQUENCE = 3
#: a required argument of ``__call__`` that says the module trains (read
#: False) or runs deterministically (read True): evaluation, as a PyTorch
#: module's ``self.training`` is read
_TRAINING_FLAGS = frozenset({"train", "training", "is_training", "is_train"})
_EVAL_FLAGS = frozenset({"deterministic", "evaluation", "is_eval", "eval_mode", "inference"})


@dataclass(frozen=True)
class Partial:
    """``functools.partial(target, *args, **kwargs)`` of a layer class or a
    module class: a factory that builds the layer when called."""

    target: object
    args: tuple
    kwargs: tuple  # ((name, value), ...)


#: a layer's keyword -> the attribute declared_init knows it by
_LAYER_INITS = {"kernel_init": "weight", "bias_init": "bias", "embedding_init": "weight"}
#: keywords of a norm whose default (ones / zeros) the reader assumes
_NORM_INITS = {"scale_init": 1.0, "bias_init": 0.0}


def flax_layer(layer: Layer, kwargs: dict, reader) -> Layer:
    """``layer`` with the initializers its constructor was given
    (``kernel_init=nn.initializers.xavier_uniform()``): recorded as the
    file's own initialisation, which the forward reader declares the weight
    with.  A norm's ``scale_init``/``bias_init`` other than its default, or an
    initializer chainlens does not model, leaves the model "not measured"."""
    spec = layer.spec
    if spec.kind == "norm":
        consts = {}
        for key, default in _NORM_INITS.items():
            init = as_initializer(kwargs.get(key))
            if key not in kwargs:
                continue
            if init is not None and init.kind == "const":
                if dict(init.args)["value"] != default:  # scale_init=zeros: γ = 0, read
                    consts["weight" if key == "scale_init" else "bias"] = init_call(init)
                continue
            words = init.words if init is not None else key
            reader._init_unmodelled(f"{layer.label or spec.ctor}.{key.split('_')[0]} with "
                                    f"`{words}`")
        if consts:
            layer.init = {**getattr(layer, "init", {}), **consts}
            owners = reader.__dict__.setdefault("init_layers", [])
            if layer not in owners:
                owners.append(layer)
        return layer
    inits = {}
    for key, attr in _LAYER_INITS.items():
        if key not in kwargs or (key == "embedding_init") != (spec.kind == "embedding") or (
                attr == "bias" and not spec.bias):  # use_bias=False: its bias_init draws nothing
            continue
        init = as_initializer(kwargs[key])
        words = init.words if init is not None else f"{key}={type(kwargs[key]).__name__}"
        if init is not None and spec.kind == "embedding" and init.kind == "scaling":
            init = None  # JAX's fans of a (num, features) table are not torch's
        inits[attr] = init_call(init) if init is not None else InitCall(None, (), words)
    if inits:
        layer.init = {**getattr(layer, "init", {}), **inits}
        owners = reader.__dict__.setdefault("init_layers", [])
        if layer not in owners:
            owners.append(layer)
    return layer


def self_method(reader, node: ast.Call, env: dict, mod, notes: list):
    """``self.param(...)``, ``self.is_mutable_collection(...)``,
    ``self.variable(...)`` of a Flax module (methods of ``nn.Module`` itself,
    never set by the file), or None for any other call."""
    f = node.func
    if not (isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name)
            and f.value.id == "self" and isinstance(mod, Mod) and f.attr not in mod.attrs):
        return None
    if f.attr == "param" and len(node.args) >= 2:
        name = reader.value(node.args[0], env, mod)
        key = f"<param:{name.value if isinstance(name, Const) else len(mod.attrs)}>"
        if key in mod.attrs:  # the same module called again: the same parameter
            return mod.attrs[key]
        what = str(name.value) if isinstance(name, Const) else "param"
        init = as_initializer(reader.value(node.args[1], env, mod))
        if init is None:
            init = FlaxInit(None, (), ast.unparse(node.args[1])[:40])
        raw = reader.value(node.args[2], env, mod) if len(node.args) > 2 else Tup([])
        dims = raw.items if isinstance(raw, Tup) else [raw]
        shape = tuple(d.value if isinstance(d, Const) and isinstance(d.value, int) else None
                      for d in dims)
        param = Param(what, shape, param_law(init, shape, what), what, reader.offsets.span(node))
        mod.attrs[key] = param
        return param
    if f.attr == "is_mutable_collection":
        # Flax's own test for training (batch statistics updated): the measured
        # flow is the first training step's
        note = "`self.is_mutable_collection(...)` read as True (a training step)"
        if note not in notes:
            notes.append(note)
        return Const(True)
    if f.attr in ("variable", "make_rng", "sow", "put_variable", "get_variable"):
        return Unknown(f"self.{f.attr}(...) is Flax state chainlens does not model")
    return None


def lifted(func, args: list, kwargs: dict):
    """``nn.remat(Block)``, ``jax.checkpoint(f)``, ``nn.jit(Block)``: a transform
    that changes how a module or function runs, not what it computes (the
    module itself); Flax's mask builders (``nn.make_causal_mask(ids)``,
    ``nn.make_attention_mask(q > 0, k > 0)``, ``nn.combine_masks``): a mask of
    the data, which attention at one position does not use; sharding
    annotations (``nn.with_logical_constraint(x, axes)``,
    ``jax.lax.with_sharding_constraint``, ``nn.with_partitioning(init,
    axes)``): their first argument, placed, not changed; an initializer built
    in ``__call__`` (``nn.initializers.normal(stddev=1e-6)``) and a
    ``dict(kernel_init=..., ...)`` of keywords given to a layer with
    ``**``; None for any other call."""
    haiku = haiku_function(func, args, kwargs)  # hk.dropout(rng, rate, x): x
    if haiku is not None:
        return haiku
    if not isinstance(func, Ref) or func.path[0] == "<local>":
        return None
    if func.path[-1] in _LIFTS and len(args) == 1 and not kwargs:
        return args[0]
    if func.path[-1] in _SHARDING and args:
        return args[0]
    if is_initializer(func.path):
        return initializer(func.path, args, kwargs, f"{'.'.join(func.path)}(...)")
    if func.path == ("builtins", "dict") and not args:
        return Items(list(kwargs.values()), "dict", dict(kwargs))
    if func.path[-1] in _MASKS and func.path[0] in ("nn", "flax", "linen"):
        return Mask()
    return None


def flax_name(owner, ctor: str, call: ast.Call | None, evaluate=None) -> str:
    """The name Flax gives a submodule built in a compact method: its
    ``name=`` keyword, else ``{Class}_{n}`` with n counting the earlier
    submodules of that class in the same parent from 0 (``Dense_0``,
    ``Dense_1``, ``Conv_0``), as ``params`` shows them; a Haiku module's is
    its class in snake case, numbered from the second (``linear``,
    ``linear_1``, ``layer_norm``), as Haiku names them."""
    parent = owner.label if isinstance(owner, Mod) and owner.label else ""
    for k in (call.keywords if call is not None else []):
        name = k.value if k.arg == "name" else None  # name="fc1", name=f"fc{i}"
        name = evaluate(name) if name is not None and evaluate is not None else (
            Const(name.value) if isinstance(name, ast.Constant) else None)
        if isinstance(name, Const) and isinstance(name.value, str):
            return f"{parent}.{name.value}" if parent else name.value
    counts = owner.__dict__.setdefault("flax_names", {}) if isinstance(owner, Mod) else {}
    parts = dotted(call.func) if call is not None else None
    if parts and parts[0] in HAIKU:  # Haiku: linear, linear_1, layer_norm, conv2_d, mlp
        ctor = _CAMEL_TO_SNAKE.sub(r"_\1", ctor).lower()
        n = counts.get(("haiku", ctor), 0)
        counts[("haiku", ctor)] = n + 1
        own = f"{ctor}_{n}" if n else ctor
        return f"{parent}.{own}" if parent else own
    n = counts.get(ctor, 0)
    counts[ctor] = n + 1
    return f"{parent}.{ctor}_{n}" if parent else f"{ctor}_{n}"


def mode_flag(arg: ast.arg, notes: list) -> Const | None:
    """The value of a required argument of the entry ``__call__``/``forward``
    that is a mode flag, not data (``train: bool`` of Flax and Haiku modules,
    ``deterministic``): evaluation (``train`` False, ``deterministic`` True),
    as ``self.training`` of a PyTorch module is read, so dropout is the
    identity and ``not train`` a constant; said in the hover.  None for any
    other argument (an input): a flag by annotation only, ``use_cache: bool``,
    is not guessed."""
    ann = arg.annotation
    named = isinstance(ann, ast.Name) and ann.id == "bool"
    if arg.arg in _TRAINING_FLAGS and (named or ann is None):
        value = False
    elif arg.arg in _EVAL_FLAGS and (named or ann is None):
        value = True
    else:
        return None
    note = f"{arg.arg} read as {value} (evaluation, as PyTorch's eval(): dropout is the identity)"
    if note not in notes:
        notes.append(note)
    return Const(value)


def layer_method(body, owner, node: ast.Call):
    """A method of a library layer that is not its call: ``embed.attend(x)``
    (Flax's tied output layer: logits ``x @ Eᵀ`` against the whole table)
    read as a Dense map from the features to the table's rows, drawn with
    the table's own law (Flax's Embed default has the variance 1/features of
    a Dense default over those fans) but apart from it: PyTorch and JAX sum
    the gradient of both uses into the one table, so the flow is shown and
    not judged, as tied PyTorch layers are (python_init_draws).  None for any
    other call."""
    f = node.func
    if not (isinstance(owner, Layer) and isinstance(f, ast.Attribute) and f.attr == "attend"
            and owner.spec.kind == "embedding" and len(node.args) == 1 and not node.keywords):
        return None
    x = body.expr(node.args[0])
    head = owner.built.get("attend")
    if head is None:
        spec = owner.spec
        head = Layer(LayerSpec("linear", "Dense", spec.fan_out, spec.fan_in, bias=False,
                               framework="flax"), f"{owner.label}.attend", owner.span)
        table = getattr(owner, "init", {}).get("weight")
        if table is not None:  # embedding_init=...: the head is drawn with the same law
            head.init = {"weight": table}
        owner.built["attend"] = head
    fw = body.fw
    fw.unmodelled.append(f"`{ast.unparse(node)[:40]}` (line {node.lineno}) uses the embedding "
                         "table as the output layer (tied weights): chainlens draws the head "
                         "apart from the table, JAX sums the gradient of both uses")
    return fw.call_layer(head, [x], {}, node)


def make_partial(args: list, kwargs: dict):
    """``partial(nn.Conv, use_bias=False)``, ``partial(self.conv, ...)``,
    ``partial(ResNetBlock, ...)``: a factory of a layer or module class (a
    capitalised library name, a class of the file or another factory); None
    for a partial of a function (``partial(nnx.avg_pool, ...)``)."""
    if not args:
        return None
    target = args[0]
    if isinstance(target, Partial) or (isinstance(target, Ref) and (
            target.path[0] == "<local>" or target.path[-1][:1].isupper())):
        return Partial(target, tuple(args[1:]), tuple(kwargs.items()))
    return None


def merged(factory: Partial, args: list, kwargs: dict):
    """(target, args, kwargs) of calling ``factory(*args, **kwargs)``."""
    return factory.target, list(factory.args) + list(args), {**dict(factory.kwargs), **kwargs}


_SEQUENCE_TYPES = frozenset({"Sequence", "List", "list", "Tuple", "tuple", "Iterable"})


def missing_field(stmt: ast.AnnAssign, notes: list, cls: ast.ClassDef, given: int):
    """The value of a dataclass field the file never fills (no default, no
    construction): a ``Sequence[int]``-like field is :data:`TYPICAL_SEQUENCE`
    entries of a size the file does not fix (widths are then the typical
    width, counts the unrolled count), said in the hover; anything else
    stays unknown with the reason (``given``: how many fields the
    construction fills by position)."""
    name = stmt.target.id
    fields = [s for s in cls.body if isinstance(s, ast.AnnAssign)
              and isinstance(s.target, ast.Name)]
    if stmt in fields[:given]:
        return Unknown(f"field {name} has no default")  # filled by position next
    ann = stmt.annotation
    head = ann.value if isinstance(ann, ast.Subscript) else ann
    head_name = head.attr if isinstance(head, ast.Attribute) else getattr(head, "id", "")
    inner = ann.slice if isinstance(ann, ast.Subscript) else None
    ints = inner is not None and "int" in ast.unparse(inner)
    if head_name in _SEQUENCE_TYPES and ints:
        note = (f"field {name}: a sequence without a default, read as {TYPICAL_SEQUENCE} "
                "entries the file does not fix")
        if note not in notes:
            notes.append(note)
        return Tup([Const(None) for _ in range(TYPICAL_SEQUENCE)])
    return Unknown(f"field {name} has no default")


def needs_fields(cls: ast.ClassDef) -> bool:
    """A dataclass-style module (Flax) with a field without a default: the
    file's own construction of it (``MLP(features=[64, 1])``) fills it."""
    if any(isinstance(s, ast.FunctionDef) and s.name == "__init__" for s in cls.body):
        return False
    return any(isinstance(s, ast.AnnAssign) and s.value is None
               and isinstance(s.target, ast.Name) for s in cls.body)


def partial_construction(node: ast.AST, classes: dict) -> ast.Call | None:
    """``ResNet18 = partial(ResNet, stage_sizes=[2, 2, 2, 2], block_cls=ResNetBlock)``
    read as the construction ``ResNet(stage_sizes=..., block_cls=...)``."""
    if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name)
            and node.args[0].id in classes):
        return None
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name != "partial":
        return None
    made = ast.Call(func=node.args[0], args=list(node.args[1:]), keywords=list(node.keywords))
    return ast.copy_location(made, node)


def flax_attention(fw, layer: Layer, args: list, kwargs: dict, where) -> Tensor:
    """``nn.MultiHeadDotProductAttention(num_heads=h)(inputs_q, inputs_k,
    inputs_v)`` (and ``SelfAttention``) as Flax computes it, read at one
    position as PyTorch's attention is: softmax over one key is 1, so the
    output is ``out(value(inputs_v))``: two Dense maps with the layer's
    ``kernel_init`` (LeCun-normal by default; ``out_kernel_init`` for the
    output) and zero biases; query and key get no gradient."""
    spec = layer.spec
    q = args[0] if args else kwargs.get("inputs_q")
    k = args[1] if len(args) > 1 else kwargs.get("inputs_k", kwargs.get("inputs_kv", q))
    v = args[2] if len(args) > 2 else kwargs.get("inputs_v", k)
    if v is None or isinstance(v, Const):
        raise Unsupported(where, "nn.MultiHeadDotProductAttention called without its inputs")
    value = fw.tensor(v, where)
    query = fw.tensor(q, where)
    qkv = spec.fan_in if isinstance(spec.fan_in, int) else query.dim.value
    out = spec.fan_out if isinstance(spec.fan_out, int) else query.dim.value
    inits = getattr(layer, "init", {})
    parts = (("value", qkv, inits.get("weight"), inits.get("bias")),
             ("out", out, inits.get("out_weight", inits.get("weight")),
              inits.get("out_bias", inits.get("bias"))))
    for part, width, w_init, b_init in parts:
        if part not in layer.built:
            inner = Layer(LayerSpec("linear", "Dense", None, width, bias=spec.bias,
                                    framework="flax"), f"{layer.label}.{part}", layer.span)
            inner.init = {k: v for k, v in (("weight", w_init), ("bias", b_init)) if v}
            layer.built[part] = inner
    h = Tensor(*fw._applied(layer.built["value"], value, where))
    if qkv is None:  # qkv_features: the query's width, whatever the file fixes it to later
        h = Tensor(h.node, _alias(fw, h.dim, query.dim))
    y = Tensor(*fw._applied(layer.built["out"], h, where))
    if out is None:  # out_features: likewise (x + attention(x) then fixes both)
        y = Tensor(y.node, _alias(fw, y.dim, query.dim))
    note = (f"nn.{spec.ctor} read at one position: the output is out(value(inputs_v))")
    if note not in fw.notes:
        fw.notes.append(note)
    return y


def _alias(fw, made, width):
    """The width ``width`` (a :class:`Dim` the reader may fix later) in place
    of ``made``, the rows a layer was just declared with when its width is
    the input's: every declaration and built layer holding ``made`` then holds
    ``width``, so one later fact fixes both."""
    if made is width:
        return width
    width.unify(made)
    for name, (role, dims, span, init, fan_in, index) in list(fw.decls.items()):
        if any(d is made for d in dims):
            fw.decls[name] = (role, tuple(width if d is made else d for d in dims), span, init,
                              fan_in, index)
    return width


def attention_spec(ctor: str, kwargs: dict) -> LayerSpec:
    """The spec of a Flax attention layer: qkv and output widths (None: the
    input's), ``use_bias``."""
    def size(key):
        v = kwargs.get(key)
        return v if isinstance(v, int) and not isinstance(v, bool) and v > 0 else None
    return LayerSpec("attention", ctor, size("qkv_features"), size("out_features"),
                     bias=kwargs.get("use_bias") is not False, framework="flax")


def attention_inits(layer: Layer, kwargs: dict, reader) -> Layer:
    """The initializers a Flax attention layer was given: ``kernel_init``/
    ``bias_init`` for its four Dense maps, ``out_kernel_init``/
    ``out_bias_init`` for the output one."""
    inits = {}
    for key, attr in (("kernel_init", "weight"), ("bias_init", "bias"),
                      ("out_kernel_init", "out_weight"), ("out_bias_init", "out_bias")):
        if key in kwargs and not (isinstance(kwargs[key], Const) and kwargs[key].value is None):
            init = as_initializer(kwargs[key])
            inits[attr] = init_call(init) if init is not None else InitCall(None, (), key)
    if inits:
        layer.init = inits
    return layer


def _plain(node: ast.AST) -> bool:
    """A name or a dotted name (``nn.initializers.normal``, ``self.conv``):
    evaluating it runs no constructor."""
    return dotted(node) is not None


def _sizes(v):
    if isinstance(v, Tup) and v.items and all(
            isinstance(i, Const) and isinstance(i.value, int) and not isinstance(i.value, bool)
            for i in v.items):
        return tuple(i.value for i in v.items)
    return None


def _framework(path: tuple) -> str:
    """The framework of a layer class by its dotted name (as the constructor
    table decides it)."""
    name = path[-1]
    if "nnx" in path[:-1]:
        return "nnx"
    if path[0] in ("flax", "linen") or (path[0] == "nn" and name in (
            "Dense", "Conv", "Embed", "ConvTranspose", "ConvLocal")):
        return "flax"
    return "torch"


def _layer(reader, target: Ref, args: list, kwargs: dict, node: ast.Call, label: str):
    """The layer a library class (``nn.Conv``) builds from evaluated
    arguments: the constructor table's reading, with the Flax initializers
    it is given."""
    name = target.path[-1]
    if name in FLAX_ATTENTION:
        written = {k: v.value if isinstance(v, Const) else None for k, v in kwargs.items()}
        if "nnx" in target.path[:-1]:  # nnx.MultiHeadAttention(num_heads, in_features, ...)
            if len(args) > 1 and isinstance(args[1], Const):
                written.setdefault("in_features", args[1].value)
            for key in ("qkv_features", "out_features"):
                if written.get(key) is None:
                    written[key] = written.get("in_features")
        layer = Layer(attention_spec(name, written), label, reader.offsets.span(node))
        return attention_inits(layer, kwargs, reader)
    sized = [a.value if isinstance(a, Const) and not (
        isinstance(a.value, int) and not isinstance(a.value, bool) and a.value <= 0)
        else _sizes(a) for a in args]
    framework = _framework(target.path)
    spec = layer_spec(name, sized, {k: v.value if isinstance(v, Const) else _sizes(v)
                                    for k, v in kwargs.items()}, framework)
    if spec is None:
        return Unknown(f"{'.'.join(target.path)}(...) is not a layer chainlens models")
    return flax_layer(Layer(spec, label, reader.offsets.span(node)), kwargs, reader)


def build(reader, factory: Partial, args: list, kwargs: dict, node: ast.Call, label: str):
    """What calling ``factory(*args, **kwargs)`` builds: the layer or the
    module, with the factory's arguments first and its keywords overridden
    by the call's (as ``functools.partial`` does)."""
    target, args, kwargs = merged(factory, args, kwargs)
    if isinstance(target, Partial):
        return build(reader, target, args, kwargs, node, label)
    if target.path[0] == "<local>":
        cls = reader.classes.get(target.path[-1])
        if cls is None:
            return Unknown(f"{target.path[-1]}(...) is computed at run time")
        return reader.instantiate(cls, args, kwargs, label)
    return _layer(reader, target, args, kwargs, node, label)


def _spread(reader, func, node: ast.Call, env: dict, mod, label: str):
    """A layer, initializer or module class given keywords with ``**``
    (``nn.Dense(d, **inits)`` with ``inits = dict(kernel_init=...)``): built
    with the dict's entries as keywords, so its initializers are the file's,
    never silently dropped; a ``**`` of something that is not a written dict
    is :class:`Unknown` with that reason; None for a function of the file
    (read as its caller reads it)."""
    if isinstance(func, Ref) and func.path[0] == "<local>" and (
            func.path[-1] not in reader.classes):
        return None
    if any(isinstance(a, ast.Starred) for a in node.args):
        return Unknown(f"{ast.unparse(node.func)[:30]}(*...) of arguments chainlens cannot "
                       "count")
    args = [reader._value(a, env, mod, f"{label}.{i}") for i, a in enumerate(node.args)]
    kwargs: dict = {}
    for k in node.keywords:
        v = reader._value(k.value, env, mod, f"{label}.{k.arg or 'kwargs'}")
        if k.arg is not None:
            kwargs[k.arg] = v
        elif isinstance(v, Items) and v.names and all(isinstance(n, str) for n in v.names):
            kwargs.update(v.names)
        elif isinstance(func, Ref) and _framework(func.path) in ("flax", "nnx"):
            # a Flax layer's keywords are where its initializers are given
            return Unknown(f"`**{ast.unparse(k.value)[:30]}` gives keywords chainlens cannot "
                           "see")
        else:  # nn.Conv2d(i, o, **kwargs) of a helper's **kwargs: as before, without them
            note = f"`**{ast.unparse(k.value)[:30]}` of {label}: read without those keywords"
            if note not in reader.notes:
                reader.notes.append(note)
            # a library layer's unseen keywords may set its kernel size, stride or
            # groups: the flow is of the layer as read, and the verdict is not the model's
            if isinstance(func, Ref) and func.path[0] != "<local>":
                reader.unmodelled.append(f"`**{ast.unparse(k.value)[:30]}` of {label} gives "
                                         "keywords chainlens cannot see (kernel size, stride?)")
            return None
    if isinstance(func, Ref) and func.path == ("builtins", "dict"):
        return Items(list(kwargs.values()), label, kwargs)  # dict(**base, lr=...)
    if isinstance(func, Partial):
        return build(reader, func, args, kwargs, node, label)
    if func.path[0] == "<local>":
        return reader.instantiate(reader.classes[func.path[-1]], args, kwargs, label)
    if is_initializer(func.path):
        return initializer(func.path, args, kwargs, ast.unparse(node)[:60])
    return _layer(reader, func, args, kwargs, node, label)


def flax_call(reader, node: ast.Call, env: dict, mod, label: str):
    """A call in ``__init__``/``setup``/a compact ``__call__`` that only Flax
    code writes: ``self.param(...)``, an initializer, ``partial`` of a layer
    class, a call of such a factory, an attention layer, a layer given
    ``kernel_init=``; None to leave it to the constructor table (which also
    builds the layer before its initializers are recorded here)."""
    known = self_method(reader, node, env, mod, reader.notes)
    if known is not None or not _plain(node.func):
        return known
    func = reader._value(node.func, env, mod, label)
    if is_haiku(func):  # hk.Linear(256): never PyTorch's table (python_haiku)
        return haiku_call(reader, func, node, env, mod, label, flax_layer)
    if any(k.arg is None for k in node.keywords) and isinstance(func, Ref | Partial):
        return _spread(reader, func, node, env, mod, label)  # nn.Dense(d, **inits)
    if isinstance(func, Ref) and func.path[0] != "<local>" and len(node.args) == 1 and (
            not node.keywords):
        if func.path[-1] == "Sequential" and isinstance(node.args[0], ast.List | ast.Tuple):
            # Flax: nn.Sequential([nn.Dense(128), nn.relu, ...]) (torch takes no list)
            inner = reader._value(node.args[0], env, mod, label)
            return Seq(list(inner.items), label) if isinstance(inner, Items | Tup) else None
        if func.path[-1] in _LIFTS:  # nn.remat(Block): the same module, recomputed
            return reader._value(node.args[0], env, mod, label)
    if isinstance(func, Partial) or (isinstance(func, Ref) and (
            is_initializer(func.path) or func.path[-1] == "partial" or (
                func.path[-1] in FLAX_ATTENTION and func.path[0] != "<local>"))):
        args = [reader._value(a, env, mod, f"{label}.{i}") for i, a in enumerate(node.args)
                if not isinstance(a, ast.Starred)]
        kwargs = {k.arg: reader._value(k.value, env, mod, f"{label}.{k.arg}")
                  for k in node.keywords if k.arg}
        if isinstance(func, Partial):
            return build(reader, func, args, kwargs, node, label)
        if is_initializer(func.path):
            return initializer(func.path, args, kwargs, ast.unparse(node)[:60])
        if func.path[-1] == "partial":
            return make_partial(args, kwargs)
        return _layer(reader, func, args, kwargs, node, label)
    inits = [k for k in node.keywords if k.arg and k.arg.endswith("_init")]
    if not inits or not isinstance(func, Ref):  # kernel_init=, scale_init=: Flax's keywords
        return None
    built = reader._call(node, env, mod, label)
    if isinstance(built, Layer):
        flax_layer(built, {k.arg: reader._value(k.value, env, mod, label) for k in inits},
                   reader)
    return built
