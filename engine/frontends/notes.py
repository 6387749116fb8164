"""Math inside Markdown and LaTeX notes, and the derivative claims in it.

Students and researchers write derivatives in notes before any code
exists; a wrong step there is as costly as a wrong line of code.  This
module finds the math (``$…$``, ``$$…$$``, ``\\(…\\)``, ``\\[…\\]``,
``equation``/``align`` environments, each with exact character offsets into
the note) and recognises the claims people write:

* ``\\frac{d}{dx}\\sin(x^2) = 2x\\cos(x^2)`` (also ``\\frac{\\partial}{\\partial x}``,
  ``\\dfrac``, ``\\mathrm{d}``, ``d/dx``) with the body bare, in ``(…)``,
  ``[…]`` or ``\\left(…\\right)``;
* ``(x^x)' = x^x(\\ln x + 1)`` (the variable is the body's only one);
* ``f'(x) = …`` after a definition ``f(x) = …`` earlier in the note.

It is text only: offsets and strings, no parsing of the math and no
calculus.  The language server parses the pieces with the engine parser
and checks them with :func:`chainlens.engine.symbolic.check.check_derivative`.
A chain ``A = B = C`` gives one claim per right-hand side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Math", "Claim", "Definition", "find_math", "find_claims", "find_definitions",
           "tex_superscripts"]


@dataclass(frozen=True)
class Math:
    """One math fragment: ``text`` is ``note[start:end]`` (the inside of
    the delimiters; alignment ``&`` and ``\\label{…}`` blanked out so offsets
    still match); ``display`` for block math."""

    start: int
    end: int
    text: str
    display: bool


@dataclass(frozen=True)
class Definition:
    """``f(x) = body`` in a note."""

    name: str
    var: str
    body: str
    start: int  # offsets of the body in the note
    end: int


@dataclass(frozen=True)
class Claim:
    """``d/d<wrt> expr = claimed``.  ``wrt`` is None when the note does
    not say (``(…)'``): the checker takes the expression's only variable.
    ``expr_start/expr_end`` are None when the expression comes from a
    definition elsewhere (``f'(x)``), then ``definition`` names it."""

    expr: str
    wrt: str | None
    claimed: str
    claimed_start: int
    claimed_end: int
    lhs_start: int
    lhs_end: int
    expr_start: int | None = None
    expr_end: int | None = None
    definition: str | None = None


_ENV = re.compile(r"\\begin\{(equation|align|gather|multline|eqnarray)(\*?)\}(.*?)"
                  r"\\end\{\1\2\}", re.S)
_DELIMS = (("$$", "$$", True), ("\\[", "\\]", True), ("\\(", "\\)", False), ("$", "$", False))
_FENCE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*$", re.S | re.M)
_INLINE_CODE = re.compile(r"`[^`\n]+`")
_BLANKED = re.compile(r"\\label\{[^}]*\}|\\nonumber|\\notag|&|\\,|\\;|\\!|\\quad|\\qquad")
_LINE_BREAK = re.compile(r"\\\\")


def _blank(text: str, pattern: re.Pattern) -> str:
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def _closing(scan: str, opener: str, closer: str, start: int) -> int:
    """Where ``closer`` ends the math opened before ``start``, or -1.  For a
    single ``$`` the Pandoc rule applies, so "costs $5 or $6" is prose: the
    opener is followed by a non-space, the closer preceded by a non-space
    and not followed by a digit, and the math stays within a paragraph."""
    if opener != "$":
        return scan.find(closer, start)
    if start >= len(scan) or scan[start].isspace():
        return -1
    end = scan.find("$", start)
    while end >= 0:
        if "\n\n" in scan[start:end]:
            return -1
        after = scan[end + 1:end + 2]
        if not scan[end - 1].isspace() and not after.isdigit():
            return end
        end = scan.find("$", end + 1)
    return -1


def find_math(note: str) -> tuple[Math, ...]:
    """Every math fragment of a Markdown or LaTeX note, in order.  Multi-line
    blocks split at ``\\\\`` into one fragment per line."""
    # Code is not math: blank fences, inline code and escaped dollars first,
    # keeping every offset where it was.
    scan = _blank(_blank(note, _FENCE), _INLINE_CODE).replace("\\$", "  ")
    found: list[tuple[int, int, bool]] = []
    for m in _ENV.finditer(scan):
        found.append((m.start(3), m.end(3), True))
        scan = scan[:m.start()] + " " * (m.end() - m.start()) + scan[m.end():]
    i, n = 0, len(scan)
    while i < n:
        for opener, closer, display in _DELIMS:
            if scan.startswith(opener, i) and not (opener == "$" and scan.startswith("$$", i)):
                start = i + len(opener)
                end = _closing(scan, opener, closer, start)
                if end > start:
                    found.append((start, end, display))
                    i = end + len(closer)
                    break
        else:
            i += 1
            continue
    out: list[Math] = []
    for start, end, display in sorted(found):
        body = _blank(note[start:end], _BLANKED)
        pieces = _LINE_BREAK.split(body)
        offset = start
        for piece in pieces:
            if piece.strip():
                out.append(Math(offset, offset + len(piece), piece, display))
            offset += len(piece) + 2
    return tuple(out)


# ---- claims ---------------------------------------------------------------
_D = r"(?:d|\\mathrm\{d\}|\\operatorname\{d\}|\\partial|\\mathrm d)"
_DERIV = re.compile(
    r"\\d?frac\{\s*" + _D + r"\s*\}\{\s*" + _D + r"\s*([A-Za-z](?:_\{?\w+\}?)?|\\[a-z]+)\s*\}"
    r"|(?<![A-Za-z\\])d\s*/\s*d\s*([A-Za-z])"
)
_PRIME = re.compile(r"'\s*$")
_FUNC_DEF = re.compile(r"^\s*([A-Za-z])\s*\(\s*([A-Za-z])\s*\)\s*$")
_FUNC_PRIME = re.compile(r"^\s*([A-Za-z])\s*(?:'|\^\{?\\prime\}?)\s*\(\s*([A-Za-z])\s*\)\s*$")
_OPEN = {"(": ")", "[": "]", "{": "}"}


def _top_level_equals(text: str) -> list[int]:
    """Offsets of ``=`` not inside brackets (and not ``<=``, ``\\neq``...)."""
    depth, out = 0, []
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif ch == "=" and depth == 0 and (i == 0 or text[i - 1] not in "<>!:"):
            out.append(i)
    return out


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;"):
        end -= 1
    return start, end


def _bracketed(text: str, start: int, end: int) -> tuple[int, int] | None:
    """If ``text[start:end]`` is one bracketed group (``(…)``, ``[…]``,
    ``\\left(…\\right)``), the offsets of its inside."""
    s, e = _strip(text, start, end)
    left = ""
    if text.startswith("\\left", s):
        left, s = "\\left", s + 5
    if s >= e or text[s] not in _OPEN:
        return None
    closer = _OPEN[text[s]]
    depth = 0
    for i in range(s, e):
        if text[i] == text[s]:
            depth += 1
        elif text[i] == closer:
            depth -= 1
            if depth == 0:
                inner_end = i - 6 if left and text[i - 6:i] == "\\right" else i
                rest = text[i + 1:e].strip()
                return _strip(text, s + 1, inner_end) if not rest else None
    return None


def find_definitions(fragments: tuple[Math, ...]) -> dict[str, Definition]:
    """``f(x) = …`` definitions, by function name (the last one wins)."""
    defs: dict[str, Definition] = {}
    for frag in fragments:
        eqs = _top_level_equals(frag.text)
        if len(eqs) != 1:
            continue
        m = _FUNC_DEF.match(frag.text[:eqs[0]])
        if m:
            s, e = _strip(frag.text, eqs[0] + 1, len(frag.text))
            if s < e:
                defs[m.group(1)] = Definition(m.group(1), m.group(2), frag.text[s:e],
                                              frag.start + s, frag.start + e)
    return defs


def _claim_lhs(frag: Math, lhs_end: int, defs: dict[str, Definition]) -> dict | None:
    text = frag.text
    s, e = _strip(text, 0, lhs_end)
    if s >= e:
        return None
    m = _FUNC_PRIME.match(text[s:e])
    if m:
        d = defs.get(m.group(1))
        if d is None or d.var != m.group(2):
            return None
        return {"expr": d.body, "wrt": d.var, "definition": d.name}
    m = _DERIV.match(text, s)
    if m:
        wrt = (m.group(1) or m.group(2)).replace("{", "").replace("}", "")
        body = _bracketed(text, m.end(), e) or _strip(text, m.end(), e)
        bs, be = body
        if bs >= be:
            return None
        return {"expr": text[bs:be], "wrt": wrt, "expr_start": frag.start + bs,
                "expr_end": frag.start + be}
    if _PRIME.search(text[s:e]):
        prime = text.rfind("'", s, e)
        body = _bracketed(text, s, prime)
        if body is None:
            return None
        bs, be = body
        return {"expr": text[bs:be], "wrt": None, "expr_start": frag.start + bs,
                "expr_end": frag.start + be}
    return None


def find_claims(note: str, fragments: tuple[Math, ...] | None = None) -> tuple[Claim, ...]:
    """Every derivative claim in the note, in order."""
    fragments = find_math(note) if fragments is None else fragments
    claims: list[Claim] = []
    defs: dict[str, Definition] = {}
    for frag in fragments:
        eqs = _top_level_equals(frag.text)
        if eqs:
            lhs = _claim_lhs(frag, eqs[0], defs)
            if lhs is not None:
                bounds = [*eqs, len(frag.text)]
                for left, right in zip(bounds, bounds[1:], strict=False):
                    cs, ce = _strip(frag.text, left + 1, right)
                    if cs < ce:
                        ls, le = _strip(frag.text, 0, eqs[0])
                        claims.append(Claim(
                            claimed=frag.text[cs:ce], claimed_start=frag.start + cs,
                            claimed_end=frag.start + ce, lhs_start=frag.start + ls,
                            lhs_end=frag.start + le, **lhs))
        defs.update(find_definitions((frag,)))
    return tuple(claims)


_BARE_SUPERSCRIPT = re.compile(r"\^([A-Za-z0-9])(?=\s*[(\\])")


def tex_superscripts(math: str) -> str:
    """Brace the one-token superscripts TeX reads: ``x^x(\\ln x + 1)`` is
    x^{x} times (ln x + 1) in a typeset note, not x^{x(ln x + 1)} as an
    ASCII reader would take it."""
    return _BARE_SUPERSCRIPT.sub(lambda m: "^{" + m.group(1) + "}", math)
