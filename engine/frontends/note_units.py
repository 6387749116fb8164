"""The claims of a note as units: what :func:`read_document` builds for
Markdown, LaTeX and the Markdown cells of a notebook.

Each claim found by :mod:`chainlens.engine.frontends.notes` is parsed here,
after the checks that keep a verdict honest: a claim whose text does not
mean one thing (a function the note never defines, a bracket-less argument
that could end in two places, a derivative inside the claim that is not
bound to a bracketed group) is kept as ``Skipped`` with the reason
"not checked: …", which the editor shows in the hover, and is never judged.
Nested derivative operators in a claimed side (``3\\frac{d}{dx}(x^2)`` in
an aligned chain) are derivatives: the engine differentiates them before
the claim is compared.
"""

from __future__ import annotations

import math as _math
import re
from dataclasses import replace

from chainlens.engine.core.source import ChainError, Span
from chainlens.engine.core.walk import free_symbols
from chainlens.engine.frontends import notes
from chainlens.engine.frontends.latex_macros import collect_macros
from chainlens.engine.frontends.latex_text import ambiguity, normalise, two_readings
from chainlens.engine.frontends.note_defs import CONSTANT_LETTERS, applied_letters, group_end
from chainlens.engine.frontends.note_derivs import both_sides
from chainlens.engine.frontends.note_generic import generic_claim
from chainlens.engine.frontends.note_limits import splice_limits
from chainlens.engine.frontends.note_operands import operand_readings
from chainlens.engine.frontends.note_signs import signed_readings
from chainlens.engine.frontends.note_tables import array_claims
from chainlens.engine.frontends.notes_plain import plain_math, table_claims, worded_claims
from chainlens.engine.frontends.python_source import Skipped
from chainlens.engine.language.reader import parse, parse_expr
from chainlens.engine.printing import render
from chainlens.engine.symbolic.derivatives import diff_node
from chainlens.engine.symbolic.values import value_at

__all__ = ["read_note_claims", "read_claimed"]

_APPLY = re.compile(r"(?<![\\A-Za-z_])(?<!_\{)([A-Za-z])\s*('*)\s*\(")
_LEFTOVER = re.compile(r"\\frac\{\s*(d|\\partial)(?![A-Za-z])|\\partial|\\nabla")
#: Leibniz notation left in a text to be read as an expression (``\frac{dy}{dx}``,
#: ``\frac{d^2y}{dx^2}``, ``\frac{\partial f}{\partial x}``): read as a fraction it
#: would be d·y/(d·x), i.e. y/x.
_LEIBNIZ_LEFT = re.compile(r"\\frac\s*\{\s*(?:d|\\partial)(?![A-Za-z]{2})"
                           r"[^{}]*(?:\{[^{}]*\}[^{}]*)*\}"
                           r"\s*\{\s*(?:d|\\partial)(?![A-Za-z]{2})")
_DEPENDENT = re.compile(r"\\frac\{\s*(?:d|\\partial)\s*(?:\^\{?\d\}?)?\s*([A-Za-z])\s*\}"
                        r"\{\s*(?:d|\\partial)\s*([A-Za-z])|(?<![\\A-Za-z])([A-Za-z])\s*'+\s*(?:\(\s*([A-Za-z])\s*\))?"
                        r"|\\d?dot\s*\{?\s*([A-Za-z])")
#: (the variable may be subscripted, ``\\frac{d}{dz_{i}}``: the reader's name is ``z_i``)
_NESTED = re.compile(r"\\frac\{\s*(d|\\partial)\s*\}\{\s*(?:d|\\partial)\s*"
                     r"([A-Za-z](?:_\{[A-Za-z0-9]{1,3}\}|_[A-Za-z0-9])?)\s*\}")
#: ``\frac{d}{dx}(…)`` opening a differentiated expression by the claim's variable
_OUTER = re.compile(r"^\\frac\{\s*d\s*\}\{\s*d\s*([A-Za-z])\s*\}\s*(?=[({])")


def _differentiated_twice(claim):
    """``\\frac{d}{dx}(\\frac{d}{dx}(3x^2+5x^3)) = 6+30x``: a note differentiating
    twice writes the operator again around a bracketed derivative; the claim's
    differentiated expression (the outer operator's operand) is then itself
    ``d/dx(E)``, and the claim is about the second derivative of E (only when
    both operators are by the claim's variable and the bracket holds the whole
    operand)."""
    read = claim.expr_read.strip()
    m = _OUTER.match(read)
    if claim.partial or not claim.wrt or not m or m.group(1) != claim.wrt \
            or group_end(read, m.end(), "({") != len(read):
        return claim
    body = read[m.end() + 1:-1].strip()
    if not body or _NESTED.search(body) or _LEIBNIZ_LEFT.search(body) or _SLASHED.search(body):
        return claim
    return replace(claim, expr_read=body, order=claim.order + 1)


