"""Composition in a note's claims: ``(f \\circ g)'(x)`` with f and g defined nearby.

``\\circ`` also means the elementwise (Hadamard) product in machine-learning
notes (``a \\circ (1 - a)``) and degrees (``30^\\circ``), so only the one
spelling that cannot be either is read: two letters the note defines as
functions of one variable, bracketed, ``(f \\circ g)``, applied to g's
variable or primed.  It becomes f's formula at g's (text in, text out).
"""

from __future__ import annotations

import re

__all__ = ["compositions"]

_COMPOSED = re.compile(r"\(\s*([A-Za-z])\s*\\circ\s*([A-Za-z])\s*\)\s*('?)\s*"
                       r"(?:\(\s*([a-z])\s*\))?")


def _letter(name: str) -> re.Pattern:
    return re.compile(rf"(?<![\\A-Za-z]){re.escape(name)}(?![A-Za-z])")


def compositions(read: str, defs) -> str:
    """``read`` with each ``(f \\circ g)(x)`` / ``(f \\circ g)'`` of functions
    defined nearby written as f's body at g's: ``(\\sin((x^2)))'``."""
    if "\\circ" not in read:
        return read

    def one(m: re.Match) -> str:
        f, g = defs.get(m.group(1)), defs.get(m.group(2))
        if f is None or g is None or any(d.reason or d.alternatives or len(d.vars) != 1
                                         or not d.body for d in (f, g)):
            return m.group(0)
        if m.group(4) and m.group(4) != g.var:
            return m.group(0)
        inner = _letter(f.var).sub(lambda _: "(" + g.body + ")", f.body)
        return "(" + inner + ")" + m.group(3)

    return _COMPOSED.sub(one, read)
