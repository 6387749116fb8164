"""Turning generated source into callables: numpy, Python-float and numba.

Each backend is the same straight-line code from :class:`Emitter` bound to a
different namespace:

* ``numpy``: arrays with a leading batch axis; separate forward, backward
  (one per output, seedable, optionally traced) and tangent functions, so a
  Jacobian of any shape can be assembled seed by seed;
* ``scalar``: one fused function over Python floats with ``math``: for a
  single point this beats any array library (no allocation, no dispatch).
  ``math`` raises where numpy returns NaN/Inf (``log(-1)``, overflow), so the
  kernel falls back to numpy for that call and reports the non-finite value;
* ``numba``: the scalar body inside one ``prange`` loop over the batch, so
  forward and backward for a point run in registers with no temporaries.
  Compiled on first use (seconds, reported apart, like JAX's ``jit``).

The source is compiled with Python's ``compile()``: it is generated from the
tape (slot numbers and primitives of the rules table), never from user text.
"""

from __future__ import annotations

import math
import re

import numpy as np
from chainlens.engine import rules
from chainlens.engine.numeric import jit, vmath
from chainlens.engine.numeric.emit import NUMBA_CALLS, RANGED, Emitter
from chainlens.engine.numeric.tape import Tape

#: Points per block of the numba loop (its scratch stays in the L2 cache).
_BLOCK = 256
#: Longest tape whose numba loop uses the vectorisable helpers (:mod:`.vmath`).
#: Since the loops vectorise whatever their length (1-D scratch, one array
#: per output row, unsigned indices, ``noalias``: :func:`build_numba`) the
#: 50-layer chain (257 slots) is one: its loop at 1M points, 1 core, CPU
#: time at load ~14: 778 ms (libm exp) -> 590 ms.  Its compile takes ~3x
#: longer (140 -> 430 s at that load, 15 -> ~45 s on a quiet machine, in
#: the background build), so much longer tapes keep libm.
VECTOR_MAX_SLOTS = 400
#: A libm call LLVM does not turn into a vector instruction (sqrt, fabs... it does).
_LIBM_CALL = re.compile(r"\bmath\.(?!sqrt\(|fabs\(|copysign\(|floor\(|ceil\()\w+\(")

__all__ = ["NumpyCode", "build_numpy", "build_scalar", "build_numba", "ancestors",
           "ranged", "shared_slots"]


def _unbroadcast(c, shape):
    """Sum an adjoint over the per-point axes its argument was broadcast along
    (axis 0 is the batch and is kept: gradients are per point)."""
    c = np.asarray(c)
    nd = len(shape)
    if c.ndim == 0:
        return c
    extra = c.ndim - 1 - nd
    if extra > 0:
        c = c.sum(axis=tuple(range(1, 1 + extra)))
    axes = tuple(i + 1 for i, n in enumerate(shape) if n == 1 and c.shape[i + 1] != 1)
    return c.sum(axis=axes, keepdims=True) if axes else c


def _batch_sum(c, n):
    """A contribution to a value shared by the batch, added up over the
    batch's ``n`` points (one the size-1 batch axis broadcast stands for
    each of them)."""
    c = np.asarray(c)
    if c.ndim == 0 or c.shape[0] == 1:
        return c * n
    return c.sum(axis=0, keepdims=True)


def _lift(v, k):
    """A per-point value of lower rank with ``k`` axes inserted after the
    batch axis, so that it broadcasts against a higher-rank operand as it
    does for one point (a scalar (B,) against a vector (B, n))."""
    v = np.asarray(v)
    if v.ndim == 0 or k <= 0:
        return v
    return v.reshape(v.shape[:1] + (1,) * k + v.shape[1:])


def _zeros_like(a):
    return np.zeros_like(np.asarray(a, dtype=np.float64))


def _numpy_namespace(names: set[str]) -> dict:
    ns = {"INF": math.inf, "NAN": math.nan, "np": np, "math": math,
          "_unbroadcast": _unbroadcast, "_zeros_like": _zeros_like, "_lift": _lift,
          "_batch_sum": _batch_sum}
    for name in names:
        if name[:2] == "T_":
            ns[name] = rules.RULES[name[2:]].forward
        elif name.startswith("VJPS_"):
            ns[name] = rules.RULES[name[5:]].tensor.vjp_summed
        elif name.startswith("VJP_"):
            ns[name] = rules.RULES[name[4:]].tensor.vjp
        elif name.startswith("JVP_"):
            ns[name] = rules.RULES[name[4:]].tensor.jvp
    return ns