#: a slashed Leibniz derivative of a one-letter name (``df/dx``, ``d f/d x``) in the
#: differentiated expression: g(x) = df/dx bound as g's formula is no formula
_SLASHED = re.compile(r"(?<![A-Za-z\\])d\s*[A-Za-z]\s*/\s*d\s*[A-Za-z](?![A-Za-z])")


def _generic(text: str, known: set[str], wrt: str | None, plain=()) -> str | None:
    """A letter applied to brackets is a function unless it is a symbol of
    the expression that reads as a constant factor (``a(x+1)``) or the
    variable (``x(x+1)``); ``f(x+1)``, ``u(t)``, ``y(x)`` are functions, and
    one the note does not define cannot be checked (reading it as a product
    would call a correct claim wrong)."""
    maybe = set(applied_letters(text, ((wrt,) if wrt else ()) + tuple(plain)))
    for m in _APPLY.finditer(text):
        letter, primes = m.group(1), m.group(2)
        # in braces (e^{g(x)}, \frac{f(x)}{2}) as anywhere else: not a constant factor
        braced = text[:m.start()].endswith("{") and letter not in CONSTANT_LETTERS
        if letter == "e" and not primes and _euler_factor(text, m.end() - 1):
            continue  # e(x^3 - x + 1)^{e - 1}: Euler's number times a bracket
        if primes or (letter not in known and letter != "e") or letter in maybe or \
                (braced and letter != wrt and letter != "e"):
            return f"{letter}{primes}(…) is a function the note does not define"
    sub = _SUBSCRIPTED_CALL.search(text)
    if sub:  # f_{1}(x) of a function the note does not define: never f_1·x (coordinator C2)
        return f"{sub.group(1)}(…) is a function the note does not define"
    if "'" in text:
        return "the claim uses a derivative the note does not define"
    return None


#: ``f_{1}(x)``: a subscripted name applied to one letter (a function, never f_1·x)
_SUBSCRIPTED_CALL = re.compile(r"(?<![\\A-Za-z])([A-Za-z]_\{[A-Za-z0-9]{1,3}\})\s*'*\s*"
                               r"\(\s*[A-Za-z]\s*\)")


def _euler_factor(text: str, i: int) -> bool:
    """Is ``e(…)`` at ``text[i]`` Euler's number times a bracket: the bracket holds more
    than one letter (``e(t)`` may be an error signal) and the text also writes e as a
    number (``e^{…}``, ``^{e - 1}``, ``\\ln e``)?"""
    end = _group_at(text, i)
    inner = text[i + 1:end - 1] if end > 0 else ""
    if not re.search(r"[-+^]", inner):
        return False
    rest = text[:i - 1] + " " + text[end:]
    return re.search(r"(?<![\\A-Za-z])e\s*\^|\^\s*\{?\s*e(?![A-Za-z])|\\ln\s*e(?![A-Za-z])",
                     rest) is not None


def _group_at(text: str, i: int) -> int:
    """End of the bracketed group starting at ``text[i]``, or -1."""
    pairs = {"(": ")", "{": "}"}
    if i >= len(text) or text[i] not in pairs:
        return -1
    depth = 0
    for j in range(i, len(text)):
        if text[j] in "({":
            depth += 1
        elif text[j] in ")}":
            depth -= 1
            if depth == 0:
                return j + 1
    return -1


_OPERAND_STOP = re.compile(r"[+\-=,;&]|\\(?:cdot|times|quad|qquad|right|pm|mp)(?![A-Za-z])"
                           r"|\\frac\{\s*(?:d|\\partial)\s*\}")


def _operand_end(text: str, start: int) -> int:
    """Where the operand of ``\\frac{d}{dx}`` written without brackets ends:
    at the next ``+``, ``-``, ``=``, ``\\cdot`` or derivative outside brackets,
    or at the bracket that closes around it."""
    depth, i = 0, start
    while i < len(text):
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                return i
            depth -= 1
        elif depth == 0 and i > start and _OPERAND_STOP.match(text, i):
            return i
        i += 1
    return len(text)


