"""Limits in a note's claimed sides: ``\\lim_{h \\to 0} \\frac{(x+h)^2 - x^2}{h}``.

A derivative from first principles is a chain of limits
(``f'(x) = \\lim_{h\\to 0}\\frac{f(x+h)-f(x)}{h} = \\lim_{h\\to 0}(2x+h) = 2x``).
Each step is a claimed side like any other once its limit is replaced by the
limit's value, which :func:`chainlens.engine.symbolic.limits.limit` computes
only when it is certain (substitution where the expression is continuous,
l'Hôpital's rule on 0/0).  A limit it does not compute (one-sided, at
infinity, a kink at the point, a form it cannot settle) makes the step "not
read" with the reason, never "wrong"; so does an operand whose extent TeX
leaves open (``\\lim_{h\\to 0} 2x + h``: is ``+ h`` inside?).  Text in, text
out: the value is spliced back as LaTeX, as the nested ``\\frac{d}{dx}`` of a
claimed side are (:func:`~chainlens.engine.frontends.note_units.read_claimed`).

Spellings read: ``\\lim_{h \\to 0}``, ``\\lim\\limits_{h \\rightarrow 0}``,
``\\displaystyle\\lim_{\\Delta x \\to 0}`` (``\\Delta x`` is one variable),
``\\underset{h\\to 0}{\\lim}``, ``x \\to a``, ``h \\longrightarrow 0``.
"""

from __future__ import annotations

import math
import random
import re

from chainlens.engine.core.ir import sub
from chainlens.engine.core.nodes import sym
from chainlens.engine.core.source import ChainError
from chainlens.engine.core.walk import free_symbols, substitute
from chainlens.engine.frontends.note_defs import Definition, group_end
from chainlens.engine.language.reader import parse_expr
from chainlens.engine.printing import render
from chainlens.engine.symbolic.limits import limit, quotient_parts
from chainlens.engine.symbolic.values import value_at

__all__ = ["splice_limits", "has_limit", "limit_definitions", "defined_by_limit"]

_UNDERSET = re.compile(r"\\underset\s*\{([^{}]*)\}\s*\{\s*\\lim\s*\}")
_LIM = re.compile(r"\\lim(?![A-Za-z])\s*_?\s*")
_ARROW = re.compile(r"\\(?:to|rightarrow|longrightarrow|Rightarrow)(?![A-Za-z])|→|->")
#: ``\\Delta x``, ``\\delta{t}``: an increment written as one variable
_INCREMENT = re.compile(r"\\(?:Delta|delta)\s*(?:\{\s*([A-Za-z])\s*\}|([A-Za-z])(?![A-Za-z]))")
_FRESH = "hkqsuvw"


_CALL = re.compile(r"(?<![\\A-Za-z'])(?<![_^]\{)([A-Za-z])\s*\(")


def limit_definitions(read: str, defs) -> str:
    """``f(x+h)`` inside a limit's step, with ``f(x) = body`` defined nearby
    (one variable, one formula): the body at ``x + h`` (``f(x)`` itself is
    already the body, :func:`~chainlens.engine.frontends.note_defs.apply_definitions`)."""
    if not has_limit(read):
        return read
    read = _bound_apart(read, defs)
    out, at = [], 0
    for m in _CALL.finditer(read):
        d = defs.get(m.group(1))
        if m.start() < at or d is None or d.reason or d.alternatives or len(d.vars) != 1:
            continue
        end = _group_end(read, m.end() - 1)
        if end < 0:
            continue
        arg = read[m.end():end - 1]
        var = re.compile(rf"(?<![\\A-Za-z]){re.escape(d.var)}(?![A-Za-z])")
        out += [read[at:m.start()], "(", var.sub(lambda _, a=arg: "(" + a + ")", d.body), ")"]
        at = end
    return "".join(out) + read[at:]


_BOUND = re.compile(r"\\lim\s*_\s*\{\s*([A-Za-z])\s*(?:\\to|\\rightarrow|\\longrightarrow)")


def _bound_apart(read: str, defs) -> str:
    """A limit's variable is bound (like the variable of d/dh): when the note
    also defines that letter (``h(x) = x^3``, a step ``h = 0.001``), the
    limit's is renamed to a free letter first, so that no definition is
    substituted into it."""
    for m in _BOUND.finditer(read):
        var = m.group(1)
        if var not in defs:
            continue
        fresh = next((c for c in _FRESH + "pmnrj" if c not in defs and not _names(c, read)),
                     None)
        if fresh is None:
            return read
        return _bound_apart(re.sub(rf"(?<![\\A-Za-z]){var}(?![A-Za-z])", fresh, read), defs)
    return read


