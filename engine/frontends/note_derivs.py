"""Derivatives of the note's own functions written inside a claimed side.

Worked examples name the parts of a function and then write the rule in
them: "$u = x - 3$, $v = x - 1$, so $f'(x) = uv' + vu' = (x-3) + (x-1)$",
"$x = 10t$, $y = \\sin x$: $\\frac{dy}{dt} = \\frac{dy}{dx}\\frac{dx}{dt} = \\cos(x)
\\cdot 10$", "$\\frac{dy}{dx} = (\\frac{u(x)}{v(x)})' = \\frac{u'v - uv'}{v^2}$".
Each ``u'``, ``u''(x)``, ``f'(g(x))``, ``\\frac{du}{dx}``, ``\\frac{d^2u}{dx^2}`` of
a name the note defines nearby (the same binding the claim's own function
gets: nearest preceding definition, one formula, see
:mod:`~chainlens.engine.frontends.note_defs`) is replaced here by that
derivative, computed by the engine (:func:`~chainlens.engine.symbolic.derivatives.diff_node`),
and ``(E)'`` by ``\\frac{d}{dx}(E)``, which the claim reader differentiates.
What cannot be replaced for certain (a name defined twice, a definition in
other functions, a prime that may be a transpose) is left as written: the
claim then stays "not checked", as before.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

from chainlens.engine.core.nodes import sym
from chainlens.engine.core.source import ChainError
from chainlens.engine.core.walk import free_symbols, substitute
from chainlens.engine.frontends.latex_text import normalise
from chainlens.engine.frontends.note_defs import (
    CONSTANT_LETTERS,
    Definition,
    applied_letters,
    group_end,
    through_definitions,
)
from chainlens.engine.language.reader import parse_expr
from chainlens.engine.printing import render
from chainlens.engine.symbolic.derivatives import diff_node
from chainlens.engine.symbolic.values import value_at

__all__ = ["CURVE_REACH", "UNBOUND", "both_sides", "conflicting", "derivatives_through",
           "equation_names", "names_written", "prime_variable"]

#: ``u'``, ``f''``, ``g'(…)``: a prime on one letter (not on a command or inside a name).
_PRIMED = re.compile(r"(?<![\\A-Za-z_])(?<!_\{)([A-Za-z])\s*('+)")
#: ``\\frac{du}{dx}``, ``\\frac{d^{2}u}{d x^{2}}`` as the reader normalises them.
_LEIBNIZ = re.compile(r"\\frac\{\s*d\s*(?:\^\{?\s*(\d)\s*\}?)?\s*([A-Za-z])\s*\}"
                      r"\{\s*d\s*([A-Za-z])\s*(?:\^\{?\s*(\d)\s*\}?)?\s*\}")
_LETTER = re.compile(r"(?<![\\A-Za-z_])([A-Za-z])(?![A-Za-z])")
#: a bracket's prime then a bracket or a letter (``(y - Xb)'(y - Xb)``): a transpose
_TRANSPOSE = re.compile(r"'\s*[(A-Za-z]")


def names_written(text: str) -> set[str]:
    """The one-letter names a text writes (``u' v + u v'`` writes u and v)."""
    return {m.group(1) for m in _LETTER.finditer(text)}


def _group_start(text: str, close: int) -> int:
    """Start of the ``(`` group whose ``)`` is at ``text[close]``, or -1."""
    depth = 0
    for j in range(close, -1, -1):
        depth += (text[j] in ")]}") - (text[j] in "([{")
        if depth == 0:
            return j if text[j] == "(" else -1
    return -1


class _Derivatives:
    """The derivatives of the visible definitions, by the claim's variable."""

    def __init__(self, visible: dict[str, Definition], wrt: str | None, dependent, same):
        self.visible, self.wrt, self.dependent, self.same = visible, wrt, dependent, same

    def _body(self, d: Definition, var: str) -> str | None:
        """The formula of ``d`` in ``var`` alone (other functions substituted),
        or None when it is not one formula for certain."""
        if d.reason or not d.body or len(d.vars) > 1 or "'" in d.body:
            return None
        body = through_definitions(d.body, self.visible, var, self.dependent, (d.name,),
                                   self.same)
        if d.alternatives:
            # defined twice nearby: only the same function twice (y = \sin^{10} t, then
            # y = x^{10} with x = \sin t) is certain, compared in the claim's variable
            def whole(text: str) -> str:
                return through_definitions(text, self.visible, self.wrt or var,
                                           self.dependent, (d.name,), self.same)
            first = whole(d.body)
            if self.same is None or not all(self.same(first, whole(a)) for a in d.alternatives):
                return None
        if applied_letters(body, (var,)):
            return None
        return body

    def of(self, name: str, var: str | None, order: int, at: str | None,
           prime: bool = False) -> str | None:
        """LaTeX of the ``order``-th derivative of ``name`` by ``var`` (its own
        variable when None), evaluated at the text ``at`` when given."""
        d = self.visible.get(name)
        if d is None:
            return None
        own = d.vars[0] if d.vars else None
        var = var or own or self.wrt
        if var is None or (own is not None and own != var):
            return None
        body = self._body(d, var)
        if body is None:
            return None
        if prime and own is None and any(
                n != var and ((n, var) in self.dependent or n in self.visible)
                for n in names_written(d.body)):
            return None  # y' after y = u^3, u = 2x + 1: dy/du or dy/dx? (a prime says no variable)
        try:
            node = parse_expr(body)
            names = set(free_symbols(node))
            if own is None and var not in names and at is None:
                return None  # u = 3 is a constant here, not a function of var: unsure
            if any((n, var) in self.dependent for n in names - {var}):
                return None  # the formula names another function of var
            for _ in range(order):
                node = diff_node(node, var).result
            if at is not None:
                if (own is None and at.strip() != var) or applied_letters(at, (var,)) or \
                        "'" in at:
                    return None  # f'(g(x)) with g not given: g(x) is no product g·x
                node = substitute(node, {sym(var): parse_expr(at)})
        except (ChainError, ArithmeticError, ValueError, RecursionError):
            return None
        return "(" + render(node, "latex") + ")"


