"""What the first element of a chain says is differentiated: its *head*.

``\\frac{d}{dx}\\sin x`` (an operator and its body), ``f'(x)``, ``y''``,
``\\dot y``, ``\\frac{df}{dx}``, ``\\frac{\\partial f}{\\partial y}``, ``f_{xy}``
bound to a definition of the note, ``(x^x)'``, and ``\\nabla f(x, y)`` (the
gradient: one claim per component).  Text only: :func:`head_of` reads a
normalised element and returns the fields of a
:class:`~chainlens.engine.frontends.notes.Claim`, or None.
"""

from __future__ import annotations

import re

from chainlens.engine.frontends.latex_text import function_words
from chainlens.engine.frontends.note_defs import GREEK, NAME, Definition, apply_definitions

__all__ = ["head_of", "name_derivative"]

#: a variable of differentiation: a letter, perhaps subscripted (``\\partial x_1``,
#: ``dw_{2}``, ``\\partial W_{ij}``: red team R16), or a Greek one
_VAR = (r"([A-Za-z](?:_\{(?:hat|bar|tilde|vec)\})?(?:_\{(?:[A-Za-z0-9]|\d{2,3})\})?"
        r"|\\(?:theta|alpha|beta|gamma|phi|psi|omega|tau|lambda|mu|sigma|rho))")
_ORDER = r"(?:\^\{?\s*(\d)\s*\}?)?"
_OP = re.compile(r"^\\frac\{\s*(d|\\partial)\s*" + _ORDER + r"\s*\}\{\s*(?:d|\\partial)\s*" + _VAR
                 + r"\s*" + _ORDER + r"\s*\}|^\(?\s*d\s*/\s*d\s*" + _VAR + r"\s*\)?")
#: (``\\frac{d\\tanh}{dZ}``, ``\\frac{\\partial \\tanh(Z)}{\\partial Z}``: a function of the
#: reader's own on top, see :func:`head_of`)
_LEIBNIZ = re.compile(r"^\\frac\{\s*(d|\\partial)\s*" + _ORDER + r"\s*([A-Za-z]"
                      r"(?:_\{(?:hat|bar|tilde|vec)\})?(?:_\{(?:[A-Za-z0-9]|\d{2,3})\})?|" + GREEK
                      + r"|\\[a-z]{2,6})"
                      r"\s*(?:\(\s*[A-Za-z]\s*\)\s*)?\}"
                      r"\{\s*(?:d|\\partial)"
                      r"\s*" + _VAR + r"\s*" + _ORDER + r"\s*\}\s*(\(\s*[^()]*\))?$"
                      r"|^d\s*([A-Za-z])\s*/\s*d\s*" + _VAR + r"$")
#: a mixed second partial: ``\\frac{\\partial^2 f}{\\partial x \\partial y}`` (of a function
#: the note defines) or the operator ``\\frac{\\partial^2}{\\partial x\\,\\partial y}`` before
#: its body; ∂²/∂x∂y is ∂/∂x of ∂/∂y (the right one first)
_MIXED = re.compile(r"^\\frac\{\s*\\partial\s*\^\s*\{?\s*2\s*\}?\s*(" + NAME + r")?\s*"
                    r"(?:\(\s*[A-Za-z ,]+\)\s*)?\}"
                    r"\{\s*\\partial\s*([A-Za-z])\s*(?:\\[,;:!]\s*|\\ \s*)?"
                    r"\\partial\s*([A-Za-z])\s*\}")
_PRIMED = re.compile(r"^(" + NAME + r")\s*('+|\^\{\s*\((\d)\)\s*\})"
                     r"\s*(?:\(\s*([A-Za-z ,]+)\s*\))?$")
#: ``f'(1)``, ``f''(-2)``, ``g'(\\pi)``: a derivative's value at a number
_POINT = (r"(-?\s*(?:\d+(?:\.\d+)?|\\pi|\\frac\{\s*\\?[\dpi]+\s*\}\{\s*\d+\s*\}"
          r"|\d*\s*\\pi\s*/\s*\d+))")
_AT_POINT = re.compile(r"^(" + NAME + r")\s*('+)\s*\(\s*" + _POINT + r"\s*\)$")
#: an evaluation bar: ``\\left.\\frac{dy}{dx}\\right|_{x=1}``, ``\\frac{d}{dx}(x^2)\\Big|_{x=3}``
_EVALUATED = re.compile(r"^(.+?)\s*(?:\|\s*|\\(?:[Bb]igg?|right)?\\?(?:rvert|vert)\s*)"
                        r"_\{\s*([A-Za-z])\s*=\s*" + _POINT + r"\s*\}$")
_DOT = re.compile(r"^\\(d?dot)\s*\{?\s*([A-Za-z])\s*\}?\s*(?:\(\s*t\s*\))?$")
_SUBSCRIPT = re.compile(r"^([A-Za-z])_\{\s*([A-Za-z](?:\s*[A-Za-z])?)\s*\}"
                        r"\s*(?:\(\s*[A-Za-z ,]+\))?$")
