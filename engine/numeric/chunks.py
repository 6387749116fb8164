"""Large batches through the numpy path a chunk of points at a time.

numpy's generated code keeps every slot's value for the backward pass: on
the whole batch that is one array per node per point (the 50-layer chain
at a million points: 3 GB).  Run a chunk at a time, the working set is
``slots x chunk`` doubles (at most :data:`WORKING_SET`) and memory is what the results need: the
outputs, the per-point gradients and, for a parameter shared by the batch
(``sum_shared``), one running sum.  Every point is computed exactly as
unchunked (the same generated code); only sums over the batch are added in
a different order.  The chunks run on every core in our threads
(:mod:`.threads`), with BLAS at one thread (:mod:`.blas`); the sums of
shared gradients are still added in chunk order.  NaN/Inf are still found
with one ``isfinite`` test per result and located chunk by chunk
(:func:`.nonfinite.locate` with ``step``).
"""

from __future__ import annotations

import math

import numpy as np
from chainlens.engine.core.limits import MAX_TENSOR_ELEMENTS
from chainlens.engine.numeric import blas, jacobians, threads
from chainlens.engine.numeric.arrays import all_finite, batch_axes, check_elements
from chainlens.engine.numeric.backends import shared_slots
from chainlens.engine.numeric.results import Evaluation
from chainlens.engine.numeric.shapes import size

__all__ = ["CHUNK_MIN_BATCH", "check_size", "chunk_points", "evaluate", "forward", "spans"]

#: Doubles of working set per chunk (slots x points, 64 MB).  Measured on
#: the 50-layer chain (257 slots) at 1,000,000 points, gradient, 2 cores
#: shared with other work (load ~7), medians of 5 interleaved runs:
#: unchunked 5.10 s, 4K points per chunk 2.01 s, 16K 1.43 s, 64K 1.15 s.
#: numpy's per-call cost (about 700 calls per chunk there) decides more
#: than the cache, so chunks are large, and memory stays bounded.
WORKING_SET = 8 * 1024 * 1024
MIN_POINTS, MAX_POINTS = 2_048, 65_536
#: Doubles of the widest per-point value in one chunk (512 kB, about an L2
#: cache): a tensor program's few numpy calls per chunk then run on data
#: in cache.  The tensor MLP 8-16-4 at 200,000 points (widest value 16 per
#: point), gradient, load ~7: 4K points per chunk 175 ms, 16K 240 ms, 64K
#: 265 ms (chunks of scalar programs stay at 64K points).
CACHE_DOUBLES = 64 * 1024
#: Batches from which the numpy path runs in chunks.
CHUNK_MIN_BATCH = 2 * MIN_POINTS


