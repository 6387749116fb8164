"""The words around a claim of a note: do they make it an equation, a value at
a point, a hypothesis or a question rather than a statement of fact?

``f'(x) = 0`` next to "where" or "horizontal" is an equation to solve, not an
identity; "Suppose f'(3) = 5" is a hypothesis about some f, not a value to
check.  Text only (offsets into the note, a fragment of
:mod:`~chainlens.engine.frontends.note_math`).
"""

from __future__ import annotations

import re

from chainlens.engine.frontends.note_math import Math

__all__ = ["equation_context", "hypothesis"]


_EQUATION = re.compile(r"\?|\\(?:Rightarrow|implies|Longrightarrow|iff|vert|bigg?|Bigg?)\b|\|"
                       r"|\b(?:where|when|whenever|solve|solving|set|setting|at|if|for which"
                       r"|such that|so that|zero|horizontal|critical|value|values|point|points)\b"
                       r"|[A-Za-z]\s*=\s*-?\d", re.I)


def equation_context(note: str, frag: Math) -> bool:
    """Do the fragment or the words just around it make a claim an equation
    or a value at a point?  Then a constant for a non-constant derivative is
    not a mistake (see :mod:`chainlens.engine.frontends.claims`)."""
    return bool(_EQUATION.search(note, max(0, frag.start - 60), min(len(note), frag.end + 60)))


_HYPOTHESIS = re.compile(r"\?|\b(?:suppose|supposing|assume|assuming|given|if|let|for some"
                         r"|such that|where|when|find|solve|determine|show|prove|whether"
                         r"|unknown|consider|any|with|satisf(?:y|ies|ying)|requires?|want|need"
                         r"|must|should)\b", re.I)
_SENTENCE_END = re.compile(r"\.(?:\s|$)|\n\s*\n|\?")


def hypothesis(note: str, frag: Math) -> bool:
    """Is the clause around the fragment a hypothesis or a question ("Suppose
    f'(3) = 5", "If f'(2) = 0, find …")?  A value at a point is judged only
    when it is stated as a fact."""
    start = max(note.rfind(". ", 0, frag.start) + 1, note.rfind("\n\n", 0, frag.start),
                note.rfind(";", 0, frag.start), note.rfind(",", 0, frag.start),
                note.rfind(" then ", 0, frag.start), frag.start - 80, 0)
    stop = _SENTENCE_END.search(note, frag.end)
    end = min(frag.end + 40, stop.end() if stop else len(note))
    return bool(_HYPOTHESIS.search(note, start, frag.start) or
                _HYPOTHESIS.search(note, frag.end, end))
