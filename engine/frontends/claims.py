"""Verdicts on the derivative claims of a note.

A claim unit of a :class:`~chainlens.engine.frontends.document.Document`
holds the differentiated expression and the claimed derivative, both parsed;
:func:`check_claim` asks the engine's checker
(:func:`chainlens.engine.symbolic.check.check_derivative`) whether they
agree and keeps what an editor or a linter shows: the verdict, the right
derivative in LaTeX and Unicode, a counterexample as plain JSON.  The
language server's diagnostics and ``chainlens health notes.md`` read the
same verdicts.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, replace

from chainlens.engine.core.ir import div, neg, sub
from chainlens.engine.core.nodes import ZERO, sym
from chainlens.engine.core.source import ChainError
from chainlens.engine.core.walk import free_symbols, substitute
from chainlens.engine.frontends.document import Unit
from chainlens.engine.frontends.latex_decorated import redecorate_latex, redecorate_unicode
from chainlens.engine.frontends.latex_text import normalise
from chainlens.engine.frontends.note_generic import generic_verdict
from chainlens.engine.frontends.note_readings import OTHER_FUNCTION
from chainlens.engine.frontends.note_units import read_claimed
from chainlens.engine.health.fixes import Remedy, TextEdit
from chainlens.engine.health.report import Finding
from chainlens.engine.language.reader import parse, parse_expr
from chainlens.engine.printing import render
from chainlens.engine.symbolic.check import check_derivative
from chainlens.engine.symbolic.conditions import conditions_of
from chainlens.engine.symbolic.derivatives import diff_node
from chainlens.engine.symbolic.simplify import simplify
from chainlens.engine.symbolic.values import value_at

#: A claim is wrong only if it differs from the derivative at this many
#: points inside both expressions' domains (one point can be a pole or a
#: rounding accident; several cannot).
CONFIRM_POINTS = 3
#: Points drawn to find them.
DRAWS = 60

__all__ = ["ClaimVerdict", "check_claim", "claim_variable", "claim_finding"]


@dataclass(frozen=True)
class ClaimVerdict:
    """``ok`` is None when the claim could not be checked (``note`` says why)."""

    unit: Unit
    wrt: str | None = None
    ok: bool | None = None
    correct_latex: str | None = None
    correct_unicode: str | None = None
    #: ``{"at": {name: value}, "expected": float, "claimed": float}``
    counterexample: dict | None = None
    note: str = ""

    @property
    def claim(self):
        return self.unit.claim

    def message(self) -> str:
        """One line for a diagnostic or a lint report."""
        c = self.claim
        text = f"wrong derivative: {_operator(c, self.wrt)} of {c.expr} is not {c.claimed}"
        if self.correct_unicode:
            text += f"; it is {self.correct_unicode}"
        counter = self.counterexample
        if self.note:
            text += f" ({self.note})"
        if counter:
            point = ", ".join(f"{redecorate_unicode(k)} = {_num(v)}"
                              for k, v in (counter.get("at") or {}).items())
            text += (f" (counterexample: at {point} the derivative is "
                     f"{_num(counter.get('expected'))}, the claim gives "
                     f"{_num(counter.get('claimed'))})")
        return text

    def to_dict(self) -> dict:
        c = self.claim
        return {"expr": c.expr, "claimed": c.claimed, "wrt": self.wrt, "ok": self.ok,
                "correct_latex": self.correct_latex, "correct_unicode": self.correct_unicode,
                "counterexample": self.counterexample, "note": self.note,
                "span": self.unit.name_span.to_dict() if self.unit.name_span else None}


def claim_variable(unit: Unit, default: str = "x") -> str:
    """The variable a claim differentiates by: the one it names, else the
    expression's only variable, else ``default``."""
    if unit.claim is not None and unit.claim.wrt:
        # d/d\theta: the engine's theta; d/d\hat{y} (read y_{hat}): its y_hat
        return re.sub(r"_\{(\w+)\}", r"_\1", unit.claim.wrt.removeprefix("\\"))
    names = free_symbols(unit.expr)
    return names[0] if len(names) == 1 else default


