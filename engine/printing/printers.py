"""Printers: one expression DAG, four notations.

``to_text`` writes plain ASCII that the parser reads back to the *same* node
(``2*x*cos(x^2)``), ``to_unicode`` the form a hover shows (``2x·cos(x²)``),
``to_latex`` what a note renders (``2 x \\cos\\left(x^{2}\\right)``) and
``to_python`` numpy source that runs with only ``numpy as np`` and ``math``.

Why one walk with four styles rather than four printers: precedence, sign
handling (``a + (-1)*y`` reads ``a - y``), fractions (``x * y^-2`` reads
``x/y^2``) and the textbook order of terms and factors are the same decision
in every notation; only the spelling of the pieces differs.  The IR's own
operand order is canonical but arbitrary, so the printers reorder for
display only: coefficient first, then symbols, polynomial factors,
functions (inner before outer), non-polynomial sums; in sums, higher degree
first and constants last, except that a sum never opens with a minus when a
positive term can lead (``1 - x^2``) and a constant leads exponentials as
the logistic is written (``1 + exp(-x)``).

Nodes can be thousands deep and, as trees, exponentially large.  The walk
is bottom-up over :func:`~chainlens.engine.core.ir.postorder` (no recursion), each
shared node is formatted once, and every fragment is capped at ``max_chars``
with an ellipsis.  :func:`render_shared` prints big shared sub-expressions
once, as lets (``u₁ = …``), for hovers of deep programs.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from fractions import Fraction

from chainlens.engine.core.ir import E, Node, postorder
from chainlens.engine.core.source import LimitError

__all__ = [
    "to_text",
    "to_unicode",
    "to_latex",
    "to_python",
    "render",
    "render_shared",
    "display_symbol",
    "NOTATIONS",
    "MAX_CHARS",
]

#: Default cap on printed length; beyond it a fragment ends in an ellipsis.
MAX_CHARS = 20_000

# Binding strength of a printed fragment: a child is parenthesised when it
# binds more loosely than its position needs.
SUM, NEG, PROD, POW, ATOM = 1, 2, 3, 4, 5

#: Names of rule placeholders ``$0, $1, ...`` as printed.
_PLACEHOLDER_NAMES = ("u", "v", "w", "s", "t", "p", "q", "r")

_GREEK_NAMES = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi "
    "omicron rho sigma tau upsilon phi chi psi omega varepsilon varphi vartheta "
    "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega"
)
_GREEK = dict(zip(_GREEK_NAMES.split(" "), "αβγδεζηθικλμνξορστυφχψωεφϑΓΔΘΛΞΠΣΥΦΨΩ", strict=True))
_LATEX_ONLY_GREEK = {"omicron": "o"}  # LaTeX has no \omicron
_SUB = str.maketrans("0123456789+-=()aehijklmnoprstuvx",
                     "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")
_SUP = str.maketrans("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾")
_SUBSCRIPTABLE = set("0123456789+-=()aehijklmnoprstuvx")
_WHOLE_ARGUMENT = re.compile(r"(?<=[(,] )\{\d\}(?=[,)])|(?<=\()\{\d\}(?=[,)])")
_PLACEHOLDER = re.compile(r"\{\d\}")
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True, slots=True)
class _Frag:
    """A printed sub-expression and how tightly it binds.  ``name`` marks a
    bare variable (LaTeX needs a ``\\cdot`` between a name and a bracket, or
    the parser would read a call)."""

    s: str
    prec: int
    name: bool = False


@dataclass(frozen=True, slots=True)
class _Const(_Frag):
    """A number as the base of a power, which Python spells apart."""


# --------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------


def _name_parts(name: str) -> tuple[str, str, str]:
    """``w_1@3 -> ("w", "1", "3")``; placeholders ``$0 -> ("u", "", "")``."""
    if name.startswith("$") and name[1:].isdigit():
        i = int(name[1:])
        return (_PLACEHOLDER_NAMES[i] if i < len(_PLACEHOLDER_NAMES) else f"u{i}"), "", ""
    base, _, version = name.partition("@")
    core, _, sub = base.partition("_")
    if not core:  # a name that starts with "_"
        core, sub = base, ""
    return core, sub, version


def display_symbol(name: str, notation: str = "text") -> str:
    """How a variable name is shown: ``w_1`` is ``w₁`` / ``w_{1}``, ``theta``
    is ``θ`` / ``\\theta``, the SSA version ``a@3`` is ``a⁽³⁾`` / ``a^{(3)}``
    / ``a_v3``, and rule placeholders ``$0, $1`` are ``u, v``."""
    core, sub, version = _name_parts(name)
    if notation == "text":
        if name.startswith("$"):
            return core
        return name
    if notation == "python":
        ident = re.sub(r"\W", "_", core + (f"_{sub}" if sub else ""), flags=re.ASCII)
        if version:
            ident += f"_v{version}"
        if ident[0].isdigit():
            ident = "_" + ident
        if keyword.iskeyword(ident) or ident in ("np", "math"):
            ident += "_"
        return ident
    if notation == "unicode":
        out = _GREEK.get(core, core)
        if sub:
            out += sub.translate(_SUB) if set(sub) <= _SUBSCRIPTABLE else "_" + sub
        if version:
            out += f"({version})".translate(_SUP)
        return out
    if notation == "latex":
        if core in _LATEX_ONLY_GREEK:
            out = _LATEX_ONLY_GREEK[core]
        elif core in _GREEK:
            out = "\\" + core
        elif len(core) == 1:
            out = core
        else:
            out = "\\mathrm{" + core.replace("_", "\\_") + "}"
        if sub:
            out += "_{" + (display_symbol(sub, "latex") if sub in _GREEK else sub) + "}"
        if version:
            out += "^{(" + version + ")}"
        return out
    raise ValueError(f"unknown notation {notation!r}")


# --------------------------------------------------------------------------
# Display order (for reading only: the IR's own order is canonical)
# --------------------------------------------------------------------------


_ZERO, _ONE = Fraction(0), Fraction(1)


@dataclass(frozen=True, slots=True)
class _Shape:
    """What ordering needs to know about a node, computed bottom-up:
    its depth, and its polynomial degree (None when not a polynomial)."""

    depth: int
    degree: Fraction | None


def _shape(node: Node, shapes: dict[int, _Shape]) -> _Shape:
    args = [shapes[id(a)] for a in node.args]
    depth = 1 + max((a.depth for a in args), default=0)
    op = node.op
    if op in ("num", "pi") or node is E:
        degree: Fraction | None = _ZERO
    elif op == "sym":
        degree = _ONE
    elif op in ("add", "mul", "matmul") and all(a.degree is not None for a in args):
        degrees = [a.degree for a in args]
        degree = max(degrees) if op == "add" else sum(degrees, _ZERO)
    elif (op == "pow" and args[0].degree is not None and node.args[1].op == "num"
          and node.args[1].value.denominator == 1 and node.args[1].value > 0):
        degree = args[0].degree * node.args[1].value
    else:
        degree = None
    return _Shape(depth, degree)


def _factor_key(f: Node, shapes: dict[int, _Shape]) -> tuple:
    """Coefficient-like constants, then symbols, polynomial factors, powers
    with symbolic exponents, functions (simpler first, so ``exp(x^2)``
    precedes ``cos(exp(x^2))``), then non-polynomial sums."""
    op, shape, name = f.op, shapes[id(f)], ()
    base = f.args[0] if op == "pow" else f
    if op == "pow" and base.op == "num":
        cat = 0
    elif op == "pi" or f is E:
        cat = 1
    elif base.op == "sym" and shape.degree is not None:
        cat, name = 2, _natural(base.value)
    elif shape.degree is not None:
        cat = 3
    elif op == "pow" and base.op == "sym":
        cat, name = 4, _natural(base.value)
    elif base.op == "add":
        cat = 6
    else:
        cat = 5
    return (cat, name, shape.depth, f.sort_key)


def _split(term: Node) -> tuple[Fraction, tuple[Node, ...]]:
    if term.op == "mul" and term.args[0].op == "num":
        return term.args[0].value, term.args[1:]
    if term.op == "mul":
        return Fraction(1), term.args
    return Fraction(1), (term,)


def _term_key(term: Node, shapes: dict[int, _Shape]) -> tuple:
    """Higher degree in the term's own variables first, constants last.  At
    equal degree a term with a function leads a bare monomial (``w·σ(z) + b``),
    then by the names involved, then simpler terms first (so the product
    rule reads u'v + uv': ``2*(x + 1)*sin(x) + (x + 1)^2*cos(x)``)."""
    if term.op == "num":
        return (2, 0, 0, (), 0, term.sort_key)
    _, factors = _split(term)
    monomial = [f for f in factors
                if (f.args[0] if f.op == "pow" else f).op == "sym" and shapes[id(f)].degree]
    degree = sum((shapes[id(f)].degree for f in monomial), Fraction(0))
    bare = len(monomial) == len(factors)
    names = tuple(sorted(_natural((f.args[0] if f.op == "pow" else f).value) for f in monomial))
    return (0 if degree > 0 else 1, -degree, bare, names, shapes[id(term)].depth, term.sort_key)


def _natural(name: str) -> tuple:
    """Sort key that puts ``w_2`` before ``w_10``."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", name))


