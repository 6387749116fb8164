"""Compiled, batched forward and backward passes.

``compile(program)`` lowers a program to a tape (shapes checked first) and
returns a :class:`Kernel`: called with input values it returns every output
and its derivative with respect to each requested input at a whole batch of
points (float64, leading batch axis; scalars and unbatched tensors
broadcast).  One forward pass; then one backward pass per output element
(reverse mode) or one tangent pass per input element (forward mode,
JVP), whichever the cost model says is cheaper for the Jacobian's shape.

Three backends run the same generated code (see
:mod:`chainlens.engine.numeric.backends`): Python floats for a single point,
numpy for middling batches and tensors, one fused numba loop for large
batches of scalar programs.  Non-finite results are detected with one
``isfinite`` test per result array (always on); only when it fails is the
traced numpy path re-run to find the node that first produced NaN/Inf.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from chainlens.engine.core.cache import Cache
from chainlens.engine.core.source import ChainError, EvaluationError, Span
from chainlens.engine.language.program import Program
from chainlens.engine.numeric import backends, chunks, jacobians, schedule, threads
from chainlens.engine.numeric.arrays import (
    all_finite,
    as_program,
    batch_axes,
    floats,
    full,
    name_list,
    prepare,
)
from chainlens.engine.numeric.code import best_of, code_for, numba_available
from chainlens.engine.numeric.costs import costs as _costs
from chainlens.engine.numeric.costs import reason as _reason
from chainlens.engine.numeric.nonfinite import locate
from chainlens.engine.numeric.results import Evaluation, Trace, quick_evaluation
from chainlens.engine.numeric.shapes import size
from chainlens.engine.numeric.tape import Tape, lower

__all__ = ["compile", "evaluate", "Kernel", "NUMBA_MIN_BATCH"]

#: Batch size from which the fused numba loop replaces numpy for scalar
#: programs.  Measured with benchmarks/numeric.py on 2 shared, busy cores:
#: the serial fused loop beats numpy's one pass per operation from about a
#: thousand points.  Large batches run that one serial loop on every core
#: in parts, in our own threads (:mod:`.threads`): numba's ``prange`` pool
#: lost to the serial loop at every batch up to 1,000,000 there (waking its
#: threads on busy cores costs milliseconds) and needed a second compile.
NUMBA_MIN_BATCH = 1_000
#: Largest tape numba is asked to compile: its compile time grows faster than
#: the program (the 50-layer chain, ~300 values, takes 5-20 s), so deeper
#: programs stay on numpy rather than stall their first large call.
NUMBA_MAX_SLOTS = 1_000
#: From this batch, or for tapes longer than SYNC_MAX_SLOTS, numba is
#: compiled in the background and timed there; the numpy path (in chunks)
#: serves the calls until it is ready (:mod:`.schedule`).
BACKGROUND_MIN_BATCH = 50_000
SYNC_MAX_SLOTS = 64
#: Batches up to which a scalar program runs point by point on plain floats
#: instead of once on numpy: numpy's per-operation cost is paid per call
#: whatever the batch (the 100-layer tanh chain: one point as floats
#: 22 µs, 5 points on numpy 2-3 ms), which made the gRPC batcher's small
#: batches slower than their requests one by one.
SCALAR_LOOP_MAX_BATCH = 16
_ARITH_ERRORS = (ValueError, OverflowError, ZeroDivisionError)
_PLAIN = (float, int, np.float64)


class Kernel:
    """A compiled program.  ``kernel(values)`` -> :class:`Evaluation`."""

    def __init__(self, program: Program, tape: Tape, wrt: tuple[str, ...], mode: str | None,
                 backend: str | None):
        self.program = program
        self.tape = tape
        self.inputs = tuple(tape.inputs)
        self.wrt = wrt
        self.outputs = tape.output_names
        self.shapes = {n: tape.slots[k].shape for n, k in {**tape.inputs, **tape.names}.items()}
        self._wrt_slots = tuple(tape.inputs[w] for w in wrt)
        self.costs = _costs(tape, self._wrt_slots)
        chosen = "reverse" if self.costs["reverse"] <= self.costs["forward"] else "forward"
        self.mode = mode or chosen
        self.mode_reason = _reason(tape, self._wrt_slots, self.costs, self.mode, mode)
        self.scalar = all(s.shape == () for s in tape.slots)
        self.backend = backend
        self._code = code_for(tape, self._wrt_slots, self.mode)
        # The largest tensor per point any call could form: below the limit
        # for a batch, nothing needs counting.
        self._widest = max([size(s.shape) for s in tape.slots] +
                           [size(tape.slots[o].shape) * size(self.shapes[w])
                            for o in tape.outputs for w in wrt] or [1])
        self._scalar_fns: dict[bool, object] = {}

    @property
    def compile_seconds(self) -> float | None:
        """Seconds numba spent compiling this kernel's fused loops (None before)."""
        return self._code.numba_seconds

    def __repr__(self) -> str:
        return (f"Kernel(inputs={self.inputs}, wrt={self.wrt}, outputs={self.outputs}, "
                f"mode={self.mode!r})")

    # ---- calling -----------------------------------------------------------
    def __call__(self, values: Mapping, *, keep: bool = False,
                 sum_shared: bool = False) -> Evaluation:
        """Outputs and gradients at the points in ``values``.  With
        ``sum_shared`` the gradient with respect to an unbatched input (a
        parameter shared by every point) is summed over the batch and has no
        batch axis: the gradient of the batch's total, as training wants."""
        if self.scalar and not keep and self.backend in (None, "scalar"):
            fast = self._try_scalar(values, grad=True, sum_shared=sum_shared)
            if fast is not None:
                return fast
        arrays, batch = self._prepare(values)
        chunks.check_size(self, arrays, batch, True, sum_shared, keep)
        if (self.scalar and not keep and 1 < batch <= SCALAR_LOOP_MAX_BATCH
                and self.backend in (None, "scalar")):
            rows = self._scalar_rows(arrays, batch, sum_shared)
            if rows is not None:
                return rows
        if keep or not self._use_numba(batch):
            return self._numpy_call(arrays, batch, keep, sum_shared)
        return self._planned(batch, True, sum_shared,
                             lambda fn=None: self._run_numba(arrays, batch, True, sum_shared, fn),
                             lambda: self._numpy_call(arrays, batch, False, sum_shared), arrays)

    def forward(self, values: Mapping) -> dict:
        """The outputs only (``name -> (B, *shape)``), on the same backends."""
        if self.scalar and self.backend in (None, "scalar"):
            fast = self._try_scalar(values, grad=False)
            if fast is not None:
                return fast.values
        arrays, batch = self._prepare(values)
        chunks.check_size(self, arrays, batch, False, False, False)
        if self._use_numba(batch):
            return self._planned(batch, False, False,
                                 lambda fn=None: self._run_numba(arrays, batch, False,
                                                                 fn=fn).values,
                                 lambda: self._numpy_forward(arrays, batch), arrays)
        return self._numpy_forward(arrays, batch)

    @property
    def plan(self) -> dict:
        """Backend chosen per (gradient?, size class) for large batches, with
        the seconds each backend took when they were timed against each other."""
        return dict(self._code.plan)

    def _planned(self, batch: int, grad: bool, sum_shared: bool, numba_run, numpy_run,
                 arrays):
        """Run a large batch on the backend measured fastest for this kernel
        and size class (powers of ten); the first call of a class times both.
        numba's fused loop wins on long arithmetic chains, numpy's SIMD
        transcendental functions on short ones with many ``exp``/``sin``.
        Large batches and long programs never compile or time on the
        request path (:func:`.schedule.run`); smaller ones never compile on
        it either (numpy serves while the loop builds), and are timed on it
        once the loop is there (a few milliseconds)."""
        if self.backend == "numba":
            return numba_run()
        if batch >= BACKGROUND_MIN_BATCH or len(self.tape.slots) > SYNC_MAX_SLOTS:
            return schedule.run(self, arrays, batch, grad, sum_shared, numba_run, numpy_run)
        key = (grad, sum_shared, len(str(batch)))
        chosen = self._code.plan.get(key)
        if chosen is not None and chosen[0] == "numpy":
            return numpy_run()
        # the plan's size class does not say which inputs are batched: a saved
        # "numba" for one pattern must not compile another's loop here
        variant = self.numba_key(arrays, batch, grad, sum_shared)
        if self._code.get(*variant, wait=False) is None:
            # not built in this process: compiling takes seconds (10 s on a loaded
            # machine: a gRPC client's first 1,000-point request timed out, red team
            # round 8) and even loading from the disk cache imports numba (seconds
            # there too), so both happen in the background and numpy serves meanwhile
            if not self._code.builds.failed(variant):
                self._code.start(variant)
            return numpy_run()
        if chosen is not None:
            return numba_run()
        numba_run()  # first use of the loaded loop: not part of the comparison
        t_numba, fused = best_of(3, numba_run)
        t_numpy, plain = best_of(3, numpy_run)
        winner = "numba" if t_numba <= t_numpy else "numpy"
        self._code.plan[key] = (winner, t_numba, t_numpy)
        return fused if winner == "numba" else plain

    def _numpy_call(self, arrays, batch: int, keep: bool, sum_shared: bool) -> Evaluation:
        batched = batch_axes(arrays) if sum_shared else None
        if not keep and batch >= chunks.CHUNK_MIN_BATCH:
            return chunks.evaluate(self, arrays, batch, batched)
        return self._run_numpy(arrays, batch, keep, batched)

    def _numpy_forward(self, arrays, batch: int) -> dict:
        if batch >= chunks.CHUNK_MIN_BATCH:
            return chunks.forward(self, arrays, batch)
        with np.errstate(all="ignore"):
            V = self._code.numpy.forward(*arrays)
        return {name: full(V[o], batch, self.tape.slots[o].shape)
                for name, o in zip(self.outputs, self.tape.outputs, strict=True)}

    def _use_numba(self, batch: int) -> bool:
        if self.backend == "numba":
            return self.scalar and bool(self.inputs)
        return (self.backend is None and self.scalar and batch >= NUMBA_MIN_BATCH
                and bool(self.inputs) and len(self.tape.slots) <= NUMBA_MAX_SLOTS
                and numba_available())

    def _try_scalar(self, values: Mapping, grad: bool,
                    sum_shared: bool = False) -> Evaluation | None:
        try:
            xs = [values[n] for n in self.inputs]
        except KeyError:
            return None
        for x in xs:
            if type(x) not in _PLAIN:
                return None
        run = self._scalar_fns.get(grad)
        if run is None:
            run = self._scalar_fns[grad] = self._code.get("scalar", grad)
        try:
            r = run(*xs)
        except _ARITH_ERRORS:
            return None  # numpy gives NaN/Inf instead, and the report
        if not all(map(math.isfinite, r)):
            return None
        flat = np.array(r)
        n_out = len(self.outputs)
        # Row views of one array: far cheaper than one small array per entry.
        out = dict(zip(self.outputs, flat[:n_out].reshape(n_out, 1), strict=True))
        grads = {}
        if grad:
            m = len(self.wrt)
            grid = flat[n_out:].reshape((n_out, m) if sum_shared else (n_out, m, 1))
            grads = {name: dict(zip(self.wrt, grid[i], strict=True))
                     for i, name in enumerate(self.outputs)}
        return quick_evaluation(out, grads)

    def _scalar_rows(self, arrays, batch: int, sum_shared: bool) -> Evaluation | None:
        """A small batch of a scalar program, point by point on the fused
        plain-float function; None (numpy runs it, and reports) when a
        point raises or gives NaN/Inf."""
        run = self._scalar_fns.get(True)
        if run is None:
            run = self._scalar_fns[True] = self._code.get("scalar", True)
        batched = batch_axes(arrays)
        columns = [a.reshape(-1).tolist() for a in arrays]
        out = []
        try:
            for i in range(batch):
                out.append(run(*(c[i] if b else c[0] for c, b in zip(columns, batched,
                                                                       strict=True))))
        except _ARITH_ERRORS:
            return None
        flat = np.array(out).reshape(batch, -1)
        if not np.isfinite(flat).all():
            return None
        n_out, m = len(self.outputs), len(self.wrt)
        values = {name: flat[:, i].copy() for i, name in enumerate(self.outputs)}
        summed = {w for w, b in zip(self.inputs, batched, strict=True) if sum_shared and not b}
        grads = {}
        for i, name in enumerate(self.outputs):
            grads[name] = {}
            for j, w in enumerate(self.wrt):
                column = flat[:, n_out + i * m + j]
                grads[name][w] = np.array(column.sum()) if w in summed else column.copy()
        return Evaluation(values, grads, batch, (), backend="scalar")

    def _prepare(self, values: Mapping) -> tuple[list[np.ndarray], int]:
        return prepare(values, self.inputs, self.shapes, self._decl_span)

    def _locate(self, arrays, batch: int):
        return locate(self.tape, self._code.numpy, self.program, self._decl_span, arrays, batch,
                      chunks.chunk_points(self.tape))

    def _decl_span(self, name: str) -> Span | None:
        d = self.program.declaration(name)
        if d is not None:
            return d.span
        return self.program.span_of(self.tape.slots[self.tape.inputs[name]].node)

    # ---- numpy ---------------------------------------------------------------
    def _run_numpy(self, arrays, batch: int, keep: bool, batched=None) -> Evaluation:
        t, code = self.tape, self._code.numpy
        with np.errstate(all="ignore"):
            V = code.forward(*arrays)
            values = {n: full(V[o], batch, t.slots[o].shape)
                      for n, o in zip(self.outputs, t.outputs, strict=True)}
            grads = jacobians.gradients(self, code, V, batch, batched)
            node_values = adjoints = None
            if keep:
                node_values, adjoints = self._keep(code, V, batch)
        nonfinite = ()
        if not all_finite(values, grads):
            nonfinite = self._locate(arrays, batch)
        return Evaluation(values, grads, batch, nonfinite, node_values, adjoints, "numpy")

    def _keep(self, code, V, batch):
        t = self.tape
        named = {**t.inputs, **t.names}
        node_values = {n: full(V[k], batch, t.slots[k].shape) for n, k in named.items()}
        adj = self._slot_adjoints(code, V)
        adjoints = {n: full(adj.get(k), batch, t.slots[k].shape) for n, k in named.items()}
        return node_values, adjoints

    def _slot_adjoints(self, code, V) -> dict:
        """∂(first output)/∂slot for every slot (of the sum of a tensor
        output's elements), by the traced reverse pass."""
        oshape = self.tape.slots[self.tape.outputs[0]].shape
        seed = 1.0 if oshape == () else np.ones((1, *oshape))
        return code.traced[0](V, seed)[1]

    def trace(self, values: Mapping) -> Trace:
        """Every slot's value and ∂(first output)/∂slot at the points in
        ``values`` and, for a scalar tape, every edge's local derivative:
        what the graph picture and the path sums read (the same generated
        code as every other call)."""
        arrays, batch = self._prepare(values)
        chunks.check_size(self, arrays, batch, False, False, True)
        code = self._code.numpy
        with np.errstate(all="ignore"):
            V = code.forward(*arrays)
            adjoints = self._slot_adjoints(code, V) if self.tape.outputs else {}
            edges = self._code.edges(V) if self.scalar else None
        return Trace(tuple(V), adjoints, edges, batch)

    # ---- numba ---------------------------------------------------------------
    def numba_key(self, arrays, batch: int, grad: bool, sum_shared: bool) -> tuple:
        """The fused loop's variant for these inputs (see :meth:`.code.Code.get`)."""
        batched = tuple(a.shape[0] > 1 for a in arrays)
        return ("numba", grad, batched, sum_shared, False)

    def _run_numba(self, arrays, batch: int, grad: bool,
                   sum_shared: bool = False, fn=None) -> Evaluation:
        X = [_loop_input(a) for a in arrays]
        batched = tuple(len(x) > 1 for x in X)
        if fn is None:
            fn = self._code.get("numba", grad, batched, sum_shared, False)
        n_out, m = len(self.outputs), (len(self.wrt) if grad else 0)
        is_batched = dict(zip(self.inputs, batched, strict=True))
        summed = [sum_shared and not is_batched[w] for w in self.wrt[:m]] * n_out
        bad, OUT, ACC = threads.run(fn, batch, X, n_out + summed.count(False), len(summed))
        values = {name: OUT[i] for i, name in enumerate(self.outputs)}
        grads, row = {}, n_out
        for i, name in enumerate(self.outputs):
            grads[name] = {}
            for j, w in enumerate(self.wrt[:m]):
                if summed[i * m + j]:
                    grads[name][w] = ACC[i * m + j:i * m + j + 1].reshape(())
                else:
                    grads[name][w] = OUT[row]
                    row += 1
        if not grad:
            grads = {}
        bad = bad or not np.isfinite(ACC).all()
        if bad and backends.ranged(self.tape, *((self._code.wrt, self.mode) if grad
                                                 else ((), "none"))):
            # a sin/cos argument past vmath.TRIG_MAX is NaN in the loop, and
            # no NaN of the program's: numpy (libm) computes the batch again
            if grad:
                return self._numpy_call(arrays, batch, False, sum_shared)
            return Evaluation(self._numpy_forward(arrays, batch), {}, batch, (),
                              backend="numpy")
        nonfinite = self._locate(arrays, batch) if bad else ()
        return Evaluation(values, grads, batch, nonfinite, backend="numba")


