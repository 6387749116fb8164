"""Claims about functions the note names but never gives: the rules.

``\\frac{d}{dx}[f(x)g(x)] = f'(x)g(x) + f(x)g'(x)``, ``(u/v)' = (u'v - uv')/v^2``,
``\\frac{d}{dx} e^{u} = e^u u'``, ``h'(x) = f'(g(x))g'(x)`` after ``h(x) = f(g(x))``:
a claim about an *arbitrary* smooth f is a claim for every f.  It is checked by
putting in its place several independent test functions
``a e^{b s} + c \\sin(d s) + e`` (random coefficients; two positive everywhere,
one that changes sign), their derivatives computed by the engine, and
judging each concrete claim as any other:

* correct when every test function makes it correct (an identity for all f
  holds for the note's own f too, whatever it is);
* wrong only when every test function makes it wrong, at several points
  each, and the name is truly arbitrary in the note: defined nowhere in it
  (``f(x) = …``, ``f = …``) and not a dependent variable an equation may tie
  to x (y and z are, in implicit differentiation); otherwise "not checked";
* anything this module cannot read for certain (``f^2(x)``, ``f^{-1}(x)``,
  ``\\frac{dy}{du}`` by another variable, subscripted names) is left as written.

No fix is ever offered for such a claim: the right derivative of the test
function is no text the note could use.
"""

from __future__ import annotations

import random
import re
import zlib
from dataclasses import dataclass, replace

from chainlens.engine.core.nodes import sym
from chainlens.engine.core.source import ChainError
from chainlens.engine.core.walk import substitute
from chainlens.engine.frontends.latex_text import normalise
from chainlens.engine.frontends.note_defs import CONSTANT_LETTERS, RESTATED, group_end
from chainlens.engine.frontends.note_derivs import _glued, _group_start
from chainlens.engine.language.reader import parse_expr
from chainlens.engine.printing import render
from chainlens.engine.symbolic.derivatives import diff_node

__all__ = ["TESTS", "Generic", "generic_claim", "generic_verdict"]

#: Test functions per claim (each a new draw of the coefficients).
TESTS = 3
#: Names that are dependent variables in implicit differentiation: a claim about
#: them may hold on the note's curve only, so it is never called wrong.
IMPLICIT = frozenset("yzY")
_LETTER = re.compile(r"(?<![\\A-Za-z_])([A-Za-z])(?![A-Za-z])")
_PRIMES = re.compile(r"\s*(?:('+)|\^\{\s*\((\d)\)\s*\})")
_LEIBNIZ = re.compile(r"\\frac\{\s*d\s*(?:\^\{?\s*(\d)\s*\}?)?\s*([A-Za-z])\s*\}"
                      r"\{\s*d\s*([A-Za-z])\s*(?:\^\{?\s*(\d)\s*\}?)?\s*\}")
_APPLIED = re.compile(r"(?<![\\A-Za-z_])([A-Za-z])\s*(?:'+|\^\{\s*\(\d\)\s*\})?\s*\(")
_PRIMED = re.compile(r"(?<![\\A-Za-z_])([A-Za-z])\s*(?:'+|\^\{\s*\(\d\)\s*\})")


@dataclass(frozen=True)
class Generic:
    """The arbitrary functions of a claim and its other test readings."""

    names: tuple[str, ...]
    #: ``(expr_read, claimed_read)`` with the other test functions put in
    others: tuple[tuple[str, str], ...]
    #: why a claim wrong for every test function is still not certainly wrong, or None
    unsure: str | None = None


def _draw(rng: random.Random, positive: bool) -> str:
    """A test function of ``s`` in ASCII: a e^{b s} + c sin(d s) + e."""
    a, b = rng.choice((0.3, 0.5, 0.7, 0.9)), rng.choice((-0.6, -0.4, 0.3, 0.5))
    c, d = rng.choice((0.4, 0.6, 0.8)), rng.choice((0.7, 1.1, 1.3, 1.7))
    e = rng.choice((2.1, 2.3, 2.6)) if positive else rng.choice((-0.2, 0.1, 0.3))
    return f"{a}*exp({b}*s) + {c}*sin({d}*s) + {e}"


class _Tests:
    """One test function per name; its derivatives by the engine."""

    def __init__(self, names, seed: int, positive: bool):
        rng = random.Random(seed)
        self.nodes = {n: parse_expr(_draw(rng, positive)) for n in names}

    def at(self, name: str, order: int, arg: str) -> str:
        node = self.nodes[name]
        for _ in range(order):
            node = diff_node(node, "s").result
        node = substitute(node, {sym("s"): parse_expr(arg)})
        return "(" + render(node, "latex") + ")"


