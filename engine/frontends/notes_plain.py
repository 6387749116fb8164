"""Derivatives written without ``$…$`` in Markdown cheat sheets.

Two shapes are common: a line such as ``d/dx sin(x) = cos(x)`` in plain
text, and a table whose header names a function column and a derivative
column (``Expression | Derivative``, ``$f(x)$ | $f'(x)$``).  The first
becomes a math fragment of the note (its own text, so offsets hold); each
row of the second becomes a claim whose claimed side is the derivative cell.
Both are read by the same reader as ``$…$`` math.
"""

from __future__ import annotations

import re
from dataclasses import replace

from chainlens.engine.frontends.latex_text import function_words, normalise
from chainlens.engine.frontends.note_math import code_spans
from chainlens.engine.frontends.notes import Claim, Math

__all__ = ["plain_math", "table_claims", "worded_claims"]

_OPERATOR = re.compile(r"(?<![A-Za-z\\])d\s*/\s*d[a-z](?![A-Za-z])|\\d?frac\{d\}\{d[a-z]\}"
                       r"|∂\s*/\s*∂[a-z](?![A-Za-z])|∂[a-z]\s*/\s*∂[a-z](?![A-Za-z])\s*="
                       r"|(?<![A-Za-z\\])d[a-z]\s*/\s*d[a-z](?![A-Za-z])\s*="
                       r"|(?<![A-Za-z\\'′])[a-z]['′]+\s*(?:\(\s*[a-z]\s*\))?\s*=(?!=)|\)['′]\s*=")
#: A line of plain text that defines a function: "f(x) = x^3 + 2x", "- Let y = e^(2x)".
_DEFINES = re.compile(r"^[ \t]*(?:[-*+][ \t]+|\d{1,2}[.)][ \t]+)?"
                      r"(?:\*\*[A-Z][^*\n]{0,30}\*\*[ \t]*)?(?:(?:Let|If|For)[ \t]+)?"
                      r"(?=(?:[a-z][ \t]*\([ \t]*[a-z][ \t]*\)|y)[ \t]*=[^=])")
#: a premise inside a plain line, before its claim: "… If f(x) = x g(x), then …"
_GIVEN = re.compile(r"(?<![A-Za-z])(?:[Ii]f|[Ll]et|[Ss]uppose|[Ww]hen|[Gg]iven)[ \t]+"
                    r"(?=[a-z][ \t]*\([ \t]*[a-z][ \t]*\)[ \t]*=[^=])")
_ROW = re.compile(r"^[ \t]*\|?(.+?)\|?[ \t]*$")
_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)+\|?[ \t]*$")
_FUNCTION_HEAD = re.compile(r"function|expression|f\s*\(\s*x\s*\)|^\$?\s*f\s*\$?$", re.I)
_DERIVATIVE_HEAD = re.compile(r"deriv|f\s*'|f\s*\^\{?\\prime|f′|\\frac\{d"
                              r"|f\s*\^\s*\{?\s*\(\s*(?:\d|[a-z]\s*\))", re.I)
_ALSO_HEAD = re.compile(r"simplif|result|answer|final", re.I)
_ONE_MATH = re.compile(r"^[^$]*\$([^$]+)\$[^$]*$")
_NOTE = re.compile(r"\s*\((?:aka|think|i\.e\.|see|for|where|if)\b[^)]*(\([^)]*\)[^)]*)*\)\s*$"
                   r"|\s*\*[^*]+\*\s*$|,\s*\$?\s*[a-z]\s*[<>≠].*$")


def _covered(start: int, end: int, math: tuple[Math, ...]) -> bool:
    return any(m.start - 2 <= start < m.end + 2 or m.start - 2 <= end <= m.end + 2
               for m in math)


