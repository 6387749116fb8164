"""Derivative tables written inside display math.

Review sheets and cheat sheets lay a table of derivatives out as an
``array`` or an ``aligned`` block: a header row naming a function column and
a derivative column (``\\textbf{Function} && \\textbf{Derivative}``,
``y & y'``, ``f(x) & f'(x)``), then one row per rule (``&& \\sin(x) &&
\\cos(x) \\\\``).  Each row is a claim, the derivative cell's text about the
function cell's, as a Markdown table row is (:mod:`notes_plain`).

The header must be a header: every cell of it a column name (a word, a
function's name, its derivative's name), never an equation, so that an
``aligned`` derivation (``f(x) &= … & f'(x) &= …``) is never read as a
table.  Some tables put the derivative's sign in a column of its own
(``\\cos x & - & \\sin x``): a lone sign or an empty cell between the two
columns belongs to the derivative (such a claim gets no text fix: its
text spans a column break).
"""

from __future__ import annotations

import re

from chainlens.engine.frontends.latex_text import normalise
from chainlens.engine.frontends.notes import Claim, Math

__all__ = ["array_claims"]

_ENV = re.compile(r"\\begin\s*\{\s*(array|aligned|alignedat|align\*?|tabular|matrix)\s*\}"
                  r"(?:\s*\[[a-z]\])?(?:\s*\{[^{}]*\})?")
#: rules and spacing that are no part of a cell's content
_RULES = re.compile(r"(?:\s|\\(?:hline|toprule|midrule|bottomrule|hdashline|cline\s*\{[^{}]*\})"
                    r"(?![A-Za-z])|\[\s*-?[\d.]+\s*[a-z]{2}\s*\])+")
_WRAP = re.compile(r"\\(?:textbf|textit|text|mathbf|mathrm|emph|underline|mbox)\s*\{([^{}]*)\}")
_NAME = r"([A-Za-z])"
_VARIABLE = r"(?:\(\s*([a-z])\s*\))?"
_FUNCTION_WORD = re.compile(r"(?:the\s+)?(?:function|expression|f\s*\(\s*x\s*\))s?", re.I)
_FUNCTION_NAME = re.compile(_NAME + r"\s*" + _VARIABLE)
_DERIVATIVE_WORD = re.compile(r"(?:the\s+)?(?:first\s+)?derivatives?", re.I)
_DERIVATIVE_NAME = re.compile(_NAME + r"\s*(?:'|\^\s*\{?\s*\\prime\s*\}?)\s*" + _VARIABLE)
_LEIBNIZ = re.compile(r"\\[dt]?frac\s*\{\s*d\s*([A-Za-z])?\s*\}\s*\{\s*d\s*([a-z])\s*\}"
                      r"(?:\s*[A-Za-z](?:\s*\(\s*[a-z]\s*\))?)?|d\s*([A-Za-z])\s*/\s*d\s*([a-z])")
_WORD = re.compile(r"[A-Za-z][A-Za-z .,-]{2,}")
_SIGN = re.compile(r"\s*[-+]?\s*")


