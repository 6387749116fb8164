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

from chainlens.engine.frontends.latex_macros import group_end
from chainlens.engine.frontends.latex_text import NATIONAL_NAMES, function_words

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
    #: a line of plain text (no ``$``), see :mod:`~chainlens.engine.frontends.notes_plain`
    plain: bool = False
    #: where a block continued across prose starts (see :func:`_continued`)
    joins: tuple[int, ...] = ()


_ENV = re.compile(r"\\begin\{(equation|align|gather|multline|eqnarray|displaymath|math)(\*?)\}(.*?)"
                  r"\\end\{\1\2\}", re.S)
_DELIMS = (("$$", "$$", True), ("\\[", "\\]", True), ("\\(", "\\)", False), ("$", "$", False))
#: A fence line: ```` ```python ````, ```` ```{solution} ````, ``~~~``.
_FENCE_LINE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*(\{[A-Za-z][\w:-]*\})?([^\n]*)$", re.M)
#: MyST directives whose body is not Markdown (code, files, pictures, tables of
#: contents); every other ```` ```{name} ```` fence (solution, hint, topic, note,
#: admonition, exercise, proof, …) holds prose and math, read as the note's own.
_CODE_DIRECTIVES = frozenset({
    "code", "code-block", "code-cell", "sourcecode", "literalinclude", "raw", "eval-rst",
    "mermaid", "graphviz", "image", "figure", "include", "bibliography", "toctree",
    "jupyter-execute", "ipython", "glue", "csv-table", "tabularcolumns", "math"})
#: A directive's option line (``:label: eq-1``, ``:class: dropdown``).
_OPTION = re.compile(r"[ \t]*:[A-Za-z][\w-]*:[^\n]*\n")
_INLINE_CODE = re.compile(r"`[^`\n]+`")
#: MyST math: a ```{math} fence (its :label: lines are options) and the
#: {math}`…` role are math, not code; so is GitHub's ```math fence (red team R25).
_MATH_FENCE = re.compile(r"^[ \t]*(```|~~~)[ \t]*(?:\{math\}|math(?![\w-]))[^\n]*\n"
                         r"((?:[ \t]*:[a-z-]+:[^\n]*\n)*)(.*?)^[ \t]*\1[ \t]*$", re.S | re.M)
_MATH_ROLE = re.compile(r"\{math\}`([^`\n]+)`")
_BLANKED = re.compile(r"\\label\{[^}]*\}|\\nonumber|\\notag|&|\\,|\\;|\\!|(?<!\\)\\[>:]"
                      r"|\\(begin|end)\{(aligned|alignedat|split|gathered|array|cases)\}"
                      r"(\[[a-z]\])?(\{[^{}]*\})?")
#: Prose inside math (``\text{ where }``, ``\intertext``) ends a statement:
#: ``y = f(g(x)), \text{ where } f(x) = x^2 \text{ and } g(x) = 1-x`` is three.
_PROSE = re.compile(r"\\intertext\s*\{[^{}]*(\{[^{}]*\}[^{}]*)*\}"
                    r"|\\(?:text|textrm|textit|textbf|textsf|emph|mbox|hbox)\s*\{[^{}$]*[A-Za-z]{2}[^{}]*(\{[^{}]*\}[^{}]*)*\}")
#: ``\\\\`` ends a line of an alignment, with its optional space (``\\\\[2pt]``).
_LINE_BREAK = re.compile(r"\\\\(?:\s*\[\s*-?[\d.]+\s*[a-z]{2}\s*\])?")


#: What ends a statement as ``\\quad`` does: a check mark or an end-of-proof box after a
#: claim, ``\\hfill``; an equation number after a space at the end is blanked
#: (``= 2x \\; (2)``: the (2) is no factor of 2x).
_ENDS = re.compile(r"\\(?:checkmark|blacksquare|qed|hfill)(?![A-Za-z])"
                   r"|(?:\\[;:> ]|~|\\q?quad(?![A-Za-z]))\s*(\(\s*\d{1,3}\s*\))(?=\s*(?:\\\\|$))")


