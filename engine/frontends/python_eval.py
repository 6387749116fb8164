"""``forward`` of a model class read as a program, through ``self.<layer>``.

The layers come from :mod:`python_init`; this module follows ``forward``
(or Flax's ``__call__``) statement by statement: tensors are IR nodes with
the width of their feature axis, ``self.fc(x)`` declares the layer's
weights at their framework initialisation and emits ``W @ x + b``,
submodules of the same file and helper functions are inlined, ``if`` on a
constant or constructor flag takes its branch, loops over a ModuleList or a
literal range are unrolled.  Whatever depends on data or on a library
chainlens does not model raises :class:`Unsupported` with the reason.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType

from chainlens.engine.core.ir import add, call, mul
from chainlens.engine.core.nodes import Node, num, sym
from chainlens.engine.frontends.python_apply import Apply
from chainlens.engine.frontends.python_ast import Offsets, dotted
from chainlens.engine.frontends.python_body import Body
from chainlens.engine.frontends.python_concat import SEQUENCE, data_input, why_not
from chainlens.engine.frontends.python_flax import mode_flag
from chainlens.engine.frontends.python_init import InitReader
from chainlens.engine.frontends.python_init_laws import declared_init, finish_inits
from chainlens.engine.frontends.python_library import MEASURED_WIDTH as _MEASURED_WIDTH
from chainlens.engine.frontends.python_library import call_library
from chainlens.engine.frontends.python_names import torch_names
from chainlens.engine.frontends.python_sites import site_arguments
from chainlens.engine.frontends.python_values import (
    TYPICAL_WIDTH,
    Closure,
    Concat,
    Const,
    Dim,
    Func,
    Items,
    Layer,
    Lazy,
    Linear,
    Mod,
    Param,
    Positions,
    Ref,
    Seq,
    Tensor,
    Tup,
    Unknown,
    Unsupported,
)
from chainlens.engine.health.init import init_range
from chainlens.engine.language.program import Assignment, Declaration, Program

__all__ = ["Unsupported", "Built", "read_module_class", "MEASURED_WIDTH"]

#: widths above this are measured at this width (a GPT-2 MLP's 768 x 3072
#: weights would take seconds per draw; the per-layer gain is the same);
#: kept in python_library, whose std/var correction needs it
MEASURED_WIDTH = _MEASURED_WIDTH


@dataclass(frozen=True)
class Built:
    program: Program
    params: tuple[str, ...]
    layers: tuple
    notes: tuple[str, ...]


def read_module_class(cls: ast.ClassDef, classes: dict, functions: dict, constants: dict,
                      offsets: Offsets, source: str, configs: dict | None = None,
                      made: ast.Call | None = None, scope: dict | None = None) -> Built:
    """One module class as a program; ``made``: the file's own construction
    of it, whose arguments stand for those its ``__init__`` requires; ``scope``:
    the file's top-level ``name = value`` assignments, which those arguments
    may name (``model = Seq2Seq(enc, dec)`` after ``enc = Encoder(...)``)."""
    init = InitReader(classes, functions, constants, offsets, configs)
    args: list = []
    kwargs: dict = {}
    if made is not None:  # its site: a factory, make_model(), module level, argparse
        args, kwargs, where = site_arguments(made, {} if scope is None else scope, init)
        init.notes.append(where)
    mod = init.instantiate(cls, args, kwargs, "")
    forward = _Forward(init, offsets)
    forward.notes += init.notes
    forward.unmodelled += init.unmodelled
    return finish_inits(forward.run(mod, source), init)  # nn.init.*_ not modelled


def _safe(label: str) -> str:
    out = "".join(c if c.isalnum() else "_" for c in label).strip("_")
    return out or "p"


class _Forward(Apply):
    sym = staticmethod(sym)
    num = staticmethod(num)

    def __init__(self, init: InitReader, offsets: Offsets):
        self.init = init
        self.offsets = offsets
        self.assignments: list[Assignment] = []
        self.decls: dict[str, tuple] = {}  # name -> (role, dims, span, init, fan_in, layer)
        self.versions: dict[str, int] = {}
        self.layers: list = []
        self.notes: list[str] = []
        self.unmodelled: list[str] = []
        self.inputs: list[str] = []
        self.arguments: list[str] = []  # the inputs that are forward's own arguments
        self.depth = 0
        self.flax_count = 0
        self.tags: set[str] = set()
        self.transposed: set[str] = set()  # parameters read as x @ W, declared [out, in]
        self.scales: dict[str, float] = {}  # parameters drawn with a written factor
        self.many_axes: set[str] = set()  # parameters of three or more axes
        self.cut_inputs = False  # a concatenation of data read as a fresh input
        #: conv outputs not yet built (python_apply.call_layer), with where called
        self.pending: list = []

    # ---- the program -----------------------------------------------------
    def run(self, mod: Mod, source: str) -> Built:
        self.names = torch_names(mod)  # the flow table's rows: PyTorch's names
        entry = next(n for name in ("forward", "__call__") for n in mod.cls.body
                     if isinstance(n, ast.FunctionDef) and n.name == name)
        static = any(dotted(d) == ["staticmethod"] for d in entry.decorator_list)
        # @staticmethod def forward(x): no self to skip (yolov5's Mish, SiLU)
        nodes = (entry.args.posonlyargs + entry.args.args)[0 if static else 1:]
        required = nodes[:len(nodes) - len(entry.args.defaults)]
        # the arguments without a default are the inputs; `targets=None` keeps None
        # (`train: bool` is a mode flag: evaluation, python_flax.mode_flag)
        args = [mode_flag(a, self.notes) or Lazy(a.arg, self.offsets.span(a)) for a in required]
        # forward(self, *, query, key, value, mask=None): the keyword-only ones without
        # a default are inputs too
        kwargs = {a.arg: mode_flag(a, self.notes) or Lazy(a.arg, self.offsets.span(a))
                  for a, d in zip(entry.args.kwonlyargs, entry.args.kw_defaults, strict=True)
                  if d is None}
        result = self._first(self.call_function(entry, mod, args, kwargs))
        for lin, where in self.pending:  # a conv whose output nothing used: built whole
            if self.layers[self.layer_row(lin.terms[0][0]) - 1][1] is None:
                self.materialise(lin, where)
        if isinstance(result, Concat):
            # torch.cat / stack of outputs (time steps, heads): each part meets
            # its own target, L = Σ_j Σ t_j·y_j
            terms = []
            for j, part in enumerate(result.parts):
                target = self.declare(f"target_{j}", "input", (part.dim,),
                                      self.offsets.span(entry), "input")
                terms.append(call("sum", mul(target, part.node)))
            total = terms[0]
            for term in terms[1:]:
                total = add(total, term)
            result = Tensor(total, Dim(1), scalar=True)
            self.notes.append("L = Σ target·output over the concatenated parts, targets of "
                              "unit variance")
        out = self.tensor(result, entry)
        name = self.latest_name(out, entry)
        if not out.scalar and (out.dim.value or TYPICAL_WIDTH) != 1:
            # L = Σ t·y against a target t of unit variance: Σ y would be
            # constant for a softmax or normalised output (no gradient at all)
            target = self.declare("target", "input", (out.dim,), self.offsets.span(entry),
                                  "input")
            name = self.bind("L", call("sum", mul(target, sym(name))), entry)
            self.notes.append("L = Σ target·output, a target of unit variance")
        if not self.layers and self.cut_inputs:  # the gain over the input would be cut
            raise Unsupported(entry, "a concatenation of data used whole in a module without "
                              "weights: its gain over the input is not read")
        if not self.layers and not self.arguments:
            raise Unsupported(entry, "no layer with weights and no input is used in forward")
        if not self.layers:  # Swish, NewGELU, x + pe, a loss: the gradient over the input
            self.notes.append("no layer with weights: the flow is the gradient's gain through "
                              "the module over its input, at inputs of unit variance")
        decls, assumed, narrowed = [], [], []
        ratio: dict[int, float] = {}  # layer -> measured / written fan-in
        for role, dims, _, _, _, layer in self.decls.values():
            if role == "param" and len(dims) == 2 and layer is not None:
                cols = dims[1].value or TYPICAL_WIDTH
                ratio.setdefault(layer, min(cols, MEASURED_WIDTH) / cols)
        for n, (role, dims, span, init, fan_in, layer) in self.decls.items():
            written = tuple(d.value if d.value is not None else TYPICAL_WIDTH for d in dims)
            if any(d.value is None for d in dims):
                assumed.append(n)
            shape = tuple(min(d, MEASURED_WIDTH) for d in written)
            if shape != written:
                narrowed.append(n)
            if fan_in:  # the default init of the narrower layer: the same gain per layer
                fan_in = max(1, round(fan_in * ratio.get(layer, 1.0)))
            lo, hi = init_range(init, fan_in if fan_in else (shape[-1] if shape else 1))
            scale = self.scales.get(n, 1.0)
            lo, hi = lo * scale, hi * scale
            if role != "param":  # forward's arguments, other data, the loss's target
                init = ("input" if n in self.arguments else "state" if n in self.inputs
                        else "target" if n.startswith("target") else None)
            decls.append(Declaration(n, role, shape, span,
                                     (Fraction(lo).limit_denominator(10**9),
                                      Fraction(hi).limit_denominator(10**9)), layer, init))
        if assumed:
            self.notes.append(f"widths not written in the file are {TYPICAL_WIDTH}: "
                              + ", ".join(assumed[:4]) + (" …" if len(assumed) > 4 else ""))
        if narrowed:
            self.notes.append(f"measured at widths ≤ {MEASURED_WIDTH}: the default init's "
                              "gain per layer does not depend on the width, so the ratios "
                              "carry over (the norms are the narrower net's)")
        program = Program(source=source, assignments=tuple(self.assignments), outputs=(name,),
                          declarations=tuple(decls), spans=MappingProxyType({}),
                          unmodelled=tuple(dict.fromkeys(self.unmodelled)))
        return Built(program, tuple(self.inputs), tuple(self.layers), tuple(dict.fromkeys(
            self.notes)))

    def _first(self, value):
        while isinstance(value, Tup | Items) and value.items:
            # (logits, loss), {"loss": None, "logits": y}: the first tensor
            value = next((v for v in value.items if not isinstance(v, Const | Unknown)),
                         value.items[0])
        return value

    def bind(self, base: str, node: Node, where: ast.AST) -> str:
        base = _safe(base)
        count = self.versions.get(base, 0) + 1
        self.versions[base] = count
        name = base if count == 1 else f"{base}@{count}"
        span = self.offsets.span(where)
        self.assignments.append(Assignment(name=name, expr=node, span=span, name_span=span,
                                           expr_span=span))
        return name

    def latest_name(self, t: Tensor, where) -> str:
        if t.node.op == "sym" and any(a.name == t.node.value for a in self.assignments):
            return t.node.value
        return self.bind("y", t.node, where)

    def declare(self, name: str, role: str, dims: tuple, span, init: str, fan_in=None,
                layer=None) -> Node:
        name = _safe(name)
        while name in self.decls and role == "input":
            name += "_"
        self.decls.setdefault(name, (role, dims, span, init, fan_in, layer))
        self.versions.setdefault(name, 1)  # a later `x = ...` is x@2, not the input
        return sym(name)

    # ---- values -> tensors -----------------------------------------------
    def tensor(self, v, where) -> Tensor:
        if isinstance(v, Tensor):
            return v
        if isinstance(v, Lazy):
            if v.made is None:
                dim = Dim()
                node = self.declare(v.name, "input", (dim,), v.span, "input")
                self.inputs.append(node.value)
                if v.argument:
                    self.arguments.append(node.value)
                v.made = Tensor(node, dim)
            return v.made
        if isinstance(v, Linear):
            return self.materialise(v, where)
        if isinstance(v, Const) and isinstance(v.value, int | float) and not isinstance(
                v.value, bool):
            return Tensor(num(Fraction(repr(v.value)) if isinstance(v.value, float)
                              else v.value), Dim(1), scalar=True)
        if isinstance(v, Param) and v.buffer:
            if v.symbol is None:  # state, not a weight: an input at its initial value
                dims = tuple(Dim(d) for d in v.shape[-1:]) or (Dim(),)
                v.symbol = self.declare(f"S_{_safe(v.label)}", "input", dims, v.span,
                                        v.init).value
                self.inputs.append(v.symbol)
            return Tensor(sym(v.symbol), self.decls[v.symbol][1][-1])
        if isinstance(v, Param):
            if v.symbol == "<split>":  # cut into blocks for a concatenation it multiplied
                raise Unsupported(where, f"{v.label} multiplies a concatenation and is read "
                                         "whole too")
            if v.symbol is None:
                shape = v.shape
                if len(shape) > 2:  # (1, T, C) positions, (H, 2F, 1): the feature axis
                    shape = tuple(d for d in shape if d != 1)[-1:] or shape[-1:]
                    self.notes.append(f"{v.label}: a parameter of {len(v.shape)} axes read "
                                      "along its last one")
                elif len(shape) == 2 and shape[0] == 1:
                    shape = shape[1:]  # (1, C): a start state, a cls token, a gain (broadcast)
                dims = tuple(Dim(d) for d in shape) or (Dim(),)
                v.symbol = self.declare(self.unique(f"P_{_safe(v.label)}"), "param", dims,
                                        v.span, v.init,
                                        fan_in=shape[0] if len(shape) > 1 else None,
                                        layer=len(self.layers) + 1).value
                self.layers.append((self.row_name(v, v.symbol), v.symbol, v.span))
                if v.scale != 1.0:
                    self.scales[v.symbol] = v.scale
                if len(v.shape) > 2:  # a class token (1, 1, d): its cat is along a sequence
                    self.many_axes.add(v.symbol)
            dims = self.decls[v.symbol][1]
            return Tensor(sym(v.symbol), dims[-1])
        if isinstance(v, Unknown):
            raise Unsupported(where, v.why)
        if isinstance(v, Positions):
            if v.made is None:  # features of positions (sin/cos of arange): data
                node = self.declare("positions", "input", (Dim(),), self.offsets.span(where),
                                    "input")
                self.inputs.append(node.value)
                self.notes.append("features of positions (torch.arange) are an input of unit "
                                  "variance")
                v.made = Tensor(node, self.decls[node.value][1][0])
            return v.made
        if isinstance(v, Concat):
            data = data_input(self, v, where)  # sinusoidal features of a timestep
            if data is not None:
                return data
            raise Unsupported(where, why_not(v))
        kind = type(v).__name__
        raise Unsupported(where, f"{ast.unparse(where)[:50]} is a {kind.lower()}, not a tensor")

    def materialise(self, lin: Linear, where, piece=(0, 1)) -> Tensor:
        total = None
        out_dim = None
        for layer, x in lin.terms:
            z, dim = self.apply_weights(layer, x, where, piece)
            out_dim = dim if out_dim is None else out_dim.unify(dim)
            total = z if total is None else add(total, z)
        return Tensor(sym(self.bind("z", total, where)), out_dim)

    def row_name(self, value, fallback: str) -> str:
        """The flow table's name for a layer or parameter: PyTorch's
        (``layers.0.fc``, :mod:`python_names`), else the reader's label."""
        return getattr(self, "names", {}).get(id(value)) or value.label or fallback

    def layer_row(self, layer: Layer) -> int:
        """``layer``'s row in the flow table (1-based), added the first time
        (whichever piece of its weight comes first)."""
        if "index" not in layer.built:
            self.layers.append((self.row_name(layer, layer.spec.ctor), None, layer.span))
            layer.built["index"] = len(self.layers)
        return layer.built["index"]

    def apply_weights(self, layer: Layer, x, where, piece=(0, 1)):
        spec = layer.spec
        if isinstance(x, Concat) and x.axis == SEQUENCE:  # a class token: more positions
            raise Unsupported(where, why_not(x))
        parts = x.parts if isinstance(x, Concat) else [self.tensor(x, where)]
        key = piece
        if key not in layer.built:
            index = self.layer_row(layer)
            out = spec.fan_out if isinstance(spec.fan_out, int) else None
            rows = Dim(out // piece[1] if out and out % piece[1] == 0 else None)
            in_total = sum(p.dim.value or 0 for p in parts)
            if isinstance(spec.fan_in, int) and len(parts) == 1:
                parts[0].dim.unify(Dim(spec.fan_in))
            elif isinstance(spec.fan_in, int) and len(parts) == 2 and None in (
                    parts[0].dim.value, parts[1].dim.value):
                known = parts[0] if parts[0].dim.value else parts[1]
                other = parts[1] if known is parts[0] else parts[0]
                if known.dim.value:
                    other.dim.value = spec.fan_in - known.dim.value
            in_total = sum(p.dim.value or TYPICAL_WIDTH for p in parts)
            fan_in = in_total * spec.window
            if spec.framework == "torch-rnn":  # PyTorch bounds RNN weights by 1/√hidden
                fan_in = spec.fan_out or TYPICAL_WIDTH
            tag = self.tag(layer) + ("" if piece == (0, 1) else f"_{piece[0]}")
            ws = [self.declare(f"W_{tag}" + (f"_{j}" if len(parts) > 1 else ""), "param",
                               (rows, p.dim), layer.span,
                               declared_init(layer, "weight", f"{spec.framework}-weight", fan_in,
                                             whole=len(parts) == 1 and piece == (0, 1)),
                               fan_in=fan_in, layer=index) for j, p in enumerate(parts)]
            b = (self.declare(f"b_{tag}", "param", (rows,), layer.span,
                              declared_init(layer, "bias", f"{spec.framework}-bias", fan_in),
                              fan_in=fan_in, layer=index)
                 if spec.bias else None)
            if self.layers[index - 1][1] is None:
                self.layers[index - 1] = (self.layers[index - 1][0], ws[0].value, layer.span)
            layer.built[key] = (ws, b, rows)
        ws, b, rows = layer.built[key]
        z = None
        for w, p in zip(ws, parts, strict=True):
            if p.node.op == "num":  # a zero state (h0 = 0): W @ 0 adds nothing
                if p.node.value != 0:
                    raise Unsupported(where, "a layer applied to a constant tensor")
                continue
            term = call("matmul", w, p.node)
            z = term if z is None else add(z, term)
        if z is None:
            z = num(0)
        if spec.window > 1:  # a convolution sums window x fan-in products
            z = mul(num(Fraction(math.sqrt(spec.window)).limit_denominator(10**6)), z)
        if b is not None:
            z = add(z, b)
        return z, rows

    def unique(self, base: str) -> str:
        """``base``, or ``base_2``, ``base_3``... when another parameter has it
        (two LayerNorms each with ``self.weight``)."""
        name, n = base, 1
        while name in self.tags or name in self.decls:
            n += 1
            name = f"{base}_{n}"
        self.tags.add(name)
        return name

    def tag(self, layer: Layer) -> str:
        """A name for ``layer``'s parameters, unique among the layers (two
        layers built with one label, as by a loop, get _2, _3...)."""
        if "tag" not in layer.built:
            base = _safe(layer.label or layer.spec.ctor)
            tag, n = base, 1
            while tag in self.tags:
                n += 1
                tag = f"{base}_{n}"
            self.tags.add(tag)
            layer.built["tag"] = tag
        return layer.built["tag"]

    # ---- calls -------------------------------------------------------------
    def call_value(self, f, args: list, kwargs: dict, where):
        if isinstance(f, Layer):
            return self.call_layer(f, args, kwargs, where)
        if isinstance(f, Seq):
            value = args[0] if args else None
            for item in f.items:
                value = self.call_value(item, [value], {}, where)
            return value
        if isinstance(f, Mod):
            entry = next((n for name in ("forward", "__call__") for n in f.cls.body
                          if isinstance(n, ast.FunctionDef) and n.name == name), None)
            if entry is None:  # inherited: class Linear(Bottle, nn.Linear): pass
                method = f.attrs.get("forward", f.attrs.get("__call__"))
                if isinstance(method, Func):
                    return self.call_function(method.node, f, args, kwargs)
                if isinstance(f.attrs.get("<super>"), Layer):
                    return self.call_layer(f.attrs["<super>"], args, kwargs, where)
                raise Unsupported(where, f"{f.cls.name} has no forward")
            return self.call_function(entry, f, args, kwargs)
        if isinstance(f, Func):
            return self.call_function(f.node, f.bound, args, kwargs)
        if isinstance(f, Closure):
            fn = ast.FunctionDef(name="<lambda>", args=f.node.args,
                                 body=[ast.copy_location(ast.Return(f.node.body), f.node)],
                                 decorator_list=[], returns=None, type_params=[])
            ast.copy_location(fn, f.node)
            return self.call_function(fn, None, args, kwargs, closure=f.env)
        if isinstance(f, Ref):
            return self.call_library(f, args, kwargs, where)
        if isinstance(f, Unknown):
            raise Unsupported(where, f.why)
        if isinstance(f, Lazy) and f.argument and f.made is None and len(args) == 1 and (
                not kwargs and self.depth == 1):
            # forward(self, x, sublayer): sublayer(self.norm(x)) with whatever the caller
            # passes; on its own, the identity, and no verdict (the sublayer decides it)
            self.unmodelled.append(f"{f.name} is an argument of forward called as a function "
                                   f"(line {where.lineno}): read as the identity, and what "
                                   "a caller passes is not measured here")
            return args[0]
        raise Unsupported(where, f"{ast.unparse(where)[:50]} is not a function chainlens reads")

    def call_function(self, fn: ast.FunctionDef, bound, args: list, kwargs: dict,
                      closure: dict | None = None):
        self.depth += 1
        if self.depth > 24:
            raise Unsupported(fn, "calls nested more than 24 deep")
        try:
            return Body(self, fn, bound, args, kwargs, closure).run()
        finally:
            self.depth -= 1

    def call_library(self, f: Ref, args, kwargs, where):
        return call_library(self, f, args, kwargs, where)
