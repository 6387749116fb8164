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

This module drives the note, fragment by fragment: which definitions bind
where (window, blocks, lists of problems, redefinitions).  Cutting a fragment
into chains and reading each is :mod:`~chainlens.engine.frontends.note_chain`;
the readings added to a claim from the note's other definitions are
:mod:`~chainlens.engine.frontends.note_readings`; the record itself is
:class:`~chainlens.engine.frontends.note_claim.Claim`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from chainlens.engine.frontends.latex_text import normalise
from chainlens.engine.frontends.note_chain import statements
from chainlens.engine.frontends.note_claim import WINDOW, Claim
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
    numbered_answers,
    numbered_group,
)
from chainlens.engine.frontends.note_derivs import (
    UNBOUND,
    derivatives_through,
    names_written,
    prime_variable,
)
from chainlens.engine.frontends.note_math import Math, find_math
from chainlens.engine.frontends.note_readings import (
    OTHER_FUNCTION,
    along,
    inner_names,
    other_functions,
    through_names,
    with_constants,
)
from chainlens.engine.frontends.note_sigma import sigma_readings

__all__ = ["Math", "Claim", "Definition", "OTHER_FUNCTION", "WINDOW", "find_math", "find_claims",
           "find_definitions", "tex_superscripts"]


#: A piecewise body (``cases``, ``array``) right before a definition's body.
_PIECEWISE = re.compile(r"\\begin\s*\{\s*(?:[a-z]*cases|array)\s*\}(?:\s*\{[^{}]*\})?\s*$")
#: A heading (Markdown ``#``, LaTeX ``\section``): an implicit curve does not bind past it.
_HEADING = re.compile(r"\n#{1,6}\s|\\(?:sub)*section\*?\s*\{|\\chapter\*?\s*\{")
#: Two definitions of one name this close, none used in between, are a list of problems.
LIST_GAP = 600


def find_definitions(fragments: tuple[Math, ...], macros=None) -> dict[str, Definition]:
    """``f(x) = …`` definitions, by function name (the last one wins)."""
    defs: dict[str, Definition] = {}
    for frag in fragments:
        for claim_or_def in statements(frag, macros or {}, defs):
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
        here = [d for d in statements(frag, macros, {}, same) if isinstance(d, Definition)]
        defs += here
        if len({d.name for d in here}) > 1 and numbered_group(note, here):
            groups.append(here)  # "1. f(x) = …  2. g(x) = …  3. f(x) = …"
            continue
        for name in {d.name for d in here}:
            same_name = [d for d in here if d.name == name]
            if numbered_group(note, same_name):
                groups.append(same_name)
    return numbered_answers(note, groups, defs, WINDOW)



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
        for item in statements(frag, macros or {}, visible, same):
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
                    more |= inner_names(item, visible)  # dy/dx after y = u^3, u = 2x + 1
                    item = derivatives_through(item, visible, dependent | more, same)
                else:
                    # ∂L/∂w after L = (a - y)^2/2, a = σ(z), z = wx + b: through the names
                    more = inner_names(item, visible)
                if (dependent or more) and not item.partial:
                    item = through_names(item, visible, dependent | more, same)
                elif more:
                    item = through_names(item, visible, more, same)  # only the inner names
                item = sigma_readings(item, note)  # σ a number: σ (x-μ)^2 a product
                item = with_constants(item, visible, dependent, note)
                item = along(item, visible, dependent, same)
                item = other_functions(item, visible)
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