def _as_quad(m: re.Match) -> str:
    """Same length, so offsets hold; an equation number is blanked."""
    if m.group(1):
        return m.group(0)[:m.start(1) - m.start()] + " " * len(m.group(1)) \
            + m.group(0)[m.end(1) - m.start():]
    word = "\\quad" if len(m.group(0)) >= 5 else ";"  # (\qed is shorter than \quad)
    return word + " " * (len(m.group(0)) - len(word))


_INTERTEXT = re.compile(r"\\intertext\s*\{")


def _intertexts(body: str) -> str:
    """Each ``\\intertext{…}`` (braces matched at any depth: its prose may hold
    ``$\\diff{}{x}\\{{\\cos(x^2)}\\}$`` and ``\\emph{again}``) as a line break of the
    alignment, the same length: the ``&= …`` after it continues the chain above it."""
    at = 0
    while (m := _INTERTEXT.search(body, at)) is not None:
        end = group_end(body, m.end() - 1)
        if end < 0:
            return body
        body = body[:m.start()] + "\\\\" + " " * (end - m.start() - 2) + body[end:]
        at = end
    return body


def _prose(m: re.Match) -> str:
    """A prose ``\\text{…}`` between math as a statement break; at the end of a
    line it is a comment; ``\\text{sech}`` is a function."""
    inside = m.group(0)[m.group(0).index("{") + 1:-1].strip()
    if m.group(0).startswith("\\intertext"):
        # a line of prose between two lines of one alignment: "&= …" after it
        # continues the chain above it
        return "\\\\" + " " * (len(m.group(0)) - 2)
    if inside in function_words():
        # \text{arcsinh}: the function's name, written so that no \text ends the chain
        return (" " + inside).ljust(len(m.group(0)))
    if inside in NATIONAL_NAMES and len(inside) > 2:  # \text{cth}: coth (a Russian sheet)
        return (" \\" + inside).ljust(len(m.group(0)))
    rest = m.string[m.end():]
    line_end = rest.find("\\\\")
    if not rest[:line_end if line_end >= 0 else len(rest)].strip():
        return " " * len(m.group(0))  # a comment at the end of a line of a chain
    return ";" + " " * (len(m.group(0)) - 1)


#: Signs that define (or state an identity): ``:=``, ``\\coloneqq``, ``\\triangleq``,
#: ``\\equiv``, ``\\stackrel{\\text{def}}{=}``: each is an ``=`` (``f(x) := x^3`` defines f).
_DEFINES = re.compile(r":=|\\(?:coloneqq|coloneq|triangleq|equiv|eqdef|defeq)(?![A-Za-z])"
                      r"|\\(?:stackrel|overset)\s*\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}\s*\{\s*=\s*\}")


def _equals(m: re.Match) -> str:
    return "=" + " " * (len(m.group(0)) - 1)


#: A line holding several statements (``p' &= 2x \\quad q' = e^x``): a ``&=`` line
#: after it continues none of them.
_SEVERAL = re.compile(r"=[^=]*(?:\\q?quad|\\hspace|;|,\s)[^=]*=")


#: a column that is a remark on its line (``&& \\hbox{power rule, $…=…$}``)
_REMARK_COLUMN = re.compile(r"\\(?:text[a-z]*|hbox|mbox|tag|intertext|small|footnotesize)"
                            r"(?![A-Za-z])")


