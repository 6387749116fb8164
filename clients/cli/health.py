"""``chainlens health FILE…``: gradient health as a linter.

Every file is read as the editor reads it
(:func:`chainlens.engine.frontends.document.read_document`): a ``.chain``
program, each function and Sequential stack of a ``.py`` file or notebook,
each derivative claim of a ``.md``/``.tex`` note.  Programs get
:func:`chainlens.engine.health.analysis.analyze`; claims get
:func:`chainlens.engine.frontends.claims.check_claim`, a wrong one being a
``wrong-derivative`` warning with the right derivative as its fix.

One line per finding (``file:line:col: severity: message [kind]``), JSON of
the full reports, or SARIF 2.1.0 for GitHub code scanning.  Exit status 1
when a finding reaches ``--threshold`` (default: warning), 2 when a file
cannot be read or parsed, 0 otherwise.  This module only formats.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from chainlens.cli.check_notes import file_offset
from chainlens.engine.core.source import ChainError, LimitError, ParseError, ShapeError, Span
from chainlens.engine.frontends.kinds import KINDS, kind_of
from chainlens.engine.frontends.note_edits import claim_edit
from chainlens.engine.health.fixes import TextEdit

#: SARIF rule per finding kind: (id, name, short description, help)
RULES = {
    "vanishing": ("vanishing-gradient", "VanishingGradient",
                  "Gradient vanishes through a deep composition",
                  "The product of local derivative bounds along the path from this value to "
                  "the output is below the threshold: early layers will barely learn. Use a "
                  "non-saturating activation (ReLU), a residual connection, normalisation or "
                  "a larger initialisation scale."),
    "exploding": ("exploding-gradient", "ExplodingGradient",
                  "Gradient may explode through a deep composition",
                  "The bound on |dL/dv| exceeds the threshold: the product of local "
                  "derivatives can grow without control. Reduce the initialisation scale, "
                  "normalise, or clip gradients."),
    "singular": ("singular-gradient", "SingularGradient",
                 "Gradient is unbounded on the input ranges",
                 "A local derivative has a singular point (pole or domain edge) inside the "
                 "declared or assumed range of its argument; declare a tighter range."),
    "nonfinite": ("nonfinite-value", "NonFiniteValue",
                  "NaN or infinity at the evaluation points",
                  "A value or its gradient is not finite at some of the @at or sampled "
                  "points."),
    "saturation": ("saturated-activation", "SaturatedActivation",
                   "Activation saturated at the evaluation points",
                   "The activation's derivative is a tiny fraction of its maximum at most "
                   "points, so little gradient passes through it."),
    "wrong-derivative": ("wrong-derivative", "WrongDerivative",
                         "A derivative claimed in a note is wrong",
                         "The claimed expression differs from the derivative at a point of the "
                         "domain (the message gives it); the fix writes the right derivative."),
    "unstable-form": ("unstable-form", "UnstableForm",
                      "A textbook form that overflows where a stable one does not",
                      "log(1 + exp(u)), log(sigmoid(u)), 1/(1 + exp(-u)), log(1 + u)... lose "
                      "the result for large or tiny u although it is representable; the "
                      "message names the stable form (softplus, log1p, ...)."),
    "not-measured": ("not-measured", "NotMeasured",
                     "A model re-initialised in a way chainlens does not model",
                     "The file draws its weights with a call chainlens does not model "
                     "(the message names it); no verdict is given at an initialisation the "
                     "file does not train with."),
    "parse": ("parse-error", "ParseError", "The file could not be read",
              "Fix the syntax error; nothing else was analysed."),
}
_LEVEL = {"error": "error", "warning": "warning", "info": "note", "hint": "note"}


def _positive_float(text: str) -> float:
    """A threshold: findings compare log10 of bounds with log10 of it, so it
    must be a finite number above 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (0 < value < float("inf")):
        raise argparse.ArgumentTypeError(f"must be a finite number above 0, not {text}")
    return value