def _helpers() -> dict:
    """Every rule's one-point helper functions, by the name its
    ``notation.scalar`` template calls them."""
    out: dict = {}
    for rule in rules.RULES.values():
        out.update(rule.helpers)
    return out


def _scalar_namespace(names: set[str]) -> dict:
    helpers = _helpers()
    ns = {"INF": math.inf, "NAN": math.nan, "math": math}
    ns.update({name: helpers[name] for name in names if name in helpers})
    return ns


def _define(source: str, ns: dict, fname: str):
    code = compile(source, f"<chainlens-{fname}>", "exec")
    exec(code, ns)  # generated from the tape, never from user text
    return ns[fname]


# ---- numpy -------------------------------------------------------------------


def _needs(tape: Tape, wrt: tuple[int, ...]) -> list[bool]:
    """needs[k]: slot k depends on a wrt input (gradients flow into it)."""
    needs = [False] * len(tape.slots)
    differentiated = set(wrt)  # a tuple's `in` made this loop slots x inputs
    for k, slot in enumerate(tape.slots):
        needs[k] = k in differentiated or any(needs[j] for j in slot.args)
    return needs


def shared_slots(tape: Tape, batched: tuple[bool, ...]) -> list[bool]:
    """shared[k]: slot k is the same at every point of a call whose input i
    has a batch axis when ``batched[i]`` (it depends on no batched input)."""
    per_point = {k for k, b in zip(tape.inputs.values(), batched, strict=True) if b}
    shared = [False] * len(tape.slots)
    for k, slot in enumerate(tape.slots):
        if slot.op == "input":
            shared[k] = k not in per_point
        else:
            shared[k] = all(shared[j] for j in slot.args)
    return shared


def ancestors(tape: Tape, roots) -> list[bool]:
    mark = [False] * len(tape.slots)
    stack = list(roots)
    while stack:
        k = stack.pop()
        if not mark[k]:
            mark[k] = True
            stack.extend(tape.slots[k].args)
    return mark


def _tuple(items) -> str:
    return f"({', '.join(items)},)" if items else "()"


def _unpack(tape: Tape, em: Emitter) -> None:
    names = [f"v{k}" if s.op != "const" else "_" for k, s in enumerate(tape.slots)]
    em.emit(f"({', '.join(names)},) = V")