def _unsure(unit: Unit, wrt: str) -> str | None:
    """Why the claim's text may not say what the checker would read, or None."""
    if wrt not in free_symbols(unit.expr) and unit.claimed is not ZERO:
        return (f"the differentiated expression does not contain {wrt} (does it depend on "
                f"{wrt} through other names?)")
    known = set(free_symbols(unit.expr)) | {wrt}
    extra = sorted(set(free_symbols(unit.claimed)) - known)
    if extra:
        return (f"the claim names {', '.join(extra)}, which the differentiated expression "
                "does not (a function of x, or another notation?)")
    written = getattr(unit.claim, "expr_read", "") + getattr(unit.claim, "claimed_read", "")
    odd = [n for n in known | set(free_symbols(unit.claimed))
           if len(n) > 1 and "_" not in n and n.isalpha()
           and not (n.lower() in _GREEK and "\\" + n in written)]  # \lambda is one symbol
    if odd:
        return f"{odd[0]} is read as one name: a product of letters, or a function?"
    return None


#: Greek letters: in a note's LaTeX ``\\lambda`` is one symbol (a constant).
_GREEK = frozenset({
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
    "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "rho", "varrho", "sigma", "tau",
    "upsilon", "phi", "varphi", "chi", "psi", "omega"})


def _names(letter: str, text: str) -> bool:
    """Does the claimed side's text write the variable (``sin^2 x - sin^2 x``
    is written in x even though it is 0)?"""
    return re.search(rf"(?<![A-Za-z\\]){re.escape(letter)}(?![A-Za-z])", text) is not None


def _confirmed(expr, claimed, derivative, wrt: str) -> int:
    """How many points inside both domains tell the claim from the derivative."""
    names = sorted(set(free_symbols((expr, claimed, derivative))) | {wrt})
    conds = [c for c in conditions_of(expr) + conditions_of(claimed) if c.kind == "domain"]
    rng = random.Random(expr.digest * 7919 + claimed.digest)
    differ = 0
    for _ in range(DRAWS):
        env = {n: round(rng.uniform(-2.5, 2.5), 4) for n in names}
        if any(c.holds(env) is not True for c in conds):
            continue
        try:
            want, got = value_at(derivative, env), value_at(claimed, env)
        except (ChainError, ArithmeticError, ValueError):  # no value there: no evidence
            continue
        if math.isfinite(want) and math.isfinite(got) and \
                abs(want - got) > 1e-6 * max(1.0, abs(want), abs(got)):
            differ += 1
            if differ >= CONFIRM_POINTS:
                break
    return differ


def _positive_only(expr, claimed, derivative, wrt: str) -> str | None:
    """``\\arcsin(x/a)' = 1/\\sqrt{a^2-x^2}``: a table formula whose constants are
    positive by convention is right for a > 0 and wrong only at a negative a
    (red team R18).  "a > 0" (the constants named) when the claim agrees with
    the derivative at every point drawn with its constants positive (and at
    enough of them), else None."""
    constants = sorted(set(free_symbols((expr, claimed, derivative))) - {wrt})
    if not constants:
        return None
    conds = [c for c in conditions_of(expr) + conditions_of(claimed) if c.kind == "domain"]
    rng = random.Random(expr.digest * 104729 + claimed.digest)
    agree = 0
    for _ in range(DRAWS):
        env = {n: round(rng.uniform(0.05, 2.5), 4) for n in constants}
        env[wrt] = round(rng.uniform(-2.5, 2.5), 4)
        if any(c.holds(env) is not True for c in conds):
            continue
        try:
            want, got = value_at(derivative, env), value_at(claimed, env)
        except (ChainError, ArithmeticError, ValueError):
            continue
        if not (math.isfinite(want) and math.isfinite(got)):
            continue
        if abs(want - got) > 1e-6 * max(1.0, abs(want), abs(got)):
            return None
        agree += 1
    return ", ".join(constants) + " > 0" if agree >= 2 * CONFIRM_POINTS else None


