"""The rules table's partials at real arguments, without re-canonicalising.

``rule.partial(args, i)`` builds ``∂f/∂arg_i`` through the IR constructors
(``mul``, ``add``, ``power``), which flatten, fold rationals, collect and
sort every time.  For most primitives that work gives the same *shape*
whatever the argument is: ``σ'(u) = σ(u)·(1 − σ(u))`` is a product of a
``sigmoid`` node and a sum, whatever ``u`` is.  So the partial is built once
over the placeholder ``$0`` (a *template*, read from the table like
:func:`chainlens.engine.rules.template` does for code generators) and then
instantiated by interning the same structure with ``$0`` replaced
(:func:`chainlens.engine.core.nodes.raw`), which is several times cheaper.

This is only done where it provably gives the node the constructors would
give (:func:`_stable`): the placeholder never sits where a constructor
would look inside it (a term of a sum, a factor of a product, an exponent),
except as the base of a rational power, which is safe when the argument is
an *atom* (not a number, product, power or ``e``); and the siblings of
every sum and product differ in their kind (rank, op, arity) so that no
argument can reorder, merge or collect them.  Anything else goes through
``rule.partial``.  No formula lives here: every template is the table's
own partial.
"""

from __future__ import annotations

from operator import attrgetter

from chainlens.engine.core.ir import mul
from chainlens.engine.core.nodes import E, Node, make, raw
from chainlens.engine.core.source import ChainError
from chainlens.engine.core.walk import postorder
from chainlens.engine.rules import PLACEHOLDERS, RULES

__all__ = ["partial", "product"]

#: (node, argument index) -> partial.  Nodes are immutable and interned, so
#: a partial computed once is right forever.  Bounded: cleared when full.
_PARTIALS: dict[tuple[Node, int], Node] = {}
_PARTIALS_MAX = 200_000

#: (op, i[, fixed exponent]) -> (template postorder, banned argument ops,
#: ``op($0)``) or None when instantiating is not exact.
_TEMPLATES: dict[tuple, tuple | None] = {}
#: (op, i) -> which argument a binary use of an n-ary rule's partial is.
_PICKS: dict[tuple[str, int], int | None] = {}
_U = PLACEHOLDERS[0]
#: Arguments that a sum or product would flatten, fold or re-canonicalise
#: when they stand as a term or factor.
_INSIDE = {"add": frozenset(("num", "add", "mul")), "mul": frozenset(("num", "mul", "pow"))}
#: Bases that ``power`` rewrites: numbers fold, products distribute,
#: powers merge, and ``e^c`` becomes ``exp(c)``.
_RAISED = frozenset(("num", "mul", "pow", "exp"))


def partial(node: Node, i: int) -> Node:
    """∂node/∂(argument i), from the rules table (memoised)."""
    key = (node, i)
    p = _PARTIALS.get(key)
    if p is not None:
        return p
    args = node.args
    tpl = None
    if len(args) == 1:
        tpl = _TEMPLATES.get((node.op, i), False)
        if tpl is False:
            tpl = _TEMPLATES[(node.op, i)] = _template(node.op, i)
    elif node.op == "pow" and i == 0 and args[1].op == "num":
        # A rational power is a function of its base alone: one template
        # per exponent (the power rule n·u^(n-1) at n = 2, 3, 1/2...).
        tkey = ("pow", 0, args[1])
        tpl = _TEMPLATES.get(tkey, False)
        if tpl is False:
            if len(_TEMPLATES) > 10_000:
                _TEMPLATES.clear()
            tpl = _TEMPLATES[tkey] = _template("pow", 0, (args[1],))
    if tpl is not None:
        order, banned, itself = tpl
        u = args[0]
        if banned is None or (u.op not in banned and u is not E):
            p = _instantiate(order, {_U: u, itself: node})
    if p is None and len(args) == 2:
        j = _PICKS.get((node.op, i), False)
        if j is False:
            j = _PICKS[(node.op, i)] = _pick(node.op, i)
        # The table's partial is one argument as it stands (the product
        # rule: d(ab)/da = b); a product or power would be re-canonicalised.
        if j is not None and args[j].op not in ("mul", "pow"):
            p = args[j]
    if p is None:
        rule = RULES.get(node.op)
        if rule is None or rule.partial is None:
            raise ChainError(f"no derivative is known for {node.op!r}",
                             hint="symbolic derivatives cover scalar primitives")
        p = rule.partial(args, i)
    if len(_PARTIALS) >= _PARTIALS_MAX:
        _PARTIALS.clear()
    _PARTIALS[key] = p
    return p