def _is_exponential(term: Node) -> bool:
    return any(f.op == "exp" for f in _split(term)[1])


# --------------------------------------------------------------------------
# The walk, shared by every notation
# --------------------------------------------------------------------------


class _Printer:
    """Plain ASCII, re-parseable; the other notations override the spelling."""

    notation = "text"
    minus = "-"
    times = "*"
    ellipsis = " ..."

    def __init__(self, max_chars: int | None = MAX_CHARS):
        self.max_chars = max_chars

    # ---- driving ---------------------------------------------------------
    def walk(self, root: Node, lets: _Lets | None = None) -> _Frag:
        memo: dict[int, _Frag] = {}
        shapes: dict[int, _Shape] = {}
        opaque: set[int] = set()
        for node in postorder(root):
            shapes[id(node)] = _shape(node, shapes)
            frag = self.cap(self.node(node, memo, shapes, opaque))
            if lets is not None and node is not root:
                frag = lets.offer(node, frag, opaque)
            memo[id(node)] = frag
        return memo[id(root)]

    def cap(self, frag: _Frag) -> _Frag:
        if self.max_chars is None or len(frag.s) <= self.max_chars:
            return frag
        return _Frag(frag.s[: self.max_chars] + self.ellipsis, frag.prec)

    def node(self, n: Node, memo, shapes, opaque) -> _Frag:
        op = n.op
        if op == "num":
            return self.number(n.value)
        if op == "sym":
            return self.symbol(n.value)
        if op == "pi":
            return self.pi()
        if n is E:
            return self.euler()
        if op == "add":
            return self.sum(n, memo, shapes, opaque)
        if op == "mul":
            coeff, factors = _split(n)
            return self.product(coeff, factors, memo, shapes, opaque)
        if op == "pow":
            base, exp = n.args
            if exp.op == "num" and exp.value < 0:
                return self.product(Fraction(1), (n,), memo, shapes, opaque)
            if exp.op == "num":
                return self.num_power(self.base(base, memo), exp.value)
            return self.power(self.base(base, memo), memo[id(exp)], None)
        if op == "exp":
            return self.exp(memo[id(n.args[0])])
        return self.function(op, [memo[id(a)] for a in n.args])

    def base(self, node: Node, memo) -> _Frag:
        # exp(1)^y must not print as e^y, which reads back as exp(y).
        return self.euler_base() if node is E else memo[id(node)]

    def wrap(self, frag: _Frag, prec: int) -> str:
        return frag.s if frag.prec >= prec else self.paren(frag.s)

    def paren(self, s: str) -> str:
        return "(" + s + ")"

    # ---- sums and products ------------------------------------------------
    def sum(self, n: Node, memo, shapes, opaque) -> _Frag:
        terms = sorted(n.args, key=lambda t: _term_key(t, shapes))
        if terms[-1].op == "num" and all(_is_exponential(t) for t in terms[:-1]):
            terms.insert(0, terms.pop())
        signed = [self.term(t, memo, shapes, opaque) for t in terms]
        if signed[0][0]:
            lead = next((i for i, (negative, _) in enumerate(signed) if not negative), None)
            if lead is not None:
                signed.insert(0, signed.pop(lead))
        parts = []
        for i, (negative, frag) in enumerate(signed):
            body = self.wrap(frag, PROD if negative else NEG)
            if i == 0:
                parts.append(self.minus + body if negative else body)
            else:
                parts.append((f" {self.minus} " if negative else " + ") + body)
        return _Frag("".join(parts), SUM)

    def term(self, t: Node, memo, shapes, opaque) -> tuple[bool, _Frag]:
        """(is it subtracted, its printed magnitude)."""
        if id(t) in opaque:
            return False, memo[id(t)]
        if t.op == "num" and t.value < 0:
            return True, self.number(-t.value)
        if t.op == "mul" and t.args[0].op == "num" and t.args[0].value < 0:
            coeff, factors = _split(t)
            return True, self.product(-coeff, factors, memo, shapes, opaque)
        return False, memo[id(t)]

    def product(self, coeff: Fraction, factors, memo, shapes, opaque) -> _Frag:
        """``coeff * factors`` with negative powers as a denominator."""
        numer: list[_Frag] = []
        denom: list[_Frag] = []
        for f in sorted(factors, key=lambda f: _factor_key(f, shapes)):
            exp = f.args[1] if f.op == "pow" else None
            if id(f) not in opaque and exp is not None and exp.op == "num" and exp.value < 0:
                denom.append(self.num_power(self.base(f.args[0], memo), -exp.value))
            else:
                numer.append(memo[id(f)])
        c = abs(coeff)
        top = ([self.number(Fraction(c.numerator))] if c.numerator != 1 or not numer else [])
        bottom = [self.number(Fraction(c.denominator))] if c.denominator != 1 else []
        frag = self.fraction(top + numer, bottom + denom)
        if coeff < 0:
            return _Frag(self.minus + self.wrap(frag, PROD), NEG)
        return frag

    def join(self, items: list[_Frag]) -> _Frag:
        if len(items) == 1:
            return items[0]
        return _Frag(self.times.join(self.wrap(i, POW) for i in items), PROD)

    def fraction(self, top: list[_Frag], bottom: list[_Frag]) -> _Frag:
        numer = self.join(top)
        if not bottom:
            return numer
        return _Frag(f"{self.wrap(numer, PROD)}/{self.wrap(self.join(bottom), POW)}", PROD)

    # ---- powers -----------------------------------------------------------
    def num_power(self, base: _Frag, q: Fraction) -> _Frag:
        """``base ^ q`` for a positive rational ``q``."""
        if q == 1:
            return base
        if q == Fraction(1, 2):
            return self.sqrt(base)
        return self.power(base, self.number(q), q)

    def power(self, base: _Frag, exp: _Frag, q: Fraction | None) -> _Frag:
        return _Frag(f"{self.wrap(base, ATOM)}^{self.wrap(exp, POW)}", POW)

    def sqrt(self, base: _Frag) -> _Frag:
        return _Frag(f"sqrt({base.s})", ATOM)

    # ---- leaves -----------------------------------------------------------
    def number(self, q: Fraction) -> _Frag:
        sign = self.minus if q < 0 else ""
        q = abs(q)
        if q.denominator == 1:
            return _Frag(f"{sign}{q.numerator}", NEG if sign else ATOM)
        return _Frag(f"{sign}{q.numerator}/{q.denominator}", NEG if sign else PROD)

    def symbol(self, name: str) -> _Frag:
        return _Frag(display_symbol(name, self.notation), ATOM, name=True)

    def pi(self) -> _Frag:
        return _Frag("pi", ATOM, name=True)

    def euler(self) -> _Frag:
        return _Frag("e", ATOM, name=True)

    def euler_base(self) -> _Frag:
        return _Frag("exp(1)", ATOM)

    # ---- functions ----------------------------------------------------------
    def exp(self, arg: _Frag) -> _Frag:
        return self.function("exp", [arg])

    def function(self, op: str, args: list[_Frag]) -> _Frag:
        notation = _notation(op)
        spelled = notation.text if notation else op
        if _infix(notation, args):
            return self.infix(spelled, args)
        return _Frag(f"{spelled}({', '.join(a.s for a in args)})", ATOM)

    def infix(self, spelled: str, args: list[_Frag]) -> _Frag:
        """A binary tensor operator written between its operands (``W @ x``),
        binding like a product."""
        return _Frag(f" {spelled} ".join(self.wrap(a, POW) for a in args), PROD)