_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _operator(claim, wrt) -> str:
    """The claim's derivative as the message names it: ``d/dx`` for a first
    derivative, ``d²/dx²`` for a second, ``∂²/∂y∂x`` for a mixed partial (by x
    first); it said d/dx of every order (red team round 10)."""
    order = max(1, getattr(claim, "order", 1) or 1)
    first = tuple(getattr(claim, "first", ()) or ())
    if order == 1 and not first:
        return f"d/d{wrt}"
    n = str(order).translate(_SUPERSCRIPTS)
    if first:
        return f"∂{n}/∂{wrt}" + "".join(f"∂{v}" for v in reversed(first))
    return f"d{n}/d{wrt}{n}"


def _target(unit: Unit, wrt: str):
    """The expression whose first derivative the claim states (an order-n
    claim is about the (n-1)-th derivative)."""
    node = unit.expr
    first = getattr(unit.claim, "first", ())
    for var in first or [wrt] * (max(1, getattr(unit.claim, "order", 1)) - 1):
        node = diff_node(node, var).result
    return node


def check_claim(unit: Unit, default_variable: str = "x") -> ClaimVerdict:
    """The verdict on one claim unit; engine refusals become a note.  A claim
    is called wrong only when certain (see :func:`_unsure` and
    :data:`CONFIRM_POINTS`); the correction is offered only when it reads
    back, through the note reader, as a claim the checker calls correct.
    A text with two readings (``\\sin \\pi/2``) is judged only when both give
    the same verdict."""
    verdict = _verdict(unit, default_variable)
    claim = unit.claim
    if getattr(claim, "generic", None) is not None:
        verdict = generic_verdict(unit, verdict, lambda u: _verdict(u, default_variable), parse,
                                  read_claimed)
    if verdict.ok is False:
        verdict = _rescued(unit, verdict, default_variable)
    readings = getattr(claim, "readings", ())
    if not readings or verdict.ok is None:
        return verdict
    for expr_text, claimed_text in readings:
        try:
            other = replace(unit, program=parse(expr_text), claimed=read_claimed(claimed_text),
                            claim=replace(claim, readings=()))
            again = _verdict(other, default_variable).ok
        except (ChainError, RecursionError):
            again = None
        if again is not verdict.ok:
            return ClaimVerdict(unit, verdict.wrt, note=f"not checked: {claim.question}; the "
                                "claim holds under one reading only")
    if verdict.ok is False and any(e != claim.expr_read for e, _ in readings):
        # which derivative the note meant depends on the reading: no fix
        return replace(verdict, correct_latex=None, correct_unicode=None)
    return verdict


def _rescued(unit: Unit, verdict: ClaimVerdict, default_variable: str) -> ClaimVerdict:
    """A "wrong" verdict that a convention of the note's own may undo: the
    claim is stated for a restricted domain ("for $x > 0$"), or right under
    another convention (``\\log`` as log₁₀, arcsec's other branch): then
    "not checked" with the reason.  A claim in plain text gets no LaTeX fix."""
    claim = unit.claim
    if "i" in (*free_symbols(unit.expr), *free_symbols(unit.claimed)) and verdict.wrt != "i":
        # e^{ix}, \cos x + i\sin x: i may be the imaginary unit (the checker's names are real)
        return ClaimVerdict(unit, verdict.wrt, note="not checked: i may be the imaginary unit")
    condition = getattr(claim, "condition", None)
    if condition:
        return ClaimVerdict(unit, verdict.wrt, note=f"not checked: the claim is stated "
                            f"{condition} only")
    unasserted = getattr(claim, "unasserted", None)
    if unasserted:
        return ClaimVerdict(unit, verdict.wrt, note=f"not checked: {unasserted}")
    loose = getattr(claim, "loose", None)
    if loose == "words":
        return ClaimVerdict(unit, verdict.wrt, note="not checked: a chain-rule step in words "
                            "may already be multiplied by the inner derivative")
    if loose == "prose" and verdict.wrt not in free_symbols(unit.claimed):
        return ClaimVerdict(unit, verdict.wrt, note="not checked: after the prose above, a "
                            "number may be the derivative's value at a point")
    if loose == "prose" and _confirmed(unit.expr, unit.claimed, unit.expr, verdict.wrt) == 0:
        return ClaimVerdict(unit, verdict.wrt, note="not checked: after the prose above, this "
                            "step restates the function (it is not its derivative)")
    for expr_text, claimed_text, why, *sure in getattr(claim, "rescues", ()):
        try:
            other = replace(unit, program=parse(expr_text), claimed=read_claimed(claimed_text),
                            claim=replace(claim, rescues=(), readings=()))
            again = _verdict(other, default_variable).ok
        except (ChainError, RecursionError):
            again = None
        if sure and sure[0] == OTHER_FUNCTION:
            # right for another function defined nearby: only a reading that holds rescues
            if again is True:
                return ClaimVerdict(unit, verdict.wrt, note=f"not checked: {why}")
            continue
        if again is True and sure and sure[0]:
            # the claim names the convention itself (1/(x ln 10) for \log x)
            return ClaimVerdict(unit, verdict.wrt, ok=True, note=why)
        if again is not False:
            return ClaimVerdict(unit, verdict.wrt, note=f"not checked: {why}")
    if getattr(claim, "plain", False):
        return replace(verdict, correct_latex=None)
    return verdict