def _count(least: int):
    """A whole number >= ``least`` (numpy's seeds and sample counts reject others)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"must be at least {least}, not {value}")
        return value
    return parse


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "health", help="flag vanishing/exploding gradients and wrong claims (lint-style)",
        description="Static bounds and measured gradient magnitudes for every input and "
                    "layer; one line per finding, exit status 1 when a finding reaches "
                    "--threshold.")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help=".chain, .py, .ipynb, .md or .tex files (- for stdin)")
    p.add_argument("--kind", choices=KINDS, default=None,
                   help="how to read the files (default: from each extension, else chain)")
    p.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    p.add_argument("--threshold", choices=("error", "warning", "info"), default="warning",
                   help="lowest severity that makes the exit status 1 (default: warning)")
    p.add_argument("--vanishing", type=_positive_float, default=1e-6, metavar="REL",
                   help="flag |dL/dv| bounds below REL x the largest one (default: 1e-6)")
    p.add_argument("--exploding", type=_positive_float, default=1e6, metavar="ABS",
                   help="flag |dL/dv| bounds above ABS (default: 1e6)")
    p.add_argument("--samples", type=_count(1), default=16,
                   help="points sampled from the ranges when a file has no @at (default: 16)")
    p.add_argument("--seed", type=_count(0), default=0)
    p.add_argument("--static", action="store_true", help="bounds only: do not evaluate")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="text: show factors, remedies, assumptions and layer gradients")
    p.set_defaults(func=run)


@dataclass
class FileResult:
    """One file's results: a report per program unit, a verdict per claim."""

    label: str
    text: str = ""
    error: ChainError | None = None
    reports: list = field(default_factory=list)  # (Unit, HealthReport)
    verdicts: list = field(default_factory=list)  # ClaimVerdict
    skipped: tuple = ()
    #: every finding of the file: each unit's, in unit order, then wrong claims
    findings: list = field(default_factory=list)
    #: the notebook cell of each finding (None outside notebooks): its line and
    #: column count in that cell's text, as ``chainlens check`` says
    cells: list = field(default_factory=list)


def run(args: argparse.Namespace) -> int:
    from chainlens.engine.health.analysis import SEVERITIES, Thresholds

    th = Thresholds(vanishing=args.vanishing, exploding=args.exploding, samples=args.samples,
                    seed=args.seed, measure=not args.static)
    results = [_judge(arg, args.kind, th) for arg in args.files]
    out = {"text": _text, "json": _json, "sarif": _sarif}[args.format](results, args)
    sys.stdout.write(out)
    if args.format == "text" and not out:  # a clean run said nothing: what was looked at
        print(_summary(results), file=sys.stderr)
    elif args.format == "text" and not args.verbose and sys.stderr.isatty():
        # a person at a terminal: what to run next (pipes and CI logs stay one line a finding)
        print("chainlens health: -v shows each finding's factors and fixes (for a model class: "
              "its gradient by layer and the remedies)", file=sys.stderr)
    if any(r.error is not None for r in results):
        return 2
    cut = SEVERITIES.index(args.threshold)
    flagged = [f for r in results for f in r.findings if SEVERITIES.index(f.severity) <= cut]
    return 1 if flagged else 0


def _judge(arg: str, kind: str | None, th) -> FileResult:
    from chainlens.engine.api.stability import unstable_finding, unstable_forms
    from chainlens.engine.frontends.claims import check_claim, claim_finding
    from chainlens.engine.frontends.document import read_document
    from chainlens.engine.health.recheck import analyze_checked as analyze

    label, text, error = _read(arg)
    result = FileResult(label, text, error)
    if error is not None:
        return result
    path = arg if arg != "-" else None
    # With the file's path the reader also finds the project modules it
    # imports, as the editor does.
    doc = read_document(text, kind or kind_of(path) or "chain", path=path)
    result.skipped = doc.skipped
    if doc.error is not None and not doc.units:
        result.error = doc.error
        return result
    skipped = list(doc.skipped)
    for unit in doc.programs:
        try:
            result.reports.append((unit, analyze(unit.program, thresholds=th)))
        except (ChainError, RecursionError) as exc:
            if unit.kind == "chain":  # the file is the program: it cannot be analysed
                result.error = exc if isinstance(exc, ChainError) else LimitError(
                    "the program is nested too deeply to analyse")
                break
            # one function of a file past a limit, or with @ of unshaped
            # parameters, is a skip of that function in words; the file's
            # other units are still analysed (red team R12, R19)
            skipped.append(_unit_skip(unit, exc))
    if doc.kind != "notebook":  # in text order (a cell's spans count in that cell)
        skipped.sort(key=lambda s: s.span.start)
    result.skipped = tuple(skipped)
    result.verdicts = [check_claim(u) for u in doc.claims]
    found, cells = [], []
    for unit, report in result.reports:
        mine = list(report.findings) + [unstable_finding(f) for f in unstable_forms(unit.program)]
        found += mine
        cells += [unit.cell] * len(mine)
    for v in result.verdicts:
        if (f := claim_finding(v)) is not None:
            found.append(_structure_kept(f, v, text, doc.kind))
            cells.append(v.unit.cell)
    result.findings = found  # units and claims come in text order already
    result.cells = cells
    return result


