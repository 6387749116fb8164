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

import collections
import math
import re
from dataclasses import replace
from fractions import Fraction

import numpy as np
from chainlens.engine.core.source import Span
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
from chainlens.engine.health.measured import MeasuredFindings
from chainlens.engine.health.report import Factor, Finding, Thresholds
from chainlens.engine.health.wording import (
    by_op,
    factor_terms,
    natural_key,
    output_label,
    pretty_name,
    sci,
)
from chainlens.engine.language.program import Assignment, Program, Repeat
from chainlens.engine.rules import RULES

__all__ = ["Judge"]


class Judge(MeasuredFindings):
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
        self.judged_set = set(judged)  # `in` a list made this bounds x inputs
        finite = [b.log10 for n, b in bounds.items()
                  if n in self.judged_set and math.isfinite(b.log10) and b.log10 <= cap]
        self.ref = max([0.0, *finite])

    # -- static ---------------------------------------------------------------------------
    def static_findings(self, per_kind: bool = False) -> list[Finding]:
        """The static vanishing/exploding/singular findings, grouped by the
        repeat or composition each path crosses; ``per_kind``: one group per
        kind (a model, whose measured flow replaces these findings and only
        quotes the worst bound: grouping its hundreds of paths by their
        factors took most of a GPT's analysis)."""
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
                # an infinite bound is no gradient that grows: a value such as
                # log(p) is unbounded because the range crosses its domain
                kind = "singular" if b.singular or (
                    b.log10 == math.inf and self._domain(b.path, None)) else "exploding"
            else:
                continue
            group = "model" if per_kind else self._repeat_of(b, kind)
            groups.setdefault((kind, group), []).append(b)
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
        first = min(ties, key=lambda b: (-len(b.path), natural_key(b.name)))
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
        terms = factor_terms(factors, worst.log10, kind)
        what = f"|∂{self.label}/∂{pretty_name(worst.name)}|"
        if kind == "vanishing" and worst.log10 == -math.inf:
            dead = next((e for e in worst.path if e.local.log10 == -math.inf), None)
            where = text_of(self.program, self._edge_span(dead)) if dead else ""
            message = (f"{what} = 0 on the whole input range"
                       + (f": {where} passes no gradient" if where else ""))
            severity = "warning"
        elif kind == "singular":
            culprit = next((e for e in worst.path if e.local.singular), None)
            domain = self._domain(worst.path, culprit)
            if domain is not None:
                message = f"{what} is unbounded on the input ranges: {domain}"
            else:
                where = (text_of(self.program, self._edge_span(culprit)) or culprit.parent.op
                         if culprit is not None else "a value on its path")
                message = f"{what} is unbounded on the input ranges: {where} has a singular point"
            severity = "info"
        else:
            message = f"{lead}: {what} ≤ {terms}≈ {sci(worst.log10)}"
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

    def _domain(self, path: tuple[Edge, ...], culprit: Edge | None) -> str | None:
        """"np.log(p) needs p > 0: declare p's range": the first call on the
        path (the singular edge's, else one inside a factor) whose rule has a
        domain the input ranges may leave."""
        edges = ([culprit] if culprit is not None else []) + list(path)
        for e in edges:
            a = self.index[e.assignment]
            stack = collections.deque([e.parent] if e is culprit else [
                x for j, x in enumerate(e.parent.args) if j != e.index])
            seen: set[int] = set()  # a DAG: shared sub-expressions are visited once
            while stack:
                node = stack.popleft()
                if id(node) in seen:
                    continue
                seen.add(id(node))
                rule = RULES.get(node.op)
                condition = None
                if rule is not None and rule.domain and len(node.args) == 1:
                    condition = rule.domain[0].text
                elif (node.op == "pow" and len(node.args) == 2 and node.args[1].op == "num"
                      and Fraction(node.args[1].value).denominator % 2 == 0):
                    # sqrt(u) is u^(1/2) in the IR: an even root needs u ≥ 0 (> 0 below 0)
                    condition = "u > 0" if Fraction(node.args[1].value) < 0 else "u ≥ 0"
                if condition is not None:
                    call_text = text_of(self.program, span_in(self.program, node, a))
                    arg_text = text_of(self.program, span_in(self.program, node.args[0], a))
                    if not call_text and arg_text and node.op == "pow":
                        call_text = f"the root of {arg_text}"  # 1/sqrt(u): written as a division
                    if call_text and arg_text:
                        need = re.sub(r"\bu\b", lambda _, t=arg_text: t, condition)
                        what = (f"{arg_text}'s range" if arg_text.isidentifier()
                                else "the ranges of its inputs")
                        return f"{call_text} needs {need}: declare {what}"
                stack.extend(node.args if isinstance(node.args, tuple) else ())
        return None

    def _lead(self, factors: tuple[Factor, ...], repeat: Repeat | None, kind: str) -> str:
        acts = [g for g in by_op(factors, kind) if g[0] in RULES and RULES[g[0]].arity == 1]
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
        if not math.isfinite(per_layer) or abs(per_layer) > 300:  # 10 ** 400 overflows
            return None
        current = float(np.median([10.0 ** w[2] for w in weights]))
        scale = current / 10.0 ** per_layer
        if not 1e-3 < scale < 1e3 or abs(math.log10(max(scale / current, 1e-300))) < 0.05:
            return None
        why = "per-layer gain ≈ 1"
        return init_scale_remedy(self.program, [(n, a) for n, a, _ in weights], scale, why)

