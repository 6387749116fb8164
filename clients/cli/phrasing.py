"""What people type on a command line before they have read the manual.

``chainlens diff "d/dx x^2"`` read ``d/dx`` as the quotient of the names
``d`` and ``dx`` and printed three meaningless partials; ``chainlens diff
"f(x) = x^2"`` printed nothing.  This module turns those first tries into
what they mean: a leading derivative operator (``d/dx``, ``\\frac{d}{dx}``,
``\\frac{\\partial}{\\partial x}``, with or without ``[...]`` around the
rest) or SymPy's ``diff(x^2, x)`` becomes the variable to differentiate
by, and a text that only defines functions gives their bodies.  The
operator is blanked, not cut, so an error in the rest keeps its column.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from chainlens.engine.core.source import ChainError

#: Greek letters by name, as LaTeX and the engine spell them (``\theta`` and
#: ``θ`` are the engine's ``theta``)
_GREEK_TEX = (r"alpha|beta|gamma|delta|epsilon|varepsilon|zeta|eta|theta|vartheta|iota|kappa|"
              r"lambda|mu|nu|xi|rho|sigma|tau|upsilon|phi|varphi|chi|psi|omega|"
              r"Gamma|Delta|Theta|Lambda|Xi|Pi|Sigma|Upsilon|Phi|Psi|Omega")
_VAR = (r"(?:[A-Za-z]|\\(?:" + _GREEK_TEX + r")(?![A-Za-z])|[\u0391-\u03a9\u03b1-\u03c9])"
        r"(?:_\{?[A-Za-z0-9]+\}?)?")


def _name(var: str) -> str:
    """The engine's name of an operator's variable: ``\theta``, ``θ`` and
    ``theta`` are one name; braces of ``w_{1}`` dropped."""
    var = var.replace("{", "").replace("}", "").removeprefix("\\")
    head = var[0]
    if "\u0391" <= head <= "\u03c9":
        word = unicodedata.name(head).split()[-1].lower()  # GREEK SMALL LETTER THETA
        var = (word.capitalize() if head <= "\u03a9" else word) + var[1:]
    return var


#: ``d/dx``, ``\frac{d}{dx}``, ``\frac{\partial}{\partial x}``, ``\frac d{dx}`` at
#: the very start, of any order (``d^2/dx^2``, ``\frac{d^{2}}{dx^{2}}``,
#: ``\frac{\partial^2}{\partial x^2}``: the order written on the d and on the
#: variable); the variable must end where a name would (``d/dxx`` is not
#: ``d/dx x``).
_N = r"(?:\^\s*\{?\s*(?P<%s>\d+)\s*\}?|(?P<%s>[\u00b2\u00b3]))?"
_OPERATOR = re.compile(
    r"\s*(?:d" + _N % ("t1", "u1") + r"\s*/\s*d(?P<a>" + _VAR + r")" + _N % ("b1", "v1")
    + r"(?![A-Za-z0-9_])"
    r"|\\frac\s*\{\s*d\s*" + _N % ("t2", "u2") + r"\s*\}\s*\{\s*d\s*(?P<b>" + _VAR + r")\s*"
    + _N % ("b2", "v2") + r"\s*\}"
    r"|\\frac\s*d\s*\{\s*d\s*(?P<c>" + _VAR + r")\s*\}"
    r"|\\frac\s*\{\s*\\partial\s*" + _N % ("t3", "u3") + r"\s*\}\s*\{\s*\\partial\s*(?P<d>"
    + _VAR + r")\s*" + _N % ("b3", "v3") + r"\s*\})")
_MIXED = re.compile(r"\s*\\frac\s*\{\s*\\partial\s*\^\s*\{?\s*\d+\s*\}?\s*\}\s*"
                    r"\{\s*\\partial\s*" + _VAR + r"\s*\\partial")
_SUPERSCRIPT = {"\u00b2": 2, "\u00b3": 3}


def _orders(m: re.Match) -> tuple[int | None, int | None]:
    """The order written on the operator's d (top) and on its variable (bottom)."""
    def one(digits: str, sup: str):
        k = m.groupdict().get(digits) or m.groupdict().get(sup)
        return None if k is None else _SUPERSCRIPT.get(k) or int(k)
    top = next((v for v in (one(f"t{i}", f"u{i}") for i in (1, 2, 3)) if v is not None), None)
    bottom = next((v for v in (one(f"b{i}", f"v{i}") for i in (1, 2, 3)) if v is not None), None)
    return top, bottom


def operator_order(arg: str) -> int:
    """The order of ``arg``'s leading derivative operator (1 without one):
    ``d^2/dx^2 x^3`` is the second derivative, not names d and dx divided.
    An order on the d but not on the variable (or two that differ) is an
    error, as is a mixed partial (the CLI's --hessian gives those)."""
    if arg == "-" or len(arg) > 4096 or Path(arg).is_file():
        return 1
    if _MIXED.match(arg):
        raise ChainError("a mixed partial derivative operator is not read here",
                         hint="chainlens diff EXPR --hessian prints every second partial, "
                              "mixed ones included")
    m = _OPERATOR.match(arg)
    if m is None:
        return 1
    top, bottom = _orders(m)
    if top != bottom:
        shown = arg[:m.end()].strip()
        raise ChainError(f"the operator {shown} writes its order {top or 1} on the d and "
                         f"{bottom or 1} on the variable",
                         hint="write both, as d^2/dx^2 or \\frac{d^2}{dx^2}")
    return top or 1


