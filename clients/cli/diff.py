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
import sys
from itertools import combinations_with_replacement

from chainlens.engine.frontends.kinds import KINDS

FORMATS = ("text", "unicode", "latex", "python", "json")
#: Lines a program's text output may take before it is cut (``--all``: no cut).
MAX_LINES = 60
#: Longest expanded form printed on one line; longer ones are printed with
#: their shared sub-expressions named (``--all``) or summarised.
MAX_INLINE = 240
#: Most partial derivatives one ``--order N --wrt …`` may ask for.
MAX_PARTIALS = 64


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "diff", help="differentiate an expression or .chain program, with steps",
        description="Differentiate EXPR_OR_FILE symbolically (the chain rule, with steps).")
    p.add_argument("source", metavar="EXPR_OR_FILE", help="an expression, a file, or - (stdin)")
    p.add_argument("--wrt", help="variables, comma-separated (default: the only one, or all)")
    p.add_argument("--order", type=int, default=1,
                   help="order of the derivative (default 1); with several --wrt names every "
                        "partial of that order, mixed ones included")
    p.add_argument("--hessian", action="store_true",
                   help="the Hessian: every second partial, mixed ones included")
    p.add_argument("--all", action="store_true",
                   help=f"print all of a long answer (default: about {MAX_LINES} lines)")
    p.add_argument("--steps", action="store_true", help="print the chain-rule derivation")
    p.add_argument("--format", choices=FORMATS, default="unicode",
                   help="notation (default unicode)")
    p.add_argument("--no-simplify", action="store_true", help="print the raw chain-rule result")
    p.add_argument("--kind", choices=KINDS, default=None,
                   help="how to read the input (default: from the file extension, else chain)")
    p.set_defaults(func=run)


def run(args) -> int:
    from chainlens.cli.inputs import read_input
    from chainlens.cli.phrasing import (
        operator_order,
        operator_wrt,
        run_together_notes,
        split_operator,
        wordy_notes,
    )
    from chainlens.engine.api.inputs import order as valid_order
    from chainlens.engine.api.inputs import wrt_names
    from chainlens.engine.core.source import ChainError

    source, var = split_operator(args.source)  # d/dx x^2: x^2 by x
    args.wrt = operator_wrt(args.wrt, var, source)
    written = operator_order(args.source)  # d^2/dx^2 x^3: the second derivative
    if written > 1:
        if args.order not in (1, written):
            raise ChainError(f"the expression says order {written} but --order says {args.order}",
                             hint="drop one of them")
        args.order = written
    try:
        doc, label = read_input(source, args.kind, shown=args.source)
    except ChainError as exc:
        if var is not None and "=" in source:  # d/dx x^2 = 2x: a claim typed into diff
            exc.hint = f"a claim? chainlens check '{args.source.strip()}' judges it"
        raise
    if args.order < 1:  # typed 0 or less: an error on every path, not read as the default
        raise ChainError(f"the order of a derivative is a positive integer, not {args.order}")
    valid_order(args.order)
    if doc.kind != "chain":
        return _units(doc, label, args)
    (unit,) = doc.units
    program = unit.program
    if not program.outputs:
        return _definitions(program, args)
    if label == "<expr>":
        for note in run_together_notes(program.inputs, source) + wordy_notes(source):
            print(f"chainlens diff: {note}", file=sys.stderr)
    simplify = not args.no_simplify
    order = 2 if args.hessian else args.order
    named = any(not a.name.startswith("_") for a in program.assignments)
    if named and order == 1:
        wrt = wrt_names(args.wrt, program) if args.wrt else None
        return _program(program, wrt, args, simplify)
    from chainlens.engine.api.outputs import output_label
    from chainlens.engine.core.walk import free_symbols

    results = []
    for out in program.outputs:
        node = program.expanded(out)
        variables = free_symbols(node)
        names = (wrt_names(args.wrt, variables) if args.wrt else None) or list(program.wrt) \
            or list(variables) or ["x"]
        label = output_label(out, program.outputs)
        leibniz = named or args.hessian or (order > 1 and len(names) > 1)
        results += [(p, leibniz) for p in
                    _partials(node, names, order, simplify, label, args.hessian)]
    if args.format == "json":
        print(json.dumps([r.to_dict(steps=args.steps) for r, _ in results],
                         ensure_ascii=False, indent=2))
        return 0
    for r, leibniz in results:
        _print_derivative(r, args.format, args.steps, leibniz)
    return 0


