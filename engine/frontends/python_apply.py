"""What applying a layer or an operator to tensors builds, inside a
model's ``forward``: ``self.fc(x)`` (a :class:`Linear` waiting to be cut
into gates or summed), norms, activations, losses, recurrent layers at one
step, ``@`` and the arithmetic of tensors and sizes.

Split from :mod:`python_eval` by role: that module holds the program being
built (declarations, bindings, tensors of values) and the calls; this one
the meaning of each application.  :class:`Apply` is a mixin of its
``_Forward``.
"""

from __future__ import annotations

import ast
from fractions import Fraction

from chainlens.engine.core.ir import add, call, div, mul, neg, power, sub
from chainlens.engine.core.nodes import num, sym
from chainlens.engine.frontends.python_concat import (
    concat_binop,
    concat_matmul,
    features,
    normalise_parts,
)
from chainlens.engine.frontends.python_flax import flax_attention
from chainlens.engine.frontends.python_flow_ops import repeated_list, shape_sum
from chainlens.engine.frontends.python_init import const_binop
from chainlens.engine.frontends.python_init_laws import constant_value, declared_init
from chainlens.engine.frontends.python_layers import (
    RNN_GATES,
    LayerSpec,
    apply_op,
    gru_cell,
    loss,
    lstm_carry,
    normalise,
    rnn_step,
)
from chainlens.engine.frontends.python_library import MEASURED_WIDTH, loss_operands
from chainlens.engine.frontends.python_transformer import TRANSFORMERS, transformer_call
from chainlens.engine.frontends.python_values import (
    TYPICAL_WIDTH,
    Concat,
    Const,
    Dim,
    Layer,
    Lazy,
    Linear,
    Mask,
    Param,
    Positions,
    Shape,
    Tensor,
    Tup,
    Unknown,
    Unsupported,
)

__all__ = ["Apply"]


#: normalisation layers whose statistics run over the batch or over the
#: positions of a feature map: not what a per-sample, one-position program is
BATCH_STATISTICS = ("BatchNorm", "GroupNorm", "InstanceNorm", "SyncBatchNorm")