def plain_math(note: str, math: tuple[Math, ...]) -> tuple[Math, ...]:
    """Lines of prose carrying a derivative operator outside any math."""
    out, offset = [], 0
    code = code_spans(note)  # code is not prose (a MyST solution's body is)
    for line in note.splitlines(keepends=True):
        fence = any(s <= offset < e for s, e in code)
        if not fence and "![" in line and "$" not in line:
            # a formula rendered as a picture (codecogs): its alt text is the math
            for img in _IMAGE.finditer(line):
                alt = img.group(1)
                if "=" in alt and (_OPERATOR.search(alt) or _DEFINES.match(alt)):
                    start = offset + img.start(1)
                    if not _covered(start, start + len(alt), math):
                        out += _sentences(note, start, start + len(alt))
            offset += len(line)
            continue
        m = _OPERATOR.search(line)
        d = _DEFINES.match(line)
        if not fence and (m or d) and "|" not in line and "`" not in line \
                and "$" not in line:
            at = d.end() if d else _opening(line, m)
            given = _GIVEN.search(line, 0, at) if not d and at > 0 else None
            if given:  # "Prove: If f(x) = xg(x), then f'(x) = …": the premise is read too
                at = given.end()
            start = offset + at
            end = offset + len(line.rstrip("\r\n"))
            if at >= 0 and "=" in line[at:] and not _covered(start, end, math):
                out += _sentences(note, start, end)
        elif not fence and "`" in line and "$" not in line:
            out += _code_span_math(note, line, offset)
        offset += len(line)
    return tuple(out)


#: a Markdown image, ``![alt](url "title")``: the alt text, never the address
_IMAGE = re.compile(r"!\[([^\[\]\n]+)\]\(")
_SPAN = re.compile(r"(?<![`}])`([^`\n]+)`(?!`)")  # (not a MyST role: {math}`…`)
#: What makes an inline code span code rather than math written in plain text.
_CODE_LIKE = re.compile(r"==|\*\*|;|\b(?:def|return|import|lambda|print|np|torch|tf)\b"
                        r"|\w\.\w+|\[\s*\d+\s*\]|:\s*$|\bx\s*=\s*\[")


#: Words that make a code span a program's output or input, not the note's math.
_REPORTED = re.compile(r"\b(?:returns?|returned|outputs?|prints?|printed|bug|actual|expected"
                       r"|result|results|call|calls|logs?|shows?|displays?|error|version|instead)\b",
                       re.I)


def _code_span_math(note: str, line: str, offset: int) -> list[Math]:
    """Cheat sheets write derivatives in inline code: `d/dx [x^n] = nx^(n-1)`,
    "For `f(x) = x^3`, …": a span that is a derivative claim or a definition,
    with nothing of a program in it, is read as a plain line."""
    out = []
    if _REPORTED.search(line):
        return out  # quoted program output: "returned `d/dx sin(x) = -cos(x)` (a bug)"
    for m in _SPAN.finditer(line):
        text = m.group(1)
        op, d = _OPERATOR.search(text), _DEFINES.match(text)
        if not (op or d) or "=" not in text or _CODE_LIKE.search(text):
            continue
        at = d.end() if d else _opening(text, op)
        if at < 0 or "=" not in text[at:]:
            continue
        start = offset + m.start(1) + at
        out += _sentences(note, start, offset + m.end(1))
    return out


#: Prose between two statements of a plain line: "Let y = e^(2x). Then dy/dx = …",
#: "g(t) = sin(t), so g'(t) = cos(t)".
_PROSE_BREAK = re.compile(r"\.\s+(?:[A-Z][a-z]*\s+)?|:\s+|\s*⇒\s*"
                          r"|[,;]?\s+(?:so|then|and|hence|thus|therefore|gives|giving)\s+")


_WORD = re.compile(r"(?<![A-Za-z\\])[A-Za-z]{2,}")
#: two-letter English words (``xe``, ``uv``, ``nx`` are products of letters)
_SHORT_WORDS = frozenset({"is", "in", "of", "on", "at", "by", "to", "as", "or", "an", "if", "be",
                          "so", "we", "it", "no", "do", "go", "up", "us", "me", "my", "he"})


def _prose_at(note: str, start: int, end: int) -> int:
    """Where prose starts in a plain statement ("y = x^2 is a parabola": at
    "is"), else ``end``: a longer word that names no function, or a short
    English one, is no math."""
    words = function_words()
    for m in _WORD.finditer(note, start, end):
        word = m.group(0)
        if word in words or word in ("pi", "sqrt"):
            continue
        if len(word) > 2 or word.lower() in _SHORT_WORDS:
            return m.start()
    return end


