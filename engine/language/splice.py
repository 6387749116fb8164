"""Reading a ``.chain`` text after an edit inside one assignment, without
reading the other statements again.

A keystroke in the code of a statement (``z7 = w7 * a + 0.01`` ->
``… + 0.02``) changes what that one statement says; the statements around it
are the same strings, and when the edited one still assigns the same name,
reads no name whose reading as an input changes what a later statement
assigns, and leaves the program's inputs as they were, every other
statement reads to exactly what it read to before (the reader is one pass
in source order whose state after an assignment is the names assigned so
far, their versions and the names read as inputs).  :func:`spliced` reads
the edited statement alone, in the state the reader had before it (rebuilt
from the last program: names, versions, inputs read, declarations and
functions defined above it), and puts it in the last program's place, the
statements after it moved by the edit's length.  Anything else (another
kind of statement, a ``repeat`` program, an error) returns None and the
text is read in full: the result is the same either way (tests compare
both over random edit sequences).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType

from chainlens.engine.core.source import ChainError, Span
from chainlens.engine.core.walk import free_symbols
from chainlens.engine.language import reader
from chainlens.engine.language.program import Program
from chainlens.engine.language.syntax import syntax
from chainlens.engine.language.syntax_tree import Lines

__all__ = ["Uses", "spliced", "shifted"]


class Uses:
    """Where each name is read: in how many assignments, the first of them
    (by index), so that one assignment's change updates it in O(its names)."""

    def __init__(self, program: Program):
        self.count: dict[str, int] = {}
        self.first: dict[str, int] = {}
        self.free = [free_symbols(a.expr) for a in program.assignments]
        for i, names in enumerate(self.free):
            for n in names:
                self.count[n] = self.count.get(n, 0) + 1
                self.first.setdefault(n, i)
        #: what a splice keeps (it assigns the same names): the assignments'
        #: names, the last assignment to each name as written, the declared
        self.made = frozenset(a.name for a in program.assignments)
        self.last = {a.name.partition("@")[0]: i for i, a in enumerate(program.assignments)}
        self.declared = frozenset(d.name for d in program.declarations)
        #: an expression statement's output (``_1``) is no name the reader keeps
        self.outputs = any(a.name.startswith("_") for a in program.assignments)

    def replaced(self, i: int, names: tuple[str, ...]) -> Uses:
        """The index after assignment ``i`` now reads ``names``."""
        out = object.__new__(Uses)
        out.count, out.first, out.free = dict(self.count), dict(self.first), list(self.free)
        out.made, out.last, out.declared = self.made, self.last, self.declared
        out.outputs = self.outputs
        for n in self.free[i]:
            out.count[n] -= 1
            if out.count[n] == 0:
                del out.count[n], out.first[n]
            elif out.first[n] == i:
                out.first[n] = next(j for j in range(i + 1, len(self.free))
                                    if n in self.free[j])
        for n in names:
            out.count[n] = out.count.get(n, 0) + 1
            if out.first.get(n, i + 1) > i:
                out.first[n] = i
        out.free[i] = names
        return out


def spliced(program: Program, names_read, old: tuple[tuple[int, int], ...],
            text: str, new: tuple[tuple[int, int], ...], k: int
            ) -> tuple[Program, Uses] | None:
    """``program`` (read from ``program.source``, statements at ``old``;
    ``names_read()`` its :class:`Uses`) with statement ``k``, the one that
    differs in ``text`` (statements at ``new``), read again, and its Uses;
    None when that is not the same as reading ``text`` in full, or not known
    to be."""
    source = program.source
    if len(old) != len(new) or program.repeats:
        return None
    (s, e), (s2, e2) = old[k], new[k]
    if s != s2 or source[:s] != text[:s] or source[e:] != text[e2:]:
        return None
    at = [i for i, a in enumerate(program.assignments) if s <= a.span.start <= e]
    if len(at) != 1 or program.assignments[at[0]].span.start != s:
        return None
    i = at[0]
    was = program.assignments[i]
    uses = names_read()
    if was.layer is not None or uses.outputs:
        return None
    made_names, declared = uses.made, uses.declared
    seeded = _inputs_before(uses, i, made_names, declared)
    try:
        low, made = _read_alone(program, i, seeded, text, s, e2)
    except (ChainError, RecursionError):
        return None  # a full read words the error
    if made is None or made.name != was.name or made.layer is not None:
        return None
    # names read as inputs here and not before: a later assignment to one
    # of them makes another version, so a change in them changes the rest
    env_names = {a.name for a in program.assignments[:i]} | set(low.declared)
    read_old = {n for n in uses.free[i] if "@" not in n and n not in env_names}
    changed = (read_old - seeded) ^ (low.read_as_input - seeded)
    if any(uses.last.get(n, -1) > i for n in changed) or changed & declared:
        return None
    names = free_symbols(made.expr)
    after = uses.replaced(i, names)
    for n in set(uses.free[i]) ^ set(names):  # the points and @wrt were checked against them
        if n not in made_names and n not in declared and (n in uses.count) != (n in after.count):
            return None
    shift = _Shift(e, e2 - e, text[s:e2].count("\n") - source[s:e].count("\n"))
    spans = _spans(program.spans, s, e, low.spans, shift)
    if spans is None:
        return None
    return replace(program, source=text,
                   assignments=(*program.assignments[:i], made,
                                *map(shift.part, program.assignments[i + 1:])),
                   declarations=tuple(map(shift.part, program.declarations)),
                   functions=tuple(map(shift.part, program.functions)),
                   points=tuple(map(shift.part, program.points)),
                   spans=spans, _expanded={}), after


