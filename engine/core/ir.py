"""The expression DAG that every part of chainlens speaks.

A :class:`Node` is immutable and *hash-consed*: building the same expression
twice returns the same object, so structurally equal sub-expressions are one
node, equality is identity, and a 50-layer chain that reuses its layers is a
50-layer DAG rather than an exponential tree.  This is what lets the symbolic
and numeric paths visit every shared node once.

Node kinds (``op``):

``num``  an exact rational constant (``value`` is a :class:`Fraction`);
``sym``  a variable (``value`` is its name);
``pi``   the constant pi (Euler's number is ``exp(1)``);
``add``, ``mul``  n-ary, flattened, canonically ordered;
``pow``  ``base ** exponent``;
any other op is a primitive declared in :mod:`chainlens.engine.rules`.

The constructors below (``add``, ``mul``, ``power``, ``call``...) apply the
light, always-valid canonicalisation that SymPy applies on construction:
flattening, constant folding, collecting ``2x + 3x -> 5x`` and
``x * x^2 -> x^3``, and sorting operands.  That is why ``1/(1+exp(-x))`` and
``\\frac{1}{1+e^{-x}}`` come out as one node whatever order the terms were
written in.  Heavier rewriting (tan, factoring, trig identities) lives in
:mod:`chainlens.engine.symbolic.simplify`.

Traversals (postorder, substitute...) are in :mod:`chainlens.engine.core.walk`;
exact rational folding in :mod:`chainlens.engine.core.fold`.

Source positions are *not* stored on nodes: one node can be written in many
places.  Parsers return a source map (node -> spans) beside the node.

Hashes are deterministic across processes (no salted ``str`` hashes), so the
order of sets of nodes, and therefore every printed result, is the same on a
Dask worker as on the machine that sent the job.
"""

from __future__ import annotations

import threading
import weakref
import zlib
from fractions import Fraction

from chainlens.engine.core.fold import fold_power

__all__ = ["Node", "num", "sym", "PI", "ZERO", "ONE", "NEG_ONE", "HALF", "E", "add", "sub",
           "neg", "mul", "div", "power", "sqrt", "call", "raw", "is_num"]


_RANK = {"num": 0, "pi": 1, "sym": 2, "pow": 3, "mul": 4, "add": 5}
_FUNC_RANK = 6

_lock = threading.Lock()
_table: dict[tuple, _Ref] = {}  # key -> weak reference to the interned node


def _stable_str_hash(text: str) -> int:
    h = _str_hashes.get(text)
    if h is None:
        h = _str_hashes[text] = zlib.crc32(text.encode("utf-8"))
        if len(_str_hashes) > 100_000:
            _str_hashes.clear()
    return h


_str_hashes: dict[str, int] = {}


class Node:
    """One vertex of the expression DAG.  Build nodes with the module's
    constructors, never with ``Node(...)``: the constructors intern them."""

    __slots__ = ("op", "args", "value", "digest", "sort_key", "__weakref__")

    op: str
    args: tuple[Node, ...]
    value: Fraction | str | None
    digest: int
    sort_key: tuple

    def __setattr__(self, name, value):  # pragma: no cover - guard
        raise AttributeError("Node is immutable")

    def __hash__(self) -> int:
        return self.digest

    # Identity is equality because nodes are interned.
    def __eq__(self, other) -> bool:
        return self is other

    def __ne__(self, other) -> bool:
        return self is not other

    def __lt__(self, other: Node) -> bool:
        return self.sort_key < other.sort_key

    def __reduce__(self):
        # Pickled nodes (Dask, process pools) are re-interned on arrival.
        return (_make, (self.op, self.args, self.value))

    def __repr__(self) -> str:
        if self.op == "num":
            return f"num({self.value})"
        if self.op == "sym":
            return f"sym({self.value!r})"
        if self.op == "pi":
            return "PI"
        return f"{self.op}({', '.join(map(repr, self.args))})"

    # Convenience operators for building expressions in Python code and tests.
    def __add__(self, other):
        return add(self, _coerce(other))

    def __radd__(self, other):
        return add(_coerce(other), self)

    def __sub__(self, other):
        return sub(self, _coerce(other))

    def __rsub__(self, other):
        return sub(_coerce(other), self)

    def __mul__(self, other):
        return mul(self, _coerce(other))

    def __rmul__(self, other):
        return mul(_coerce(other), self)

    def __truediv__(self, other):
        return div(self, _coerce(other))

    def __rtruediv__(self, other):
        return div(_coerce(other), self)

    def __pow__(self, other):
        return power(self, _coerce(other))

    def __rpow__(self, other):
        return power(_coerce(other), self)

    def __neg__(self):
        return neg(self)


def _coerce(value) -> Node:
    if isinstance(value, Node):
        return value
    if isinstance(value, (int, Fraction)):
        return num(value)
    raise TypeError(f"cannot use {type(value).__name__} in an expression; use num()")