def _glued(before: str, got: str) -> str:
    """``got`` after ``before``: a product sign after a name or a bracket, so that
    ``u v'`` does not become ``u (1)``, an application of u."""
    tail = before.rstrip()
    if tail and (tail[-1].isalnum() or tail[-1] in ")}]") and \
            not re.search(r"\\[A-Za-z]+$", tail):
        return " \\cdot " + got
    return got


def _primes(text: str, derivs: _Derivatives) -> str:
    """``u'``, ``u''(x)``, ``f'(g(x))`` of defined names replaced by their derivatives."""
    out, at = [], 0
    for m in _PRIMED.finditer(text):
        if m.start() < at:
            continue
        order = len(m.group(2))
        end = m.end()
        j = end
        while j < len(text) and text[j] == " ":
            j += 1
        close = group_end(text, j)
        arg = text[j + 1:close - 1] if close > 0 else None
        d = derivs.visible.get(m.group(1))
        if arg is not None and d is not None and not d.vars and arg.strip() != derivs.wrt:
            arg = None  # u'(…) of a name without a variable: a product u'·(…)
        got = derivs.of(m.group(1), None, order, arg, prime=True)
        if got is None:
            continue
        out += [text[at:m.start()], _glued(text[:m.start()], got)]
        at = close if close > 0 and arg is not None else end
    return "".join(out) + text[at:]


def _leibniz(text: str, derivs: _Derivatives) -> str:
    def one(m: re.Match) -> str:
        top, bottom = m.group(1) or "1", m.group(4) or "1"
        if top != bottom or m.group(2) == m.group(3):
            return m.group(0)
        if re.match(r"\s*\(", text[m.end():]):
            return m.group(0)  # \frac{du}{dx}(x): left to the claim reader's checks
        got = derivs.of(m.group(2), m.group(3), int(top), None)
        return _glued(text[:m.start()], got) if got is not None else m.group(0)
    return _LEIBNIZ.sub(one, text)


def _bracket_primes(text: str, wrt: str | None) -> str:
    """``(E)'`` is ``\\frac{d}{dx}(E)`` (E in the claim's variable)."""
    if wrt is None:
        return text
    for _ in range(10):
        m = re.search(r"\)\s*(')(?!')", text)
        if m is None or _TRANSPOSE.match(text, m.start(1)):
            return text
        start = _group_start(text, m.start())
        if start < 0 or (start > 0 and re.match(r"[A-Za-z']", text[start - 1])):
            return text  # f(x)', g'(x)': not a bracket's derivative
        inner = text[start + 1:m.start()]
        if wrt not in names_written(inner) or "'" in inner or applied_letters(inner, (wrt,)):
            return text
        text = text[:start] + "\\frac{d}{d " + wrt + "}(" + inner + ")" + text[m.end():]
    return text


