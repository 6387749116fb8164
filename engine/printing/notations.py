"""The Unicode, LaTeX and Python spellings of the shared walk.

``to_unicode`` is the form a hover shows (``2x·cos(x²)``), ``to_latex``
what a note renders and the parser reads back (``2 x \\cos\\left(x^{2}\\right)``),
``to_python`` numpy source that runs with only ``numpy as np`` and ``math``.
Each primitive is spelled from its table entry's ``notation``.
"""

from __future__ import annotations

import re
from fractions import Fraction

from chainlens.engine.core.nodes import Node
from chainlens.engine.core.walk import free_symbols
from chainlens.engine.printing.names import SUP, display_symbol, python_identifiers
from chainlens.engine.printing.walk import (
    ATOM,
    NEG,
    POW,
    PROD,
    SUM,
    Const,
    Frag,
    Printer,
    is_infix,
    notation_of,
)
from chainlens.engine.rules import LATEX, RULES

__all__ = ["Unicode", "Latex", "Python", "TooLong"]

_WHOLE_ARGUMENT = re.compile(r"(?<=[(,] )\{\d\}(?=[,)])|(?<=\()\{\d\}(?=[,)])")
_PLACEHOLDER = re.compile(r"\{\d\}")
_DIGITS = re.compile(r"[0-9]+")
_BARE_EXPONENT = re.compile(r"[0-9]+(?:\.[0-9]+)?|[πe]")


class TooLong(Exception):  # noqa: N818 - a signal inside the printer, not an error to users
    """A Python fragment longer than the printer's ``max_chars``."""

    def __init__(self, length: int):
        super().__init__(length)
        self.length = length


class Unicode(Printer):
    """The hover form: ``2x·cos(x²)``, ``σ(z)``, ``√(1 − x²)``, ``e^(−x²/2)``."""

    notation = "unicode"
    minus = "−"
    times = "·"
    ellipsis = " …"
    #: exp(u) reads as e^u while u is short; longer arguments read better as exp(u).
    short_exponent = 16

    def join(self, items: list[Frag]) -> Frag:
        if len(items) == 1:
            return items[0]
        parts = [self.wrap(i, POW) for i in items]
        # a leading coefficient (and π) is written against what follows:
        # 2x, 2πx, 2√x, 2(x + 1); other factors are separated by a dot
        out = parts[0]
        for prev, part in zip(parts, parts[1:], strict=False):
            close = (_DIGITS.fullmatch(prev) and out == prev) or prev == "π"
            # never against a bar: 2|x| reads as an absolute value after a factor
            out += part if close and not _DIGITS.match(part) and part[:1] != "|" \
                else self.times + part
        return Frag(out, PROD)

    def power(self, base: Frag, exp: Frag, q: Fraction | None) -> Frag:
        if q is not None and q.denominator == 1 and q < 1000:
            return Frag(self.wrap(base, ATOM) + str(q.numerator).translate(SUP), POW)
        # x^sin(x) stays as tests/symbolic/test_log_diff_steps.py pins it (only e^ brackets)
        return Frag(f"{self.wrap(base, ATOM)}^{self.wrap(exp, POW)}", POW)

    def exponent(self, frag: Frag, prec: int) -> str:
        """What follows a ``^``, as :meth:`wrap` has it (``e^x``, ``x^y^z``,
        ``e^(−x)``), except that a call is bracketed: ``e^σ(x)`` reads as
        ``(e^σ)·x``, so it is ``e^(σ(x))`` (and ``e^(|x|)``)."""
        s = self.wrap(frag, prec)
        if frag.prec != ATOM or frag.name or _BARE_EXPONENT.fullmatch(s) or _bracketed(s):
            return s
        return self.paren(s)

    def sqrt(self, base: Frag) -> Frag:
        return Frag("√" + self.wrap(base, ATOM), POW)

    def symbol(self, name: str) -> Frag:
        # a versioned name already carries a superscript: bracket it under another
        return Frag(display_symbol(name, "unicode"), POW if "@" in name else ATOM, name=True)

    def pi(self) -> Frag:
        return Frag("π", ATOM)

    def euler_base(self) -> Frag:
        return Frag("e", ATOM)

    def exp(self, arg: Frag) -> Frag:
        if len(arg.s) > self.short_exponent:
            return Frag(f"exp({arg.s})", ATOM)
        q = _int_of(arg.s)
        if q is not None and q > 1:
            return Frag("e" + arg.s.translate(SUP), POW)
        return Frag("e^" + self.exponent(arg, ATOM), POW)

    def function(self, op: str, args: list[Frag]) -> Frag:
        notation = notation_of(op)
        spelled = notation.unicode if notation else op
        if op == "abs":
            return Frag(f"|{args[0].s}|", ATOM)
        if spelled in ("√", "∛"):
            return Frag(spelled + self.wrap(args[0], ATOM), POW)
        if is_infix(notation, args):
            return self.infix(spelled, args)
        return Frag(f"{spelled}({', '.join(a.s for a in args)})", ATOM)