@dataclass(frozen=True)
class Unanalysed:
    """A unit that was read but could not be analysed, shown as the reader's
    skips are (``name``, ``span``, ``reason``); the reader's own ``Skipped``
    is not imported here, to keep the command's start-up light."""

    name: str
    span: Span
    reason: str
    error: ChainError | None = None


def _unit_skip(unit, exc: ChainError | RecursionError) -> Unanalysed:
    """Why one unit of a Python file or notebook was not analysed.  A
    function's parameters carry no shapes (they are read as scalars), so
    ``x @ W`` of two parameters is no error of the file: it says so."""
    name = unit.label if unit.cell is None else f"cell {unit.cell} {unit.label}"
    if not isinstance(exc, ChainError):
        return Unanalysed(name, unit.name_span or unit.span,
                          "not read: nested too deeply to analyse")
    why = exc.message
    if isinstance(exc, ShapeError) and "@" in why and "scalar" in why:
        why = f"@ of parameters whose shapes are not known ({why})"
    return Unanalysed(name, exc.span or unit.name_span or unit.span, f"not read: {why}", exc)


def _structure_kept(finding, verdict, text: str, kind: str):
    """A wrong claim's fix as ``check`` and the editor make it: inside the
    author's decoration, with no ``|`` that splits a Markdown table cell
    (red team R1, R23), or none.  A notebook cell's offsets are not the
    file's: left as it is (its SARIF carries no fix)."""
    if not finding.remedies or verdict.unit.cell is not None or not verdict.correct_latex:
        return finding
    span = verdict.unit.name_span
    edit = claim_edit(text, span.start, span.end, verdict.correct_latex,
                      "latex" if kind == "latex" else "markdown")
    if edit is None:
        return replace(finding, remedies=())
    start, end, latex = edit
    remedy = replace(finding.remedies[0], title=f"Correct the claim to {latex}",
                     edits=(TextEdit(Span.at(text, start, end), latex),))
    return replace(finding, remedies=(remedy,))


def _read(arg: str) -> tuple[str, str, ChainError | None]:
    if arg == "-":
        return "<stdin>", sys.stdin.read(), None
    path = Path(arg)
    try:
        return arg, path.read_text(encoding="utf-8"), None
    except FileNotFoundError:
        return arg, "", ChainError(f"no such file: {arg}")
    except UnicodeDecodeError as exc:  # the words every other command uses
        return arg, "", ChainError(f"{arg} is not UTF-8 text (byte {exc.start})")
    except OSError as exc:
        return arg, "", ChainError(f"cannot read {arg}: {getattr(exc, 'strerror', exc)}")


# ---- text ------------------------------------------------------------------------------


def _where(label: str, span: Span | None) -> str:
    return f"{label}:{span.line}:{span.column}" if span else f"{label}:1:1"


def _error_kind(error: ChainError) -> str:
    """``limit`` for input past a documented limit (it parsed: red team
    P2-5), ``read`` for a file that cannot be read (no place in it), else
    ``parse``: the text was not read as a program (shapes that do not fit
    included, as before)."""
    if isinstance(error, LimitError):
        return "limit"
    return "read" if error.span is None and not isinstance(error, ParseError) else "parse"


