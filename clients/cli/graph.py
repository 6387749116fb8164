"""``chainlens graph``: draw a program's computational graph, or its per-layer
gradient norms.

Thin: :mod:`chainlens.engine.graph` builds the graph, its numbers and the DOT
text; this module reads the arguments, fills in values the point leaves out
(drawn from the declared ranges, seed 0, and the caption says so), collapses
a deep ``repeat`` to one box per layer (``--expand``: every node, one cluster
per layer), and hands the DOT text to Graphviz (the ``graphviz`` package and
its ``dot`` binary) or the layer norms to matplotlib.  Without Graphviz an
SVG is still drawn, by :mod:`chainlens.engine.graph.svg`'s own layout; PNG
and PDF need Graphviz, and the command says so (exit 2), never a traceback.

The drawing itself is :mod:`chainlens.engine.graph.render`'s.
"""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from pathlib import Path

#: Seed of the values drawn for inputs the point leaves out (reproducible pictures).
FILL_SEED = 0

_NO_GRAPHVIZ = (
    "chainlens graph: Graphviz is not installed, so no {fmt} was drawn.\n"
    "  `-o FILE.svg` draws an SVG without it; for PNG/PDF install Graphviz\n"
    "  (Debian/Ubuntu: `apt-get install graphviz`; macOS: `brew install graphviz`)."
)


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "graph", help="draw the computational graph (or --layers: per-layer gradient norms)",
        description="Draw EXPR_OR_FILE's computational graph with Graphviz: inputs, operations "
                    "and the output; at a point, each node's value and ∂L/∂node (coloured by "
                    "magnitude on a log scale) and each edge's local derivative.")
    p.add_argument("source", metavar="EXPR_OR_FILE", help="an expression, a file, or - (stdin)")
    p.add_argument("-o", "--out", metavar="FILE",
                   help="out.svg, out.png or out.dot (default: DOT text on standard output)")
    p.add_argument("--at", metavar="NAME=VALUE,...",
                   help="the point, e.g. x=1,w=0.5 (overrides the file's first @at)")
    p.add_argument("--output", metavar="NAME", help="the output to draw (default: the first)")
    p.add_argument("--wrt", metavar="NAMES", help="inputs whose paths --paths highlights")
    p.add_argument("--paths", action="store_true",
                   help="highlight the input→output paths whose products sum to the derivative")
    p.add_argument("--layers", action="store_true",
                   help="plot |∂L/∂value| per layer of the `repeat` block (log scale) instead")
    p.add_argument("--expand", action="store_true",
                   help="draw every node of a deep `repeat` (one cluster per layer) instead of "
                        "one box per layer")
    p.set_defaults(func=run)


#: Files ``chainlens graph`` does not draw, and the command that reads each kind:
#: ``graph model.py`` was a .chain parse error at the docstring's first quote.
_OTHER_KINDS = {".py": ("a Python file", "chainlens diff {0} (its functions), "
                        "chainlens health -v {0} (its models' gradient flow)"),
                ".ipynb": ("a notebook", "chainlens diff {0}, chainlens health {0}"),
                ".md": ("a Markdown note", "chainlens check {0} (its derivative claims)"),
                ".markdown": ("a Markdown note", "chainlens check {0} (its derivative claims)"),
                ".tex": ("a LaTeX note", "chainlens check {0} (its derivative claims)")}


def _refuse_other_kinds(label: str) -> None:
    what = _OTHER_KINDS.get(Path(label).suffix.lower()) if label != "<expr>" else None
    if what is not None:
        raise SystemExit(f"chainlens graph: {label} is {what[0]}; graph draws a .chain program "
                         f"or an expression. For this file: {what[1].format(label)}")


def run(args) -> int:
    from chainlens.cli.inputs import read_source
    from chainlens.engine.language.reader import parse

    text, label = read_source(args.source)
    _refuse_other_kinds(label)
    program = parse(text)
    at, note = _point(program, text, args.at, fill=True)
    suffix = Path(args.out).suffix.lower() if args.out else ""
    if args.layers:
        return _layers(program, at, args, suffix)

    from chainlens.engine.graph.build import build_graph
    from chainlens.engine.graph.collapse import collapse, layer_groups
    from chainlens.engine.graph.dot import to_dot
    from chainlens.engine.graph.render import render
    from chainlens.engine.graph.svg import to_svg

    graph = build_graph(program, at, output=args.output, wrt=args.wrt)
    groups = None
    if args.expand:
        groups = {k: f"layer {n}" for k, n in layer_groups(graph, program).items()}
    else:
        graph, count = collapse(graph, program)
        if count >= 5:
            note = "; ".join(filter(None, [note, f"{count} layers, one box each (--expand "
                                                 "draws every node)"]))
    dot_text = to_dot(graph, paths=args.paths, note=note, groups=groups)
    if not args.out or suffix == ".dot":
        if args.out:
            if not _write(args.out, dot_text.encode("utf-8")):
                return 2
            print(f"wrote {args.out}")
        else:
            sys.stdout.write(dot_text)
        return 0
    if suffix not in (".svg", ".png", ".pdf"):
        print(f"chainlens graph: -o takes a .svg, .png, .pdf or .dot file, not {args.out!r}",
              file=sys.stderr)
        return 2
    data = render(dot_text, suffix[1:])
    how = ""
    if data is None and suffix == ".svg":
        data = to_svg(graph, paths=args.paths, note=note, groups=groups).encode("utf-8")
        how = "; laid out without Graphviz"
    if data is None:
        print(_NO_GRAPHVIZ.format(fmt=suffix[1:].upper()), file=sys.stderr)
        return 2
    if not _write(args.out, data):
        return 2
    print(f"wrote {args.out} ({len(graph.nodes)} nodes, {len(graph.edges)} edges{how})")
    return 0


