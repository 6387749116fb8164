"""The last simplification stage: the shortest of a few textbook forms.

For every small sum or product of a result (bottom-up, so exponents and
arguments of logs are done first), this stage builds the forms a student
would try and keeps the shortest (by printed length, estimated; ties keep
the form as it was):

* **expanded**: constants and monomials distributed, like terms collected
  (``(2s − 1)(s + 4)``' derivative ``2s + 2(s + 4) − 1`` -> ``4s + 7``,
  ``x² − (x² − 4) − 4`` -> ``0``, ``x²(2/x² + 5/x³)`` -> ``2 + 5/x``);
* **one denominator**: the terms over their least common denominator, the
  numerator expanded and divided exactly by every polynomial factor of the
  denominator that divides it (``(t² − 1)/(t + 1)`` -> ``t − 1``,
  ``1/(x − 5) − (x + 7)/(x − 5)²`` -> ``−12/(x − 5)²``), its numeric content
  taken out;
* **common factor** of the expanded form (``3x² + 6x`` -> ``3x(x + 2)`` when
  that is shorter).

Before that, inverse compositions and Pythagorean pairs are rewritten
(:mod:`chainlens.engine.symbolic.identities`).  Cancelling ``x/x`` needs
``x ≠ 0``; the derivative's domain conditions come from the expression as
written, so they are kept whatever the printed form.  The stage only runs
on results of at most :data:`MAX_NODES` distinct nodes, and each candidate
is bounded (:mod:`chainlens.engine.symbolic.poly`), so it costs at most a
few milliseconds and never changes a large result.  Lengths are estimated
by :mod:`chainlens.engine.symbolic.cost`, which also prices an expanded form
before it is built (most lose, and are then never built).
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd

from chainlens.engine.core.ir import add, mul, power
from chainlens.engine.core.nodes import Node, num
from chainlens.engine.core.walk import postorder, rebuild
from chainlens.engine.symbolic.cost import cost, expanded_cost
from chainlens.engine.symbolic.factors import common_factor
from chainlens.engine.symbolic.identities import INVERSES, compose, pythagoras
from chainlens.engine.symbolic.poly import MAX_SUM_POWER, Atoms, divide, from_node, to_node

__all__ = ["textbook", "cost", "MAX_NODES"]

#: Results above this many distinct nodes are left to the other passes.
MAX_NODES = 160
#: Sums and products already re-formed (the stage is a function of the node
#: alone): a gradient's components share most of their nodes.  Bounded.
_SHAPED: dict[Node, Node] = {}
_SHAPED_MAX = 100_000
#: A sum or product above this many tree nodes is not re-formed.
MAX_TERM = 80


def textbook(root: Node, fired: list[str]) -> Node:
    """``root`` with each small sum/product in its shortest textbook form;
    the names of the rewrites that changed something go to ``fired``."""
    # (counted first: a gradient's large components are never walked here)
    if not root.args or not _at_most(root, MAX_NODES):
        return root
    memo: dict[Node, Node] = {}
    sizes: dict[Node, float] = {}
    costs: dict[Node, int] = {}  # cost() is a function of the node: one memo per call
    # One atom table and polynomial memo for the expanded forms of this call:
    # a sum's polynomial reuses its terms' (tried just before, bottom-up).
    # No result depends on atom indices (to_node builds through the
    # constructors; expanded_cost reads none), so sharing the table is exact.
    expand = (Atoms(), {})
    shaped = _SHAPED
    if len(shaped) > _SHAPED_MAX:
        shaped.clear()
    for node in postorder(root, skip=shaped):
        args = node.args
        if not args or node in shaped:
            continue  # a leaf, or (the root) already in its shortest form
        if memo:  # some node below was re-formed (memo holds only those)
            new_args = tuple([memo.get(a, a) for a in args])
            new = node if new_args == args else rebuild(node, new_args)
        else:
            new = node
        op = new.op
        # _identities changes only sums and inverse compositions: skip the call otherwise
        identity = op == "add" or (len(new.args) == 1 and (op, new.args[0].op) in INVERSES)
        reform = _reformable(new)
        if identity:
            before = new
            new = _identities(new, fired)
            if new is not before:
                reform = _reformable(new)
        if reform and _tree(new, sizes) <= MAX_TERM:
            new = _shortest(new, fired, costs, expand)
        if new is node:
            shaped[node] = node
        else:
            memo[node] = new
    return memo.get(root, root)


def _nested(f: Node) -> bool:
    """A factor that distributing or a common denominator could change."""
    if f.op == "add":
        return True
    if f.op != "pow" or f.args[1].op != "num":
        return False
    q = f.args[1].value  # compared through ints: Fraction's comparisons are slow Python
    n, d = q.numerator, q.denominator
    return n < 0 or (f.args[0].op == "add" and n <= MAX_SUM_POWER * d)


def _reformable(node: Node) -> bool:
    """Only sums and products with a nested sum or a denominator have
    another form (``2x·cos(x²)`` has none: skip the work)."""
    op = node.op
    if op == "mul":
        # expanding changes a product only through a sum or a small power of
        # one, and the one-denominator form needs a sum on top: a product of
        # atoms and denominators (exp(-x)/(1 + exp(-x))²) is as short as it is
        return any(f.op == "add" or _expandable(f) for f in node.args)
    if op == "add":
        return any(_nested(f) for t in node.args
                   for f in (t.args if t.op == "mul" else (t,)))
    # A power on its own has no one-denominator form.
    return op == "pow" and _expandable(node)


def _expandable(f: Node) -> bool:
    """A sum raised to a small whole power: the only power that expanding
    changes (poly.from_node reads any other as one atom, which builds back
    to the power itself)."""
    if f.op != "pow":
        return False
    b, e = f.args
    return b.op in ("add", "mul") and e.op == "num" and e.value.denominator == 1 \
        and 0 < e.value.numerator <= MAX_SUM_POWER


def _at_most(root: Node, limit: int) -> bool:
    """Whether ``root`` has at most ``limit`` distinct nodes (stops counting
    past the limit: a deep gradient is not walked to find out)."""
    seen = {id(root)}
    stack = [root]
    while stack:
        for a in stack.pop().args:
            if id(a) not in seen:
                seen.add(id(a))
                if len(seen) > limit:
                    return False
                stack.append(a)
    return True


def _tree(node: Node, sizes: dict[Node, float]) -> float:
    """Tree size of ``node``, capped just above :data:`MAX_TERM`."""
    got = sizes.get(node)
    if got is None:
        got = 1
        for a in node.args:
            got += _tree(a, sizes)
            if got > MAX_TERM:
                break
        got = sizes[node] = min(got, MAX_TERM + 1)
    return got


def _identities(node: Node, fired: list[str]) -> Node:
    for _ in range(4):
        if node.args and len(node.args) == 1:
            c = compose(node)
            if c is not None:
                fired.append(f"{node.op}({node.args[0].op} u) identity")
                node = c
                continue
        if node.op == "add":
            hit = pythagoras(node)
            if hit is not None:
                node, name = hit
                fired.append(name)
                continue
        break
    return node


def _shortest(node: Node, fired: list[str], costs: dict[Node, int], expand: tuple) -> Node:
    best, best_cost, why = node, cost(node, costs), ""
    for name, make in (("distributed and collected like terms", _expanded),
                       ("one denominator, common factors cancelled", _together)):
        try:
            cand = make(node, costs, best_cost, expand)
        except (ZeroDivisionError, OverflowError):
            cand = None
        if cand is None or cand is node:
            continue
        c = cost(cand, costs)
        if c < best_cost and not (cand.op == "add" and common_factor(cand) is node):
            # (the simplifier's common-factor rewrite would give node back:
            # σ − σ² is shorter than σ(1 − σ) but would not stay)
            best, best_cost, why = cand, c, name
    if why:
        fired.append(why)
    return best


def _expanded(node: Node, costs: dict[Node, int], best: int, expand: tuple) -> Node | None:
    atoms, polys = expand
    p = from_node(node, atoms, polys)
    if p is None or len(p) > 2 * _terms(node) + 2:
        return None  # multiplying out grew it: it will not print shorter
    if expanded_cost(p, atoms, costs) >= best:
        return None  # it cannot win: not built (most expansions lose)
    out = to_node(p, atoms)
    return _content(out, costs)


def _terms(node: Node) -> int:
    if node.op == "add":
        return len(node.args)
    if node.op == "mul":
        return sum(_terms(f) for f in node.args)
    return 1


def _content(node: Node, costs: dict[Node, int]) -> Node:
    """``3x² + 6x`` -> ``3(x² + 2x)`` only through the numeric content:
    the shorter of the two is chosen by the caller's cost."""
    if node.op != "add":
        return node
    coeffs = [(t.args[0].value if t.op == "mul" and t.args[0].op == "num" else
               (t.value if t.op == "num" else Fraction(1))) for t in node.args]
    g = 0
    for c in coeffs:
        g = gcd(g, c.numerator)
    if g <= 1:
        return node
    factored = mul(num(g), add(*(mul(num(Fraction(1, g)), t) for t in node.args)))
    return factored if cost(factored, costs) < cost(node, costs) else node


