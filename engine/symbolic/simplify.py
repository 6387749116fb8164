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

from chainlens.engine.core import limits
from chainlens.engine.core.ir import add, mul, power
from chainlens.engine.core.nodes import ONE, ZERO, Node, num, raw
from chainlens.engine.core.walk import count_nodes, postorder, rebuild
from chainlens.engine.symbolic.conditions import assumption
from chainlens.engine.symbolic.factors import TRIG, base_exponent, common_factor, trig_factors
from chainlens.engine.symbolic.textbook import textbook

__all__ = ["simplify", "simplify_traced", "Simplified"]

#: Passes over the DAG; each rewrite exposes at most one more level of work.
PASSES = 3

#: Nodes known to be in simplified form (every rewrite tried on them and
#: their sub-expressions fired nothing).  Simplification is context-free,
#: so this holds everywhere; a gradient's components share most of their
#: nodes and each is simplified once.  Cleared when it grows too large.
_SETTLED: set[Node] = set()
_SETTLED_MAX = 500_000

_TWO = num(2)
#: Functions of one argument that :meth:`_Pass.local` may rewrite.
_LOCAL_UNARY = frozenset(("exp", "log", "sin", "tan", "sinh", "tanh", "asin", "atan", "cos",
                          "cosh"))

#: Shared denominators the common-denominator rewrite tries per sum.
_DENOMINATOR_TRIES = 8


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
    if not node.args:
        return Simplified(node, ())
    # A settled node is a fixed point of the passes, not of the textbook
    # stage below: it still goes through that stage, so the answer does not
    # depend on what an earlier call (another job, another thread) settled.
    # The cap is on the whole DAG, not on the part not yet settled, so the
    # answer does not depend on what was simplified before.
    order = _unsettled(node)
    # The cap bounds the work of the sum rewrites: the nodes not yet settled
    # (the DAG is only counted when they alone exceed it).
    full = len(order) <= cap or count_nodes(node) <= cap
    work = _Pass(deadline, full=full,
                 work=limits.SIMPLIFY_WORK if work is None else work)
    current = node
    for _ in range(PASSES if work.full else 1):
        nxt = work.run(current, order if current is node else None)
        if nxt is current or work.out_of_time:
            current = nxt
            break
        current = nxt
    if not work.out_of_time:
        shaped = textbook(current, work.fired)
        if shaped is not current:
            current = shaped
            again = work.run(current)
            if not work.out_of_time:
                current = again
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
        settled = _SETTLED
        # A node whose children came back unchanged and on which no rewrite
        # fired is a fixed point of every later pass too (the pass is a
        # function of the node alone): settle it now, so the next pass only
        # walks what this one rewrote.
        calm: list[Node] = []
        full = self.full
        deadline = self.deadline
        if order is None:
            if not root.args or root in settled:
                return root
            order = _unsettled(root)
        work_left = self.work_left
        local = self.local
        for i, node in enumerate(order):  # no leaves, nothing settled (see _unsettled)
            args = node.args
            work_left -= 1 + len(args)
            if work_left < 0 or (i & 127 == 0 and time.monotonic() > deadline):
                # Out of budget: this pass is abandoned, the last whole one stands.
                self.work_left = work_left
                self.out_of_time = True
                return root
            if len(args) == 1:  # most nodes: functions of one argument
                a = args[0]
                b = memo.get(a, a)
                if b is a:
                    new = local(node) if node.op in _LOCAL_UNARY else node
                    if new is node:
                        if full:
                            calm.append(node)
                        continue  # unchanged: no memo entry needed
                else:
                    new = local(rebuild(node, (b,)))
                memo[node] = new
                continue
            # (nothing rewritten below yet: the arguments are the node's own)
            new_args = tuple([memo.get(a, a) for a in args]) if memo else args
            if new_args == args:
                new = local(node)
                if new is node:
                    if full:
                        calm.append(node)
                    continue
            else:
                new = local(rebuild(node, new_args))
            memo[node] = new
        self.work_left = work_left
        if calm:
            if len(settled) > _SETTLED_MAX:
                settled.clear()
            settled.update(calm)
        return memo.get(root, root)

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
        factors = node.args
        if len(factors) == 2 and factors[0].op == "num" and not _reciprocal_trig(factors[1]):
            return node  # c·f: no pair of factors to merge
        groups: dict[Node, list[int]] = {}
        exps: list[int] = []
        for i, f in enumerate(factors):
            base, e = (f.args[0], f.args[1]) if f.op == "pow" else (f, ONE)
            if e.op != "num" or (base.op in TRIG and e.value.denominator != 1):
                continue  # √sin(u)·cos(u) is not √cot(u)·√cos(u)... off sin(u) > 0
            if base.op in TRIG:
                groups.setdefault(base.args[0], []).append(i)
            elif base.op == "exp":
                exps.append(i)
        drop: set[int] = set()
        extra: list[Node] = []
        for u, idx in groups.items():
            if len(idx) < 2 and not _reciprocal_trig(factors[idx[0]]):
                continue
            s = c = 0  # ints while the exponents are (Fraction arithmetic is slow)
            for i in idx:
                base, e = base_exponent(factors[i])
                if e.denominator == 1:
                    e = e.numerator
                ds, dc = TRIG[base.op]
                s += e * ds
                c += e * dc
            merged = trig_factors(u, s, c)
            if sorted(merged) != sorted(factors[i] for i in idx):
                drop.update(idx)
                extra.extend(merged)
                self.fired.append("sin/cos -> tan")
        if len(exps) >= 2:
            total = add(*(mul(num(e), base.args[0])
                          for base, e in (base_exponent(factors[i]) for i in exps)))
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
                    and f.args[1].value.numerator < 0 and f.args[1].value.denominator == 1}
            shared = negs if shared is None else {
                b: max(e, negs[b]) for b, e in shared.items() if b in negs}
            if not shared:
                return node
        # a few candidates: a deep chain's derivative shares a thousand
        # denominators, and trying each rebuilt every term (seconds of CPU)
        for base, m in list(shared.items())[:_DENOMINATOR_TRIES]:
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
        out = common_factor(node)
        if out is None:
            return node
        self.fired.append("common factor")
        return out


def _reciprocal_trig(f: Node) -> bool:
    """``sin(u)^-n`` or ``cos(u)^-n``: printed as ``csc(u)^n``, ``sec(u)^n``."""
    return f.op == "pow" and f.args[0].op in ("sin", "cos") and f.args[1].op == "num" \
        and f.args[1].value.numerator < 0 and f.args[1].value.denominator == 1


def _unsettled(root: Node) -> list[Node]:
    """Postorder of the nodes of ``root`` still to simplify: the walk does
    not descend into settled nodes (a gradient's components share most of
    theirs) and leaves leaves out."""
    return postorder(root, skip=_SETTLED, leaves=False)