def _split(text: str, start: int, end: int, sep: str) -> list[tuple[int, int]]:
    """Top-level pieces of ``text[start:end]`` between ``sep`` (``\\\\`` or ``&``)."""
    out, depth, at, i = [], 0, start, start
    while i < end:
        c = text[i]
        if c == "\\" and text.startswith("\\\\", i) and sep == "\\\\" and depth == 0:
            out.append((at, i))
            i += 2
            at = i
            continue
        if c == "\\":
            i += 2
            continue
        depth += (c == "{") - (c == "}")
        if c == sep and depth == 0:
            out.append((at, i))
            at = i + 1
        i += 1
    out.append((at, end))
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    m = _RULES.match(text, s, e)
    if m:
        s = m.end()
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _header(cells: list[str]):
    """``(function column, derivative column, variable)`` of a header row, or None."""
    f_col = d_col = None
    name = var = None
    for k, raw in enumerate(cells):
        cell = _WRAP.sub(r"\1", raw).strip()
        if not cell:
            continue
        if "=" in cell:
            return None
        m = _FUNCTION_NAME.fullmatch(cell)
        if f_col is None and (_FUNCTION_WORD.fullmatch(cell) or m):
            f_col = k
            if m and not _FUNCTION_WORD.fullmatch(cell):
                name, var = m.group(1), m.group(2)
            continue
        d = _DERIVATIVE_NAME.fullmatch(cell)
        leibniz = _LEIBNIZ.fullmatch(cell)
        named = _DERIVATIVE_WORD.fullmatch(cell) or d or leibniz
        if d_col is None and f_col is not None and named:
            if d and name and d.group(1) != name:
                return None
            if leibniz and name and (leibniz.group(1) or leibniz.group(3) or name) != name:
                return None
            var = var or (d and d.group(2)) or (leibniz and (leibniz.group(2) or leibniz.group(4)))
            d_col = k
            continue
        if not _WORD.fullmatch(cell):
            return None  # not a column name: no table
    if f_col is None or d_col is None:
        return None
    return f_col, d_col, var or "x"


def _names(text: str, var: str) -> bool:
    """Whether ``text`` has the letter ``var`` outside command names (letters
    side by side are a product in math: ``ax`` names x)."""
    return var in re.sub(r"\\[A-Za-z]+", " ", text)


def _table(note: str, start: int, end: int, macros) -> list[Claim]:
    rows = [_trim(note, s, e) for s, e in _split(note, start, end, "\\\\")]
    rows = [(s, e) for s, e in rows if e > s]
    if len(rows) < 2:
        return []
    head_cells = [_trim(note, s, e) for s, e in _split(note, *rows[0], "&")]
    head = _header([note[s:e] for s, e in head_cells])
    if head is None:
        return []
    f_col, d_col, var = head
    out = []
    for rs, re_ in rows[1:]:
        cells = [_trim(note, s, e) for s, e in _split(note, rs, re_, "&")]
        sign = ""
        if len(cells) == len(head_cells) + 1 and d_col == f_col + 1 \
                and _SIGN.fullmatch(note[slice(*cells[d_col])]):
            sign = note[slice(*cells[d_col])].strip()
            cells = cells[:d_col] + cells[d_col + 1:]
        elif len(cells) > len(head_cells) or len(cells) <= max(f_col, d_col):
            continue
        (fs, fe), (ds, de) = cells[f_col], cells[d_col]
        f_text, d_text = note[fs:fe], note[ds:de]
        if not f_text or not d_text or any(c in f_text + d_text for c in "=$&") \
                or "\\text" in f_text + d_text:
            continue
        # a row of another variable's functions (\sin t) is not about x: only
        # a constant's row (c, 0) is checked without it
        if not _names(f_text, var) and d_text.strip() != "0":
            continue
        claimed = sign + d_text
        out.append(Claim(expr=f_text, wrt=var, claimed=claimed, claimed_start=ds,
                         claimed_end=de, lhs_start=fs, lhs_end=fe, expr_start=fs, expr_end=fe,
                         expr_read=normalise(f_text, macros),
                         claimed_read=normalise(claimed, macros), plain=bool(sign)))
    return out


def array_claims(note: str, math: tuple[Math, ...], macros=None) -> tuple[Claim, ...]:
    """One claim per row of each derivative table in the note's math (an
    ``align*`` is math itself; an ``array``/``aligned`` must open inside a
    math fragment, which the reader may have cut at its blank rows)."""
    out: list[Claim] = []
    for m in _ENV.finditer(note):
        if not m.group(1).startswith("align") and not any(
                f.start <= m.start() < f.end for f in math if not f.plain):
            continue
        close = note.find("\\end{" + m.group(1) + "}", m.end())
        if close < 0:
            continue
        for claim in _table(note, m.end(), close, macros):
            if all(c.claimed_start != claim.claimed_start for c in out):
                out.append(claim)
    return tuple(out)