def _candidates(texts, wrt: str, dependent) -> set[str] | None:
    """Letters used as functions: primed, in Leibniz notation on top, or written
    as depending on ``wrt`` elsewhere in the note (``u'``, ``du/dx``).  None when a
    letter is applied to a bracket with no such sign (``u(x+1)``: a function, or
    a constant times a bracket?)."""
    strong, applied = set(), set()
    for t in texts:
        applied |= {m.group(1) for m in _APPLIED.finditer(t)}
        strong |= {m.group(1) for m in _PRIMED.finditer(t)}
        strong |= {m.group(2) for m in _LEIBNIZ.finditer(t)}
        strong |= {m.group(1) for m in _LETTER.finditer(t) if (m.group(1), wrt) in dependent}
    strong = {n for n in strong if n != wrt and n not in "edxt"}
    if applied - strong - {wrt, "e"} - set(CONSTANT_LETTERS):
        return None
    return strong


def _put(text: str, tests: _Tests, wrt: str) -> str | None:
    """``text`` with every arbitrary function replaced by its test function,
    or None when a use of one cannot be read for certain."""
    for m in re.finditer(r"\)\s*'*\s*\(\s*" + re.escape(wrt) + r"\s*\)", text):
        start = _group_start(text, m.start())
        if start < 0 or any(n in tests.nodes for n in _LETTER.findall(text[start:m.start()])):
            return None  # (1/g)(a), (f + g)'(x): a bracket applied to the variable
    out, at = [], 0
    for m in _LEIBNIZ.finditer(text):
        top, bottom = m.group(1) or "1", m.group(4) or "1"
        if m.group(2) not in tests.nodes:
            continue
        if top != bottom or m.group(3) != wrt:
            return None  # dg/dh: a derivative by another variable
        arg, end = wrt, m.end()
        k = end + len(text[end:]) - len(text[end:].lstrip())
        if text.startswith("(", k):  # \frac{dg}{dx}(x): evaluated there
            close = group_end(text, k)
            inner = _put(text[k + 1:close - 1], tests, wrt) if close > 0 else None
            if inner is None or not inner.strip():
                return None
            arg, end = inner, close
        try:
            value = tests.at(m.group(2), int(top), arg)
        except (ChainError, ArithmeticError, ValueError, RecursionError):
            return None
        out += [text[at:m.start()], _glued(text[:m.start()], value)]
        at = end
    text = "".join(out) + text[at:]
    out, at = [], 0
    for m in _LETTER.finditer(text):
        name = m.group(1)
        if m.start() < at or name not in tests.nodes:
            continue
        if m.start() > 0 and text[m.start() - 1] in "{_" and text[:m.start()].endswith("_{"):
            return None
        j, order = m.end(), 0
        p = _PRIMES.match(text, j)
        if p:
            order = len(p.group(1)) if p.group(1) else int(p.group(2))
            j = p.end()
        k = j
        while k < len(text) and text[k] == " ":
            k += 1
        if text.startswith("_", m.end()):
            return None  # f_1: another name
        if text.startswith("^", k):
            sup = re.match(r"\^\s*(\{[^{}]*\}|\S)\s*", text[k:])
            if sup is None or sup.group(1).strip("{} ").replace(" ", "") == "-1" or \
                    text[k + sup.end():k + sup.end() + 1] == "(":
                return None  # f^2(x), f^{-1}: a power, an iterate or an inverse
        arg = wrt
        if k < len(text) and text[k] == "(":
            close = group_end(text, k)
            if close < 0:
                return None
            inner = _put(text[k + 1:close - 1], tests, wrt)
            if inner is None or not inner.strip():
                return None
            arg, j = inner, close
        try:
            value = tests.at(name, order, arg)
        except (ChainError, ArithmeticError, ValueError, RecursionError):
            return None
        out += [text[at:m.start()], _glued(text[:m.start()], value)]
        at = j
    return "".join(out) + text[at:]


def _variable(claim, texts, names) -> str | None:
    """The variable: the claim's, else the one argument its functions are applied to."""
    if claim.wrt:
        return claim.wrt
    args = set()
    for t in texts:
        for m in re.finditer(r"(?<![\\A-Za-z_])([A-Za-z])\s*'*\s*\(\s*([A-Za-z])\s*\)", t):
            if m.group(1) in names:
                args.add(m.group(2))
    return next(iter(args)) if len(args) == 1 else ("x" if not args else None)


#: where one side of an equation starts and ends in a note's text
_SIDE_START = r"(?:^|[$&;,={(]|\\\(|\\\[|\\q?quad|\b[Ll]et\b|\bwhere\b|\band\b|\bif\b|\\ )\s*"
_SIDE_END = r"\s*(?:$|[$&;,=})]|\\\\|\\\)|\\\]|\.|\\q?quad|\\ )"
_RELATION = r"(?:=|:=|\\coloneqq|\\equiv|\\mapsto|:|\\colon)"


