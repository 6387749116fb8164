"""PyTorch's encoder-decoder layers as their documented composition:
``nn.TransformerDecoderLayer``, ``nn.TransformerDecoder`` and
``nn.Transformer`` (``nn.TransformerEncoderLayer`` and ``nn.TransformerEncoder``
are read in :mod:`python_apply` / :mod:`python_init_calls`).

Read as ``torch/nn/modules/transformer.py`` computes them, attention at one
position (softmax over one key is 1: an attention's output is
``out_proj(v_proj(value))``, its query and key get no gradient), dropout the
identity at evaluation, LayerNorm without its affine part (gain ones, shift
zeros at initialisation):

* decoder layer, post-norm: ``x = norm1(x + sa(x))``, ``x = norm2(x +
  mha(x, memory))``, ``x = norm3(x + ff(x))``; pre-norm (``norm_first``): ``x = x
  + sa(norm1(x))``, ``x = x + mha(norm2(x), memory)``, ``x = x + ff(norm3(x))``;
  ``ff`` = ``linear2(act(linear1(x)))``;
* ``nn.Transformer``: ``memory = norm(encoder layers(src))``, ``out =
  norm(decoder layers(tgt, memory))``, every weight matrix re-drawn by its
  ``_reset_parameters`` with ``xavier_uniform_`` (so a Linear's and an
  out-projection's weight is Xavier-uniform, its bias keeps its default: a
  Linear's U(±1/√fan_in), an attention's zeros; the packed in-projection is
  Xavier over (3E, E) either way).
"""

from __future__ import annotations

import ast

from chainlens.engine.core.nodes import sym
from chainlens.engine.frontends.python_ast import dotted
from chainlens.engine.frontends.python_init_laws import InitCall
from chainlens.engine.frontends.python_layers import LayerSpec, apply_op, normalise
from chainlens.engine.frontends.python_values import (
    UNROLLED_STEPS,
    Const,
    Layer,
    Tensor,
    Unsupported,
)

__all__ = ["TRANSFORMERS", "transformer_call", "stack", "decoder_stack"]

#: the layer kinds this module applies
TRANSFORMERS = frozenset({"decoder", "decoders", "transformer"})

_XAVIER = InitCall("xavier_uniform_", (("gain", 1.0),),
                   "xavier_uniform_ of every matrix (nn.Transformer._reset_parameters)")


def stack(layer: Layer, count, norm, label: str) -> Layer:
    """``nn.TransformerDecoder(decoder_layer, num_layers, norm)``: ``count``
    deep copies of the layer (each its own weights), then the norm."""
    spec = layer.spec
    return Layer(LayerSpec("decoders", "TransformerDecoder", spec.fan_in, spec.fan_out,
                           bias=spec.bias, op=spec.op, norm_first=spec.norm_first,
                           depth=(0, count), final_norm=norm), label, layer.span)


def decoder_stack(reader, node: ast.Call, env: dict, mod, label: str):
    """``nn.TransformerDecoder(decoder_layer, num_layers=N, norm=nn.LayerNorm(d))``
    in ``__init__``; None for any other call."""
    parts = dotted(node.func) or [""]
    if parts[-1] != "TransformerDecoder" or not node.args:
        return None
    layer = reader._value(node.args[0], env, mod, label)
    if not (isinstance(layer, Layer) and layer.spec.kind == "decoder"):
        return None
    kwargs = {k.arg: k.value for k in node.keywords if k.arg}
    count_node = node.args[1] if len(node.args) > 1 else kwargs.get("num_layers")
    count = reader._value(count_node, env, mod, label) if count_node is not None else None
    n = count.value if isinstance(count, Const) and isinstance(count.value, int) else None
    if n is None or not 0 < n <= 64:
        reader.notes.append(f"TransformerDecoder of a depth the file does not fix: read with "
                            f"{UNROLLED_STEPS} layers")
        n = UNROLLED_STEPS
    norm_node = node.args[2] if len(node.args) > 2 else kwargs.get("norm")
    norm = reader._value(norm_node, env, mod, label) if norm_node is not None else None
    return stack(layer, n, isinstance(norm, Layer) and norm.spec.kind == "norm", label)


def _inner(layer: Layer, part: str, spec: LayerSpec, xavier: bool) -> Layer:
    made = layer.built.get(part)
    if made is None:
        made = Layer(spec, f"{layer.label}.{part}", layer.span)
        if xavier:
            _xavier(made)
        layer.built[part] = made
    return made


def _xavier(layer: Layer) -> None:
    """nn.Transformer's re-draw of the matrices of ``layer`` (an encoder or
    decoder layer, or a linear / attention inside one)."""
    spec = layer.spec
    if spec.kind == "linear":
        layer.init = {"weight": _XAVIER}
    elif spec.kind == "attention":  # the out-projection; the in-projection is Xavier already
        _inner(layer, "out_proj", LayerSpec("linear", spec.ctor, spec.fan_out, spec.fan_out,
                                            bias=spec.bias, framework="torch-mha-out"), True)
    elif spec.kind == "encoder":
        d, ff = spec.fan_in, spec.fan_out
        _inner(layer, "self_attn", LayerSpec("attention", "MultiheadAttention", d, d,
                                             bias=spec.bias), True)
        _inner(layer, "linear1", LayerSpec("linear", "Linear", d, ff, bias=spec.bias), True)
        _inner(layer, "linear2", LayerSpec("linear", "Linear", ff, d, bias=spec.bias), True)