def _definitions(program, args) -> int:
    """A text that only defines functions (``f(x) = x^2``): each one's
    derivatives by its parameters, as a Python ``def`` prints; a text with
    nothing at all is an error, not a silent exit 0."""
    from chainlens.engine.api.inputs import wrt_names
    from chainlens.engine.core.source import ChainError
    from chainlens.engine.core.walk import free_symbols
    from chainlens.engine.printing import render
    from chainlens.engine.printing.names import display_symbol

    if not program.functions:
        raise ChainError("nothing to differentiate: the input has no expression",
                         hint="give one, e.g. chainlens diff 'sin(x^2)'")
    fmt = "text" if args.format == "python" else args.format
    results = []
    for f in program.functions:
        names = wrt_names(args.wrt, f.params) if args.wrt else list(f.params)
        names = [n for n in names if n in free_symbols(f.body)] or names
        order = 2 if args.hessian else args.order
        results.append((f, _partials(f.body, names, order, not args.no_simplify, f.name,
                                     args.hessian)))
    if args.format == "json":
        print(json.dumps([dict(r.to_dict(steps=args.steps), function=f.name,
                               params=list(f.params)) for f, rs in results for r in rs],
                         ensure_ascii=False, indent=2))
        return 0
    for f, rs in results:
        params = ", ".join(display_symbol(p, fmt) for p in f.params)
        print(f"{f.name}({params}) = {render(f.body, fmt)}")
        for r in rs:
            print(f"  {_leibniz(f.name, r.wrt, fmt)} = {render(r.result, args.format)}")
            for c in r.conditions:
                print(f"    {'where' if c.kind != 'nondifferentiable' else 'note:'} {c.text}")
            if args.steps:
                from chainlens.engine.symbolic.step_text import format_steps

                print(format_steps(r.steps, fmt))
    return 0


class Partial:
    """∂ⁿf/∂x∂y…: a pure derivative (one :class:`Derivative`) or a mixed one
    (successive derivatives, by ``wrt[0]`` first)."""

    def __init__(self, of: str, wrt: tuple[str, ...], chain: list):
        self.of, self.wrt, self.chain = of, wrt, chain
        self.expr, self.result = chain[0].expr, chain[-1].result
        self.order = len(wrt) if len(chain) > 1 else chain[0].order
        self.conditions = chain[0].conditions

    @property
    def steps(self):
        return tuple(s for d in self.chain for s in d.steps)

    def to_dict(self, *, steps: bool = True) -> dict:
        if len(self.chain) == 1:
            return dict(self.chain[0].to_dict(steps=steps), of=self.of)
        out = dict(self.chain[-1].to_dict(steps=steps), of=self.of, order=self.order,
                   wrt=list(self.wrt), expr=self.chain[0].to_dict(steps=False)["expr"])
        return out