def _read_alone(program: Program, i: int, seeded: set[str], text: str, start: int, end: int):
    """Statement ``text[start:end]`` lowered in the state the reader had
    before assignment ``i`` of ``program``."""
    alone = " " * start + text[start:end]  # the same offsets; lines do not matter here
    statements = syntax(Lines(alone))
    if len(statements) != 1 or statements[0].kind != "assign" \
            or statements[0].kids[0].kind != "name":
        return None, None
    low = reader._Lowering(Lines(text))
    for a in program.assignments[:i]:
        base, _, version = a.name.partition("@")
        low.env[base] = a.name
        low.versions[base] = int(version) if version else 1
        low.assigned_at.setdefault(base, a.name_span)
    low.declared.update((d.name, d) for d in program.declarations if d.span.start < start)
    low.functions.update((f.name, f) for f in program.functions if f.span.start < start)
    low.read_as_input.update(seeded)
    low.statement(statements[0])
    return low, (low.assignments[0] if len(low.assignments) == 1 else None)


def _inputs_before(uses: Uses, i: int, made: set[str], declared: set[str]) -> set[str]:
    """Names the reader had read as inputs before assignment ``i``: a name
    read by an earlier assignment that is no assignment's name (reading a
    name before assigning it makes the assignment version 2, so a name read
    after its first version was made is that version)."""
    return {n for n, j in uses.first.items()
            if j < i and "@" not in n and n not in made and n not in declared}


class _Shift:
    """Spans at or after offset ``after`` of the old text move by ``by``
    characters and ``lines`` lines (their columns stay: the next statement
    starts on a line of its own)."""

    def __init__(self, after: int, by: int, lines: int):
        self.after, self.by, self.lines = after, by, lines
        self.memo: dict[int, Span] = {}

    def span(self, sp: Span) -> Span:
        """``sp`` moved (only its end, when it starts before ``after``: a
        ``repeat`` block around the place)."""
        if sp.end < self.after or (self.by == 0 and self.lines == 0):
            return sp
        out = self.memo.get(id(sp))
        if out is None:
            # a frozen dataclass built field by field costs 2 us; this a third
            out = self.memo[id(sp)] = object.__new__(Span)
            before = sp.start < self.after
            vars(out).update(start=sp.start + (0 if before else self.by), end=sp.end + self.by,
                             line=sp.line + (0 if before else self.lines), column=sp.column,
                             end_line=sp.end_line + self.lines, end_column=sp.end_column)
        return out

    def part(self, value):
        """A program part with its spans moved (frozen: copied, then set)."""
        if self.by == 0 and self.lines == 0:
            return value
        fields = getattr(value, "__dict__", None)
        if fields is None:
            return value
        moved = object.__new__(type(value))
        state = vars(moved)
        state.update(fields)
        for n, v in fields.items():
            if type(v) is Span and v.end >= self.after:
                state[n] = self.span(v)
        return moved


def _spans(old, start: int, end: int, fresh: dict, shift: _Shift) -> Mapping:
    """The span table with the edited statement's spans (``[start, end]`` of
    the old text) replaced by ``fresh`` and the ones after it moved."""
    move = shift.by != 0 or shift.lines != 0

    def entry(where: tuple) -> tuple:
        if where[-1].end < start:  # in source order: all of it before the statement
            return where
        kept = [sp for sp in where if sp.end < start or (sp.end == start and sp.start < start)
                or sp.start > end]
        if move:
            kept = [shift.span(sp) for sp in kept]
        return tuple(kept) if len(kept) != len(where) or move else where

    return _Spans(old, entry, fresh)


class _Spans(Mapping):
    """A program's span table after an edit, each entry made from the last
    table's when first asked for: moving all of a 2,000-line program's spans
    costs more than the rest of an edit, and a diagnostics pass asks for the
    spans of few nodes.  Tables over tables are flattened past a depth."""

    def __init__(self, base: Mapping, entry, fresh: dict | None = None):
        self._fresh = fresh or {}
        self._entry = entry
        self._made: dict = {}
        self._all: dict | None = None
        depth = getattr(base, "depth", 0) + 1
        if depth > _MAX_DEPTH:
            base, depth = MappingProxyType(dict(base)), 1
        self._base, self.depth = base, depth

    def __getitem__(self, node):
        got = self._made.get(node)
        if got is None:
            where = self._base.get(node)
            got = self._entry(where) if where else ()
            if node in self._fresh:
                got = reader._source_order([*got, *self._fresh[node]])
            if not got:
                raise KeyError(node)
            self._made[node] = got
        return got

    def _everything(self) -> dict:
        if self._all is None:
            out = {}
            for node in (*self._base, *(n for n in self._fresh if n not in self._base)):
                try:
                    out[node] = self[node]
                except KeyError:
                    continue
            self._all = out
        return self._all

    def __iter__(self):
        return iter(self._everything())

    def __len__(self) -> int:
        return len(self._everything())


#: tables over tables before one is made in full
_MAX_DEPTH = 8


def shifted(program: Program, text: str, after: int, by: int, lines: int) -> Program:
    """``program`` as read from ``text``, in which everything from offset
    ``after`` of the old text on moved by ``by`` characters and ``lines``
    lines, columns unchanged (a comment or blank line typed between two
    statements)."""
    shift = _Shift(after, by, lines)
    blocks = bool(program.repeats)  # a block's span may end after the place

    def entry(where: tuple) -> tuple:
        if where[-1].end < after and not blocks:
            return where
        return tuple(map(shift.span, where))

    spans = _Spans(program.spans, entry)
    return replace(program, source=text,
                   assignments=tuple(map(shift.part, program.assignments)),
                   declarations=tuple(map(shift.part, program.declarations)),
                   functions=tuple(map(shift.part, program.functions)),
                   points=tuple(map(shift.part, program.points)),
                   repeats=tuple(map(shift.part, program.repeats)),
                   spans=spans, _expanded={})
