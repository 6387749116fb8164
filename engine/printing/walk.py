"""The walk shared by every notation, and the plain-text spelling.

Why one walk with four styles rather than four printers: precedence, sign
handling (``a + (-1)*y`` reads ``a - y``), fractions (``x * y^-2`` reads
``x/y^2``) and the order of terms and factors (:mod:`.order`) are the same
decision in every notation; only the spelling of the pieces differs
(:mod:`.notations` overrides it).  Nodes can be thousands deep and, as
trees, exponentially large: the walk is bottom-up over
:func:`~chainlens.engine.core.walk.postorder` (no recursion), each shared
node is formatted once, and every fragment is capped at ``max_chars`` with
an ellipsis.  Primitives are spelled from their table entry's ``notation``.
"""

from __future__ import annotations

from fractions import Fraction

from chainlens.engine.core import limits
from chainlens.engine.core.nodes import E, Node
from chainlens.engine.core.source import LimitError
from chainlens.engine.core.walk import postorder
from chainlens.engine.printing.names import display_symbol
from chainlens.engine.printing.order import (
    Shape,
    factor_key,
    is_exponential,
    shape_of,
    split,
    term_key,
)
from chainlens.engine.rules import RULES

__all__ = ["Printer", "Frag", "Const", "MAX_CHARS", "SUM", "NEG", "PROD", "POW", "ATOM",
           "notation_of", "is_infix"]

#: Default cap on printed length; beyond it a fragment ends in an ellipsis.
MAX_CHARS = 20_000

# Binding strength of a printed fragment: a child is parenthesised when it
# binds more loosely than its position needs.
SUM, NEG, PROD, POW, ATOM = 1, 2, 3, 4, 5



class Frag:
    """A printed sub-expression and how tightly it binds.  ``name`` marks a
    bare variable (LaTeX needs a ``\\cdot`` between a name and a bracket, or
    the parser would read a call).  Treated as immutable; a plain slotted
    class because the walk makes one per node (a frozen dataclass's
    ``__init__`` costs several times more)."""

    __slots__ = ("s", "prec", "name")

    def __init__(self, s: str, prec: int, name: bool = False):
        self.s = s
        self.prec = prec
        self.name = name

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and (self.s, self.prec, self.name) == (
            other.s, other.prec, other.name)

    def __hash__(self) -> int:
        return hash((self.s, self.prec, self.name))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(s={self.s!r}, prec={self.prec!r}, name={self.name!r})"


class Const(Frag):
    """A number as the base of a power, which Python spells apart."""

    __slots__ = ()



