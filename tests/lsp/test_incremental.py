"""Incremental reading (engine.language.incremental) == a full read, always.

Random edit sequences on the examples and a generated file: comments grow
and shrink, blank lines come and go, indentation changes (the last program
moved), code edits inside one statement (a digit, a longer number, a name
read, a new input, a line break inside brackets: the statement read alone
and spliced in) and edits that force full reads (a renamed assignment, a
broken bracket).  After every edit the incremental result must equal
reader.parse of the text, spans included (or both must fail with the same
error).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from chainlens.engine.core.source import ChainError
from chainlens.engine.language import incremental
from chainlens.engine.language.reader import parse

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from lsp import big_program  # noqa: E402

TEXTS = {p.name: p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("examples/*.chain"))}
TEXTS["big"] = big_program(60)
TEXTS["functions"] = ("f(t) = t^2 + 1  # a function\ninput x in [-2, 2]\n\nparam w\n"
                      "y = f(w * x)\n  z = (y +\n     x)\n@wrt x\n@at x=0.5, w=2\n")


def _read(text: str):
    try:
        return incremental.parse(text), None
    except ChainError as exc:
        return None, (type(exc), exc.message, exc.span)


def _full(text: str):
    try:
        return parse(text), None
    except ChainError as exc:
        return None, (type(exc), exc.message, exc.span)


def _same(a, b) -> bool:
    return (a == b and a.source == b.source and dict(a.spans) == dict(b.spans)
            and [(x.span, x.name_span, x.expr_span) for x in a.assignments]
            == [(x.span, x.name_span, x.expr_span) for x in b.assignments])


def _edit(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    what = rng.choice(["comment", "comment", "blank", "unblank", "indent", "trailing", "code",
                       "code", "longer", "shorter", "reads", "reads", "wrap", "rename",
                       "break"])
    if what == "comment":
        lines.insert(i, "#" + "x" * rng.randrange(5))
    elif what == "blank":
        lines.insert(i, " " * rng.randrange(3))
    elif what == "unblank" and not lines[i].strip():
        del lines[i]
    elif what == "indent":
        lines[i] = " " * rng.randrange(4) + lines[i].lstrip(" ")
    elif what == "trailing":
        lines[i] += "  # note"
    elif what == "code":
        lines[i] = lines[i].replace("1", "2", 1)
    elif what == "longer":
        lines[i] = lines[i].replace("1", "1.25", 1)
    elif what == "shorter":
        lines[i] = lines[i].replace("0.0", "0", 1)
    elif what == "reads" and "=" in lines[i] and not lines[i].lstrip().startswith("@"):
        lines[i] += rng.choice([" + x", " + q", " * a", " + z1", " + w"])
    elif what == "wrap" and lines[i].rstrip().endswith(")"):
        lines[i] = lines[i].rstrip()[:-1] + "\n    + 0)"
    elif what == "rename" and "=" in lines[i]:
        lines[i] = "b" + lines[i].lstrip()
    elif what == "break":
        lines[i] += "("
    return "\n".join(lines)


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_incremental_read_equals_a_full_read_over_random_edits(name):
    rng = random.Random(name)
    text = TEXTS[name]
    for _ in range(60):
        previous = text
        text = _edit(text, rng)
        if not _full(text)[0] and _full(previous)[0]:
            text = previous if rng.random() < 0.7 else text  # mostly stay readable
        got, got_error = _read(text)
        want, want_error = _full(text)
        assert got_error == want_error
        if want is not None:
            assert _same(got, want), text


def test_a_comment_edit_moves_the_program_instead_of_reading_it(monkeypatch):
    text = big_program(100)
    first = incremental.parse(text)
    calls = []
    monkeypatch.setattr(incremental.reader, "parse", lambda t: calls.append(t) or parse(t))
    edited = "# a new first line\n" + text.replace("\n", "  \n", 3)
    moved = incremental.parse(edited)
    assert calls == [] and moved is not first
    assert _same(moved, parse(edited))
    assert moved.assignments[0].span.line == first.assignments[0].span.line + 1
    renamed = edited.replace("z1 = w1", "y1 = w1", 1)
    incremental.parse(renamed)  # another name assigned: a full read
    assert len(calls) == 1
    assert _same(incremental.parse(renamed), parse(renamed))


def test_a_code_edit_reads_only_its_statement(monkeypatch):
    """One statement's code changed (a longer number, a new name read):
    the statement is read alone and spliced into the last program, and the
    result is the full read's, spans included."""
    text = big_program(100)
    incremental.parse(text)
    calls = []
    monkeypatch.setattr(incremental.reader, "parse", lambda t: calls.append(t) or parse(t))
    for old, new in (("z50 = w50 * a + 0.01", "z50 = w50 * a + 0.0125"),
                     ("z50 = w50 * a + 0.0125", "z50 = w50 * a * x + 0.0125"),
                     ("z50 = w50 * a * x + 0.0125", "z50 = (w50 * a * x\n    + 0.0125)")):
        text = text.replace(old, new, 1)
        got = incremental.parse(text)
        assert _same(got, parse(text))
    assert calls == []


def test_two_gaps_edited_at_once_move_each_statement_by_its_own_lines():
    """A comment line added above one statement while a later comment keeps its
    length but gains a line break: the statements after it move by more lines
    than the ones between (not one uniform move)."""
    text = "# top\na = x\n#ab\nb = a^2\n"
    incremental.parse(text)
    edited = "# top\n\na = x\n#a\n\nb = a^2\n"
    got = incremental.parse(edited)
    assert _same(got, parse(edited))
    assert got.assignments[1].span.line == 6