class _Ref(weakref.ref):
    """A weak reference that remembers its table key, so the entry can be
    dropped when the node dies."""

    __slots__ = ("key",)


def _forget(ref: _Ref) -> None:
    if _table.get(ref.key) is ref:
        del _table[ref.key]


_new_node = object.__new__
# Slot descriptors set the fields of a new node without going through the
# guarding __setattr__ (half the cost of construction otherwise).
_set_op, _set_args, _set_value = Node.op.__set__, Node.args.__set__, Node.value.__set__
_set_digest, _set_sort_key = Node.digest.__set__, Node.sort_key.__set__


def _make(op: str, args: tuple[Node, ...], value) -> Node:
    """Intern and return the node ``(op, args, value)``; no rewriting."""
    # Keys hash in C: children by id (a live node keeps its children alive,
    # so their ids cannot be reused while its entry can be found), rationals
    # by numerator and denominator (Fraction.__hash__ is slow Python).
    if op == "num":
        key: tuple = (op, value.numerator, value.denominator)
    else:
        key = (op, value, *map(id, args))
    ref = _table.get(key)
    if ref is not None:
        node = ref()
        if node is not None:
            return node
    if op == "num":
        vh = hash(value)
        vkey: object = value
    elif op == "sym":
        vh = _stable_str_hash(value)
        vkey = value
    else:
        vh = 0
        vkey = ""
    digest = hash((_stable_str_hash(op), vh, *[a.digest for a in args]))
    sort_key = (_RANK.get(op, _FUNC_RANK), op, vkey, len(args), digest)
    with _lock:
        ref = _table.get(key)
        node = ref() if ref is not None else None
        if node is None:
            node = _new_node(Node)
            _set_op(node, op)
            _set_args(node, args)
            _set_value(node, value)
            _set_digest(node, digest)
            _set_sort_key(node, sort_key)
            ref = _Ref(node, _forget)
            ref.key = key
            _table[key] = ref
    return node


# --------------------------------------------------------------------------
# Leaves
# --------------------------------------------------------------------------


def num(value: int | Fraction | str) -> Node:
    """An exact rational constant.  Strings such as ``"0.1"`` or ``"1e-3"``
    are read exactly (``Fraction("0.1") == 1/10``), never through a float."""
    if type(value) is int:
        ref = _table.get(("num", value, 1))
        node = ref() if ref is not None else None
        if node is not None:
            return node
    elif type(value) is Fraction and value.denominator == 1:
        return num(value.numerator)
    elif isinstance(value, bool) or not isinstance(value, (int, Fraction, str)):
        raise TypeError(f"num() takes an int, Fraction or decimal string, not {value!r}")
    return _make("num", (), Fraction(value))


def sym(name: str) -> Node:
    """A variable.  Names are any non-empty string; the parser restricts what
    users can type, the engine uses ``$0``-style names for rule templates."""
    if not isinstance(name, str) or not name:
        raise ValueError("a symbol needs a non-empty name")
    return _make("sym", (), name)


def is_num(node: Node, value=None) -> bool:
    """True when ``node`` is a rational constant (equal to ``value`` if given)."""
    return node.op == "num" and (value is None or node.value == value)


ZERO = num(0)
ONE = num(1)
NEG_ONE = num(-1)
HALF = num(Fraction(1, 2))
PI = _make("pi", (), None)


# --------------------------------------------------------------------------
# Sums
# --------------------------------------------------------------------------


def _small(value: Fraction) -> int | Fraction:
    """An integral rational as an int, for cheap arithmetic."""
    return value.numerator if value.denominator == 1 else value


def _split_coeff(term: Node) -> tuple[int | Fraction, Node]:
    """``3*x*y -> (3, x*y)``; ``x -> (1, x)``."""
    if term.op == "mul" and term.args[0].op == "num":
        rest = term.args[1:]
        return _small(term.args[0].value), rest[0] if len(rest) == 1 else _make("mul", rest, None)
    return 1, term


def add(*terms: Node) -> Node:
    """The sum of ``terms``: flattened, constants folded, like terms
    collected (``2x + 3x -> 5x``), operands in canonical order."""
    # Integer coefficients stay Python ints while they can: Fraction
    # arithmetic is pure Python and dominated the constructors' cost.
    constant: int | Fraction = 0
    coeffs: dict[Node, int | Fraction] = {}
    stack = list(reversed(terms))
    while stack:
        term = stack.pop()
        op = term.op
        if op == "add":
            stack.extend(reversed(term.args))
        elif op == "num":
            constant += _small(term.value)
        else:
            c, rest = _split_coeff(term)
            old = coeffs.get(rest)
            coeffs[rest] = c if old is None else old + c
    out = [_scale(c, rest) for rest, c in coeffs.items() if c != 0]
    if constant != 0 or not out:
        out.append(num(constant))
    if len(out) == 1:
        return out[0]
    out.sort(key=_key)
    return _make("add", tuple(out), None)


def _key(node: Node) -> tuple:
    return node.sort_key