def _verdict(unit: Unit, default_variable: str) -> ClaimVerdict:
    wrt = claim_variable(unit, default_variable)
    reason = _unsure(unit, wrt)
    if reason:
        return ClaimVerdict(unit, wrt, note=f"not checked: {reason}")
    if getattr(unit.claim, "at", None):
        return _at_point(unit, wrt)
    if getattr(unit.claim, "implicit", False):
        return _on_curve(unit, wrt)
    try:
        target = _target(unit, wrt)
        verdict = check_derivative(target, unit.claimed, wrt)
    except ChainError as exc:
        return ClaimVerdict(unit, wrt, note=f"not checked: {exc.message}")
    except (ArithmeticError, ValueError, RecursionError) as exc:  # beyond float (inf - inf)
        return ClaimVerdict(unit, wrt, note=f"not checked: {type(exc).__name__}: {exc}")
    if verdict.equal:
        return ClaimVerdict(unit, wrt, ok=True)
    if verdict.difference is ZERO:
        return ClaimVerdict(unit, wrt, note="not checked: the checker disagrees with itself")
    bound = getattr(unit.claim, "definition", None)
    constant = wrt not in free_symbols(unit.claimed)
    if constant and (getattr(unit.claim, "equation", True) and (
            wrt in free_symbols(verdict.derivative) or bound)
            or bound and unit.claimed is ZERO and unit.claim.step == 1
            and wrt in free_symbols(verdict.derivative)
            and not _names(wrt, getattr(unit.claim, "claimed_read", ""))):
        # f'(x) = 0 or dy/dx = 0 (written so, not a later step of a chain)
        # about a defined f whose derivative is not constant: an equation to
        # solve ("combined with dy/dx = 0, ..."), whatever words surround it
        return ClaimVerdict(unit, wrt, note=f"not checked: a constant for d/d{wrt} reads "
                            "as an equation or a value at a point, not an identity")
    other = _other_reading(unit, verdict.derivative, wrt)
    if other:
        return ClaimVerdict(unit, wrt, note=f"not checked: {other}")
    differ = _confirmed(target, unit.claimed, verdict.derivative, wrt)
    if differ < CONFIRM_POINTS:
        return ClaimVerdict(unit, wrt, note=f"not checked: the claim differs from the "
                            f"derivative at {differ} point(s) only")
    positive = _positive_only(target, unit.claimed, verdict.derivative, wrt)
    if positive:
        return ClaimVerdict(unit, wrt, ok=True, note=f"correct for {positive} (as tables "
                            "state it); wrong for negative values")
    alternatives = getattr(unit.claim, "alternatives", ())
    other = _another_definition(unit, wrt, alternatives)
    if other:
        return ClaimVerdict(unit, wrt, note=f"not checked: {other}")
    latex = redecorate_latex(render(verdict.derivative, "latex"))
    # with several definitions nearby the claim is wrong for each, but which
    # derivative the note meant (the fix) is still a guess
    # a limit step (first principles) is not replaced by its value: no fix there
    fix_ok = not alternatives and "\\lim" not in getattr(unit.claim, "claimed_read", "") \
        and _fix_reads_back(target, latex, wrt)
    return ClaimVerdict(unit, wrt, ok=False, counterexample=_counter_dict(verdict),
                        correct_latex=latex if fix_ok else None,
                        correct_unicode=redecorate_unicode(render(verdict.derivative, "unicode")))


