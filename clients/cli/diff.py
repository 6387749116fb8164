"""``chainlens diff``: derivatives of an expression or a ``.chain`` program.

Thin: parses the argument, calls :mod:`chainlens.engine.symbolic.chain`, prints.
For a program it also prints backprop through the program's own names
(``∂L/∂z = 2(a - y)·σ(z)(1 - σ(z))``), the way the seed article writes it.
"""

from __future__ import annotations

import json
import math

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
    p.set_defaults(func=run)


def run(args) -> int:
    from chainlens.cli.inputs import read_source
    from chainlens.engine.language.reader import parse

    text, label = read_source(args.source)
    program = parse(text)
    simplify = not args.no_simplify
    wrt = [w.strip() for w in args.wrt.split(",")] if args.wrt else None
    if any(not a.name.startswith("_") for a in program.assignments):
        return _program(program, wrt, args, simplify)
    # Only expression statements (parsed as the synthetic outputs _1, _2...).
    from chainlens.engine.core.walk import free_symbols
    from chainlens.engine.symbolic.derivatives import diff

    results = []
    for out in program.outputs:
        node = program.expanded(out)
        names = wrt or list(program.wrt) or list(free_symbols(node)) or ["x"]
        results += [diff(node, v, order=args.order, simplify=simplify) for v in names]
    if args.format == "json":
        print(json.dumps([r.to_dict(steps=args.steps) for r in results], ensure_ascii=False,
                         indent=2))
        return 0
    for r in results:
        _print_derivative(r, args.format, args.steps)
    return 0


def _print_derivative(d, fmt: str, steps: bool) -> None:
    from chainlens.engine.printing import render
    from chainlens.engine.symbolic.steps import format_steps

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
        from chainlens.engine.symbolic.steps import format_steps

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
