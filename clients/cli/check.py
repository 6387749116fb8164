"""``chainlens check-derivative EXPR CLAIMED``: is a claimed derivative right?

Exit status 0 when it is, 1 when it is not (with a counterexample point).
"""

from __future__ import annotations

import json


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "check-derivative", aliases=["check"],
        help="check a claimed derivative (EXPR CLAIMED), or the derivative claims of "
             "notes (.md, .tex, .ipynb); exit 1 when one is wrong",
        description="Is CLAIMED the derivative of EXPR? Simplifies the difference, then "
                    "compares at seeded random points in the domain. Given notes "
                    "(chainlens check notes.md) or one claim "
                    "(chainlens check 'd/dx sin(x^2) = 2x cos(x^2)'), judges every "
                    "derivative claim in them as the editor does.")
    p.add_argument("expr", metavar="EXPR",
                   help="an expression, or a note (.md/.tex/.ipynb; other names are read as "
                        "plain-text Markdown; - for stdin) whose claims to check")
    p.add_argument("claimed", metavar="CLAIMED", nargs="?",
                   help="the claimed derivative (omit it to check the claims of a note)")
    p.add_argument("notes", metavar="NOTE", nargs="*",
                   help="more notes, when EXPR is a note (chainlens check a.md b.tex)")
    p.add_argument("--wrt", help="the variable (default: the only one)")
    p.add_argument("--format", choices=("text", "unicode", "json", "sarif"), default="unicode")
    p.add_argument("--kind", choices=("markdown", "latex", "notebook"),
                   help="read the note as this kind (default: from the extension)")
    from chainlens.cli.check_notes import register_arguments

    register_arguments(p)
    p.set_defaults(func=run)


def run(args) -> int:
    if args.claimed is None or _note(args.expr):  # chainlens check a.md b.md: their claims
        from chainlens.cli.check_notes import run_files

        args.files = [args.expr] + ([args.claimed] if args.claimed else []) + args.notes
        return run_files(args)
    if args.notes:
        from chainlens.engine.core.source import ChainError

        raise ChainError(f"{len(args.notes) + 2} arguments: check-derivative takes EXPR "
                         "and CLAIMED (quote each one), or notes to check",
                         hint=f"chainlens check-derivative '{args.expr}' '{args.claimed}'")
    from chainlens.cli.inputs import read_source
    from chainlens.cli.phrasing import operator_order, operator_wrt, split_operator
    from chainlens.engine.printing import render
    from chainlens.engine.symbolic.check import check_derivative

    text, var = split_operator(args.expr)  # d/dx x^2: x^2 by x
    wrt = operator_wrt(args.wrt, var, text)
    if operator_order(args.expr) > 1:
        from chainlens.engine.core.source import ChainError

        raise ChainError("check-derivative checks a first derivative; this operator is of a "
                         "higher order", hint="chainlens check 'd^2/dx^2 x^3 = 6x' checks "
                         "a claim of any order")
    names = [n.strip() for n in (wrt or "").split(",") if n.strip()] if isinstance(wrt, str) \
        else []
    if len(names) > 1:  # the engine would say "the expression has x, y" of --wrt's names
        from chainlens.engine.core.source import ChainError

        raise ChainError(f"--wrt {wrt} names {len(names)} variables; check-derivative checks "
                         "one derivative", hint=f"name one: --wrt {names[0]}")
    expr, wrt = _defined(read_source(text)[0], wrt)
    r = check_derivative(expr, args.claimed, wrt)
    if args.format == "json":
        print(json.dumps(r.to_dict(), ensure_ascii=False, indent=2))
        return 0 if r.equal else 1
    fmt = args.format
    from chainlens.engine.printing.names import display_symbol

    var = display_symbol(r.wrt, "text" if fmt == "python" else fmt)  # d/dθ as the body prints θ
    head = f"d/d{var} {render(r.expr, fmt)} = {render(r.derivative, fmt)}"
    if r.equal:
        how = ("the difference simplifies to 0" if r.method == "symbolic"
               else f"equal at {r.points} random points of the domain")
        print(f"equal: {render(r.claimed, fmt)}\n  {head}\n  ({how})")
        return 0
    point = ", ".join(f"{n}={v:g}" for n, v in r.counterexample)
    print(f"not equal: {render(r.claimed, fmt)}\n  {head}\n"
          f"  at {point}: the derivative is {r.expected:.10g}, the claim gives {r.got:.10g}")
    return 1


def _defined(source: str, wrt: str | None):
    """``f(x) = x^2`` alone is the function's body (by its one parameter);
    any other text is checked as it is."""
    from chainlens.engine import parse
    from chainlens.engine.core.source import ChainError

    try:
        program = parse(source)
    except ChainError:  # check_derivative reports it with its place
        return source, wrt
    if not program.outputs and not program.functions:
        raise ChainError("nothing to check: the expression is empty",
                         hint="chainlens check-derivative 'sin(x^2)' '2x cos(x^2)'")
    if program.outputs or len(program.functions) != 1:
        node = program.expr if len(program.outputs) == 1 else None
    else:
        f = program.functions[0]
        node, source = f.body, f.body
        if wrt is None and len(f.params) == 1:
            wrt = f.params[0]
    if wrt is None and node is not None and not program.wrt:
        from chainlens.engine.core.walk import free_symbols

        names = sorted(free_symbols(node))
        if len(names) > 1:  # the engine's own wording names the Python API
            raise ChainError(f"which variable? the expression has {', '.join(names)}",
                             hint=f"name one with --wrt {'x' if 'x' in names else names[0]}")
    return source, wrt


def _note(arg: str) -> bool:
    """A Markdown/LaTeX/notebook file name: ``chainlens check a.md b.md``
    checks both notes (the second is no claimed derivative)."""
    from chainlens.engine.frontends.kinds import kind_of

    return kind_of(arg) in ("markdown", "latex", "notebook")