def _readable_latex(spelled: str) -> bool:
    """A LaTeX spelling that names its function: a command (``\\sin``,
    ``\\log_2``, ``\\left|{0}\\right|``) or ``\\operatorname`` of a
    primitive's own name or LaTeX name (``sgn``), which reads back."""
    m = re.fullmatch(r"\\operatorname\{(\w+)\}", spelled)
    if m:
        return m.group(1) in RULES or m.group(1) in LATEX
    return spelled.startswith("\\")


def _bracketed(s: str) -> bool:
    """``(…)`` whose opening bracket closes at the very end (not ``(a)(b)``)."""
    if not s.startswith("("):
        return False
    depth = 0
    for i, c in enumerate(s):
        depth += c == "("
        depth -= c == ")"
        if depth == 0:
            return i == len(s) - 1
    return False


def _int_of(s: str) -> int | None:
    return int(s) if s.isdigit() and len(s) < 4 else None


class Latex(Printer):
    """LaTeX the parser reads back: ``\\frac``, ``\\sqrt``, ``\\left( \\right)``."""

    notation = "latex"
    ellipsis = " \\ldots"
    #: exp(u) is e^{u} unless u is long enough to be unreadable as a superscript.
    short_exponent = 60

    def paren(self, s: str) -> str:
        return "\\left(" + s + "\\right)"

    def join(self, items: list[Frag]) -> Frag:
        if len(items) == 1:
            return items[0]
        out = self.wrap(items[0], POW)
        for prev, item in zip(items, items[1:], strict=False):
            part = self.wrap(item, POW)
            # a digit after a digit, or a bracket after a name (which would read
            # as a call), needs an explicit product sign.
            needs_dot = part[0].isdigit() or (prev.name and part.startswith("\\left("))
            out += (" \\cdot " if needs_dot else " ") + part
        return Frag(out, PROD)

    def fraction(self, top: list[Frag], bottom: list[Frag]) -> Frag:
        numer = self.join(top)
        if not bottom:
            return numer
        return Frag(f"\\frac{{{numer.s}}}{{{self.join(bottom).s}}}", PROD)

    def power(self, base: Frag, exp: Frag, q: Fraction | None) -> Frag:
        return Frag(f"{self.wrap(base, ATOM)}^{{{exp.s}}}", POW)

    def sqrt(self, base: Frag) -> Frag:
        return Frag(f"\\sqrt{{{base.s}}}", ATOM)

    def number(self, q: Fraction) -> Frag:
        if q.denominator == 1:
            return super().number(q)
        sign = "-" if q < 0 else ""
        q = abs(q)
        return Frag(f"{sign}\\frac{{{q.numerator}}}{{{q.denominator}}}", NEG if sign else PROD)

    def symbol(self, name: str) -> Frag:
        return Frag(display_symbol(name, "latex"), POW if "@" in name else ATOM, name=True)

    def pi(self) -> Frag:
        return Frag("\\pi", ATOM, name=True)

    def euler_base(self) -> Frag:
        return Frag("\\exp\\left(1\\right)", ATOM)

    def exp(self, arg: Frag) -> Frag:
        if len(arg.s) > self.short_exponent:
            return Frag(f"\\exp\\left({arg.s}\\right)", ATOM)
        return Frag(f"e^{{{arg.s}}}", POW)

    def function(self, op: str, args: list[Frag]) -> Frag:
        notation = notation_of(op)
        spelled = notation.latex if notation else f"\\operatorname{{{op}}}"
        if notation and not is_infix(notation, args) and not _readable_latex(spelled):
            # the table's display name (ReLU, H) is not one a reader knows;
            # the plain name is, and reads back to the same primitive
            spelled = f"\\operatorname{{{notation.text}}}"
        if "{0}" in spelled:
            return Frag(spelled.format(*(a.s for a in args)), ATOM)
        if spelled.startswith("\\sqrt"):
            return Frag(f"{spelled}{{{args[0].s}}}", ATOM)
        if is_infix(notation, args):
            return self.infix(spelled, args)
        return Frag(f"{spelled}\\left({', '.join(a.s for a in args)}\\right)", ATOM)

    def infix(self, spelled: str, args: list[Frag]) -> Frag:
        """As the base printer, but a thin space before a number (``x \\, 2``)
        would read back as the juxtaposition ``x 2``, which no reader takes:
        ``\\cdot`` there."""
        if spelled == "\\," and any(a.s[:1].isdigit() or a.s[:1] == "." for a in args[1:]):
            spelled = "\\cdot"
        return super().infix(spelled, args)



