"""Differentiate, Analyze and Check: engine call in, proto message out.

Each function runs on a worker thread, takes the request message and returns
the response message; engine errors propagate as :class:`ChainError` and the
servicer turns them into INVALID_ARGUMENT with the place.  No calculus here:
only the engine's results, copied field by field.
"""

from __future__ import annotations

import re

from chainlens.engine.api.inputs import InputError, order, wrt_names
from chainlens.engine.api.outputs import output_label
from chainlens.engine.core.limits import MAX_TENSOR_ELEMENTS
from chainlens.engine.core.source import ChainError
from chainlens.engine.printing import render
from chainlens.server.rpc.problems import from_chain_error, invalid, place
from chainlens.server.rpc.programs import check_source, parse_program
from chainlens.v1 import derivatives_pb2 as pb
from chainlens.v1.tensors import TensorFormatError, from_tensor

__all__ = ["differentiate", "analyze", "check"]


def differentiate(request: pb.DifferentiateRequest) -> pb.DifferentiateResponse:
    from chainlens.engine.symbolic.derivatives import diff

    program = parse_program(request.source, "source")
    try:
        n = order(request.order)
        wrt = wrt_names(list(request.wrt), program)
    except InputError as exc:
        raise from_chain_error(exc, exc.field or "source") from None
    response = pb.DifferentiateResponse()
    for output in program.outputs:
        expr = program.expanded(output)
        for var in wrt:
            try:
                d = diff(expr, var, order=n)
            except ChainError as exc:
                raise from_chain_error(exc, "source") from None
            response.derivatives.append(_derivative(d, output, request.steps,
                                                    program.outputs))
    return response


def _derivative(d, output: str, with_steps: bool, outputs=()) -> pb.Derivative:
    """The one JSON form of a Derivative (``Derivative.to_dict``), as proto."""
    data = d.to_dict(steps=False)
    message = pb.Derivative(
        of=output_label(output, outputs), wrt=data["wrt"],
        order=data["order"], result=pb.Rendering(**data["result"]),
        conditions=[pb.Condition(kind=c["kind"], text=c["text"]) for c in data["conditions"]],
        expression=_rendering(d.expr),
    )
    if with_steps:
        message.steps.extend(_step(s) for s in d.steps)
    return message


def _rendering(node) -> pb.Rendering:
    return pb.Rendering(text=render(node, "text"), unicode=render(node, "unicode"),
                        latex=render(node, "latex"), python=render(node, "python"))


def _step(step) -> pb.Step:
    from chainlens.engine.symbolic.step_text import format_steps

    return pb.Step(rule=step.rule, depth=step.depth,
                   text=_one_line(format_steps([step], "text")),
                   unicode=_one_line(format_steps([step], "unicode")),
                   latex=_one_latex(format_steps([step], "latex")))


def _one_line(numbered: str) -> str:
    """``'    1. chain rule: ...'`` -> ``'chain rule: ...'``."""
    return _NUMBERED.sub("", numbered.strip(), count=1)


def _one_latex(block: str) -> str:
    """One step's line out of the printer's ``aligned`` block."""
    body = block.replace("\\begin{aligned}", "").replace("\\end{aligned}", "").strip()
    return _LATEX_NUMBER.sub("", body, count=1).strip()


_NUMBERED = re.compile(r"^\d+\.\s*")
_LATEX_NUMBER = re.compile(r"^&\\text\{\d+\.\}\\\s*")


def analyze(request: pb.AnalyzeRequest) -> pb.AnalyzeResponse:
    from chainlens.engine.health.recheck import analyze_checked as health_report

    program = parse_program(request.program)
    at = None
    if request.at:
        at = {}
        for name, tensor in request.at.items():
            field = f"at[{name!r}]"
            try:
                value = from_tensor(tensor, max_elements=MAX_TENSOR_ELEMENTS)
            except TensorFormatError as exc:
                raise invalid(field, str(exc)) from None
            if value.size == 0:
                raise invalid(field, f"has shape {list(value.shape)}: no values to measure at")
            at[name] = value
    try:
        report = health_report(program, at=at)
    except ChainError as exc:
        raise from_chain_error(exc, "at" if at else "program") from None
    response = _report(report)
    if request.top_paths:
        _add_paths(response, program, at, request.top_paths)
    return response