class NumpyCode:
    """The numpy functions of one tape, each generated on first use (a deep
    program with thousands of inputs needs its backward pass, not thousands
    of tangent passes):

    * ``forward(*input values)`` -> tuple of every slot's value;
    * ``backward[n](V, seed)`` -> adjoints of the wrt slots, for output n;
    * ``summed[n, batched](V, seed, n_points)`` -> the same adjoints, those
      of values shared by the batch (``batched[i]``: input i has a batch
      axis) summed over it, for the gradient of the batch total;
    * ``traced[n](V, seed)`` -> (those, {slot: adjoint} for every value,
      [(consumer, arg, contribution)]) for kept adjoints and NaN location;
    * ``tangent[m](V, seed)`` -> tangents of the outputs, for wrt input m.
    """

    def __init__(self, tape: Tape, wrt: tuple[int, ...]):
        self.tape, self.wrt = tape, wrt
        self.sources: dict[str, str] = {}
        em = Emitter(tape, "numpy")
        em.emit(f"def forward({', '.join(f'v{k}' for k in tape.inputs.values())}):", 0)
        em.forward(range(len(tape.slots)))
        em.emit(f"return {_tuple(em.value_expr(k) for k in range(len(tape.slots)))}")
        self.forward = self._define("forward", "forward", em)
        self._needs = _needs(tape, wrt)
        # The traced pass carries adjoints to every value (not only those on a
        # path from a wrt input): health reports and NaN location read them.
        self._needs_all = _needs(tape, tuple(tape.inputs.values()))
        self.backward = _Lazy(lambda n: self._backward(n, False))
        self.traced = _Lazy(lambda n: self._backward(n, True))
        self.summed = _Lazy(lambda key: self._backward(key[0], False, key[1]))
        self.tangent = _Lazy(self._tangent)

    def _define(self, key: str, fname: str, em: Emitter):
        self.sources[key] = "\n".join(em.lines)
        return _define(self.sources[key], _numpy_namespace(em.names), fname)

    def _backward(self, n: int, trace: bool, batched: tuple[bool, ...] | None = None):
        tape, out = self.tape, self.tape.outputs[n]
        needs = self._needs_all if trace else self._needs
        shared = None if batched is None else shared_slots(tape, batched)
        em = Emitter(tape, "numpy")
        em.emit("def backward(V, seed, n=1):", 0)
        _unpack(tape, em)
        if trace:
            em.emit("C = []")
        adj = (em.backward(out, "seed", needs, "g", trace=trace, shared=shared)
               if needs[out] else {})
        grads = _tuple([adj.get(w, "None") for w in self.wrt])
        if trace:
            table = ", ".join(f"{k}: {g}" for k, g in adj.items())
            em.emit(f"return {grads}, {{{table}}}, C")
        else:
            em.emit(f"return {grads}")
        key = f"backward{n}{'_traced' if trace else ''}"
        if batched is not None:
            key += "_summed" + "".join("b" if b else "s" for b in batched)
        return self._define(key, "backward", em)

    def _tangent(self, m: int):
        tape = self.tape
        em = Emitter(tape, "numpy")
        em.emit("def tangent(V, seed):", 0)
        _unpack(tape, em)
        tan = em.tangent(self.wrt[m], "seed", ancestors(tape, tape.outputs), "t")
        em.emit(f"return {_tuple([tan.get(o, 'None') for o in tape.outputs])}")
        return self._define(f"tangent{m}", "tangent", em)


class _Lazy:
    """``lazy[i]``: ``make(i)`` computed on first access."""

    def __init__(self, make):
        self._make, self._made = make, {}

    def __getitem__(self, i: int):
        if i not in self._made:
            self._made[i] = self._make(i)
        return self._made[i]


def build_numpy(tape: Tape, wrt: tuple[int, ...]) -> NumpyCode:
    return NumpyCode(tape, wrt)


# ---- fused scalar code (Python floats, and numba) ------------------------------


def _fused_body(tape: Tape, wrt: tuple[int, ...], mode: str, dialect: str,
                indent: int) -> tuple[Emitter, list[str], list[str]]:
    """Forward and every derivative for one point; returns the emitter, the
    output expressions and the Jacobian entries (output-major).  A short
    numba loop gets the vectorisable helpers (:data:`.emit.NUMBA_CALLS`)
    unless a libm call is left in it anyway (``log1p`` in softplus): a loop
    with a call does not vectorise, and then libm's exp is the faster one."""
    if dialect == "numba" and len(tape.slots) <= VECTOR_MAX_SLOTS:
        fused = _fused_body_with(tape, wrt, mode, dialect, indent, NUMBA_CALLS)
        if not any(_LIBM_CALL.search(line) for line in fused[0].lines):
            return fused
    return _fused_body_with(tape, wrt, mode, dialect, indent, None)


def ranged(tape: Tape, wrt: tuple[int, ...], mode: str) -> bool:
    """Whether the numba loop of this variant calls a helper that is NaN
    for finite arguments it does not reduce (:data:`.emit.RANGED`): its
    NaN/Inf may be no NaN of the program's, and numpy must run it again."""
    if len(tape.slots) > VECTOR_MAX_SLOTS:  # long loops keep libm (no emitting to see that)
        return False
    em = _fused_body(tape, wrt, mode, "numba", 3)[0]
    return any(name in em.names for name in RANGED)


def _fused_body_with(tape, wrt, mode, dialect, indent, calls):
    em = Emitter(tape, dialect, calls)
    em.forward(range(len(tape.slots)), indent)
    em.split = len(em.lines)  # where the derivative code starts
    outs = [em.value_expr(o) for o in tape.outputs]
    jac = [["0.0"] * len(wrt) for _ in tape.outputs]
    if mode == "reverse":
        needs = _needs(tape, wrt)
        for n, out in enumerate(tape.outputs):
            if needs[out]:
                adj = em.backward(out, "1.0", needs, f"g{n}_", indent)
                for m, w in enumerate(wrt):
                    jac[n][m] = adj.get(w, "0.0")
    else:
        wanted = ancestors(tape, tape.outputs)
        for m, w in enumerate(wrt):
            tan = em.tangent(w, "1.0", wanted, f"t{m}_", indent)
            for n, out in enumerate(tape.outputs):
                jac[n][m] = tan.get(out, "0.0")
    return em, outs, [e for row in jac for e in row]