def _tied(note: str, name: str) -> bool:
    """Is ``name`` (or ``name(x)``, ``name'``) one whole side of an equation anywhere
    in the note (``f(x) = x^2``, ``u = f(x)``, ``let ax = u = f(x)``, a given
    derivative ``g' = 2g``, ``h'(x) = 3``)?  It is then a particular function, or
    tied to another: a claim about it may be right for that one only.
    Over-detecting only makes fewer verdicts."""
    use = re.escape(name) + r"\s*(?:'+|\^\{\s*\(\d\)\s*\})?\s*" \
        r"(?:\(\s*[A-Za-z](?:\s*,\s*[A-Za-z])*\s*\))?"
    return re.search(_SIDE_START + use + r"\s*" + _RELATION, note, re.M) is not None or \
        re.search(r"=\s*" + use + _SIDE_END, note, re.M) is not None


def generic_claim(claim, note: str, dependent, macros=None):
    """``claim`` with its arbitrary functions replaced by the first test
    function (the others in ``claim.generic``), or ``claim`` unchanged."""
    if claim.partial or claim.at or claim.readings or claim.first or claim.order > 3:
        return claim
    restated = claim.reason is not None and claim.reason.endswith(RESTATED)
    if claim.reason is not None and not restated:
        return claim
    expr = claim.expr_read
    if restated:
        expr = normalise(claim.expr, macros or {})
        if not expr.strip():
            return claim
    texts = (expr, claim.claimed_read)
    names = _candidates(texts, claim.wrt or "x", dependent)
    if not names or claim.definition in names or \
            _candidates(texts[:1], claim.wrt or "x", dependent) != \
            _candidates(texts[1:], claim.wrt or "x", dependent):
        return claim  # a rule names the same functions on both sides (else one was given)
    wrt = _variable(claim, texts, names)
    if wrt is None or wrt in names:
        return claim
    seed = zlib.crc32((expr + "|" + claim.claimed_read).encode())
    readings = []
    for k in range(TESTS):
        tests = _Tests(sorted(names), seed + k, positive=k < TESTS - 1)
        got = [_put(t, tests, wrt) for t in texts]
        if None in got or any("'" in g or _APPLIED.search(g) and any(
                n in names for n in re.findall(r"([A-Za-z])\s*\(", g)) for g in got):
            return claim
        readings.append(tuple(got))
    unsure = None
    if names & IMPLICIT:
        unsure = (f"{', '.join(sorted(names & IMPLICIT))} may be tied to {wrt} by an equation "
                  "of the note (implicit differentiation)")
    elif any(_tied(note, n) for n in names):
        unsure = (f"the note gives {', '.join(sorted(n for n in names if _tied(note, n)))} "
                  "by an equation elsewhere: the claim may be about that function")
    elif not (_PRIMED.search(claim.claimed_read) or _LEIBNIZ.search(claim.claimed_read)):
        # dy/dx = 5u^4 after y = u^5: a chain step by u (dy/du) written loosely, or a slip
        unsure = (f"the claimed side has no derivative of {', '.join(sorted(names))}: it may "
                  "be the derivative by the inner function")
    (e0, c0), others = readings[0], tuple(readings[1:])
    return replace(claim, expr_read=e0, claimed_read=c0, wrt=wrt, reason=None,
                   generic=Generic(tuple(sorted(names)), others, unsure))


def generic_verdict(unit, verdict, judge, parse, read_claimed):
    """The verdict on a claim about arbitrary functions: ``verdict`` is the first
    test function's, ``judge(unit)`` judges another reading (see the module docstring)."""
    generic = unit.claim.generic
    names = ", ".join(generic.names)
    if verdict.ok is None:
        return verdict
    oks = [verdict.ok]
    for expr_text, claimed_text in generic.others:
        try:
            other = replace(unit, program=parse(expr_text), claimed=read_claimed(claimed_text))
            oks.append(judge(other).ok)
        except (ChainError, RecursionError):
            oks.append(None)
    cls = type(verdict)
    if all(ok is True for ok in oks):
        return cls(unit, verdict.wrt, ok=True,
                   note=f"correct for any smooth {names} ({len(oks)} test functions)")
    if all(ok is False for ok in oks) and generic.unsure is None:
        return cls(unit, verdict.wrt, ok=False,
                   note=f"wrong for arbitrary {names}: every test function disagrees")
    why = generic.unsure if all(ok is False for ok in oks) else \
        "the claim holds for some test functions only"
    return cls(unit, verdict.wrt, note=f"not checked: a claim about arbitrary {names}: {why}")
