"""Client-side results: plain Python and numpy, and pleasant in a notebook.

Each result is a frozen dataclass built from a response message; it shows
itself as an HTML table (``_repr_html_``) or as typeset math
(``_repr_latex_``) when it is the last expression of a notebook cell.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import grpc
import numpy as np
from chainlens.v1 import derivatives_pb2 as pb
from chainlens.v1 import tensor_pb2
from chainlens.v1.tensors import from_tensor

__all__ = [
    "ChainlensError",
    "GradientResult",
    "Derivative",
    "Derivatives",
    "CheckResult",
    "HealthReport",
]

_PROBLEM_KEY = "chainlens-problem-bin"


class ChainlensError(Exception):
    """A refused or failed call: the gRPC status code, the server's message,
    and, when the server named one, the field and place at fault."""

    def __init__(self, code: grpc.StatusCode, details: str,
                 problem: tensor_pb2.Problem | None = None):
        super().__init__(f"{code.name}: {details}")
        self.code = code
        self.details = details
        self.problem = problem
        self.field = problem.field if problem else ""
        has_place = problem is not None and problem.HasField("place")
        self.line = problem.place.line if has_place else None
        self.column = problem.place.column if has_place else None

    @classmethod
    def from_rpc_error(cls, error: grpc.RpcError) -> ChainlensError:
        problem = None
        for key, value in error.trailing_metadata() or ():
            if key == _PROBLEM_KEY:
                problem = tensor_pb2.Problem.FromString(value)
        return cls(error.code(), error.details() or "", problem)

    @classmethod
    def from_problem(cls, problem: tensor_pb2.Problem) -> ChainlensError:
        code = getattr(grpc.StatusCode, problem.code, grpc.StatusCode.UNKNOWN)
        where = problem.field
        if problem.HasField("place"):
            where += f":{problem.place.line}:{problem.place.column}"
        return cls(code, f"{where}: {problem.message}" if where else problem.message, problem)


def _number(array: np.ndarray) -> str:
    if array.ndim == 0:
        return f"{float(array):.6g}"
    with np.printoptions(precision=4, threshold=8, edgeitems=3):
        return str(array)


@dataclass(frozen=True)
class GradientResult:
    """Values and gradients of a program: ``values[output]`` and
    ``gradients[output][input]`` are numpy arrays (with a leading axis of
    points when the request was batched)."""

    values: dict[str, np.ndarray]
    gradients: dict[str, dict[str, np.ndarray]]
    nonfinite: tuple[str, ...] = ()
    points: int = 1
    batch_requests: int = 1
    batch_points: int = 1
    request_id: str = ""

    @classmethod
    def from_message(cls, m: pb.GradientResponse) -> GradientResult:
        return cls(
            {k: from_tensor(v) for k, v in m.values.items()},
            {o: {i: from_tensor(t) for i, t in g.tensors.items()} for o, g in m.gradients.items()},
            tuple(m.nonfinite), m.points, m.batch.requests, m.batch.points, m.request_id,
        )

    def gradient(self, output: str | None = None) -> dict[str, np.ndarray]:
        """The gradients of one output (default: the only one)."""
        if output is None:
            if len(self.gradients) != 1:
                raise KeyError(f"several outputs: name one of {sorted(self.gradients)}")
            output = next(iter(self.gradients))
        return self.gradients[output]

    def _repr_html_(self) -> str:
        rows = []
        for output, value in self.values.items():
            rows.append(f"<tr><th>{html.escape(output)}</th><td><code>"
                        f"{html.escape(_number(value))}</code></td></tr>")
            for name, grad in self.gradients.get(output, {}).items():
                rows.append(f"<tr><td>∂{html.escape(output)}/∂{html.escape(name)}</td><td><code>"
                            f"{html.escape(_number(grad))}</code></td></tr>")
        note = (f"{self.points} point(s); ran in a batch of {self.batch_requests} request(s), "
                f"{self.batch_points} point(s)")
        if self.nonfinite:
            note += "; non-finite: " + ", ".join(self.nonfinite)
        return (f"<table><caption>{html.escape(note)}</caption>{''.join(rows)}</table>")

    def _repr_latex_(self) -> str:
        parts = []
        for output, value in self.values.items():
            if value.ndim:
                return None  # tensors read better as the HTML table
            parts.append(f"{output} = {float(value):.6g}")
            for name, grad in self.gradients.get(output, {}).items():
                parts.append(rf"\frac{{\partial {output}}}{{\partial {name}}} = "
                             f"{float(grad):.6g}")
        return "$" + r",\quad ".join(parts) + "$"


@dataclass(frozen=True)
class Derivative:
    """One derivative in every notation, with its steps and conditions."""

    of: str
    wrt: str
    order: int
    text: str
    unicode: str
    latex: str
    python: str
    steps: tuple[tuple[str, str], ...] = ()  # (rule, text)
    step_latex: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    expression: str = ""  # what was differentiated, Unicode
    expression_latex: str = ""

    @classmethod
    def from_message(cls, m: pb.Derivative) -> Derivative:
        r = m.result
        return cls(m.of, m.wrt, m.order, r.text, r.unicode, r.latex, r.python,
                   tuple((s.rule, s.unicode or s.text) for s in m.steps),
                   tuple(s.latex for s in m.steps),
                   tuple(c.text for c in m.conditions), m.expression.unicode,
                   m.expression.latex)

    def __str__(self) -> str:
        return self.text

    @property
    def _lhs(self) -> str:
        power = f"^{{{self.order}}}" if self.order > 1 else ""
        if self.of:
            return rf"\frac{{\partial{power} {self.of}}}{{\partial {self.wrt}{power}}}"
        return (rf"\frac{{d{power}}}{{d{self.wrt}{power}}}\left[{self.expression_latex}"
                r"\right]")

    @property
    def _lhs_text(self) -> str:
        power = f"^{self.order}" if self.order > 1 else ""
        if self.of:
            return f"∂{power}{self.of}/∂{self.wrt}{power}"
        return f"d{power}/d{self.wrt}{power} [{self.expression}]"

    def _repr_latex_(self) -> str:
        cond = ""
        if self.conditions:
            cond = r"\quad\text{for } " + r",\ ".join(
                r"\text{" + c.replace("\\", "") + "}" for c in self.conditions)
        return f"$${self._lhs} = {self.latex}{cond}$$"

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(text)}</li>"
                        for _rule, text in self.steps)
        conds = ("<p>valid for " + html.escape(", ".join(self.conditions)) + "</p>"
                 if self.conditions else "")
        steps = f"<ol>{items}</ol>" if items else ""
        return (f"<p>{html.escape(self._lhs_text)} = "
                f"<code>{html.escape(self.unicode)}</code></p>{conds}{steps}")


@dataclass(frozen=True)
class Derivatives:
    """The derivatives of a Differentiate call, indexable by variable name."""

    items: tuple[Derivative, ...] = field(default_factory=tuple)

    def __getitem__(self, key: int | str) -> Derivative:
        if isinstance(key, int):
            return self.items[key]
        for d in self.items:
            if d.wrt == key:
                return d
        raise KeyError(key)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def _repr_latex_(self) -> str:
        lines = r" \\ ".join(f"{d._lhs} &= {d.latex}" for d in self.items)
        return rf"$$\begin{{aligned}}{lines}\end{{aligned}}$$"

    def _repr_html_(self) -> str:
        return "".join(d._repr_html_() for d in self.items)


_EQUALS = re.compile(r"correct: the claim equals (d/d\S+) = (.*)", re.DOTALL)


def _with_function(message: str, expression: str) -> str:
    """The server's ``correct: the claim equals d/dx = 2x·cos(x²)`` names no
    function (red team P2-13); with the expression the caller sent it reads
    ``correct: d/dx sin(x^2) = 2x·cos(x²)``.  Any other message is kept."""
    m = _EQUALS.fullmatch(message)
    if m is None or not expression.strip():
        return message
    return f"correct: {m.group(1)} {expression.strip()} = {m.group(2)}"


@dataclass(frozen=True)
class CheckResult:
    """The verdict on a claimed derivative; truthy when the claim is right."""

    correct: bool
    message: str
    expected: str
    expected_latex: str
    method: str = ""
    counterexample: dict[str, float] = field(default_factory=dict)
    expected_value: float | None = None
    claimed_value: float | None = None

    @classmethod
    def from_message(cls, m: pb.CheckResponse, expression: str = "") -> CheckResult:
        wrong_at = bool(m.counterexample)
        return cls(m.correct, _with_function(m.message, expression),
                   m.expected.unicode or m.expected.text, m.expected.latex,
                   m.method, dict(m.counterexample),
                   m.expected_value if wrong_at else None, m.claimed_value if wrong_at else None)

    def __bool__(self) -> bool:
        return self.correct

    def _repr_html_(self) -> str:
        mark = "✔ correct" if self.correct else "✘ wrong"
        return (f"<p><b>{mark}</b> ({html.escape(self.method)}): {html.escape(self.message)}"
                f"</p>")


@dataclass(frozen=True)
class HealthReport:
    """The gradient-health report: ``findings`` are dicts (kind, severity,
    message, names, line, bound, measured, remedies)."""

    summary: str
    ok: bool
    output: str
    findings: tuple[dict, ...] = ()
    magnitudes: tuple[dict, ...] = ()
    repeats: tuple[dict, ...] = ()
    notes: tuple[str, ...] = ()
    #: input -> (path count, gradient, ((edge labels...), product) largest first)
    paths: dict = field(default_factory=dict)

    @classmethod
    def from_message(cls, m: pb.AnalyzeResponse) -> HealthReport:
        findings = tuple(
            {"kind": f.kind, "severity": f.severity, "message": f.message,
             "names": tuple(f.names), "line": f.place.line if f.HasField("place") else None,
             "bound": f.bound, "measured": f.measured,
             "remedies": tuple(r.title for r in f.remedies)}
            for f in m.findings)
        magnitudes = tuple({"name": v.name, "layer": v.layer, "value": v.value,
                            "gradient": v.gradient} for v in m.magnitudes)
        repeats = tuple({"var": r.var, "ratio": r.ratio,
                         "layers": tuple((x.layer, x.gradient) for x in r.layers)}
                        for r in m.repeats)
        paths = {p.wrt: (int(p.count or 0), p.gradient,
                         tuple((tuple(f"{e.source}->{e.target}" for e in g.edges), g.product)
                               for g in p.paths)) for p in m.paths}
        return cls(m.summary, m.ok, m.output, findings, magnitudes, repeats,
                   tuple(m.notes) + tuple(m.assumptions), paths)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(f['severity'])}</td><td>{html.escape(f['kind'])}</td>"
            f"<td>{html.escape(f['message'])}</td></tr>" for f in self.findings)
        return f"<p>{html.escape(self.summary)}</p><table>{rows}</table>"