def _partials(node, names, order: int, simplify: bool, of: str, hessian: bool) -> list:
    """Every partial of ``order`` in ``names``: pure ones for one name,
    every multiset (``x,x``, ``x,y``, ``y,y``) for several; each mixed
    partial reuses its prefix's derivative."""
    from chainlens.engine.core.source import LimitError
    from chainlens.engine.symbolic.derivatives import diff_node

    if len(names) == 1 or (order == 1 and not hessian):
        return [Partial(of, (v,) * order, [diff_node(node, v, order, simplify)])
                for v in names]
    combos = list(combinations_with_replacement(names, order))
    if len(combos) > MAX_PARTIALS:
        raise LimitError(f"{len(combos)} partial derivatives of order {order} in "
                         f"{len(names)} variables; the limit is {MAX_PARTIALS}",
                         hint="name fewer variables with --wrt")
    done: dict[tuple, object] = {}
    out = []
    for combo in combos:
        chain = []
        current = node
        for k in range(1, len(combo) + 1):
            prefix = combo[:k]
            if prefix not in done:
                done[prefix] = diff_node(current, combo[k - 1], 1, simplify)
            chain.append(done[prefix])
            current = done[prefix].result
        if len(set(combo)) == 1:  # a pure one: the one Derivative of that order
            chain = [diff_node(node, combo[0], order, simplify)]
        out.append(Partial(of, combo, chain))
    return out


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
        if unit.kind in ("sequential", "module"):  # layers, not one formula: summarised
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
    for unit, where, derivatives in entries:
        if unit.kind == "module":
            labels = ", ".join(label for label, _, _ in unit.layers[:6])
            more = f", … ({len(unit.layers)} in all)" if len(unit.layers) > 6 else ""
            print(f"{where}: {unit.label} (module): {len(unit.layers)} layer(s) with weights: "
                  f"{labels}{more}; `chainlens health` measures their gradient flow")
            continue
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
            # ∂²f/∂x², ∂f/∂ŷ: the same Leibniz head as an expression's (no ASCII carets)
            print(f"  {_leibniz(name, (r.wrt,) * r.order, fmt)} = {render(r.result, args.format)}")
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
    # one form for a notebook's places in every command, as check and health
    # write them: file:line:column first (editors' error matchers), then the cell
    span = unit.name_span or unit.span
    cell = f" (cell {unit.cell})" if unit.cell is not None else ""
    return f"{label}:{span.line}:{span.column}{cell}"


def _print_derivative(d, fmt: str, steps: bool, named: bool = False) -> None:
    """``d/dx f = …`` for an expression; ``∂²f/∂x∂y = …`` for a mixed
    partial or a program's output (``named``)."""
    from chainlens.engine.printing import render
    from chainlens.engine.printing.names import display_symbol
    from chainlens.engine.symbolic.step_text import format_steps

    notation = "text" if fmt == "python" else fmt
    if named or len(set(d.wrt)) > 1:
        head = _leibniz(d.of, d.wrt, notation)
    else:
        order = "" if d.order == 1 else f"^{d.order}"
        var = display_symbol(d.wrt[0], notation)  # d/dw₁ as the body prints w₁
        if fmt == "latex":
            head = (f"\\frac{{d{order}}}{{d{var}{order}}}"
                    f"\\left[{render(d.expr, 'latex')}\\right]")
        else:
            shown = render(d.expr, notation)
            if d.expr.op == "add":
                shown = f"({shown})"
            head = f"d{order}/d{var}{order} {shown}"
    print(f"{head} = {render(d.result, fmt)}")
    for c in d.conditions:
        print(f"  {'where' if c.kind != 'nondifferentiable' else 'note:'} {c.text}")
    if steps:
        print(format_steps(d.steps, "text" if fmt == "python" else fmt))
        print()


def _leibniz(of: str, wrt: tuple[str, ...], fmt: str) -> str:
    """``∂²f/∂x∂y``, ``∂²f/∂x²`` (unicode), ``d^2f/dxdy`` (text)."""
    from chainlens.engine.printing.names import display_symbol

    n = len(wrt)
    runs: list[list] = []
    for v in wrt:
        if runs and runs[-1][0] == v:
            runs[-1][1] += 1
        else:
            runs.append([v, 1])
    if fmt == "unicode":
        sup = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
        top = "∂" + (str(n).translate(sup) if n > 1 else "") + of
        bottom = "".join("∂" + display_symbol(v, fmt) + (str(k).translate(sup) if k > 1 else "")
                         for v, k in runs)
        return f"{top}/{bottom}"
    if fmt == "latex":
        top = "\\partial" + (f"^{{{n}}}" if n > 1 else "") + " " + of
        bottom = " ".join("\\partial " + display_symbol(v, fmt) + (f"^{{{k}}}" if k > 1 else "")
                          for v, k in runs)
        return f"\\frac{{{top}}}{{{bottom}}}"
    top = "d" + (f"^{n}" if n > 1 else "") + of
    return top + "/" + "".join(f"d{v}" + (f"^{k}" if k > 1 else "") for v, k in runs)