def _own_derivative_elsewhere(text: str, name: str | None, wrt: str | None) -> bool:
    """Does the claimed side of a claim about ``name``' apply ``name``' (the
    derivative being claimed) to something other than the variable, as in
    ``f'(x) = f'(x^2) - f'(1/x)`` for the sum rule (operator notation)?"""
    if not name or len(name) != 1:
        return False
    for m in _PRIMED.finditer(text):
        if m.group(1) != name:
            continue
        j = m.end()
        while j < len(text) and text[j] == " ":
            j += 1
        close = group_end(text, j)
        if close > 0 and text[j + 1:close - 1].strip() != (wrt or ""):
            return True
    return False


#: the derivatives of the reader's own functions, for ``\\sin'(x^2)`` (one argument)
_KNOWN_PRIMES = {"sin": "\\cos(%s)", "cos": "(-\\sin(%s))", "tan": "\\sec^{2}(%s)",
                 "exp": "\\exp(%s)", "ln": "\\frac{1}{%s}", "sinh": "\\cosh(%s)",
                 "cosh": "\\sinh(%s)"}
_KNOWN_PRIMED = re.compile(r"\\(" + "|".join(_KNOWN_PRIMES) + r")\s*'(?!')\s*(?=\()")


def _known_primes(text: str) -> str:
    """``\\sin'(x^2)`` is cos(x^2): the prime of a function the reader knows, applied to
    a bracket (a second prime, or no bracket, is left as written)."""
    for _ in range(10):
        m = _KNOWN_PRIMED.search(text)
        if m is None:
            return text
        close = group_end(text, m.end())
        if close < 0:
            return text
        arg = text[m.end() + 1:close - 1]
        text = text[:m.start()] + "(" + _KNOWN_PRIMES[m.group(1)] % arg + ")" + text[close:]
    return text


def derivatives_through(claim, visible: dict[str, Definition], dependent, same=None):
    """``claim`` with the derivatives of the note's defined functions in its
    claimed side written out (see the module docstring)."""
    text = claim.claimed_read
    if "'" not in text and "\\frac{d" not in text:
        return claim
    known = _known_primes(text)
    if known != text:
        claim, text = replace(claim, claimed_read=known), known
    wrt = claim.wrt
    if wrt is None:
        written = {n for n in names_written(claim.expr_read + " " + text)}
        alone = names_written(claim.expr_read) - {"e"}
        if len(alone) == 1 and written - {"e"} == alone and not (alone & set(visible)):
            # [2x^2]' = 2 \cdot [x^2]': a bracket's prime in the claimed side is by the
            # variable of the head's own prime (the expression's only letter)
            new = _bracket_primes(text, next(iter(alone)))
            return claim if new == text else replace(claim, claimed_read=new)
        # (fg)' = f'g + fg': only when every name written is a function the note gives
        # in one variable, the same for each (the bare f, g are replaced alike then)
        own = {visible[n].vars for n in written if n in visible}
        if len(own) != 1 or len(next(iter(own))) != 1 or \
                any(n not in visible for n in written - set(next(iter(own)))):
            return claim
        wrt = next(iter(own))[0]
    if _own_derivative_elsewhere(text, claim.definition, wrt):
        return replace(claim, reason=f"the claimed side applies {claim.definition}' itself to "
                       "other arguments (the derivative as an operator, f'(x^2) for "
                       "d/dx x^2): not one formula")
    derivs = _Derivatives(visible, wrt, dependent, same)
    new = _bracket_primes(_leibniz(_primes(text, derivs), derivs), wrt)
    return claim if new == text else replace(claim, claimed_read=new)


#: The reason of an equation that ends a name's binding (the name is then unbound, as if
#: never defined: ``y' = \\frac{d}{dx}(E)`` is about E again, x^2 + y^2 = 1 is implicit).
UNBOUND = "is given implicitly by an equation here"
_LONE = re.compile(r"^\s*([A-Za-z])\s*$")
_DERIVATIVE = re.compile(r"'|\\frac\s*\{\s*(?:d|\\partial)|\\partial|\\lim|\\int")