def _one_factor(operand: str):
    """The operand of a bracket-less ``\\frac{d}{dx}``, when it is one factor
    (``x^2``, ``\\cos t``, ``e^{-x^2}``, ``3x^2``): in ``\\frac{d}{dx} x\\sin x``
    whether the derivative takes both factors is a guess."""
    if not operand.strip():
        raise ChainError("a derivative inside the claim is applied to nothing")
    node = parse_expr(operand)
    if node.op == "mul" and sum(bool(free_symbols(a)) for a in node.args) > 1:
        raise ChainError("a derivative inside the claim is applied, without brackets, to a "
                         "product: whether it takes every factor is a guess")
    return node


_LEIBNIZ_TOP = re.compile(r"\\frac\{\s*d(?=[\s(])")


def _expressions_on_top(text: str) -> str:
    """``\\frac{dx^3}{dx}``: Leibniz notation with an expression in the variable
    on top is its derivative (``\\frac{dy}{dx}`` of a name is left alone)."""
    for m in list(_LEIBNIZ_TOP.finditer(text))[::-1]:
        top_end = _group_at(text, m.start() + 5)
        bottom = re.match(r"\{\s*d\s*([A-Za-z])\s*\}", text[top_end:]) if top_end > 0 else None
        if bottom is None:
            continue
        try:
            inner = parse_expr(text[m.end():top_end - 1])
        except ChainError:
            continue
        if list(free_symbols(inner)) != [bottom.group(1)] or \
                text[m.end():top_end - 1].strip() == bottom.group(1):
            continue
        d = diff_node(inner, bottom.group(1)).result
        text = text[:m.start()] + "(" + render(d, "latex") + ")" + text[top_end + bottom.end():]
    return text


def read_claimed(text: str):
    """Parse a claimed side, differentiating the derivative operators inside
    it first, and each limit replaced by its value (when it is computed for
    certain: :mod:`~chainlens.engine.frontends.note_limits`).  Raises
    ``ChainError`` (with the reason) when it cannot."""
    text = _expressions_on_top(splice_limits(text))
    for _ in range(20):
        # innermost first: in \frac{d}{dx}\frac{d}{dx} u the operand of the
        # first operator is the second's result
        found = list(_NESTED.finditer(text))
        if not found:
            break
        m = found[-1]
        j = m.end()
        while j < len(text) and text[j] == " ":
            j += 1
        if text[j:j + 1] in ("", ")", "}", "]", "=") or text.startswith("\\right", j):
            # (\frac{d}{dx})^3 u(x): an operator written as a power of itself
            raise ChainError("a derivative inside the claim is applied to nothing")
        end = _group_at(text, j)
        if end > 0 and text[end:].lstrip()[:1] not in ("^", "_", "'"):
            inner = parse_expr(text[j + 1:end - 1])
        else:
            end = _operand_end(text, j)
            inner = _one_factor(text[j:end])
            if re.match(r"\s*\\(?:cdot|times)(?![A-Za-z])", text[end:]):
                raise ChainError("a derivative inside the claim is applied, without brackets, "
                                 "to a factor before a product sign: whether it takes the "
                                 "product is a guess")
        names = free_symbols(inner)
        var = re.sub(r"_\{(\w+)\}", r"_\1", m.group(2))
        if names and var not in names:
            # d/dx (f_x): a name that stands for a function of x, read as a constant
            raise ChainError(f"a derivative inside the claim is of {', '.join(names)}, which "
                             f"does not contain {var}: a function written as a name?")
        d = diff_node(inner, var).result
        before = text[:m.start()].rstrip()
        # a product with what stands before, unless an operator (\cdot) already says so
        glue = " \\cdot " if before and (before[-1].isalnum() or before[-1] in ")}") \
            and not re.search(r"\\(?:cdot|times)$", before) \
            and not (len(found) > 1 and found[-2].end() == len(before)) else ""
        text = before + glue + "(" + render(d, "latex") + ")" + text[end:]
    if _LEFTOVER.search(text) or _LEIBNIZ_LEFT.search(text):
        raise ChainError("the claim has a derivative (dy/dx, ∂f/∂x) of a function the note "
                         "does not define")
    return parse_expr(text)


