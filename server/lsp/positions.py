"""Character offsets <-> LSP positions.

The engine speaks in character offsets (:class:`~chainlens.engine.core.source.Span`);
LSP positions count UTF-16 code units by default (or code points when the
client negotiated ``utf-32``).  One :class:`LineIndex` per document version
makes both directions O(log lines).
"""

from __future__ import annotations

import bisect

from chainlens.engine.core.source import Span
from lsprotocol import types

__all__ = ["LineIndex"]


class LineIndex:
    def __init__(self, text: str, encoding: str = "utf-16"):
        self.text = text
        self.utf16 = encoding == types.PositionEncodingKind.Utf16 or encoding == "utf-16"
        self.starts = [0]
        at = text.find("\n")
        while at >= 0:
            self.starts.append(at + 1)
            at = text.find("\n", at + 1)

    def _units(self, s: str) -> int:
        if not self.utf16:
            return len(s)
        return len(s) + sum(1 for ch in s if ord(ch) > 0xFFFF)

    def position(self, offset: int) -> types.Position:
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        return types.Position(line=line, character=self._units(self.text[start:offset]))

    def offset(self, position: types.Position) -> int:
        if position.line >= len(self.starts):
            return len(self.text)
        start = self.starts[position.line]
        end = self.starts[position.line + 1] - 1 if position.line + 1 < len(self.starts) \
            else len(self.text)
        if not self.utf16:
            return min(start + position.character, end)
        units, i = 0, start
        while i < end and units < position.character:
            units += 2 if ord(self.text[i]) > 0xFFFF else 1
            i += 1
        return i

    def range(self, start: int, end: int) -> types.Range:
        return types.Range(start=self.position(start), end=self.position(end))

    def span_range(self, span: Span) -> types.Range:
        return self.range(span.start, span.end)

    def span(self, start: int, end: int) -> Span:
        return Span.at(self.text, start, end)
