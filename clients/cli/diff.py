"""``chainlens diff``: derivatives of an expression, a ``.chain`` program, or
every function of a Python file, claim of a note, cell of a notebook.

Thin: reads the argument with the front-end the editor uses
(:func:`chainlens.engine.frontends.document.read_document`), asks
:mod:`chainlens.engine.api.derivatives` which derivatives each unit wants
(a ``def``: its result by its parameters, as the hover shows), prints.  For
a program it also prints backprop through the program's own names
(``∂L/∂z = 2(a - y)·σ(z)(1 - σ(z))``), the way the seed article writes it.
"""

from __future__ import annotations

import json
import math

from chainlens.engine.frontends.kinds import KINDS

FORMATS = ("text", "unicode", "latex", "python", "json")


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "diff", help="differentiate an expression or .chain program, with steps",
        description="Differentiate EXPR_OR_FILE symbolically (the chain rule, with steps).")
    p.add_argument("source", metavar="EXPR_OR_FILE", help="an expression, a file, or - (stdin)")
    p.add_argument("--wrt", help="variables, comma-separated (default: the only one, or all)")
    p.add_argument("--order", type=int, default=1, help="order of the derivative (default 1)")
    p.add_argument("--steps", action="store_true", help="print the chain-rule derivation")
    p.add_argument("--format", choices=FORMATS, default="unicode",
                   help="notation (default unicode)")
    p.add_argument("--no-simplify", action="store_true", help="print the raw chain-rule result")
    p.add_argument("--kind", choices=KINDS, default=None,
                   help="how to read the input (default: from the file extension, else chain)")
    p.set_defaults(func=run)


def run(args) -> int:
    from chainlens.cli.inputs import read_input
    from chainlens.engine.api.inputs import order as valid_order
    from chainlens.engine.api.inputs import wrt_names

    doc, label = read_input(args.source, args.kind)
    valid_order(args.order)
    if doc.kind != "chain":
        return _units(doc, label, args)
    (unit,) = doc.units
    program = unit.program
    simplify = not args.no_simplify
    if any(not a.name.startswith("_") for a in program.assignments):
        wrt = wrt_names(args.wrt, program) if args.wrt else None
        return _program(program, wrt, args, simplify)
    # Only expression statements (parsed as the synthetic outputs _1, _2...).
    from chainlens.engine.core.walk import free_symbols
    from chainlens.engine.symbolic.derivatives import diff

    results = []
    for out in program.outputs:
        node = program.expanded(out)
        variables = free_symbols(node)
        names = (wrt_names(args.wrt, variables) if args.wrt else None) or list(program.wrt) \
            or list(variables) or ["x"]
        results += [diff(node, v, order=args.order, simplify=simplify) for v in names]
    if args.format == "json":
        print(json.dumps([r.to_dict(steps=args.steps) for r in results], ensure_ascii=False,
                         indent=2))
        return 0
    for r in results:
        _print_derivative(r, args.format, args.steps)
    return 0


def _units(doc, label: str, args) -> int:
    """Every unit of a Python file, notebook or note: the derivatives the
    editor's hover shows for it (a Sequential stack is summarised: its
    gradient is a tensor expression, see ``chainlens health``)."""
    from chainlens.engine.api.derivatives import unit_derivatives
    from chainlens.engine.api.inputs import wrt_names
    from chainlens.engine.core.walk import free_symbols
    from chainlens.engine.frontends.claims import claim_variable
    from chainlens.engine.printing import render

    simplify = not args.no_simplify
    wanted = None
    if args.wrt:  # names any unit uses; each unit is differentiated by the ones it has
        wanted = wrt_names(args.wrt, sorted({n for u in doc.units for n in free_symbols(u.expr)}))
    entries = []
    for unit in doc.units:
        where = _where(doc, label, unit)
        if unit.kind == "sequential":
            entries.append((unit, where, ()))
            continue
        if wanted is not None:
            names = [w for w in wanted if w in free_symbols(unit.expr)]
            if not names:
                continue
        else:
            names = [claim_variable(unit)] if unit.kind == "claim" else None
        entries.append((unit, where, unit_derivatives(unit, names, args.order, simplify)))
    if args.format == "json":
        print(json.dumps({
            "source": label, "kind": doc.kind,
            "units": [{"label": u.label, "kind": u.kind, "where": where,
                       "params": list(u.params), "span": u.span.to_dict(),
                       "derivatives": [d.to_dict(steps=args.steps) for d in ds]}
                      for u, where, ds in entries],
            "skipped": [{"name": s.name, "reason": s.reason, "span": s.span.to_dict()}
                        for s in doc.skipped]}, ensure_ascii=False, indent=2))
        return 0
    fmt = "text" if args.format == "python" else args.format
    d = "∂" if fmt == "unicode" else "d"
    for unit, where, derivatives in entries:
        if unit.kind == "sequential":
            acts = [a.expr.op for a in unit.program.assignments
                    if a.expr.op not in ("add", "matmul", "mul")]
            print(f"{where}: {unit.label} (sequential): {len(unit.program.assignments)} steps; "
                  f"activations: {', '.join(acts) or 'none'}")
            continue
        if unit.kind == "claim":
            print(f"{where}: {unit.label}: d/d{derivatives[0].wrt} {unit.claim.expr}, "
                  f"the note claims {unit.claim.claimed}")
        else:
            params = f"({', '.join(unit.params)})" if unit.kind == "function" else ""
            print(f"{where}: {unit.label}{params} = {render(unit.expr, fmt)}")
        name = "f" if unit.kind == "claim" else unit.label
        for r in derivatives:
            order = "" if r.order == 1 else f"^{r.order}"
            print(f"  {d}{order}{name}/{d}{r.wrt}{order} = {render(r.result, args.format)}")
            for c in r.conditions:
                print(f"    {'where' if c.kind != 'nondifferentiable' else 'note:'} {c.text}")
            if args.steps:
                from chainlens.engine.symbolic.step_text import format_steps

                print(format_steps(r.steps, fmt))
    for s in doc.skipped:
        print(f"{label}:{s.span.line}:{s.span.column}: {s.name} not read: "
              f"{s.reason.removeprefix('not read: ')}")
    return 0