def _same_function(a: str, b: str) -> bool:
    """Do two definition bodies agree (at a few points)?  Unreadable: no."""
    try:
        na, nb = parse_expr(a), parse_expr(b)
    except (ChainError, RecursionError):
        return False
    names = sorted(set(free_symbols(na)) | set(free_symbols(nb)))
    agree = 0
    for k in range(5):
        env = {n: 0.37 + 0.29 * k + 0.07 * i for i, n in enumerate(names)}
        va, vb = value_at(na, env), value_at(nb, env)
        if not (_math.isfinite(va) and _math.isfinite(vb)):
            continue
        if abs(va - vb) > 1e-9 * max(1.0, abs(va)):
            return False
        agree += 1
    return agree > 0


def dependent_names(math, macros) -> set[tuple[str, str]]:
    """``(y, x)`` for every ``dy/dx``, ``y'`` (by x), ``\\dot y`` (by t) the
    note writes: y is then a function of x there, not a constant."""
    out = set()
    for frag in math:
        for m in _DEPENDENT.finditer(normalise(frag.text, macros)):
            if m.group(1):
                out.add((m.group(1), m.group(2)))
            elif m.group(3):
                out.add((m.group(3), m.group(4) or "x"))
            elif m.group(5):
                out.add((m.group(5), "t"))
    # x'(t) with x a position, then f'(x): x is the variable there, not a function of itself
    return {(name, var) for name, var in out if name != var}


#: ``\log`` without a base (``\log_a`` has one).
_BARE_LOG = re.compile(r"\\log(?![A-Za-z])(?!\s*_)")
#: arcsec and arccsc, whose range (so the sign of the derivative for x < -1)
#: textbooks choose differently.
_ARCSEC = re.compile(r"\\(?:arc(sec|csc)(?![A-Za-z])|(sec|csc)\s*\^\s*\{\s*-\s*1\s*\}"
                     r"|operatorname\s*\{\s*a(?:rc)?(sec|csc)\s*\})")
#: the branch of Stewart and many US texts: d/dx arcsec x = 1/(x √(x² − 1))
_BRANCH = {"sec": "\\arctan\\left(\\sqrt{(%s)^{2} - 1}\\right)",
           "csc": "\\arctan\\left(\\frac{1}{\\sqrt{(%s)^{2} - 1}}\\right)"}
_OPEN = {"(": ")", "{": "}"}


def _argument(text: str, at: int) -> tuple[str, int] | None:
    """The argument of a function name ending at ``at``: a bracket, or one
    token (a letter, a number, a control word); None if unclear."""
    while at < len(text) and text[at] == " ":
        at += 1
    if text.startswith("\\left(", at):
        at += 5
    if at < len(text) and text[at] in _OPEN:
        depth, close = 0, _OPEN[text[at]]
        for k in range(at, len(text)):
            depth += (text[k] == text[at]) - (text[k] == close)
            if depth == 0:
                end = k + 1
                if text.startswith("\\right", k - 6):
                    inner = text[at + 1:k - 6]
                else:
                    inner = text[at + 1:k]
                return inner, end
        return None
    m = re.compile(r"\d+(?:\.\d+)?|[A-Za-z]|\\[A-Za-z]+").match(text, at)
    return (m.group(0), m.end()) if m else None


def _other_branch(text: str) -> str | None:
    """``text`` with arcsec/arccsc on Stewart's branch, or None if unclear."""
    out, at = [], 0
    for m in _ARCSEC.finditer(text):
        if m.start() < at:
            return None
        arg = _argument(text, m.end())
        if arg is None:
            return None
        kind = m.group(1) or m.group(2) or m.group(3)
        out += [text[at:m.start()], _BRANCH[kind] % arg[0]]
        at = arg[1]
    return "".join(out) + text[at:]


#: ``\\sin x^{-1}``, ``\\ln x^2``: TeX's reading is sin(x⁻¹); writers also mean (sin x)⁻¹.
_BARE_POWER = re.compile(r"\\(sin|cos|tan|sec|csc|cot|sinh|cosh|tanh|ln|log)\s+([A-Za-z])\s*\^"
                         r"\s*(\{[^{}]*\}|\d)")


