"""Expressions: syntax nodes -> IR nodes, with every name resolved.

The second half of :mod:`chainlens.engine.language.reader`.  A name in an expression
can be a loop variable (``k`` in ``repeat k``: the layer number), a function
parameter, an assigned name (its current SSA version), a declared input, a
constant (``e``, ``pi``), a function from the rules table (under any of its
spellings and library prefixes: ``np.arcsin`` is ``asin``), a user function
(inlined), or else an input (how a name is *spelled*, ``θ`` or ``\\theta``
or ``w₁``, is :mod:`.names`; which of these it is, here).  Every node is
built with the constructors of :mod:`chainlens.engine.core.ir`, so equal math
is one node whatever the notation, and every node built from source is
recorded with the span it was written at.

Only the statement layer (:class:`chainlens.engine.language.reader._Lowering`) changes
the name state; this layer reads it.
"""

from __future__ import annotations

import math
import re

import numpy as np
from chainlens.engine import rules
from chainlens.engine.core import ir, nodes, walk
from chainlens.engine.core.limits import MAX_NODES
from chainlens.engine.core.nodes import PI, E, Node
from chainlens.engine.core.source import LimitError, ParseError, Span
from chainlens.engine.language.names import (
    CONSTANTS,
    GREEK_NAMES,
    composed_call,
    function_of,
    is_letter,
    latex_name,
    nearest,
    strip_module,
    written_name,
)
from chainlens.engine.language.program import FunctionDef
from chainlens.engine.language.syntax_tree import Lines, Syn

__all__ = ["ExpressionLowering", "evaluate_constant"]

_LOOP_SUB = re.compile(r"([A-Za-z]\w*)\s*([+-])\s*(\d+)$")
#: Largest decimal exponent in a number literal (1e999999999 would be read
#: exactly, as a billion-digit integer).
_MAX_EXPONENT = 1000