def _add_paths(response: pb.AnalyzeResponse, program, at, top: int) -> None:
    """The chain rule as a sum over paths; programs it does not apply to
    (tensors, no point) get a note instead."""
    from chainlens.engine.numeric.paths import paths

    point = {k: float(v.reshape(-1)[0]) for k, v in at.items()} if at else None
    try:
        report = paths(program, at=point, top=min(top, 100))
    except ChainError as exc:
        response.notes.append(f"paths: {exc}")
        return
    for entry in report.inputs:
        response.paths.append(pb.InputPaths(
            wrt=entry.wrt, count=str(entry.count), gradient=entry.gradient,
            paths=[pb.GradientPath(product=p.product, edges=[
                pb.Edge(source=f.source, target=f.target, op=f.op, derivative=f.derivative,
                        value=f.value) for f in p.factors]) for p in entry.paths]))


def _report(report) -> pb.AnalyzeResponse:
    response = pb.AnalyzeResponse(
        summary=_summary(report), output=report.output, ok=report.ok,
        assumptions=[a.text for a in report.assumptions], points=report.points,
        points_from=report.points_from, notes=list(report.notes))
    response.findings.extend(_finding(f) for f in report.findings)
    response.magnitudes.extend(
        pb.Magnitude(name=v.name, layer=v.layer or 0, value=_finite(v.value),
                     gradient=_finite(v.gradient), bound=_finite(v.bound))
        for v in report.values)
    for r in report.repeats:
        response.repeats.append(pb.RepeatHealth(
            var=r.var, place=place(r.span), ratio=_finite(r.ratio),
            layers=[pb.Magnitude(name=m.name, layer=m.layer, gradient=_finite(m.gradient))
                    for m in r.layers]))
    return response


def _finding(f) -> pb.Finding:
    first, last = f.layers or (0, 0)
    return pb.Finding(
        kind=f.kind, severity=f.severity, message=f.message, names=list(f.names),
        place=place(f.span), bound=_finite(f.bound), measured=_finite(f.measured),
        first_layer=first, last_layer=last,
        factors=[pb.Factor(label=x.label, op=x.op, magnitude=_finite(x.magnitude),
                           count=x.count, log10=_finite(x.log10), place=place(x.span))
                 for x in f.factors],
        remedies=[pb.Remedy(kind=r.kind, title=r.title) for r in f.remedies])


def _summary(report) -> str:
    if not report.findings:
        return f"no gradient-health findings for {report.output or 'the program'}"
    counts: dict[str, int] = {}
    for f in report.findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    tally = ", ".join(f"{n} {sev}{'s' if n > 1 else ''}" for sev, n in counts.items())
    return f"{tally}; first: {report.findings[0].message}"


def _finite(x) -> float:
    """proto doubles carry inf and NaN, but None (not computed) becomes 0."""
    return 0.0 if x is None else float(x)


def check(request: pb.CheckRequest) -> pb.CheckResponse:
    from chainlens.engine.language.reader import parse_expr
    from chainlens.engine.symbolic.check import check_derivative

    program = parse_program(request.expression, "expression")
    check_source(request.claimed, "claimed")
    try:
        claimed = parse_expr(request.claimed)
    except ChainError as exc:
        raise from_chain_error(exc, "claimed") from None
    try:
        result = check_derivative(program, claimed, request.wrt or None)
    except ChainError as exc:
        raise from_chain_error(exc, "wrt" if request.wrt else "expression") from None
    d = result.derivative
    response = pb.CheckResponse(
        correct=result.equal, method=result.method, points=result.points,
        expected=_rendering(d),
        message=_verdict(result),
    )
    if result.counterexample:
        response.counterexample.update(dict(result.counterexample))
        response.expected_value = result.expected
        response.claimed_value = result.got
    return response


def _verdict(result) -> str:
    derivative = render(result.derivative, "unicode")
    if result.equal and result.method == "symbolic":
        return f"correct: the claim equals d/d{result.wrt} = {derivative}"
    if result.equal:
        return (f"correct: the claim agrees with {derivative} at {result.points} points "
                "in the domain")
    if result.counterexample:
        at = ", ".join(f"{k}={v:.6g}" for k, v in result.counterexample)
        return (f"wrong: at {at} the derivative is {result.expected:.6g} but the claim gives "
                f"{result.got:.6g}; the derivative is {derivative}")
    return f"wrong: the derivative is {derivative}"
