"""Findings only a run at points can make, and the measurements behind them.

NaN/∞ where it first appears (forward or backward pass), saturated
activations, repeats whose measured layer gradients shrink or grow past the
thresholds though the static bound allowed them, the per-name and
per-layer magnitudes a report lists, and the confirmation (or
contradiction) of a static finding by the gradient measured at the points.
A part of :class:`~chainlens.engine.health.findings.Judge`, which holds the
state these read.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from chainlens.engine.health import measure
from chainlens.engine.health.fixes import span_in, text_of
from chainlens.engine.health.report import Finding, LayerMeasure, RepeatMeasure, ValueMeasure
from chainlens.engine.health.wording import nonfinite_share, pretty_name, sci, short
from chainlens.engine.language.program import display_name
from chainlens.engine.rules import RULES

__all__ = ["MeasuredFindings"]


class MeasuredFindings:
    """The measured half of a judge (``program``, ``bounds``, ``th``...; the
    static half's ``factors`` and ``remedies`` word a repeat's finding)."""

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
            if not math.isfinite(g) and f.kind in ("vanishing", "exploding"):
                # NaN/∞ at the points (a range past log's or sqrt's domain) is no
                # measurement: it neither confirms nor contradicts the bound
                unbounded = f.bound_log10 is not None and f.bound_log10 == math.inf
                out.append(replace(f, message=f.message + "; not measured (not finite at the "
                                   "points)", severity="info" if unbounded else f.severity))
                continue
            confirmed = ((f.kind == "vanishing" and g < self.th.vanishing * ref)
                         or (f.kind == "exploding" and not g < self.th.exploding))
            # an upper bound cannot be contradicted by small measurements,
            # but an exploding *risk* measured a thousand times smaller is
            # a worst case the points do not reach: information only
            contradicted = f.kind == "exploding" and g < self.th.exploding * 1e-3
            msg = f.message + f"; measured {sci(math.log10(g)) if g > 0 else '0'}"
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
                               f"{nonfinite_share(run.values[bad.name], n)} of the points{suffix}",
                               bad.span, (bad.name,)))
        else:
            badg = next((a for a in reversed(self.program.assignments) if a.name in run.adjoints
                         and not np.all(np.isfinite(run.adjoints[a.name]))), None)
            if badg is not None:
                out.append(Finding("nonfinite", severity,
                                   f"∂L/∂{pretty_name(badg.name)} is not finite at "
                                   f"{nonfinite_share(run.adjoints[badg.name], n)} of the points"
                                   f"{suffix}", badg.span, (badg.name,)))
        out += self._saturation(run, n)
        return out

    def repeat_findings(self, findings: list[Finding], repeats: tuple[RepeatMeasure, ...],
                        run: measure.Run | None = None) -> list[Finding]:
        """A repeat whose measured layer gradients shrink (or grow) past the
        thresholds from the last layer to the first, when the static bound
        did not already say so (tanh chains: the bound allows 1 per layer).
        A repeat whose gradient ``run`` measures exactly 0 at every layer and
        point has no ratio, and is a finding of its own: forty ReLU layers
        of one unit in [-1, 1] are dead, and "no finding" there made a ReLU
        fix look as if it cleared a vanishing tanh chain (red team R28)."""
        out = []
        for r, (rep, measured) in enumerate(zip(self.program.repeats, repeats, strict=True)):
            ratio = measured.ratio
            dead = len(measured.layers) >= 2 and run is not None and self._dead(run, measured)
            if not dead and (not math.isfinite(ratio) or len(measured.layers) < 2):
                continue
            if dead or ratio < self.th.vanishing:
                kind = "vanishing"
            elif ratio > self.th.exploding:
                kind = "exploding"
            else:
                continue
            if any(f.kind == kind and f.span == rep.span for f in findings):
                continue
            first, last = measured.layers[0], measured.layers[-1]
            grad = f"|∂{self.label}/∂{pretty_name(display_name(first.name))}|"
            message = (f"{len(measured.layers)} layers, measured: {grad} at layer {first.layer} "
                       f"is {short(ratio)} × its value at layer {last.layer}")
            if dead:
                message = (f"{len(measured.layers)} layers, measured: {grad} is exactly 0 at "
                           f"every layer ({first.layer} to {last.layer}) and every point: no "
                           "gradient reaches any layer (dead)")
            finding = Finding(kind, "warning", message, rep.span, (first.name,),
                              measured=first.gradient, layers=(first.layer, last.layer))
            members = [b for b in self.bounds.values()
                       if b.name in self.judged_set and self._repeat_of(b) == r]
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

    @staticmethod
    def _dead(run: measure.Run, measured: RepeatMeasure) -> bool:
        """Every layer's gradient is exactly 0 at every point (not a median:
        one live point and the repeat is not dead)."""
        for layer in measured.layers:
            grad = run.adjoints.get(layer.name)
            if layer.gradient != 0 or grad is None or np.size(grad) == 0:
                return False
            if not np.all(np.asarray(grad) == 0):
                return False
        return True

    def _saturation(self, run: measure.Run, n: int) -> list[Finding]:
        candidates = []
        for a in self.program.assignments:
            rule = RULES.get(a.expr.op)
            if rule is not None and rule.saturates and rule.partial is not None:
                candidates.append((a, span_in(self.program, a.expr, a) or a.expr_span))
        shares = measure.saturated_shares(self.program, run.values,
                                          list(dict.fromkeys(a.expr for a, _ in candidates)),
                                          self.th.saturation)
        seen: set[int] = set()
        out = []
        for a, span in candidates:
            node = a.expr
            share = shares.get(node)
            if span.start in seen or share is None:
                continue
            if share >= 0.5:
                seen.add(span.start)
                out.append(Finding(
                    "saturation", "info",
                    f"{node.op} is saturated (|{node.op}′| < {self.th.saturation:g} of its "
                    f"maximum) at {share:.0%} of the points", span, (a.name,)))
        return out
