"""Gradient flow through a model as its framework's user would measure it.

PyTorch users judge a network by the weight gradients of its layers after
one backward pass at initialisation: ``layer.weight.grad.norm()`` for the
first and the last layer, and their ratio.  :func:`gradient_flow` does the
same through the engine's own kernels: the parameters are drawn from the
ranges the model reader declared (the framework's default initialisation,
:mod:`~chainlens.engine.health.init`), one batched forward and reverse pass
(:func:`~chainlens.engine.health.measure.run`) gives ∂L/∂W for every layer,
and the ratio of the first layer's |∂L/∂W| (Frobenius norm, median over the
seeded draws) to the last layer's decides the verdict's direction.  The
static bound is shown beside it as supporting evidence; it never overrides
the measurement (a bound is an upper bound: it can say "may explode" of a
network that vanishes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from chainlens.engine.core.source import ChainError
from chainlens.engine.core.walk import postorder
from chainlens.engine.health import measure
from chainlens.engine.health.fixes import Remedy
from chainlens.engine.health.init import UNMODELLED, parse_law
from chainlens.engine.health.model_fixes import model_remedies
from chainlens.engine.health.report import Finding
from chainlens.engine.language.program import Program

__all__ = ["LayerFlow", "InputGain", "Flow", "gradient_flow", "input_flow", "verdict_of",
           "is_model", "is_weightless", "judge", "unmeasured", "draws", "VANISHING",
           "EXPLODING", "FLOW_REMEDIES", "flow_remedies"]

#: What to change when a measured flow vanishes or explodes, in words (the
#: editor hover and `chainlens health -v` both print these).
FLOW_REMEDIES = {
    "vanishing": ("a residual connection (`x = x + f(x)`): the identity path carries the "
                  "gradient through every layer",
                  "normalisation (`nn.LayerNorm` / `nn.BatchNorm1d`) after each Linear",
                  "ReLU/GELU instead of sigmoid or tanh, with Kaiming init "
                  "(`nn.init.kaiming_normal_`)"),
    "exploding": ("normalisation (`nn.LayerNorm`) after each layer",
                  "a smaller init scale (`nn.init.xavier_uniform_`), gradient clipping "
                  "(`torch.nn.utils.clip_grad_norm_`)"),
}

#: the activations the "instead of sigmoid or tanh" remedy replaces, and
#: the ones whose vanishing at PyTorch's default init is the init's scale
_SATURATING = frozenset({"sigmoid", "tanh"})
_RECTIFIED = frozenset({"relu", "gelu", "softplus"})
#: a ReLU/GELU network vanishes at PyTorch's default init because
#: U(±1/√fan_in) has 1/6 of He's variance 2/fan_in: each layer scales the
#: gradient by about 1/√6 (40 ReLU Linear(32, 32): torch measures 1e-15
#: first/last at the default init, 3 with kaiming_normal_)
_HE_INIT = ("Kaiming (He) init for the ReLU/GELU layers (`nn.init.kaiming_normal_(w, "
            "nonlinearity='relu')`): PyTorch's default U(±1/√fan_in) has 1/6 of He's "
            "variance, so each layer shrinks the gradient by about 1/√6")
_NORMALISE = ("normalisation after each layer (`nn.LayerNorm` after a Linear, "
              "`nn.BatchNorm2d` / `nn.GroupNorm` after a Conv2d)")


def flow_remedies(verdict: str, program: Program | None = None) -> tuple[str, ...]:
    """The remedies in words for a model's measured flow, only those that
    apply to its program (red team R10): "ReLU/GELU instead of sigmoid or
    tanh" is no remedy for a network that has neither, and a ReLU network's
    vanishing at PyTorch's default init comes from the init's scale, which
    He init fixes (offered only where the weights are at that default).
    Without a program, the general list."""
    remedies = FLOW_REMEDIES.get(verdict, ())
    if verdict != "vanishing" or program is None:
        return remedies
    ops = {n.op for n in postorder([a.expr for a in program.assignments])}
    out = [remedies[0], _NORMALISE]
    if ops & _SATURATING:
        out.append(remedies[2])
    elif ops & _RECTIFIED and any(d.init == "torch-weight" for d in program.declarations):
        out.append(_HE_INIT)  # only where the weights are at PyTorch's default init
    return tuple(out)


#: first/last |∂L/∂W| ratios beyond which a model's gradient is judged
VANISHING = 1e-3
EXPLODING = 1e3
#: |∂L/∂W| of some layer beyond which the gradient explodes whatever the
#: first/last ratio: weights drawn too large (``normal_(std=1.0)`` on width-64
#: ReLU layers: torch measures 1e7-3e8 in every layer, ratio 0.09), the
#: threshold `.chain` programs' health uses for a value's scale
GRADIENT_EXPLODES = 1e6


@dataclass(frozen=True)
class LayerFlow:
    layer: int
    name: str  # the weight's symbol
    grad: float  # median over draws of ‖∂L/∂W‖_F
    ratio: float  # grad / last layer's grad


@dataclass(frozen=True)
class InputGain:
    """The gradient's gain through a module without weights (an activation,
    ``x + pe``, a loss), over one of its inputs: ``gain`` is the median over
    draws of ‖∂L/∂x‖ / ‖∂L/∂y‖ (‖∂L/∂x‖ when the output is a scalar loss);
    ``low``/``high`` the 5th/95th percentiles over coordinates and draws of
    |∂L/∂xᵢ| / |∂L/∂yᵢ| (for an elementwise activation: its derivative's
    range at typical inputs), None when the output is not of x's shape."""

    name: str
    gain: float
    low: float | None = None
    high: float | None = None
    #: False: the output is a scalar (a loss) and ``gain`` is ‖∂L/∂x‖ itself
    relative: bool = True


