"""The syntax tree's nodes and the text they point into.

:class:`Syn` is one node of the concrete syntax tree (kind, character
offsets, children); :class:`Lines` turns offsets into line/column
:class:`~chainlens.engine.core.source.Span` s and builds errors at a place.
Both the parser (:mod:`.syntax`) and its error messages (:mod:`.errors`)
read them, so they sit below both.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from chainlens.engine.core.limits import MAX_NESTING
from chainlens.engine.core.source import Span

__all__ = ["Syn", "Lines", "TooDeep"]


class Syn:
    """One syntax node: ``kind``, offsets ``[start, end)``, children ``kids``
    and a kind-specific ``val``.  ``depth`` is the operator nesting depth,
    checked against :data:`MAX_NESTING` as the node is built."""

    __slots__ = ("kind", "start", "end", "kids", "val", "depth")

    def __init__(self, kind, start, end, kids=(), val=None):
        self.kind = kind
        self.start = start
        self.end = end
        self.kids = kids
        self.val = val
        d = 0
        for k in kids:
            if k.depth > d:
                d = k.depth
        # Groups and unary plus add no nesting of their own: brackets are
        # counted by the pre-scan, and the operator inside is counted here.
        self.depth = d if kind in ("group", "pos") else d + 1
        if self.depth > MAX_NESTING:
            raise TooDeep(start, end)

    def __repr__(self):  # pragma: no cover - debugging aid
        return f"Syn({self.kind}, {self.val!r}, {list(self.kids)!r})"


class TooDeep(Exception):
    """Raised while building a node nested past :data:`MAX_NESTING`; the parser
    turns it into a :class:`LimitError` at the node's place."""

    def __init__(self, start, end):
        super().__init__(start, end)
        self.start, self.end = start, end


class Lines:
    """Offset -> (line, column) in O(log n), so that spans for every node of
    a 10,000-line file cost no more than the parse."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._cache: dict[tuple[int, int], Span] = {}

    def span(self, start: int, end: int) -> Span:
        key = (start, end)
        span = self._cache.get(key)
        if span is None:
            span = self._cache[key] = self._span(start, end)
        return span

    def _span(self, start: int, end: int) -> Span:
        n = len(self.text)
        start = max(0, min(start, n))
        end = max(start, min(end, n))
        li = bisect_right(self.starts, start) - 1
        lj = bisect_right(self.starts, end) - 1
        return Span(start, end, li + 1, start - self.starts[li] + 1, lj + 1,
                    end - self.starts[lj] + 1)

    def error(self, cls, message, start, end=None, expected=(), hint=None):
        end = start + 1 if end is None else end
        return cls(message, self.span(start, end), tuple(expected), hint, self.text)
