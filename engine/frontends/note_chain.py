"""The statements of one math fragment and the claims of each chain ``A = B = C``.

A fragment is cut into statements (``;``, ``\\quad``, an arrow, ...), each
statement into the elements of a chain of equalities (up to a relation that is
not '='), and each chain read: the first element that says what is
differentiated is the head, the later elements are claimed sides; a chain with
no head may define a function instead.  Text only (offsets and strings): the
engine parses the pieces later.
"""

from __future__ import annotations

import re
from dataclasses import replace

from chainlens.engine.frontends.latex_decorated import unboxed
from chainlens.engine.frontends.latex_text import normalise
from chainlens.engine.frontends.note_claim import Claim
from chainlens.engine.frontends.note_compose import compositions
from chainlens.engine.frontends.note_defs import Definition, apply_definitions, definition_of
from chainlens.engine.frontends.note_derivs import conflicting, equation_names
from chainlens.engine.frontends.note_heads import head_of, name_derivative
from chainlens.engine.frontends.note_limits import defined_by_limit, limit_definitions
from chainlens.engine.frontends.note_math import Math
from chainlens.engine.frontends.note_spans import components, raw_body

__all__ = ["statements"]

#: Where one statement of a fragment ends and the next begins.
#: An arrow starts a new statement (``f(x) = 1/x \\rightarrow \\frac{df}{dx} = -1/x^2``,
#: also typed ``=>``: ``\\text{By (3)} => \\frac{d}{dz} … = …``),
#: as does a horizontal space between two (``… = y \\hspace{1in} \\frac{∂f}{∂y} = x``),
#: or a bar with spaces before it (a table of rules written in one display), or a comma
#: before the next name's ``=``, with a space or TeX's control space ``\<newline>`` after
#: it (``g(x) = x^3 + 5x,\`` / ``h(x) = x^{-2}``: two definitions, not g = x^{-2}).
_STATEMENT = re.compile(r";|\\q?quad(?![A-Za-z])|\\text\s*\{\s*(?:or|and|,)\s*\}"
                        r"|,(?:\s|\\(?=\s))+(?=[A-Za-z\\]+[^=]*=)|\\hspace\*?\s*\{[^{}]*\}|\\hskip\s*-?[\d.]+\s*[a-z]{2}"
                        r"|\\(?:[Rr]ightarrow|implies|Longrightarrow|longrightarrow|mapsto)(?![A-Za-z])"
                        r"|(?<![<\\])==?>"
                        r"|(?:\\ \s*){2,}\|")
#: Relations that end a chain of equalities (what follows is not claimed equal).
_STOP = re.compile(r"\\(?:neq?|approx|leq?|geq?|iff|to|sim"
                   r"|equiv|in|quad|text|mbox)(?![A-Za-z])|[<>]|\\qquad")
#: A problem's number before a statement: "1.\ ", "(b) ".
_LABEL = re.compile(r"\(?\d{1,2}[.)](?:\s|\\ |~)*|\([a-h]\)\s*")


def _top_level(text: str, pattern: re.Pattern | None = None) -> list[tuple[int, int]]:
    """Matches of ``pattern`` (default: a lone ``=``) outside brackets."""
    out, depth, i = [], 0, 0
    while i < len(text):
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif depth == 0:
            if pattern is None:
                if ch == "=" and (i == 0 or text[i - 1] not in "<>!:\\") and \
                        text[i + 1:i + 2] != "=":
                    out.append((i, i + 1))
            else:
                m = pattern.match(text, i)
                if m and m.end() > i:
                    out.append((m.start(), m.end()))
                    i = m.end()
                    continue
        i += 1
    return out


def _pieces(text: str, cuts: list[tuple[int, int]], start: int = 0,
            end: int | None = None) -> list[tuple[int, int]]:
    end = len(text) if end is None else end
    out, at = [], start
    for s, e in cuts:
        out.append((at, s))
        at = e
    out.append((at, end))
    return [(s, e) for s, e in (_strip(text, s, e) for s, e in out) if s < e]


def _control_space(text: str, start: int, end: int) -> bool:
    """``text[end - 1]`` is the backslash of a control space (``x^2\\ ``)."""
    return text[end - 1] == "\\" and text[end:end + 1] in (" ", "") and \
        (end - 2 < start or text[end - 2] != "\\")


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:"
                           or _control_space(text, start, end)):
        end -= 1
    return start, end