@dataclass(frozen=True)
class Flow:
    layers: tuple[LayerFlow, ...]
    ratio: float  # first / last
    #: "vanishing" | "exploding" | "healthy" | "flat" (no gradient at all) |
    #: "not judged" (the program's reading cannot stand for PyTorch's: unmodelled)
    verdict: str
    draws: int
    #: weights no gradient reaches in any draw, by construction of the reading
    #: (attention read at one position gives its query and key none; a
    #: detached input's layers): listed, never judged as vanishing
    unreached: tuple[str, ...] = ()
    #: a module without weights: the gradient's gain over each input (no layers)
    inputs: tuple[InputGain, ...] = ()
    #: why the verdict is "not judged" when the program's own unmodelled
    #: readings do not say it (the first layers cut off from the gradient)
    why: str = ""

    def to_dict(self) -> dict:
        return {"ratio": _num(self.ratio), "verdict": self.verdict, "draws": self.draws,
                "unreached": list(self.unreached),
                "inputs": [{"name": g.name, "gain": _num(g.gain),
                            "low": None if g.low is None else _num(g.low),
                            "high": None if g.high is None else _num(g.high),
                            "relative": g.relative}
                           for g in self.inputs],
                "layers": [{"layer": f.layer, "name": f.name, "grad": _num(f.grad),
                            "ratio": _num(f.ratio)} for f in self.layers]}


def _num(x: float):
    return x if math.isfinite(x) else str(x)


def verdict_of(ratio: float) -> str:
    if not math.isfinite(ratio) or ratio < VANISHING:
        return "vanishing" if not (math.isinf(ratio) and ratio > 0) else "exploding"
    return "exploding" if ratio > EXPLODING else "healthy"