def _rescues(claim) -> tuple[tuple, ...]:
    """The readings under which a claim the checker finds wrong is right by
    another convention (see :func:`~chainlens.engine.frontends.claims.check_claim`):
    ``\\log`` is ln in mathematics, log₁₀ in engineering and chemistry notes,
    log₂ in computer science (``\\frac{d}{dx}\\log x = \\frac{1}{x \\ln 10}``);
    arcsec and arccsc have two common ranges.  A claim right for log₁₀ that
    writes ln 10 itself (``\\frac{1}{x \\ln 10}``) is correct: it says its base."""
    texts = (claim.expr_read, claim.claimed_read)
    out = []
    if any(_BARE_LOG.search(t) for t in texts):
        for base in ("10", "2"):
            named = re.search(r"\\ln\s*\(?\s*" + base + r"(?!\d)", claim.claimed_read)
            sub = "₁₀" if base == "10" else "₂"
            why = (f"correct for \\log = log{sub} (the claim writes ln {base})" if named else
                   f"\\log may be the base-{base} logarithm here (the claim is right for "
                   f"log{sub})")
            out.append((*(_BARE_LOG.sub(lambda m, b=base: "\\log_{" + b + "}", t)
                          for t in texts), why, bool(named)))
    if any(_BARE_POWER.search(t) for t in texts):
        other = [_BARE_POWER.sub(lambda m: "\\left(\\" + m.group(1) + " " + m.group(2)
                                 + "\\right)^{" + m.group(3).strip("{}") + "}", t) for t in texts]
        out.append((*other, "a power on a bare argument (\\sin x^{-1}, \\ln x^2) may be the "
                    "function's power; the claim is right read so"))
    if _ARCSEC.search(claim.expr_read):
        other = [_other_branch(t) for t in texts]
        why = ("arcsec and arccsc have two common ranges; the claim is right for the "
               "range [0, π/2) ∪ [π, 3π/2)")
        if None in other:
            return (*out, (texts[0], "\\frac{}", why))  # unreadable: never wrong
        out.append((*other, why))
    return tuple(out)


def _readings(claim):
    """None when the claim's texts mean one thing; the claim with its other
    reading when one side has one question :func:`two_readings` brackets both ways;
    else the question (the claim is then not checked)."""
    on_expr, on_claimed = ambiguity(claim.expr_read), ambiguity(claim.claimed_read)
    if not (on_expr or on_claimed):
        return operand_readings(claim)  # \frac{d}{dx} x^2+4x: the operator's reach
    exprs = two_readings(claim.expr_read) if on_expr else (claim.expr_read,) * 2
    claimed = two_readings(claim.claimed_read) if on_claimed else (claim.claimed_read,) * 2
    if exprs is None or claimed is None:
        return on_expr or on_claimed
    # a note writes one notation one way: both sides are read alike
    readings = tuple(zip(exprs, claimed, strict=True))
    return replace(claim, readings=readings, question=on_expr or on_claimed)


#: A transpose (``x^T A x``, ``A^{\\top}``, ``x^\\intercal``): matrix calculus.
_TRANSPOSE = re.compile(r"\^\s*(?:\{\s*)?(?:T|\\top|\\intercal|\\mathsf\s*\{\s*T\s*\}"
                        r"|\\mathrm\s*\{\s*T\s*\})(?![A-Za-z])")
_CASES = re.compile(r"\\begin\s*\{\s*(?:cases|dcases|rcases|array|matrix|[pbvB]matrix)\s*\}")


#: A Greek letter applied to brackets (``\\Phi(x)``, ``\\phi(x)``): a function (the
#: normal CDF, a potential), unless the note defined it (its formula replaced it then);
#: ``\\sigma(x)`` is the reader's own sigmoid.
_GREEK_CALL = re.compile(r"\\(alpha|beta|gamma|delta|epsilon|varepsilon|zeta|eta|theta|vartheta"
                         r"|iota|kappa|lambda|mu|nu|xi|rho|tau|upsilon|phi|varphi|chi|psi|omega"
                         r"|Gamma|Delta|Theta|Lambda|Xi|Pi|Sigma|Phi|Psi|Omega)\s*\(")


def _not_scalar(claim, text: str) -> str | None:
    """Why a claim is not a derivative of one scalar formula: a transpose
    (matrix calculus, ``\\frac{\\partial}{\\partial x} x^T A x = (A + A^T)x``),
    or a claimed side that is piecewise or a matrix (``\\begin{cases}``)."""
    if any(_TRANSPOSE.search(t) for t in (claim.expr_read, claim.claimed_read)):
        return "a transpose (matrix calculus) is not checked"
    for t in (claim.expr_read, claim.claimed_read):
        if (m := _GREEK_CALL.search(t)) is not None:
            return f"\\{m.group(1)}(…) is a function the note does not define"
    if _CASES.search(text, claim.claimed_start, min(len(text), claim.claimed_end + 1)) or \
            _CASES.search(text[max(0, claim.claimed_start - 40):claim.claimed_start]
                          .rsplit("=", 1)[-1]):
        return "a piecewise or matrix claimed side (cases, array) is not checked"
    return None