def _notation(op: str):
    from chainlens.engine.rules import RULES

    rule = RULES.get(op)
    return rule.notation if rule is not None else None


def _infix(notation, args) -> bool:
    return notation is not None and len(args) == 2 and not notation.text.isidentifier()


class _Unicode(_Printer):
    """The hover form: ``2x·cos(x²)``, ``σ(z)``, ``√(1 − x²)``, ``e^(−x²/2)``."""

    notation = "unicode"
    minus = "−"
    times = "·"
    ellipsis = " …"
    #: exp(u) reads as e^u while u is short; longer arguments read better as exp(u).
    short_exponent = 16

    def join(self, items: list[_Frag]) -> _Frag:
        if len(items) == 1:
            return items[0]
        parts = [self.wrap(i, POW) for i in items]
        # a leading coefficient (and π) is written against what follows:
        # 2x, 2πx, 2√x, 2(x + 1); other factors are separated by a dot
        out = parts[0]
        for prev, part in zip(parts, parts[1:], strict=False):
            close = (_DIGITS.fullmatch(prev) and out == prev) or prev == "π"
            out += part if close and not _DIGITS.match(part) else self.times + part
        return _Frag(out, PROD)

    def power(self, base: _Frag, exp: _Frag, q: Fraction | None) -> _Frag:
        if q is not None and q.denominator == 1 and q < 1000:
            return _Frag(self.wrap(base, ATOM) + str(q.numerator).translate(_SUP), POW)
        return _Frag(f"{self.wrap(base, ATOM)}^{self.wrap(exp, POW)}", POW)

    def sqrt(self, base: _Frag) -> _Frag:
        return _Frag("√" + self.wrap(base, ATOM), POW)

    def symbol(self, name: str) -> _Frag:
        # a versioned name already carries a superscript: bracket it under another
        return _Frag(display_symbol(name, "unicode"), POW if "@" in name else ATOM, name=True)

    def pi(self) -> _Frag:
        return _Frag("π", ATOM)

    def euler_base(self) -> _Frag:
        return _Frag("e", ATOM)

    def exp(self, arg: _Frag) -> _Frag:
        if len(arg.s) > self.short_exponent:
            return _Frag(f"exp({arg.s})", ATOM)
        q = _int_of(arg.s)
        if q is not None and q > 1:
            return _Frag("e" + arg.s.translate(_SUP), POW)
        return _Frag("e^" + self.wrap(arg, ATOM), POW)

    def function(self, op: str, args: list[_Frag]) -> _Frag:
        notation = _notation(op)
        spelled = notation.unicode if notation else op
        if op == "abs":
            return _Frag(f"|{args[0].s}|", ATOM)
        if spelled in ("√", "∛"):
            return _Frag(spelled + self.wrap(args[0], ATOM), POW)
        if _infix(notation, args):
            return self.infix(spelled, args)
        return _Frag(f"{spelled}({', '.join(a.s for a in args)})", ATOM)