def _sentences(note: str, start: int, end: int) -> list[Math]:
    """The pieces of a plain line between prose breaks that state something,
    each ending where prose starts."""
    out, at = [], start
    for m in [*_PROSE_BREAK.finditer(note, start, end), None]:
        stop = _prose_at(note, at, m.start() if m else end)
        piece = note[at:stop].rstrip(" \t,;:")
        if "=" in piece and piece.split("=")[-1].strip():
            out.append(Math(at, at + len(piece), piece, False, plain=True))
        at = m.end() if m else end
    return out


def _opening(line: str, m: re.Match) -> int:
    """Where the claim found by ``m`` starts: at the operator, or for
    ``(x^2)' = 2x`` at the bracket the prime closes (-1 when unbalanced)."""
    if not m.group(0).startswith(")"):
        return m.start()
    depth = 0
    for i in range(m.start(), -1, -1):
        depth += {")": 1, "(": -1}.get(line[i], 0)
        if depth == 0:
            return i
    return -1


def _cells(line: str, offset: int) -> list[tuple[int, int]]:
    body = line.rstrip("\r\n")
    spans, at = [], 0
    parts = body.split("|")
    for k, part in enumerate(parts):
        s, e = at, at + len(part)
        at = e + 1
        if (k == 0 or k == len(parts) - 1) and not part.strip():
            continue
        while s < e and body[s] in " \t$":
            s += 1
        while e > s and body[e - 1] in " \t$":
            e -= 1
        spans.append((offset + s, offset + e))
    return spans


def table_claims(note: str, macros=None) -> tuple[Claim, ...]:
    """One claim per row of a function/derivative table."""
    lines = note.splitlines(keepends=True)
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line)
    out: list[Claim] = []
    i = 0
    while i + 1 < len(lines):
        if "|" in lines[i] and _RULE.match(lines[i + 1]):
            head = [note[s:e] for s, e in _cells(lines[i], starts[i])]
            f_col = next((k for k, h in enumerate(head) if _FUNCTION_HEAD.search(h)
                          and not _DERIVATIVE_HEAD.search(h)), None)
            d_col = next((k for k, h in enumerate(head) if _DERIVATIVE_HEAD.search(h)), None)
            if f_col is None or d_col is None:
                f_col, d_col = _primed_pair(head) or (f_col, d_col)
            # "Derivative | Simplify": a later column restating the derivative
            also = [] if d_col is None else [k for k, h in enumerate(head)
                                              if k > d_col and _ALSO_HEAD.search(h)]
            i += 2
            while i < len(lines) and "|" in lines[i]:
                cells = _cells(lines[i], starts[i])
                order = _order(head[d_col]) if d_col is not None else None
                if None not in (f_col, d_col, order) and max(f_col, d_col, *also) < len(cells):
                    for col in (d_col, *also):
                        out.extend(replace(c, order=order) for c in
                                   _row_claim(note, cells[f_col], cells[col], macros))
                i += 1
            continue
        i += 1
    return tuple(out)


def _primed_pair(head: list[str]) -> tuple[int, int] | None:
    """``| Trig | Trig' |``: a column named as another one with a prime is its
    derivative's column (the name any word: the table's own name for its rows)."""
    names = [h.strip().strip("*$ ") for h in head]
    for k, name in enumerate(names):
        if not re.fullmatch(r"[A-Za-z][A-Za-z ]{0,30}", name):
            continue
        for j in range(k + 1, len(names)):
            if names[j] in (name + "'", name + "′"):
                return k, j
    return None


def _order(head: str) -> int | None:
    """The order of the derivative a table's column header names: ``f'(x)`` 1,
    ``f''(x)``, ``f^{\\prime\\prime}``, ``\\frac{d^2y}{dx^2}``, ``f^{(3)}`` more; None
    when it is symbolic (``f^{(n)}``)."""
    if re.search(r"\^\s*\{?\s*\(\s*[a-z]\s*\)|d\s*\^\s*\{?\s*[a-z]", head):
        return None
    m = re.search(r"\^\s*\{?\s*\(\s*(\d+)\s*\)|d\s*\^\s*\{?\s*(\d+)", head)
    if m:
        return int(m.group(1) or m.group(2))
    primes = re.search(r"(?:'|′|\\prime)(?:\s*(?:'|′|\\prime))*", head)
    if primes:
        return len(re.findall(r"'|′|\\prime", primes.group(0)))
    return 1