_GRADIENT = re.compile(r"^\\nabla\s*(" + NAME + r")\s*(?:\(\s*[A-Za-z ,]+\))?$")
_OPEN = {"(": ")", "{": "}"}


def _group(text: str) -> str | None:
    """The inside of ``text`` when it is one bracketed group, else None."""
    text = text.strip()
    if not text or text[0] not in _OPEN:
        return None
    depth = 0
    for i, ch in enumerate(text):
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
            if depth == 0:
                return text[1:i].strip() if i == len(text) - 1 else None
    return None


def _by_a_power(top: str | None, bottom: str | None) -> str | None:
    """``\\frac{\\partial}{\\partial \\sigma^2}`` (an order below only): a derivative
    with respect to a power (σ², the variance, as one variable), not d²/dσ²."""
    if bottom and top != bottom:
        return "a derivative with respect to a power (∂/∂σ², d/dx²) is not checked"
    return None


def _group_end(text: str, i: int) -> int:
    """The end of the bracketed group that opens at ``text[i]``, or -1."""
    if i >= len(text) or text[i] not in "([{":
        return -1
    depth = 0
    for j in range(i, len(text)):
        depth += text[j] in "([{"
        depth -= text[j] in ")]}"
        if depth == 0:
            return j + 1
    return -1


def _summed(read: str, first: re.Match) -> str | None:
    """``\\frac{\\partial}{\\partial w}(w^2 v) + \\frac{\\partial}{\\partial w}(v^3)``: a sum
    of one operator (same variable, first order) applied to bracketed terms is
    that operator applied to their sum, ``(w^2 v) + (v^3)``; None for any
    other text (an operand without brackets, another operator, a leftover)."""
    if first.group(2) or first.group(4):
        return None
    parts, at, sign = [], first.end(), ""
    while True:
        at = len(read) - len(read[at:].lstrip())
        end = _group_end(read, at)
        if end < 0:
            return None
        parts.append(f"{sign} ({read[at + 1:end - 1]})".strip())
        rest = read[end:].lstrip()
        if not rest:
            break
        if rest[0] not in "+-":
            return None
        sign = rest[0]
        op = _OP.match(rest[1:].lstrip())
        if op is None or op.group(0) != first.group(0) and (
                op.group(1), op.group(3) or op.group(5)) != (first.group(1), first.group(3)
                                                             or first.group(5)) \
                or op.group(2) or op.group(4):
            return None
        at = len(read) - len(rest[1:].lstrip()) + op.end()
    return " ".join(parts) if len(parts) > 1 else None