def chunk_points(tape, batched: tuple[bool, ...] | None = None) -> int:
    """Points per chunk for ``tape``: its per-point values fill the working
    set.  With ``batched`` (which inputs have a batch axis) the values shared
    by the batch, a weight matrix, are counted once, not per point."""
    shared = shared_slots(tape, batched) if batched is not None else [False] * len(tape.slots)
    sizes = [size(s.shape) for s, c in zip(tape.slots, shared, strict=True) if not c]
    points = min(WORKING_SET // (sum(sizes) or 1), CACHE_DOUBLES // max(sizes, default=1))
    return int(min(MAX_POINTS, max(MIN_POINTS, points)))


def spans(batch: int, step: int):
    for start in range(0, batch, step):
        yield start, min(start + step, batch)


def _part(arrays, start: int, stop: int) -> list[np.ndarray]:
    return [a if a.shape[0] == 1 else a[start:stop] for a in arrays]


def evaluate(kernel, arrays, batch: int, batched: tuple[bool, ...] | None) -> Evaluation:
    """Outputs and gradients of ``kernel`` at ``batch`` points, chunk by
    chunk; with ``batched`` (``sum_shared``: which inputs have a batch axis)
    the gradients of the shared inputs are batch totals, each chunk's added
    to a running sum."""
    tape, code = kernel.tape, kernel._code.numpy
    step = chunk_points(tape, batch_axes(arrays))
    oshape = {name: tape.slots[o].shape for name, o in zip(kernel.outputs, tape.outputs,
                                                          strict=True)}
    shared = set() if batched is None else \
        {w for w, b in zip(kernel.inputs, batched, strict=True) if not b}
    values = {name: np.empty((batch, *oshape[name])) for name in kernel.outputs}
    grads = {name: {w: (np.zeros((*oshape[name], *kernel.shapes[w])) if w in shared else
                        np.empty((batch, *oshape[name], *kernel.shapes[w])))
                    for w in kernel.wrt} for name in kernel.outputs}

    def one(span):
        start, stop = span
        # errstate is per thread: each chunk's thread sets its own
        with np.errstate(all="ignore"):
            V = code.forward(*_part(arrays, start, stop))
            part_values = {name: V[o] for name, o in zip(kernel.outputs, tape.outputs,
                                                         strict=True)}
            part = jacobians.gradients(kernel, code, V, stop - start, batched)
            for name, v in part_values.items():
                values[name][start:stop] = v
            for name, row in part.items():
                for w, g in row.items():
                    if w not in shared:
                        grads[name][w][start:stop] = g
            return not all_finite(part_values, part), part

    bad = False
    bounds = list(spans(batch, step))
    with blas.one_thread():  # whole chunks over the cores, not each product
        parts = threads.map_ordered(one, bounds)
    with np.errstate(all="ignore"):
        for part_bad, part in parts:  # in chunk order: the same sums as one by one
            bad = bad or part_bad
            for name, row in part.items():
                for w, g in row.items():
                    if w in shared:
                        grads[name][w] += g
    nonfinite = kernel._locate(arrays, batch) if bad else ()
    return Evaluation(values, grads, batch, nonfinite, backend="numpy")


def forward(kernel, arrays, batch: int) -> dict:
    """The outputs only, chunk by chunk."""
    tape, code = kernel.tape, kernel._code.numpy
    out = {name: np.empty((batch, *tape.slots[o].shape))
           for name, o in zip(kernel.outputs, tape.outputs, strict=True)}

    def one(span):
        start, stop = span
        with np.errstate(all="ignore"):
            V = code.forward(*_part(arrays, start, stop))
            for name, o in zip(kernel.outputs, tape.outputs, strict=True):
                out[name][start:stop] = V[o]

    with blas.one_thread():
        threads.map_ordered(one, list(spans(batch, chunk_points(tape, batch_axes(arrays)))))
    return out


def sample(kernel, arrays, points: int) -> list[np.ndarray]:
    """Inputs of ``points`` points shaped like a request's ``arrays``: the
    first points of the request, tiled when it has fewer (a background
    timing runs the backends on these)."""
    out = []
    for a in arrays:
        if a.shape[0] == 1:
            out.append(a)
        else:
            reps = math.ceil(points / a.shape[0])
            out.append(np.ascontiguousarray(np.tile(a[:points], (reps,) + (1,) * (a.ndim - 1))
                                            [:points]))
    return out


def check_size(kernel, arrays, batch: int, grad: bool, sum_shared: bool, whole: bool) -> None:
    """LimitError before any work when a tensor this call materialises
    passes the per-tensor limit: each per-point value (a chunk of points
    at a time unless ``whole``), each output and each gradient (a batch
    total, without the batch axis, for an input shared by the batch
    under ``sum_shared``).  Values shared by the batch count once."""
    if batch * kernel._widest <= MAX_TENSOR_ELEMENTS:
        return
    t, batched = kernel.tape, batch_axes(arrays)
    chunked = not whole and batch >= CHUNK_MIN_BATCH
    rows = min(batch, chunk_points(t, batched)) if chunked else batch
    for slot, is_shared in zip(t.slots, shared_slots(t, batched), strict=True):
        if not is_shared:
            check_elements(f"a value of {slot.owner or 'the program'}", rows, size(slot.shape))
    for name, o in zip(kernel.outputs, t.outputs, strict=True):
        osize = size(t.slots[o].shape)
        check_elements(f"output {name!r}", batch, osize)
        for w in kernel.wrt if grad else ():
            per_point = batched[kernel.inputs.index(w)] or not sum_shared
            check_elements(f"the gradient d{name}/d{w}", batch if per_point else 1,
                           osize * size(kernel.shapes[w]))