def statements(frag: Math, macros, defs, same=None):
    text = unboxed(frag.text)  # \boxed{A = B}: the box's braces would hide its '='
    for s0, e0 in _pieces(text, _top_level(text, _STATEMENT)):
        stop = _top_level(text[:e0], _STOP)
        stop = [c for c in stop if c[0] >= s0]
        e1 = stop[0][0] if stop else e0
        cuts = [c for c in _top_level(text[:e1]) if c[0] >= s0]
        elements = _pieces(text, cuts, s0, e1)
        if len(elements) < 2:
            continue
        label = _LABEL.match(text, elements[0][0], elements[0][1])
        if label:  # "1.\ f(x) = 4x^2": the problem's number is not math
            elements[0] = (label.end(), elements[0][1])
        reads = [normalise(text[s:e], macros) for s, e in elements]
        yield from _chain(frag, elements, reads, defs, same, macros)


def _chain(frag: Math, elements, reads, defs, same=None, macros=None):
    """The claims of one chain ``A = B = C …``: the first element that says
    what is differentiated is the head, every later element a claimed side.
    A later element that is itself a derivative of a defined function
    (``\\fp(x) = \\fpp(x) = f^{(4)}(x) = 5e^x``) is a head too: each head of
    a run of them claims the sides after the run.  A definition first
    (``v(t) = s'(t) = 3t^2``) does not end the chain."""
    reads = [compositions(r, defs) for r in reads]  # (f \circ g)'(x), f and g defined
    reads = [limit_definitions(apply_definitions(r, defs), defs) if k else r
             for k, r in enumerate(reads)]
    heads: list[tuple[int, dict]] = []
    step = 0
    run_open = False
    for k, read in enumerate(reads):
        lhs = head_of(read, defs) if not heads or name_derivative(read) else None
        if k == 0 and len(reads) > 1:
            # f'(x) = \lim_{h\to 0}\frac{5(x+h)^2 - 5x^2}{h}: the limit says what f is
            s1, e1 = elements[1]
            made = defined_by_limit(read, reads[1], defs, frag.start + s1, frag.start + e1)
            if made is not None:
                if made.reach != -1:  # a quotient shadowing the note's f: this chain only
                    yield made
                lhs = head_of(read, {**defs, made.name: made})
        if heads and lhs is not None and lhs.get("definition") and k < len(reads) - 1:
            if not run_open:
                heads = []
            heads.append((k, _located(frag, elements[k], lhs)))
            run_open = True
            continue
        if not heads:
            if lhs is None:
                if k == 0:
                    d = definition_of(frag.start, elements, reads,
                                      [frag.text[s:e] for s, e in elements], same, defs)
                    if d is not None:
                        yield from conflicting(d, defs, same)
                        yield d
                    else:
                        yield from _tuple_definitions(frag, elements)
                        yield from equation_names(frag.start, elements, reads,
                                                  [frag.text[s:e] for s, e in elements], defs, same)
                continue
            if k < len(reads) - 1:
                heads.append((k, _located(frag, elements[k], lhs)))
                run_open = True
            continue
        run_open = False
        step += 1
        cs, ce = elements[k]
        for h, head in heads:
            ls, le = elements[h]
            if head.get("gradient"):
                yield from _gradient(frag, (ls, le), (cs, ce), head, defs, macros, step)
                continue
            claim = Claim(claimed=frag.text[cs:ce], claimed_read=read,
                          claimed_start=frag.start + cs,
                          claimed_end=frag.start + ce, lhs_start=frag.start + ls,
                          lhs_end=frag.start + le, step=step, **head)
            yield _first_term_reading(claim, frag.text[ls:le], h > 0)