def _curve_points(curve, rng: random.Random, want: int = 8) -> list[dict]:
    """Points ``{x, y}`` on the curve ``curve = 0``: at drawn x, each root in y found by
    a sign change on a grid over [-10, 10], refined by bisection."""
    def f(x: float, y: float) -> float:
        try:
            return value_at(curve, {"x": x, "y": y})
        except (ChainError, ArithmeticError, ValueError):  # outside the domain (ln y, y < 0)
            return math.nan

    out: list[dict] = []
    for _ in range(40):
        x = round(rng.uniform(-2.5, 2.5), 4)
        ys = [-10 + 20 * k / 400 for k in range(401)]
        vals = [f(x, y) for y in ys]
        for k in range(len(ys) - 1):
            (a, fa), (b, fb) = (ys[k], vals[k]), (ys[k + 1], vals[k + 1])
            if not (math.isfinite(fa) and math.isfinite(fb)) or fa * fb > 0 or fa == fb:
                continue
            for _ in range(60):
                m = (a + b) / 2
                fm = f(x, m)
                if not math.isfinite(fm):
                    break
                if fa * fm <= 0:
                    b = m
                else:
                    a, fa = m, fm
            else:
                y = (a + b) / 2
                if abs(f(x, y)) < 1e-9 * max(1.0, abs(fa)):
                    out.append({"x": x, "y": y})
        if len(out) >= want:
            break
    return out


def _on_curve(unit: Unit, wrt: str) -> ClaimVerdict:
    """``x^2 + y^2 = 25``, then ``\\frac{dy}{dx} = -\\frac{x}{y}``: implicit
    differentiation.  The claim G(x, y) is compared with -F_x/F_y at points ON the
    curve F = 0 (off it the two need not agree: -x/\\sqrt{25 - x^2} is right on the
    upper half only).  Right at every point found: correct; wrong at every one of at
    least :data:`CONFIRM_POINTS` points: wrong (no fix: which form the note wants is
    its own); anything between (one branch right): not checked."""
    curve, claimed = unit.expr, unit.claimed
    if set(free_symbols(claimed)) - {"x", "y"}:
        return ClaimVerdict(unit, wrt, note="not checked: the claim names other names than "
                            "x and y on the curve")
    if "y" not in free_symbols(claimed):
        # a slope at one point (y' = 2/3 at (0, 1)), or a later problem's y: not the curve's
        return ClaimVerdict(unit, wrt, note="not checked: a claim without y is not read as the "
                            "slope of the curve the note gives (a value at a point, or another "
                            "function?)")
    try:
        fx, fy = diff_node(curve, "x").result, diff_node(curve, "y").result
        from_curve = [fx, fy]
        slope = simplify(neg(div(fx, fy)))
    except (ChainError, ArithmeticError, ValueError, RecursionError) as exc:
        return ClaimVerdict(unit, wrt, note=f"not checked: {getattr(exc, 'message', exc)}")
    rng = random.Random(curve.digest * 7919 + claimed.digest)
    agree = differ = 0
    for env in _curve_points(curve, rng):
        try:
            a, b = (value_at(n, env) for n in from_curve)
            got = value_at(claimed, env)
        except (ChainError, ArithmeticError, ValueError):
            continue
        if not (math.isfinite(a) and math.isfinite(b) and math.isfinite(got)) or \
                abs(b) < 1e-6 * max(1.0, abs(a)):
            continue  # a vertical tangent: no slope there
        want = -a / b
        if abs(want - got) <= 1e-6 * max(1.0, abs(want), abs(got)):
            agree += 1
        else:
            differ += 1
    if agree and not differ:
        return ClaimVerdict(unit, wrt, ok=True, note="checked on the curve the note gives")
    if differ >= CONFIRM_POINTS and not agree:
        return ClaimVerdict(unit, wrt, ok=False, note="on the curve the note gives",
                            correct_unicode=render(slope, "unicode"))
    return ClaimVerdict(unit, wrt, note="not checked: the claim agrees with the curve's slope "
                        "on part of it only (one branch?)" if agree else
                        "not checked: too few points of the curve were found")