class ExpressionLowering:
    """Name state and expression lowering for one parse (never shared)."""

    def __init__(self, lines: Lines):
        self.lines = lines
        self.text = lines.text
        self.env: dict[str, str] = {}  # name as written -> current SSA name
        self.read_as_input: set[str] = set()
        self.declared: dict = {}  # name -> Declaration
        self.functions: dict[str, FunctionDef] = {}
        self.params: dict[str, Node] | None = None  # inside a function body
        self.defining: str | None = None
        self.loops: dict[str, int] = {}  # loop variable -> current layer
        self.spans: dict[Node, list[Span]] = {}
        self.nodes = 0
        self._fn_cache: dict[str, str | None] = {}
        self._name_cache: dict[str, str] = {}

    # ---- errors and spans ---------------------------------------------------
    def error(self, message, start, end=None, expected=(), hint=None, cls=ParseError):
        return self.lines.error(cls, message, start, end, expected, hint)

    def span(self, s: Syn) -> Span:
        return self.lines.span(s.start, s.end)

    def mark(self, node: Node, s: Syn) -> Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.error(f"the program expands to more than {MAX_NODES} nodes",
                             s.start, s.end, cls=LimitError,
                             hint="use fewer repeat layers or smaller functions")
        sp = self.lines.span(s.start, s.end)
        lst = self.spans.get(node)
        if lst is None:
            self.spans[node] = [sp]
        elif lst[-1] is not sp:  # spans are interned per (start, end) by Lines
            lst.append(sp)
        return node

    # ---- names ----------------------------------------------------------------
    def plain_name(self, raw: str, start: int, end: int) -> str:
        """The name as the program knows it: ``\\theta`` -> theta, ``θ`` -> theta,
        ``a_{k}`` -> a_k, and inside ``repeat k`` ``w_k`` -> w_3."""
        if not self.loops:
            known = self._name_cache.get(raw)
            if known is None:
                known = self._name_cache[raw] = self._plain_name(raw, start, end)
            return known
        return self._plain_name(raw, start, end)

    def _plain_name(self, raw: str, start: int, end: int) -> str:
        return written_name(raw, lambda sub: self.subscript(sub, start, end))

    def subscript(self, sub: str, start: int, end: int) -> str:
        if sub in self.loops:
            return str(self.loops[sub])
        m = _LOOP_SUB.match(sub)
        if m and m.group(1) in self.loops:
            k = self.loops[m.group(1)]
            return str(k + int(m.group(3)) if m.group(2) == "+" else k - int(m.group(3)))
        sub = re.sub(r"\s*,\s*", "_", sub)
        if not re.fullmatch(r"[A-Za-z0-9_]+", sub):
            raise self.error(f"subscript '{sub}' must be letters and digits", start, end,
                             hint="k+1 / k-1 subscripts work inside 'repeat k in ...'")
        return sub

    def resolve_name(self, s: Syn) -> Node:
        name = self.plain_name(s.val, s.start, s.end)
        if self.params is not None and name in self.params:
            return self.params[name]
        if name in self.loops:
            return nodes.num(self.loops[name])
        ssa = self.env.get(name)
        if ssa is not None:
            return nodes.sym(ssa)
        if name in self.declared:
            return nodes.sym(name)
        if "." in name:
            stripped = strip_module(name)
            if stripped in ("pi", "e"):
                return CONSTANTS[stripped]
            raise self.error(f"unknown name '{name}'", s.start, s.end,
                             hint="module prefixes (np., torch., math.) go before functions")
        if name == "e" or name == "pi":
            return CONSTANTS[name]
        if name in self.functions:
            raise self.error(f"'{name}' is a function; call it as {name}(...)", s.start, s.end)
        if self.builtin(name) is not None:
            power = re.match(r"\^\s*(\w+)", self.text[s.end:])  # ASCII sin^2(x): a power
            n = power.group(1) if power else ""
            latex = f"\\{name}^{n} x" if power else f"\\{name} x"
            hint = f"for its power write {name}(x)^{n}" if power else None
            if name in rules.LATEX:
                hint = f"{hint} (in LaTeX {latex})" if hint else f"in LaTeX write {latex}"
            raise self.error(f"'{name}' is a function; call it as {name}(x)", s.start, s.end,
                             hint=hint)
        letters = self._letter_product(name)
        if letters is not None:
            return ir.mul(*(self.resolve_name(Syn("name", s.start + k, s.start + k + 1, (), ch))
                            for k, ch in enumerate(letters)))
        self.read_as_input.add(name)  # a later assignment makes a new version
        return nodes.sym(name)

    def _letter_product(self, name: str) -> str | None:
        """In a program written in LaTeX, a run of letters that names nothing
        (``xe`` in ``2xe^x``, ``te`` in ``te^t``) is a product of its letters,
        as TeX typesets it, when each letter is a variable here or ``e``."""
        if len(name) < 2 or not name.isascii() or not name.isalpha() or \
                "\\" not in self.lines.text:
            return None
        if all(ch == "e" or self.is_variable(ch) for ch in name) and \
                any(self.is_variable(ch) for ch in name):
            return name
        return None

    def is_variable(self, name: str) -> bool:
        return (name in self.env or name in self.declared or name in self.loops
                or (self.params is not None and name in self.params))

    def builtin(self, name: str) -> str | None:
        """The function a name denotes when it is not a variable -- never a
        Greek letter (``sigma`` may be a standard deviation; ``sigma(z)`` is
        still the sigmoid where no variable sigma exists)."""
        return None if name in GREEK_NAMES else self._function_name(name)

    def _function_name(self, name: str) -> str | None:
        """The canonical function for a typed name (after module prefixes)."""
        try:
            return self._fn_cache[name]
        except KeyError:
            found = self._fn_cache[name] = function_of(name)
            return found

    # ---- expressions -----------------------------------------------------------
    def expr(self, s: Syn) -> Node:
        node = getattr(self, "x_" + s.kind)(s)
        return self.mark(node, s)

    def x_num(self, s):
        exponent = s.val.lower().partition("e")[2]
        if exponent and abs(int(exponent)) > _MAX_EXPONENT:
            raise self.error(f"'{s.val}': exponents beyond ±{_MAX_EXPONENT} are not supported",
                             s.start, s.end)
        try:
            return nodes.num(s.val)
        except (ValueError, ZeroDivisionError, OverflowError):
            raise self.error(f"'{s.val}' is not a number", s.start, s.end) from None

    def x_name(self, s):
        return self.resolve_name(s)

    def x_pi(self, s):
        return PI

    def x_euler(self, s):
        return E  # \mathrm{e}: Euler's number even where a variable e exists

    def x_group(self, s):
        return self.expr(s.kids[0])

    def x_pos(self, s):
        return self.expr(s.kids[0])

    def x_neg(self, s):
        return ir.neg(self.expr(s.kids[0]))

    def x_sum(self, s):
        terms = []
        for sign, k in zip(s.val, s.kids, strict=True):
            t = self.expr(k)
            terms.append(ir.neg(t) if sign == "-" else t)
        return ir.add(*terms)

    def x_product(self, s):
        # One mul() per run of * and / (not one per operator: that would
        # re-flatten the growing product each time, O(n^2) for long ones).
        run = [self.expr(s.kids[0])]
        for op, k in zip(s.val[1:], s.kids[1:], strict=True):
            right = self.expr(k)
            if op == "/":
                if right.op == "num" and right.value == 0:
                    run = [ir.div(ir.mul(*run), right)]
                else:
                    run.append(ir.div(nodes.ONE, right))
            elif op == "@":
                run = [self.call("matmul", (ir.mul(*run), right), s)]
            else:
                run.append(right)
        return ir.mul(*run) if len(run) > 1 else run[0]

    def x_pow(self, s):
        low, top = s.kids[0], s.kids[1]
        if low.kind == "apply" and len(low.kids) == 1 and self.is_product(
                self.plain_name(*low.val)):
            # t(t^2+1)^9 is t * (t^2+1)^9, as TeX typesets it: the superscript
            # belongs to the bracket, the letter before it multiplies.
            raw, hs, he = low.val
            head = self.mark(self.resolve_name(Syn("name", hs, he, (), raw)),
                             Syn("name", hs, he))
            inner = Syn("pow", low.kids[0].start, s.end, (low.kids[0], top), s.val)
            return ir.mul(head, self.mark(self.x_pow(inner), inner))
        if low.kind == "name" and self._letter_product(self.plain_name(
                low.val, low.start, low.end)) is not None and not self.is_variable(low.val):
            # 2xe^x: the superscript takes the last letter (x * e^x)
            last = Syn("name", low.end - 1, low.end, (), low.val[-1])
            head = Syn("name", low.start, low.end - 1, (), low.val[:-1])
            inner = Syn("pow", last.start, s.end, (last, top), s.val)
            return ir.mul(self.expr(head) if len(head.val) > 1 else self.resolve_name(head),
                          self.mark(self.x_pow(inner), inner))
        base = self.expr(low)
        if top.kind == "apply" and len(top.kids) == 1 and self.is_product(
                self.plain_name(*top.val)):
            # x^x(ln x + 1) is x^x * (ln x + 1), as TeX typesets it: a
            # superscript takes one name, the bracket that follows multiplies.
            raw, hs, he = top.val
            head = self.mark(self.resolve_name(Syn("name", hs, he, (), raw)),
                             Syn("name", hs, he))
            power = self.mark(self._power(base, head), Syn("pow", s.kids[0].start, he))
            return ir.mul(power, self.expr(top.kids[0]))
        return self._power(base, self.expr(top))

    @staticmethod
    def _power(base: Node, exp: Node) -> Node:
        if base is E:
            return ir.call("exp", exp)  # e^u is exp(u)
        return ir.power(base, exp)

    def x_abs(self, s):
        return ir.call("abs", self.expr(s.kids[0]))

    def x_frac(self, s):
        return ir.div(self.expr(s.kids[0]), self.expr(s.kids[1]))

    def x_root(self, s):
        u = self.expr(s.kids[0])
        if len(s.kids) == 1:
            return ir.sqrt(u)
        n = self.expr(s.kids[1])
        if n.op == "num" and n.value == 3:
            return ir.call("cbrt", u)
        if n.op == "num" and n.value == 0:
            raise self.error("a 0th root is undefined", s.kids[1].start, s.kids[1].end)
        return ir.power(u, ir.div(nodes.ONE, n))

    def x_apply(self, s):
        raw, hs, he = s.val
        name = self.plain_name(raw, hs, he)
        if self.is_product(name):
            return self.juxtaposed(name, s)
        if name in self.functions:
            return self.inline(name, s)
        if name == self.defining:
            raise self.error(f"'{name}' calls itself; functions cannot be recursive", hs, he)
        fname = self._function_name(name)
        if fname is not None:
            args = tuple(self.expr(k) for k in s.kids)
            return self.call(fname, args, s)
        bare = strip_module(name)
        hint = nearest(bare)
        if hint is None and "." not in name:
            hint = f"define it first: {name}(t) = ..."
        raise self.error(f"unknown function '{name}'", hs, he, hint=hint)

    def is_product(self, name: str) -> bool:
        """Whether ``name(...)`` is ``name * (...)``: the name is a variable,
        or a letter, Greek letter, ``e`` or ``pi`` that is no function."""
        if self.is_variable(name):
            return True
        if name in self.functions or name == self.defining or "." in name:
            return False
        if name in ("e", "pi"):
            return True
        return is_letter(name) and self._function_name(name) is None

    def juxtaposed(self, name: str, s: Syn) -> Node:
        raw, hs, he = s.val
        if len(s.kids) != 1:
            raise self.error(f"'{name}' is not a function, so '{name}(a, b)' means nothing",
                             hs, he, hint=f"define it first: {name}(t, u) = ...")
        head = self.mark(self.resolve_name(Syn("name", hs, he, (), raw)), Syn("name", hs, he))
        return ir.mul(head, self.expr(s.kids[0]))

    def inline(self, name: str, s: Syn) -> Node:
        f = self.functions[name]
        if len(s.kids) != len(f.params):
            raise self.error(f"{name} takes {len(f.params)} argument(s), got {len(s.kids)}",
                             s.start, s.end, hint=f"defined on line {f.span.line}")
        args = [self.expr(k) for k in s.kids]
        bound = {nodes.sym(p): a for p, a in zip(f.params, args, strict=True)}
        return walk.substitute(f.body, bound)

    def x_lcall(self, s):
        raw, hs, he = s.val
        args = tuple(self.expr(k) for k in s.kids)
        return self.latex_call(raw, args, s)

    def x_lcall_pow(self, s):
        raw, hs, he = s.val
        sup = self.expr(s.kids[0])
        args = tuple(self.expr(k) for k in s.kids[1:])
        name = latex_name(raw)
        inverse = rules.INVERSES.get(rules.LATEX.get(name, name))
        if sup.op == "num" and sup.value == -1 and inverse is not None:
            return self.call(inverse, args, s)  # \sin^{-1} x is arcsin
        if sup.op == "num" and sup.value == -1 and self._function_name(name) is not None:
            # \coth^{-1} x is arccoth, which the table lacks: never 1/coth x
            raise self.error(f"the inverse function {name}^{{-1}} is not known", s.start, s.end)
        return ir.power(self.latex_call(raw, args, s), sup)

    def latex_call(self, raw: str, args: tuple[Node, ...], s: Syn) -> Node:
        name = latex_name(raw)
        if name.startswith("log_"):
            if len(args) != 1:
                raise self.error("\\log_b takes one argument", s.start, s.end)
            base = name[4:].strip("{} ")
            if base in ("2", "10"):
                return self.call("log" + base, args, s)
            b = self.resolve_name(Syn("name", s.start, s.end, (), base)) \
                if not base.isdigit() else nodes.num(base)
            return self.call("log", (args[0], b), s)
        fname = self._function_name(name)
        if fname is None:
            _, hs, he = s.val
            raise self.error(f"unknown function '{name}'", hs, he, hint=nearest(name))
        return self.call(fname, args, s)

    def call(self, fname: str, args: tuple[Node, ...], s: Syn) -> Node:
        """``fname(args)`` through the rules table, with the spellings that
        are compositions (log with a base, pow, square...) built here."""
        n = len(args)
        composed = composed_call(fname, args, lambda want: self.arity(fname, want, n, s))
        if composed is not None:
            return composed
        rule = rules.RULES.get(fname)
        if rule is None:
            raise self.error(f"tensor operations not available ({fname})", s.start, s.end,
                             hint="this install has no tensor primitives in its rules table")
        if rule.arity >= 0:
            self.arity(fname, rule.arity, n, s)
        try:
            return ir.call(fname, *args)
        except (TypeError, ValueError, KeyError) as exc:  # a rule's own check on its arguments
            raise self.error(f"{fname}: {exc}", s.start, s.end) from None

    def arity(self, fname, want, got, s):
        if want != got:
            raise self.error(f"{fname} takes {want} argument{'s' if want != 1 else ''}, "
                             f"got {got}", s.start, s.end)


def evaluate_constant(node: Node) -> float:
    """The float value of a closed expression (``pi/2``, ``sqrt(2)``), through
    the rules table's numpy forwards; used for ``@at`` values only."""
    values: dict[int, float] = {}
    with np.errstate(all="ignore"):
        for n in walk.postorder(node):
            if n.op == "num":
                v = float(n.value)
            elif n.op == "pi":
                v = math.pi
            elif n.op == "add":
                v = float(sum(values[id(a)] for a in n.args))
            elif n.op == "mul":
                v = float(np.prod([values[id(a)] for a in n.args]))
            else:
                v = float(rules.RULES[n.op].forward(*(np.float64(values[id(a)])
                                                      for a in n.args)))
            values[id(n)] = v
    return values[id(node)]
