"""The interned expression node: identity, stable hashes, leaves.

A :class:`Node` is immutable and *hash-consed*: building the same expression
twice returns the same object, so structurally equal sub-expressions are one
node, equality is identity, and a 50-layer chain that reuses its layers is a
50-layer DAG rather than an exponential tree.  This is what lets the symbolic
and numeric paths visit every shared node once.

This module only interns (:func:`raw` builds ``op(args)`` as written) and
makes the leaves (:func:`num`, :func:`sym`, the constants).  The
canonicalising constructors, and with them Python's arithmetic operators on
nodes, are in :mod:`chainlens.engine.core.ir`.

Hashes are deterministic across processes (no salted ``str`` hashes), so the
order of sets of nodes, and therefore every printed result, is the same on a
Dask worker as on the machine that sent the job.
"""

from __future__ import annotations

import threading
import weakref
import zlib
from fractions import Fraction

__all__ = ["Node", "make", "num", "sym", "raw", "is_num", "PI", "ZERO", "ONE", "NEG_ONE", "HALF",
           "E"]

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
        return (make, (self.op, self.args, self.value))

    def __repr__(self) -> str:
        if self.op == "num":
            return f"num({self.value})"
        if self.op == "sym":
            return f"sym({self.value!r})"
        if self.op == "pi":
            return "PI"
        return f"{self.op}({', '.join(map(repr, self.args))})"


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


def make(op: str, args: tuple[Node, ...], value) -> Node:
    """Intern and return the node ``(op, args, value)``; no rewriting."""
    # Keys hash in C: children by id (a live node keeps its children alive,
    # so their ids cannot be reused while its entry can be found), rationals
    # by numerator and denominator (Fraction.__hash__ is slow Python).  The
    # common arities are spelled out: no map/unpacking, no comprehension
    # frame (this is the engine's most called function).
    n = len(args)
    if op == "num":
        key: tuple = (op, value.numerator, value.denominator)
    elif n == 1:
        key = (op, value, id(args[0]))
    elif n == 2:
        key = (op, value, id(args[0]), id(args[1]))
    else:
        key = (op, value, *map(id, args))
    ref = _table.get(key)
    if ref is not None:
        node = ref()
        if node is not None:
            return node
    oh = _str_hashes.get(op)
    if oh is None:
        oh = _stable_str_hash(op)
    if op == "num":
        # hash(Fraction(k)) == hash(k): the int's is C, Fraction's Python
        vh = hash(value.numerator) if value.denominator == 1 else hash(value)
        vkey: object = value
    elif op == "sym":
        vh = _stable_str_hash(value)
        vkey = value
    else:
        vh = 0
        vkey = ""
    if n == 1:
        digest = hash((oh, vh, args[0].digest))
    elif n == 2:
        digest = hash((oh, vh, args[0].digest, args[1].digest))
    elif n == 0:
        digest = hash((oh, vh))
    else:
        digest = hash((oh, vh, *[a.digest for a in args]))
    sort_key = (_RANK.get(op, _FUNC_RANK), op, vkey, n, digest)
    node = _new_node(Node)
    _set_op(node, op)
    _set_args(node, args)
    _set_value(node, value)
    _set_digest(node, digest)
    _set_sort_key(node, sort_key)
    mine = _Ref(node, _forget)
    mine.key = key
    # setdefault is one step under the GIL (the key hashes in C): of two
    # threads making the same node, one entry wins and both return its node.
    # A losing node dies at once, and its _forget finds another entry.
    ref = _table.setdefault(key, mine)
    if ref is mine:
        return node
    other = ref()
    if other is not None:
        return other
    with _lock:  # an entry whose node is dying: replace it (rare)
        ref = _table.get(key)
        other = ref() if ref is not None else None
        if other is not None:
            return other
        _table[key] = mine
    return node


# --------------------------------------------------------------------------
# Leaves
# --------------------------------------------------------------------------


def num(value: int | Fraction | str) -> Node:
    """An exact rational constant.  Strings such as ``"0.1"`` or ``"1e-3"``
    are read exactly (``Fraction("0.1") == 1/10``), never through a float."""
    if type(value) is int:
        node = _SMALL_INTS.get(value)
        if node is not None:
            return node
        if -_SMALL_INT_RANGE <= value <= _SMALL_INT_RANGE:
            node = _SMALL_INTS[value] = make("num", (), Fraction(value))
            return node
        ref = _table.get(("num", value, 1))
        node = ref() if ref is not None else None
        if node is not None:
            return node
    elif type(value) is Fraction:
        if value.denominator == 1:
            return num(value.numerator)
        return make("num", (), value)  # immutable: no copy (Fraction(q) is slow Python)
    elif isinstance(value, bool) or not isinstance(value, (int, Fraction, str)):
        raise TypeError(f"num() takes an int, Fraction or decimal string, not {value!r}")
    return make("num", (), Fraction(value))


#: Small integers are asked for constantly (coefficients, exponents): their
#: nodes are kept (strongly: they are never collected) and found by the int
#: alone, without building the table key.  The node is the interned one.
_SMALL_INTS: dict[int, Node] = {}
_SMALL_INT_RANGE = 1024


def sym(name: str) -> Node:
    """A variable.  Names are any non-empty string; the parser restricts what
    users can type, the engine uses ``$0``-style names for rule templates."""
    if not isinstance(name, str) or not name:
        raise ValueError("a symbol needs a non-empty name")
    return make("sym", (), name)


def is_num(node: Node, value=None) -> bool:
    """True when ``node`` is a rational constant (equal to ``value`` if given)."""
    return node.op == "num" and (value is None or node.value == value)


ZERO = num(0)
ONE = num(1)
NEG_ONE = num(-1)
HALF = num(Fraction(1, 2))
PI = make("pi", (), None)


def raw(op: str, *args: Node) -> Node:
    """Intern ``op(args)`` without canonicalising (rule canonical forms use
    this to build the node they stand for)."""
    return make(op, tuple(args), None)


#: Euler's number, ``exp(1)``.  Defined lazily via the rules table.
E = make("exp", (ONE,), None)
