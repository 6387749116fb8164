"""Places in source text, and the errors that point at them.

Every error chainlens reports to a person names a place (line, column, span)
and what was expected there; the language server turns a :class:`Span` into
an LSP range, the gRPC service into an INVALID_ARGUMENT detail, the command
line into a caret under the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["Span", "innermost", "ChainError", "ParseError", "ShapeError", "LimitError",
           "EvaluationError"]


#: Texts longer than this get their line starts indexed once (counting the
#: newlines before each span made a note of n claims on one line quadratic).
_INDEXED = 20_000
#: Characters of the offending line :meth:`ChainError.caret` shows at most.
CARET_WINDOW = 90


@lru_cache(maxsize=4)
def _newlines(text: str) -> tuple[int, ...]:
    return tuple(m.start() for m in re.finditer("\n", text))


@dataclass(frozen=True, order=True)
class Span:
    """A half-open range ``[start, end)`` of character offsets into the
    source, with 1-based line and column of both ends (columns count
    characters, not bytes)."""

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def at(cls, text: str, start: int, end: int | None = None) -> Span:
        """The span of ``text[start:end]`` (a single character by default)."""
        end = start + 1 if end is None else end
        end = max(start, min(end, len(text)))
        if len(text) > _INDEXED:  # many spans of one long text: a bisection each (R26)
            newlines = _newlines(text)
            line, end_line = bisect_left(newlines, start), bisect_left(newlines, end)
            column = start - (newlines[line - 1] + 1 if line else 0) + 1
            end_column = end - (newlines[end_line - 1] + 1 if end_line else 0) + 1
            return cls(start, end, line + 1, column, end_line + 1, end_column)
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        end_line = text.count("\n", 0, end) + 1
        end_column = end - (text.rfind("\n", 0, end) + 1) + 1
        return cls(start, end, line, column, end_line, end_column)

    def to_dict(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
        }


def innermost(items, offset: int):
    """The item whose ``span`` contains ``offset`` and starts last (the
    innermost of nested ones), or None: what a hover at ``offset`` is about."""
    best = None
    for item in items:
        if item.span.start <= offset <= item.span.end and (
            best is None or item.span.start >= best.span.start
        ):
            best = item
    return best


@dataclass(eq=False)
class ChainError(Exception):
    """An error with a place.  ``expected`` says in words what would have
    been accepted; ``hint`` suggests a fix when one is known.  (Not frozen:
    Python assigns ``__traceback__`` on exceptions as they propagate.)"""

    message: str
    span: Span | None = None
    expected: tuple[str, ...] = ()
    hint: str | None = None
    source: str | None = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        Exception.__init__(self, self.message)

    def __str__(self) -> str:
        where = f"{self.span.line}:{self.span.column}: " if self.span else ""
        return where + self.describe()

    def describe(self) -> str:
        """The message with what was expected and the hint, without the
        place: for lines that already start with ``file:line:col:`` (a
        linter's form), where ``str()`` would name the place twice."""
        parts = [self.message]
        if self.expected:
            parts.append("expected " + _or_list(self.expected))
        if self.hint:
            parts.append("hint: " + self.hint)
        return "; ".join(parts)

    def caret(self) -> str:
        """The offending line with a caret under the place, for terminals.
        A long line is cut to a window around the caret (``...`` marks each
        cut), so a 10,000-character line prints about 100 characters."""
        if self.span is None or self.source is None:
            return str(self)
        lines = self.source.splitlines() or [""]
        idx = min(self.span.line, len(lines)) - 1
        text = lines[idx] if idx >= 0 else ""
        width = 1
        if self.span.end_line == self.span.line:
            width = max(1, self.span.end_column - self.span.column)
        column = self.span.column - 1
        if len(text) > CARET_WINDOW:
            start = max(0, min(column - CARET_WINDOW // 2, len(text) - CARET_WINDOW))
            end = start + CARET_WINDOW
            width = max(1, min(width, end - column))
            head, tail = ("..." if start else ""), ("..." if end < len(text) else "")
            text = head + text[start:end] + tail
            column += len(head) - start
        pad = "".join(c if c == "\t" else " " for c in text[:column])  # tab: tab
        pad = pad.ljust(column)
        return f"{self}\n  {text}\n  {pad}{'^' * width}"

    def to_dict(self) -> dict:
        return {
            "kind": type(self).__name__,
            "message": self.message,
            "span": self.span.to_dict() if self.span else None,
            "expected": list(self.expected),
            "hint": self.hint,
        }


class ParseError(ChainError):
    """Text that is not a valid expression or ``.chain`` program."""


class ShapeError(ChainError):
    """Tensor shapes that do not fit together (found before running)."""


class LimitError(ChainError):
    """Input beyond a documented limit (size, nesting depth, layers, time)."""


class EvaluationError(ChainError):
    """A numeric evaluation that cannot proceed (missing input value...)."""


def _or_list(items: tuple[str, ...]) -> str:
    items = tuple(items)
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]