def _readable_latex(spelled: str) -> bool:
    """A LaTeX spelling that names its function: a command (``\\sin``,
    ``\\log_2``, ``\\left|{0}\\right|``) or ``\\operatorname`` of a known name."""
    from chainlens.engine.rules import lookup

    m = re.fullmatch(r"\\operatorname\{(\w+)\}", spelled)
    if m:
        return lookup(m.group(1)) is not None
    return spelled.startswith("\\")


def _int_of(s: str) -> int | None:
    return int(s) if s.isdigit() and len(s) < 4 else None


class _Latex(_Printer):
    """LaTeX the parser reads back: ``\\frac``, ``\\sqrt``, ``\\left( \\right)``."""

    notation = "latex"
    ellipsis = " \\ldots"
    #: exp(u) is e^{u} unless u is long enough to be unreadable as a superscript.
    short_exponent = 60

    def paren(self, s: str) -> str:
        return "\\left(" + s + "\\right)"

    def join(self, items: list[_Frag]) -> _Frag:
        if len(items) == 1:
            return items[0]
        out = self.wrap(items[0], POW)
        for prev, item in zip(items, items[1:], strict=False):
            part = self.wrap(item, POW)
            # a digit after a digit, or a bracket after a name (which would read
            # as a call), needs an explicit product sign.
            needs_dot = part[0].isdigit() or (prev.name and part.startswith("\\left("))
            out += (" \\cdot " if needs_dot else " ") + part
        return _Frag(out, PROD)

    def fraction(self, top: list[_Frag], bottom: list[_Frag]) -> _Frag:
        numer = self.join(top)
        if not bottom:
            return numer
        return _Frag(f"\\frac{{{numer.s}}}{{{self.join(bottom).s}}}", PROD)

    def power(self, base: _Frag, exp: _Frag, q: Fraction | None) -> _Frag:
        return _Frag(f"{self.wrap(base, ATOM)}^{{{exp.s}}}", POW)

    def sqrt(self, base: _Frag) -> _Frag:
        return _Frag(f"\\sqrt{{{base.s}}}", ATOM)

    def number(self, q: Fraction) -> _Frag:
        if q.denominator == 1:
            return super().number(q)
        sign = "-" if q < 0 else ""
        q = abs(q)
        return _Frag(f"{sign}\\frac{{{q.numerator}}}{{{q.denominator}}}", NEG if sign else PROD)

    def symbol(self, name: str) -> _Frag:
        return _Frag(display_symbol(name, "latex"), POW if "@" in name else ATOM, name=True)

    def pi(self) -> _Frag:
        return _Frag("\\pi", ATOM, name=True)

    def euler_base(self) -> _Frag:
        return _Frag("\\exp\\left(1\\right)", ATOM)

    def exp(self, arg: _Frag) -> _Frag:
        if len(arg.s) > self.short_exponent:
            return _Frag(f"\\exp\\left({arg.s}\\right)", ATOM)
        return _Frag(f"e^{{{arg.s}}}", POW)

    def function(self, op: str, args: list[_Frag]) -> _Frag:
        notation = _notation(op)
        spelled = notation.latex if notation else f"\\operatorname{{{op}}}"
        if notation and not _infix(notation, args) and not _readable_latex(spelled):
            # the table's display name (ReLU, H) is not one a reader knows;
            # the plain name is, and reads back to the same primitive
            spelled = f"\\operatorname{{{notation.text}}}"
        if "{0}" in spelled:
            return _Frag(spelled.format(*(a.s for a in args)), ATOM)
        if spelled.startswith("\\sqrt"):
            return _Frag(f"{spelled}{{{args[0].s}}}", ATOM)
        if _infix(notation, args):
            return self.infix(spelled, args)
        return _Frag(f"{spelled}\\left({', '.join(a.s for a in args)}\\right)", ATOM)