def _summary(results) -> str:
    """One line on stderr for a run that printed nothing (stdout stays one
    lint line per finding): ``chainlens health: 1 file, 2 programs
    analysed, no findings (-v: what was measured)``."""
    def count(n: int, what: str) -> str:
        return f"{n} {what}{'s' if n != 1 else ''}"

    units = sum(len(r.reports) for r in results)
    claims = sum(len(r.verdicts) for r in results)
    findings = sum(len(r.findings) for r in results)
    unread = sum(r.error is not None for r in results)
    parts = [count(len(results), "file")]
    if units or not claims:
        parts.append(count(units, "program") + " analysed")
    if claims:
        parts.append(count(claims, "claim") + " checked")
    parts.append(count(findings, "finding") if findings else "no findings")
    if unread:
        parts.append(f"{unread} not read")
    skipped = [(r.label, s) for r in results for s in r.skipped]
    if skipped:  # "no findings" alone would read as a clean bill of health
        label, first = skipped[0]
        why = first.reason.removeprefix("not read: ")
        which = "first: " if len(skipped) > 1 else ""
        parts.append(f"{count(len(skipped), 'definition')} not read ({which}{first.name} at "
                     f"{_where(label, first.span)}: {why})")
    tail = (" (-v: each one not read and why)" if skipped else
            "" if findings or unread else " (-v: what was measured)")
    return "chainlens health: " + ", ".join(parts) + tail


def _text(results, args) -> str:
    lines = []
    for result in results:
        label = result.label
        if result.error is not None:
            # the place once (the line starts with it), and what kind of error it is
            lines.append(f"{_where(label, result.error.span)}: error: {result.error.describe()} "
                         f"[{_error_kind(result.error)}]")
            continue
        for f, cell in zip(result.findings, result.cells, strict=True):
            where = _where(label, f.span) + (f" (cell {cell})" if cell is not None else "")
            lines.append(f"{where}: {f.severity}: {f.message} [{f.kind}]")
            if not args.verbose:
                continue
            for factor in f.factors:
                times = f" ×{factor.count}" if factor.count > 1 else ""
                lines.append(f"    {_where(label, factor.span)}: factor {factor.label} "
                             f"≤ {factor.magnitude:.3g}{times}")
            for remedy in f.remedies:
                lines.append(f"    fix: {remedy.title}")
        if args.verbose:
            for unit, report in result.reports:
                lines += _verbose_report(label, unit, report, len(result.reports) > 1)
            for v in result.verdicts:
                if v.ok is None:
                    lines.append(f"    {_where(label, v.unit.span)}: note: claim {v.note}")
            for s in result.skipped:
                lines.append(f"    {_where(label, s.span)}: note: {s.name} "
                             f"not read: {s.reason.removeprefix('not read: ')}")
    return "".join(line + "\n" for line in lines)


def _verbose_report(label: str, unit, report, several: bool) -> list[str]:
    from chainlens.engine.health.analysis import pretty_name
    from chainlens.engine.language.program import display_name

    head = f"{unit.label}: " if several else ""
    lines = [f"    {head}assumption: {text}" for text in _assumed(report.assumptions)]
    for rep in report.repeats:
        shown = rep.layers
        if len(shown) > 6:
            step = (len(shown) - 1) / 5
            shown = [shown[round(i * step)] for i in range(6)]
        mags = ", ".join(f"{rep.var}={m.layer}: {m.gradient:.1e}" for m in shown)
        name = pretty_name(display_name(rep.layers[0].name)) if rep.layers else "layer"
        lines.append(f"    {_where(label, rep.span)}: |∂{pretty_name(report.output)}/∂"
                     f"{name}| by layer {mags}; first/last = {rep.ratio:.2g}")
    lines += [f"    {head}note: {n}" for n in report.notes]
    flow = getattr(report, "flow", None)
    if flow is not None and flow.layers:
        lines += _flow_lines(label, unit, flow)
    elif report.points:
        # was "measured at 1 at point(s) of L": the points are the inputs', not L's
        where = (f"its {report.points} @at point(s)" if report.points_from == "at" else
                 f"{report.points} point(s) sampled from the inputs' ranges")
        lines.append(f"    {head}∂{pretty_name(report.output)}/∂· measured at {where}")
    return lines


#: rows of a model's gradient flow printed before eliding the middle (as the hover does)
_HEAD, _TAIL = 4, 3