def _write(path: str, data: bytes) -> bool:
    """Write the picture; a path that cannot be written (a missing folder, a
    directory, no permission) is the user's to fix, so it gets a message,
    not a traceback.  True when written."""
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        print(f"chainlens graph: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return False
    return True


def graph_svg(program, at=None, *, paths: bool = False) -> str | None:
    """The SVG picture of ``program`` (a Program, source text or Node) at
    ``at``: what a notebook shows inline.  None without Graphviz."""
    from chainlens.engine.graph.build import build_graph
    from chainlens.engine.graph.dot import to_dot
    from chainlens.engine.graph.render import render_svg
    from chainlens.engine.graph.svg import to_svg

    graph = build_graph(program, at)
    return render_svg(to_dot(graph, paths=paths)) or to_svg(graph, paths=paths)


# --------------------------------------------------------------------------
# The point
# --------------------------------------------------------------------------


def _point(program, text: str, at_arg: str | None, *,
           fill: bool) -> tuple[dict | None, str | None]:
    """``(point, note)``: the program's first ``@at`` point updated by
    ``--at``; inputs left without a value are drawn from their declared
    range (else [-1, 1]) when some value was given or ``fill`` is set, and
    the command (and ``note``, for the caption) says so."""
    from chainlens.engine.core.source import ChainError
    from chainlens.engine.language.reader import parse

    at = program.points[0].as_dict() if program.points else None
    if at_arg:
        # read as one more @at line of the program: the language's own syntax,
        # checks (is it an input?) and errors with a caret under the place
        # (the caret goes under the option as typed, not under a line the
        # user never wrote: "7:5" of a 5-line file)
        program_text = text.rstrip("\n") + "\n@at " + at_arg
        try:
            extra = parse(program_text).points[-1].as_dict()
        except ChainError as exc:
            said = exc.message.split(": ", 1)[-1] if exc.message.startswith("@at ") \
                else re.sub(r" at line \d+, column \d+", "", exc.message)
            span = exc.span
            if span is not None and span.line == program_text.count("\n") + 1:
                span = replace(span, line=1, end_line=1, column=span.column + 1,
                               end_column=span.end_column + 1)
            else:
                span = None
            raise type(exc)(f"--at {at_arg}: {said}", span=span, expected=exc.expected,
                            hint=exc.hint, source=f"--at {at_arg}") from None
        at = {**(at or {}), **extra}
    if at is None and not fill:
        return None, None
    at = dict(at or {})
    note = None
    missing = sorted((n for n in program.inputs if n not in at), key=_natural)
    if missing:
        import numpy as np

        rng = np.random.default_rng(FILL_SEED)
        for name in missing:
            decl = program.declaration(name)
            low, high = (float(decl.range[0]), float(decl.range[1])) if decl and decl.range \
                else (-1.0, 1.0)
            shape = tuple(decl.shape) if decl else ()
            value = rng.uniform(low, high, size=shape)
            at[name] = float(value) if shape == () else value.tolist()
        shown = ", ".join(missing[:6]) + (f" and {len(missing) - 6} more" if len(missing) > 6
                                          else "")
        print(f"chainlens graph: no value for {shown}: drawn uniformly from the declared "
              f"range (else [-1, 1]), seed {FILL_SEED}", file=sys.stderr)
        note = (f"colours at sampled inputs: {shown} drawn from their declared ranges "
                f"(else [-1, 1]), seed {FILL_SEED}; --at sets them")
    return at, note


def _natural(name: str) -> tuple:
    """``b_2`` before ``b_10``."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", name) if p)


# --------------------------------------------------------------------------
# --layers
# --------------------------------------------------------------------------


def _layers(program, at, args, suffix: str) -> int:
    from chainlens.engine.graph.layers import layer_gradients
    from chainlens.engine.graph.render import plot_layers

    norms = layer_gradients(program, at, output=args.output)
    if not args.out:  # what the columns are, on stderr: stdout stays one row a layer
        names = ", ".join(f"{k}: |∂{norms.output}/∂{k}|" for k in norms.series)
        print(f"chainlens graph --layers: by layer {norms.var}, {names} at the point "
              "(-o FILE.png plots it)", file=sys.stderr)
        for i, layer in enumerate(norms.layers):
            cells = "  ".join(f"{k}={v[i]:.3e}" for k, v in norms.series.items())
            print(f"{norms.var}={layer}  {cells}")
        return 0
    if suffix not in (".png", ".svg", ".pdf"):
        print(f"chainlens graph --layers: -o takes a .png, .svg or .pdf file, not {args.out!r}",
              file=sys.stderr)
        return 2
    try:
        plot_layers(norms, args.out)
    except OSError as exc:
        print(f"chainlens graph: cannot write {args.out}: {exc.strerror or exc}",
              file=sys.stderr)
        return 2
    worst = min((min(v) for v in norms.series.values() if v), default=float("nan"))
    print(f"wrote {args.out} ({len(norms.layers)} layers; smallest |∂{norms.output}/∂·| "
          f"{worst:.2e})")
    return 0
