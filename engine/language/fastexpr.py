"""A fast path for reading one plain ASCII expression.

Most expressions people type (``sin(x^2)``, ``1/(1 + exp(-x))``) use a
small part of the ``.chain`` language: numbers, plain names, ``+ - * / ^
**``, parentheses and calls of the table's functions.  For those, the lark
LALR parser and the syntax-tree lowering are most of the time from text to
derivative.  :func:`fast_expr` reads exactly that subset with one regular
expression for the tokens and a recursive-descent parser over them (its
depth is guarded), and builds the node with the same constructors, in the
same grouping, as :mod:`chainlens.engine.language.exprs` does (one ``add``
per chain of ``+``/``-``, one ``mul`` per chain of ``*``/``/``, ``e^u`` as
``exp(u)``, ``log(x, b)``, the table's compositions), so the node is the
same object.  A property test pins that against the lark path.

Anything else (LaTeX, Unicode, juxtaposition ``2x``, ``|x|``, exponents
``1e-3``, module prefixes, subscripts, keywords, unknown functions, a wrong
number of arguments, anything deeper than :data:`MAX_DEPTH`, any error)
returns ``None`` and the caller takes the full parser, so every message
and source span a user sees is still lark's and the lowering's.
"""

from __future__ import annotations

import re

from chainlens.engine import rules
from chainlens.engine.core import ir
from chainlens.engine.core.limits import MAX_SOURCE_CHARS
from chainlens.engine.core.nodes import ONE, E, Node, num, sym
from chainlens.engine.language.names import CONSTANTS, composed_call, function_of

__all__ = ["fast_expr", "MAX_DEPTH"]

#: Nesting (parentheses, unary signs, powers) the fast path takes on;
#: deeper text goes to the full parser and its limits.
MAX_DEPTH = 100

_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?|\.\d+)(?![\deE.A-Za-z_])|([A-Za-z][A-Za-z0-9]*)"
                    r"(?![A-Za-z0-9_.])|(\*\*|[-+*/^(),]))")
_ALLOWED = re.compile(r"[A-Za-z0-9 .+\-*/^(),\t]*")
#: Words the grammar reads as statement keywords.
_KEYWORDS = frozenset(("input", "param", "repeat", "in"))
_NOT_FUNCTIONS = frozenset(("e", "pi"))
_functions: dict[str, str | None] = {}


class _Fallback(Exception):
    """Not in the fast path's subset: use the full parser."""


def fast_expr(text: str) -> Node | None:
    """The node of ``text`` when it is a plain ASCII expression the fast
    path reads, else None (see the module docstring)."""
    if len(text) > MAX_SOURCE_CHARS or not _ALLOWED.fullmatch(text):
        return None
    tokens: list[tuple[int, str]] = []  # kind 0 number, 1 name, 2 operator
    pos, n = 0, len(text)
    match = _TOKEN.match
    while True:
        m = match(text, pos)
        if m is None or m.end() == pos:
            if text[pos:].strip():
                return None
            break
        pos = m.end()
        if m.group(1) is not None:
            tokens.append((0, m.group(1)))
        elif m.group(2) is not None:
            tokens.append((1, m.group(2)))
        else:
            tokens.append((2, m.group(3)))
        if pos >= n:
            break
    if not tokens:
        return None
    parser = _Parser(tokens)
    try:
        node = parser.expr(0)
    except (_Fallback, RecursionError, ValueError, TypeError, KeyError, ZeroDivisionError,
            OverflowError):
        return None
    if parser.i != len(tokens):
        return None
    return node


class _Parser:
    __slots__ = ("tokens", "i")

    def __init__(self, tokens: list[tuple[int, str]]):
        self.tokens = tokens
        self.i = 0

    def peek(self) -> str | None:
        i = self.i
        if i < len(self.tokens):
            kind, value = self.tokens[i]
            return value if kind == 2 else None
        return None

    # expr: term (("+" | "-") term)*     -> one add per chain
    def expr(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise _Fallback
        first = self.term(depth)
        op = self.peek()
        if op != "+" and op != "-":
            return first
        terms = [first]
        while op == "+" or op == "-":
            self.i += 1
            t = self.term(depth)
            terms.append(ir.neg(t) if op == "-" else t)
            op = self.peek()
        return ir.add(*terms)

    # term: signed (("*" | "/") signed)*  -> one mul per chain (exprs.x_product)
    def term(self, depth: int) -> Node:
        first = self.signed(depth)
        op = self.peek()
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
            op = self.peek()
        self.no_juxtaposition()
        return ir.mul(*run)

    def no_juxtaposition(self) -> None:
        """``2 x``, ``x (y)``: products by juxtaposition are the full
        parser's (their rules depend on what the names are)."""
        i = self.i
        if i < len(self.tokens):
            kind, value = self.tokens[i]
            if kind != 2 or value == "(":
                raise _Fallback

    # signed: power | ("-" | "+") signed
    def signed(self, depth: int) -> Node:
        op = self.peek()
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
        op = self.peek()
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
            return num(value)
        if kind == 1:
            if value in _KEYWORDS:
                raise _Fallback
            if self.peek() == "(":
                return self.call(value, depth)
            if value in CONSTANTS:
                return CONSTANTS[value]
            if _function(value) is not None:
                raise _Fallback  # "sin" without arguments: the full parser's error
            return sym(value)
        if value == "(":
            inner = self.expr(depth + 1)
            self.close()
            return inner
        raise _Fallback

    def close(self) -> None:
        if self.peek() != ")":
            raise _Fallback
        self.i += 1

    def call(self, name: str, depth: int) -> Node:
        if name in _NOT_FUNCTIONS:
            raise _Fallback
        fname = _function(name)
        if fname is None:
            raise _Fallback  # a product a(x + 1), or an unknown function
        self.i += 1  # "("
        args = [self.expr(depth + 1)]
        while self.peek() == ",":
            self.i += 1
            args.append(self.expr(depth + 1))
        self.close()
        return _apply(fname, tuple(args))


def _function(name: str) -> str | None:
    try:
        return _functions[name]
    except KeyError:
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

