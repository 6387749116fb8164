"""Where an edit to a note may go, and what it may hold, so that a quick fix
or an inserted line never breaks the structure the author wrote.

* A GitHub-flavoured Markdown table: a line inserted between its rows (or
  right after its last one) is read as one more row, and an unescaped ``|``
  in a replacement splits its cell (red team R1, R20).  A line goes after
  the table and a blank line; a replacement spells its bars ``\\lvert …
  \\rvert``, or is not offered.
* A LaTeX ``tabular``: display math ``\\[ … \\]`` is not allowed inside a
  cell, so a line goes after ``\\end{tabular}``.
* A decoration around the claimed side (``\\underbrace{…}_{\\text{…}}``,
  ``\\textcolor{red}{…}``, ``{\\color{blue} …}``, ``\\mathbf{…}``) is the
  author's: a fix replaces inside it, as for ``\\boxed`` (red team R23).

Text only: offsets into the note's text.
"""

from __future__ import annotations

import re

from chainlens.engine.frontends.latex_macros import group_end

__all__ = ["claim_edit", "decorated_inner", "markdown_table", "tabular_end"]

#: A GFM delimiter row: ``|---|:---:|``, ``--- | ---``.
_DELIMITER = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
#: A line that starts another block (and so ends a table).
_BLOCK_START = re.compile(r"^ {0,3}(?:#{1,6}(?:\s|$)|>|```|~~~|[-*+]\s|\d{1,9}[.)]\s|<)")


def _block_lines(text: str, offset: int) -> tuple[list[tuple[int, int]], int]:
    """The lines (start, end offsets) of the block of non-blank lines holding
    ``offset``, and the index of the one holding it: only the block is read,
    so a fix in a long note costs its block, not the note."""
    def line_at(k: int) -> tuple[int, int]:
        start = text.rfind("\n", 0, k) + 1
        end = text.find("\n", k)
        return start, len(text) if end < 0 else end

    here = line_at(min(offset, len(text)))
    above, below = [], []
    start = here[0]
    while start > 0:
        prev = line_at(start - 1)
        if not text[prev[0]:prev[1]].strip():
            break
        above.append(prev)
        start = prev[0]
    end = here[1]
    while end < len(text):
        nxt = line_at(end + 1)
        if not text[nxt[0]:nxt[1]].strip():
            break
        below.append(nxt)
        end = nxt[1]
    return above[::-1] + [here] + below, len(above)


def _cells(row: str) -> int:
    """How many cells GFM reads in a table row (unescaped pipes split)."""
    row = row.strip()
    bars = len(re.findall(r"(?<!\\)\|", row))
    return bars + 1 - row.startswith("|") - (row.endswith("|") and not row.endswith("\\|")
                                             and len(row) > 1)


def markdown_table(text: str, offset: int) -> tuple[int, int] | None:
    """The start of the first line and the end of the last line of the GFM
    table whose header, delimiter or body rows hold ``offset``, or None."""
    spans, here = _block_lines(text, offset)
    lines = [text[s:e] for s, e in spans]
    if not lines[here].strip():  # a blank line ends every table
        return None
    for d in range(1, min(here + 2, len(lines))):
        if not (_DELIMITER.match(lines[d]) and "|" in lines[d] + lines[d - 1]) or \
                _cells(lines[d - 1]) != _cells(lines[d]):
            continue
        last = d
        while last + 1 < len(lines) and not _BLOCK_START.match(lines[last + 1]):
            last += 1
        if d - 1 <= here <= last:
            return spans[d - 1][0], spans[last][1]
    return None


#: Text-mode table environments of LaTeX (and the common packages).
_TABULARS = ("tabular", "tabular*", "tabularx", "tabulary", "longtable", "supertabular",
             "xtabular", "tblr")