def _where(doc, label: str, unit) -> str:
    span = unit.name_span or unit.span
    cell = f"#cell{unit.cell}" if unit.cell is not None else ""
    return f"{label}{cell}:{span.line}:{span.column}"


def _print_derivative(d, fmt: str, steps: bool) -> None:
    from chainlens.engine.printing import render
    from chainlens.engine.symbolic.step_text import format_steps

    notation = "text" if fmt == "python" else fmt
    order = "" if d.order == 1 else f"^{d.order}"
    if fmt == "latex":
        head = f"\\frac{{d{order}}}{{d{d.wrt}{order}}}\\left[{render(d.expr, 'latex')}\\right]"
    else:
        shown = render(d.expr, notation)
        if d.expr.op == "add":
            shown = f"({shown})"
        head = f"d{order}/d{d.wrt}{order} {shown}"
    print(f"{head} = {render(d.result, fmt)}")
    for c in d.conditions:
        print(f"  {'where' if c.kind != 'nondifferentiable' else 'note:'} {c.text}")
    if steps:
        print(format_steps(d.steps, "text" if fmt == "python" else fmt))
        print()


def _program(program, wrt, args, simplify: bool) -> int:
    from chainlens.engine.language.program import display_name
    from chainlens.engine.printing import render
    from chainlens.engine.symbolic.adjoints import backprop
    from chainlens.engine.symbolic.derivatives import gradient
    from chainlens.engine.symbolic.values import value_at

    fmt = "text" if args.format == "python" else args.format
    point = _scalar_point(program)
    reports = []
    for out in program.outputs:
        bp = backprop(program, output=out, wrt=wrt, simplify=simplify)
        grad = gradient(program.expanded(out), wrt or bp.wrt or None, simplify=simplify)
        reports.append((out, bp, grad))
    if args.format == "json":
        print(json.dumps([{"output": out, "backprop": bp.to_dict(),
                           "gradient": grad.to_dict(steps=args.steps)}
                          for out, bp, grad in reports], ensure_ascii=False, indent=2))
        return 0
    d = "∂" if fmt == "unicode" else "d"
    for out, bp, grad in reports:
        shown = display_name(out)
        rhs = render(program.assignment(out).expr, fmt)
        print(f"backprop through the names of {shown} = {rhs}:")
        for adj in bp.adjoints:
            line = f"  {d}{shown}/{d}{display_name(adj.name)} = {render(adj.through, fmt)}"
            if adj.expanded is not adj.through:
                line += f"\n      = {render(adj.expanded, fmt)}"
            if point is not None:
                value = _value(adj.expanded, point, value_at)
                if value is not None:
                    line += f"    ({value:.6g} at the @at point)"
            print(line)
        if not args.steps:
            continue
        from chainlens.engine.symbolic.step_text import format_steps

        print(f"gradient of {shown} in the inputs, with steps:")
        for comp in grad.components:
            print(f"  {d}{shown}/{d}{comp.wrt} = {render(comp.result, fmt)}")
            print(format_steps(comp.steps, fmt))
    return 0


def _scalar_point(program) -> dict | None:
    if not program.points:
        return None
    values = program.points[0].as_dict()
    if not all(isinstance(v, (int, float)) or hasattr(v, "numerator") for v in values.values()):
        return None
    return {k: float(v) for k, v in values.items()}


def _value(node, point, value_at) -> float | None:
    try:
        v = value_at(node, point)
    except Exception:  # a name without a value at this point: leave it out
        return None
    return v if math.isfinite(v) else None
