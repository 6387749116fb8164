"""Simplification to the forms a textbook prints.

The IR constructors already do the always-valid, cheap work (rational
arithmetic, like terms, merged powers, canonical order).  This module adds
the rewrites a person expects to see in an answer and that construction
cannot do locally:

* ``sin(u)/cos(u) -> tan(u)`` and friends: powers of sin, cos, tan, sec,
  csc, cot of one argument are merged into the fewest factors;
* ``sin(u)^2 + cos(u)^2 -> 1``;
* ``exp(a) exp(b) -> exp(a + b)``; ``exp(log u) -> u`` (for ``u > 0``,
  recorded as an assumption), ``log(exp u) -> u``, ``exp(c log u) -> u^c``;
* a factor common to every term of a sum is taken out when a term is a
  bare multiple of it (``x^x + x^x log x -> x^x (log x + 1)``) and the
  factor is not a plain power of a variable (``x^2 + x`` stays a
  polynomial).

Nothing is expanded: ``sigmoid(x)(1 - sigmoid(x))`` and ``(3x^2+7)^9``
stay as they are.  Each pass visits each distinct node once (shared
sub-expressions are simplified once); there is a fixed number of passes, a
node-count cap above which only the local passes run, and a time budget
after which the pass in progress is abandoned and the last complete one
is returned, so no input can hang it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction

from chainlens.engine import limits
from chainlens.engine.ir import (
    ONE,
    ZERO,
    Node,
    add,
    count_nodes,
    mul,
    num,
    power,
    raw,
    rebuild,
)

__all__ = ["simplify", "simplify_traced", "Simplified"]

#: Passes over the DAG; each rewrite exposes at most one more level of work.
PASSES = 3

#: Nodes known to be in simplified form (every rewrite tried on them and
#: their sub-expressions fired nothing).  Simplification is context-free,
#: so this holds everywhere; a gradient's components share most of their
#: nodes and each is simplified once.  Cleared when it grows too large.
_SETTLED: set[Node] = set()
_SETTLED_MAX = 500_000

#: Trig functions as powers of (sin, cos): tan = sin cos^-1, sec = cos^-1...
_TRIG = {"sin": (1, 0), "cos": (0, 1), "tan": (1, -1), "cot": (-1, 1),
         "sec": (0, -1), "csc": (-1, 0)}
_TWO = num(2)


@dataclass(frozen=True)
class Simplified:
    """The simplified node, the names of the rewrites that fired, the
    assumptions they needed, and whether the budget allowed a full run."""

    node: Node
    rewrites: tuple[str, ...]
    assumptions: tuple = ()
    complete: bool = True


def simplify(node: Node) -> Node:
    """``node`` in textbook form (see the module docstring)."""
    return simplify_traced(node).node


def simplify_traced(node: Node, *, seconds: float | None = None,
                    max_nodes: int | None = None, work: int | None = None) -> Simplified:
    """:func:`simplify` with the record of what it did."""
    budget = limits.SIMPLIFY_SECONDS if seconds is None else seconds
    cap = limits.SIMPLIFY_MAX_NODES if max_nodes is None else max_nodes
    deadline = time.monotonic() + budget
    order = _unsettled(node)
    work = _Pass(deadline, full=count_nodes(node) <= cap if len(order) > cap else True,
                 work=limits.SIMPLIFY_WORK if work is None else work)
    current = node
    for _ in range(PASSES if work.full else 1):
        nxt = work.run(current, order if current is node else None)
        if nxt is current or work.out_of_time:
            current = nxt
            break
        current = nxt
    return Simplified(current, tuple(dict.fromkeys(work.fired)), tuple(work.assumptions),
                      not work.out_of_time)


class _Pass:
    def __init__(self, deadline: float, full: bool, work: int):
        # The work budget (node visits weighted by arity) is what normally
        # stops a pass: unlike a clock it gives the same answer on a loaded
        # machine and an idle one, so every backend prints the same bytes.
        # The deadline only guards against a pathological local rewrite.
        self.deadline = deadline
        self.work_left = work
        self.full = full
        self.out_of_time = False
        self.fired: list[str] = []
        self.assumptions: list = []

    def run(self, root: Node, order: list[Node] | None = None) -> Node:
        memo: dict[Node, Node] = {}
        fired = len(self.fired)
        for i, node in enumerate(order if order is not None else _unsettled(root)):
            if not node.args or node in _SETTLED:
                memo[node] = node
                continue
            self.work_left -= 1 + len(node.args)
            if self.work_left < 0 or (i & 127 == 0 and time.monotonic() > self.deadline):
                # Out of budget: this pass is abandoned, the last whole one stands.
                self.out_of_time = True
                return root
            new = self.local(rebuild(node, tuple(memo.get(a, a) for a in node.args)))
            memo[node] = new
        if self.full and len(self.fired) == fired:
            # Nothing fired anywhere: every node visited is settled.
            if len(_SETTLED) > _SETTLED_MAX:
                _SETTLED.clear()
            _SETTLED.update(memo)
        return memo[root]

    def local(self, node: Node) -> Node:
        op = node.op
        if op == "mul":
            return self._mul(node)
        if op == "add" and self.full:
            return self._add(node)
        if op == "exp":
            return self._exp(node)
        if op == "log":
            return self._log(node)
        if op in ("sin", "tan", "sinh", "tanh", "asin", "atan") and node.args[0] is ZERO:
            return self._fire("value at 0", ZERO)
        if op in ("cos", "cosh") and node.args[0] is ZERO:
            return self._fire("value at 0", ONE)
        return node

    def _fire(self, name: str, node: Node) -> Node:
        self.fired.append(name)
        return node

    # ---- exponentials and logarithms ------------------------------------
    def _exp(self, node: Node) -> Node:
        from chainlens.engine.domain import assumption

        u = node.args[0]
        if u is ZERO:
            return self._fire("exp(0) = 1", ONE)
        if u.op == "log":
            self.assumptions.append(assumption(u.args[0], ">", node))
            return self._fire("exp(log u) = u", u.args[0])
        if u.op == "mul":
            logs = [f for f in u.args if f.op == "log"]
            rest = [f for f in u.args if f.op != "log"]
            if len(logs) == 1 and all(f.op == "num" for f in rest):
                base = logs[0].args[0]
                self.assumptions.append(assumption(base, ">", node))
                return self._fire("exp(c log u) = u^c", power(base, mul(*rest)))
        return node

    def _log(self, node: Node) -> Node:
        u = node.args[0]
        if u is ONE:
            return self._fire("log(1) = 0", ZERO)
        if u.op == "exp":
            return self._fire("log(exp u) = u", u.args[0])
        return node

    # ---- products: trig pairs, exponentials -----------------------------
    def _mul(self, node: Node) -> Node:
        factors = list(node.args)
        groups: dict[Node, list[int]] = {}
        exps: list[int] = []
        for i, f in enumerate(factors):
            base, e = (f.args[0], f.args[1]) if f.op == "pow" else (f, ONE)
            if e.op != "num":
                continue
            if base.op in _TRIG:
                groups.setdefault(base.args[0], []).append(i)
            elif base.op == "exp":
                exps.append(i)
        drop: set[int] = set()
        extra: list[Node] = []
        for u, idx in groups.items():
            if len(idx) < 2:
                continue
            s = c = Fraction(0)
            for i in idx:
                base, e = _split(factors[i])
                ds, dc = _TRIG[base.op]
                s += e * ds
                c += e * dc
            merged = _trig_factors(u, s, c)
            if sorted(merged, key=_sort) != sorted((factors[i] for i in idx), key=_sort):
                drop.update(idx)
                extra.extend(merged)
                self.fired.append("sin/cos -> tan")
        if len(exps) >= 2:
            total = add(*(mul(num(e), base.args[0])
                          for base, e in (_split(factors[i]) for i in exps)))
            drop.update(exps)
            extra.append(raw("exp", total) if total is not ZERO else ONE)
            self.fired.append("exp(a) exp(b) = exp(a + b)")
        if not drop:
            return node
        return mul(*(f for i, f in enumerate(factors) if i not in drop), *extra)

    # ---- sums: Pythagoras, common factors -------------------------------
    def _add(self, node: Node) -> Node:
        node = self._pythagoras(node)
        if node.op != "add":
            return node
        node = self._common_denominator(node)
        if node.op != "add":
            return node
        return self._factor(node)

    def _common_denominator(self, node: Node) -> Node:
        """``a/D + b/D^2 -> (a D + b)/D^2`` when every term divides by the
        sum ``D`` and the numerator then collapses (like terms cancel):
        ``1/(x^2+1) - 2x^2/(x^2+1)^2 -> (1 - x^2)/(x^2+1)^2``."""
        shared: dict[Node, Fraction] | None = None
        for t in node.args:
            fs = t.args if t.op == "mul" else (t,)
            negs = {f.args[0]: -f.args[1].value for f in fs
                    if f.op == "pow" and f.args[0].op == "add" and f.args[1].op == "num"
                    and f.args[1].value < 0 and f.args[1].value.denominator == 1}
            shared = negs if shared is None else {
                b: max(e, negs[b]) for b, e in shared.items() if b in negs}
            if not shared:
                return node
        for base, m in shared.items():
            lift = power(base, num(m))
            pieces = [mul(t, lift) for t in node.args]
            before = sum(len(p.args) if p.op == "add" else 1 for p in pieces)
            numerator = add(*pieces)
            after = len(numerator.args) if numerator.op == "add" else 1
            if after < before:
                self.fired.append("common denominator")
                return mul(numerator, power(base, num(-m)))
        return node

    def _pythagoras(self, node: Node) -> Node:
        seen: dict[tuple[str, Node, Node], int] = {}
        pairs: list[tuple[int, int, Node]] = []
        for k, t in enumerate(node.args):
            fs = t.args if t.op == "mul" else (t,)
            for j, f in enumerate(fs):
                if f.op == "pow" and f.args[1] is _TWO and f.args[0].op in ("sin", "cos"):
                    rest = mul(*fs[:j], *fs[j + 1:])
                    u = f.args[0].args[0]
                    other = "cos" if f.args[0].op == "sin" else "sin"
                    hit = seen.get((other, u, rest))
                    if hit is not None:
                        pairs.append((hit, k, rest))
                        break
                    seen[(f.args[0].op, u, rest)] = k
        if not pairs:
            return node
        used = {i for a, b, _ in pairs for i in (a, b)}
        self.fired.append("sin² + cos² = 1")
        return add(*(t for k, t in enumerate(node.args) if k not in used),
                   *(rest for _, _, rest in pairs))

    def _factor(self, node: Node) -> Node:
        if node.args[-1].op == "num":
            return node  # a constant term (sorted last) has no factor to share
        maps = sorted((_powers(t) for t in node.args), key=len)
        common = maps[0]
        for m in maps[1:]:  # smallest first: the intersection only shrinks
            common = {b: min(e, m[b]) for b, e in common.items() if b in m}
            if not common:
                return node
        if not any(b.op != "sym" and not (b.op == "pow" and b.args[0].op == "sym"
                                          and b.args[1].op == "num") for b in common):
            return node
        divide = [power(b, num(-e)) for b, e in common.items()]
        cofactors = [mul(t, *divide) for t in node.args]
        general_power = any(b.op == "pow" and b.args[1].op != "num" for b in common)
        if not general_power and not any(c.op == "num" for c in cofactors):
            return node
        self.fired.append("common factor")
        return mul(*(power(b, num(e)) for b, e in common.items()), add(*cofactors))


def _unsettled(root: Node) -> list[Node]:
    """Postorder of ``root`` that does not descend into settled nodes."""
    if root in _SETTLED or not root.args:
        return [root]
    seen: set[int] = {id(root)}  # ids: the nodes are alive during the walk
    order: list[Node] = []
    stack: list[tuple[Node, int]] = [(root, 0)]
    while stack:
        node, i = stack[-1]
        if i < len(node.args):
            stack[-1] = (node, i + 1)
            child = node.args[i]
            if id(child) not in seen:
                seen.add(id(child))
                if child.args and child not in _SETTLED:
                    stack.append((child, 0))
        else:
            stack.pop()
            order.append(node)
    return order


def _split(f: Node) -> tuple[Node, Fraction]:
    if f.op == "pow":
        return f.args[0], f.args[1].value
    return f, Fraction(1)


def _sort(n: Node):
    return n.sort_key


def _trig_factors(u: Node, s: Fraction, c: Fraction) -> list[Node]:
    """sin(u)^s cos(u)^c in the fewest textbook factors."""
    if s > 0 and c < 0:
        t = min(s, -c)
        parts = (("tan", t), ("sin", s - t), ("sec", -c - t))
    elif s < 0 and c > 0:
        t = min(-s, c)
        parts = (("cot", t), ("csc", -s - t), ("cos", c - t))
    else:
        parts = (("csc", -s) if s < 0 else ("sin", s), ("sec", -c) if c < 0 else ("cos", c))
    return [power(raw(name, u), num(e)) for name, e in parts if e != 0]


def _powers(term: Node) -> dict[Node, Fraction]:
    """A term's non-numeric factors as base -> positive rational exponent
    (a power with a symbolic exponent is one opaque factor)."""
    fs = term.args if term.op == "mul" else (term,)
    out: dict[Node, Fraction] = {}
    for f in fs:
        if f.op == "num":
            continue
        if f.op == "pow" and f.args[1].op == "num" and f.args[1].value > 0:
            out[f.args[0]] = out.get(f.args[0], Fraction(0)) + f.args[1].value
        elif f.op == "pow" and f.args[1].op == "num":
            continue
        elif f.op == "pow" and f.args[1].op == "add" and f.args[1].args[0].op == "num":
            # x^(v - 1) holds the factor x^v (logarithmic differentiation).
            key = power(f.args[0], add(*f.args[1].args[1:]))
            out[key] = out.get(key, Fraction(0)) + 1
        else:
            out[f] = out.get(f, Fraction(0)) + 1
    return out
