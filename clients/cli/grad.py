"""``chainlens grad``: values and gradients at points, from the compiled kernel.

    chainlens grad 'sin(x^2)' --at x=1
    chainlens grad neuron.chain --at x=0.5,w=0.8,b=-0.1,y=1 --wrt w,b --format json
    chainlens grad graph.chain --at x=0.5 --paths 5

Several ``--at`` options (or ``@at`` lines) are evaluated as one batch.  When
a value or gradient is NaN/Inf the node that first produced it is reported as
``file:line:col`` and the exit status is 1.
"""

from __future__ import annotations

import argparse
import json
import math

from chainlens.engine.core.source import ChainError, EvaluationError


def register(subparsers) -> None:
    p = subparsers.add_parser("grad", help="value and gradient at points (compiled kernel)",
                              description=__doc__.split("\n\n")[0])
    p.add_argument("source", metavar="EXPR_OR_FILE")
    p.add_argument("--at", action="append", default=[], metavar="x=1,w=0.5",
                   help="a point (repeat for a batch); default: the program's @at lines")
    p.add_argument("--wrt", default=None, metavar="x,w",
                   help="inputs to differentiate by (default: @wrt, else all inputs)")
    p.add_argument("--paths", type=_count, default=0, metavar="N",
                   help="also list the N largest chain-rule paths (scalar programs)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="also print the differentiation mode the cost model chose, and why")
    p.set_defaults(func=run)


def _count(text: str) -> int:
    """``--paths N``: a whole number ≥ 0 (``-3`` was accepted and ignored)."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"expected a number of paths ≥ 0, got {n}")
    return n


def parse_point(text: str) -> dict:
    """``x=1,v=[1, 2],w=0.5`` -> values (commas inside brackets kept)."""
    items, depth, start = [], 0, 0
    for i, ch in enumerate(text + ","):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth < 0:
                raise EvaluationError(f"--at {text!r}: ']' at character {i + 1} closes no '['")
        elif ch == "," and depth == 0:
            if text[start:i].strip():
                items.append(text[start:i])
            start = i + 1
    if depth > 0:  # x=[1,2 would be read as no value for x at all (red team P2-18)
        raise EvaluationError(f"--at {text!r}: unclosed '[' (a list is written x=[1, 2])",
                              expected=("']'",))
    point = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise EvaluationError(f"--at expects name=value pairs, got {item.strip()!r}",
                                  expected=("x=1,w=0.5",))
        try:
            point[name.strip()] = json.loads(value.strip())
        except json.JSONDecodeError:
            try:  # numbers JSON does not spell: .5, 5., +1, inf
                point[name.strip()] = float(value.strip())
            except ValueError:
                raise EvaluationError(f"the value of {name.strip()!r} is not a number or a "
                                      f"list: {value.strip()!r}") from None
    return point


def run(args) -> int:
    from chainlens.cli.inputs import read_input
    from chainlens.engine.api.inputs import point as valid_point
    from chainlens.engine.api.inputs import wrt_names
    from chainlens.engine.numeric.kernel import compile, evaluate

    doc, label = read_input(args.source)
    text = doc.text
    try:
        program = _one_program(doc, label)
        wrt = wrt_names(args.wrt, program) if args.wrt else None
        points = [valid_point(_inputs_only(parse_point(a), a, program), program, "--at")
                  for a in args.at] or None
        kernel = compile(program, wrt=wrt)
        evaluation = evaluate(program, at=points, kernel=kernel)
    except Exception as exc:
        _attach(exc, text)
        raise
    report = None
    if args.paths:
        from chainlens.engine.numeric.paths import paths

        at = points[0] if points else None
        report = paths(program, wrt=kernel.wrt, at=at, top=args.paths)
    at = points or [p.as_dict() for p in program.points] or [{}]
    if args.format == "json":
        print(json.dumps(_as_json(label, kernel, evaluation, at, report), indent=2))
    else:
        _print_text(label, kernel, evaluation, at, report, verbose=args.verbose)
    return 1 if evaluation.nonfinite else 0


def _one_program(doc, label: str):
    """The program to evaluate: a ``.chain`` file's, or the only unit of a
    Python file."""
    units = doc.programs
    if len(units) == 1:
        return units[0].program
    if not units:
        raise ChainError(f"{label} has nothing grad can evaluate", hint="grad evaluates an "
                         "expression, a .chain program or a Python file with one function")
    names = ", ".join(u.label for u in units)
    if all(u.kind in ("module", "sequential") for u in units):  # models: not "functions"
        raise ChainError(f"{label} has {len(units)} models ({names}); grad evaluates one "
                         "program at a point", hint=f"a model's gradient by layer: chainlens "
                         f"health -v {label}")
    what = ("functions and models" if any(u.kind in ("module", "sequential") for u in units)
            else "functions")
    raise ChainError(f"{label} has {len(units)} {what} to evaluate ({names}); "
                     "grad evaluates one program", hint=f"put the one you want in a .chain "
                     f"file; each one's derivatives: chainlens diff {label}")


def _inputs_only(point: dict, typed: str, program) -> dict:
    """``point``, when every name is an input; else the error says it the
    way it was typed (``--at q=1``), not as a request field (``--at['q']``)."""
    for name in point:
        if name not in program.inputs:
            raise EvaluationError(f"--at {typed}: {name!r} is not an input of the program",
                                  expected=tuple(program.inputs) or ("no inputs",))
    return point


def _attach(exc, text: str) -> None:
    """Give an engine error the source text, so the caret can be drawn."""
    if isinstance(exc, ChainError) and exc.source is None:
        exc.source = text


def _num(x: float):
    x = float(x)
    return x if math.isfinite(x) else str(x)


def _show_at(point: dict) -> str:
    return ", ".join(f"{k}={_fmt(_plain_value(v))}" for k, v in point.items())


def _plain_value(v):
    if isinstance(v, tuple | list):
        return [_plain_value(x) for x in v]
    return float(v)


def _display(name: str, outputs) -> str:
    """Expression statements are keyed ``_1``, ``_2``.. by the parser: show ``f``."""
    from chainlens.engine.api.outputs import output_label

    return output_label(name, outputs)


def _where(label: str, span) -> str:
    return f"{label}:{span.line}:{span.column}" if span else label


def _print_text(label, kernel, ev, at, report, verbose: bool = False) -> None:
    for b in range(ev.batch):
        point = at[b] if b < len(at) else {}
        print(f"at {_show_at(point)}" if point else "at (no inputs)")
        for out, value in ev.values.items():
            shown = _display(out, ev.values)
            print(f"  {shown} = {_fmt(value[b])}")
            for w, g in ev.gradients.get(out, {}).items():
                print(f"  ∂{shown}/∂{w} = {_fmt(g[b])}")
    if verbose:
        print(f"mode: {kernel.mode_reason}")
    for nf in ev.nonfinite:
        where = f" in {_display(nf.name, ev.values)}" if nf.name else ""
        print(f"{_where(label, nf.span)}: warning: NaN/Inf first produced in the {nf.phase} "
              f"pass by {nf.op}{where} at {nf.count} point(s)")
    if report is not None:
        out = _display(report.output, ev.values)
        for entry in report.inputs:
            print(f"paths from {entry.wrt} to {out}: {entry.count} "
                  f"(they sum to ∂{out}/∂{entry.wrt} = {_fmt(entry.gradient)})")
            for path in entry.paths:
                chain = " · ".join(f"∂{f.target}/∂{f.source} = {f.derivative} = {_fmt(f.value)}"
                                   for f in path.factors)
                print(f"  {_fmt(path.product)}  =  {chain}")


def _fmt(value) -> str:
    import numpy as np

    a = np.asarray(value)
    if a.ndim == 0:
        return f"{float(a):.10g}"
    text = np.array2string(a, precision=6, separator=", ", max_line_width=10**6)
    return " ".join(text.split())


def _as_json(label, kernel, ev, at, report) -> dict:
    import numpy as np

    def plain(a):
        return np.vectorize(_num, otypes=[object])(np.asarray(a)).tolist()

    out = {
        "source": label,
        "inputs": list(kernel.inputs),
        "wrt": list(kernel.wrt),
        "mode": kernel.mode,
        "mode_reason": kernel.mode_reason,
        "costs": kernel.costs,
        "points": [
            {
             "at": {k: _plain_value(v) for k, v in (at[b] if b < len(at) else {}).items()},
             "values": {_display(o, ev.values): plain(v[b]) for o, v in ev.values.items()},
             "gradients": {_display(o, ev.values): {w: plain(g[b]) for w, g in row.items()}
                           for o, row in ev.gradients.items()}}
            for b in range(ev.batch)
        ],
        "nonfinite": [dict(nf.to_dict(), name=nf.name and _display(nf.name, ev.values),
                           where=_where(label, nf.span)) for nf in ev.nonfinite],
    }
    if report is not None:
        out["paths"] = [
            {"wrt": e.wrt, "count": e.count, "gradient": _num(e.gradient),
             "top": [{"product": _num(p.product),
                      "factors": [{"source": f.source, "target": f.target, "op": f.op,
                                   "derivative": f.derivative, "value": _num(f.value)}
                                  for f in p.factors]} for p in e.paths]}
            for e in report.inputs
        ]
    return out
