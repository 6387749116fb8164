"""Where the math of a Markdown or LaTeX note is, with exact offsets.

``$…$``, ``$$…$$``, ``\\(…\\)``, ``\\[…\\]`` and ``equation``/``align``-like
environments, code blocks and ``%`` comments excluded, each multi-line block
cut into its statements (each ``&=`` line of an alignment continues the chain
above it).  Text only: the claims in the fragments are found by
:mod:`chainlens.engine.frontends.notes`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chainlens.engine.frontends.latex_text import function_words

__all__ = ["Math", "find_math"]


@dataclass(frozen=True)
class Math:
    """One math fragment: ``text`` is ``note[start:end]`` (the inside of
    the delimiters; alignment ``&`` and ``\\label{…}`` blanked out so offsets
    still match); ``display`` for block math."""

    start: int
    end: int
    text: str
    display: bool


_ENV = re.compile(r"\\begin\{(equation|align|gather|multline|eqnarray|displaymath|math)(\*?)\}(.*?)"
                  r"\\end\{\1\2\}", re.S)
_DELIMS = (("$$", "$$", True), ("\\[", "\\]", True), ("\\(", "\\)", False), ("$", "$", False))
_FENCE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*$", re.S | re.M)
_INLINE_CODE = re.compile(r"`[^`\n]+`")
#: MyST math: a ```{math} fence (its :label: lines are options) and the
#: {math}`…` role are math, not code.
_MATH_FENCE = re.compile(r"^[ \t]*(```|~~~)[ \t]*\{math\}[^\n]*\n((?:[ \t]*:[a-z-]+:[^\n]*\n)*)"
                         r"(.*?)^[ \t]*\1[ \t]*$", re.S | re.M)
_MATH_ROLE = re.compile(r"\{math\}`([^`\n]+)`")
_BLANKED = re.compile(r"\\label\{[^}]*\}|\\nonumber|\\notag|&|\\,|\\;|\\!"
                      r"|\\(begin|end)\{(aligned|alignedat|split|gathered|array|cases)\}"
                      r"(\[[a-z]\])?(\{[^{}]*\})?")
#: Prose inside math (``\text{ where }``, ``\intertext``) ends a statement:
#: ``y = f(g(x)), \text{ where } f(x) = x^2 \text{ and } g(x) = 1-x`` is three.
_PROSE = re.compile(r"\\intertext\s*\{[^{}]*(\{[^{}]*\}[^{}]*)*\}"
                    r"|\\(?:text|textrm|mbox)\s*\{[^{}$]*[A-Za-z]{2}[^{}]*(\{[^{}]*\}[^{}]*)*\}")
#: ``\\\\`` ends a line of an alignment, with its optional space (``\\\\[2pt]``).
_LINE_BREAK = re.compile(r"\\\\(?:\s*\[\s*-?[\d.]+\s*[a-z]{2}\s*\])?")


def _prose(m: re.Match) -> str:
    """A prose ``\\text{…}`` between math as a statement break; at the end of a
    line it is a comment; ``\\text{sech}`` is a function."""
    inside = m.group(0)[m.group(0).index("{") + 1:-1].strip()
    if m.group(0).startswith("\\intertext"):
        # a line of prose between two lines of one alignment: "&= …" after it
        # continues the chain above it
        return "\\\\" + " " * (len(m.group(0)) - 2)
    if inside in function_words():
        return m.group(0)
    rest = m.string[m.end():]
    line_end = rest.find("\\\\")
    if not rest[:line_end if line_end >= 0 else len(rest)].strip():
        return " " * len(m.group(0))  # a comment at the end of a line of a chain
    return ";" + " " * (len(m.group(0)) - 1)


def _blank(text: str, pattern: re.Pattern) -> str:
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def _closing(scan: str, opener: str, closer: str, start: int) -> int:
    """Where ``closer`` ends the math opened before ``start``, or -1.  For a
    single ``$`` the Pandoc rule applies, so "costs $5 or $6" is prose: the
    opener is followed by a non-space, the closer preceded by a non-space
    and not followed by a digit, and the math stays within a paragraph."""
    if opener != "$":
        return scan.find(closer, start)
    if start < len(scan) and scan[start] in " \t":
        return _spaced_closing(scan, start)
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


_MATHY = re.compile(r"\\[A-Za-z]+|[\^_=]")


def _spaced_closing(scan: str, start: int) -> int:
    """``$ \\frac{\\partial f}{\\partial x} = 2x $``: MathJax (Jupyter, GitHub)
    renders math with spaces inside the dollars, Pandoc does not.  Taken as
    math when it closes on the same line and reads as math (a command,
    ``^``, ``_`` or ``=``), so "costs $ 5 and $ 6" stays prose."""
    line_end = scan.find("\n", start)
    end = scan.find("$", start, line_end if line_end >= 0 else len(scan))
    if end < 0 or scan[end + 1:end + 2].isdigit() or not _MATHY.search(scan[start:end]):
        return -1
    return end


_COMMENT = re.compile(r"(?<!\\)%[^\n]*")


def find_math(note: str, latex: bool = False) -> tuple[Math, ...]:
    """Every math fragment of a Markdown or LaTeX note, in order.  Multi-line
    blocks split at ``\\\\`` into one fragment per statement: a line that starts
    with ``=`` (``&=`` in an alignment) continues the chain of the line above,
    so each step of an aligned derivation is one claim of the same chain.
    ``latex``: ``%`` starts a comment, which is not math."""
    # Code is not math: blank fences, inline code and escaped dollars first,
    # keeping every offset where it was.
    myst = [(m.start(3), m.end(3), True) for m in _MATH_FENCE.finditer(note)] + \
        [(m.start(1), m.end(1), False) for m in _MATH_ROLE.finditer(note)]
    scan = _blank(_blank(note, _FENCE), _INLINE_CODE).replace("\\$", "  ")
    if latex:
        scan = _blank(scan, _COMMENT)
    source = scan
    for start, end, _ in myst:
        source = source[:start] + note[start:end] + source[end:]
    found: list[tuple[int, int, bool]] = list(myst)
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
        body = _PROSE.sub(_prose, _blank(source[start:end], _BLANKED))
        groups: list[list[int]] = []
        breaks = [m.span() for m in _LINE_BREAK.finditer(body)]
        for s, e in zip([0] + [b for _, b in breaks], [a for a, _ in breaks] + [len(body)],
                        strict=True):
            piece = body[s:e]
            if piece.strip():
                if groups and piece.lstrip().startswith("="):
                    groups[-1][1] = e
                else:
                    groups.append([s, e])
        for s, e in groups:
            text = _LINE_BREAK.sub(lambda m: " " * len(m.group(0)), body[s:e])
            out.append(Math(start + s, start + e, text, display))
    return tuple(out)