def _pick(op: str, i: int) -> int | None:
    """For an n-ary rule at two arguments: the index of the argument its
    partial by argument ``i`` is, if it is just one of them."""
    rule = RULES.get(op)
    if rule is None or rule.partial is None or rule.arity != -1:
        return None
    args = PLACEHOLDERS[:2]
    t = rule.partial(args, i)
    return args.index(t) if t in args else None


def _instantiate(order: tuple[Node, ...], memo: dict[Node, Node]) -> Node:
    """The template's nodes interned over the real argument; ``memo``
    starts with ``$0`` and ``f($0)`` (the node itself: σ' = σ·(1 − σ))."""
    get = memo.get
    for t in order:
        if t not in memo:
            args = t.args
            if len(args) == 1:  # spelled out: no comprehension frame per node
                a = args[0]
                new: tuple = (get(a, a),)
            elif len(args) == 2:
                a, b = args
                new = (get(a, a), get(b, b))
            else:
                new = tuple([get(a, a) for a in args])
            memo[t] = make(t.op, new, None)
    return memo[order[-1]]


def _template(op: str, i: int, fixed: tuple[Node, ...] = ()) -> tuple | None:
    """``(postorder, banned, op($0, *fixed))``: the template of a rule's
    partial by its first argument, the others ``fixed`` numbers, when
    instantiating it by interning is exact (see the module docstring); else
    None.  ``banned``: the ops the argument must not have (None: any)."""
    rule = RULES.get(op)
    if rule is None or rule.partial is None or rule.arity != 1 + len(fixed):
        return None
    t = rule.partial((_U, *fixed), i)
    banned: frozenset | None = None
    order = [n for n in postorder(t) if _U in _reach(n)]
    for n in order:
        if n is _U:
            continue
        if n.op == "pow":
            base, exp = n.args
            if _U in _reach(exp) or exp.op != "num":
                return None
            if base is _U:
                banned = (banned or frozenset()) | _RAISED
            elif base.op in _RAISED:
                return None
        elif n.op in ("add", "mul"):
            if _U in n.args:
                # The argument itself as a term or factor: exact only when it
                # is the one non-number operand and nothing to flatten.
                if sum(a.op != "num" for a in n.args) > 1:
                    return None
                banned = (banned or frozenset()) | _INSIDE[n.op]
            elif not _separated(n):
                return None
        elif n.op in ("num", "sym", "pi"):
            continue
        else:
            r = RULES.get(n.op)
            if r is None or r.canonical is not None:
                return None
    order = [x for x in order if x is not _U]
    if not order:
        return None  # a constant partial (sign, step): the table is cheap enough
    return tuple(order), banned, raw(op, _U, *fixed)


def _reach(n: Node) -> set[Node]:
    return set(postorder(n))


def _separated(n: Node) -> bool:
    """No argument substituted for ``$0`` can reorder, merge or collect the
    operands of this sum or product: they differ already in their kind."""
    order_keys, group_keys = set(), set()
    operands = [a for a in n.args if a.op != "num"]
    for a in operands:
        group = a
        if n.op == "add" and a.op == "mul" and a.args[0].op == "num":
            if len(a.args) != 2:
                return False  # a product left after the coefficient: stay safe
            group = a.args[1]  # sums collect terms by what follows the coefficient
        elif n.op == "mul" and a.op == "pow":
            group = a.args[0]  # products merge factors by base
        if group is _U and len(operands) > 1:
            return False  # the argument itself could equal a sibling's base
        k, g = a.sort_key[:4], group.sort_key[:4]
        if k in order_keys or g in group_keys:
            return False
        order_keys.add(k)
        group_keys.add(g)
    return True


def product(factors: list[Node]) -> Node:
    """``mul(*factors)`` for the long products the chain rule makes.

    When every factor is an atom or a sum (nothing to flatten, fold or
    merge) and no two are the same node, the canonical product is the
    factors in canonical order: build it directly, in one sort, instead of
    grouping bases and re-raising each to the power 1.  Otherwise
    :func:`chainlens.engine.core.ir.mul` decides."""
    if len(factors) < 3:
        return mul(*factors)
    flat: list[Node] = []
    for f in factors:
        op = f.op
        if op == "mul":
            flat.extend(f.args)  # a canonical product: its factors are flat
            continue
        flat.append(f)
    for f in flat:
        op = f.op
        if op == "num" or op == "pow" or f is E:
            return mul(*factors)
    if len(set(map(id, flat))) != len(flat):
        return mul(*factors)
    return raw("mul", *sorted(flat, key=_sort_key))


_sort_key = attrgetter("sort_key")  # read in C: sorting calls it once per factor