def _other_reading(unit: Unit, derivative, wrt: str) -> str | None:
    """A reading of the note under which the claim is right, or None.  Notes
    write ``f'(x) = 2(1-x)`` for f' evaluated at another defined function
    g(x) = 1-x ("substitute g(x) for x in f'(x)"); such a claim is not
    certain to be wrong."""
    claim = unit.claim
    if claim is None or not claim.definition or claim.order != 1:
        return None
    for body in claim.inner:
        try:
            inner = parse_expr(body)
            alt = substitute(derivative, {sym(wrt): inner})
        except (ChainError, ArithmeticError, ValueError, RecursionError):
            continue
        if simplify(sub(alt, unit.claimed)) is ZERO or \
                _confirmed(unit.expr, unit.claimed, alt, wrt) == 0:
            return (f"it is {claim.definition}' evaluated at {body}, another function the "
                    f"note defines, not {claim.definition}'({wrt})")
    return None


def _value(expr, wrt: str, order: int, at: str):
    """The order-th derivative of ``expr`` at the number ``at``, and whether
    it is the limit from both sides (no kink or jump there): ``(node, float)``
    or None."""
    node = expr
    for _ in range(max(1, order)):
        node = diff_node(node, wrt).result
    point = parse_expr(at)
    if free_symbols(point):
        return None
    value = simplify(substitute(node, {sym(wrt): point}))
    if free_symbols(value):
        return None  # f(x) = x^2 + bx: f'(3) = 5 is an equation for b
    x = value_at(point, {})
    here = value_at(value, {})
    sides = [value_at(node, {wrt: x + h}) for h in (-1e-7, 1e-7)]
    if not all(math.isfinite(v) for v in (here, *sides)) or \
            any(abs(v - here) > 1e-4 * max(1.0, abs(here)) for v in sides):
        return None
    return value, here


#: A decimal as a note writes a rounded value: ``0.3333``, ``-1.41``.
_DECIMAL = re.compile(r"-?\s*\d*\.(\d+)")


def _rounded_factors(text: str, number: float, claimed: float) -> bool:
    """Is ``claimed`` (a text with rounded decimals in it, ``54.6 \\times 4``) the
    value ``number`` within the rounding of its decimals?  Each decimal of d digits
    may be off by half a unit of its last digit, a relative error that products and
    quotients add up (sums of rounded terms stay within it for terms of one sign).  A
    lone decimal is judged by its own digits (:func:`_at_point`); no decimal: no."""
    if not re.search(r"\\(?:times|cdot|frac)(?![A-Za-z])|(?<=\S)\s*[*/+-]", text):
        return False
    bound = 0.0
    for m in re.finditer(r"\d*\.(\d+)", text):
        value = abs(float(m.group(0)))
        if value == 0:
            return False
        bound += 0.5 * 10.0 ** -len(m.group(1)) / value
    return 0 < bound < 0.05 and abs(number - claimed) <= bound * max(abs(claimed), 1e-12)


