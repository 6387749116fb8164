"""``chainlens check FILE…``: the derivative claims of notes, as the editor sees them.

Markdown, LaTeX and notebooks (their Markdown cells) are read by
:func:`~chainlens.engine.frontends.document.read_document` and each claim is
judged by :func:`~chainlens.engine.frontends.claims.check_claim`: the same
verdicts, words and quick fixes as the language server.  A claim is called
wrong only when the checker is certain; the others are "not checked" with
the reason (``--all`` lists them).  Exit 1 when a claim is wrong, 2 when a
file cannot be read.  ``--format sarif`` for CI.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from chainlens.engine.core.source import ChainError, Span
from chainlens.engine.frontends.kinds import kind_of
from chainlens.engine.frontends.note_edits import claim_edit
from chainlens.engine.language.reader import parse_expr


class NoteError(Exception):
    """A note that cannot be read at all (a notebook that is not JSON): the
    command's input error, exit 2 (README), never "no claims found"."""


def register_arguments(p) -> None:
    p.add_argument("--all", action="store_true",
                   help="also list the claims that are correct or not checked (with why)")


def _cell_texts(doc) -> dict:
    """The text each cell's offsets count in, read once per note (parsing
    the notebook again for each claim made many claims quadratic)."""
    if doc.kind != "notebook":
        return {}
    out = {}
    for k, cell in enumerate(json.loads(doc.text)["cells"]):
        src = cell.get("source", "") if isinstance(cell, dict) else ""
        if isinstance(src, list):  # as the reader joins it: anything but a line is no text
            src = "".join(line for line in src if isinstance(line, str))
        out[k] = src if isinstance(src, str) else ""
    return out


def _position(text: str, span: Span) -> tuple[int, int]:
    at = Span.at(text, span.start)  # line starts indexed once for a long note (R26)
    return at.line, at.column


def check_file(path: str, kind: str | None = None) -> list[dict]:
    """Every claim of a note as a plain record (what the three formats print)."""
    with open(path, encoding="utf-8", newline="") as fh:
        raw = fh.read()
    text = raw.replace("\r\n", "\n").replace("\r", "\n")  # as open() in text mode reads it
    records = check_text(text, path, kind)
    if len(text) != len(raw):
        for r in records:  # a fix's offsets count the file's own characters, CR of CRLF included
            if "fix" in r:
                span = r["fix"]["span"]
                r["fix"]["span"] = {**span, "start": file_offset(raw, span["start"]),
                                    "end": file_offset(raw, span["end"])}
    return records


def file_offset(raw: str, offset: int) -> int:
    """Where ``offset`` of the text with CRLF read as LF is in ``raw``: a
    SARIF fix is applied to the file as it is, and a CRLF file's fix landed
    one character early per line above it (red team R33)."""
    shift = 0
    at = raw.find("\r\n")
    while at != -1 and at - shift < offset:
        shift += 1
        at = raw.find("\r\n", at + 2)
    return offset + shift


def check_text(text: str, path: str, kind: str | None = None) -> list[dict]:
    """The records of ``text`` read as a note at ``path`` (``<claim>``: a
    claim typed on the command line, read as a Markdown line)."""
    from chainlens.engine.frontends.claims import check_claim
    from chainlens.engine.frontends.document import read_document
    # a note of any other name (.rst, no extension) is read as plain text, as
    # the Markdown reader reads a cheat sheet's lines: `check` only reads notes
    kind = kind or kind_of(path) or "markdown"
    doc = read_document(text, kind, path=None if path.startswith("<") else path)
    if doc.error is not None and (doc.kind == "notebook" or not doc.claims):
        # a note past MAX_SOURCE_CHARS is not read at all: saying so, never
        # "no derivative claims found", exit 0 (red team S5)
        raise NoteError(doc.error.message)
    cells = _cell_texts(doc)
    out = []
    for unit in doc.claims:
        v = check_claim(unit)
        where = cells.get(unit.cell, doc.text) if unit.cell is not None else doc.text
        line, col = _position(where, unit.name_span)
        verdict = "correct" if v.ok else "wrong" if v.ok is False else "not checked"
        record = {"file": path, "line": line, "column": col, "cell": unit.cell,
                  "verdict": verdict, "claim": v.to_dict(),
                  "message": v.message() if v.ok is False else
                  (v.note or "correct derivative")}
        span = unit.name_span
        edit = v.ok is False and v.correct_latex and claim_edit(
            where, span.start, span.end, v.correct_latex, "latex" if doc.kind == "latex"
            else "markdown")
        if edit:  # inside the author's decoration; no bar that splits a table cell
            record["fix"] = {"span": Span.at(where, edit[0], edit[1]).to_dict(),
                             "replacement": edit[2]}
        out.append(record)
    for skip in doc.skipped:
        cell = getattr(skip, "cell", None)
        line, col = _position(cells.get(cell, doc.text) if cell is not None else doc.text,
                              skip.span)
        out.append({"file": path, "line": line, "column": col, "cell": None,
                    "verdict": "not checked", "message": skip.reason})
    return sorted(out, key=lambda r: (r.get("cell") or 0, r["line"], r["column"]))