def split_operator(arg: str) -> tuple[str, str | None]:
    """``(text, variable)``: ``arg`` without its leading derivative operator
    (blanked to spaces) and the operator's variable, or ``(arg, None)``
    when it has none or names an existing file (its order:
    :func:`operator_order`)."""
    if arg == "-" or len(arg) > 4096 or Path(arg).is_file():
        return arg, None
    m = _OPERATOR.match(arg)
    if m is None:
        return _call_form(arg)
    var = _name(next(m.group(k) for k in "abcd" if m.group(k) is not None))
    rest = arg[m.end():]
    if not rest.strip():
        raise ChainError(f"nothing to differentiate after '{arg.strip()}'",
                         hint=f"write the expression after it: d/d{var} sin({var}^2)")
    body = rest.strip()
    if body[0] == "[" and body[-1] == "]" and _closes_at_end(body):
        start = rest.index("[")
        end = rest.rindex("]")
        rest = rest[:start] + " " + rest[start + 1:end] + " " + rest[end + 1:]
    return " " * m.end() + rest, var


_CALL = re.compile(r"\s*diff\s*\(")


def _call_form(arg: str) -> tuple[str, str | None]:
    """SymPy's ``diff(x^2, x)`` (the whole text one call, the variable
    last): the expression by that variable, the call blanked out."""
    m = _CALL.match(arg)
    if m is None:
        return arg, None
    depth, comma, close = 0, None, None
    for i in range(m.end() - 1, len(arg)):
        ch = arg[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                close = i
                break
        elif ch == "," and depth == 1:
            comma = i
    if close is None or arg[close + 1:].strip():
        return arg, None
    if comma is None:  # diff(x^2): by its only variable, as SymPy's
        return " " * m.end() + arg[m.end():close], None
    var = arg[comma + 1:close].strip()
    if not re.fullmatch(_VAR, var):
        return arg, None
    # cut after the expression: an error at its end is at the comma
    return " " * m.end() + arg[m.end():comma], _name(var)


def _closes_at_end(body: str) -> bool:
    """Does the ``[`` opening ``body`` close at its last character?"""
    depth = 0
    for i, ch in enumerate(body):
        depth += ch == "["
        depth -= ch == "]"
        if depth == 0:
            return i == len(body) - 1
    return False


def operator_wrt(given: str | None, var: str | None, expr: str) -> str | None:
    """The variable to differentiate by: ``--wrt`` or the operator's; both,
    disagreeing, is an error rather than a guess."""
    if var is None:
        return given
    if given is not None and given.replace(" ", "") != var:
        raise ChainError(f"the expression says d/d{var} but --wrt says {given}",
                         hint=f"drop one of them: chainlens diff '{expr.strip()}' --wrt {given}")
    return var


#: Functions people write without brackets, then a one-letter variable:
#: ``sinx``, ``lnx``, ``sqrtx`` are names to the parser (as ``x y`` is ``x*y``,
#: ``sinx`` could only be split by guessing), so the answer stands and a note
#: says how to write the function.
_RUN_TOGETHER = re.compile(
    r"(sin|cos|tan|sec|csc|cot|sinh|cosh|tanh|exp|ln|log|sqrt|arcsin|arccos|arctan)"
    r"([A-Za-z])")


#: Leibniz's dy/dx written as an expression: the names dy and dx divided
_LEIBNIZ = re.compile(r"(?<![\w\\])(d([A-Za-z]))\s*/\s*(d([A-Za-z]))(?![\w(])")


def run_together_notes(inputs, text: str = "") -> list[str]:
    """A note for each input name that reads as a function glued to its
    argument: ``'sinx' is read as one name; for sin of x write sin(x)``;
    and for ``dy/dx`` (two names divided, surely Leibniz's notation)."""
    notes = []
    for m in _LEIBNIZ.finditer(text):
        if m.group(1) in inputs and m.group(3) in inputs:
            y, x = m.group(2), m.group(4)
            notes.append(f"note: '{m.group(0)}' is read as the names d{y} and d{x} divided; "
                         f"to differentiate {y} by {x}, give {y}'s expression: "
                         f"chainlens diff 'sin({x}^2)' --wrt {x}")
    for name in inputs:
        m = _RUN_TOGETHER.fullmatch(name)
        if m:
            fn, var = m.groups()
            notes.append(f"note: '{name}' is read as one name; for {fn} of {var} "
                         f"write {fn}({var})")
    return notes


_GREEK = frozenset(("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
                    "iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi", "rho",
                    "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega"))
_WORDS = re.compile(r"(?<![\\\w])([A-Za-z]{2,})\s+([A-Za-z]{2,})(?![\w(])")


def wordy_notes(text: str) -> list[str]:
    """A note when the text holds English rather than math (``derivative
    of x^2``): juxtaposed words are a product of names, so the answer is
    "right" about the wrong question."""
    from chainlens.engine.language.names import known_functions

    skip = _GREEK | set(known_functions())
    words = [w for pair in _WORDS.findall(text) for w in pair if w not in skip]
    if not words:
        return []
    shown = ", ".join(dict.fromkeys(words))
    return [f"note: {shown} are read as names multiplied together (words are names "
            "here); give only the math, e.g. chainlens diff 'x^2'"]