def tabular_end(text: str, offset: int) -> int | None:
    """The offset just past the ``\\end{…}`` of the innermost text-mode table
    environment holding ``offset``, or None when ``offset`` is in none (or
    its end is missing: then nothing can be inserted safely)."""
    best = None
    for env in _TABULARS:
        begin = text.rfind("\\begin{" + env + "}", 0, offset)
        if begin < 0 or text.rfind("\\end{" + env + "}", begin, offset) >= 0:
            continue
        if best is None or begin > best[0]:
            best = (begin, env)
    if best is None:
        return None
    close = "\\end{" + best[1] + "}"
    end = text.find(close, offset)
    return -1 if end < 0 else end + len(close)


def _closing_brace(text: str, opening: int) -> int:
    """The offset of the ``}`` matching the ``{`` at ``opening``, or -1."""
    end = group_end(text, opening)
    return end - 1 if end >= 0 else -1


#: Math-mode wrappers whose last braced argument is the claimed value itself.
_WRAPPER = re.compile(r"\\(?:underbrace|overbrace|mathbf|boldsymbol|bm|mathit|ensuremath|boxed"
                      r"|textcolor\s*\{[^{}]*\}|color\s*\{[^{}]*\}|answer(?:\[[^\]]*\])?)"
                      r"\s*(?=\{)")
#: ``{\color{blue} …}``: a group whose colour holds for the rest of it.
_COLOUR_GROUP = re.compile(r"\{\s*\\color\s*\{[^{}]*\}\s*")
#: The annotation of an under/over-brace: ``_{\text{…}}``, ``^{…}``, ``_x``.
_BRACE_NOTE = re.compile(r"\s*[_^]\s*(?:\{|\\?[A-Za-z0-9])")


def decorated_inner(text: str, start: int, end: int) -> tuple[int, int]:
    """The span inside the decorations around ``text[start:end]`` (the value
    the author decorated), or the span itself when it is not decorated."""
    for _ in range(8):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        inner = _unwrap_once(text, start, end)
        if inner is None:
            return start, end
        start, end = inner
    return start, end


def _unwrap_once(text: str, start: int, end: int) -> tuple[int, int] | None:
    m = _WRAPPER.match(text, start, end)
    if m:
        opening = m.end()
        close = _closing_brace(text[:end], opening)
        if close < 0:
            return None
        rest = text[close + 1:end]
        if close + 1 == end:
            return opening + 1, close
        note = _BRACE_NOTE.match(rest)
        if note and m.group(0).startswith(("\\underbrace", "\\overbrace")):
            tail = close + 1 + note.end() - 1
            if text[tail] == "{":
                if _closing_brace(text[:end], tail) == end - 1:
                    return opening + 1, close
            elif tail + 1 == end or (text[tail] == "\\" and
                                     re.fullmatch(r"\\[A-Za-z]+", text[tail:end])):
                return opening + 1, close
        return None
    m = _COLOUR_GROUP.match(text, start, end)
    if m and _closing_brace(text[:end], start) == end - 1:
        return m.end(), end - 1
    return None


def _bars_spelled(latex: str) -> str | None:
    """``latex`` with its absolute-value bars spelled as commands (no ``|``),
    or None when a bar is left that cannot be (a norm, a bar alone)."""
    out = re.sub(r"\\left\s*\|", r"\\left\\lvert ", latex)
    out = re.sub(r"\\right\s*\|", r"\\right\\rvert ", out)
    return None if "|" in out else out


def claim_edit(text: str, start: int, end: int, latex: str,
               kind: str = "markdown") -> tuple[int, int, str] | None:
    """The edit that makes ``text[start:end]`` (a claimed derivative) read
    ``latex``: inside the author's decorations, with no ``|`` in a Markdown
    table row.  None when no such edit is safe (then none is offered)."""
    start, end = decorated_inner(text, start, end)
    if kind == "markdown" and "|" in latex and markdown_table(text, start) is not None:
        spelled = _bars_spelled(latex)
        if spelled is None:
            return None
        latex = spelled
    return start, end, latex