def build_scalar(tape: Tape, wrt: tuple[int, ...], mode: str):
    """``run(*input floats) -> (outputs..., jacobian entries...)``."""
    em, outs, jac = _fused_body(tape, wrt, mode, "scalar", 1)
    params = ", ".join(f"v{k}" for k in tape.inputs.values())
    head = [f"def run({params}):"]
    src = "\n".join(head + em.lines + [f"    return {_tuple(outs + jac)}"])
    return _define(src, _scalar_namespace(em.names), "run"), src


def _at(row: int) -> str:
    """The offset of scratch row ``row``, unsigned (int64 + uint64 is a
    float64 in numba)."""
    return f"np.uint64({row * _BLOCK})"


def build_numba(tape: Tape, wrt: tuple[int, ...], mode: str, batched: tuple[bool, ...],
                sum_shared: bool = False, parallel: bool = True, how: str = "here"):
    """``run(lo, hi, A0, A1, ..., O0, O1, ..., ACC) -> number of non-finite
    results`` over points ``lo <= i < hi`` (threads run parts of one batch
    into the same rows, :mod:`.threads`): ``Ai`` holds input i's values
    (length n when ``batched[i]``, else length 1, read once outside the
    loop); ``Or`` (length n: row r of one ``OUT`` array) receives the
    outputs then the Jacobian entries, output-major, in ``lo:hi``.  With ``sum_shared``, entries
    for unbatched inputs are summed over the batch into ``ACC`` instead (the
    gradient of the batch total, as a training loop wants it).  Returns the
    compiled function, the seconds numba took (compiling, or loading from
    the disk cache: :mod:`.jit`), and the source.  ``how``: ``here``;
    ``elsewhere``, compiled in a child process that fills the disk cache,
    then loaded from it (a thread calling this does not hold the GIL for
    the seconds of compiling); ``cached``, loaded from the disk cache or
    None."""
    em, outs, jac = _fused_body(tape, wrt, mode, "numba", 3)
    slots = list(tape.inputs.values())
    position = {k: r for r, k in enumerate(slots)}
    summed = [sum_shared and not batched[position[w]] for w in wrt] * len(tape.outputs)
    forward, backward = em.lines[:em.split], em.lines[em.split:]
    body_out, body_grad, checks_out, checks_grad = [], [], [], []
    rows = outs + [e for e, flag in zip(jac, summed, strict=True) if not flag]
    for r, e in enumerate(rows):
        body, checks = (body_out, checks_out) if r < len(outs) else (body_grad, checks_grad)
        body += [f"            o{r} = {e}", f"            O{r}[i] = o{r}"]
        # x - x is 0 exactly when x is finite: a branch-free test (fastmath
        # is off, so it is not folded away).
        checks.append(f"(o{r} - o{r} != 0.0)")

    # Blocks of points: the forward pass of every point of a block, keeping
    # the values the derivatives need in scratch, then the backward pass.
    # One fused loop would run each point's long chain of dependent
    # operations at latency; two shorter loop bodies let the CPU overlap
    # neighbouring points (3x on the 50-layer chain).  Both loops are
    # written so that LLVM vectorises them: one 1-D scratch array ``W``
    # whose rows are at constant offsets (a 2-D array's row stride is a
    # run-time value, and two rows of it "may alias"), one 1-D array per
    # output row, and the batch totals of shared inputs kept per lane of
    # the block in rows of ``W`` (a running ``s += c`` is a reduction LLVM
    # may not reorder without fast-math, which kept the loop scalar); the
    # lanes are added up in order after the last block.
    used = sorted({int(m) for line in backward + body_grad
                   for m in re.findall(r"\bv(\d+)\b", line)})
    kept = [k for k in used if tape.slots[k].op not in ("input", "const")]
    reload = [k for k in used if k in position and batched[position[k]]]
    sums = [(r, e) for r, (e, flag) in enumerate(zip(jac, summed, strict=True)) if flag]
    base = len(kept)  # W's rows: kept values, then one row of lane totals per sum
    body_grad += [f"            W[j + {_at(base + q)}] += {e}" for q, (_, e) in enumerate(sums)]
    for body, checks in ((body_out, checks_out), (body_grad, checks_grad)):
        if checks:
            body.append(f"            bad += {' | '.join(checks)}")
    scratch = f"W = np.zeros({max(1, base + len(sums)) * _BLOCK})"
    params = "".join(f"A{r}, " for r in range(len(slots)))
    params += "".join(f"O{r}, " for r in range(len(rows)))
    lines = [f"def run(lo, hi, {params}ACC):", "    bad = 0"]
    lines += [f"    v{k} = A{r}[0]" for r, k in enumerate(slots) if not batched[r]]
    lines += [f"    s{r} = 0.0" for r, _ in sums]
    if parallel:  # blocks spread over the cores, each with its own scratch
        lines += [f"    for block in numba.prange((hi - lo + {_BLOCK - 1}) // {_BLOCK}):",
                  f"        start = lo + block * {_BLOCK}",
                  f"        stop = min(start + {_BLOCK}, hi)", f"        {scratch}"]
    else:
        lines += [f"    {scratch}", f"    for start in range(lo, hi, {_BLOCK}):",
                  f"        stop = min(start + {_BLOCK}, hi)"]
    # unsigned indices: a signed one is checked for < 0 (numba's wraparound),
    # and that select made LLVM load the vector's four points one by one
    # (exp(-x^2/2): 9.4 -> 5.5 ms per 1M points)
    lines += ["        us, ue = np.uint64(start), np.uint64(stop)",
              "        for i in range(us, ue):", "            j = i - us"]
    lines += [f"            v{k} = A{r}[i]" for r, k in enumerate(slots) if batched[r]]
    lines += forward + body_out
    lines += [f"            W[j + {_at(q)}] = v{k}" for q, k in enumerate(kept)]
    if backward or body_grad:
        lines += ["        for i in range(us, ue):", "            j = i - us"]
        lines += [f"            v{k} = A{position[k]}[i]" for k in reload]
        lines += [f"            v{k} = W[j + {_at(q)}]" for q, k in enumerate(kept)]
        lines += backward + body_grad
    if parallel and sums:  # each block's lane totals (a prange reduction)
        lines += [f"        for j in range({_BLOCK}):"]
        lines += [f"            s{r} += W[{(base + q) * _BLOCK} + j]"
                  for q, (r, _) in enumerate(sums)]
    elif sums:
        lines += [f"    for j in range({_BLOCK}):"]
        lines += [f"        s{r} += W[{(base + q) * _BLOCK} + j]" for q, (r, _) in enumerate(sums)]
    lines += [f"    ACC[{r}] = s{r}" for r, _ in sums]
    lines.append("    return bad")
    src = "\n".join(lines)
    helpers = _helpers()
    helpers.update(vmath.FUNCTIONS)
    used_helpers = {name: helpers[name] for name in em.names if name in helpers}

    shapes = [(1,)] * (len(slots) + len(rows)) + [(len(summed),)]
    build = {"here": jit.compile_loop, "elsewhere": jit.build_elsewhere,
             "cached": jit.load_cached}[how]
    jitted, seconds, _loaded = build(src, "run", used_helpers, parallel, shapes)
    return jitted, seconds, src


def build_edges(tape: Tape):
    """``edges(V) -> {(slot, arg index): ∂v_slot/∂arg}`` for every edge of a
    scalar tape whose argument is not a constant: the local derivatives the
    path decomposition multiplies (from the rules table, like everything else)."""
    em = Emitter(tape, "numpy")
    em.emit("def edges(V):", 0)
    _unpack(tape, em)
    em.emit("E = {}")
    for k, slot in enumerate(tape.slots):
        if slot.op in ("input", "const"):
            continue
        which = [i for i, j in enumerate(slot.args) if tape.slots[j].op != "const"]
        for i, expr in em.partials(k, which, 1).items():
            em.emit(f"E[{k}, {i}] = {expr}")
    em.emit("return E")
    return _define("\n".join(em.lines), _numpy_namespace(em.names), "edges")