class _Python(_Printer):
    """numpy source from each rule's ``notation.python`` template."""

    notation = "python"
    times = " * "
    #: templates of the table that name helpers outside numpy and math, and
    #: source that runs with only those two imported
    runnable = {
        "erf": "np.vectorize(math.erf, otypes=[float])({0})",
        "softmax": "(np.exp({0} - np.max({0}, axis=-1, keepdims=True)) / np.sum(np.exp({0} - "
                   "np.max({0}, axis=-1, keepdims=True)), axis=-1, keepdims=True))",
        "logsumexp": "(np.max({0}) + np.log(np.sum(np.exp({0} - np.max({0})))))",
    }

    def cap(self, frag: _Frag) -> _Frag:
        if self.max_chars is not None and len(frag.s) > self.max_chars:
            raise LimitError(
                f"the Python source would exceed {self.max_chars} characters",
                hint="use render_shared(node, 'python') to name shared sub-expressions",
            )
        return frag

    def fraction(self, top: list[_Frag], bottom: list[_Frag]) -> _Frag:
        numer = self.join(top)
        if not bottom:
            return numer
        return _Frag(f"{self.wrap(numer, PROD)} / {self.wrap(self.join(bottom), POW)}", PROD)


    def sqrt(self, base: _Frag) -> _Frag:
        return _Frag(f"np.sqrt({base.s})", ATOM)

    def power(self, base: _Frag, exp: _Frag, q: Fraction | None) -> _Frag:
        if isinstance(base, _Const):
            return _Frag(f"np.power({base.s}, {exp.s})", ATOM)
        return _Frag(f"{self.wrap(base, ATOM)} ** {self.wrap(exp, POW)}", POW)

    def base(self, node: Node, memo) -> _Frag:
        # Python's own ``**`` on numbers computes exact giant integers
        # (9 ** 387420489 never returns) and complex roots of negatives;
        # np.power on a float gives numpy's inf and nan instead.
        if node.op == "num":
            q = node.value
            text = f"{q.numerator}.0" if q.denominator == 1 else f"{q.numerator} / {q.denominator}"
            return _Const(text, ATOM)
        return super().base(node, memo)

    def number(self, q: Fraction) -> _Frag:
        frag = super().number(q)
        return _Frag(frag.s.replace("/", " / "), frag.prec)

    def pi(self) -> _Frag:
        return _Frag("np.pi", ATOM)

    def euler(self) -> _Frag:
        return _Frag("np.e", ATOM)

    def euler_base(self) -> _Frag:
        return _Frag("np.exp(1)", ATOM)

    def exp(self, arg: _Frag) -> _Frag:
        return _Frag(f"np.exp({arg.s})", ATOM)

    def function(self, op: str, args: list[_Frag]) -> _Frag:
        notation = _notation(op)
        if _infix(notation, args):
            return self.infix(notation.text, args)
        template = self.runnable.get(op) or (notation.python if notation else f"{op}(" + ", ".join(
            f"{{{i}}}" for i in range(len(args))) + ")")
        # an argument that is not a whole call argument in the template
        # (``0.5 * {0}``) is bracketed; so is a result that is not one call
        whole = len(_WHOLE_ARGUMENT.findall(template)) == len(_PLACEHOLDER.findall(template))
        out = template.format(*(a.s if whole else self.wrap(a, ATOM) for a in args))
        return _Frag(out, ATOM if _atomic(out) else SUM)


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


