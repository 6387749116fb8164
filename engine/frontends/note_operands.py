"""How far a derivative operator written without brackets reaches.

People write ``g'(x) = \\frac{d}{dx} x^2+4x = 2x+4`` for d/dx(x² + 4x): TeX
gives the operand no extent, and readers take it to the end of the
expression as often as to the first term.  A claimed side that opens with
such an operator followed by several terms has two readings (the operator on
the first term, on the whole rest), and the checker calls the claim wrong
only when both readings are wrong (see :func:`~chainlens.engine.frontends.
claims.check_claim`'s ``readings``)."""

from __future__ import annotations

import re
from dataclasses import replace

__all__ = ["operand_readings"]

#: an operator at the start of a claimed side: \frac{d}{dx}, \frac{d}{dt}, d/dx
_OPERATOR = re.compile(r"^\s*(?:\\frac\s*\{\s*d\s*\}\s*\{\s*d\s*[A-Za-z]\s*\}"
                       r"|d\s*/\s*d\s*[A-Za-z](?![A-Za-z]))\s*")
_BRACKETED = re.compile(r"^(?:\(|\[|\\left|\\big|\\Big|\\\{)")

QUESTION = ("the operand of a derivative written without brackets may be its first term "
            "or the whole rest")


def _top_level_terms(text: str) -> bool:
    """Does ``text`` have a + or - outside brackets after its first character?"""
    depth = 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and i > 0 and ch in "+-" and text[i - 1] not in "^_{(":
            return True
    return False


def operand_readings(claim):
    """``claim`` with both readings of an unbracketed operand on its claimed
    side, or None when the claimed side has no such operator."""
    text = claim.claimed_read
    m = _OPERATOR.match(text)
    if m is None:
        return None
    rest = text[m.end():]
    if not rest.strip() or _BRACKETED.match(rest) or not _top_level_terms(rest):
        return None
    wide = text[:m.end()] + "\\left(" + rest.strip() + "\\right)"
    return replace(claim, readings=((claim.expr_read, text), (claim.expr_read, wide)),
                   question=QUESTION)
