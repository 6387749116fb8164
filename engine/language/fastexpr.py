"""A fast path for reading one plain expression (ASCII, a LaTeX subset, numpy names).

Most expressions people type (``sin(x^2)``, ``1/(1 + exp(-x))``,
``\\frac{1}{1+e^{-x}}``, ``np.sin(x**2)``) use a small part of the
``.chain`` language: numbers, plain names, ``+ - * / ^ **``, parentheses
and braces, calls of the table's functions (also with a module prefix,
``np.exp(x)``, or as a LaTeX command: ``\\sin(x)``, ``\\ln(u)``, and
``\\cos x`` with one bare name for its argument), ``\\frac{a}{b}``,
``\\sqrt{u}`` and ``\\pi``.  For those, the lark LALR parser and the
syntax-tree lowering are most of the time from text to derivative.
:func:`fast_expr` reads exactly that subset with one regular expression
for the tokens and a recursive-descent parser over them (its
depth is guarded), and builds the node with the same constructors, in the
same grouping, as :mod:`chainlens.engine.language.exprs` does (one ``add``
per chain of ``+``/``-``, one ``mul`` per chain of ``*``/``/``, ``e^u`` as
``exp(u)``, ``log(x, b)``, the table's compositions), so the node is the
same object.  A property test pins that against the lark path.

Anything else (other LaTeX, ``\\sin^2 x``, ``\\sin x^2``, Unicode,
juxtaposition ``2x``, ``|x|``, exponents ``1e-3``, subscripts, keywords,
unknown functions, a wrong number of arguments, anything deeper than
:data:`MAX_DEPTH`, any error)
returns ``None`` and the caller takes the full parser, so every message
and source span a user sees is still lark's and the lowering's.
"""

from __future__ import annotations

import re

from chainlens.engine import rules
from chainlens.engine.core import ir
from chainlens.engine.core.limits import MAX_SOURCE_CHARS
from chainlens.engine.core.nodes import ONE, PI, E, Node, num, sym
from chainlens.engine.language.names import (
    CONSTANTS,
    composed_call,
    function_of,
    latex_name,
    strip_module,
)

__all__ = ["fast_expr", "MAX_DEPTH"]

#: Nesting (parentheses, unary signs, powers) the fast path takes on;
#: deeper text goes to the full parser and its limits.
MAX_DEPTH = 100

_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?|\.\d+)(?![\deE.A-Za-z_])"
                    r"|([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*)(?![A-Za-z0-9_.])"
                    r"|(\*\*|[-+*/^(),{}])|\\([A-Za-z]+))")
_ALLOWED = re.compile(r"[A-Za-z0-9 .+\-*/^(),{}\\\t]*")
#: What may follow the one bare name of ``\cos x`` (anything else, such as
#: ``^``, another factor or a bracket, changes what the argument is).
_ARG_ENDS = frozenset(("+", "-", "*", "/", ")", ",", "}"))
_FRACS = frozenset(("frac", "dfrac", "tfrac"))
#: Words the grammar reads as statement keywords.
_KEYWORDS = frozenset(("input", "param", "repeat", "in"))
_NOT_FUNCTIONS = frozenset(("e", "pi"))
_functions: dict[str, str | None] = {}
_UNSEEN = object()


class _Fallback(Exception):
    """Not in the fast path's subset: use the full parser."""


def fast_expr(text: str) -> Node | None:
    """The node of ``text`` when it is a plain ASCII expression the fast
    path reads, else None (see the module docstring)."""
    if len(text) > MAX_SOURCE_CHARS or not _ALLOWED.fullmatch(text):
        return None
    tokens: list[tuple[int, str]] = []  # kind 0 number, 1 name, 2 operator, 3 \\word
    ops: list[str | None] = []  # the operator at each position, else None
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() != pos:
            return None  # something between two tokens that no token reads
        pos = m.end()
        k = m.lastindex  # the one group that matched: its number is the kind + 1
        g = m.group(k)
        tokens.append((k - 1, g))
        ops.append(g if k == 3 else None)
    if text[pos:].strip():
        return None
    if not tokens:
        return None
    ops.append(None)  # past the end
    parser = _Parser(tokens, ops)
    try:
        node = parser.expr(0)
    except (_Fallback, RecursionError, ValueError, TypeError, KeyError, IndexError,
            ZeroDivisionError, OverflowError):
        return None
    if parser.i != len(tokens):
        return None
    return node