def _first_term_reading(claim: Claim, raw: str, inside: bool) -> Claim:
    """``\\frac{df}{dz} = \\frac{d}{dz}\\ln(1 + e^{-z}) + (1 - y) = …``: an operator
    inside a derivation (``inside``: not the chain's first element), written
    before a sum without brackets, may take the first term only (the step
    differentiates one term and keeps the other); so may one anywhere whose
    brackets close before the sum goes on (``\\frac{d}{dx}(x^2) + x^3``).  The
    claim gets that reading too (d/dz of the first term is the claimed side
    less the other terms); it is judged only when both readings agree."""
    body = raw_body(raw)
    if claim.definition or body is None or raw[body[0] - 1:body[0]] in ("(", "[", "{") \
            and re.match(r"\s*(?:\\right|\\[Bb]igg?r?)?\s*[)\]}]", raw[body[1]:]) \
            or re.search(r"\\d?frac\s*\{\s*(?:d|\\partial)\s*\}", raw[body[0]:]):
        return claim  # one bracketed operand, or a sum of operators (note_heads._summed)
    read, depth = claim.expr_read, 0
    for i, ch in enumerate(read):
        depth += ch in "([{"
        depth -= ch in ")]}"
        before = read[:i].rstrip()
        # a sign that starts the next term (not a leading one, not one after an operator)
        if depth == 0 and ch in "+-" and before and before[-1] not in "+-*/=([{^_," \
                and not re.search(r"\\(?:cdot|times)$", before):
            first, rest = read[:i].strip(), read[i + 1:].strip()
            if not rest or not inside and not _one_group(first):
                return claim
            other = f"{claim.claimed_read} {'-' if ch == '+' else '+'} ({rest})"
            question = "whether the derivative takes the first term only or the whole sum"
            return replace(claim, readings=claim.readings + ((first, other),),
                           question=claim.question or question)
    return claim


def _one_group(text: str) -> bool:
    """``text`` is one bracketed group (``(x^2)``, ``\\left[…\\right]``)."""
    text = re.sub(r"^\\left\s*|\\right\s*(?=[)\]]$)", "", text.strip())
    if not text or text[0] not in "([":
        return False
    depth = 0
    for i, ch in enumerate(text):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if depth == 0:
            return i == len(text) - 1
    return False


_TUPLE = re.compile(r"^\(\s*([A-Za-z](?:\s*,\s*[A-Za-z])+)\s*\)$")


def _tuple_definitions(frag: Math, elements):
    """``(u, v) = (x^2 - y^2, 2xy)``: one definition per name (a name the note
    defined before is redefined here, not left bound to the older formula);
    with no matching tuple on the right, each name is redefined in a form
    not read (its claims are "not checked")."""
    if len(elements) < 2:
        return
    (ls, le), (rs, re_) = elements[0], elements[1]
    m = _TUPLE.match(frag.text[ls:le].strip())
    if not m:
        return
    names = [n.strip() for n in m.group(1).split(",")]
    raw = frag.text[rs:re_]
    entries = components(raw)
    for k, name in enumerate(names):
        if entries is None or len(entries) != len(names) or len(elements) > 2:
            yield Definition(name, (), "", frag.start + rs, frag.start + re_, raw,
                             reason=f"{name} is redefined here in a form not read")
            continue
        s, e = entries[k]
        yield Definition(name, (), normalise(raw[s:e]), frag.start + rs + s,
                         frag.start + rs + e, raw[s:e])


def _gradient(frag: Math, lhs, element, head: dict, defs, macros, step: int):
    """``∇f(x, y) = [a, b]``: a claim ∂f/∂x = a, ∂f/∂y = b (nothing unless
    there is one entry per variable of f)."""
    cs, ce = element
    entries = components(frag.text[cs:ce])
    variables = head["gradient"]
    if entries is None or len(entries) != len(variables):
        return
    fields = {k: v for k, v in head.items() if k not in ("gradient", "wrt")}
    for var, (s, e) in zip(variables, entries, strict=True):
        raw = frag.text[cs + s:cs + e]
        yield Claim(claimed=raw, claimed_read=apply_definitions(normalise(raw, macros or {}), defs),
                    claimed_start=frag.start + cs + s, claimed_end=frag.start + cs + e,
                    lhs_start=frag.start + lhs[0], lhs_end=frag.start + lhs[1], step=step,
                    wrt=var, **fields)


def _located(frag: Math, element: tuple[int, int], lhs: dict) -> dict:
    """``lhs`` with the differentiated expression located in the note's words."""
    ls, le = element
    body = None if lhs.get("definition") else raw_body(frag.text[ls:le])
    if body is not None:
        lhs.update(expr=frag.text[ls + body[0]:ls + body[1]],
                   expr_start=frag.start + ls + body[0], expr_end=frag.start + ls + body[1])
    else:
        lhs.setdefault("expr", lhs["expr_read"])
    return lhs