def _columns(text: str) -> str:
    """An alignment with several equations per line (``u &= 1 & v &= 1``, or a
    sheet's two columns of rules ``&\\frac{d}{dx}\\sin x = \\cos x & &
    \\frac{d}{dx}\\cos x = -\\sin x``): an ``&`` (or a run of them: an empty
    column) between two of them (neither side an ``=``, not at a line's start)
    separates statements (``;``); the others are blanked later.  Without an
    ``&=`` in the block (and for a run of ``&`` in any block), only an equation
    on both sides (within its line) separates: a table's ``f & f'`` columns stay
    one row, and ``… && \\text{(rewrite)}`` leaves the chain going on."""
    aligned = re.search(r"&\s*=|=\s*&", text) is not None
    if not aligned and not re.search(r"=[^=&\n]*&[^=]*=", text):
        return text
    out = list(text)
    for m in re.finditer(r"(?<!\\)&(?:\s*(?<!\\)&)*", text):
        before = text[:m.start()].rstrip()
        after = text[m.end():].lstrip()
        line = before.rsplit("\\\\", 1)[-1]
        if not line.strip() or before.endswith(("=", "&")) or after.startswith(("=", "&")) \
                or not after or after.startswith("\\\\"):
            continue
        if not aligned or "&" in m.group(0)[1:]:
            # (an empty column before a remark, ``&& \\text{(rewrite)}``, ends nothing)
            rest = after.split("\\\\", 1)[0]
            if "=" not in line.rsplit(";", 1)[-1] or "=" not in rest or _REMARK_COLUMN.match(rest):
                continue
        out[m.start()] = ";"
    return "".join(out)


def _blank(text: str, pattern: re.Pattern) -> str:
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def code_spans(note: str, indented: bool = True) -> list[tuple[int, int]]:
    """The parts of a Markdown note that are code, not prose: fenced code
    blocks, and the fence and option lines of a MyST directive whose body is
    prose (```` ```{solution} ````: its body is read like the rest of the note).
    A fence closes with a bare line of at least as many of its characters
    (CommonMark), so ```` ```python ```` inside a solution is code again.
    ``indented=False``: no indented code blocks (a LaTeX source indents its
    ``\\item`` lines, and TeX shows them as prose)."""
    out: list[tuple[int, int]] = []
    opened: list[tuple[str, int, bool]] = []  # (fence, start, prose body)
    for m in _FENCE_LINE.finditer(note):
        fence, directive, info = m.group(1), m.group(2), m.group(3).strip()
        top = opened[-1] if opened else None
        if top and fence[0] == top[0][0] and len(fence) >= len(top[0]) \
                and not directive and not info:
            opened.pop()
            if top[2]:
                out.append((m.start(), m.end()))
            else:
                out.append((top[1], m.end()))
            continue
        if top and not top[2]:
            continue  # a fence line inside code is code
        prose = bool(directive) and directive[1:-1].lower() not in _CODE_DIRECTIVES
        opened.append((fence, m.start(), prose))
        if prose:
            end = m.end() + 1
            while (o := _OPTION.match(note, end)) is not None:
                end = o.end()
            out.append((m.start(), min(end, len(note))))
    for _fence, start, prose in opened:  # never closed: code to the end (CommonMark)
        if not prose:
            out.append((start, len(note)))
    return sorted(out + (indented_code(note, out) if indented else []))


_LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
#: an admonition's header (Python-Markdown ``!!! note``, pymdownx's collapsible
#: ``??? answer "…"``, as MkDocs notes write them): its indented body is Markdown
_ADMONITION = re.compile(r"\s*(?:!!!|\?\?\?\+?)\s+[\w-]+")


def indented_code(note: str, fenced=()) -> list[tuple[int, int]]:
    """CommonMark's indented code blocks (red team F41): lines indented by four
    spaces (or a tab) after a blank line, where the paragraph before is not
    indented and no list item: such text shows as code, ``$`` and all.  Only
    then: an indented line in a list continues the item, and one after an
    admonition's header (``??? answer``) is its body: both are prose."""
    out, at, prev, blank, start, end = [], 0, "", True, None, 0
    for line in note.splitlines(keepends=True):
        here, at = at, at + len(line)
        text = line.rstrip("\r\n")
        if any(s <= here < e for s, e in fenced):
            prev, blank = "x", False  # a fenced block ends any indented one
            if start is not None:
                out.append((start, end))
                start = None
            continue
        if not text.strip():
            blank = True
            continue
        indented = text.startswith(("    ", "\t"))
        if start is not None and indented:
            end = here + len(text)
            continue
        if start is not None:
            out.append((start, end))
            start = None
        if indented and blank and not prev.startswith((" ", "\t")) \
                and not _LIST_ITEM.match(prev) and not _ADMONITION.match(prev):
            start, end = here, here + len(text)
            continue
        prev, blank = text, False
    if start is not None:
        out.append((start, end))
    return out