def head_of(read: str, defs: dict[str, Definition]) -> dict | None:
    """What a chain's first element says is differentiated, or None when it
    is no derivative.  ``read`` is the normalised element."""
    m = _EVALUATED.match(read)
    if m:
        inner = head_of(m.group(1), defs)
        if inner is None or inner.get("wrt") != m.group(2) or \
                any(inner.get(k) for k in ("at", "gradient", "first")):
            return None
        return {**inner, "at": m.group(3).replace(" ", "")}
    m = _OP.match(read)
    if m:
        order = int(m.group(2) or m.group(4) or 1)
        power = _by_a_power(m.group(2), m.group(4))
        wrt = (m.group(3) or m.group(5)).strip()
        rest = apply_definitions(read[m.end():].strip(), defs)
        body = _group(rest) or _summed(read, m) or rest
        if not body:
            return None
        return {"expr_read": body, "wrt": wrt, "order": order,
                "partial": m.group(1) == "\\partial", "reason": power}
    m = _MIXED.match(read)
    if m:
        return _mixed(m, read, defs)
    m = _GRADIENT.match(read)
    if m:
        d = defs.get(m.group(1))
        if d is None or len(d.vars) < 2:
            return None
        # ∇f(x, y) = [∂f/∂x, ∂f/∂y]: one partial claim per component
        return {"expr_read": d.body, "expr": d.text, "wrt": None, "order": 1,
                "definition": d.name, "partial": True, "reason": d.reason,
                "alternatives": d.alternatives, "gradient": d.vars}
    name, order, wrt, partial = None, 1, None, False
    m = _LEIBNIZ.match(read)
    if m:
        partial = m.group(1) == "\\partial"
        name = m.group(3) or m.group(7)
        wrt = m.group(4) or m.group(8)
        order = int(m.group(2) or m.group(5) or 1)
        if _by_a_power(m.group(2), m.group(5)):
            return None  # \frac{\partial L}{\partial \sigma^2}: by the variance, not by σ
        if m.group(6):
            # \frac{dV}{dh}(5): the derivative's value at a number (as f'(5)); a
            # variable in the brackets names the function's argument; anything
            # else (a formula, several arguments) is no head chainlens reads
            arg = m.group(6)[1:-1].strip()
            if re.fullmatch(_POINT, arg):
                d = defs.get(name)
                if d is None or len(d.vars) > 1 or (d.vars and d.var != wrt) or d.curve:
                    return None
                return {"expr_read": d.body, "expr": d.text, "wrt": wrt, "order": order,
                        "definition": d.name, "reason": d.reason,
                        "alternatives": d.alternatives, "at": arg.replace(" ", "")}
            if not re.fullmatch(r"[A-Za-z]", arg):
                return None
    elif (m := _PRIMED.match(read)):
        name = m.group(1)
        order = int(m.group(3)) if m.group(3) else len(m.group(2))
        args = (m.group(4) or "").replace(" ", "")
        if args and "," not in args:
            wrt = args
    elif (m := _AT_POINT.match(read)):
        d = defs.get(m.group(1))
        if d is None or len(d.vars) != 1:
            return None
        return {"expr_read": d.body, "expr": d.text, "wrt": d.var, "order": len(m.group(2)),
                "definition": d.name, "reason": d.reason, "alternatives": d.alternatives,
                "at": m.group(3).replace(" ", "")}
    elif (m := _DOT.match(read)):
        name, wrt, order = m.group(2), "t", 2 if m.group(1) == "ddot" else 1
    elif (m := _SUBSCRIPT.match(read)):
        subs = m.group(2).replace(" ", "")
        d = defs.get(m.group(1))
        if d is None or len(d.vars) < 2 or any(v not in d.vars for v in subs):
            return None
        # f_{xy} is (f_x)_y: by x first, then by y
        return {"expr_read": d.body, "expr": d.text, "wrt": subs[-1], "order": len(subs),
                "definition": d.name, "partial": True, "reason": d.reason,
                "alternatives": d.alternatives,
                "first": tuple(subs[:-1]) if len(set(subs)) > 1 else ()}
    elif read.endswith("'") and (body := _group(read[:-1])) is not None:
        return {"expr_read": body, "wrt": None, "order": 1}
    if name is None:
        return None
    d = defs.get(name)
    if d is None and name.startswith("\\") and wrt and name[1:] in function_words():
        # \sigma'(x), \frac{d\sigma(x)}{dx}: the reader's own function (the sigmoid)
        return {"expr_read": f"{name}({wrt})", "wrt": wrt, "order": order}
    if d is None:
        return None
    if d.curve:
        # x^2 + y^2 = 25, then dy/dx = -x/y: checked on the curve (implicit differentiation)
        if (wrt or "x") != "x" or order != 1 or partial:
            return None
        return {"expr_read": d.curve, "expr": d.text, "wrt": "x", "order": 1,
                "definition": d.name, "implicit": True}
    if wrt is None:
        wrt = d.var if d.vars else None
    if wrt is not None and d.vars and wrt not in d.vars and not _through_inner(d, wrt, defs):
        return None
    inner = tuple(o.body for o in defs.values()
                  if o.name != d.name and not o.reason and not o.alternatives
                  and o.vars == (wrt,))
    return {"expr_read": d.body, "expr": d.text, "wrt": wrt, "order": order,
            "definition": d.name, "partial": partial or len(d.vars) > 1, "reason": d.reason,
            "inner": inner, "alternatives": d.alternatives}


def _mixed(m: re.Match, read: str, defs: dict[str, Definition]) -> dict | None:
    """``∂²f/∂x∂y`` of a defined f of both variables, or the operator with its
    body after it; a mixed partial of two different variables only (∂²/∂x∂x
    is the second derivative, written so on purpose or not: not read)."""
    name, outer, inner = m.group(1), m.group(2), m.group(3)
    if outer == inner:
        return None
    rest = read[m.end():].strip()
    if name is None:
        body = _group(apply_definitions(rest, defs)) or apply_definitions(rest, defs)
        if not body:
            return None
        return {"expr_read": body, "wrt": outer, "order": 2, "partial": True,
                "first": (inner,)}
    d = defs.get(name)
    if rest or d is None or d.curve or outer not in d.vars or inner not in d.vars:
        return None
    return {"expr_read": d.body, "expr": d.text, "wrt": outer, "order": 2,
            "definition": d.name, "partial": True, "reason": d.reason,
            "alternatives": d.alternatives, "first": (inner,)}


def _through_inner(d: Definition, wrt: str, defs: dict[str, Definition]) -> bool:
    """``f(u) = u^2`` with ``u = 3x + 1`` given nearby, then ``\\frac{df}{dx}``: f's
    variable is itself a formula of x there, so df/dx is the derivative of f(u(x))
    (the claim's reader substitutes u: see ``note_readings.inner_names``)."""
    if len(d.vars) != 1 or d.vars[0] == wrt:
        return False
    u = defs.get(d.vars[0])
    return u is not None and not u.vars and not u.reason and not u.alternatives and \
        bool(u.body) and re.search(r"(?<![\\A-Za-z_])" + re.escape(wrt) + r"(?![A-Za-z])",
                                   u.body) is not None


def name_derivative(read: str) -> bool:
    """Is the element a derivative of a name (``f''(x)``, ``\\frac{dy}{dx}``)?"""
    return bool(_PRIMED.match(read) or _LEIBNIZ.match(read))