def run_files(args) -> int:
    records, status = [], 0
    for path in args.files:
        if path == "-":  # standard input, as `diff -` and `health -` read it
            text = sys.stdin.read().replace("\r\n", "\n").replace("\r", "\n")
            try:
                records += check_text(text, "<stdin>", getattr(args, "kind", None) or "markdown")
            except NoteError as exc:
                print(f"chainlens check: <stdin>: {exc}", file=sys.stderr)
                return 2
            continue
        if not path.strip():  # `check ''`: neither a file nor a claim (was "no such file: ")
            print("chainlens check: nothing to check: the argument is empty; pass a note "
                  "(notes.md), or a claim: chainlens check 'd/dx sin(x) = cos(x)'",
                  file=sys.stderr)
            return 2
        if _typed_claim(path):  # chainlens check "d/dx sin(x) = cos(x)"
            found = check_text(_ascii_claim(path), "<claim>", "markdown")
            unread = None if found else _unread_side(path)
            if unread:
                print(f"chainlens check: the claim {path!r} does not parse: {unread}",
                      file=sys.stderr)
                return 2
            if not found:
                print(f"chainlens check: no such file, and no derivative claim in {path!r}; "
                      "a claim reads d/dx sin(x) = cos(x); one derivative: chainlens "
                      "check-derivative 'sin(x)' 'cos(x)'", file=sys.stderr)
                return 2
            records += found
            continue
        try:
            records += check_file(path, getattr(args, "kind", None))
        except FileNotFoundError:
            from chainlens.cli.inputs import looks_like_path

            hint = "" if looks_like_path(path) else (
                f"; an expression? chainlens check-derivative '{path}' CLAIMED, or a claim: "
                f"chainlens check 'd/dx {path} = ...'")
            print(f"chainlens check: no such file: {path}{hint}", file=sys.stderr)
            return 2
        except OSError as exc:
            print(f"chainlens check: {path}: {exc.strerror}", file=sys.stderr)
            return 2
        except NoteError as exc:  # as chainlens health says it (red team R24)
            print(f"chainlens check: {path}: {exc}", file=sys.stderr)
            return 2
        except UnicodeDecodeError as exc:
            print(f"chainlens check: {path} is not UTF-8 text (byte {exc.start})",
                  file=sys.stderr)
            return 2
    wrong = [r for r in records if r["verdict"] == "wrong"]
    status = 1 if wrong else 0
    if args.format == "json":
        print(json.dumps(records, ensure_ascii=False, indent=2))
    elif args.format == "sarif":
        print(json.dumps(_sarif(records), ensure_ascii=False, indent=2))
    else:
        for r in records if args.all else wrong:
            where = f"{r['file']}:{r['line']}:{r['column']}"
            if r.get("cell") is not None:
                where += f" (cell {r['cell']})"
            level = {"wrong": "warning", "correct": "ok"}.get(r["verdict"], "info")
            print(f"{where}: {level}: {r['message']}" +
                  (" [wrong-derivative]" if r["verdict"] == "wrong" else ""))
        counts = {k: sum(r["verdict"] == k for r in records)
                  for k in ("correct", "wrong", "not checked")}
        tail = ""
        if not records:  # a note whose claims were all missed looks like a clean one
            tail = (" (no derivative claims found: claims are math such as "
                    "$\\frac{d}{dx} x^2 = 2x$, $f'(x) = 2x$ or a line d/dx x^2 = 2x)")
        elif counts["not checked"] and not args.all:
            tail = " (--all says why)"
        print(f"{counts['correct']} correct, {counts['wrong']} wrong, "
              f"{counts['not checked']} not checked{tail}")
    return status