def _decoder_layer(fw, layer: Layer, x: Tensor, memory: Tensor, xavier: bool, where) -> Tensor:
    spec = layer.spec
    d, ff = spec.fan_in, spec.fan_out

    def attn(part: str) -> Layer:
        return _inner(layer, part, LayerSpec("attention", "MultiheadAttention", d, d,
                                             bias=spec.bias), xavier)

    lin1 = _inner(layer, "linear1", LayerSpec("linear", "Linear", d, ff, bias=spec.bias), xavier)
    lin2 = _inner(layer, "linear2", LayerSpec("linear", "Linear", ff, d, bias=spec.bias), xavier)

    def named(node, dim) -> Tensor:
        return Tensor(sym(fw.bind("h", node, where)), dim)

    def norm(h: Tensor) -> Tensor:
        return named(normalise(h.node, None, None), h.dim)

    def attend(part: str, query: Tensor, value: Tensor) -> Tensor:
        return fw.tensor(fw.attention(attn(part), [query, value, value], {}, where).items[0],
                         where)

    def feed(h: Tensor) -> Tensor:
        hidden = fw.tensor(fw.call_layer(lin1, [h], {}, where), where)
        return fw.tensor(fw.call_layer(lin2, [named(apply_op(spec.op, hidden.node),
                                                    hidden.dim)], {}, where), where)

    plus = ast.Add()
    if spec.norm_first:
        x = fw.binop(plus, x, attend("self_attn", norm(x), norm(x)), where)
        x = fw.binop(plus, x, attend("multihead_attn", norm(x), memory), where)
        return fw.binop(plus, x, feed(norm(x)), where)
    x = norm(fw.binop(plus, x, attend("self_attn", x, x), where))
    x = norm(fw.binop(plus, x, attend("multihead_attn", x, memory), where))
    return norm(fw.binop(plus, x, feed(x), where))


def _argument(args: list, kwargs: dict, index: int, name: str):
    if len(args) > index and not (isinstance(args[index], Const) and args[index].value is None):
        return args[index]
    return kwargs.get(name)


def transformer_call(fw, layer: Layer, args: list, kwargs: dict, where) -> Tensor:
    """A decoder layer or stack called as ``(tgt, memory)``, or
    ``nn.Transformer`` called as ``(src, tgt)``; masks change nothing at one
    position."""
    spec = layer.spec
    xavier = spec.kind == "transformer"
    if spec.kind == "transformer":
        src, tgt = _argument(args, kwargs, 0, "src"), _argument(args, kwargs, 1, "tgt")
        memory_in = None
    else:
        tgt, memory_in = _argument(args, kwargs, 0, "tgt"), _argument(args, kwargs, 1, "memory")
        src = None
    if tgt is None or (src is None and memory_in is None):
        raise Unsupported(where, f"nn.{spec.ctor} called without its inputs")
    if spec.kind == "decoder":
        return _decoder_layer(fw, layer, fw.tensor(tgt, where), fw.tensor(memory_in, where),
                              False, where)
    encoders, decoders = spec.depth
    if encoders is None or decoders is None:
        fw.notes.append(f"nn.{spec.ctor} of a depth the file does not fix: read with "
                        f"{UNROLLED_STEPS} encoder and decoder layers")
        encoders = UNROLLED_STEPS if encoders is None else encoders
        decoders = UNROLLED_STEPS if decoders is None else decoders
    if src is not None:
        memory = fw.tensor(src, where)
        enc_spec = LayerSpec("encoder", "TransformerEncoderLayer", spec.fan_in, spec.fan_out,
                             bias=spec.bias, op=spec.op, norm_first=spec.norm_first)
        for i in range(encoders):
            sub = _inner(layer, f"encoder.layers.{i}", enc_spec, xavier)
            memory = fw.encoder_layer(sub, memory, where)
        memory = Tensor(sym(fw.bind("h", normalise(memory.node, None, None), where)), memory.dim)
    else:
        memory = fw.tensor(memory_in, where)
    x = fw.tensor(tgt, where)
    dec_spec = LayerSpec("decoder", "TransformerDecoderLayer", spec.fan_in, spec.fan_out,
                         bias=spec.bias, op=spec.op, norm_first=spec.norm_first)
    for i in range(decoders):
        sub = _inner(layer, f"decoder.layers.{i}", dec_spec, False)
        x = _decoder_layer(fw, sub, x, memory, xavier, where)
    if spec.final_norm:
        x = Tensor(sym(fw.bind("h", normalise(x.node, None, None), where)), x.dim)
    note = (f"nn.{spec.ctor} read as its documented composition, attention at one position"
            + (" (its _reset_parameters: every matrix xavier_uniform_)" if xavier else ""))
    if note not in fw.notes:
        fw.notes.append(note)
    return x