def weights(program: Program) -> list[tuple[int, list[str]]]:
    """(layer, weight symbols) of every layer, in order: the parameters of
    each layer index with two axes (an LSTM's gates, a qkv projection cut
    in three are one layer); layers with only vectors (a norm's gain and
    shift) count only in a model that has no matrix at all."""
    by_layer: dict[int, list] = {}
    for d in program.declarations:
        if d.role == "param" and d.layer is not None:
            by_layer.setdefault(d.layer, []).append(d)
    out = []
    for layer in sorted(by_layer):
        decls = by_layer[layer]
        matrices = [d.name for d in decls if len(d.shape) == 2]
        out.append((layer, matrices or [d.name for d in decls], bool(matrices)))
    if any(has for _, _, has in out):  # a norm's gain is not a layer of the flow
        out = [row for row in out if row[2]]
    return [(layer, names) for layer, names, _ in out]


def gradient_flow(program: Program, run: measure.Run | None = None, *, samples: int = 16,
                  seed: int = 0) -> Flow | None:
    """Per-layer weight gradients of ``program`` (a model unit) at seeded
    draws of its declared initialisation; None when it has no layer or
    cannot be run."""
    layers = weights(program)
    if not layers:
        return None
    if run is None:
        ranges = {d.name: (float(d.range[0]), float(d.range[1]))
                  for d in program.declarations if d.range is not None}
        try:
            batch, _ = measure.points_batch(program, ranges, samples, seed)
            run = measure.run(program, program.outputs[0], batch)
        except ChainError:
            return None
    grads, unreached, cut = [], [], []
    for layer, names in layers:
        squares = 0.0  # ‖∂L/∂W‖_F over all of the layer's weights, per draw
        for name in names:
            adj = run.adjoints.get(name)
            if adj is None:
                continue
            arr = np.asarray(adj, dtype=np.float64)
            arr = arr.reshape(arr.shape[0], -1) if arr.ndim > 1 else arr[:, None]
            squares = squares + np.sum(arr * arr, axis=1)
        norms = np.sqrt(squares)
        if not np.any(norms > 0):
            unreached.append(names[0])  # exactly zero in every draw: cut off, not small
            if not grads:
                decl = program.declaration(names[0])
                cut.append(names[0] if decl is None or decl.span is None
                           else f"{names[0]} (line {decl.span.line})")
            continue
        grads.append((layer, names[0], float(np.median(norms))))
    draws = len(next(iter(run.values.values()))) if run.values else 1
    if not grads:
        if cut and not _stopped(program):
            # no layer gets any gradient as read (a softmax over positions read at
            # one position is 1; a norm of one feature is 0): a reading that
            # measures nothing, never "the loss does not reach the weights"
            why = (f"no gradient reaches any layer as read ({_listed(cut)}): a softmax "
                   "read at one position, a norm of a single feature or a "
                   "zero-initialised layer cuts them all off in chainlens's reading, "
                   "so there is no flow to compare")
            return Flow((), math.nan, "not judged", draws, tuple(unreached), why=why)
        return Flow((), math.nan, "flat", draws, tuple(unreached))
    last = grads[-1][2]
    flows = tuple(LayerFlow(layer, name, g, g / last if last > 0 else math.nan)
                  for layer, name, g in grads)
    if not last > 0:  # the loss does not reach the last layer: nothing to compare
        return Flow(flows, math.nan, "flat", draws, tuple(unreached))
    if cut and not _stopped(program):
        # the first layers get no gradient at all and the file stops none on
        # purpose (red team R8: a zero-initialised head; attention read at one
        # position): PyTorch's first/last at this init is exactly 0, the ratio
        # over the reached layers is not the model's, and 0 by construction is
        # no vanishing gradient: the table is shown, no verdict.  Layers a
        # .detach() or torch.no_grad() freezes are not trained: the verdict over
        # the trained ones stands, the frozen ones are listed.
        why = (f"no gradient reaches {_listed(cut)}, "
               "before the first measured layer (a zero-initialised layer after it, or a "
               "reading at one position, cuts it off at this init), so the first/last "
               "ratio over the measured layers is not the model's")
        return Flow(flows, flows[0].ratio, "not judged", draws, tuple(unreached), why=why)
    return Flow(flows, flows[0].ratio, verdict_of(flows[0].ratio), draws, tuple(unreached))