def _flow_lines(label: str, unit, flow) -> list[str]:
    """A model class's weight gradient by layer, as its editor hover shows
    it (the terminal has no hover to point to): the table, the verdict and,
    when it is not healthy, the remedies in words."""
    from chainlens.engine.health.init import program_init_words
    from chainlens.engine.health.model import flow_remedies

    names = {}
    for name, weight, span in unit.layers or ():
        if span is None:
            names[weight] = name
        elif span.start == span.end:  # a layer of a class the file imports
            names[weight] = f"{name} (imported on line {span.line})"
        else:
            names[weight] = f"{name} (line {span.line})"
    rows = list(flow.layers)
    shown = rows if len(rows) <= _HEAD + _TAIL + 1 else rows[:_HEAD] + [None] + rows[-_TAIL:]
    lines = [f"    {_where(label, unit.span)}: {unit.label}: |∂L/∂W| by layer (median of "
             f"{flow.draws} seeded draws; init: {program_init_words(unit.program)}); "
             f"{_verdict_words(flow, rows)}"]
    for row in shown:
        if row is None:
            lines.append(f"      … {len(rows) - _HEAD - _TAIL} more layers")
        else:
            lines.append(f"      {row.layer}. {names.get(row.name, row.name)}: {row.grad:.2g}")
    unreached = getattr(flow, "unreached", ())
    if unreached:  # the hover says so too: a layer cut off (.detach(), a zero-init head) is no row
        lines.append("      no gradient reaches (as read, not judged): "
                     + ", ".join(names.get(n, n) for n in unreached))
    lines += [f"      remedy: {r.replace('`', '')}"
              for r in flow_remedies(flow.verdict, unit.program)]
    return lines


def _verdict_words(flow, rows) -> str:
    """The header's verdict, worded as the hover words it: one measured layer
    has no first/last ratio, and a loss that reaches no last layer is no ratio
    of nan."""
    if flow.verdict == "flat":
        return "no gradient reaches the last layer's weights at the default init"
    if len(rows) < 2:
        return "one layer measured, no first/last ratio to judge"
    return f"first/last = {flow.ratio:.2g}, {flow.verdict}"


def _assumed(assumptions) -> list[str]:
    """Assumed ranges, one line per range rather than one per input."""
    from chainlens.engine.health.analysis import pretty_name

    by_range: dict[tuple, list[str]] = {}
    for a in assumptions:
        by_range.setdefault(a.range, []).append(pretty_name(a.name))
    out = []
    for (lo, hi), names in by_range.items():
        shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        out.append(f"{shown} ∈ [{lo:g}, {hi:g}] (assumed: no range declared)")
    return out


def side_by_side(paths: list[str], width: int = 48) -> str:
    """Reports of a few files in columns (the demo's "before / after")."""
    import textwrap

    from chainlens.engine.frontends.document import read_document
    from chainlens.engine.health.analysis import analyze, pretty_name
    from chainlens.engine.language.program import display_name

    columns = []
    for path in paths:
        doc = read_document(Path(path).read_text(encoding="utf-8"), "chain")
        if doc.error is not None:
            raise doc.error
        report = analyze(doc.units[0].program)
        flagged = report.flagged("warning")
        lines = [Path(path).name,
                 "✗ " + ", ".join(sorted({f.kind for f in flagged})) if flagged else "✓ healthy"]
        for f in flagged:
            lines += textwrap.wrap(f.message, width)
        for rep in report.repeats:
            first, last = rep.layers[0], rep.layers[-1]
            lines.append(f"|∂{pretty_name(report.output)}/∂{pretty_name(display_name(first.name))}|"
                         f" layer {first.layer} / layer {last.layer} = {rep.ratio:.2g}")
        columns.append(lines)
    height = max(len(c) for c in columns)
    rows = []
    for i in range(height):
        cells = [(c[i] if i < len(c) else "").ljust(width) for c in columns]
        rows.append("  │  ".join(cells).rstrip())
    return "\n".join(rows) + "\n"


# ---- JSON ------------------------------------------------------------------------------


def _json(results, args) -> str:
    files = []
    for result in results:
        entry = {"file": result.label}
        if result.error is not None:
            entry["error"] = result.error.to_dict()
        elif len(result.reports) == 1 and result.reports[0][0].kind == "chain":
            entry["report"] = result.reports[0][1].to_dict()
        else:
            entry["units"] = [{"label": u.label, "kind": u.kind, "span": u.span.to_dict(),
                               "cell": u.cell, "report": r.to_dict()}
                              for u, r in result.reports]
            entry["claims"] = [v.to_dict() for v in result.verdicts]
            entry["skipped"] = [{"name": s.name, "reason": s.reason,
                                 "span": s.span.to_dict()} for s in result.skipped]
        files.append(entry)
    return json.dumps({"files": files}, ensure_ascii=False, indent=2) + "\n"