def _blank_spans(text: str, spans) -> str:
    for s, e in spans:
        text = text[:s] + " " * (e - s) + text[e:]
    return text


def _closing(scan: str, opener: str, closer: str, start: int) -> int:
    """Where ``closer`` ends the math opened before ``start``, or -1.  For a
    single ``$`` the Pandoc rule applies, so "costs $5 or $6" is prose: the
    opener is followed by a non-space, the closer preceded by a non-space
    and not followed by a digit, and the math stays within a paragraph and
    before any ``$$`` that opens a display (``$( c $) is … $$``: a typo)."""
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
        if after == "$":  # a display opens: no inline math runs into it
            return -1
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
    if end < 0 or scan[end + 1:end + 2].isdigit():
        return -1
    if not _MATHY.search(scan[start:end]) and not _bare_pair(scan, start, end):
        return -1
    return end


#: A word of prose inside dollars (three letters or more, not a command's name).
_WORD = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{3,}")


def _bare_pair(scan: str, start: int, end: int) -> bool:
    """``$ y(x) $``, ``$ 0 $``, ``$ kx $``: notes that put spaces inside the
    dollars do so for every piece of math, the plain ones too.  Such a pair,
    spaced on both sides, short, with no word of prose in it and no number
    after it (``$ 5 or $ 6`` is money), is math; left as prose, its closing
    dollar would open the next math and pair every later dollar wrongly."""
    body = scan[start:end]
    return scan[end - 1] in " \t" and bool(body.strip()) and len(body) <= 40 \
        and not _WORD.search(body) and not re.match(r"\s*\d", scan[end + 1:end + 4])


_COMMENT = re.compile(r"(?<!\\)%[^\n]*")
#: Text a reader never sees as math: HTML comments, ``\\iffalse … \\fi``, comment and
#: verbatim environments, ``\\verb|…|``.
_HIDDEN = re.compile(r"<!--.*?-->|\\iffalse\b.*?\\fi\b"
                     r"|\\begin\{(comment|verbatim\*?|lstlisting|minted|Verbatim|alltt)\}.*?"
                     r"\\end\{\1\}|\\verb\*?([^A-Za-z\s]).*?\2", re.S)


def find_math(note: str, latex: bool = False) -> tuple[Math, ...]:
    """Every math fragment of a Markdown or LaTeX note, in order.  Multi-line
    blocks split at ``\\\\`` into one fragment per statement: a line that starts
    with ``=`` (``&=`` in an alignment) continues the chain of the line above,
    so each step of an aligned derivation is one claim of the same chain, and
    one that starts with ``+`` or ``-`` continues the expression above it.
    ``latex``: ``%`` starts a comment, which is not math."""
    # Code is not math: blank fences, inline code and escaped dollars first,
    # keeping every offset where it was.
    myst = [(m.start(3), m.end(3), True) for m in _MATH_FENCE.finditer(note)] + \
        [(m.start(1), m.end(1), False) for m in _MATH_ROLE.finditer(note)]
    scan = _blank(_blank_spans(note, code_spans(note, indented=not latex)),
                  _INLINE_CODE).replace("\\$", "  ")
    scan = _blank(scan, _HIDDEN)
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
                if end > start and not scan[start:end].strip():
                    i = end + len(closer)  # $$\begin{align}…\end{align}$$: read as the align
                    break
                if end > start:
                    found.append((start, end, display))
                    i = end + len(closer)
                    break
        else:
            i += 1
            continue
    out: list[Math] = []
    for start, end, display in sorted(found):
        body = _PROSE.sub(_prose, _DEFINES.sub(_equals, _intertexts(_blank(
            _columns(_ENDS.sub(_as_quad, source[start:end])), _BLANKED))))
        groups: list[list[int]] = []
        breaks = [m.span() for m in _LINE_BREAK.finditer(body)]
        for s, e in zip([0] + [b for _, b in breaks], [a for a, _ in breaks] + [len(body)],
                        strict=True):
            piece = body[s:e]
            if piece.strip():
                pad = _LAYOUT_LEAD.match(piece).end()
                rest = piece[pad:]
                lead = "+" if _TIMES_LEAD.match(rest) else rest[:1]
                above = body[groups[-1][0]:groups[-1][1]] if groups else ""
                if groups and (lead == "=" and not _SEVERAL.search(above) or lead in "+-" and
                               lead and "=" in above and not _REMARK.search(rest)):
                    # "&= …" continues the chain, "&+ …" (or "&\cdot …") the expression above;
                    # its padding (\qquad) is no break between statements then
                    body = body[:s] + " " * pad + body[s + pad:]
                    groups[-1][1] = e
                else:
                    groups.append([s, e])
        for s, e in groups:
            text = _LINE_BREAK.sub(lambda m: " " * len(m.group(0)), body[s:e])
            out.append(Math(start + s, start + e, text, display))
    return tuple(_continued(note, out))