# --------------------------------------------------------------------------
# entry points
# --------------------------------------------------------------------------


#: Kernels of recent programs, by the request: a program is compared (and
#: hashed) by its content, so the editor's point values and its health
#: report, or two doors asking for one program, share one compiled kernel.
#: Bounded by entries and by the tape slots they hold in total.
_KERNELS: Cache = Cache(max_entries=64, max_bytes=500_000,
                        size=lambda _key, kernel: len(kernel.tape.slots))


def compile(program, wrt=None, outputs=None, *, mode: str | None = None,
            backend: str | None = None, keep_names: bool = True) -> Kernel:
    """Compile ``program`` (a Program, source text or Node) into a kernel that
    returns ``outputs`` and their derivatives with respect to ``wrt`` (default:
    the program's ``@wrt``, else every input).  ``mode`` forces ``reverse`` or
    ``forward``; ``backend`` forces ``scalar``, ``numpy`` or ``numba``.
    ``keep_names=False`` lowers the names away (one slot per primitive, as
    the graph picture and the path sums count them).  Equal requests get
    the same kernel (a bounded cache)."""
    if mode not in (None, "reverse", "forward"):
        raise ValueError("mode is 'reverse' or 'forward'")
    program = as_program(program)
    key = (program, name_list(wrt), name_list(outputs), mode, backend, keep_names)
    try:
        hash(key)
    except TypeError:  # a program built by hand with a list in it: not shared
        return _compile(*key)
    return _KERNELS.get_or_make(key, lambda: _compile(*key))