def has_limit(text: str) -> bool:
    return bool(_LIM.search(text) or _UNDERSET.search(text))


def _group_end(text: str, i: int) -> int:
    return group_end(text, i, "({[")


def _level_end(text: str, i: int) -> int:
    """Where the bracket level at ``i`` closes (or the text ends)."""
    depth = 0
    for j in range(i, len(text)):
        if text[j] in "({[":
            depth += 1
        elif text[j] in ")}]":
            if depth == 0:
                return j
            depth -= 1
    return len(text)


def _names(letter: str, text: str) -> bool:
    return re.search(rf"(?<![A-Za-z\\]){re.escape(letter)}(?![A-Za-z])", text) is not None


def _increments(text: str) -> str:
    """``\\Delta x`` -> a fresh letter, everywhere in the text (one variable)."""
    found = {m.group(0) for m in _INCREMENT.finditer(text)}
    for written in sorted(found, key=len, reverse=True):
        fresh = next((c for c in _FRESH if not _names(c, text)), None)
        if fresh is None:
            raise ChainError("a limit's variable could not be renamed")
        text = text.replace(written, f" {fresh} ")
    return text


def _operand(text: str, at: int) -> tuple[int, bool]:
    """``(end, bracketed)`` of the operand starting at ``at``: a ``\\frac``
    with its two groups or a bracketed group, and the factors after it
    (``\\lim_{h\\to 0}\\frac{1}{h}\\ln(1 + h)``: the product is the operand),
    or (bare) the rest of the level."""
    end, bracketed = _first_operand(text, at)
    if bracketed:
        end = _term_end(text, end)
    return end, bracketed


def _term_end(text: str, at: int) -> int:
    """The end of the product term going on at ``at``: the next ``+``, ``-``
    or ``=`` outside brackets, or the end of the level."""
    depth = 0
    for j in range(at, len(text)):
        ch = text[j]
        if ch in "({[":
            depth += 1
        elif ch in ")}]":
            if depth == 0:
                return j
            depth -= 1
        elif depth == 0 and ch in "+-=" and text[j - 1:j] not in ("^", "_"):
            return j
    return len(text)


def _first_operand(text: str, at: int) -> tuple[int, bool]:
    while at < len(text) and text[at] == " ":
        at += 1
    m = re.match(r"\\frac\s*", text[at:])
    if m:
        first = at + m.end()
        end = _group_end(text, first)
        if end > 0:
            while end < len(text) and text[end] == " ":
                end += 1
            end2 = _group_end(text, end)
            if end2 > 0:
                return end2, True
    end = _group_end(text, at)
    if end > 0:
        return end, True
    return _level_end(text, at), False


def _several_terms(body: str) -> bool:
    """A ``+`` or ``-`` outside brackets after the first character."""
    depth = 0
    for i, ch in enumerate(body):
        depth += (ch in "({[") - (ch in ")}]")
        if depth == 0 and i > 0 and ch in "+-" and body[i - 1] not in "^_{(":
            return True
    return False


