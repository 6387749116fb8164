"""Turning bounds and measurements into findings a person can act on.

:class:`Judge` holds what one :func:`~chainlens.engine.health.analysis.analyze` call
knows (the program, its bounds, the thresholds) and writes the findings:
static ones from the dominant paths of the bounds (grouped by the repeat
they cross, so fifty flagged weights make one finding about fifty layers),
measured ones from a run (NaN/∞, saturated activations, layers whose
gradients shrink or grow), and the remedies each one admits.  The messages
speak in layers and factors: "50 sigmoid layers: |∂L/∂w₁| ≤ 0.25⁵⁰ ≈ 7.9e-31".
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

import numpy as np
from chainlens.engine.core.source import ChainError, Span
from chainlens.engine.health import measure
from chainlens.engine.health.bounds import Edge, PathBound
from chainlens.engine.health.fixes import (
    Remedy,
    init_scale_remedy,
    normalize_remedy,
    parses,
    relu_remedy,
    residual_remedy,
    span_in,
    text_of,
)
from chainlens.engine.health.report import (
    Factor,
    Finding,
    LayerMeasure,
    RepeatMeasure,
    Thresholds,
    ValueMeasure,
)
from chainlens.engine.language.program import Assignment, Program, Repeat, display_name
from chainlens.engine.printing.names import display_symbol
from chainlens.engine.rules import RULES

__all__ = ["Judge", "pretty_name", "output_label"]


_SUP = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def output_label(name: str) -> str:
    """How messages name the output: ``L``, or ``f`` for an unnamed one."""
    shown = display_name(name)
    return "f" if shown.startswith("_") else pretty_name(shown)


def pretty_name(name: str) -> str:
    """``w_1`` -> ``w₁``, ``a@3`` -> ``a⁽³⁾``: names as every printer shows
    them (:func:`~chainlens.engine.printing.names.display_symbol`).  The
    parser's own name for an unnamed output (``_1``) was never written by
    anyone: it is ``f``, as in :func:`output_label`."""
    if name.startswith("_"):
        return "f"
    return display_symbol(name, "unicode")


def _g(x: float) -> str:
    """Two significant digits: 0.25, 3.7, 170, 3.8e6."""
    if not math.isfinite(x):
        return "∞" if x > 0 else "-∞"
    if x == 0:
        return "0"
    return ("-" if x < 0 else "") + _sci(math.log10(abs(x)))


def _sci(log10: float) -> str:
    """``10**log10`` written like 7.9e-31, even far below the float range."""
    if math.isnan(log10):
        return "?"
    if log10 == math.inf:
        return "∞"
    if log10 == -math.inf:
        return "0"
    exp = math.floor(log10)
    mant = 10 ** (log10 - exp)
    if mant >= 9.95:
        mant, exp = 1.0, exp + 1
    if -3 <= exp <= 4:
        short = float(f"{10 ** log10:.2g}")
        return str(int(short)) if short.is_integer() else repr(short)
    return f"{mant:.2g}e{exp:+d}".replace("e+", "e")


class Judge:
    """The per-call state the finding builders share (not kept after)."""

    def __init__(self, program: Program, output: str, th: Thresholds,
                 bounds: dict[str, PathBound], judged: list[str], shapes=None):
        self.program, self.output, self.th = program, output, th
        self.label = output_label(output)
        self.shapes = shapes
        self.points_from = ""  # set once measured: "at" or "sampled"
        self.assumed: set[str] = set()
        self.bounds, self.judged = bounds, judged
        self.index = {a.name: a for a in program.assignments}
        self.inputs = set(program.inputs)
        self.decls = {d.name: d for d in program.declarations}
        self.layer_of = {}
        for r, rep in enumerate(program.repeats):
            for layer, names in enumerate(rep.layers, start=rep.start):
                for n in names:
                    self.layer_of[n] = (r, layer)
        # "vanishing" is relative to the largest bound that is not itself
        # exploding: an exploding first layer does not make the last one vanish
        cap = math.log10(th.exploding)
        finite = [b.log10 for n, b in bounds.items()
                  if n in judged and math.isfinite(b.log10) and b.log10 <= cap]
        self.ref = max([0.0, *finite])

    # -- static ---------------------------------------------------------------------------
    def static_findings(self) -> list[Finding]:
        groups: dict[tuple, list[PathBound]] = {}
        vanish = math.log10(self.th.vanishing) + self.ref
        explode = math.log10(self.th.exploding)
        for name in self.judged:
            b = self.bounds[name]
            if math.isnan(b.log10) or b.unknown:
                continue
            if b.log10 < vanish:
                kind = "vanishing"
            elif b.log10 > explode:
                kind = "singular" if b.singular else "exploding"
            else:
                continue
            groups.setdefault((kind, self._repeat_of(b, kind)), []).append(b)
        out = []
        for (kind, rep), members in groups.items():
            out.append(self._finding(kind, rep, self._worst_first(members, kind)))
        return out

    def _worst_first(self, members: list[PathBound], kind: str) -> list[PathBound]:
        """Worst bound first; among equal bounds a parameter, then the one
        with the longest path (a weight rather than its bias)."""
        sign = 1 if kind == "vanishing" else -1

        def key(b: PathBound) -> tuple:
            decl = self.decls.get(b.name)
            role = {"param": 0, None: 1, "input": 2}[decl.role if decl else None]
            return round(sign * b.log10, 6), role

        ranked = sorted(members, key=key)
        ties = [b for b in ranked if key(b) == key(ranked[0])]
        first = min(ties, key=lambda b: (-len(b.path), _natural(b.name)))
        return [first, *(b for b in ranked if b is not first)]

    def _repeat_of(self, b: PathBound, kind: str = "vanishing"):
        """The repeat a flagged path crosses (its finding's group); outside
        repeats, inputs whose worst factor is written at the same place
        share one composition, and one finding."""
        if b.repeat is not None:
            return b.repeat
        top = self.factors(b.path, kind)[:1]
        return ("at", top[0].op, top[0].span.start if top[0].span else None) if top else b.name

    def _finding(self, kind: str, rep, members: list[PathBound]) -> Finding:
        worst = members[0]
        factors = self.factors(worst.path, kind)
        repeat = self.program.repeats[rep] if isinstance(rep, int) else None
        lead = self._lead(factors, repeat, kind)
        terms = _terms(factors, worst.log10, kind)
        what = f"|∂{self.label}/∂{pretty_name(worst.name)}|"
        if kind == "vanishing" and worst.log10 == -math.inf:
            dead = next((e for e in worst.path if e.local.log10 == -math.inf), None)
            where = text_of(self.program, self._edge_span(dead)) if dead else ""
            message = (f"{what} = 0 on the whole input range"
                       + (f": {where} passes no gradient" if where else ""))
            severity = "warning"
        elif kind == "singular":
            culprit = next(e for e in worst.path if e.local.singular)
            where = text_of(self.program, self._edge_span(culprit)) or culprit.parent.op
            message = f"{what} is unbounded on the input ranges: {where} has a singular point"
            severity = "info"
        else:
            message = f"{lead}: {what} ≤ {terms}≈ {_sci(worst.log10)}"
            severity = "warning"
        if len(members) > 1:
            message += f" ({len(members)} inputs flagged)"
        layers = None
        if repeat is not None:
            hit = [self.layer_of[e.assignment][1] for e in worst.path
                   if e.assignment in self.layer_of]
            layers = (min(hit), max(hit)) if hit else None
        span = repeat.span if repeat is not None else self._composition_span(worst.path)
        finding = Finding(kind, severity, message, span, tuple(b.name for b in members),
                          factors, worst.value, worst.log10, None, (), layers)
        remedies = self.remedies(finding, worst) if kind in ("vanishing", "exploding") else ()
        return replace(finding, remedies=remedies)

    def _lead(self, factors: tuple[Factor, ...], repeat: Repeat | None, kind: str) -> str:
        acts = [g for g in _by_op(factors, kind) if g[0] in RULES and RULES[g[0]].arity == 1]
        top = acts[0] if acts else None
        if repeat is not None:
            if top is not None:
                return f"{top[1]} {top[0]} layers"
            return f"{repeat.stop - repeat.start + 1} layers"
        if top is not None and top[1] > 1:
            return f"{top[1]} nested {top[0]}"
        return "composition" if kind == "vanishing" else "growth"

    def factors(self, path: tuple[Edge, ...], kind: str) -> tuple[Factor, ...]:
        """The dominant path's local derivatives, grouped by where they are
        written: the responsible ones (below 1 for vanishing, above 1 for
        exploding) first, largest effect first."""
        groups: dict[tuple, list] = {}
        for e in path:
            if e.parent.op == "add" and e.local.log10 == 0.0:
                continue
            label, span = self._label(e)
            key = (e.parent.op, span.start if span else None, label)
            groups.setdefault(key, []).append((e, label, span))
        out = []
        for (op, _, label), items in groups.items():
            logs = [e.local.log10 for e, _, _ in items]
            total = sum(logs) if all(math.isfinite(x) for x in logs) else (
                math.inf if math.inf in logs else -math.inf)
            mag = max(10.0 ** x if x < 308 else math.inf for x in logs)
            out.append(Factor(label, op, mag, len(items), total, items[0][2]))
        sign = 1 if kind == "vanishing" else -1
        responsible = [f for f in out if sign * f.log10 < 0]
        rest = [f for f in out if sign * f.log10 >= 0]
        responsible.sort(key=lambda f: sign * f.log10)
        return tuple(responsible + rest)

    def _label(self, e: Edge) -> tuple[str, Span | None]:
        a = self.index[e.assignment]
        node = e.parent
        if node.op == "mul":
            others = [x for j, x in enumerate(node.args) if j != e.index]
            span = span_in(self.program, others[0], a) if len(others) == 1 else None
            span = span or span_in(self.program, node, a) or a.expr_span
            return f"|{text_of(self.program, span) or 'factor'}|", span
        span = span_in(self.program, node, a) or a.expr_span
        arg = span_in(self.program, node.args[e.index], a)
        inner = text_of(self.program, arg) or "u"
        if node.op == "pow":
            bare = re.fullmatch(r"[\w.{}\\]+", inner) or (inner[:1], inner[-1:]) == ("(", ")")
            inner = inner if bare else f"({inner})"
            return f"|∂({text_of(self.program, span)})/∂{inner}|", span
        return f"|{node.op}′({inner})|", span

    def _edge_span(self, e: Edge) -> Span | None:
        return self._label(e)[1]

    def _composition_span(self, path: tuple[Edge, ...]) -> Span | None:
        spans = [self.index[e.assignment].span for e in path]
        if not spans:
            return None
        start, end = min(s.start for s in spans), max(s.end for s in spans)
        if not self.program.source:
            return spans[0]
        return Span.at(self.program.source, start, end)

    # -- remedies ---------------------------------------------------------------------------
    def remedies(self, finding: Finding, worst: PathBound) -> tuple[Remedy, ...]:
        if not self.program.source:
            return ()
        path = worst.path
        found: list[Remedy] = []
        if finding.kind == "vanishing":
            sat = [(e.parent, self.index[e.assignment]) for e in path
                   if RULES.get(e.parent.op) is not None and RULES[e.parent.op].saturates
                   and RULES[e.parent.op].partial is not None]
            relu = relu_remedy(self.program, sat) if sat else None
            found += [relu] if relu else []
            states = []
            for e in path:
                a = self.index[e.assignment]
                if (a.name in self.layer_of and e.parent is a.expr
                        and a.display != a.name and a not in states):
                    states.append(a)
            for a in states[:1]:
                res = residual_remedy(self.program, a)
                found += [res] if res else []
            norm = self._normalize(sat)
            found += [norm] if norm else []
        scale = self._init_scale(finding, path)
        found += [scale] if scale else []
        return tuple(r for r in found if parses(self.program, r))

    def _normalize(self, sat) -> Remedy | None:
        """Only a vector can be normalised: offered for tensor pre-activations."""
        if self.shapes is None:
            return None
        for node, a in sat:
            if self.shapes.get(node.args[0], ()):
                return normalize_remedy(self.program, node, a)
        return None

    def _init_scale(self, finding: Finding, path: tuple[Edge, ...]) -> Remedy | None:
        """Weights (multiplied parameters) on the path, rescaled so each
        layer's gain bound is about one."""
        weights: list[tuple[str, Assignment, float]] = []
        for e in path:
            if e.parent.op != "mul":
                continue
            others = [x for j, x in enumerate(e.parent.args) if j != e.index]
            for x in others:
                if x.op == "sym" and x.value in self.inputs:
                    decl = self.program.declaration(x.value)
                    if decl is not None and decl.role == "input":
                        continue
                    weights.append((x.value, self.index[e.assignment], e.local.log10))
        if len(weights) < 2:
            return None
        # the per-layer gain: factors repeated about once per weight
        per_layer = sum(math.log10(f.magnitude) for f in finding.factors
                        if f.count >= len(weights) - 1 and f.magnitude > 0)
        if not math.isfinite(per_layer):
            return None
        current = float(np.median([10.0 ** w[2] for w in weights]))
        scale = current / 10.0 ** per_layer
        if not 1e-3 < scale < 1e3 or abs(math.log10(max(scale / current, 1e-300))) < 0.05:
            return None
        why = "per-layer gain ≈ 1"
        return init_scale_remedy(self.program, [(n, a) for n, a, _ in weights], scale, why)

    # -- measured -----------------------------------------------------------------------------
    def measured(self, run: measure.Run, n: int):
        values = []
        for name in (*self.program.inputs, *self.program.names):
            if name not in run.values or name not in run.adjoints:
                continue
            layer = self.layer_of.get(name, (None, None))[1]
            b = self.bounds.get(name)
            values.append(ValueMeasure(name, layer, measure.typical(run.values[name], n),
                                       measure.typical(run.adjoints[name], n),
                                       b.value if b else None))
        repeats = []
        for rep in self.program.repeats:
            layers = []
            for layer, names in enumerate(rep.layers, start=rep.start):
                last = next((x for x in reversed(names) if x in run.adjoints), None)
                if last is not None:
                    layers.append(LayerMeasure(layer, last,
                                               measure.typical(run.adjoints[last], n)))
            ratio = math.nan
            if layers and layers[-1].gradient > 0:
                ratio = layers[0].gradient / layers[-1].gradient
            repeats.append(RepeatMeasure(rep.span, rep.var, tuple(layers), ratio))
        return tuple(values), tuple(repeats)

    def confirm(self, findings: list[Finding], run: measure.Run, n: int) -> list[Finding]:
        """Attach the measured magnitude; a static finding the points confirm
        becomes an error."""
        grads = {k: measure.typical(v, n) for k, v in run.adjoints.items()
                 if k in self.inputs}
        finite = [g for g in grads.values() if math.isfinite(g)]
        ref = max([1.0, *finite])
        out = []
        for f in findings:
            g = grads.get(f.names[0]) if f.names else None
            if g is None:
                out.append(f)
                continue
            confirmed = ((f.kind == "vanishing" and g < self.th.vanishing * ref)
                         or (f.kind == "exploding" and not g < self.th.exploding))
            # an upper bound cannot be contradicted by small measurements,
            # but an exploding *risk* measured a thousand times smaller is
            # a worst case the points do not reach: information only
            contradicted = f.kind == "exploding" and g < self.th.exploding * 1e-3
            msg = f.message + f"; measured {_sci(math.log10(g)) if g > 0 else '0'}"
            if contradicted:
                msg += " (the bound is a worst case)"
            if f.kind in ("vanishing", "exploding"):
                severity = "error" if confirmed else "info" if contradicted else f.severity
                f = replace(f, measured=g, message=msg, severity=severity)
            out.append(f)
        return out

    def measured_findings(self, run: measure.Run, n: int) -> list[Finding]:
        out = []
        # NaN at points drawn from *assumed* ranges may be the assumption's fault
        guessed = self.points_from == "sampled" and self.assumed
        severity = "info" if guessed else "error"
        suffix = " (sampled from assumed ranges: declare them)" if guessed else ""
        if run.nonfinite:
            phase, op, span, count = run.nonfinite[0]
            where = text_of(self.program, span) if span else op
            what = f"the gradient of {where}" if phase == "backward" else where
            out.append(Finding("nonfinite", severity,
                               f"{what} first becomes NaN/∞ ({phase} pass, at {count} of "
                               f"{n} points){suffix}", span, ()))
            return out + self._saturation(run, n)
        bad = next((a for a in self.program.assignments if a.name in run.values
                    and not np.all(np.isfinite(run.values[a.name]))), None)
        if bad is not None:
            out.append(Finding("nonfinite", severity,
                               f"{pretty_name(bad.name)} is not finite at "
                               f"{_share(run.values[bad.name], n)} of the points{suffix}",
                               bad.span, (bad.name,)))
        else:
            badg = next((a for a in reversed(self.program.assignments) if a.name in run.adjoints
                         and not np.all(np.isfinite(run.adjoints[a.name]))), None)
            if badg is not None:
                out.append(Finding("nonfinite", severity,
                                   f"∂L/∂{pretty_name(badg.name)} is not finite at "
                                   f"{_share(run.adjoints[badg.name], n)} of the points"
                                   f"{suffix}", badg.span, (badg.name,)))
        out += self._saturation(run, n)
        return out

    def repeat_findings(self, findings: list[Finding],
                        repeats: tuple[RepeatMeasure, ...]) -> list[Finding]:
        """A repeat whose measured layer gradients shrink (or grow) past the
        thresholds from the last layer to the first, when the static bound
        did not already say so (tanh chains: the bound allows 1 per layer)."""
        out = []
        for r, (rep, measured) in enumerate(zip(self.program.repeats, repeats, strict=True)):
            ratio = measured.ratio
            if not math.isfinite(ratio) or len(measured.layers) < 2:
                continue
            if ratio < self.th.vanishing:
                kind = "vanishing"
            elif ratio > self.th.exploding:
                kind = "exploding"
            else:
                continue
            if any(f.kind == kind and f.span == rep.span for f in findings):
                continue
            first, last = measured.layers[0], measured.layers[-1]
            message = (f"{len(measured.layers)} layers, measured: |∂{self.label}/∂"
                       f"{pretty_name(display_name(first.name))}| at layer {first.layer} is "
                       f"{_g(ratio)} × its value at layer {last.layer}")
            finding = Finding(kind, "warning", message, rep.span, (first.name,),
                              measured=first.gradient, layers=(first.layer, last.layer))
            members = [b for b in self.bounds.values()
                       if b.name in self.judged and self._repeat_of(b) == r]
            if members:
                worst = self._worst_first(members, "vanishing")[0]
                factors = self.factors(worst.path, kind)
                acts = [f.op for f in factors if f.op in RULES and RULES[f.op].saturates]
                if acts:
                    message = message.replace(" layers,", f" {acts[0]} layers,", 1)
                finding = replace(finding, factors=factors, message=message)
                finding = replace(finding, remedies=self.remedies(finding, worst))
            out.append(finding)
        return out

    def _saturation(self, run: measure.Run, n: int) -> list[Finding]:
        memo = measure.memo_for(run)
        seen: set[int] = set()
        out = []
        for a in self.program.assignments:
            node = a.expr
            rule = RULES.get(node.op)
            if rule is None or not rule.saturates or rule.partial is None:
                continue
            span = span_in(self.program, node, a) or a.expr_span
            if span.start in seen:
                continue
            try:
                share = measure.saturated_share(self.program, run.values, node, memo,
                                                self.th.saturation)
            except (ChainError, KeyError, ValueError):
                continue
            if share >= 0.5:
                seen.add(span.start)
                out.append(Finding(
                    "saturation", "info",
                    f"{node.op} is saturated (|{node.op}′| < {self.th.saturation:g} of its "
                    f"maximum) at {share:.0%} of the points", span, (a.name,)))
        return out


def _natural(name: str) -> tuple:
    """``w_2`` before ``w_10``."""
    return tuple((0, int(t)) if t.isdigit() else (1, t) for t in re.split(r"(\d+)", name) if t)


def _share(arr, n: int) -> str:
    bad = ~np.isfinite(np.asarray(arr, dtype=np.float64))
    per_point = bad.reshape(bad.shape[0], -1).any(axis=1) if bad.ndim > 1 else bad
    return f"{float(np.mean(per_point)):.0%}" if np.ndim(per_point) else "all"


def _by_op(factors: tuple[Factor, ...], kind: str) -> list[tuple[str, int, float, list]]:
    """Responsible factors pooled by primitive: (op, count, log10, magnitudes),
    largest effect first."""
    sign = 1 if kind == "vanishing" else -1
    pooled: dict[str, list] = {}
    for f in factors:
        if not sign * f.log10 < 0:
            continue
        entry = pooled.setdefault(f.op, [f.op, 0, 0.0, []])
        entry[1] += f.count
        entry[2] += f.log10
        entry[3] += [f.magnitude] * f.count
    return sorted((tuple(e) for e in pooled.values()), key=lambda e: sign * e[2])


def _terms(factors: tuple[Factor, ...], total: float, kind: str) -> str:
    """``0.25⁵⁰ × 3.7 `` - the responsible factors as powers, the rest as one number."""
    parts, used = [], 0.0
    for _op, count, log10, mags in _by_op(factors, kind)[:2]:
        if all(m == mags[0] for m in mags) and count > 1:
            parts.append(f"{_g(mags[0])}{str(count).translate(_SUP)}")
        elif count <= 4 or not math.isfinite(log10):
            parts.append(" × ".join(_g(m) for m in sorted(mags)))
        else:  # unequal factors: their geometric mean, so the power is exact
            parts.append(f"{_sci(log10 / count)}{str(count).translate(_SUP)}")
        used += log10
    rest = total - used
    if math.isfinite(rest) and abs(rest) > 0.005:
        parts.append(_sci(rest))
    return " × ".join(parts) + " " if parts else ""
