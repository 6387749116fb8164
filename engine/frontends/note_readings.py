"""Readings applied to a claim once found, from the definitions the note gives nearby.

Names the claim's variable goes through (``y = u^3``, ``u = 2x + 1``), constants
given a number (``k = 5``), a total derivative along a curve, and another
function the note defines nearby: each either substitutes text (so the claim is
read as the note means it) or adds a rescue (another reading under which a
claim is never called wrong).  Text in, claim out; no calculus here.
"""

from __future__ import annotations

import re
from dataclasses import replace

from chainlens.engine.frontends.note_claim import WINDOW, Claim
from chainlens.engine.frontends.note_defs import through_definitions
from chainlens.engine.frontends.note_derivs import names_written

__all__ = ["OTHER_FUNCTION", "along", "inner_names", "other_functions", "through_names",
           "with_constants"]

def through_names(claim: Claim, defs, dependent, same) -> Claim:
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


def along(claim: Claim, visible, dependent, same) -> Claim:
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


def other_functions(claim: Claim, visible) -> Claim:
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


def inner_names(claim: Claim, visible) -> frozenset:
    """``y = u^3`` and ``u = 2x + 1`` nearby, then ``\\frac{dy}{dx} = 3u^2 \\cdot 2``:
    the names the claim's expression or claimed side writes that the note gives as
    formulas of the claim's variable (one formula each, perhaps through other such
    names, no cycle), as ``(name, wrt)`` pairs; the claim is then read with them
    substituted on both sides.  Only where no other reading is left: the
    differentiated expression does not contain the variable at all (dy/dx of u^3
    means through u), or the name is in the claimed side only (``\\cos(u) \\cdot 2x``
    for d/dx sin(x^2), with u = x^2 given).  An expression in the variable and such
    a name (z = x^2 + y^2 along y = x^2) stays the older rescue (:func:`along`)."""
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


def with_constants(claim: Claim, visible, dependent, note: str = "") -> Claim:
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