def _scale(c: int | Fraction, rest: Node) -> Node:
    if c == 1:
        return rest
    if rest.op == "mul":
        return _make("mul", (num(c), *rest.args), None)
    return _make("mul", (num(c), rest), None)


def neg(x: Node) -> Node:
    """``-x``, stored as ``(-1)*x``."""
    return mul(NEG_ONE, x)


def sub(a: Node, b: Node) -> Node:
    """``a - b``, stored as ``a + (-1)*b``."""
    return add(a, neg(b))


# --------------------------------------------------------------------------
# Products and powers
# --------------------------------------------------------------------------


def _split_power(factor: Node) -> tuple[Node, Node]:
    if factor.op == "pow":
        return factor.args[0], factor.args[1]
    return factor, ONE


def mul(*factors: Node) -> Node:
    """The product of ``factors``: flattened, constants folded, equal bases
    merged (``x * x^2 -> x^3``, ``x * x^-1 -> 1``), canonical order."""
    coeff: int | Fraction = 1
    exps: dict[Node, list[Node]] = {}
    stack = list(reversed(factors))
    while stack:
        f = stack.pop()
        op = f.op
        if op == "mul":
            stack.extend(reversed(f.args))
        elif op == "num":
            coeff *= _small(f.value)
        else:
            base, exp = _split_power(f)
            seen = exps.get(base)
            if seen is None:
                exps[base] = [exp]
            else:
                seen.append(exp)
    if coeff == 0:
        return ZERO
    out: list[Node] = []
    for base, exp_list in exps.items():
        if len(exp_list) == 1:
            exp = exp_list[0]
            if exp is ONE:  # a plain factor: power(base, 1) is base
                out.append(base)
                continue
        else:
            exp = add(*exp_list)
        p = power(base, exp)
        if p.op == "num":
            coeff *= p.value
        elif p.op == "mul":
            # power() may distribute; fold its numeric part in.
            for part in p.args:
                if part.op == "num":
                    coeff *= part.value
                else:
                    out.append(part)
        else:
            out.append(p)
    if coeff == 0:
        return ZERO
    if not out:
        return num(coeff)
    out.sort(key=_key)
    if coeff != 1:
        out.insert(0, num(coeff))
    if len(out) == 1:
        return out[0]
    return _make("mul", tuple(out), None)


def div(a: Node, b: Node) -> Node:
    """``a / b``, stored as ``a * b^-1``."""
    if b.op == "num":
        if b.value == 0:
            return mul(a, _make("pow", (b, NEG_ONE), None))
        return mul(num(1 / b.value), a)
    return mul(a, power(b, NEG_ONE))


def power(base: Node, exp: Node) -> Node:
    """``base ^ exp`` with the rewrites that hold for every real value:
    ``x^0 = 1``, ``x^1 = x``, ``1^x = 1``, exact folding of rationals,
    ``(x^a)^n = x^(a n)`` and ``(x y)^n = x^n y^n`` for integer ``n``."""
    if exp.op == "num":
        if exp is ZERO:  # constants are interned: identity is equality
            return ONE
        if exp is ONE:
            return base
        e = exp.value
        if base.op == "num":
            folded = fold_power(base.value, e)
            if folded is not None:
                return num(folded)
            return _make("pow", (base, exp), None)
        if e.denominator == 1:
            if base.op == "pow":
                return power(base.args[0], mul(base.args[1], exp))
            if base.op == "mul":
                return mul(*(power(f, exp) for f in base.args))
    if base.op == "num" and base.value == 1:
        return ONE
    if base is E:
        # e^u is exp(u) in every notation the parser reads; keep one form.
        return call("exp", exp)
    return _make("pow", (base, exp), None)


def sqrt(x: Node) -> Node:
    """``x^(1/2)``: square roots are powers, printed back as roots."""
    return power(x, HALF)


def call(op: str, *args: Node) -> Node:
    """Apply the primitive ``op`` from the rules table to ``args``.

    ``add``/``mul``/``pow`` are routed to their constructors; every other op
    must be declared in :mod:`chainlens.engine.rules` with matching arity.
    """
    if op == "add":
        return add(*args)
    if op == "mul":
        return mul(*args)
    if op == "pow":
        return power(*args)
    from chainlens.engine.rules import RULES  # late: rules builds nodes

    rule = RULES.get(op)
    if rule is None:
        raise KeyError(f"unknown primitive {op!r}")
    if rule.arity >= 0 and len(args) != rule.arity:
        raise TypeError(f"{op} takes {rule.arity} argument(s), got {len(args)}")
    if rule.canonical is not None:
        return rule.canonical(*args)
    return _make(op, tuple(args), None)


def raw(op: str, *args: Node) -> Node:
    """Intern ``op(args)`` without canonicalising (rule canonical forms use
    this to build the node they stand for)."""
    return _make(op, tuple(args), None)


#: Euler's number, ``exp(1)``.  Defined lazily via the rules table.
E = _make("exp", (ONE,), None)