class Printer:
    """Plain ASCII, re-parseable; the other notations override the spelling."""

    notation = "text"
    minus = "-"
    times = "*"
    ellipsis = " ..."

    def __init__(self, max_chars: int | None = MAX_CHARS):
        self.max_chars = max_chars

    # ---- driving ---------------------------------------------------------
    def walk(self, root: Node, lets=None, flat_limit: int | None = None) -> Frag | None:
        """``root``'s fragment.  With ``flat_limit``: None when the estimated
        flat length of a node (:func:`~chainlens.engine.printing.shared.flat_length`'s
        count, which only grows towards the root) exceeds it, so the caller
        can print with lets instead; counted over this walk's own order
        before printing anything (a deep result would be printed nearly
        whole before its top nodes showed it is too long)."""
        memo: dict[int, Frag] = {}
        shapes: dict[int, Shape] = {}
        opaque: set[int] = set()
        work = 0
        capped = self.max_chars is not None
        order = lets.order if lets is not None and lets.roots is root else postorder(root)
        if flat_limit is not None and not _fits(order, flat_limit):
            return None
        for node in order:
            if node.args:
                shapes[id(node)] = shape_of(node, shapes)
                frag = self.node(node, memo, shapes, opaque)
            else:  # a leaf, inline (half of the nodes): shape_of's and node()'s answers
                op = node.op
                if op == "num":
                    shapes[id(node)] = _NUM_SHAPE
                    frag = self.number(node.value)
                elif op == "sym":
                    shapes[id(node)] = _SYM_SHAPE
                    frag = self.symbol(node.value)
                else:
                    shapes[id(node)] = shape_of(node, shapes)
                    frag = self.node(node, memo, shapes, opaque)
            if capped:
                frag = self.cap(frag)
            else:
                work += len(frag.s)
                if work > limits.MAX_PRINT_WORK:
                    raise LimitError(
                        f"printing the whole expression needs more than {limits.MAX_PRINT_WORK:,}"
                        " characters of work (MAX_PRINT_WORK)", None,
                        hint="print it with a max_chars cap, or with shared sub-expressions"
                             " named (render_shared)")
            if lets is not None and node is not root:
                frag = lets.offer(node, frag, opaque)
            memo[id(node)] = frag
        return memo[id(root)]

    def walk_many(self, roots: tuple[Node, ...], lets) -> list[Frag]:
        """Each root's fragment from ONE walk over all of them: shared nodes
        are formatted (and named by ``lets``) once for every root."""
        memo: dict[int, Frag] = {}
        shapes: dict[int, Shape] = {}
        opaque: set[int] = set()
        tops = {id(r) for r in roots}
        for node in lets.order if lets.roots is roots else postorder(roots):
            shapes[id(node)] = shape_of(node, shapes)
            frag = self.cap(self.node(node, memo, shapes, opaque))
            if id(node) not in tops:
                frag = lets.offer(node, frag, opaque)
            memo[id(node)] = frag
        return [memo[id(r)] for r in roots]

    def cap(self, frag: Frag) -> Frag:
        if self.max_chars is None or len(frag.s) <= self.max_chars:
            return frag
        return Frag(frag.s[: self.max_chars] + self.ellipsis, frag.prec)

    def node(self, n: Node, memo, shapes, opaque) -> Frag:
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
            coeff, factors = split(n)
            return self.product(coeff, factors, memo, shapes, opaque)
        if op == "pow":
            base, exp = n.args
            if exp.op == "num" and exp.value.numerator < 0:
                return self.product(_ONE, (n,), memo, shapes, opaque)
            if exp.op == "num":
                return self.num_power(self.base(base, memo), exp.value)
            return self.power(self.base(base, memo), memo[id(exp)], None)
        if op == "exp":
            return self.exp(memo[id(n.args[0])])
        return self.function(op, [memo[id(a)] for a in n.args])

    def base(self, node: Node, memo) -> Frag:
        # exp(1)^y must not print as e^y, which reads back as exp(y).
        return self.euler_base() if node is E else memo[id(node)]

    def wrap(self, frag: Frag, prec: int) -> str:
        return frag.s if frag.prec >= prec else self.paren(frag.s)

    def paren(self, s: str) -> str:
        return "(" + s + ")"

    # ---- sums and products ------------------------------------------------
    def sum(self, n: Node, memo, shapes, opaque) -> Frag:
        args = n.args
        if len(args) == 2:  # the common case, as sorted() orders it (stable)
            a, b = args
            terms = [b, a] if term_key(b, shapes) < term_key(a, shapes) else [a, b]
        else:
            terms = sorted(args, key=lambda t: term_key(t, shapes))
        if terms[-1].op == "num" and all(is_exponential(t) for t in terms[:-1]):
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
        return Frag("".join(parts), SUM)

    def term(self, t: Node, memo, shapes, opaque) -> tuple[bool, Frag]:
        """(is it subtracted, its printed magnitude)."""
        if id(t) in opaque:
            return False, memo[id(t)]
        if t.op == "num" and t.value.numerator < 0:
            return True, self.number(_negated(t.value))
        if t.op == "mul" and t.args[0].op == "num" and t.args[0].value.numerator < 0:
            coeff, factors = split(t)
            return True, self.product(_negated(coeff), factors, memo, shapes, opaque)
        return False, memo[id(t)]

    def product(self, coeff: Fraction, factors, memo, shapes, opaque) -> Frag:
        """``coeff * factors`` with negative powers as a denominator."""
        numer: list[Frag] = []
        denom: list[Frag] = []
        if len(factors) > 1:
            if len(factors) == 2:  # as sorted() orders them (stable)
                a, b = factors
                if factor_key(b, shapes) < factor_key(a, shapes):
                    factors = (b, a)
            else:
                factors = sorted(factors, key=lambda f: factor_key(f, shapes))
        for f in factors:
            exp = f.args[1] if f.op == "pow" else None
            if id(f) not in opaque and exp is not None and exp.op == "num" \
                    and exp.value.numerator < 0:
                denom.append(self.num_power(self.base(f.args[0], memo), -exp.value))
            else:
                numer.append(memo[id(f)])
        cn, cd = coeff.numerator, coeff.denominator
        negative = cn < 0
        if negative:
            cn = -cn
        top = ([self.number(_whole(cn))] if cn != 1 or not numer else [])
        bottom = [self.number(_whole(cd))] if cd != 1 else []
        frag = self.fraction(top + numer, bottom + denom)
        if negative:
            return Frag(self.minus + self.wrap(frag, PROD), NEG)
        return frag

    def join(self, items: list[Frag]) -> Frag:
        if len(items) == 1:
            return items[0]
        return Frag(self.times.join(self.wrap(i, POW) for i in items), PROD)

    def fraction(self, top: list[Frag], bottom: list[Frag]) -> Frag:
        numer = self.join(top)
        if not bottom:
            return numer
        return Frag(f"{self.wrap(numer, PROD)}/{self.wrap(self.join(bottom), POW)}", PROD)

    # ---- powers -----------------------------------------------------------
    def num_power(self, base: Frag, q: Fraction) -> Frag:
        """``base ^ q`` for a positive rational ``q``."""
        n, d = q.numerator, q.denominator
        if n == 1 and d == 1:
            return base
        if n == 1 and d == 2:
            return self.sqrt(base)
        return self.power(base, self.number(q), q)

    def power(self, base: Frag, exp: Frag, q: Fraction | None) -> Frag:
        return Frag(f"{self.wrap(base, ATOM)}^{self.wrap(exp, POW)}", POW)

    def sqrt(self, base: Frag) -> Frag:
        return Frag(f"sqrt({base.s})", ATOM)

    # ---- leaves -----------------------------------------------------------
    def number(self, q: Fraction) -> Frag:
        n, d = q.numerator, q.denominator
        if n < 0:
            n = -n
            if d == 1:
                return Frag(f"{self.minus}{n}", NEG)
            return Frag(f"{self.minus}{n}/{d}", NEG)
        if d == 1:
            return Frag(str(n), ATOM)
        return Frag(f"{n}/{d}", PROD)

    def symbol(self, name: str) -> Frag:
        return Frag(display_symbol(name, self.notation), ATOM, name=True)

    def pi(self) -> Frag:
        return Frag("pi", ATOM, name=True)

    def euler(self) -> Frag:
        return Frag("e", ATOM, name=True)

    def euler_base(self) -> Frag:
        return Frag("exp(1)", ATOM)

    # ---- functions ----------------------------------------------------------
    def exp(self, arg: Frag) -> Frag:
        return self.function("exp", [arg])

    def function(self, op: str, args: list[Frag]) -> Frag:
        notation = notation_of(op)
        spelled = notation.text if notation else op
        if is_infix(notation, args):
            return self.infix(spelled, args)
        return Frag(f"{spelled}({', '.join(a.s for a in args)})", ATOM)

    def infix(self, spelled: str, args: list[Frag]) -> Frag:
        """A binary tensor operator written between its operands (``W @ x``),
        binding like a product."""
        return Frag(f" {spelled} ".join(self.wrap(a, POW) for a in args), PROD)


