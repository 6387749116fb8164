"""Statement-level error recovery for ``.chain`` programs.

One typo (``a = sigmoud(z``) must not cost an editor every hover in the
file.  :func:`recover` reads the program as :func:`parse` does; when that
fails it blanks the statement the error points into (every character but
newlines becomes a space, so every offset and line of the rest stays what
the user sees) and reads again, until the rest reads or nothing is left to
blank.  The statements are found here, at line boundaries, without the
parser: a line continues the statement above it only while that one has an
open bracket *and* the line is indented deeper (so ``h = (x`` followed by
``     + y)`` is one statement, but an unclosed ``(`` does not swallow the
lines after it).  A ``repeat … {`` header and its ``}`` are statements of
their own; a bad header costs its block.

Names the blanked statement assigned become inputs of the statements after
it (``.chain`` reads an unassigned name as an input), so their hovers
still answer, in terms of that name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chainlens.engine.core.source import ChainError, LimitError, Span
from chainlens.engine.language.program import Program
from chainlens.engine.language.reader import parse

__all__ = ["Recovered", "recover", "statements", "MAX_ERRORS"]

#: Statements blanked at most before giving up (each costs one parse).
MAX_ERRORS = 20

_HEADER = re.compile(r"^\s*repeat\b.*\{\s*$")
_CLOSER = re.compile(r"^\s*\}\s*$")


@dataclass(frozen=True)
class Recovered:
    """``program``: what the good statements say (None when nothing reads);
    ``text``: the text that was read (bad statements blanked, same length
    and lines as the original); ``errors``: one per blanked statement, in
    the order found; ``dropped``: the blanked statements' spans."""

    program: Program | None
    text: str
    errors: tuple[ChainError, ...] = ()
    dropped: tuple[Span, ...] = ()


def _code(line: str) -> str:
    cut = line.find("#")
    return line if cut < 0 else line[:cut]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def statements(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of each statement (blank and comment-only
    lines belong to none)."""
    out: list[tuple[int, int]] = []
    depth, first_indent, pos = 0, 0, 0
    open_stmt: list[int] | None = None
    for line in text.splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        body = line.rstrip("\r\n")
        code = _code(body)
        if not code.strip():
            continue
        if open_stmt is not None and depth > 0 and _indent(body) > first_indent:
            open_stmt[1] = start + len(body)
            depth += _balance(code)
            continue
        structural = _HEADER.match(code) or _CLOSER.match(code)
        open_stmt = [start + _indent(body), start + len(body)]
        out.append(open_stmt)  # type: ignore[arg-type]
        first_indent = _indent(body)
        depth = 0 if structural else max(0, _balance(code))
    return [(s, e) for s, e in out]


def _balance(code: str) -> int:
    return sum(code.count(c) for c in "([{") - sum(code.count(c) for c in ")]}")


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def _containing(ranges: list[tuple[int, int]], offset: int) -> int | None:
    """The statement holding ``offset``, else the last one before it (an
    error at a line's end or in the blank after a statement is that
    statement's)."""
    before = None
    for i, (s, e) in enumerate(ranges):
        if s <= offset <= e:
            return i
        if e < offset:
            before = i
    return before


def _block_end(ranges: list[tuple[int, int]], text: str, header: int) -> int:
    """The index of the ``}`` closing the block opened by ``header``."""
    depth = 0
    for i in range(header, len(ranges)):
        code = _code(text[ranges[i][0]:ranges[i][1]])
        if _HEADER.match(code):
            depth += 1
        elif _CLOSER.match(code):
            depth -= 1
            if depth == 0:
                return i
    return len(ranges) - 1


def recover(text: str) -> Recovered:
    """The program of ``text`` with its unreadable statements left out.
    Size limits are not recovered from (the whole text is over them)."""
    try:
        return Recovered(parse(text), text)
    except LimitError as exc:
        return Recovered(None, text, (exc,))
    except ChainError as exc:
        first = exc
    ranges = statements(text)
    current, errors, dropped, blanked = text, [], [], set()
    # An unbalanced bracket confuses the parser's bracket pre-scan about the
    # lines after it: such statements go first, each error read in isolation.
    for i, (start, end) in enumerate(ranges):
        code = _code(text[start:end])
        if _HEADER.match(code) or _CLOSER.match(code) or _balance(code) == 0:
            continue
        alone = _isolated(text, start, end)
        if alone is None or len(errors) >= MAX_ERRORS:
            continue
        errors.append(alone)
        blanked.add(i)
        current = _blank(current, start, end)
        dropped.append(Span.at(text, start, end))
    error: ChainError = first
    if errors:
        try:
            return _done(parse(current), current, errors, dropped)
        except LimitError as exc:
            return Recovered(None, text, (*errors, exc), tuple(dropped))
        except ChainError as exc:
            error = exc
            errors.append(exc)
    else:
        errors.append(first)
    for _ in range(MAX_ERRORS):
        at = error.span.start if error.span is not None else None
        i = None if at is None else _containing(ranges, at)
        if i is None or i in blanked:
            return Recovered(None, text, tuple(errors), tuple(dropped))
        last = i
        if _HEADER.match(_code(text[ranges[i][0]:ranges[i][1]])):
            last = _block_end(ranges, text, i)
        start, end = ranges[i][0], ranges[last][1]
        blanked.update(range(i, last + 1))
        current = _blank(current, start, end)
        dropped.append(Span.at(text, start, end))
        try:
            program = parse(current)
        except LimitError as exc:
            return Recovered(None, text, (*errors, exc), tuple(dropped))
        except ChainError as exc:
            error = exc
            errors.append(exc)
            continue
        except RecursionError:
            break
        return _done(program, current, errors, dropped)
    return Recovered(None, text, tuple(errors), tuple(dropped))


def _done(program: Program, text: str, errors: list, dropped: list) -> Recovered:
    order = sorted(range(len(errors)), key=lambda k: errors[k].span.start
                   if errors[k].span is not None else -1)
    return Recovered(program, text, tuple(errors[k] for k in order),
                     tuple(sorted(dropped, key=lambda sp: sp.start)))


def _isolated(text: str, start: int, end: int) -> ChainError | None:
    """The error of statement ``text[start:end]`` read alone (everything
    else blanked, so the error's place is its place in ``text``)."""
    alone = _blank(_blank(text, end, len(text)), 0, start)
    try:
        parse(alone)
    except ChainError as exc:
        return exc
    except RecursionError:
        return None
    return None