def equation_names(start: int, elements, reads, texts, visible: dict[str, Definition],
                   same=None, variables=frozenset("xt")):
    """Definitions an equation that is no ``name = formula`` makes: ``x^2 + 4x - 2 = u``
    defines u (the name on the right); ``x^2 + y^2 = 1`` after ``y = \\sin x`` gives y
    by an equation (the older formula no longer binds: its claims are "not checked"),
    unless the older formula satisfies it (``y^2 = (3x+1)^2`` after ``y = 3x + 1``) or
    the name stands apart from the variables (``\\ln y = \\ln x + …`` in logarithmic
    differentiation, a tangent line ``y - 1 = 2(x - 1)``).  ``variables``: the letters
    the note differentiates by (``a^y = x`` defines no x)."""
    if len(elements) != 2 or any(_DERIVATIVE.search(r) for r in reads):
        return
    left, right = reads
    lone = _LONE.match(right)
    s, e = elements[0]
    if lone and lone.group(1) not in "deABCK" and lone.group(1) not in names_written(left) \
            and lone.group(1) not in variables \
            and names_written(left) and not applied_letters(left):
        yield Definition(lone.group(1), (), left.strip(), start + s, start + e, texts[0])
        return
    if _LONE.match(left) or "\\circ" in left + right or "," in left:
        return  # h = f \circ g: a name's own statement (see note_defs.definition_of)
    old = visible.get("y")
    others = {k: v for k, v in visible.items() if not (k == "y" and v.curve)}
    curve = _curve(left, right, others)
    if curve is not None:
        yield Definition("y", (), "", start + s, start + e, f"{texts[0]} = {texts[1]}",
                         reason=f"y {UNBOUND}", curve=curve, reach=CURVE_REACH)
        return
    if old is not None and old.curve and "y" in names_written(left + " " + right):
        # another equation in y (one not read as a curve): the older curve no longer binds
        yield Definition("y", (), "", start + s, start + e, texts[0], reason=f"y {UNBOUND}")
        return
    for name, d in list(visible.items()):
        if len(name) == 1 and not d.reason and name in names_written(left + " " + right):
            with_it = [t for t in (left, right) if name in names_written(t)]
            if not d.vars and not any(names_written(t) - {name} - CONSTANT_LETTERS - {"e"}
                                      for t in with_it):
                continue  # \ln(y) = …, y - 1 = 2(x - 1): y stands alone on its side
            sides = [_put_in(t, name, d) for t in (left, right)]
            if None in sides or not _differ(*sides):
                continue  # y^2 = (3x+1)^2 restates y = 3x + 1 (or the equation is not read)
            yield Definition(name, (), "", start + s, start + e, texts[0],
                             reason=f"{name} {UNBOUND}")


#: how far (characters) a curve binds: the derivation right after it, not a later
#: problem whose y the note may give in words
CURVE_REACH = 800


def _curve(left: str, right: str, visible: dict[str, Definition]) -> str | None:
    """``x^2 + y^2 = 25``, ``x^3 + y^3 = 6xy``, ``\\sin(xy) = x``: an equation in x and
    y alone (numbers and the reader's functions besides), y not given by a formula
    nearby, and not linear in y with a constant coefficient (a line ``y - 1 = 2(x - 1)``
    is a tangent line, not the curve of an implicit derivative): the curve as ``L - (R)``,
    or None."""
    if names_written(left + " " + right) != {"x", "y"} or "y" in visible or "x" in visible \
            or applied_letters(left + " " + right, ("x", "y")) or "'" in left + right:
        return None
    text = f"{left} - ({right})"
    try:
        node = parse_expr(text)
        slope = diff_node(node, "y").result
    except (ChainError, ArithmeticError, ValueError, RecursionError):
        return None
    if set(free_symbols(node)) != {"x", "y"} or not free_symbols(slope):
        return None
    return text


#: A claimed side that is one derivative operator and its operand: ``\\frac{d}{dx}[1]``.
_WHOLE_OPERATOR = re.compile(r"^\s*\\frac\{\s*d\s*\}\{\s*d\s*([A-Za-z])\s*\}\s*(.+?)\s*$")
_SPACE = re.compile(r"\s+|\\left|\\right|\\,|\\;|\\!")


def _bare(text: str) -> str:
    text = _SPACE.sub("", text)
    while len(text) > 1 and text[0] in "([{" and group_end("(" + text[1:-1] + ")", 0) == \
            len(text) and text[-1] in ")]}":
        text = text[1:-1]
    return text


def both_sides(claim, math, macros, same) -> str | None:
    """Why ``\\frac{d}{dx}[x^2 + y^2] = \\frac{d}{dx}[1]`` is not an identity to check:
    it differentiates both sides of an equation the note states (``x^2 + y^2 = 1``),
    so it holds on that curve only (implicit differentiation).  Both sides of an
    identity (``\\cosh x = \\frac{e^x + e^{-x}}{2}``) have one derivative: checked."""
    m = _WHOLE_OPERATOR.match(claim.claimed_read)
    if m is None or same(claim.expr_read, m.group(2)):
        return None
    left, right = _bare(claim.expr_read), _bare(m.group(2))
    if left == right:
        return None
    for frag in math:
        if frag.start >= claim.claimed_start:
            break
        text = _bare(normalise(frag.text, macros))
        if f"{left}={right}" in text or f"{right}={left}" in text:
            return ("both sides of an equation the note states are differentiated: it holds "
                    "on that curve only (implicit differentiation)")
    return None