_ONE = Fraction(1)
_NUM_SHAPE, _SYM_SHAPE = (1, 0), (1, 1)  # order.shape_of of a number and of a variable
_WHOLE: dict[int, Fraction] = {}


def _whole(n: int) -> Fraction:
    """``Fraction(n)``, memoised for the small coefficients that recur."""
    q = _WHOLE.get(n)
    if q is None:
        q = Fraction(n)
        if len(_WHOLE) < 4096:
            _WHOLE[n] = q
    return q


def _negated(q: Fraction) -> Fraction:
    """``-q``; a whole number through :func:`_whole` (no new Fraction)."""
    return _whole(-q.numerator) if q.denominator == 1 else -q


def _fits(order: list[Node], limit: int) -> bool:
    """Whether no node of ``order`` (children first) has an estimated flat
    length above ``limit`` (the count of ``shared.flat_lengths``)."""
    sizes: dict[int, int] = {}
    for node in order:
        args = node.args
        if args:
            size = len(node.op) + 2 * len(args)
            for a in args:
                size += sizes[id(a)]
        else:
            v = node.value
            size = len(v) if type(v) is str else 2 if v is None else len(str(v))
        if size > limit:
            return False
        sizes[id(node)] = size
    return True


def notation_of(op: str):
    """The table's :class:`~chainlens.engine.rules.types.Notation` of ``op``."""
    rule = RULES.get(op)
    return rule.notation if rule is not None else None


def is_infix(notation, args) -> bool:
    return notation is not None and len(args) == 2 and notation.infix