def _inner_math(note: str, start: int, end: int) -> tuple[int, int]:
    """A cell with prose around one ``$…$`` ("Power Rule ($x^n$)") is that math."""
    m = _ONE_MATH.match(note[start:end])
    if not m or "$" not in note[start:end].strip("$ "):
        return start, end
    s, e = start + m.start(1), start + m.end(1)
    while s < e and note[s] == " ":
        s += 1
    while e > s and note[e - 1] == " ":
        e -= 1
    return s, e


def _row_claim(note: str, f_span, d_span, macros):
    fs, fe = _inner_math(note, *f_span)
    ds, de = _inner_math(note, *d_span)
    f_text = _NOTE.sub("", note[fs:fe].strip("$ "))
    d_text = note[ds:de]
    cut = _NOTE.search(d_text)
    if cut:
        de = ds + cut.start()
    d_text = note[ds:de].strip()
    if not f_text or not d_text or "$" in f_text + d_text:
        return []
    # "| x⁻² = 1/x² | -2x⁻³ = -2/x³ |": the function restated, the derivative a chain
    f_text = f_text.split("=")[0].strip()
    fe = fs + note[fs:fe].index(f_text) + len(f_text) if f_text in note[fs:fe] else fe
    out, at = [], ds
    for piece in d_text.split("="):
        start = note.index(piece, at)
        at = start + len(piece)
        piece = piece.strip()
        if not piece or not f_text:
            return []
        start = note.index(piece, start)
        out.append(Claim(expr=f_text, wrt="x", claimed=piece, claimed_start=start,
                         claimed_end=start + len(piece), lhs_start=fs, lhs_end=fe,
                         expr_start=fs, expr_end=fe, expr_read=normalise(f_text, macros),
                         claimed_read=normalise(piece, macros), step=len(out) + 1,
                         plain=not note[:ds].rstrip().endswith("$")))
    return out


#: "- Inner: u = 3x + 1, derivative = 3", "Outer: sin(u), derivative = cos(u)": a
#: worked chain-rule step in words (the label, a name for the inner function).
_WORDED = re.compile(r"^[ \t]*(?:[-*+][ \t]+)?(?:[A-Z][A-Za-z]*:[ \t]*)?"
                     r"(?:[a-z][ \t]*=[ \t]*)?(?P<expr>[^,=:;$|`]+?),[ \t]*(?:its[ \t]+)?"
                     r"derivative[ \t]*(?:=|is|:)[ \t]*(?P<d>[^,=;:$|`]+?)[ \t.]*$", re.M)
_LETTER = re.compile(r"(?<![A-Za-z])[a-df-z](?![A-Za-z])")


def worded_claims(note: str, macros=None) -> tuple[Claim, ...]:
    """Chain-rule steps written in words, one claim each; the variable is the
    expression's one letter (none, or several: not a claim)."""
    out: list[Claim] = []
    code = code_spans(note)
    for m in _WORDED.finditer(note):
        expr, claimed = m.group("expr").strip(), m.group("d").strip()
        letters = set(_LETTER.findall(expr))
        if len(letters) != 1 or any(s <= m.start() < e for s, e in code):
            continue
        es, cs = m.start("expr"), m.start("d")
        claimed = claimed[:_prose_at(note, cs, cs + len(claimed)) - cs].rstrip()
        if not claimed:
            continue
        outer = not re.match(r"[ \t]*(?:[-*+][ \t]+)?Inner", m.group(0))
        out.append(Claim(expr=expr, wrt=letters.pop(), claimed=claimed, claimed_start=cs,
                         claimed_end=cs + len(claimed), lhs_start=es, lhs_end=es + len(expr),
                         expr_start=es, expr_end=es + len(expr),
                         expr_read=normalise(expr, macros), claimed_read=normalise(claimed, macros),
                         plain=True, loose="words" if outer else None))
    return tuple(out)