class Apply:
    def call_layer(self, layer: Layer, args, kwargs, where):
        spec = layer.spec
        if not args and spec.kind != "loss":  # self.fc(input=x), nn.Dense(...)(inputs=x)
            given = next((kwargs[k] for k in ("input", "x", "inputs", "hidden_states")
                          if k in kwargs), None)
            args = [given] if given is not None else args
        x = args[0] if args else None
        if isinstance(x, Concat) and x.stacked and spec.kind in ("linear", "conv", "norm", "act",
                                                                 "shape"):
            # lm_head(torch.stack(hiddens, 1)): each step through the one layer
            return Concat([self.tensor(self.call_layer(layer, [p], kwargs, where), where)
                           for p in x.parts], stacked=True)
        if spec.kind in ("linear", "conv"):
            if isinstance(x, Linear):
                x = self.materialise(x, where)
            if spec.framework == "flax":
                return Tensor(*self._applied(layer, x, where))
            lin = Linear([(layer, x)])
            if spec.kind == "conv":
                # a conv's output too stays a sum of layer applications, so that
                # torch.split(conv(x), hidden, dim=1) cuts its channels (a
                # ConvLSTM's gates) by the weight's rows; its row of the flow
                # table is where it is called, and one never used is still built
                self.layer_row(layer)
                self.pending.append((lin, where))
            return lin
        if spec.kind == "rnn":
            return self.recurrent(layer, args, where)
        if spec.kind in TRANSFORMERS:  # nn.Transformer, TransformerDecoder(Layer)
            return transformer_call(self, layer, args, kwargs, where)
        if spec.kind == "attention" and spec.framework == "flax":
            return flax_attention(self, layer, args, kwargs, where)
        if spec.kind == "attention":
            return self.attention(layer, args, kwargs, where)
        if spec.kind == "encoder":
            return self.encoder_layer(layer, self.tensor(x, where), where)
        if isinstance(x, Concat) and (spec.kind in ("shape", "act") or (
                spec.kind == "norm" and spec.ctor.startswith(("BatchNorm", "InstanceNorm")))):
            # per feature (a batch norm normalises each channel alone): part by part
            return Concat([self.call_layer(layer, [p], kwargs, where) for p in x.parts])
        if spec.kind == "frozen":  # Embedding.from_pretrained(table): no weight to learn
            if "table" not in layer.built:
                node = self.declare(f"table_{self.tag(layer)}", "input", (Dim(),), layer.span,
                                    "input")
                self.inputs.append(node.value)
                self.notes.append("nn.Embedding.from_pretrained (frozen): its rows are an "
                                  "input of unit variance, not a weight")
                layer.built["table"] = Tensor(node, self.decls[node.value][1][0])
            return layer.built["table"]
        if spec.kind == "embedding":
            if (0, 1) not in layer.built:
                self.layers.append((self.row_name(layer, spec.ctor), None, layer.span))
                dim = Dim(spec.fan_out if isinstance(spec.fan_out, int) else None)
                flax = spec.framework == "flax"  # Flax: N(0, 1/features), torch N(0, 1)
                e = self.declare(f"E_{self.tag(layer)}", "param", (dim,), layer.span,
                                 declared_init(layer, "weight", "flax-embed" if flax else (
                                     "haiku-embed" if spec.framework == "haiku" else "normal")),
                                 fan_in=min(dim.value or TYPICAL_WIDTH, MEASURED_WIDTH)
                                 if flax else None,
                                 layer=len(self.layers))
                self.layers[-1] = (self.layers[-1][0], e.value, layer.span)
                layer.built[(0, 1)] = (e, dim)
            e, dim = layer.built[(0, 1)]
            return Tensor(e, dim)
        if spec.kind == "loss":  # self.loss(input=y, target=t), nn.SmoothL1Loss(beta=0.5)
            a, b = loss_operands(args, kwargs, where)
            ta, tb = self.tensor(a, where), self.tensor(b, where)
            if spec.op == "bce":
                self.probabilities(ta, tb)
            node, scalar = loss(spec.op, ta.node, tb.node, spec.reduction, spec.slope)
            return Tensor(node, Dim(1) if scalar else ta.dim, scalar=scalar)
        if spec.kind == "norm" and features(x):  # a LayerNorm / GroupNorm of torch.cat(...)
            return self._norm_parts(layer, x, where)
        t = self.tensor(x, where)
        if spec.kind == "shape":
            return t
        if spec.kind == "norm":
            if spec.ctor.startswith(BATCH_STATISTICS):
                self.unmodelled.append(f"nn.{spec.ctor} normalises each channel over the batch "
                                       "(and the positions) as PyTorch trains it; chainlens "
                                       "reads it as one sample's features normalised")
            return Tensor(self._norm_constants(layer, normalise(t.node, None, None)), t.dim)
        if spec.kind == "act":
            return Tensor(apply_op(spec.op, t.node, t.scalar, spec.slope), t.dim, t.scalar)
        raise Unsupported(where, f"nn.{spec.ctor} is not modelled")

    def _norm_parts(self, layer: Layer, x: Concat, where) -> Concat:
        """A norm layer of a feature concatenation: one mean and variance over
        all the parts (python_concat), then the constants the file sets."""
        if layer.spec.ctor.startswith(BATCH_STATISTICS):
            self.unmodelled.append(f"nn.{layer.spec.ctor} normalises each channel over the "
                                   "batch (and the positions) as PyTorch trains it; chainlens "
                                   "reads it as one sample's features normalised")
        normed = normalise_parts(self, x, where)
        return Concat([Tensor(self._norm_constants(layer, p.node), p.dim) for p in normed.parts],
                      normed.stacked, normed.axis, normed.line)

    def probabilities(self, *operands: Tensor) -> None:
        """BCELoss's input and target are probabilities (PyTorch refuses
        values outside [0, 1]): a forward argument passed straight to it is
        drawn in U(0, 1), not at unit variance, where log(p) and log(1 - p)
        would be NaN at nearly every draw (a "becomes NaN" error the file
        never meets)."""
        for t in operands:
            name = t.node.value if t.node.op == "sym" else None
            entry = self.decls.get(name) if name is not None else None
            if entry is None or entry[0] != "input" or entry[3] != "input":
                continue
            self.decls[name] = (*entry[:3], "unit", *entry[4:])
            note = ("BCELoss's input and target are probabilities: forward's arguments "
                    "passed to it are drawn in U(0, 1)")
            if note not in self.notes:
                self.notes.append(note)

    def _norm_constants(self, layer: Layer, node):
        """A norm's gain and shift the file sets to constants (a residual
        block's last norm at γ = 0, torchvision's zero_init_residual, Flax's
        ``scale_init=zeros``: the block starts as the identity): applied as
        written.  Any other draw of them stays unused, and its model is not
        measured (finish_inits)."""
        inits = getattr(layer, "init", {})
        for attr in ("weight", "bias"):
            value = constant_value(inits.get(attr))
            if value is None:
                continue
            inits[("used", attr)] = True
            c = num(Fraction(repr(value)))
            node = mul(c, node) if attr == "weight" else add(node, c)
        return node

    def attention(self, layer: Layer, args, kwargs, where):
        """``nn.MultiheadAttention`` read at one position, as a written-out
        attention is: softmax over one key is 1, so the output is
        ``out_proj(v_proj(value))`` and the query and key projections get no
        gradient.  PyTorch initialises the packed in-projection Xavier-uniform
        over (3E, E) with zero bias, the out-projection as a Linear with zero
        bias; returns (output, weights) as PyTorch does."""
        spec = layer.spec
        value = args[2] if len(args) > 2 else kwargs.get("value", args[0] if args else None)
        inner = {}
        for part, fan_in, framework in (("in_proj_v", spec.fan_in, "torch-mha-in"),
                                        ("out_proj", spec.fan_out, "torch-mha-out")):
            inner[part] = layer.built.setdefault(part, Layer(
                LayerSpec("linear", spec.ctor, fan_in, spec.fan_out, bias=spec.bias,
                          framework=framework), f"{layer.label}.{part}", layer.span))
        v = Tensor(*self._applied(inner["in_proj_v"], self.tensor(value, where), where))
        out = Tensor(*self._applied(inner["out_proj"], v, where))
        self.notes.append("nn.MultiheadAttention read at one position: the output is "
                          "out_proj(v_proj(value))")
        return Tup([out, Const(None)])

    def encoder_layer(self, layer: Layer, x: Tensor, where) -> Tensor:
        """``nn.TransformerEncoderLayer`` as PyTorch computes it, with its
        self-attention read at one position: ``x = norm(x + sa(x))``, then
        ``x = norm(x + linear2(act(linear1(x))))`` (pre-norm when
        ``norm_first``); dropout is the identity at evaluation."""
        spec = layer.spec
        d, ff = spec.fan_in, spec.fan_out

        def inner(part: str, sub: LayerSpec) -> Layer:
            return layer.built.setdefault(part, Layer(sub, f"{layer.label}.{part}", layer.span))

        attn = inner("self_attn", LayerSpec("attention", "MultiheadAttention", d, d,
                                            bias=spec.bias))
        lin1 = inner("linear1", LayerSpec("linear", "Linear", d, ff, bias=spec.bias))
        lin2 = inner("linear2", LayerSpec("linear", "Linear", ff, d, bias=spec.bias))

        def named(node, dim) -> Tensor:
            return Tensor(sym(self.bind("h", node, where)), dim)

        def norm(h: Tensor) -> Tensor:
            return named(normalise(h.node, None, None), h.dim)

        def sa(h: Tensor) -> Tensor:
            return self.tensor(self.attention(attn, [h, h, h], {}, where).items[0], where)

        def feed(h: Tensor) -> Tensor:
            hidden = self.tensor(self.call_layer(lin1, [h], {}, where), where)
            act = named(apply_op(spec.op, hidden.node), hidden.dim)
            return self.tensor(self.call_layer(lin2, [act], {}, where), where)

        plus = ast.Add()
        if spec.norm_first:
            x = self.binop(plus, x, sa(norm(x)), where)
            return self.binop(plus, x, feed(norm(x)), where)
        x = norm(self.binop(plus, x, sa(x), where))
        return norm(self.binop(plus, x, feed(x), where))

    def recurrent(self, layer: Layer, args: list, where):
        """``nn.LSTM``/``GRU``/``RNN`` at one time step from a zero state: the
        input weights cut by rows into the gates (W_hh meets h0 = 0).  An
        ``LSTMCell``/``RNNCell`` given a state (``cell(x_t, (h, c))`` in a time
        loop) adds ``W_hh @ h`` to its gates and ``σ(f)·c`` to its cell, so the
        gradient crosses the steps as in PyTorch."""
        spec = layer.spec
        gates = RNN_GATES[spec.ctor]
        hidden = spec.fan_out if isinstance(spec.fan_out, int) else None
        wide = LayerSpec("linear", spec.ctor, spec.fan_in, hidden * gates if hidden else None,
                         framework="torch-rnn")
        inner = layer.built.setdefault("gates", Layer(wide, layer.label, layer.span))
        x = args[0] if args else None  # a concatenated input: one weight block per part
        terms = [(inner, x if isinstance(x, Concat) else self.tensor(x, where))]
        h_prev, c_prev = self._state(spec.ctor, args[1] if len(args) > 1 else None, where)
        if h_prev is not None and gates == 3:
            return self._gru_step(layer, terms[0], h_prev, hidden, where)
        if h_prev is not None:
            wide_h = LayerSpec("linear", spec.ctor, hidden, hidden * gates if hidden else None,
                               framework="torch-rnn")
            inner_h = layer.built.setdefault("hidden", Layer(wide_h, f"{layer.label}.hh",
                                                             layer.span))
            terms.append((inner_h, h_prev))
        z = [self.materialise(Linear(terms), where, piece=(j, gates)) for j in range(gates)]
        self.notes.append(f"nn.{spec.ctor} read as one time step "
                          + ("with the state it is given" if h_prev is not None
                             else "from a zero state"))
        cell, h = rnn_step([g.node for g in z])
        if cell is not None:
            if c_prev is not None:  # c = σ(f)·c_prev + σ(i)·tanh(g)
                cell = lstm_carry(z[1].node, c_prev.node, cell)
            c_name = sym(self.bind("c", cell, where))
            h = Tensor(sym(self.bind("h", h(c_name), where)), z[0].dim)
            c_t = Tensor(c_name, z[0].dim)
            return Tup([h, c_t]) if spec.ctor == "LSTMCell" else Tup([h, Tup([h, c_t])])
        h_t = Tensor(sym(self.bind("h", h, where)), z[0].dim)
        return h_t if spec.ctor.endswith("Cell") else Tup([h_t, h_t])

    def _gru_step(self, layer: Layer, term, h_prev: Tensor, hidden, where) -> Tensor:
        """``nn.GRUCell(x, h)`` as PyTorch computes it: r, z = σ(W_i x + W_h h),
        n = tanh(W_in x + r·(W_hn h + b_hn)), h' = (1 - z)·n + z·h."""
        spec = layer.spec
        wide_h = LayerSpec("linear", spec.ctor, hidden, hidden * 3 if hidden else None,
                           framework="torch-rnn")
        inner_h = layer.built.setdefault("hidden", Layer(wide_h, f"{layer.label}.hh",
                                                         layer.span))
        xi = [self.materialise(Linear([term]), where, piece=(j, 3)) for j in range(3)]
        hh = [self.materialise(Linear([(inner_h, h_prev)]), where, piece=(j, 3))
              for j in range(3)]
        self.notes.append("nn.GRUCell read as one time step with the state it is given")
        h = gru_cell([g.node for g in xi], [g.node for g in hh], h_prev.node)
        return Tensor(sym(self.bind("h", h, where)), xi[0].dim)

    def _state(self, ctor: str, state, where):
        """The (h, c) a recurrent cell is given, as tensors (None for a zero
        or absent state; nn.LSTM/GRU/RNN are read from zero)."""
        if ctor not in ("LSTMCell", "RNNCell", "GRUCell") or state is None:
            return None, None
        parts = list(state.items) if isinstance(state, Tup) else [state]
        if ctor == "LSTMCell" and len(parts) != 2:
            return None, None

        def live(v):
            if not isinstance(v, Tensor | Lazy | Linear):
                return None
            t = self.tensor(v, where)
            return None if t.node.op == "num" else t

        return live(parts[0]), (live(parts[1]) if len(parts) > 1 else None)

    def _applied(self, layer, x, where):
        z, rows = self.apply_weights(layer, x, where)
        return sym(self.bind("z", z, where)), rows

    def matmul(self, a: Tensor, b: Tensor) -> Tensor:
        """``x @ W`` with ``W`` a parameter [in, out] (declared transposed, once,
        however often it is used), ``W @ x`` with ``W`` [out, in]; between two
        activations, attention read at one position (q @ kᵀ is one score)."""
        transposed = self.transposed

        def matrix(t: Tensor) -> bool:
            decl = self.decls.get(t.node.value) if t.node.op == "sym" else None
            return decl is not None and decl[0] == "param" and len(decl[1]) == 2

        if matrix(b) and not (matrix(a) and a.node.value in transposed):
            name = b.node.value
            role, dims, span, init, fan_in, layer = self.decls[name]
            if name not in transposed:  # x @ W with W [in, out]: W is read transposed
                transposed.add(name)
                dims = (dims[1], dims[0])
                self.decls[name] = (role, dims, span, init, fan_in, layer)
            a.dim.unify(dims[1])
            if a.node.op == "num" and a.node.value == 0:
                return Tensor(a.node, dims[0])  # h0 @ U with h0 = 0
            return Tensor(call("matmul", b.node, a.node), dims[0])
        if matrix(a):  # W @ x with W [out, in]
            role, dims, span, init, fan_in, layer = self.decls[a.node.value]
            if a.node.value not in transposed:
                self.decls[a.node.value] = (role, dims, span, init, dims[1].value or fan_in,
                                            layer)
            b.dim.unify(dims[1])
            if b.node.op == "num" and b.node.value == 0:
                return Tensor(b.node, dims[0])
            return Tensor(call("matmul", a.node, b.node), dims[0])
        self.notes.append("attention read at one position: q @ kᵀ is one score, softmax "
                          "over one key is 1")
        if a.scalar or b.scalar or a.dim.value == 1:  # att @ v with one score
            # (a width-1 operand: softmax over one source position, bmm(a, enc_out))
            return Tensor(mul(a.node, b.node), b.dim if a.scalar or a.dim.value == 1 else a.dim)
        a.dim.unify(b.dim)
        return Tensor(call("sum", mul(a.node, b.node)), Dim(1), scalar=True)

    # ---- arithmetic ------------------------------------------------------
    def binop(self, op: ast.operator, a, b, where):
        if isinstance(a, Const) and isinstance(b, Const):
            if a.value is None or b.value is None:
                return Const(None)  # C // self.n_head of a size the file does not fix
            r = const_binop(op, a.value, b.value)
            if r is None:
                raise Unsupported(where, f"{ast.unparse(where)[:40]} is not arithmetic")
            return Const(r)
        if isinstance(a, Const | Unknown) and isinstance(b, Const | Unknown):
            return Const(None)  # d_model // self.num_heads with num_heads not fixed
        if isinstance(a, Tup) and isinstance(b, Tup) and isinstance(op, ast.Add):
            return Tup(a.items + b.items)  # outputs += [y]
        if isinstance(op, ast.Add) and (isinstance(a, Shape) and isinstance(b, Shape | Tup)
                                        or isinstance(a, Tup) and isinstance(b, Shape)):
            return shape_sum(self, a, b)  # x.size()[:-1] + (self.nf,): a view's sizes
        if isinstance(a, Tup) and isinstance(b, Const) and isinstance(op, ast.Mult) and (
                isinstance(b.value, int) and 0 <= b.value <= 64):
            return Tup(a.items * b.value)  # [None] * self.num_layers
        repeated = repeated_list(op, a, b, self.notes)  # [h] * n of a count not fixed
        if repeated is not None:
            return repeated
        def fixed(v) -> bool:  # a constant or a tensor of one written value (np.ones)
            return isinstance(v, Mask | Const) or (isinstance(v, Tensor) and v.node.op == "num")

        if (isinstance(a, Mask) and fixed(b)) or (isinstance(b, Mask) and fixed(a)):
            return Mask()  # pad_mask + subsequent_mask: still a mask of the data
        if isinstance(a, Positions) and isinstance(b, Const | Positions):
            return a
        if isinstance(b, Positions) and isinstance(a, Const):
            return b
        if isinstance(op, ast.MatMult) and (isinstance(a, Concat) or isinstance(b, Concat)):
            hit = concat_matmul(self, a, b, where)  # x @ W, q @ kᵀ of concatenated features
            if hit is not None:
                return hit
        hit = concat_binop(self, op, a, b, where)  # torch.cat(heads) * scale
        if hit is not None:
            return hit
        if isinstance(a, Concat) and isinstance(b, Concat) and len(a.parts) == len(b.parts) and (
                all(p.dim.value == q.dim.value for p, q in zip(a.parts, b.parts, strict=True))):
            # fire(x) + x of two concatenations cut alike (SqueezeNet): part by part
            return Concat([self.binop(op, p, q, where) for p, q in zip(a.parts, b.parts,
                                                                       strict=True)], a.stacked,
                          a.axis if a.axis == b.axis else None)
        if isinstance(a, Concat) and isinstance(b, Const) and isinstance(
                op, ast.Mult | ast.Div | ast.Add | ast.Sub):
            return Concat([self.binop(op, p, b, where) for p in a.parts], a.stacked, a.axis)
        a, b = self._epsilon(a), self._epsilon(b)
        unknown = self._unknown_factor(op, a, b, where)
        if unknown is not None:
            return unknown
        if isinstance(op, ast.Add) and isinstance(a, Linear) and isinstance(b, Linear):
            return Linear(a.terms + b.terms)
        if isinstance(op, ast.MatMult):
            return self.matmul(self.tensor(a, where), self.tensor(b, where))
        ta, tb = self.tensor(a, where), self.tensor(b, where)
        if not (ta.scalar or tb.scalar) and ta.dim.value != 1 and tb.dim.value != 1:
            ta.dim.unify(tb.dim)
        dim = tb.dim if ta.scalar else ta.dim
        table = {ast.Add: add, ast.Sub: sub, ast.Mult: mul, ast.Div: div, ast.Pow: power}
        fn = table.get(type(op))
        if fn is None:
            raise Unsupported(where, f"operator {type(op).__name__} is not read")
        return Tensor(fn(ta.node, tb.node), dim, ta.scalar and tb.scalar)

    def _unknown_factor(self, op, a, b, where):
        """A tensor times, over, plus or minus a size the file does not fix
        (``scores / math.sqrt(self.d_k)`` with ``d_k`` an argument): the
        tensor itself, and the hover says so.  A shift changes no gradient; a
        scale is read as 1 (None when neither side is such a size)."""
        def size(v):
            return (isinstance(v, Const) and v.value is None) or isinstance(v, Unknown)
        tensors = (Tensor, Lazy, Linear, Param)
        if size(b) and isinstance(a, tensors) and isinstance(
                op, ast.Add | ast.Sub | ast.Mult | ast.Div):
            t = self.tensor(a, where)
        elif size(a) and isinstance(b, tensors) and isinstance(op, ast.Add | ast.Mult):
            t = self.tensor(b, where)
        else:
            return None
        if isinstance(op, ast.Mult | ast.Div):
            self.notes.append(f"`{ast.unparse(where)[:40]}`: a factor the file does not fix "
                              "is read as 1")
        return t

    def _epsilon(self, v):
        """A configured epsilon (``config.norm_eps``) the file does not fix:
        1e-5, PyTorch's default for its norms."""
        if isinstance(v, Unknown) and "eps" in v.why:
            self.notes.append("an epsilon the file does not fix is 1e-5")
            return Const(1e-5)
        return v

    def negate(self, v, where):
        if isinstance(v, Const):
            if v.value is None:  # -emb of a size the file does not fix: still not fixed
                return v
            if not isinstance(v.value, int | float | complex):
                raise Unsupported(where, f"`{ast.unparse(where)[:40]}` negates a value that "
                                  "is not a number")
            return Const(-v.value)
        t = self.tensor(v, where)
        return Tensor(neg(t.node), t.dim, t.scalar)