def _unread_side(claim: str) -> str | None:
    """Why a claim typed on the command line that the note reader found no
    claim in does not parse (its side, with the parser's message, caret and
    hint), or None when both sides parse (red team R7: it said "no derivative
    claim" for ``d/dx |x|^3 = 3 x |x|``)."""
    lhs, sep, rhs = claim.partition("=")
    head = re.match(r"\s*(?:d\s*/\s*d\s*[A-Za-z]\w*|\(?\s*d\s*/\s*d\s*[A-Za-z]\w*\s*\)?)", lhs)
    if not sep or head is None:
        return None
    for side, text in (("its left side", lhs[head.end():]), ("its right side", rhs)):
        if not text.strip():
            return f"{side} is empty"
        try:
            parse_expr(text.strip())
        except ChainError as exc:
            return f"{side}, {exc.caret()}"
    return None


def _ascii_claim(claim: str) -> str:
    """A claim typed at a shell in ASCII, as its writer means it: ``x^0.5`` is
    x to the 0.5 (TeX would raise only the 0), ``|x|`` is abs(x) (a Markdown
    line would take the bars for a table's) when a side has one pair of them.
    TeX (a backslash) is left alone."""
    order = re.match(r"\s*d\s*\^\s*\{?\s*(\d)\s*\}?\s*/\s*d\s*([A-Za-z])\s*\^\s*\{?\s*(\d)\s*\}?"
                     r"(?![A-Za-z0-9_])", claim)
    if order and order.group(1) == order.group(3) and "$" not in claim:
        # d^2/dx^2 x^3 = 6x: the operator as TeX writes it (a line of prose reads
        # only d/dx), the rest in ASCII, the x^0.5 and |x| readings below kept
        n, var = order.group(1), order.group(2)
        return f"$\\frac{{d^{n}}}{{d{var}^{n}}} {_ascii_claim(claim[order.end():])}$"
    if "\\" in claim:
        if "$" not in claim and re.match(r"\s*\\frac\s*\{\s*(?:d|\\partial)\s*\^", claim):
            return f"${claim}$"  # \frac{d^2}{dx^2} x^3 = 6x: TeX math typed without dollars
        return claim
    claim = re.sub(r"\^(-?\d+\.\d+)", r"^{\1}", claim)
    # one pair of bars in a side only: |a|b|c| could pair either way
    return "=".join(re.sub(r"\|([^|]+)\|", r"abs(\1)", side) if side.count("|") == 2
                    else side for side in claim.split("="))


def _typed_claim(arg: str) -> bool:
    """Is ``arg`` a claim typed out rather than a file name?  Not a file,
    nothing like a file name, and an equation."""
    from chainlens.cli.inputs import looks_like_path

    return ("=" in arg and not looks_like_path(arg) and len(arg) < 4096
            and not Path(arg).exists())


def _sarif(records: list[dict]) -> dict:
    results = []
    for r in records:
        if r["verdict"] != "wrong":
            continue
        where = {"artifactLocation": {"uri": r["file"]},
                 "region": {"startLine": r["line"], "startColumn": r["column"]}}
        text = r["message"]
        if r.get("cell") is not None:
            # a notebook's positions are inside a cell's text, not the .ipynb's JSON: no region
            # and no fix in file coordinates (a fix applied to the JSON would corrupt it)
            where = {"artifactLocation": {"uri": r["file"]}}
            text = f"cell {r['cell']}, line {r['line']}, column {r['column']}: {text}"
        result = {"ruleId": "wrong-derivative", "level": "warning",
                  "message": {"text": text}, "locations": [{"physicalLocation": where}]}
        if r.get("cell") is not None:
            result["properties"] = {"cell": r["cell"], "line": r["line"], "column": r["column"]}
        elif "fix" in r:
            span = r["fix"]["span"]
            result["fixes"] = [{"description": {"text": "Correct the claim"},
                                "artifactChanges": [{
                                    "artifactLocation": {"uri": r["file"]},
                                    "replacements": [{"deletedRegion": {
                                        "charOffset": span["start"],
                                        "charLength": span["end"] - span["start"]},
                                        "insertedContent": {"text": r["fix"]["replacement"]}}]}]}]
        results.append(result)
    return {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
            "runs": [{"columnKind": "unicodeCodePoints",  # offsets count code points
                      "tool": {"driver": {"name": "chainlens", "rules": [{
                "id": "wrong-derivative",
                "shortDescription": {"text": "a derivative claim in a note is wrong"}}]}},
                "results": results}]}
