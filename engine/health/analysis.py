"""Gradient health: will the gradient reach the first layer, and in one piece?

Deep compositions multiply local derivatives: fifty sigmoid layers multiply
fifty factors of at most 1/4, so the first layer's gradient is at most
0.25⁵⁰ ≈ 7.9e-31 of the last one's, however the weights are set; an ``exp``
tower multiplies factors that grow without bound.  :func:`analyze` says so
twice:

* **statically**, before anything runs (:mod:`~chainlens.engine.health.bounds`):
  a bound on |∂L/∂v| for every input and parameter, from the rules table's
  derivative bounds and the declared input ranges (undeclared inputs are
  assumed to lie in [-1, 1], and the report says so);
* **measured** (:mod:`~chainlens.engine.health.measure`): |∂L/∂v| for every
  named value and every layer of a ``repeat`` at the ``@at`` points (or at
  seeded samples), and the ratio between the first and the last layer.

Each :class:`Finding` is data - kind, severity, the span of the composition,
the factors responsible (each with its own span and magnitude), the bound
and the measured value, and remedies as text edits of the source
(:mod:`~chainlens.engine.health.fixes`) - so the language server, the SARIF
writer and the JSON output all read the same object.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
from chainlens.engine.core import limits
from chainlens.engine.core.source import ChainError, EvaluationError, LimitError, ShapeError, Span
from chainlens.engine.core.walk import count_nodes
from chainlens.engine.health import measure, model
from chainlens.engine.health.bounds import backward_bounds
from chainlens.engine.health.findings import Judge
from chainlens.engine.health.fixes import Remedy, TextEdit
from chainlens.engine.health.intervals import forward_intervals
from chainlens.engine.health.report import (
    SEVERITIES,
    Assumption,
    Factor,
    Finding,
    HealthReport,
    LayerMeasure,
    RepeatMeasure,
    Thresholds,
    ValueMeasure,
)
from chainlens.engine.health.wording import output_label, pretty_name
from chainlens.engine.language.program import Point, Program
from chainlens.engine.language.reader import parse
from chainlens.engine.numeric.tape import node_shapes

__all__ = ["analyze", "Thresholds", "HealthReport", "Finding", "Factor", "Remedy", "TextEdit",
           "Assumption", "ValueMeasure", "LayerMeasure", "RepeatMeasure", "pretty_name",
           "SEVERITIES"]


# ---- the analysis --------------------------------------------------------------------


def analyze(program: Program | str, *, at: Mapping | Sequence[Mapping] | None = None,
            thresholds: Thresholds | Mapping | None = None) -> HealthReport:
    """Static and measured gradient health of ``program`` (a Program or
    ``.chain`` source).  ``at`` replaces the program's ``@at`` points."""
    if isinstance(program, str):
        program = parse(program)
    th = thresholds if isinstance(thresholds, Thresholds) else Thresholds(**(thresholds or {}))
    if at is not None:
        rows = [at] if isinstance(at, Mapping) else list(at)
        # a misspelt name would otherwise be ignored, and the input it
        # meant measured at sampled values instead of the given one
        inputs = tuple(program.inputs)
        for name in (n for row in rows for n in row if n not in inputs):
            raise EvaluationError(f"{name!r} is not an input of the program", None,
                                  expected=inputs[:8] or ("an input name",))
        empty = Span(0, 0, 1, 1, 1, 1)
        program = replace(program, points=tuple(Point(tuple(r.items()), empty) for r in rows))
    if not program.outputs or not program.assignments:
        return HealthReport("", (), notes=("nothing to analyse: no output",), thresholds=th)
    output = _resolve(program, program.outputs[0])
    size = sum(count_nodes(a.expr) for a in program.assignments)
    if size > limits.MAX_HEALTH_NODES:
        raise LimitError(f"the program has {size:,} nodes; gradient health analyses at most "
                         f"{limits.MAX_HEALTH_NODES:,} (MAX_HEALTH_NODES)",
                         program.assignment(output).span,
                         hint="analyse a shallower version (fewer repeat layers)")
    ranges, assumptions = _ranges(program, th)
    try:
        shapes = node_shapes(program)
    except ValueError as exc:
        raise ShapeError(str(exc), program.assignments[0].span) from None
    iv = forward_intervals(program, ranges, shapes)
    bounds = backward_bounds(program, output, iv, shapes)
    judged = [n for n in (program.wrt or program.inputs) if n in bounds]
    ctx = Judge(program, output, th, bounds, judged, shapes)
    findings = ctx.static_findings(per_kind=model.is_model(program))
    notes: list[str] = []
    values: tuple[ValueMeasure, ...] = ()
    repeats: tuple[RepeatMeasure, ...] = ()
    npoints, source, flow = 0, "", None
    if th.measure and size > limits.MAX_MEASURED_NODES:
        notes.append(f"not measured: the program has {size:,} nodes, past MAX_MEASURED_NODES "
                     f"({limits.MAX_MEASURED_NODES:,}); the findings are static bounds")
    elif th.measure:
        try:
            samples = model.draws(program, th.samples) if model.is_model(program) else th.samples
            batch, source = measure.points_batch(program, ranges, samples, th.seed)
            run = measure.run(program, output, batch)
        except ShapeError:
            raise
        except ChainError as exc:
            notes.append(f"not measured: {exc.message}")
        else:
            npoints = len(next(iter(batch.values()))) if batch else 1
            ctx.points_from = source
            ctx.assumed = {a.name for a in assumptions}
            values, repeats = ctx.measured(run, npoints)
            findings = ctx.confirm(findings, run, npoints) + ctx.measured_findings(run, npoints)
            # a model's cut-off layers are judged by its flow (model.judge); one
            # point may be a stationary one (tanh's at x = 0): no dead repeat
            dead_check = None if model.is_model(program) or npoints < 2 else run
            findings += ctx.repeat_findings(findings, repeats, dead_check)
            if model.is_model(program):  # the measured flow decides a model's verdict
                findings, flow = model.judge(program, run, findings)
            elif model.is_weightless(program):  # an activation module: its gain
                flow = model.input_flow(program, run)
                if flow is not None and program.unmodelled:  # a reading, not PyTorch's
                    flow = replace(flow, verdict="not judged")
    if model.is_model(program) and flow is None and not npoints:
        findings = model.unmeasured(program, findings)  # --static, too big: bounds only
    order = {s: i for i, s in enumerate(SEVERITIES)}
    findings = sorted(findings, key=lambda f: (order[f.severity], f.span.start if f.span else 0))
    return HealthReport(output_label(output), tuple(findings), assumptions, values, repeats,
                        npoints, source, tuple(notes), th, flow)


def _resolve(program: Program, name: str) -> str:
    if name in program.names:
        return name
    return program.latest(name)


def _ranges(program: Program, th: Thresholds):
    ranges: dict[str, tuple[float, float]] = {}
    assumptions: list[Assumption] = []
    lo, hi = th.assumed_range
    at_values: dict[str, list[float]] = {}
    for point in program.points:
        for name, value in point.values:
            flat = np.ravel(measure._as_array(value))
            at_values.setdefault(name, []).extend(flat.tolist())
    for name in program.inputs:
        decl = program.declaration(name)
        if decl is not None and decl.range is not None:
            ranges[name] = (float(decl.range[0]), float(decl.range[1]))
            continue
        seen = at_values.get(name, [])
        r = (min([lo, *seen]), max([hi, *seen]))
        ranges[name] = r
        assumptions.append(Assumption(name, r, f"{pretty_name(name)} ∈ [{r[0]:g}, {r[1]:g}]"
                                      " (assumed: no range declared)"))
    return ranges, tuple(assumptions)
