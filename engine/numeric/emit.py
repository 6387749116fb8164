"""Straight-line code from a tape: the :class:`Emitter`.

One emitter writes the body of one generated function for one dialect:

``numpy``   arrays with a leading batch axis, one operation at a time;
``scalar``  Python floats and ``math`` (the fastest thing for one point);
``numba``   the same scalar code, compiled by numba inside a loop over the batch.

It writes the forward values, the partials of each slot, and the adjoint
(reverse mode) or tangent (forward mode) accumulation; the backends
(:mod:`.backends`) wrap those bodies into functions and bind the names they
use.  Derivatives come only from the rules table: the partials of each
primitive over placeholders (``rules.template``) are specialised to constant
arguments (``x^3`` -> ``3 x^2``) and spelled with the arguments' variables; a
partial node equal to the primitive itself (``sigmoid($0)`` inside sigmoid's
partial) reuses the forward value.  Generated code only ever names slots by
number and primitives from the table; no user text reaches ``compile()``.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache

from chainlens.engine import rules
from chainlens.engine.core.nodes import Node, num
from chainlens.engine.core.walk import postorder, substitute
from chainlens.engine.numeric.shapes import size
from chainlens.engine.numeric.tape import Tape, const_float

__all__ = ["Emitter", "NUMBA_CALLS", "RANGED", "literal"]

#: libm calls the numba dialect may replace by vectorisable helpers of the
#: same value (:mod:`.vmath`): LLVM cannot vectorise a loop that calls
#: libm, and ``exp`` dominates sigmoid, softplus and Gaussian programs,
#: ``sin``/``cos`` trigonometric ones (``sin(x^2)``: sin and its derivative's cos),
#: ``log`` log-likelihoods (``log(cos(x))``), ``log1p`` softplus, ``tanh`` tanh layers.
#: Tapes past :data:`.backends.VECTOR_MAX_SLOTS` keep libm (compile time).
NUMBA_CALLS = {"math.exp(": "_vexp", "math.sin(": "_vsin", "math.cos(": "_vcos",
               "math.log(": "_vlog", "math.log1p(": "_vlog1p", "math.tanh(": "_vtanh"}
#: Helpers that give NaN for finite arguments they do not reduce
#: (``|x| > vmath.TRIG_MAX``): a loop using one runs a batch with NaN/Inf
#: again on numpy (:meth:`.kernel.Kernel._run_numba`).
RANGED = ("_vsin", "_vcos")


@lru_cache(maxsize=4096)
def _template(op: str, arity: int, consts: tuple) -> tuple[Node, tuple[Node, ...]]:
    """The rule's forward node and partials with constant arguments folded in
    (``consts[i]`` is the exact value of argument i, or None)."""
    fwd, partials = rules.template(op, arity)
    mapping = {rules.PLACEHOLDERS[i]: num(c) for i, c in enumerate(consts) if c is not None}
    if mapping:
        fwd = substitute(fwd, mapping)
        partials = tuple(substitute(p, mapping) for p in partials)
    return fwd, partials


def literal(x: float) -> str:
    if math.isnan(x):
        return "NAN"
    if math.isinf(x):
        return "INF" if x > 0 else "(-INF)"
    return f"({x!r})" if x < 0 else repr(x)


class Emitter:
    """Writes straight-line code for one tape in one dialect.

    ``names`` collects the namespace entries the code refers to besides
    ``np`` and ``math`` (``T_matmul``, a rule's one-point helper such as
    ``_sign``...); the backend binds them.  ``lines`` is the body being written."""

    def __init__(self, tape: Tape, dialect: str, calls: dict | None = None):
        self.tape = tape
        self.dialect = dialect
        #: library calls replaced by helpers (the numba dialect: NUMBA_CALLS)
        self.calls = calls or {}
        self.names: set[str] = set()
        self.lines: list[str] = []
        self._tmp = 0
        self.ops = 0  # element operations emitted (the cost model reads this)

    # ---- spelling ----------------------------------------------------------
    def fresh(self, prefix: str) -> str:
        self._tmp += 1
        return f"{prefix}{self._tmp}"

    def emit(self, line: str, indent: int = 1) -> None:
        self.lines.append("    " * indent + line)

    def spell(self, op: str, a: list[str], exact: list[Fraction | None]) -> str:
        """Source for ``op`` applied to argument expressions ``a``: the rule's
        ``notation.python`` (numpy) or ``notation.scalar`` (one double)."""
        if op == "add":
            return "(" + " + ".join(a) + ")"
        if op == "mul":
            if a[0] == "(-1.0)":
                return "(-" + " * ".join(a[1:]) + ")"
            return "(" + " * ".join(a) + ")"
        if op == "pow":
            return self._spell_pow(a[0], a[1], exact[1])
        rule = rules.RULES[op]
        if self.dialect == "numpy":
            if rule.kind == "tensor":
                self.names.add(f"T_{op}")
                return f"T_{op}({', '.join(a)})"
            return "(" + rule.notation.python.format(*a) + ")"
        self.names.update(rule.helpers)
        text = "(" + rule.notation.scalar.format(*a) + ")"
        for call, helper in self.calls.items():
            if call in text:
                text = text.replace(call, helper + "(")
                self.names.add(helper)
        return text

    def _spell_pow(self, b: str, e: str, c: Fraction | None) -> str:
        if c is not None:
            if c == 2:
                return f"({b} * {b})"
            if c == 3:
                return f"({b} * {b} * {b})"
            if c == Fraction(1, 2):
                return f"{self._lib}.sqrt({b})"
            if c == Fraction(-1, 2):
                return f"(1.0 / {self._lib}.sqrt({b}))"
            if c == -1:
                return f"(1.0 / {b})"
            if c == -2:
                return f"(1.0 / ({b} * {b}))"
            if c.denominator == 1 and abs(c) <= 16 and self.dialect == "numba":
                # Multiplications (exponentiation by squaring; LLVM merges the
                # repeated factors) vectorise, a call to pow does not.
                p = _power_product(b, abs(int(c)))
                return p if c > 0 else f"(1.0 / {p})"
            if c.denominator == 1 and abs(c) <= 64 and self.dialect != "scalar":
                return f"({b} ** {int(c)})" if c > 0 else f"(1.0 / {b} ** {int(-c)})"
        return f"{self._lib}.{'power' if self.dialect == 'numpy' else 'pow'}({b}, {e})"

    @property
    def _lib(self) -> str:
        return "np" if self.dialect == "numpy" else "math"

    # ---- forward -----------------------------------------------------------
    def value_expr(self, k: int) -> str:
        slot = self.tape.slots[k]
        if slot.op == "const":
            return literal(slot.value)
        return f"v{k}"

    def forward(self, slots, indent: int = 1) -> None:
        """``v{k} = ...`` for each op slot in ``slots`` (topological order)."""
        t = self.tape
        for k in slots:
            slot = t.slots[k]
            if slot.op in ("input", "const"):
                continue
            a = [self.lifted(j, slot) for j in slot.args]
            exact = [t.slots[j].exact for j in slot.args]
            self.emit(f"v{k} = {self.spell(slot.op, a, exact)}", indent)
            self.ops += max(1, len(a) - 1) * size(slot.shape)

    def lifted(self, j: int, slot) -> str:
        """Argument ``j`` of an element-wise ``slot`` as numpy must see it:
        a lower-rank per-point value gets axes after the batch axis
        (``_lift``), else (B,) and (B, n) would not broadcast."""
        v = self.value_expr(j)
        arg = self.tape.slots[j]
        gap = len(slot.shape) - len(arg.shape)
        if (self.dialect != "numpy" or gap <= 0 or arg.op == "const"
                or rules.RULES[slot.op].kind == "tensor"):
            return v
        self.names.add("_lift")
        return f"_lift({v}, {gap})"

    # ---- partials ----------------------------------------------------------
    def partials(self, k: int, which: list[int], indent: int) -> dict[int, str]:
        """Expressions for ∂v_k/∂arg_i, i in ``which``, from the rules table."""
        t = self.tape
        slot = t.slots[k]
        consts = tuple(t.slots[j].exact for j in slot.args)
        fwd, partials = _template(slot.op, len(slot.args), consts)
        env: dict[Node, str] = {fwd: f"v{k}"}
        for i, j in enumerate(slot.args):
            env[rules.PLACEHOLDERS[i]] = self.lifted(j, slot)
        out = {}
        for i in which:
            out[i] = self._template_expr(partials[i], env, indent)
        return out

    def _template_expr(self, root: Node, env: dict[Node, str], indent: int) -> str:
        for node in postorder(root):
            if node in env:
                continue
            if node.op == "num":
                env[node] = literal(const_float(node.value))
            elif node.op == "pi":
                env[node] = literal(math.pi)
            elif node.op == "sym":
                raise AssertionError(f"free symbol {node.value} in a rule template")
            else:
                a = [env[x] for x in node.args]
                exact = [x.value if x.op == "num" else None for x in node.args]
                if node is root:
                    return self.spell(node.op, a, exact)
                name = self.fresh("p")
                self.emit(f"{name} = {self.spell(node.op, a, exact)}", indent)
                self.ops += 1
                env[node] = name
        return env[root]

    # ---- reverse mode --------------------------------------------------------
    def backward(self, out: int, seed: str, needs: list[bool], prefix: str,
                 indent: int = 1, trace: bool = False,
                 shared: list[bool] | None = None) -> dict[int, str]:
        """Adjoint accumulation for output slot ``out`` seeded with ``seed``;
        returns slot -> adjoint variable for every slot that received one.
        With ``trace`` each contribution is appended to ``C`` as
        ``(consumer, arg, value)`` for locating the first non-finite one.

        ``shared`` (numpy only; ``shared[k]``: slot k is the same for every
        point, ``n`` names the batch size): the adjoint of a shared slot is
        summed over the batch where a per-point value hands it on (the
        rule's ``vjp_summed`` for a tensor primitive, else ``_batch_sum``),
        so no point's gradient of a shared parameter is ever formed.  Past
        that edge the adjoint is a batch total, and every rule is linear in
        it, so shared slots propagate it as they are."""
        t = self.tape
        if shared is not None and shared[out]:
            seed = f"({seed} * n)"  # every point's seed, added up
        contrib: dict[int, list[str]] = {out: [seed]}
        adj: dict[int, str] = {}
        for k in range(out, -1, -1):
            parts = contrib.pop(k, None)
            if not parts:
                continue
            if len(parts) == 1 and (_is_name(parts[0]) or parts[0] == "1.0"):
                g = parts[0]  # a single incoming adjoint: no copy
            else:
                g = f"{prefix}{k}"
                self.emit(f"{g} = {' + '.join(parts)}", indent)
            adj[k] = g
            slot = t.slots[k]
            if slot.op in ("input", "const"):
                continue
            which = [i for i, j in enumerate(slot.args) if needs[j]]
            if not which:
                continue
            self.ops += len(which) * size(slot.shape)
            # Arguments shared by the batch whose consumer is per point: their
            # contributions are summed over the batch right here.
            summed = [shared is not None and not shared[k] and shared[j] for j in slot.args]
            rule = rules.RULES[slot.op]
            if rule.kind == "tensor" and self.dialect == "numpy":
                a = ", ".join(self.value_expr(j) for j in slot.args)
                cs = [self.fresh("c") for _ in slot.args]
                if rule.tensor.vjp_summed is not None:  # only the adjoints needed
                    wanted = tuple(None if i not in which else "total" if summed[i] else
                                   "point" for i in range(len(slot.args)))
                    self.names.add(f"VJPS_{slot.op}")
                    self.emit(f"{', '.join(cs)}, = VJPS_{slot.op}({g}, v{k}, {a}, "
                              f"wanted={wanted!r})", indent)
                    summed = [False] * len(summed)  # done by the rule
                else:
                    self.names.add(f"VJP_{slot.op}")
                    self.emit(f"{', '.join(cs)}, = VJP_{slot.op}({g}, v{k}, {a})", indent)
                pairs = [(i, cs[i]) for i in which]
            else:
                exprs = self.partials(k, which, indent)
                pairs = []
                for i in which:
                    c = _times(g, exprs[i])
                    if not _is_name(c):
                        name = self.fresh("c")
                        self.emit(f"{name} = {c}", indent)
                        c = name
                    pairs.append((i, c))
            for i, c in pairs:
                j = slot.args[i]
                if t.slots[j].shape != slot.shape:
                    self.names.add("_unbroadcast")
                    name = self.fresh("c")
                    self.emit(f"{name} = _unbroadcast({c}, {t.slots[j].shape!r})", indent)
                    c = name
                if summed[i]:
                    self.names.add("_batch_sum")
                    name = self.fresh("c")
                    self.emit(f"{name} = _batch_sum({c}, n)", indent)
                    c = name
                if trace:
                    self.emit(f"C.append(({k}, {j}, {c}))", indent)
                contrib.setdefault(j, []).append(c)
        return adj

    def _lift_tangent(self, tangent: str, j: int, slot) -> str:
        gap = len(slot.shape) - len(self.tape.slots[j].shape)
        if self.dialect != "numpy" or gap <= 0 or rules.RULES[slot.op].kind == "tensor":
            return tangent
        self.names.add("_lift")
        return f"_lift({tangent}, {gap})"

    # ---- forward mode --------------------------------------------------------
    def tangent(self, wrt: int, seed: str, wanted: list[bool], prefix: str,
                indent: int = 1) -> dict[int, str]:
        """Tangents d v_k / d wrt (seeded with ``seed``) for slots on a path
        from ``wrt`` to a wanted slot; returns slot -> tangent variable."""
        t = self.tape
        tan: dict[int, str] = {wrt: seed}
        for k in range(wrt + 1, len(t.slots)):
            slot = t.slots[k]
            if not wanted[k] or slot.op in ("input", "const"):
                continue
            which = [i for i, j in enumerate(slot.args) if j in tan]
            if not which:
                continue
            self.ops += len(which) * size(slot.shape)
            name = f"{prefix}{k}"
            if rules.RULES[slot.op].kind == "tensor" and self.dialect == "numpy":
                self.names.update((f"JVP_{slot.op}", "_zeros_like"))
                a = ", ".join(self.value_expr(j) for j in slot.args)
                ts = ", ".join(tan.get(j, f"_zeros_like({self.value_expr(j)})")
                               for j in slot.args)
                self.emit(f"{name} = JVP_{slot.op}(v{k}, ({a},), ({ts},))", indent)
            else:
                exprs = self.partials(k, which, indent)
                terms = [_times(self._lift_tangent(tan[slot.args[i]], slot.args[i], slot),
                                exprs[i]) for i in which]
                self.emit(f"{name} = {' + '.join(terms)}", indent)
            tan[k] = name
        return tan


def _power_product(b: str, n: int) -> str:
    """``b`` to the integer power ``n`` >= 1 as a product, by squaring."""
    if n == 1:
        return b
    half = _power_product(b, n // 2)
    square = f"({half} * {half})"
    return square if n % 2 == 0 else f"({square} * {b})"


def _is_name(text: str) -> bool:
    return text.isidentifier()


def _times(g: str, p: str) -> str:
    if p == "1.0":
        return g
    if p == "(-1.0)":
        return f"(-{g})"
    if g == "1.0":
        return p
    return f"{g} * {p}"