def _compile(program: Program, wrt, outputs, mode, backend, keep_names) -> Kernel:
    tape = lower(program, outputs, keep_names=keep_names)
    names = wrt or tuple(program.wrt) or tuple(tape.inputs)
    for w in names:
        if w not in tape.inputs:
            raise EvaluationError(f"cannot differentiate by {w!r}: it is not an input",
                                  None, expected=tuple(tape.inputs) or ("an input name",))
    return Kernel(program, tape, tuple(dict.fromkeys(names)), mode, backend)


def evaluate(program, at=None, wrt=None, *, keep: bool = False,
             kernel: Kernel | None = None) -> Evaluation:
    """Compile and run ``program`` at ``at`` (a mapping of values, a list of
    such points, or by default the program's ``@at`` points as one batch).
    A caller that already compiled ``program`` passes its ``kernel``, so the
    work is not done twice."""
    program = as_program(program)
    kernel = compile(program, wrt) if kernel is None else kernel
    if at is None:
        if not program.points and kernel.inputs:
            raise EvaluationError("no point to evaluate at", None,
                                  hint="add an `@at x=...` line or pass values")
        at = [p.as_dict() for p in program.points] or [{}]
        spans = [p.span for p in program.points]
    else:
        spans = None
    if isinstance(at, Mapping):
        return kernel(at, keep=keep)
    if not isinstance(at, Sequence):
        raise ChainError("points are a mapping of values or a list of them")
    values = {}
    for name in kernel.inputs:
        column = []
        for i, point in enumerate(at):
            if name not in point:
                raise EvaluationError(f"no value for input {name!r} at point {i + 1}",
                                      spans[i] if spans else None)
            try:
                column.append(np.asarray(floats(point[name]), dtype=np.float64))
            except (ValueError, TypeError):
                raise EvaluationError(f"the value of {name!r} at point {i + 1} is not a "
                                      "number or a rectangular list of numbers",
                                      spans[i] if spans else None) from None
        values[name] = np.stack(column) if column else np.zeros(0)
    return kernel(values, keep=keep)


def _loop_input(a: np.ndarray) -> np.ndarray:
    """``a`` as the fused loop takes it: contiguous, 1-D and writeable.  numba
    types a read-only array apart and compiles the loop again for it, on the
    request path (gRPC's inputs are read-only views of the request's bytes:
    a 2-4 s stall on a loaded machine, the first call after the loop was
    built); a copy costs a few milliseconds per million points."""
    x = np.ascontiguousarray(a.reshape(-1))
    return x if x.flags.writeable else x.copy()