class _Parser:
    __slots__ = ("tokens", "ops", "i")

    def __init__(self, tokens: list[tuple[int, str]], ops: list[str | None]):
        self.tokens = tokens
        # The operator at each position (None for other tokens and past the
        # end): the parser looks at the next operator ~25 times per
        # expression, read as ``self.ops[self.i]`` without a method call.
        self.ops = ops
        self.i = 0

    def peek(self) -> str | None:
        return self.ops[self.i]

    # expr: term (("+" | "-") term)*     -> one add per chain
    def expr(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise _Fallback
        first = self.term(depth)
        op = self.ops[self.i]
        if op != "+" and op != "-":
            return first
        terms = [first]
        while op == "+" or op == "-":
            self.i += 1
            t = self.term(depth)
            terms.append(ir.neg(t) if op == "-" else t)
            op = self.ops[self.i]
        return ir.add(*terms)

    # term: signed (("*" | "/") signed)*  -> one mul per chain (exprs.x_product)
    def term(self, depth: int) -> Node:
        first = self.signed(depth)
        op = self.ops[self.i]
        if op != "*" and op != "/":
            self.no_juxtaposition()
            return first
        run = [first]
        while op == "*" or op == "/":
            self.i += 1
            right = self.signed(depth)
            if op == "/":
                if right.op == "num" and right.value == 0:
                    run = [ir.div(ir.mul(*run), right)]
                else:
                    run.append(ir.div(ONE, right))
            else:
                run.append(right)
            op = self.ops[self.i]
        self.no_juxtaposition()
        return ir.mul(*run)

    def no_juxtaposition(self) -> None:
        """``2 x``, ``x (y)``, ``2\\sin x``: products by juxtaposition are
        the full parser's (their rules depend on what the names are)."""
        i = self.i
        if i < len(self.tokens):
            kind, value = self.tokens[i]
            if kind != 2 or value == "(" or value == "{":
                raise _Fallback

    # signed: power | ("-" | "+") signed
    def signed(self, depth: int) -> Node:
        op = self.ops[self.i]
        if op == "-" or op == "+":
            if depth > MAX_DEPTH:
                raise _Fallback
            self.i += 1
            inner = self.signed(depth + 1)
            return ir.neg(inner) if op == "-" else inner
        return self.power(depth)

    # power: base (("^" | "**") signed)?   (right-associative through signed)
    def power(self, depth: int) -> Node:
        base = self.base(depth)
        op = self.ops[self.i]
        if op == "^" or op == "**":
            self.i += 1
            exp = self.signed(depth + 1)
            if base is E:
                return ir.call("exp", exp)
            return ir.power(base, exp)
        return base

    def base(self, depth: int) -> Node:
        if self.i >= len(self.tokens):
            raise _Fallback
        kind, value = self.tokens[self.i]
        self.i += 1
        if kind == 0:
            return num(int(value)) if value.isdigit() else num(value)  # "2": no Fraction("2")
        if kind == 1:
            if value in _KEYWORDS:
                raise _Fallback
            if self.ops[self.i] == "(":
                return self.call(value, depth)
            if "." in value:  # np.pi; any other dotted name is the full parser's
                const = CONSTANTS.get(strip_module(value))
                if const is None:
                    raise _Fallback
                return const
            return _name(value)
        if kind == 3:
            return self.latex(value, depth)
        if value == "(" or value == "{":  # a LaTeX group reads as a bracket
            inner = self.expr(depth + 1)
            self.close(")" if value == "(" else "}")
            return inner
        raise _Fallback

    def close(self, bracket: str = ")") -> None:
        if self.ops[self.i] != bracket:
            raise _Fallback
        self.i += 1

    def braced(self, depth: int) -> Node:
        if self.ops[self.i] != "{":
            raise _Fallback  # \frac12, \sqrt x: the full parser's one-token arguments
        self.i += 1
        inner = self.expr(depth + 1)
        self.close("}")
        return inner

    def latex(self, word: str, depth: int) -> Node:
        """A LaTeX command, as :meth:`exprs.ExprLowering.x_frac`, ``x_root``,
        ``x_pi`` and ``x_lcall`` lower it."""
        if word in _FRACS:
            top = self.braced(depth)
            return ir.div(top, self.braced(depth))
        if word == "sqrt":
            return ir.sqrt(self.braced(depth))
        if word == "pi":
            return PI
        if word not in rules.LATEX:
            raise _Fallback  # \left, \cdot, Greek letters...
        fname = _function(latex_name("\\" + word))
        if fname is None:
            raise _Fallback
        if self.ops[self.i] == "(":
            return self.arguments(fname, depth)
        # \cos x: one bare name, then something that ends the argument
        i = self.i
        tokens = self.tokens
        if i >= len(tokens) or tokens[i][0] != 1 or "." in tokens[i][1]:
            raise _Fallback
        if i + 1 < len(tokens) and (tokens[i + 1][0] != 2 or tokens[i + 1][1] not in _ARG_ENDS):
            raise _Fallback
        self.i += 1
        return _apply(fname, (_name(tokens[i][1]),))

    def call(self, name: str, depth: int) -> Node:
        if name in _NOT_FUNCTIONS:
            raise _Fallback
        fname = _function(name)
        if fname is None:
            raise _Fallback  # a product a(x + 1), or an unknown function
        return self.arguments(fname, depth)

    def arguments(self, fname: str, depth: int) -> Node:
        self.i += 1  # "("
        args = [self.expr(depth + 1)]
        while self.ops[self.i] == ",":
            self.i += 1
            args.append(self.expr(depth + 1))
        self.close()
        return _apply(fname, tuple(args))


def _name(value: str) -> Node:
    """A bare name, as ``ExprLowering.resolve_name`` reads it in one expression."""
    if value in _KEYWORDS:
        raise _Fallback
    if value in CONSTANTS:
        return CONSTANTS[value]
    if _function(value) is not None:
        raise _Fallback  # "sin" without arguments: the full parser's error
    return sym(value)


def _function(name: str) -> str | None:
    found = _functions.get(name, _UNSEEN)  # (a new variable name is the common miss:
    if found is _UNSEEN:                   # no KeyError raised for it)
        found = _functions[name] = function_of(name)
        if len(_functions) > 4096:
            _functions.clear()
    return found


def _fall_back(want: int) -> None:
    raise _Fallback


def _apply(fname: str, args: tuple[Node, ...]) -> Node:
    """``fname(args)`` as :meth:`exprs.ExprLowering.call` builds it; any
    case that would be an error there falls back."""
    n = len(args)
    composed = composed_call(fname, args, _fall_back)
    if composed is not None:
        return composed
    rule = rules.RULES.get(fname)
    if rule is None or (rule.arity >= 0 and rule.arity != n) or rule.tensor is not None:
        raise _Fallback
    return ir.call(fname, *args)

