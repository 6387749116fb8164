"""``chainlens parse``: read an expression or a file and print it back.

Thin: :func:`chainlens.engine.frontends.document.read_document` does the
reading (a ``.chain`` program; the units of a Python file, notebook or note,
as the editor reads them), the printers do the spelling.  Useful to see how
chainlens understood what you typed (``2x``, ``\\sin x``, ``np.exp``), to
convert between notations, and as JSON for tools (every assignment, output,
input, point and source span).
"""

from __future__ import annotations

import json
from fractions import Fraction

from chainlens.engine.core.source import ChainError

FORMATS = ("text", "unicode", "latex", "python", "json")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "parse", help="parse an expression or .chain program and print it back",
        description="Parse EXPR_OR_FILE (ASCII, LaTeX or numpy spelling) and print each "
                    "statement in the chosen notation.")
    p.add_argument("source", metavar="EXPR_OR_FILE", help="an expression, a file, or - (stdin)")
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="notation to print (default text; json for tools)")
    p.set_defaults(func=run)


def run(args) -> int:
    from chainlens.cli.inputs import read_input

    doc, label = read_input(args.source)
    if doc.kind == "chain" and not doc.text.strip():  # as `diff ''` says (was a silent exit 0)
        raise ChainError("nothing to parse: the input is empty",
                         hint="give an expression or a file, e.g. chainlens parse 'sin(x^2)'")
    if doc.kind == "chain":
        (unit,) = doc.units
        if args.format == "json":
            print(json.dumps(to_json(unit.program), ensure_ascii=False, indent=2))
        else:
            for line in to_lines(unit.program, args.format):
                print(line)
        return 0
    # A Python file, notebook or note: every unit the front-end read, as the
    # editor sees them.
    if args.format == "json":
        print(json.dumps({"source": label, "kind": doc.kind, "units": [
            dict(to_json(u.program), label=u.label, kind=u.kind, cell=u.cell,
                 span=u.span.to_dict()) for u in doc.units]}, ensure_ascii=False, indent=2))
        return 0
    comment = "%" if args.format == "latex" else "#"
    for u in doc.units:
        span = u.name_span or u.span
        cell = f" (cell {u.cell})" if u.cell is not None else ""
        print(f"{comment} {u.label} ({u.kind}{cell}), {label}:{span.line}:{span.column}")
        for line in to_lines(u.program, args.format, source_order=u.kind == "claim"):
            print(line)
    for s in doc.skipped:
        print(f"{comment} {s.name} not read ({label}:{s.span.line}:{s.span.column}): "
              f"{s.reason.removeprefix('not read: ')}")
    return 0


def _render(node, notation: str) -> str:
    from chainlens.engine.printing import render

    return render(node, notation)


def _name(name: str, notation: str) -> str:
    from chainlens.engine.printing import display_symbol

    return display_symbol(name, notation)


def to_lines(program, notation: str, source_order: bool = True) -> list[str]:
    """The program statement by statement, in source order (a repeat block
    prints every layer it expanded to; expression statements print as bare
    expressions), then @wrt and the outputs.  A Python unit's statements
    point into ``__init__`` and ``forward`` alike, so there
    (``source_order=False``) declarations come first, then the assignments
    in the order they compute (``z@2`` after ``z``)."""
    comment = "%" if notation == "latex" else "#"
    blocks = [r.span for r in program.repeats]

    def where(span) -> int:
        # A statement inside a repeat block sorts at the block's start, so the
        # expanded layers keep their order (layer 1's statements, layer 2's...).
        return min((b.start for b in blocks if b.start <= span.start < b.end),
                   default=span.start)

    lines: list[tuple[int, str]] = []
    for d in program.declarations:
        shape = f": [{', '.join(map(str, d.shape))}]" if d.shape else ""
        rng = f" in [{_number(d.range[0])}, {_number(d.range[1])}]" if d.range else ""
        lines.append((where(d.span), f"{d.role} {_name(d.name, notation)}{shape}{rng}"))
    for f in program.functions:
        params = ", ".join(_name(p, notation) for p in f.params)
        lines.append((where(f.span), f"{f.name}({params}) = {_render(f.body, notation)}"))
    for a in program.assignments:
        rhs = _render(a.expr, notation)
        text = rhs if a.name.startswith("_") else f"{_name(a.name, notation)} = {rhs}"
        lines.append((where(a.span), text))
    for p in program.points:
        values = ", ".join(f"{_name(k, notation)}={_value_text(v)}" for k, v in p.values)
        lines.append((p.span.start, f"@at {values}"))
    if source_order:
        lines.sort(key=lambda item: item[0])  # stable sort
    out = [text for _, text in lines]
    if program.wrt:
        out.append(f"@wrt {', '.join(_name(w, notation) for w in program.wrt)}")
    shown = ", ".join(_name(o, notation) for o in program.outputs if not o.startswith("_"))
    if shown:
        out.append(f"{comment} outputs: {shown}")
    return out


def to_json(program) -> dict:
    """Everything a tool needs: each assignment in every notation with its
    spans, the outputs, inputs, declarations, points and the source map."""
    def node_json(node) -> dict:
        return {n: _render(node, n) for n in ("text", "unicode", "latex", "python")}

    spans = []
    for node, where in program.spans.items():
        spans.append({"text": _render(node, "text"), "op": node.op,
                      "spans": [s.to_dict() for s in where]})
    spans.sort(key=lambda e: (e["spans"][0]["start"], -e["spans"][0]["end"]))
    return {
        "assignments": [
            {"name": a.name, "display": a.display, "expr": node_json(a.expr),
             "layer": a.layer, "span": a.span.to_dict(), "name_span": a.name_span.to_dict(),
             "expr_span": a.expr_span.to_dict()}
            for a in program.assignments
        ],
        "outputs": list(program.outputs),
        "inputs": list(program.inputs),
        "declarations": [
            {"name": d.name, "role": d.role, "shape": list(d.shape),
             "range": [float(d.range[0]), float(d.range[1])] if d.range else None,
             "layer": d.layer, "span": d.span.to_dict()}
            for d in program.declarations
        ],
        "functions": [
            {"name": f.name, "params": list(f.params), "body": _render(f.body, "text"),
             "span": f.span.to_dict()}
            for f in program.functions
        ],
        "points": [
            {"values": {k: _value_json(v) for k, v in p.values}, "span": p.span.to_dict()}
            for p in program.points
        ],
        "wrt": list(program.wrt),
        "repeats": [
            {"var": r.var, "start": r.start, "stop": r.stop, "span": r.span.to_dict(),
             "layers": [list(names) for names in r.layers]}
            for r in program.repeats
        ],
        "spans": spans,
    }


def _number(v) -> str:
    """``1/2`` stays exact; a fraction standing for an irrational bound
    (PyTorch's ±1/√fan_in: ``249050323/704420689``) prints as 0.353553."""
    if isinstance(v, Fraction):
        if v.denominator == 1:
            return str(v.numerator)
        return str(v) if v.denominator <= 10_000 else f"{float(v):.6g}"
    return repr(float(v))


def _value_text(v) -> str:
    if isinstance(v, tuple):
        return "[" + ", ".join(_value_text(x) for x in v) + "]"
    if isinstance(v, Fraction) and v.denominator != 1:
        f = float(v)
        return repr(f) if Fraction(repr(f)) == v else str(v)
    return _number(v)


def _value_json(v):
    if isinstance(v, tuple):
        return [_value_json(x) for x in v]
    return float(v)