#: Padding at the start of an alignment's line (``&\\phantom{=} + x^5 …``, ``&~~~~ + …``):
#: what follows it says whether the line continues the one above.
_LAYOUT_LEAD = re.compile(r"(?:\s|~|\\(?:[hv]?phantom|hspace\*?)\s*\{(?:[^{}]|\{[^{}]*\})*\}"
                          r"|\\q?quad(?![A-Za-z])|\\[,;:! ]|\\hidewidth(?![A-Za-z]))*")

#: A line that opens with a sign but states a domain or a remark (``& -1 < x < 1``,
#: ``&\\qquad -2 \\text{ is the slope}``): no continuation of the expression above.
_REMARK = re.compile(r"[<>]|\\(?:le|ge|leq|geq|lt|gt|ne|neq|in|notin|approx|iff|implies"
                     r"|text|textrm|mbox|quad|qquad|forall)(?![A-Za-z])|;|,")


#: A line that opens with a product sign continues the factor above it.
_TIMES_LEAD = re.compile(r"\\(?:cdot|times)(?![A-Za-z])|\*")


#: Between two math blocks of one derivation: the first closes, the next opens.
_BETWEEN = re.compile(r"\s*(?:\$\$?|\\[\]\)]|\\end\{[A-Za-z]+\*?\})\s*"
                      r"(?:\$\$?|\\[\[\(]|\\begin\{[A-Za-z]+\*?\})\s*")


#: A derivative the first block of a derivation states: ``\\frac{d}{dx}``, ``f'``, ``d/dx``.
_DIFFERENTIATES = re.compile(r"\\d?frac\s*\{\s*(?:d|\\partial)|\bd\s*/\s*d[a-z]|'")
#: The first block's closing delimiter, the next one's opening delimiter.
_DELIMITERS = re.compile(r"^(?:\$\$|\\\]|\\end\{[A-Za-z]+\*?\})"
                         r"|(?:\$\$|\\\[|\\begin\{[A-Za-z]+\*?\})$")
#: What ends a derivation in Markdown: a heading, a rule, a table, math in the prose.
_NEW_SECTION = re.compile(r"^[ \t]*(?:#|---|\*\*\*|\|)|\$|\\\(|\\\[|\\begin", re.M)


#: Inline math that states an identity of the table's functions (``\\sin(x+h) = …``,
#: ``\\sec x = \\frac{1}{\\cos x}``): it names no function of the note's own.
_IDENTITY = re.compile(r"\s*\\(?:sin|cos|tan|sec|csc|cot|sinh|cosh|tanh|ln|log|exp)(?![A-Za-z])"
                       r"[^=]*=[^$]*$")