def _program(program, wrt, args, simplify: bool) -> int:
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
    lines: list[str] = []
    hidden = 0
    for out, bp, grad in reports:
        shown = _label(out, program, fmt)
        rhs = render(program.assignment(out).expr, fmt)
        lines.append(f"backprop through the names of {shown} = {rhs}:")
        for adj in bp.adjoints:
            through = render(adj.through, fmt, max_chars=MAX_INLINE + 1)
            if len(through) > MAX_INLINE and not args.all:  # say it by the later adjoints
                through = " + ".join(_via(d, shown, c, local, program, fmt)
                                     for c, local in adj.terms)
            line = f"  {d}{shown}/{d}{_label(adj.name, program, fmt)} = {through}"
            if adj.expanded is not adj.through:
                line += _expanded(adj.expanded, fmt, args.all)
            if point is not None:
                value = _value(adj.expanded, point, value_at)
                if value is not None:
                    line += f"    ({value:.6g} at the @at point)"
            lines.append(line)
        if not args.steps:
            continue
        from chainlens.engine.symbolic.step_text import format_steps

        lines.append(f"gradient of {shown} in the inputs, with steps:")
        for comp in grad.components:
            wrt = _label(comp.wrt, program, fmt)
            lines.append(f"  {d}{shown}/{d}{wrt} = {render(comp.result, fmt)}")
            lines.append(format_steps(comp.steps, fmt))
    lines = [part for line in lines for part in line.split("\n")]
    for i, line in enumerate(lines):
        if not args.all and i >= MAX_LINES:
            hidden = len(lines) - i
            break
        print(line)
    if hidden:
        print(f"… {hidden} more lines not shown: --all prints everything, --wrt NAME one "
              "input, --format json the whole answer")
    return 0


def _via(d: str, shown: str, consumer: str, local, program, fmt: str) -> str:
    """One term of the chain rule by the consumer's adjoint: ``∂L/∂z₂₃·w₂₃``."""
    from chainlens.engine.core.nodes import ONE
    from chainlens.engine.printing import render

    head = f"{d}{shown}/{d}{_label(consumer, program, fmt)}"
    if local is ONE:
        return head
    body = render(local, fmt, max_chars=MAX_INLINE)
    return f"{head}·({body})" if local.op == "add" else f"{head}·{body}"


def _label(name: str, program, fmt: str) -> str:
    """One label per SSA version: ``a``, ``a⁽²⁾`` … ``a⁽⁵¹⁾`` (``f`` for an
    expression statement)."""
    from chainlens.engine.api.outputs import is_anonymous, output_label
    from chainlens.engine.printing.names import display_symbol

    if is_anonymous(name):
        return output_label(name, program.outputs)
    return display_symbol(name, "text" if fmt == "python" else fmt)


def _expanded(node, fmt: str, everything: bool) -> str:
    """The adjoint in the inputs: on the line when short; else with its
    shared sub-expressions named once (``--all``) or summarised."""
    from chainlens.engine.core.walk import count_nodes
    from chainlens.engine.printing import render, render_shared

    plain = render(node, fmt, max_chars=MAX_INLINE + 1)
    if len(plain) <= MAX_INLINE:
        return f"\n      = {plain}"
    if not everything:
        return (f"\n      = … ({count_nodes(node):,} distinct nodes in the inputs; "
                "--all prints it with shared sub-expressions named once)")
    shared = render_shared(node, fmt, max_chars=None).split("\n")
    return "\n      where " + "\n            ".join(shared[:-1]) + f"\n      = {shared[-1]}"


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
