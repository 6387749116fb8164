"""The last published diagnostics, moved, for an edit of comments or blank lines.

Typing in a comment of a big ``.chain`` file changes no statement: the
program reads the same, only the lines below the edit move
(:mod:`chainlens.engine.language.incremental` moves the program instead of
reading it again).  The diagnostics are then the last version's, with every
position below the edited lines moved by the lines the edit added or
removed, so they can be published at once instead of after the analysis of
the new version (which follows, and publishes again with its own result).

Only when that is certainly what an analysis of the new text says: the
edited lines, before and after, are blank or comments only (so no
statement changed, began or ended), no diagnostic touches them, and no
message names a line number (a number that would have to change too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import attrs
from chainlens.engine.language.incremental import common_prefix, common_suffix
from lsprotocol import types

__all__ = ["Published", "moved", "line_edit"]

#: a line the ``.chain`` reader ignores
_IGNORED = re.compile(r"[ \t]*(?:#[^\n]*)?\r?")
#: a message that names a line ("… (line 12)") would change with the move
_LINE_NUMBER = re.compile(r"\bline \d")


@dataclass(frozen=True)
class Published:
    """What was last published for a document: its version, its text, the
    diagnostics, and the size of its program (assignments)."""

    version: int | None
    text: str
    items: tuple[types.Diagnostic, ...]
    size: int = 0


def line_edit(old: str, new: str) -> tuple[int, int, int] | None:
    """``(first, last, by)`` when ``new`` differs from ``old`` only in lines
    ``first..last`` of ``old`` (0-based), which are blank or comments both
    before and after the edit; the lines after them move by ``by``.  None
    for any other edit."""
    if old == new:
        return None
    p = common_prefix(old, new)
    q = common_suffix(old, new, min(len(old), len(new)) - p)
    start = old.rfind("\n", 0, p) + 1
    old_end, new_end = _line_end(old, len(old) - q), _line_end(new, len(new) - q)
    before, after = old[start:old_end], new[start:new_end]
    if not all(_IGNORED.fullmatch(line) for line in (*before.split("\n"),
                                                      *after.split("\n"))):
        return None
    first = old.count("\n", 0, start)
    return first, first + before.count("\n"), after.count("\n") - before.count("\n")


def moved(last: Published, text: str) -> list[types.Diagnostic] | None:
    """``last.items`` as an analysis of ``text`` would give them, or None
    when that is not certain (see the module docstring)."""
    edit = line_edit(last.text, text)
    if edit is None:
        return None
    first, end, by = edit
    out = []
    for d in last.items:
        words = [d.message, *(r.message for r in d.related_information or ())]
        words += [f.get("title", "") for f in (d.data or {}).get("fixes", ())
                  if isinstance(f, dict)] if isinstance(d.data, dict) else []
        if any(_LINE_NUMBER.search(w) for w in words):
            return None
        mover = _Mover(first, end, by)
        item = attrs.evolve(
            d, range=mover.range(d.range),
            related_information=None if d.related_information is None else [
                attrs.evolve(r, location=attrs.evolve(r.location,
                                                      range=mover.range(r.location.range)))
                for r in d.related_information],
            data=mover.json(d.data))
        if mover.touched:
            return None
        out.append(item)
    return out


class _Mover:
    """Positions below the edited lines ``first..last`` move by ``by`` lines;
    one on them sets ``touched`` (the diagnostic is not known to stay)."""

    def __init__(self, first: int, last: int, by: int):
        self.first, self.last, self.by = first, last, by
        self.touched = False

    def line(self, line: int) -> int:
        if line < self.first:
            return line
        if line > self.last:
            return line + self.by
        self.touched = True
        return line

    def range(self, r: types.Range) -> types.Range:
        return types.Range(
            start=types.Position(line=self.line(r.start.line), character=r.start.character),
            end=types.Position(line=self.line(r.end.line), character=r.end.character))

    def json(self, value):
        """A diagnostic's ``data`` with the ranges of its fixes moved."""
        if isinstance(value, dict):
            if set(value) >= {"line", "character"} and isinstance(value["line"], int):
                return {**value, "line": self.line(value["line"])}
            return {k: self.json(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.json(v) for v in value]
        return value


def _line_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end
