"""Math inside Markdown and LaTeX notes, and the derivative claims in it.

Students and researchers write derivatives in notes before any code
exists; a wrong step there is as costly as a wrong line of code.  The
math is found by :mod:`~chainlens.engine.frontends.note_math` (``find_math``
and ``Math`` are the notes front-end's public names, so they are also named
here); this module recognises the claims people write in it:

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
from dataclasses import dataclass, replace

from chainlens.engine.frontends.latex_decorated import unboxed
from chainlens.engine.frontends.latex_text import normalise
from chainlens.engine.frontends.note_compose import compositions
from chainlens.engine.frontends.note_context import (
    condition,
    equation_context,
    hypothesis,
    line_equation,
    not_asserted,
)
from chainlens.engine.frontends.note_defs import (
    RESTATED,
    Definition,
    Scopes,
    apply_definitions,
    definition_of,
    numbered_answers,
    numbered_group,
    through_definitions,
)
from chainlens.engine.frontends.note_derivs import (
    UNBOUND,
    conflicting,
    derivatives_through,
    equation_names,
    names_written,
    prime_variable,
)
from chainlens.engine.frontends.note_heads import head_of, name_derivative
from chainlens.engine.frontends.note_limits import defined_by_limit, limit_definitions
from chainlens.engine.frontends.note_math import Math, find_math
from chainlens.engine.frontends.note_sigma import sigma_readings
from chainlens.engine.frontends.note_spans import components, raw_body

__all__ = ["Math", "Claim", "Definition", "find_math", "find_claims", "find_definitions",
           "tex_superscripts"]


# ---- claims ---------------------------------------------------------------
#: Where one statement of a fragment ends and the next begins.
#: An arrow starts a new statement (``f(x) = 1/x \\rightarrow \\frac{df}{dx} = -1/x^2``),
#: as does a horizontal space between two (``… = y \\hspace{1in} \\frac{∂f}{∂y} = x``),
#: or a bar with spaces before it (a table of rules written in one display), or a comma
#: before the next name's ``=``, with a space or TeX's control space ``\<newline>`` after
#: it (``g(x) = x^3 + 5x,\`` / ``h(x) = x^{-2}``: two definitions, not g = x^{-2}).
_STATEMENT = re.compile(r";|\\q?quad(?![A-Za-z])|\\text\s*\{\s*(?:or|and|,)\s*\}"
                        r"|,(?:\s|\\(?=\s))+(?=[A-Za-z\\]+[^=]*=)|\\hspace\*?\s*\{[^{}]*\}|\\hskip\s*-?[\d.]+\s*[a-z]{2}"
                        r"|\\(?:[Rr]ightarrow|implies|Longrightarrow|longrightarrow|mapsto)(?![A-Za-z])"
                        r"|(?:\\ \s*){2,}\|")
#: Relations that end a chain of equalities (what follows is not claimed equal).
_STOP = re.compile(r"\\(?:neq?|approx|leq?|geq?|iff|to|sim"
                   r"|equiv|in|quad|text|mbox)(?![A-Za-z])|[<>]|\\qquad")
#: A piecewise body (``cases``, ``array``) right before a definition's body.
_PIECEWISE = re.compile(r"\\begin\s*\{\s*(?:[a-z]*cases|array)\s*\}(?:\s*\{[^{}]*\})?\s*$")
#: A problem's number before a statement: "1.\ ", "(b) ".
_LABEL = re.compile(r"\(?\d{1,2}[.)](?:\s|\\ |~)*|\([a-h]\)\s*")
#: A heading (Markdown ``#``, LaTeX ``\section``): an implicit curve does not bind past it.
_HEADING = re.compile(r"\n#{1,6}\s|\\(?:sub)*section\*?\s*\{|\\chapter\*?\s*\{")
#: A definition this far (in characters) before a claim no longer binds it.
WINDOW = 2500
#: Two definitions of one name this close, none used in between, are a list of problems.
LIST_GAP = 600
@dataclass(frozen=True)
class Claim:
    """``d^order/d<wrt>^order expr = claimed``.  ``expr`` and ``claimed`` are
    the note's words; ``expr_read`` and ``claimed_read`` the texts the engine
    reads (macros expanded, TeX's conventions made explicit, see
    :mod:`chainlens.engine.frontends.latex_text`); offsets point into the note.
    ``wrt`` is None when the note does not
    say (``(…)'``).  ``definition`` names the defined function a claim like
    ``f'(x) = …`` is about.  ``reason`` is set when the claim cannot mean
    one thing (it is then never called wrong)."""

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
    order: int = 1
    reason: str | None = None
    step: int = 1
    #: what the engine reads (``expr``/``claimed`` are the note's own words)
    expr_read: str = ""
    claimed_read: str = ""
    #: a partial derivative: the other variables are held fixed
    partial: bool = False
    #: bodies of the note's other definitions by the same variable: a claim
    #: ``f'(x) = …`` that is f' evaluated at one of them is not called wrong
    inner: tuple[str, ...] = ()
    #: a mixed partial (``f_{xy}``): the variables differentiated by before ``wrt``
    first: tuple[str, ...] = ()
    #: bodies of the other definitions of ``definition`` nearby: the claim is
    #: wrong only if it is wrong for each (see :class:`Definition`)
    alternatives: tuple[str, ...] = ()
    #: another reading of an ambiguous text (``\\sin \\pi/2``: sin(π)/2 or sin(π/2)):
    #: ``(expr_read, claimed_read)``; the verdict stands only when every reading agrees
    readings: tuple[tuple[str, str], ...] = ()
    #: what is ambiguous, when ``readings`` is set
    question: str | None = None
    #: ``f'(1) = 3``: the claim is the derivative's value at this number
    at: str | None = None
    #: the sentence makes such a value a hypothesis or a question ("Suppose f'(3) = 5")
    hypothesis: bool = False
    #: the words around may make ``f'(x) = 0`` an equation or a value at a
    #: point ("where", "at x = 2", "\\Rightarrow", "?", an evaluation bar)
    equation: bool = False
    #: the domain the note states the claim on ("for $x > 0$"): never wrong then
    condition: str | None = None
    #: ``(expr_read, claimed_read, why)``: another convention (``\\log`` as log₁₀);
    #: a claim right under one of them is not called wrong
    rescues: tuple[tuple, ...] = ()  # (…, why, right when it holds?)
    #: written in plain text (no ``$``): a LaTeX fix would not read back there
    plain: bool = False
    #: a looser statement: "words" (an outer chain-rule step in words, which may
    #: include the inner derivative: never wrong), "prose" (a step after prose
    #: that may restate the function: not wrong when it does)
    loose: str | None = None
    #: why the note does not assert the claim (it calls it wrong, asks about it,
    #: or gives it as a premise): never called wrong then
    unasserted: str | None = None
    #: a claim about arbitrary functions (f, g, u', …), read with test functions
    #: (:class:`~chainlens.engine.frontends.note_generic.Generic`)
    generic: object = None
    #: ``expr_read`` is a curve ``F(x, y)`` (``x^2 + y^2 - (25)``) the note gives
    #: implicitly: the claim dy/dx = G(x, y) is checked on the curve, as -F_x/F_y
    implicit: bool = False


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


def find_definitions(fragments: tuple[Math, ...], macros=None) -> dict[str, Definition]:
    """``f(x) = …`` definitions, by function name (the last one wins)."""
    defs: dict[str, Definition] = {}
    for frag in fragments:
        for claim_or_def in _statements(frag, macros or {}, defs):
            if isinstance(claim_or_def, Definition):
                defs[claim_or_def.name] = claim_or_def
    return defs


#: A new task before a fragment: a worked example's own function follows
#: ("Differentiate $x^3$", "Find the derivative of $\\sin x$").
_NEW_TASK = re.compile(r"(?:^|[.!?*]\s+|\n)(?:Differentiate|(?:Find|Compute|What\s+is)\s+the"
                       r"\s+derivative\s+of)\s*[:,]?\s*\$?\s*$")
#: ``f: x \\mapsto x^3``, ``f\\colon x \\mapsto …``: a definition in arrow notation.
_MAPSTO = re.compile(r"^\s*([A-Za-z])\s*(?::|\\colon)\s*(?:[^$]*?\\to\s*\\mathbb\s*\{?\s*R\s*\}?"
                     r"\s*,?\s*)?([a-z])\s*\\mapsto\s*(.+?)\s*$", re.S)
_CALL_MAPSTO = re.compile(r"^\s*([A-Za-z])\s*\(\s*([a-z])\s*\)\s*\\mapsto\s*(.+?)\s*$", re.S)
#: ``g : \\mathbb{R} \\to \\mathbb{R}`` alone: g is redefined (its formula comes in words)
_SIGNATURE = re.compile(r"^\s*([A-Za-z])\s*(?::|\\colon)\s*[^$]*\\to")


def _redefined(note: str, frag: Math) -> list[Definition]:
    """Definitions written without ``=``: ``f: x \\mapsto x^3`` (read), a bare
    signature ``g : ℝ → ℝ`` or "Let $g$ be (denote) …" (the older formula of
    g no longer binds: its claims are "not checked")."""
    text = frag.text
    m = _MAPSTO.match(text) or _CALL_MAPSTO.match(text)
    if m:
        body = m.group(3)
        at = frag.start + m.start(3)
        return [Definition(m.group(1), (m.group(2),), normalise(body), at, at + len(body), body)]
    m = _SIGNATURE.match(text)
    name = m.group(1) if m else None
    if name is None and re.fullmatch(r"\s*[A-Za-z]\s*", text) and \
            re.search(r"\b(?:[Ll]et|[Dd]efine)\s*\$?$", note[max(0, frag.start - 12):frag.start]) \
            and re.match(r"\$?\s*(?:be|denote|stand)\b", note[frag.end:frag.end + 12]):
        name = text.strip()
    if name is None:
        return []
    return [Definition(name, (), "", frag.start, frag.end, text,
                       reason=f"{name} is redefined here in a form not read")]


def _statements(frag: Math, macros, defs, same=None):
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
            yield Claim(claimed=frag.text[cs:ce], claimed_read=read,
                        claimed_start=frag.start + cs,
                        claimed_end=frag.start + ce, lhs_start=frag.start + ls,
                        lhs_end=frag.start + le, step=step, **head)


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


def _twice(item: Definition, others) -> Definition:
    """``item``, the nearest of several definitions of its name, with the
    bodies of the others as alternatives (when one of them cannot be read,
    which one is meant is a guess: the claims about it are "not checked")."""
    if any(not b for b in others):
        return replace(item, reason=f"{item.name} is defined more than once nearby, and "
                       "not every definition is a formula")
    alts = tuple(dict.fromkeys(b for b in (*item.alternatives, *others)
                               if b and b != item.body))
    return replace(item, alternatives=alts) if alts else item


def _numbered_answers(note: str, fragments, macros, same):
    """Answers bound by number to numbered problems (see
    :func:`~chainlens.engine.frontends.note_defs.numbered_answers`)."""
    if "\\item" not in note:
        return []
    defs, groups = [], []
    for frag in fragments:
        here = [d for d in _statements(frag, macros, {}, same) if isinstance(d, Definition)]
        defs += here
        if len({d.name for d in here}) > 1 and numbered_group(note, here):
            groups.append(here)  # "1. f(x) = …  2. g(x) = …  3. f(x) = …"
            continue
        for name in {d.name for d in here}:
            same_name = [d for d in here if d.name == name]
            if numbered_group(note, same_name):
                groups.append(same_name)
    return numbered_answers(note, groups, defs, WINDOW)


def _through(claim: Claim, defs, dependent, same) -> Claim:
    """The claim with the names that depend on its variable replaced by their
    formulas (:func:`~chainlens.engine.frontends.note_defs.through_definitions`),
    and the other definitions of its function that then agree with the one
    it is bound to dropped."""
    keep = (claim.definition,) if claim.definition else ()
    wrt = claim.wrt or _named_variable(claim.expr_read, defs)

    def through(text: str) -> str:
        return through_definitions(text, defs, wrt, dependent, keep, same)

    expr = through(claim.expr_read)
    others = tuple(a for a in (through(a) for a in claim.alternatives)
                   if same is None or not same(a, expr))
    return replace(claim, expr_read=expr, claimed_read=through(claim.claimed_read),
                   alternatives=others)


#: A number as a note gives a constant: ``5``, ``-2.5``, ``\\frac{1}{2}``.
_NUMBER = re.compile(r"-?\s*\d+(?:\.\d+)?|\\frac\s*\{\s*-?\d+\s*\}\s*\{\s*\d+\s*\}")


#: ``Let $\\lambda = 0.5$``: a Greek constant given a number (a Greek name is no
#: definition of a function, see :func:`~chainlens.engine.frontends.note_defs.definition_of`).
_GREEK_VALUE = re.compile(r"(\\(?:alpha|beta|gamma|delta|epsilon|eta|theta|kappa|lambda|mu|nu"
                          r"|rho|sigma|tau|phi|omega))\s*=\s*(-?\d+(?:\.\d+)?)\s*(?=\$|\\\)|,|\.\s)")


def _greek_values(note: str, before: int, wrt: str | None) -> dict[str, str]:
    """The numbers the note gives Greek constants within :data:`WINDOW` before a claim."""
    out: dict[str, str] = {}
    for m in _GREEK_VALUE.finditer(note, max(0, before - WINDOW), before):
        if m.group(1)[1:] != wrt:
            out[m.group(1)] = m.group(2)
    return out


def _named(name: str) -> str:
    """A pattern for a name written in a note: a letter standing alone, or a
    Greek control word (``\\theta`` right after ``\\cos`` is still θ)."""
    if name.startswith("\\"):
        return r"(?<!\\)" + re.escape(name) + r"(?![A-Za-z])"
    return r"(?<![\\A-Za-z])" + re.escape(name) + r"(?![A-Za-z])"


def _along(claim: Claim, visible, dependent, same) -> Claim:
    """``Let $z = x^2 + y^2$. Along the curve $y = x^2$, $\\frac{dz}{dx} = 2x + 4x^3$``:
    a total derivative of an expression in another name the note gives as a
    formula of the variable nearby.  Read with that name independent it would
    be wrong; with the formula substituted it is right: never wrong then."""
    wrt = claim.wrt
    if claim.partial or not wrt:
        return claim
    names = {n for n, d in visible.items() if len(n) == 1 and n != wrt and not d.vars
             and not d.reason and n != claim.definition and re.search(
                 _named(wrt), d.body)
             and re.search(_named(n),
                           claim.expr_read)}
    if not names:
        return claim
    more = set(dependent) | {(n, wrt) for n in names}
    keep = (claim.definition,) if claim.definition else ()
    why = (f"{', '.join(sorted(names))} is given as a function of {wrt} nearby: as a total "
           f"derivative the claim is right")
    rescues = []
    for k in range(1 + max(len(visible[n].alternatives) for n in names)):
        # each formula given nearby (the nearest, then the others)
        here = dict(visible)
        for n in names:
            bodies = (visible[n].body, *visible[n].alternatives)
            here[n] = replace(visible[n], body=bodies[min(k, len(bodies) - 1)], alternatives=())
        texts = [through_definitions(t, here, wrt, more, keep, same)
                 for t in (claim.expr_read, claim.claimed_read)]
        if texts != [claim.expr_read, claim.claimed_read]:
            rescues.append((*texts, why))
    return replace(claim, rescues=claim.rescues + tuple(rescues))


#: the mark of a rescue by another function the note defines nearby (read in claims.py:
#: only a reading that holds rescues, one that cannot be read does not)
OTHER_FUNCTION = "other-function"


def _other_functions(claim: Claim, visible) -> Claim:
    """``f(x) = \\sec x``, ``g(x) = 2^x`` as parts of ``y = 3\\sec(2^x)``, then
    ``f'(x) = 3\\sec(2^x)\\tan(2^x)2^x\\ln 2``: notes reuse a name for the example's
    function.  A claim bound to one definition but right for another function
    the note defines nearby (in the same variable) is never called wrong."""
    if not claim.definition or claim.partial or not claim.wrt:
        return claim
    rescues = tuple(
        (d.body, claim.claimed_read, f"the claim is right for {d.name}, which the note "
         f"defines nearby (it may mean {d.name}')", OTHER_FUNCTION)
        for n, d in visible.items()
        if n != claim.definition and not d.reason and d.body and d.body != claim.expr_read
        and (claim.wrt in d.vars or (not d.vars and re.search(
            _named(claim.wrt), d.body))))
    return replace(claim, rescues=claim.rescues + rescues) if rescues else claim


#: a decorated one-letter name, as the reader spells it (``\\hat y`` is ``y_{hat}``)
_DECORATED = re.compile(r"[A-Za-z]_\{(?:hat|bar|tilde)\}")


def _written(text: str) -> set[str]:
    """The one-letter names a text writes, and its decorated ones (``\\hat y (1 - \\hat y)``
    after ``\\hat y = \\sigma(z)``: the prediction, a formula of z)."""
    return names_written(text) | set(_DECORATED.findall(text))


def _inner_names(claim: Claim, visible) -> frozenset:
    """``y = u^3`` and ``u = 2x + 1`` nearby, then ``\\frac{dy}{dx} = 3u^2 \\cdot 2``:
    the names the claim's expression or claimed side writes that the note gives as
    formulas of the claim's variable (one formula each, perhaps through other such
    names, no cycle), as ``(name, wrt)`` pairs; the claim is then read with them
    substituted on both sides.  Only where no other reading is left: the
    differentiated expression does not contain the variable at all (dy/dx of u^3
    means through u), or the name is in the claimed side only (``\\cos(u) \\cdot 2x``
    for d/dx sin(x^2), with u = x^2 given).  An expression in the variable and such
    a name (z = x^2 + y^2 along y = x^2) stays the older rescue (:func:`_along`)."""
    wrt = claim.wrt
    if not wrt or len(wrt) != 1 or (claim.partial and (claim.first or claim.definition and
                                                       claim.alternatives)):
        return frozenset()
    given = {n: d for n, d in visible.items()
             if (len(n) == 1 or _DECORATED.fullmatch(n)) and n != wrt
             and n != claim.definition and not d.vars
             and not d.reason and not d.alternatives and d.body and "'" not in d.body}
    inner: set[str] = set()
    for _ in range(4):  # a few levels: y = v^2, v = u + 1, u = x^2
        grown = {n for n, d in given.items() if n not in inner and (
            re.search(_named(wrt), d.body) or _written(d.body) & inner)
            and n not in _written(d.body)}
        if not grown:
            break
        inner |= grown
    if not inner:
        return frozenset()
    in_expr = _written(claim.expr_read)
    if wrt not in in_expr:
        used = in_expr & inner
    else:
        used = (_written(claim.claimed_read) - in_expr) & inner
    if not used:
        return frozenset()
    # the formulas the used names go through are substituted as well
    for _ in range(4):
        used |= {n for n in inner if any(n in _written(given[u].body) for u in used)}
    return frozenset((n, wrt) for n in used)


def _with_constants(claim: Claim, visible, dependent, note: str = "") -> Claim:
    """``Let $k = 5$. Then $\\frac{d}{dx} kx^2 = 10x$``: a one-letter name the note
    gives a number nearby is that number on both sides (a claim right for
    every k is right for k = 5, so no correct claim becomes wrong)."""
    found = _greek_values(note, claim.claimed_start, claim.wrt)
    for name, d in visible.items():
        if len(name) == 1 and name not in "de" and not d.vars and not d.reason and \
                not d.alternatives and name != (claim.wrt or "x") and \
                not any(n == name for n, _ in dependent) and _NUMBER.fullmatch(d.body.strip()):
            found[name] = d.body.strip()
    if not found:
        return claim
    pattern = re.compile(r"(?<![\\A-Za-z_])(" + "|".join(re.escape(n) for n in found)
                         + r")(?![A-Za-z_'])(?!\s*\()")  # (\sigma(x) stays the sigmoid)

    def put(text: str) -> str:
        return pattern.sub(lambda m: "(" + found[m.group(1)] + ")", text)

    return replace(claim, expr_read=put(claim.expr_read), claimed_read=put(claim.claimed_read))


_NAME = re.compile(r"\\[A-Za-z]+|[A-Za-z]")


def _named_variable(read: str, defs) -> str | None:
    """The variable of ``(fg)' = …`` when f and g are functions the note
    defines by one variable, the same for each (f(x) = x^2 + 1, g(x) = …);
    None when the expression names anything else."""
    names = {m.group(0) for m in _NAME.finditer(read)} - {"\\frac", "\\cdot", "\\left",
                                                           "\\right", "\\times"}
    found = {defs[n].vars for n in names if n in defs and not defs[n].reason}
    if len(found) != 1 or len(next(iter(found))) != 1 or \
            any(n not in defs for n in names):
        return None
    return next(iter(found))[0]


def find_claims(note: str, fragments: tuple[Math, ...] | None = None,
                macros=None, same=None, dependent=frozenset()) -> tuple[Claim, ...]:
    """Every derivative claim in the note, in order; ``macros`` are the
    note's own (:func:`~chainlens.engine.frontends.latex_macros.collect_macros`).
    ``same(a, b)`` tells whether two definition bodies are one function (two
    different definitions of a name in a row, none used, make a claim about
    the name "not checked").  ``dependent``: ``(y, x)`` pairs, y written as
    a function of x (``dy/dx``); such names defined nearby are replaced by
    their definitions (:func:`~chainlens.engine.frontends.note_defs.through_definitions`).
    A claim binds the nearest preceding definition
    of its name within :data:`WINDOW` characters and inside the definition's
    block (:class:`~chainlens.engine.frontends.note_defs.Scopes`)."""
    fragments = find_math(note) if fragments is None else fragments
    scopes = Scopes(note)
    answers = _numbered_answers(note, fragments, macros or {}, same)
    claims: list[Claim] = []
    defs: dict[str, Definition] = {}
    unused: set[str] = set()
    listed: dict[str, list[str]] = {}  # the bodies of a list of problems, by name
    made: list[Definition] = []  # every definition, in order
    older: dict[str, list[Definition]] = {}  # the definitions a newer one of the name replaced

    def one(a: str, b: str) -> bool:
        return a == b or (same is not None and same(a, b))

    for frag in fragments:
        here: dict[str, list[str]] = {}
        if "=" not in frag.text and _NEW_TASK.search(note, max(0, frag.start - 40), frag.start):
            # "Differentiate $x^3$" (no name given): the older functions are not this one's
            # (a task that names its function, "Differentiate $f(x) = x^3$", defines it; and
            # problem labels keep a problem set's definitions as candidates for its answers)
            defs = {k: d for k, d in defs.items() if d.start >= frag.start}
            older = {}
        for d in _redefined(note, frag):
            defs[d.name] = d
            older.pop(d.name, None)
        visible = {k: d for k, d in defs.items()
                   if 0 <= frag.start - d.end <= (d.reach or WINDOW)
                   and scopes.binds(d.start, frag.start)
                   and not (d.curve and _HEADING.search(note, d.end, frag.start))}
        resumed: set[str] = set()
        for name, d in defs.items():
            if name not in visible and 0 <= frag.start - d.end <= (d.reach or WINDOW) \
                    and not scopes.binds(d.start, frag.start):
                # a definition made inside a block or list item (Solution 1's f(x) = … = 1)
                # binds only there: after it, the one it replaced binds again
                back = _resumed(older.get(name, ()), frag.start, scopes)
                if back is not None:
                    visible[name] = back
                    resumed.add(name)
        visible.update({d.name: d for s, e, d in answers if s <= frag.start < e})
        for item in _statements(frag, macros or {}, visible, same):
            if isinstance(item, Definition):
                if _PIECEWISE.search(note[max(0, item.start - 40):item.start]):
                    # f(x) = \begin{cases} x^2 & x \ge 0 \\ … (red team G8): not one formula
                    item = replace(item, body="", reason=f"{item.name} is defined piecewise "
                                   "here (cases), in a form not read")
                if not item.vars and item.name in visible and item.name not in resumed \
                        and line_equation(note, frag):
                    continue  # "the tangent line is y = 3x - 2": the note's y stays
                if (item.reason or "").endswith(UNBOUND) and not item.curve:
                    defs.pop(item.name, None)
                    visible.pop(item.name, None)
                    older.pop(item.name, None)
                    continue
                here.setdefault(item.name, []).append(item.body)
                old = visible.get(item.name)
                # (a curve x^2 + y^2 = 1 before y = x^2 is no other formula of y)
                general = old is not None and ((old.reason or "").endswith(RESTATED)
                                               or bool(old.curve))
                if old is not None and item.name in unused and not item.reason \
                        and not general and item.start - old.end <= LIST_GAP:
                    bodies = listed.get(item.name) or [old.body]
                    if not any(one(b, item.body) for b in bodies):
                        # "1. f(x) = …  2. f(x) = …" then the answers: which f a
                        # later f' means is a guess (a restatement of one says it).
                        listed[item.name] = bodies + [item.body]
                        item = _twice(item, bodies)
                else:
                    listed.pop(item.name, None)
                if item.name in defs and defs[item.name] is not item:
                    older.setdefault(item.name, []).append(defs[item.name])
                defs[item.name] = visible[item.name] = item
                unused.add(item.name)
                if "_" in item.name and not item.reason and item.vars and \
                        not set(item.name[3:-1]) & set(item.vars) and \
                        not item.name[3:-1].isdigit():
                    # f_c(x) = c + x, then df/dx: f may well be f_c
                    # (f_x(x, y) is ∂f/∂x; x_0 = 2 is a point; f_1, f_2 are parts of
                    # f, as in the product rule's f = f_1 f_2, never f itself)
                    base, old = item.name[0], visible.get(item.name[0])
                    alias = replace(item, name=base)
                    if old is not None and old.body != item.body:
                        alias = _twice(alias, [old.body, *old.alternatives])
                    defs[base] = visible[base] = alias
                    older.pop(base, None)
            else:
                more: frozenset = frozenset()
                if not item.partial:
                    item, more = prime_variable(item, visible)  # (u^2)' after u = e^x
                    more |= _inner_names(item, visible)  # dy/dx after y = u^3, u = 2x + 1
                    item = derivatives_through(item, visible, dependent | more, same)
                else:
                    # ∂L/∂w after L = (a - y)^2/2, a = σ(z), z = wx + b: through the names
                    more = _inner_names(item, visible)
                if (dependent or more) and not item.partial:
                    item = _through(item, visible, dependent | more, same)
                elif more:
                    item = _through(item, visible, more, same)  # only the inner names
                item = sigma_readings(item, note)  # σ a number: σ (x-μ)^2 a product
                item = _with_constants(item, visible, dependent, note)
                item = _along(item, visible, dependent, same)
                item = _other_functions(item, visible)
                claims.append(replace(item, equation=equation_context(note, frag),
                                      hypothesis=bool(item.at) and hypothesis(note, frag),
                                      condition=condition(note, frag, item.claimed_end),
                                      plain=frag.plain,
                                      loose="prose" if any(j <= item.claimed_start for j in
                                                           frag.joins) else None,
                                      unasserted=not_asserted(note, frag)))
                unused.discard(item.definition)
                unused -= names_written(item.claimed + " " + item.expr)  # u' v: u, v used
        for name, bodies in here.items():
            if len(bodies) > 1 and not defs[name].reason:
                defs[name] = _twice(defs[name], bodies)
        made += [d for d in defs.values() if frag.start <= d.start < frag.end]
    return tuple(_defined_after(note, c, made) for c in claims)


#: "… for $f(x) = ": the words that make a later definition the claim's own.
def _resumed(replaced, at: int, scopes: Scopes) -> Definition | None:
    """The newest replaced definition that binds a fragment at ``at`` (within its
    reach and block), if every definition of the name made after it is kept out
    of ``at`` by its block (it was a local one), else None."""
    for d in reversed(replaced):
        if 0 <= at - d.end <= (d.reach or WINDOW) and scopes.binds(d.start, at) \
                and not d.curve:
            return d
    return None


_BOUND_LATER = re.compile(r"\b(?:for|where|if|with|when|whenever|given)\s*(?:\$\$?|\\\(|\\\[)?"
                          r"\s*[^$=\\]{1,30}=\s*$")
#: The end of a sentence between a claim and a definition after it.
_SENTENCE_BREAK = re.compile(r"[.?!](?:\s|$)|\n\s*\n")


def _defined_after(note: str, claim: Claim, made: list[Definition]) -> Claim:
    """``$f'(x) = 2x$ for $f(x) = x^2$``: a definition of the claim's function
    later in the claim's own sentence ("for", "where", "if") is the one it is
    about; the one it was bound to stays a candidate (wrong only if wrong for
    both, and then no fix)."""
    if not claim.definition:
        return claim
    for d in made:
        if d.name != claim.definition or d.start < claim.claimed_end or d.reason \
                or not d.body or d.start - claim.claimed_end > 150:
            continue
        if _SENTENCE_BREAK.search(note, claim.claimed_end, d.start) or \
                not _BOUND_LATER.search(note[claim.claimed_end:d.start]):
            return claim
        if d.body == claim.expr_read:
            return claim
        others = tuple(dict.fromkeys(b for b in (claim.expr_read, *claim.alternatives)
                                     if b and b != d.body))
        return replace(claim, expr_read=d.body, expr=d.text, alternatives=others)
    return claim


def tex_superscripts(math: str) -> str:
    """TeX's one-token superscripts, braced (``x^x(\\ln x + 1)`` is x^{x}·(…))."""
    return re.sub(r"\^([A-Za-z0-9])(?=\s*[(\\])", lambda m: "^{" + m.group(1) + "}", math)