def _steps_between(note: str, prev: Math, frag: Math, identity: Math | None = None) -> bool:
    """Is the text between two display blocks a few lines of prose about the
    steps of one derivation (see :func:`_continued`)?  The first may also be
    inline math that only names what is differentiated (no '='), a line
    above the display that starts with '='."""
    if not frag.display or frag.start - prev.end > 400:
        return False
    between = note[prev.end:frag.start]
    if identity is not None:  # (its text and dollars are no new section)
        between = between[:identity.start - prev.end - 1] + between[identity.end - prev.end + 1:]
    between = between.strip()
    if not prev.display:  # "**Example 1:** $\\frac{d}{dx}[x\\sin x]$ Product rule: $$= …$$"
        if "=" in prev.text or frag.start - prev.end > 120 or not between.startswith(("$", "\\)")):
            return False
        between = between[1 if between[0] == "$" else 2:]
    inner = _DELIMITERS.sub("", between.strip()).strip()
    # (words: two lines of one alignment have only "\\\\" between them)
    return bool(re.search(r"[A-Za-z]{3,}", inner)) and not _NEW_SECTION.search(inner) and \
        bool(_DIFFERENTIATES.search(prev.text))


def _asked_before(note: str, merged: list[Math], frag: Math) -> int | None:
    """``**Example:** Find $\\frac{d}{dx}[x^2 e^{-x}]$ / Use the product rule, with
    the chain rule for $e^{-x}$: / $$= 2xe^{-x} - x^2e^{-x}$$``: the question's
    inline math (a derivative, no '=') and a display starting with '=' a few
    lines of prose later, that prose naming parts in inline math without '='
    (which holds no claim and defines nothing).  The index in ``merged`` of
    the question, or None (no such part between: :func:`_steps_between`)."""
    k = len(merged) - 1
    while k >= 0 and len(merged) - k <= 6 and not merged[k].display and "=" not in merged[k].text \
            and not _DIFFERENTIATES.search(merged[k].text):
        k -= 1
    if not frag.display or k < 0 or k == len(merged) - 1:
        return None
    q = merged[k]
    if q.display or "=" in q.text or not _DIFFERENTIATES.search(q.text) or \
            frag.start - q.end > 250:
        return None
    between = note[q.end:frag.start]
    for part in reversed(merged[k + 1:]):
        between = between[:part.start - q.end] + between[part.end - q.end:]
    inner = re.sub(r"\$|\\[()]", " ", between)
    return k if re.search(r"[A-Za-z]{3,}", inner) and not _NEW_SECTION.search(inner) else None


def _continued(note: str, out: list[Math]) -> list[Math]:
    """A math block that starts with ``=`` right after another (nothing but
    the delimiters between them) continues that one's chain, as each ``&=``
    line does in an alignment::

        $$\\frac{d}{dx}[4x^5 - 3x^3]$$
        $$= 20x^4 - 9x^2$$

    The two become one fragment, the delimiters between them blanked.  So do
    two display blocks with a few lines of prose between them that hold no
    math (the steps explained in words: "- Inner: u = 3x + 1, derivative = 3"),
    when the first says what is differentiated."""
    merged: list[Math] = []
    for frag in out:
        prev = merged[-1] if merged else None
        if prev is None or not frag.text.lstrip().startswith("="):
            merged.append(frag)
            continue
        adjacent = _BETWEEN.fullmatch(note, prev.end, frag.start) is not None
        asked = None if adjacent else _asked_before(note, merged, frag)
        if asked is None and not adjacent and len(merged) > 1 and merged[-2].display and \
                _IDENTITY.match(prev.text) and _steps_between(note, merged[-2], frag, prev):
            asked = len(merged) - 2  # "Using the formula $\\sin(x+h) = …$:" between two steps
        if asked is not None:
            q = merged[asked]
            del merged[asked + 1:]  # inline math naming a part, no '=': no claim, no definition
            merged[-1] = Math(q.start, frag.end, q.text + " " * (frag.start - q.end) + frag.text,
                              True, False, q.joins + frag.joins + (frag.start,))
            continue
        if adjacent or _steps_between(note, prev, frag):
            gap = " " * (frag.start - prev.end)
            joins = prev.joins + frag.joins + (() if adjacent else (frag.start,))
            merged[-1] = Math(prev.start, frag.end, prev.text + gap + frag.text,
                              prev.display or frag.display, prev.plain and frag.plain, joins)
            continue
        merged.append(frag)
    return merged