def _listed(names: list[str]) -> str:
    return ", ".join(names[:3]) + (" …" if len(names) > 3 else "")


def _stopped(program: Program) -> bool:
    """Does the file stop the gradient on purpose: an ``x.detach()`` or a
    ``torch.no_grad()`` block, which the reader declares as new inputs?"""
    return any(d.role == "input" and (d.name.startswith("detached") or "_no_grad" in d.name)
               for d in program.declarations)


#: weights drawn per analysis at most (draws x parameters): a VAE's 650k
#: weights are measured at 4 draws, not 16, to stay under a second
MAX_DRAWN = 1_500_000


def draws(program: Program, samples: int) -> int:
    """How many initialisations to draw: ``samples``, fewer (at least 4)
    for models with many weights."""
    params = sum(math.prod(d.shape) for d in program.declarations if d.role == "param")
    if params * samples <= MAX_DRAWN:
        return samples
    return max(4, min(samples, MAX_DRAWN // max(1, params)))


def is_weightless(program: Program) -> bool:
    """A module the model reader read without any weight (Swish, ``x + pe``, a
    loss): no parameter, and forward inputs declared at their typical scale."""
    return not any(d.role == "param" for d in program.declarations) and any(
        d.role == "input" and d.init == "input" for d in program.declarations)


def input_flow(program: Program, run: measure.Run) -> Flow | None:
    """The gradient through a weightless module, over its forward inputs, at
    the measured draws (inputs of unit variance; L = Σ target·y, so ∂L/∂y is
    the target).  Its verdict says whether the module alone passes the
    gradient on to its first input (gain within [VANISHING, EXPLODING]); it
    is never a finding.  None when no draw gives a finite value."""
    decls = {d.name: d for d in program.declarations}
    target = next((d.name for d in program.declarations if d.init == "target"), None)
    out = run.values.get(program.outputs[0])
    if out is None:
        return None
    out = np.asarray(out, dtype=np.float64)
    # draws where the module's value is not finite (log of a negative
    # "probability" drawn for a BCE input) measure nothing: left out
    finite = np.all(np.isfinite(out.reshape(out.shape[0], -1)), axis=1)
    if not np.any(finite):
        return None
    upstream = None
    if target is not None and target in run.values:
        upstream = np.asarray(run.values[target], dtype=np.float64)[finite]
    gains = []
    for d in program.declarations:
        if d.role != "input" or d.init != "input" or d.name not in run.adjoints:
            continue
        adj = np.asarray(run.adjoints[d.name], dtype=np.float64)
        if adj.shape[:1] != finite.shape:
            continue
        flat = adj[finite].reshape(int(finite.sum()), -1)
        if not np.all(np.isfinite(flat)):
            continue
        norms = np.sqrt(np.sum(flat * flat, axis=1))
        low = high = None
        if upstream is not None:
            up = upstream.reshape(upstream.shape[0], -1)
            up_norms = np.sqrt(np.sum(up * up, axis=1))
            norms = norms / np.where(up_norms > 0, up_norms, np.inf)
            if up.shape == flat.shape and decls[target].shape == d.shape:
                keep = np.abs(up) > 1e-3
                if np.any(keep):
                    per = np.abs(flat[keep]) / np.abs(up[keep])
                    low, high = (float(v) for v in np.percentile(per, [5, 95]))
        gains.append(InputGain(d.name, float(np.median(norms)), low, high,
                               relative=upstream is not None))
    if not gains:
        return None
    # the verdict is the first input's the gradient reaches (forward's x, a
    # loss's prediction; attention's value when its query and key get none)
    first = next((g.gain for g in gains if g.gain > 0), 0.0)
    verdict = "flat" if not first > 0 else verdict_of(first)
    return Flow((), first, verdict, int(finite.sum()), (), tuple(gains))


def _healthy(twin: Program) -> bool:
    flow = gradient_flow(twin)
    return flow is not None and flow.verdict == "healthy"


def is_model(program: Program) -> bool:
    """A program the model reader built: parameters of its layers declared
    at a framework initialisation (one layer gets a table, no verdict)."""
    layered = {d.layer for d in program.declarations
               if d.role == "param" and d.layer is not None and d.init is not None}
    return len(layered) >= 1


def _not_modelled(program: Program, findings: list[Finding]) -> list[Finding] | None:
    """The hint for a model whose own initialisation is not modelled (its
    bounds and measurements are at the wrong init: dropped), else None."""
    unmodelled = next((d for d in program.declarations if d.role == "param" and d.init
                       and d.init.startswith(UNMODELLED)), None)
    if unmodelled is None:
        return None
    kept = [f for f in findings if f.kind not in ("vanishing", "exploding", "saturation")]
    kept.append(Finding("not-measured", "hint",
                        f"not measured: the file re-initialises "
                        f"{unmodelled.init[len(UNMODELLED):]}, which chainlens does not "
                        "model (a verdict at the default initialisation would not be the "
                        "gradient this file trains)", unmodelled.span, (unmodelled.name,)))
    return kept


def _unjudged(program: Program, findings: list[Finding]) -> list[Finding]:
    """A model whose measurement cannot stand for what PyTorch computes
    (``program.unmodelled``: BatchNorm's batch statistics): its flow table
    is shown with that said, and no direction verdict is given, from the
    measurement or from bounds (red team G28: 40 conv-BatchNorm-ReLU blocks
    were "vanishing" where torch measures 456 in training mode)."""
    kept = [f for f in findings if f.kind not in ("vanishing", "exploding")]
    first = next((d for d in program.declarations if d.role == "param" and d.span), None)
    kept.append(Finding("not-measured", "hint",
                        "no vanishing/exploding verdict: " + "; ".join(program.unmodelled)
                        + " (the measured figures are that reading's, not PyTorch's)",
                        first.span if first else None, (first.name,) if first else ()))
    return kept


def _cut_off(program: Program, findings: list[Finding], flow: Flow) -> list[Finding]:
    """A model whose first layers the gradient does not reach at all: the
    hint says so on the first of them, and no direction verdict is given
    (from the measurement or from bounds)."""
    kept = [f for f in findings if f.kind not in ("vanishing", "exploding")]
    decl = program.declaration(flow.unreached[0]) if flow.unreached else None
    kept.append(Finding("not-measured", "hint", "no vanishing/exploding verdict: " + flow.why,
                        decl.span if decl is not None else None,
                        (decl.name,) if decl is not None else ()))
    return kept


def unmeasured(program: Program, findings: list[Finding]) -> list[Finding]:
    """A model's findings when nothing was measured (``--static``): its
    direction comes from the measured flow, never from bounds alone (an
    upper bound grows with every layer; a "vanishing" one is judged against
    the largest, itself a worst case), so a bound is information."""
    hinted = _not_modelled(program, findings)
    if hinted is not None:
        return hinted
    if program.unmodelled:
        return _unjudged(program, findings)
    out = []
    for f in findings:
        if f.kind in ("vanishing", "exploding"):
            f = replace(f, severity="info", message=f.message + " (a worst-case bound, not "
                        "measured: the measured flow decides a model's verdict)")
        out.append(f)
    return out


def judge(program: Program, run: measure.Run, findings: list[Finding],
          remedies: tuple[Remedy, ...] = ()) -> tuple[list[Finding], Flow | None]:
    """The model verdict from the measured flow: the static and per-name
    vanishing/exploding findings give way to one finding on the first layer
    that says what was measured (the static bound of the same direction, if
    any, is quoted as supporting evidence; a bound in the other direction is
    a worst case the measurement contradicts, and is not shown)."""
    hinted = _not_modelled(program, findings)
    if hinted is not None:
        # the file draws its weights with a call not modelled: a flow at the
        # default initialisation is not the one it trains, so no verdict
        return hinted, None
    flow = gradient_flow(program, run)
    if flow is None:
        return findings, flow
    if program.unmodelled:
        return _unjudged(program, findings), replace(flow, verdict="not judged")
    if flow.why:
        return _cut_off(program, findings, flow), flow
    static = [f for f in findings if f.kind in ("vanishing", "exploding")]
    kept = [f for f in findings if f.kind not in ("vanishing", "exploding")]
    laws = list(dict.fromkeys(parse_law(d.init)[6] for d in program.declarations
                              if d.role == "param" and parse_law(d.init) is not None))
    at = ("the framework's default initialisation" if not laws else
          "the file's own initialisation (" + ", ".join(f"`{w}`" for w in laws[:2])
          + (" …" if len(laws) > 2 else "") + ")")
    top = max(flow.layers, key=lambda f: f.grad, default=None)
    if flow.verdict == "healthy" and top is not None and top.grad > GRADIENT_EXPLODES:
        decl = program.declaration(top.name)
        kept.append(Finding(
            "exploding", "warning",
            f"the gradient is {top.grad:.2g} at layer {top.layer} and above "
            f"{GRADIENT_EXPLODES:.0e} in {sum(f.grad > GRADIENT_EXPLODES for f in flow.layers)}"
            f" of {len(flow.layers)} layers, though first/last is {flow.ratio:.2g}: a step "
            f"of plain SGD this size diverges (measured at {at}, median of {flow.draws} "
            "seeded draws; weights drawn too large, or an output scaled up, make it so)",
            decl.span if decl is not None else None,
            names=(top.name,), measured=top.grad, remedies=remedies,
            layers=(top.layer, top.layer)))
        return kept, replace(flow, verdict="exploding")
    if flow.verdict in ("healthy", "flat") or len(flow.layers) < 2:
        return kept, flow  # one layer: a table, no first/last verdict
    agree = next((f for f in static if f.kind == flow.verdict and f.bound is not None), None)
    if flow.verdict == "vanishing" and not remedies:
        remedies = model_remedies(program, _healthy)
    first, last = flow.layers[0], flow.layers[-1]
    decl = program.declaration(first.name)
    severe = flow.ratio < 1e-6 or flow.ratio > 1e6
    verb = "vanishes" if flow.verdict == "vanishing" else "explodes"
    message = (f"the gradient {verb} through {len(flow.layers)} layers: |∂L/∂W| of the first "
               f"layer is {flow.ratio:.2g} × the last layer's ({first.grad:.2g} vs "
               f"{last.grad:.2g}; measured at {at}, median of {flow.draws} seeded draws)")
    if agree is not None:
        message += "; " + _agreeing_bound(program, agree)
    kept.append(Finding(flow.verdict, "error" if severe else "warning", message,
                        decl.span if decl is not None else None,
                        names=(first.name, last.name), bound=agree.bound if agree else None,
                        measured=flow.ratio, remedies=remedies,
                        layers=(first.layer, last.layer)))
    return kept, flow


def _agreeing_bound(program: Program, agree: Finding) -> str:
    """The static finding that agrees with the measured verdict, in words:
    what its number bounds (|∂L/∂·| of the input or of one layer's weight
    it names, over every input of the assumed ranges, before anything runs),
    not a bare number that reads like a gain (red team: "the static bound
    agrees (0.25)" on a tanh model)."""
    name = agree.names[0] if agree.names else None
    decl = program.declaration(name) if name else None
    if decl is not None and decl.role == "param" and decl.layer is not None:
        what = f"|∂L/∂W| of layer {decl.layer}"
    elif decl is not None and decl.role == "input":
        what = f"|∂L/∂{name}|, the gradient reaching the input {name},"
    else:
        what = f"|∂L/∂{name or '·'}|"
    bound = f"{agree.bound:.2g}"
    if agree.kind == "vanishing":
        return (f"the static bound agrees: before anything runs, {what} is at most {bound} "
                "for every input in the assumed ranges")
    return (f"the static bound agrees: before anything runs, {what} may reach {bound} for "
            "inputs in the assumed ranges (an upper bound)")