def _denominator(term: Node) -> tuple[list[Node], dict[Node, Fraction]]:
    """A term's factors split into numerator factors and denominator bases
    with their (positive) exponents."""
    num_fs: list[Node] = []
    den: dict[Node, Fraction] = {}
    for f in term.args if term.op == "mul" else (term,):
        if f.op == "pow" and f.args[1].op == "num" and f.args[1].value.numerator < 0:
            den[f.args[0]] = -f.args[1].value
        else:
            num_fs.append(f)
    return num_fs, den


def _together(node: Node, costs: dict[Node, int], best: int = 0, expand=None) -> Node | None:
    # (its own atom table: exact division's steps follow the atoms' order)
    if node.op == "mul":
        fs, den = _denominator(node)
        if not den or not any(f.op == "add" for f in fs):
            return None
        numerator = mul(*fs)
    elif node.op == "add":
        parts = [_denominator(t) for t in node.args]
        den = {}
        for _, d in parts:
            for b, e in d.items():
                den[b] = max(den.get(b, 0), e)
        if not den:
            return None
        numerator = add(*(mul(*fs, *(power(b, num(e - d.get(b, 0))) for b, e in den.items()))
                          for fs, d in parts))
    else:
        return None
    atoms = Atoms()
    p = from_node(numerator, atoms)
    if p is None:
        return None
    if not p:
        return num(0)
    left: dict[Node, Fraction] = dict(den)
    for base, e in den.items():
        if e.denominator != 1 or base.op not in ("add", "sym"):
            continue
        bp = from_node(base, atoms)
        if bp is None:
            continue
        while left[base] > 0:
            q = divide(p, bp)
            if q is None:
                break
            p = q
            left[base] -= 1
    top = to_node(p, atoms)
    for _ in range(4):
        hit = pythagoras(top) if top.op == "add" else None
        if hit is None:
            break
        top = hit[0]
    top = _content(top, costs)
    return mul(top, *(power(b, num(-e)) for b, e in left.items() if e))


