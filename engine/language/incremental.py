"""Reading the next version of a ``.chain`` text without reading it again.

An editor sends a new version of the document on every keystroke, and most
of them change a comment, a blank line or the indentation: the statements
themselves (:func:`~chainlens.engine.language.recovery.statements`) are the
same strings, only at other offsets.  Between statements there is only
whitespace and comments, which the reader blanks before the grammar sees the
text, so such a text reads to the same program with every offset of
statement *k* moved by statement *k*'s shift, and line/column recomputed.
:func:`parse` finds the last program read with the same statements (a
bounded :class:`~chainlens.engine.core.cache.Cache` keyed by the statements'
text) and moves its spans instead of reading again: on a 2,000-line file
about 20 ms instead of 1-2 s.  A text in which one assignment changed is
read by reading that statement alone and putting it in the last program
(:func:`chainlens.engine.language.splice.spliced`).  Any other text is read
in full by :func:`chainlens.engine.language.reader.parse`, and the result is
the same either way (a test compares all three over random edit sequences).
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections import deque
from dataclasses import dataclass, field, fields, replace
from types import MappingProxyType

from chainlens.engine.core.cache import Cache
from chainlens.engine.core.limits import MAX_SOURCE_CHARS
from chainlens.engine.core.source import Span
from chainlens.engine.language import reader
from chainlens.engine.language.program import Program
from chainlens.engine.language.recovery import statements
from chainlens.engine.language.splice import Uses, shifted, spliced
from chainlens.engine.language.syntax_tree import Lines

__all__ = ["parse", "moved_program", "common_prefix", "common_suffix"]

#: programs kept by their statements (a few open documents, a few versions each)
_READ: Cache[tuple] = Cache(16)
#: the last programs read, newest last: an edit of one statement starts from one
_RECENT: deque = deque(maxlen=4)
_RECENT_LOCK = threading.Lock()

#: text between two statements that the reader ignores: blanks and comments
_GAP = re.compile(r"(?:[ \t\r\n]|#[^\n]*)*")


@dataclass(frozen=True)
class _Read:
    text: str
    ranges: tuple[tuple[int, int], ...]
    key: tuple[str, ...]
    program: Program
    #: the names each assignment reads (:class:`Uses`), made when first needed
    uses: list = field(default_factory=list, compare=False)

    def names_read(self) -> Uses:
        if not self.uses:
            self.uses.append(Uses(self.program))
        return self.uses[0]


def parse(text: str) -> Program:
    """:func:`reader.parse` of ``text``, reusing the last program read with
    the same statements when there is one."""
    if not isinstance(text, str) or len(text) > MAX_SOURCE_CHARS:
        return reader.parse(text)
    ranges = _ranges(text)
    key = tuple(text[s:e] for s, e in ranges)
    last: _Read | None = _READ.get(key)
    if last is not None and last.text == text:
        return last.program
    uses = None
    if last is not None and _gaps_ignored(text, ranges):
        program = _moved_uniformly(last, text, ranges)
        if program is None:
            program = moved_program(last.program, last.ranges, text, ranges)
        uses = last.uses[0] if last.uses else None  # moving changes no name
    else:
        found = _one_statement_edit(text, ranges, key)
        program, uses = found if found is not None else (reader.parse(text), None)
        if found is None and not program.repeats:
            uses = Uses(program)  # a tenth of the read; the next code edit needs it
    read = _Read(text, ranges, key, program, [uses] if uses is not None else [])
    _READ.put(key, read)
    with _RECENT_LOCK:
        _RECENT.append(read)
    return program


def _one_statement_edit(text: str, ranges: tuple[tuple[int, int], ...], key: tuple[str, ...]):
    """(program, uses) of ``text`` from a recent read whose text differs from
    it inside one assignment (:mod:`.splice`), or None."""
    with _RECENT_LOCK:
        recent = list(_RECENT)
    for last in reversed(recent):
        if len(last.key) != len(key):
            continue
        k = _only_difference(last.key, key)
        found = None if k is None else spliced(last.program, last.names_read, last.ranges,
                                               text, ranges, k)
        if found is not None:
            return found
    return None


def _only_difference(a: tuple[str, ...], b: tuple[str, ...]) -> int | None:
    """The one index where ``a`` and ``b`` differ, or None."""
    found = None
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        if x != y:
            if found is not None:
                return None
            found = i
    return found


#: characters whose editing can change where statements begin and end
_STRUCTURE = re.compile(r"[\n\r#;()\[\]{}]")
#: in the edited statement: more than one line, or a block's brace
_NOT_ONE_LINE = re.compile(r"[\n\r{}]")


def _ranges(text: str) -> tuple[tuple[int, int], ...]:
    """The statements' ``(start, end)`` (trailing blanks are not the
    statement's: typing a space there moves nothing).  After an edit inside
    one single-line statement that types or deletes no bracket, newline,
    ``;`` or ``#`` (so no statement's bracket balance or extent changes), the
    last read's ranges moved by the edit's length (the statement scan costs
    20 ms on a 2,000-line file)."""
    with _RECENT_LOCK:
        last = _RECENT[-1] if _RECENT else None
    moved = None if last is None else _ranges_after_edit(last, text)
    if moved is not None:
        return moved
    return tuple((a, a + len(text[a:b].rstrip())) for a, b in statements(text))


def _ranges_after_edit(last: _Read, text: str) -> tuple[tuple[int, int], ...] | None:
    old = last.text
    p = common_prefix(old, text)
    q = common_suffix(old, text, min(len(old), len(text)) - p)
    old_end, delta = len(old) - q, len(text) - len(old)
    if _STRUCTURE.search(old, p, old_end) or _STRUCTURE.search(text, p, len(text) - q):
        return None
    k = bisect_right(last.ranges, (p, len(old) + 1)) - 1
    if k < 0:
        return None
    s, e = last.ranges[k]
    if not s <= p <= old_end <= e or _NOT_ONE_LINE.search(old, s, e):
        return None  # outside a statement, or in one of several lines or a block
    e2 = e + delta
    if e2 <= s or text[s].isspace() or text[e2 - 1].isspace():
        return None  # the statement's first or last character moved
    return (*last.ranges[:k], (s, e2), *((a + delta, b + delta) for a, b in last.ranges[k + 1:]))


def common_prefix(a: str, b: str) -> int:
    """The length of the longest common prefix (bisection on slices: C-speed
    comparisons instead of a Python loop over characters)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def common_suffix(a: str, b: str, limit: int) -> int:
    """The length of the longest common suffix, at most ``limit``."""
    lo, hi = 0, limit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid:len(a) - lo] == b[len(b) - mid:len(b) - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _moved_uniformly(last: _Read, text: str, ranges: tuple[tuple[int, int], ...]):
    """The last program moved when one gap changed: the statements before it
    stay, the ones after move by the same characters and lines, and the
    first of them keeps its column (:func:`.splice.shifted`); else None."""
    old = last.ranges
    k = next((i for i, (a, b) in enumerate(zip(old, ranges, strict=True)) if a != b), None)
    if k is None:
        return None
    by = ranges[k][0] - old[k][0]
    if any(b[0] - a[0] != by for a, b in zip(old[k:], ranges[k:], strict=True)):
        return None
    was, now = old[k][0], ranges[k][0]
    gap = old[k - 1][1] if k > 0 else 0
    if last.text[was:] != text[now:] or last.text[:gap] != text[:gap]:
        return None  # another gap changed too (lines may move differently there)
    if was - last.text.rfind("\n", 0, was) != now - text.rfind("\n", 0, now):
        return None  # the statement's first line moved sideways
    lines = text.count("\n", 0, now) - last.text.count("\n", 0, was)
    return shifted(last.program, text, was, by, lines)


def _gaps_ignored(text: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    ends = (0, *(e for _, e in ranges))
    starts = (*(s for s, _ in ranges), len(text))
    return all(_GAP.fullmatch(text, a, b) is not None and (i == 0 or "\n" in text[a:b]
                                                         or b == len(text))
               for i, (a, b) in enumerate(zip(ends, starts, strict=True)))


def moved_program(program: Program, old: tuple[tuple[int, int], ...], text: str,
                  new: tuple[tuple[int, int], ...]) -> Program:
    """``program`` (read from a text whose statements were at ``old``) as read
    from ``text``, whose statements are the same strings at ``new``."""
    old_lines, lines = Lines(program.source), Lines(text)
    starts = [s for s, _ in old]
    ends = [e for _, e in old]
    shifts, line_shifts, first_lines, column_shifts = [], [], [], []
    for (n, _), (o, _) in zip(new, old, strict=True):
        was, now = old_lines.span(o, o), lines.span(n, n)
        shifts.append(n - o)
        line_shifts.append(now.line - was.line)
        first_lines.append(was.line)
        column_shifts.append(now.column - was.column)

    memo: dict[int, Span] = {}  # by id: the same span object is shared by several parts

    def span(sp: Span) -> Span:
        out = memo.get(id(sp))
        if out is not None:
            return out
        x, y = sp.start, sp.end
        k = bisect_right(starts, x) - 1
        j = k if ends[k] >= y or k < 0 else bisect_right(starts, y) - 1
        if k < 0 or j < 0 or x > ends[k] or y > ends[j]:  # reaches between statements
            out = lines.span(x + (shifts[k] if k >= 0 else 0), y + (shifts[j] if j >= 0 else 0))
        else:
            out = Span(x + shifts[k], y + shifts[j], sp.line + line_shifts[k],
                       sp.column + (column_shifts[k] if sp.line == first_lines[k] else 0),
                       sp.end_line + line_shifts[j],
                       sp.end_column + (column_shifts[j] if sp.end_line == first_lines[j] else 0))
        memo[id(sp)] = out
        return out

    def part(value):
        """A program part (an Assignment, a Declaration...) with its spans moved."""
        names = _span_fields(type(value))
        if not names:
            return value
        if not hasattr(value, "__dict__"):  # a slotted part: the slow, general way
            return replace(value, **{n: span(getattr(value, n)) for n in names
                                     if isinstance(getattr(value, n), Span)})
        moved = object.__new__(type(value))  # frozen: copy the fields, then set the spans
        moved.__dict__.update(value.__dict__)
        for n in names:
            old = value.__dict__[n]
            if isinstance(old, Span):
                object.__setattr__(moved, n, span(old))
        return moved

    spans = {node: (span(where[0]),) if len(where) == 1 else tuple(map(span, where))
             for node, where in program.spans.items()}
    return replace(program, source=text,
                   assignments=tuple(map(part, program.assignments)),
                   declarations=tuple(map(part, program.declarations)),
                   functions=tuple(map(part, program.functions)),
                   points=tuple(map(part, program.points)),
                   repeats=tuple(map(part, program.repeats)),
                   spans=MappingProxyType(spans), _expanded={})


_SPAN_FIELDS: dict[type, frozenset[str]] = {}


def _span_fields(cls: type) -> frozenset[str]:
    """The fields of a program part that hold spans (by their annotation)."""
    found = _SPAN_FIELDS.get(cls)
    if found is None:
        found = _SPAN_FIELDS[cls] = frozenset(
            f.name for f in fields(cls) if "Span" in str(f.type))
    return found