class Python(Printer):
    """numpy source from each rule's ``notation.python`` template, which
    runs with only ``numpy as np`` and ``math`` imported.  Variables get
    distinct identifiers (:func:`~chainlens.engine.printing.names.python_identifiers`);
    a fragment over ``max_chars`` raises :class:`TooLong`, and
    :mod:`.shared` then names shared sub-expressions instead."""

    notation = "python"
    times = " * "

    def walk(self, root: Node, lets=None) -> Frag:
        taken = {name for name, _ in lets.bound} if lets is not None else ()
        self.idents = python_identifiers(free_symbols(root), taken)
        return super().walk(root, lets)

    def cap(self, frag: Frag) -> Frag:
        if self.max_chars is not None and len(frag.s) > self.max_chars:
            raise TooLong(len(frag.s))
        return frag

    def symbol(self, name: str) -> Frag:
        ident = self.idents.get(name) or display_symbol(name, "python")
        return Frag(ident, ATOM, name=True)

    def fraction(self, top: list[Frag], bottom: list[Frag]) -> Frag:
        numer = self.join(top)
        if not bottom:
            return numer
        return Frag(f"{self.wrap(numer, PROD)} / {self.wrap(self.join(bottom), POW)}", PROD)

    def sqrt(self, base: Frag) -> Frag:
        return Frag(f"np.sqrt({base.s})", ATOM)

    def power(self, base: Frag, exp: Frag, q: Fraction | None) -> Frag:
        if isinstance(base, Const):
            return Frag(f"np.power({base.s}, {exp.s})", ATOM)
        return Frag(f"{self.wrap(base, ATOM)} ** {self.wrap(exp, POW)}", POW)

    def base(self, node: Node, memo) -> Frag:
        # Python's own ``**`` on numbers computes exact giant integers
        # (9 ** 387420489 never returns) and complex roots of negatives;
        # np.power on a float gives numpy's inf and nan instead.
        if node.op == "num":
            q = node.value
            text = f"{q.numerator}.0" if q.denominator == 1 else f"{q.numerator} / {q.denominator}"
            return Const(text, ATOM)
        return super().base(node, memo)

    def number(self, q: Fraction) -> Frag:
        frag = super().number(q)
        return Frag(frag.s.replace("/", " / "), frag.prec)

    def pi(self) -> Frag:
        return Frag("np.pi", ATOM)

    def euler(self) -> Frag:
        return Frag("np.e", ATOM)

    def euler_base(self) -> Frag:
        return Frag("np.exp(1)", ATOM)

    def exp(self, arg: Frag) -> Frag:
        return Frag(f"np.exp({arg.s})", ATOM)

    def function(self, op: str, args: list[Frag]) -> Frag:
        notation = notation_of(op)
        if is_infix(notation, args):
            return self.infix(notation.text, args)
        template = notation.python if notation else f"{op}(" + ", ".join(
            f"{{{i}}}" for i in range(len(args))) + ")"
        # an argument that is not a whole call argument in the template
        # (``0.5 * {0}``) is bracketed; so is a result that is not one call
        whole = len(_WHOLE_ARGUMENT.findall(template)) == len(_PLACEHOLDER.findall(template))
        out = template.format(*(a.s if whole else self.wrap(a, ATOM) for a in args))
        return Frag(out, ATOM if _atomic(out) else SUM)


def _atomic(source: str) -> bool:
    """True when ``source`` has no operator outside brackets (a name, a
    call, a bracketed expression), so it binds as tightly as a name."""
    depth = 0
    for ch in source:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and not (ch.isalnum() or ch in "._"):
            return False
    return True