_PRINTERS = {"text": _Printer, "unicode": _Unicode, "latex": _Latex, "python": _Python}
#: The notations :func:`render` accepts.
NOTATIONS = tuple(_PRINTERS)


# --------------------------------------------------------------------------
# Shared sub-expressions as lets
# --------------------------------------------------------------------------


class _Lets:
    """Decides, bottom-up, which shared nodes are printed once under a name."""

    def __init__(self, root: Node, notation: str, min_uses: int, min_chars: int):
        self.uses: dict[int, int] = {}
        names = set()
        for node in postorder(root):
            for a in node.args:
                self.uses[id(a)] = self.uses.get(id(a), 0) + 1
            if node.op == "sym":
                names.add(node.value)
        # a let letter no variable could be confused with (u1, u_1, u₁)
        self.letter = next(c for c in "uhgqkmnrstUHG"
                           if not any(re.fullmatch(c + r"_?\d+", n) for n in names))
        self.notation = notation
        self.min_uses, self.min_chars = min_uses, min_chars
        self.bound: list[tuple[str, str]] = []

    def offer(self, node: Node, frag: _Frag, opaque: set[int]) -> _Frag:
        if (not node.args or self.uses.get(id(node), 0) < self.min_uses
                or len(frag.s) < self.min_chars):
            return frag
        i = len(self.bound) + 1
        name = display_symbol(f"{self.letter}_{i}", self.notation)
        if self.notation in ("text", "python"):
            name = f"{self.letter}{i}"
        self.bound.append((name, frag.s))
        opaque.add(id(node))
        return _Frag(name, ATOM, name=True)


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def render(node: Node, notation: str = "text", max_chars: int | None = MAX_CHARS) -> str:
    """``node`` in ``notation`` ("text", "unicode", "latex" or "python").
    Fragments longer than ``max_chars`` end in an ellipsis (Python source
    raises :class:`LimitError` instead: truncated code would not run)."""
    printer = _PRINTERS.get(notation)
    if printer is None:
        raise ValueError(f"unknown notation {notation!r}; choose one of {', '.join(NOTATIONS)}")
    return printer(max_chars).walk(node).s


