"""Where the differentiated expression sits in a note's own words.

Messages and hovers quote the note as written (``\\sin(x^2)``, not the
normalised text the engine reads), so the body of ``\\frac{d}{dx}\\Bigl(…\\Bigr)``
or ``(…)'`` is located in the raw text: its offsets let an editor point at it.
"""

from __future__ import annotations

import re

__all__ = ["raw_body", "components"]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:"):
        end -= 1
    return start, end


_RAW_OP = re.compile(r"\s*(?:\\ds|\\displaystyle)?\s*(\\[dt]?frac)|\s*d\s*/\s*d\s*[A-Za-z]\s*")


def _balanced(raw: str, i: int) -> int:
    """End of one TeX argument at ``raw[i]`` (a braced group or one token)."""
    while i < len(raw) and raw[i].isspace():
        i += 1
    if i >= len(raw):
        return -1
    if raw[i] != "{":
        return i + (len(re.match(r"\\[A-Za-z]+|.", raw[i:], re.S).group(0)))
    depth = 0
    for j in range(i, len(raw)):
        depth += {"{": 1, "}": -1}.get(raw[j], 0)
        if depth == 0:
            return j + 1
    return -1


def raw_body(raw: str) -> tuple[int, int] | None:
    """Where the differentiated expression is in the note's own words."""
    m = _RAW_OP.match(raw)
    if m is None:
        if raw.rstrip().endswith("'"):
            inner = _bracketed(raw, 0, len(raw.rstrip()) - 1)
            return inner
        return None
    at = m.end()
    if m.group(1):
        at = _balanced(raw, at)
        at = _balanced(raw, at) if at > 0 else -1
    if at < 0 or at >= len(raw):
        return None
    return _bracketed(raw, at, len(raw)) or _strip(raw, at, len(raw))


def _bracketed(text: str, start: int, end: int) -> tuple[int, int] | None:
    """If ``text[start:end]`` is one bracketed group (``(…)``, ``[…]``,
    ``\\left(…\\right)``, ``\\Bigl(…\\Bigr)``), the offsets of its inside."""
    s, e = _strip(text, start, end)
    m = re.match(r"\\left\s*|\\[Bb]igg?l?\s*", text[s:e])
    left = bool(m)
    if m:
        s += m.end()
    if s >= e or text[s] not in "([{":
        return None
    opener = text[s]
    closer = {"(": ")", "[": "]", "{": "}"}[opener]
    depth = 0
    for i in range(s, e):
        if text[i] == opener:
            depth += 1
        elif text[i] == closer:
            depth -= 1
            if depth == 0:
                if text[i + 1:e].strip():
                    return None
                inner_end = i
                if left:
                    r = re.search(r"(\\right|\\[Bb]igg?r?)\s*$", text[s:i])
                    inner_end = s + r.start() if r else i
                return _strip(text, s + 1, inner_end)
    return None


def components(raw: str) -> list[tuple[int, int]] | None:
    """The comma-separated entries of a bracketed vector in the note's words
    (``\\left[a, b\\right]``, ``(a, b)``, ``\\begin{bmatrix} a \\\\ b \\end{bmatrix}``
    is not read), as offsets into ``raw``; None when ``raw`` is no such vector."""
    inner = _bracketed(raw, 0, len(raw))
    if inner is None:
        return None
    out, depth, at = [], 0, inner[0]
    for i in range(inner[0], inner[1]):
        ch = raw[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(_strip(raw, at, i))
            at = i + 1
    out.append(_strip(raw, at, inner[1]))
    return out if len(out) > 1 and all(s < e for s, e in out) else None