def read_note_claims(text: str, latex: bool = False):
    """``(claims, skipped, math)`` of a note: each claim read as
    ``(label, lhs_span, program, claimed_span, claim, claimed_node)``, the
    unreadable and the unsure ones as ``Skipped``; spans into ``text``."""
    macros = collect_macros(text)
    math = notes.find_math(text, latex=latex)
    if not latex:
        math = tuple(sorted(math + plain_math(text, math), key=lambda m: m.start))
    units, skipped = [], []
    dependent = dependent_names(math, macros)
    found = notes.find_claims(text, math, macros, same=_same_function, dependent=dependent)
    if not latex:
        found = tuple(sorted(found + table_claims(text, macros) + worded_claims(text, macros),
                             key=lambda c: c.claimed_start))
    # a derivative table in display math (array, aligned): rows no other reading found
    rows = tuple(c for c in array_claims(text, math, macros)
                 if not any(f.claimed_start < c.claimed_end and c.claimed_start < f.claimed_end
                            or f.lhs_start < c.lhs_end and c.lhs_start < f.lhs_end for f in found))
    if rows:
        found = tuple(sorted(found + rows, key=lambda c: c.claimed_start))
    for i, claim in enumerate(found):
        label = f"claim {i + 1}"
        claim = generic_claim(claim, text, dependent, macros)
        lhs = Span.at(text, claim.lhs_start, claim.lhs_end)
        signed = signed_readings(claim)  # ±: one reading per sign
        reason = claim.reason or (_readings(claim) if signed is claim else _readings(
            replace(signed, readings=())) and "± with an argument that ends in two places")
        claim = signed if isinstance(reason, str) or reason is None else claim
        if isinstance(reason, notes.Claim):
            claim, reason = reason, None
        if reason is None:
            claim = _differentiated_twice(claim)
        if reason is None and (_LEIBNIZ_LEFT.search(claim.expr_read)
                               or _NESTED.search(claim.expr_read)
                               or _SLASHED.search(claim.expr_read)):
            reason = ("the differentiated expression has a derivative (dy/dx) inside it: "
                      "an implicit derivative")
        reason = reason or _not_scalar(claim, text) or \
            both_sides(claim, math, macros, _same_function) or \
            ("a derivative of order 0 is the function itself" if claim.order < 1 else None)
        claim = replace(claim, rescues=claim.rescues + _rescues(claim))
        try:
            program = parse(claim.expr_read) if reason is None else None
        except ChainError as exc:
            skipped.append(Skipped(label, lhs, f"not read: {exc.message}", exc))
            continue
        if program is not None and len(program.outputs) != 1:
            skipped.append(Skipped(label, lhs, "not read: not one expression"))
            continue
        if reason is None:
            known = set(free_symbols(program.expanded(program.outputs[0])))
            # ((e^{-x}f)' with f' written elsewhere: f is a function of x, not a constant)
            hidden = [] if claim.partial or claim.implicit else sorted(
                n for n in known if n != claim.definition and any(
                    (n, v) in dependent for v in ((claim.wrt,) if claim.wrt else known | {"x"})))
            if hidden:
                by = claim.wrt or next(v for n, v in sorted(dependent) if n == hidden[0])
                reason = (f"{hidden[0]} depends on {by} in this note (it writes "
                          f"d{hidden[0]}/d{by} or {hidden[0]}'): an implicit derivative")
        if reason is None:
            var = claim.wrt or (next(iter(known)) if len(known) == 1 else None)
            # a letter the expression has as a plain symbol, never applied, is a
            # factor before a bracket of the claim too: 2x(wx+b) by w is 2x·(wx+b)
            applied = set(applied_letters(claim.expr_read))
            plain = tuple(n for n in known if len(n) == 1 and n not in applied)
            reason = _generic(claim.expr_read, known | {var or ""}, var) or \
                _generic(claim.claimed_read, known | {var or ""}, var, plain)
        if reason is not None:
            skipped.append(Skipped(label, lhs, f"not checked: {reason}"))
            continue
        try:
            claimed = read_claimed(claim.claimed_read)
        except (ChainError, RecursionError) as exc:
            message = getattr(exc, "message", "the claim is nested too deeply")
            skipped.append(Skipped(label, lhs, f"not read: {message}",
                                   exc if isinstance(exc, ChainError) else None))
            continue
        units.append((label, lhs, program, Span.at(text, claim.claimed_start, claim.claimed_end),
                      claim, claimed))
    return units, skipped, math