def to_text(node: Node, max_chars: int | None = MAX_CHARS) -> str:
    """Plain ASCII that :func:`~chainlens.engine.language.reader.parse_expr` reads back
    to the same node: ``2*x*cos(x^2)``, ``exp(-x)/(1 + exp(-x))^2``."""
    return render(node, "text", max_chars)


def to_unicode(node: Node, max_chars: int | None = MAX_CHARS) -> str:
    """The hover form: ``2x·cos(x²)``, ``σ(z)``, ``√(1 − x²)``."""
    return render(node, "unicode", max_chars)


def to_latex(node: Node, max_chars: int | None = MAX_CHARS) -> str:
    """LaTeX: ``2 x \\cos\\left(x^{2}\\right)``, ``\\frac{}{}``, ``e^{-x}``."""
    return render(node, "latex", max_chars)


def to_python(node: Node, max_chars: int | None = MAX_CHARS) -> str:
    """numpy source (``2 * x * np.cos(x ** 2)``) that runs with only
    ``numpy as np`` and ``math`` imported."""
    return render(node, "python", max_chars)


def render_shared(node: Node, notation: str = "text", min_uses: int = 2,
                  min_chars: int = 12, max_chars: int | None = MAX_CHARS) -> str:
    """``node`` with every sub-expression used at least ``min_uses`` times
    and printing to at least ``min_chars`` characters named once, as lets
    before the expression, one per line::

        u₁ = σ(w·x + b)
        2(u₁ − y)·u₁·(1 − u₁)·x

    Deep programs share their layers, so this stays linear in the DAG's size
    where the plain printers would be exponential.  Lets come in dependency
    order (each uses only earlier ones); the last line is the expression."""
    printer = _PRINTERS.get(notation)
    if printer is None:
        raise ValueError(f"unknown notation {notation!r}; choose one of {', '.join(NOTATIONS)}")
    lets = _Lets(node, notation, min_uses, min_chars)
    body = printer(max_chars).walk(node, lets).s
    return "\n".join([*(f"{name} = {text}" for name, text in lets.bound), body])
