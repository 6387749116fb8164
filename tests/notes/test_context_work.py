"""The words around each claim are read within a window of the claim, so a
note of many claims on one line (or in one paragraph) costs work linear in
its claims (red team R26: 4,000 inline claims took 49 s, the whole line was
scanned for answer options and environments once per claim).

Timing-free: the note is a ``str`` whose scans (find, rfind, slices) are
counted, and note_context's patterns count the characters they are run over.
"""

from __future__ import annotations

import random
import re

import pytest
from chainlens.engine.core import source
from chainlens.engine.frontends import note_context
from chainlens.engine.frontends.note_math import find_math
from chainlens.engine.frontends.notes import find_claims

_WORK = [0]


class _Counted(str):
    """A note that counts the characters its searches and slices look at."""

    def _span(self, start, end):
        n = len(self)
        start = 0 if start is None else (start + n if start < 0 else start)
        end = n if end is None else (end + n if end < 0 else end)
        _WORK[0] += max(0, min(end, n) - max(0, start))

    def rfind(self, sub, start=None, end=None):
        self._span(start, end)
        return str.rfind(self, sub, *[a for a in (start, end) if a is not None])

    def find(self, sub, start=None, end=None):
        self._span(start, end)
        return str.find(self, sub, *[a for a in (start, end) if a is not None])

    def count(self, sub, start=None, end=None):
        self._span(start, end)
        return str.count(self, sub, *[a for a in (start, end) if a is not None])

    def __contains__(self, sub):
        _WORK[0] += len(self)
        return str.__contains__(self, sub)

    def __getitem__(self, key):
        out = str.__getitem__(self, key)
        _WORK[0] += len(out)
        return out


class _CountedPattern:
    """A compiled pattern that counts the characters it is run over."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern

    def _run(self, name, string, pos=0, endpos=None):
        endpos = len(string) if endpos is None else min(endpos, len(string))
        _WORK[0] += max(0, endpos - pos)
        return getattr(self.pattern, name)(str(string), pos, endpos)

    def search(self, *a):
        return self._run("search", *a)

    def match(self, *a):
        return self._run("match", *a)

    def findall(self, *a):
        return self._run("findall", *a)

    def finditer(self, *a):
        return self._run("finditer", *a)


@pytest.fixture
def counted(monkeypatch):
    for name, value in list(vars(note_context).items()):
        if isinstance(value, re.Pattern):
            monkeypatch.setattr(note_context, name, _CountedPattern(value))
    _WORK[0] = 0
    return _WORK


def _work_per_claim(counted, note: str) -> float:
    note = _Counted(note)
    frags = find_math(str(note))
    assert frags
    counted[0] = 0
    for frag in frags:
        note_context.not_asserted(note, frag)
        note_context.hypothesis(note, frag)
        note_context.condition(note, frag, frag.end)
        note_context.line_equation(note, frag)
        note_context.equation_context(note, frag)
    return counted[0] / len(frags)


@pytest.mark.parametrize("sep", [" ", " and ", "\n", "\n\n"])
def test_context_work_per_claim_does_not_grow_with_the_note(counted, sep):
    claim = r"$\frac{d}{dx} x^2 = 2x$"
    small = _work_per_claim(counted, sep.join([claim] * 300))
    large = _work_per_claim(counted, sep.join([claim] * 1200))
    # quadratic reading made the large note's work per claim ~4x the small one's
    assert large <= 1.25 * small + 50, (small, large)


def test_long_line_of_claims_still_checked_and_options_still_seen():
    one_line = " ".join([r"$\frac{d}{dx} x^2 = 2x$"] * 300)
    claims = find_claims(one_line)
    assert len(claims) == 300
    quiz = one_line + ("\n\nWhich is right? (a) $\\frac{d}{dx} x^3 = 3x^2$ "
                       "(b) $\\frac{d}{dx} x^3 = x^2$\n")
    frags = find_math(quiz)
    assert [note_context.answer_option(quiz, f) for f in frags[-2:]] == [True, True]
    assert not any(note_context.answer_option(quiz, f) for f in frags[:-2])
    env = ("\\begin{multipleChoice}\n\\choice{$\\frac{d}{dx}x^2=x$}\n\\end{multipleChoice}\n"
           "$\\frac{d}{dx}x^3=3x^2$")
    frags = find_math(env, latex=True)
    assert [note_context.answer_option(env, f) for f in frags] == [True, False]


def test_positions_in_a_long_note_are_those_counted_line_by_line():
    """A long note's line starts are indexed once (counting the newlines
    before each of n claims was quadratic too): the same lines and columns."""
    rng = random.Random(7)
    text = "".join(rng.choice("ab $\n") for _ in range(3 * source._INDEXED))
    for _ in range(500):
        a = rng.randrange(len(text) + 1)
        b = rng.choice([None, rng.randrange(a, len(text) + 2)])
        got = source.Span.at(text, a, b)
        end = a + 1 if b is None else b
        end = max(a, min(end, len(text)))
        assert (got.line, got.column, got.end_line, got.end_column) == (
            text.count("\n", 0, a) + 1, a - text.rfind("\n", 0, a),
            text.count("\n", 0, end) + 1, end - text.rfind("\n", 0, end))