def splice_limits(text: str) -> str:
    """``text`` with each limit replaced by its value (innermost and last
    first).  Raises ``ChainError`` with the reason when a limit is not
    computed or its operand is unclear."""
    text = _UNDERSET.sub(lambda m: "\\lim_{" + m.group(1) + "}", text)
    if not _LIM.search(text):
        return text
    text = _increments(text)
    for _ in range(10):
        found = list(_LIM.finditer(text))
        if not found:
            return text
        m = found[-1]
        sub_end = _group_end(text, m.end())
        if sub_end < 0:
            raise ChainError("a limit without its \\to subscript is not read")
        below = text[m.end() + 1:sub_end - 1]
        arrow = _ARROW.search(below)
        if arrow is None:
            raise ChainError(f"a limit written \\lim_{{{below.strip()}}} is not read")
        var, to = below[:arrow.start()].strip(), below[arrow.end():].strip()
        if not re.fullmatch(r"[A-Za-z]", var):
            raise ChainError(f"a limit in {var} (not one letter) is not read")
        if "infty" in to:
            raise ChainError("a limit at infinity is not computed: the step is not checked")
        if re.search(r"\^|[+-]\s*$", to):
            raise ChainError("a one-sided limit is not computed: the step is not checked")
        end, bracketed = _operand(text, sub_end)
        body = text[sub_end:end]
        rest = text[end:_level_end(text, end)]
        if _names(var, rest):
            raise ChainError(f"where the operand of \\lim_{{{var} \\to {to}}} ends is unclear "
                             f"(is '{rest.strip()[:20]}' inside the limit?)")
        if not bracketed and _several_terms(body.strip()):
            raise ChainError(f"the operand of \\lim_{{{var} \\to {to}}} without brackets has "
                             "several terms: where it ends is unclear")
        result = limit(parse_expr(body), var, parse_expr(to))
        if result.value is None:
            raise ChainError(f"the limit of {body.strip()[:40]} as {var} → {to} is not computed "
                             f"({result.reason}): the step is not checked")
        before = text[:m.start()].rstrip()
        glue = " \\cdot " if before and (before[-1].isalnum() or before[-1] in ")}") \
            and not re.search(r"\\(?:cdot|times)$", before) else " "
        text = before + glue + "(" + render(result.value, "latex") + ")" + text[end:]
    raise ChainError("too many limits in one step")


#: How far (characters) an f taken from a difference quotient binds (its own block of
#: steps; see :func:`defined_by_limit`).
REACH = 800
#: ``f'(x)`` alone: the head of a first-principles chain whose f the limit gives
_PRIMED = re.compile(r"^([A-Za-z])\s*'\s*\(\s*([a-z])\s*\)$")
_DQ = re.compile(r"^\\lim\s*_\s*\{\s*([a-z])\s*(?:\\to|\\rightarrow)\s*0\s*\}\s*")


def defined_by_limit(name_read: str, step_read: str, defs: dict, start: int,
                     end: int) -> Definition | None:
    """``f'(x) = \\lim_{h\\to 0}\\frac{5(x+h)^2 - 5x^2}{h}``: the difference
    quotient names its own function (f(x) = 5x², the terms without h,
    negated), when the numerator is exactly f(x+h) - f(x) at several points;
    the chain is then about that function, whether f is defined nowhere
    nearby or defined as another function (a note working x² from first
    principles under the f'(x) of an earlier f(x) = x³ - 2x: newcomer N1;
    checked against the earlier f, its three correct steps were "wrong")."""
    m = _PRIMED.match(name_read.strip())
    lim = _DQ.match(step_read.strip())
    if m is None or lim is None:
        return None
    name, var, h = m.group(1), m.group(2), lim.group(1)
    if h == var:
        return None
    body = step_read.strip()[lim.end():]
    end_at, _ = _operand(body, 0)
    if body[end_at:].strip():
        return None
    try:
        top, bottom = quotient_parts(parse_expr(body.strip().removeprefix("(")
                                                .removesuffix(")")
                                                if body.strip()[:1] == "(" else body))
    except (ChainError, RecursionError):
        return None
    if bottom != sym(h) or top.op != "add" or set(free_symbols(top)) - {var, h}:
        return None
    fixed = [t for t in top.args if h not in free_symbols(t)]
    if not fixed or var not in free_symbols(tuple(fixed)):
        return None
    f = -sum(fixed[1:], fixed[0]) if len(fixed) > 1 else -fixed[0]
    shifted = substitute(f, {sym(var): sym(var) + sym(h)})
    if not _same(top, sub(shifted, f), (var, h)):
        return None
    body = render(f, "latex")
    # the quotient's f binds its own block only, and a later quotient names its own f;
    # where it shadows a definition of the note's, its own chain only (a later claim
    # about the note's f binds to the note's f again)
    shadows = name in defs and defs[name].reach != REACH
    return Definition(name, (var,), body, start, end, body, reach=-1 if shadows else REACH)


def _same(a, b, names) -> bool:
    """``a`` and ``b`` agree at several points (none where they differ)."""
    rng = random.Random(a.digest)
    agree = 0
    for _ in range(12):
        env = {n: rng.uniform(0.2, 2.0) for n in names}
        try:
            va, vb = value_at(a, env), value_at(b, env)
        except (ChainError, ArithmeticError, ValueError):
            continue
        if not (math.isfinite(va) and math.isfinite(vb)):
            continue
        if abs(va - vb) > 1e-9 * max(1.0, abs(va)):
            return False
        agree += 1
    return agree >= 5