# ---- SARIF 2.1.0 --------------------------------------------------------------------------


def _uri(label: str) -> dict:
    path = Path(label)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": path.as_posix(), "uriBaseId": "%SRCROOT%"}


def _region(span: Span | None, raw: str | None = None) -> dict:
    """A span's SARIF region; ``raw``: the file as it is when it has CRLF line
    ends (the span counts the text read with LF: a fix applied at the span's
    offsets landed one character early per line above it, red team R33)."""
    if span is None:
        return {"startLine": 1, "startColumn": 1}
    start, end = span.start, span.end
    if raw is not None:
        start, end = file_offset(raw, start), file_offset(raw, end)
    return {"startLine": span.line, "startColumn": span.column, "endLine": span.end_line,
            "endColumn": span.end_column, "charOffset": start, "charLength": end - start}


def _crlf_text(label: str) -> str | None:
    """The file of ``label`` as it is, when it has CRLF line ends (else None)."""
    try:
        with open(label, encoding="utf-8", newline="") as fh:
            raw = fh.read()
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return raw if "\r\n" in raw else None


def _in_cells(label: str) -> bool:
    """A notebook's spans are inside its cells' text, not its JSON file: its
    results carry no region and no fix (one applied to the JSON would corrupt it)."""
    return str(label).endswith(".ipynb")


def _location(label: str, span: Span | None, raw: str | None = None) -> dict:
    if _in_cells(label):
        return {"physicalLocation": {"artifactLocation": _uri(label)}}
    return {"physicalLocation": {"artifactLocation": _uri(label),
                                 "region": _region(span, raw)}}


def _sarif(results, args) -> str:
    kinds = list(RULES)
    rules = [{"id": rid, "name": name, "shortDescription": {"text": short},
              "fullDescription": {"text": help_text}, "help": {"text": help_text},
              "defaultConfiguration": {"level": "error" if k in ("nonfinite", "parse")
                                       else "note" if k in ("saturation", "unstable-form")
                                       else "warning"}}
             for k, (rid, name, short, help_text) in RULES.items()]
    out = []
    for file in results:
        label, error = file.label, file.error
        if error is not None:
            out.append({"ruleId": RULES["parse"][0], "ruleIndex": kinds.index("parse"),
                        "level": "error", "message": {"text": error.describe()},
                        "locations": [_location(label, error.span)]})
            continue
        raw = None if label == "<stdin>" or _in_cells(label) else _crlf_text(label)
        for f in file.findings:
            result = {
                "ruleId": RULES[f.kind][0], "ruleIndex": kinds.index(f.kind),
                "level": _LEVEL[f.severity], "message": {"text": f.message},
                "locations": [_location(label, f.span, raw)],
                "properties": {"names": list(f.names), "bound": _finite(f.bound),
                               "boundLog10": _finite(f.bound_log10),
                               "measured": _finite(f.measured)},
            }
            related = [dict(_location(label, x.span, raw), id=i,
                            message={"text": f"{x.label} ≤ {x.magnitude:.3g}"
                                     + (f" (×{x.count})" if x.count > 1 else "")})
                       for i, x in enumerate(f.factors) if x.span is not None]
            if related:
                result["relatedLocations"] = related
            if f.remedies and not _in_cells(label):
                result["fixes"] = [{
                    "description": {"text": r.title},
                    "artifactChanges": [{
                        "artifactLocation": _uri(label),
                        "replacements": [{"deletedRegion": _region(e.span, raw),
                                          "insertedContent": {"text": e.new_text}}
                                         for e in r.edits]}]}
                    for r in f.remedies]
            out.append(result)
    version = _version()
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "chainlens", "version": version, "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": out,
            "invocations": [{"executionSuccessful": True}],
        }],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _finite(x):
    import math

    return x if x is None or math.isfinite(x) else str(x)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chainlens")
    except PackageNotFoundError:
        return "0.0.0"