def _at_point(unit: Unit, wrt: str) -> ClaimVerdict:
    """``f'(1) = 3``: the derivative's value at a number, compared exactly
    (and in floating point, for the certainty of a "wrong"); no fix offered."""
    claim = unit.claim
    if getattr(claim, "hypothesis", False):
        return ClaimVerdict(unit, wrt, note="not checked: the sentence makes this value a "
                            "hypothesis or a question, not a fact")
    order = max(1, getattr(claim, "order", 1))
    try:
        got = _value(unit.expr, wrt, order, claim.at)
        claimed = value_at(unit.claimed, {}) if not free_symbols(unit.claimed) else math.nan
    except (ChainError, ArithmeticError, ValueError, RecursionError):
        got, claimed = None, math.nan
    if got is None or not math.isfinite(claimed):
        return ClaimVerdict(unit, wrt, note=f"not checked: the value of the derivative at "
                            f"{wrt} = {claim.at} could not be compared")
    value, number = got
    if simplify(sub(value, unit.claimed)) is ZERO or \
            abs(number - claimed) <= 1e-9 * max(1.0, abs(number)):
        return ClaimVerdict(unit, wrt, ok=True)
    text = getattr(claim, "claimed_read", "").strip()
    digits = _DECIMAL.fullmatch(text)
    if digits and abs(number - claimed) <= 0.5 * 10.0 ** -len(digits.group(1)) * (1 + 1e-9):
        # g'(3) = 0.3333: a value rounded to the digits written is right
        return ClaimVerdict(unit, wrt, ok=True, note="correct to the digits written")
    if _rounded_factors(text, number, claimed):
        # 54.6 \times 4 after e^4 ≈ 54.6: rounded values combined are right to their digits
        return ClaimVerdict(unit, wrt, ok=True, note="correct to the digits written")
    for body in getattr(claim, "alternatives", ()):
        try:
            other = _value(parse(body).expanded(parse(body).outputs[0]), wrt, order, claim.at)
        except (ChainError, ArithmeticError, ValueError, RecursionError):
            other = None
        if other is None or abs(other[1] - claimed) <= 1e-9 * max(1.0, abs(other[1])):
            return ClaimVerdict(unit, wrt, note=f"not checked: {claim.definition} is defined "
                                "more than once nearby, and the claim may be about another")
    return ClaimVerdict(unit, wrt, ok=False, correct_unicode=render(value, "unicode"),
                        counterexample={"at": {wrt: claim.at}, "expected": number,
                                        "claimed": claimed})


def _another_definition(unit: Unit, wrt: str, bodies) -> str | None:
    """Why a claim wrong for the nearest definition of its function may be
    right for another definition of that name nearby, or None when it is
    certainly wrong for each of them."""
    name = getattr(unit.claim, "definition", None) or "the function"
    for body in bodies:
        why = (f"{name} is defined more than once nearby, and the claim may be about "
               f"{name} = {body}")
        try:
            target = _target(replace(unit, program=parse(body)), wrt)
            verdict = check_derivative(target, unit.claimed, wrt)
        except (ChainError, ArithmeticError, ValueError, RecursionError):
            return why
        if verdict.equal or verdict.difference is ZERO or \
                _confirmed(target, unit.claimed, verdict.derivative, wrt) < CONFIRM_POINTS:
            return why
    return None


def _fix_reads_back(target, latex: str, wrt: str) -> bool:
    """Would the replacement, read as the note reader reads it, be correct?"""
    try:
        again = read_claimed(normalise(latex))
        derivative = diff_node(target, wrt).result
    except (ChainError, ArithmeticError, ValueError, RecursionError):
        return False
    if simplify(sub(derivative, again)) is ZERO:
        return True
    return _confirmed(target, again, derivative, wrt) == 0


def claim_finding(verdict: ClaimVerdict) -> Finding | None:
    """A wrong claim as a lint finding (kind ``wrong-derivative``, a warning)
    at the claimed expression, its fix the right derivative in LaTeX: what
    the editor underlines, for the command line's reports."""
    if verdict.ok is not False:
        return None
    span = verdict.unit.name_span
    remedies = ()
    if verdict.correct_latex and span is not None:
        remedies = (Remedy("correct-claim", f"Correct the claim to {verdict.correct_latex}",
                           (TextEdit(span, verdict.correct_latex),)),)
    return Finding("wrong-derivative", "warning", verdict.message(), span,
                   names=(verdict.wrt,) if verdict.wrt else (), remedies=remedies)


def _counter_dict(verdict) -> dict | None:
    if not verdict.counterexample:
        return None
    return {"at": {str(k): _plain(v) for k, v in verdict.counterexample},
            "expected": _plain(verdict.expected), "claimed": _plain(verdict.got)}


def _plain(value):
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def _num(value) -> str:
    return f"{value:.6g}" if isinstance(value, float) else str(value)