def _differ(a: str, b: str) -> bool:
    """Do two texts certainly differ as functions (both read, unequal at some of a
    few points where both have a value)?  Unreadable: no (the binding stays)."""
    try:
        na, nb = parse_expr(a), parse_expr(b)
    except (ChainError, RecursionError):
        return False
    names = sorted(set(free_symbols(na)) | set(free_symbols(nb)))
    for k in range(6):
        env = {n: 0.37 + 0.29 * k + 0.07 * i for i, n in enumerate(names)}
        try:
            va, vb = value_at(na, env), value_at(nb, env)
        except (ChainError, ArithmeticError, ValueError):
            continue
        if math.isfinite(va) and math.isfinite(vb) and \
                abs(va - vb) > 1e-9 * max(1.0, abs(va), abs(vb)):
            return True
    return False


def _put_in(text: str, name: str, d: Definition) -> str | None:
    """``text`` with ``name`` replaced by its formula: ``y`` by ``(x^2)``, ``f(2)`` by
    ``((2)^2)`` for f(x) = x^2; None when a use of it cannot be replaced."""
    use = re.compile(r"(?<![\\A-Za-z_])" + re.escape(name) + r"(?![A-Za-z'])")
    if not d.vars:
        body = "(" + d.body + ")"
        return use.sub(lambda _m: body, text)
    if len(d.vars) != 1:
        return None
    var = re.compile(r"(?<![\\A-Za-z_])" + re.escape(d.vars[0]) + r"(?![A-Za-z])")
    out, at = [], 0
    for m in use.finditer(text):
        j = m.end() + len(text[m.end():]) - len(text[m.end():].lstrip())
        close = group_end(text, j)
        if close < 0:
            return None  # f alone, or f' (a derivative is no value of f)
        arg = "(" + text[j + 1:close - 1] + ")"
        out += [text[at:m.start()], "(" + var.sub(lambda _m, a=arg: a, d.body) + ")"]
        at = close
    return "".join(out) + text[at:]


def conflicting(made: Definition, visible: dict[str, Definition], same=None):
    """``x = \\tan y`` after ``y = e^x``: a definition of one name in another whose
    formula is in the first makes the older one an equation the new one does not
    satisfy (x = tan(e^x) is no identity): the older binding ends (inverse-function
    derivations: y = arctan x there).  A consistent pair (``x = \\ln y``) keeps it."""
    if made.reason or made.vars or len(made.name) != 1 or same is None:
        return
    for name, d in list(visible.items()):
        if name == made.name or len(name) != 1 or d.reason or d.vars or not d.body or \
                name not in names_written(made.body) or made.name not in names_written(d.body):
            continue
        put = re.compile(r"(?<![\\A-Za-z_])" + name + r"(?![A-Za-z])")
        body = "(" + d.body + ")"
        if _differ(made.name, put.sub(lambda _m, b=body: b, made.body)):
            yield Definition(name, (), "", made.start, made.end, made.text,
                             reason=f"{name} {UNBOUND}")


def prime_variable(claim, visible: dict[str, Definition]):
    """``(u^2)' = 2u^2`` after ``u = e^x``: a prime on an expression in names the note
    gives as formulas of one variable is the derivative by that variable (never by u
    itself, red team G15).  Returns the claim (its variable set) and the ``(name, var)``
    pairs that make those names functions of it."""
    if claim.wrt is not None or claim.definition or claim.partial:
        return claim, frozenset()
    names = names_written(claim.expr_read)
    given = {n: visible[n] for n in names if n in visible}
    if not given or set(names) - set(given) - CONSTANT_LETTERS - {"e"} or \
            any(d.reason or d.vars or not d.body or d.alternatives for d in given.values()):
        return claim, frozenset()
    inner = set().union(*(names_written(d.body) for d in given.values())) - CONSTANT_LETTERS \
        - {"e"}
    if len(inner) != 1 or inner & set(given):
        return claim, frozenset()
    var = next(iter(inner))
    # wrong by x, it may still be the derivative by the name (an outer step, (u^2)' = 2u):
    # the rescue cannot be judged by x, so such a claim is "not checked", never wrong
    why = f"the prime may be the derivative by {', '.join(sorted(given))} itself"
    rescue = (claim.expr_read, claim.claimed_read, why)
    return replace(claim, wrt=var, rescues=claim.rescues + (rescue,)), \
        frozenset((n, var) for n in given)
