"""What a gradient-health analysis returns: frozen data, no behaviour.

The language server maps a :class:`Finding` to a diagnostic (its factors to
related information, its remedies to code actions), the command line to a
lint line, JSON or a SARIF result; all of them read these classes only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from chainlens.engine.core.source import Span
from chainlens.engine.health.fixes import Remedy

__all__ = ["SEVERITIES", "Thresholds", "Factor", "Finding", "Assumption", "ValueMeasure",
           "LayerMeasure", "RepeatMeasure", "HealthReport"]

#: severities, most severe first
SEVERITIES = ("error", "warning", "info", "hint")


@dataclass(frozen=True)
class Thresholds:
    """When a gradient counts as vanishing or exploding, and how to measure.

    ``vanishing`` is relative: a bound below ``vanishing`` times the largest
    input's bound (or times 1, whichever is larger) is flagged."""

    vanishing: float = 1e-6
    exploding: float = 1e6
    #: a saturating activation whose |f'| is below this share of its sup
    saturation: float = 1e-3
    #: range assumed for inputs declared without one
    assumed_range: tuple[float, float] = (-1.0, 1.0)
    samples: int = 16
    seed: int = 0
    measure: bool = True


@dataclass(frozen=True)
class Factor:
    """A local derivative on the dominant path, repeated ``count`` times
    (once per layer for a repeat body): ``magnitude`` is its largest bound
    (or measured value), ``log10`` the log of the product of all of them."""

    label: str
    op: str
    magnitude: float
    count: int
    log10: float
    span: Span | None

    def to_dict(self) -> dict:
        return {"label": self.label, "op": self.op, "magnitude": _num(self.magnitude),
                "count": self.count, "log10": _num(self.log10),
                "span": self.span.to_dict() if self.span else None}


@dataclass(frozen=True)
class Finding:
    kind: str  # vanishing | exploding | singular | nonfinite | saturation
    severity: str  # error | warning | info | hint
    message: str
    span: Span | None
    names: tuple[str, ...] = ()  # the inputs/values concerned, worst first
    factors: tuple[Factor, ...] = ()
    bound: float | None = None
    bound_log10: float | None = None
    measured: float | None = None
    remedies: tuple[Remedy, ...] = ()
    layers: tuple[int, int] | None = None  # first and last layer concerned

    def to_dict(self) -> dict:
        return {
            "kind": self.kind, "severity": self.severity, "message": self.message,
            "span": self.span.to_dict() if self.span else None, "names": list(self.names),
            "factors": [f.to_dict() for f in self.factors], "bound": _num(self.bound),
            "bound_log10": _num(self.bound_log10), "measured": _num(self.measured),
            "remedies": [r.to_dict() for r in self.remedies],
            "layers": list(self.layers) if self.layers else None,
        }


@dataclass(frozen=True)
class Assumption:
    """A range the analysis used that the program did not declare."""

    name: str
    range: tuple[float, float]
    text: str


@dataclass(frozen=True)
class ValueMeasure:
    """|value| and |∂L/∂value| (medians over the points) of one name."""

    name: str
    layer: int | None
    value: float
    gradient: float
    bound: float | None = None


@dataclass(frozen=True)
class LayerMeasure:
    layer: int
    name: str  # the layer's last assignment: its output
    gradient: float


@dataclass(frozen=True)
class RepeatMeasure:
    span: Span
    var: str
    layers: tuple[LayerMeasure, ...]
    #: |∂L/∂(first layer's output)| / |∂L/∂(last layer's output)|
    ratio: float


@dataclass(frozen=True)
class HealthReport:
    output: str
    findings: tuple[Finding, ...]
    assumptions: tuple[Assumption, ...] = ()
    values: tuple[ValueMeasure, ...] = ()
    repeats: tuple[RepeatMeasure, ...] = ()
    points: int = 0
    points_from: str = ""  # "at", "sampled" or "" when not measured
    notes: tuple[str, ...] = ()
    thresholds: Thresholds = field(default_factory=Thresholds)
    #: a model's measured per-layer weight gradients (health.model.Flow)
    flow: object = None

    @property
    def ok(self) -> bool:
        return not any(f.severity in ("error", "warning") for f in self.findings)

    def __repr__(self) -> str:
        if not self.findings:
            return f"HealthReport({self.output}: no findings)"
        counts: dict[str, int] = {}
        for f in self.findings:
            counts[f.severity] = counts.get(f.severity, 0) + 1
        tally = ", ".join(f"{n} {sev}{'s' * (n > 1)}" for sev, n in counts.items())
        first = self.findings[0].message
        first = first if len(first) <= 120 else first[:119] + "…"
        return f"HealthReport({self.output}: {tally}; first: {first})"

    def _repr_markdown_(self) -> str:
        if not self.findings:
            head = f"**Gradient health of {self.output}:** no vanishing or exploding gradients"
            return head + (f" ({self.points} {self.points_from} points)" if self.points else "")
        lines = [f"**Gradient health of {self.output}:** {len(self.findings)} finding(s)", ""]
        for f in self.findings:
            where = f" (line {f.span.line})" if f.span else ""
            lines.append(f"- **{f.severity}** {f.message}{where} `[{f.kind}]`")
            lines += [f"  - fix: {r.title}" for r in f.remedies]
        lines += [f"- *assumed* {a.text}" for a in self.assumptions]
        return "\n".join(lines)

    def _repr_latex_(self) -> str | None:
        return None  # the report is prose: the notebook shows the Markdown

    def flagged(self, threshold: str = "warning") -> tuple[Finding, ...]:
        """Findings at ``threshold`` severity or worse."""
        cut = SEVERITIES.index(threshold)
        return tuple(f for f in self.findings if SEVERITIES.index(f.severity) <= cut)

    def to_dict(self) -> dict:
        return {
            "output": self.output,
            "findings": [f.to_dict() for f in self.findings],
            "assumptions": [{"name": a.name, "range": list(a.range), "text": a.text}
                            for a in self.assumptions],
            "values": [{"name": v.name, "layer": v.layer, "value": _num(v.value),
                        "gradient": _num(v.gradient), "bound": _num(v.bound)}
                       for v in self.values],
            "repeats": [{"span": r.span.to_dict(), "var": r.var, "ratio": _num(r.ratio),
                         "layers": [{"layer": m.layer, "name": m.name,
                                     "gradient": _num(m.gradient)} for m in r.layers]}
                        for r in self.repeats],
            "points": self.points, "points_from": self.points_from, "notes": list(self.notes),
            "flow": self.flow.to_dict() if self.flow is not None else None,
        }


def _num(x):
    """JSON has no inf/NaN: write them as strings."""
    if x is None or not isinstance(x, float) or math.isfinite(x):
        return x
    return str(x)
