"""Large batches through the numpy path a chunk of points at a time.

numpy's generated code keeps every slot's value for the backward pass: on
the whole batch that is one array per node per point (the 50-layer chain
at a million points: 3 GB).  Run a chunk at a time, the working set is
``slots x chunk`` doubles (at most :data:`WORKING_SET`) and memory is what the results need: the
outputs, the per-point gradients and, for a parameter shared by the batch
(``sum_shared``), one running sum.  Every point is computed exactly as
unchunked (the same generated code); only sums over the batch are added in
a different order.  NaN/Inf are still found with one ``isfinite`` test per
result and located chunk by chunk (:func:`.nonfinite.locate` with ``step``).
"""

from __future__ import annotations

import math

import numpy as np
from chainlens.engine.numeric.arrays import all_finite
from chainlens.engine.numeric.results import Evaluation
from chainlens.engine.numeric.shapes import size

__all__ = ["CHUNK_MIN_BATCH", "chunk_points", "evaluate", "forward", "spans"]

#: Doubles of working set per chunk (slots x points, 64 MB).  Measured on
#: the 50-layer chain (257 slots) at 1,000,000 points, gradient, 2 cores
#: shared with other work (load ~7), medians of 5 interleaved runs:
#: unchunked 5.10 s, 4K points per chunk 2.01 s, 16K 1.43 s, 64K 1.15 s.
#: numpy's per-call cost (about 700 calls per chunk there) decides more
#: than the cache, so chunks are large, and memory stays bounded.
WORKING_SET = 8 * 1024 * 1024
MIN_POINTS, MAX_POINTS = 2_048, 65_536
#: Batches from which the numpy path runs in chunks.
CHUNK_MIN_BATCH = 2 * MIN_POINTS


def chunk_points(tape) -> int:
    """Points per chunk for ``tape``: its per-point values fill the working set."""
    per_point = sum(size(s.shape) for s in tape.slots) or 1
    points = WORKING_SET // per_point
    return int(min(MAX_POINTS, max(MIN_POINTS, points)))


def spans(batch: int, step: int):
    for start in range(0, batch, step):
        yield start, min(start + step, batch)


def _part(arrays, start: int, stop: int) -> list[np.ndarray]:
    return [a if a.shape[0] == 1 else a[start:stop] for a in arrays]


def evaluate(kernel, arrays, batch: int, sum_shared: bool) -> Evaluation:
    """Outputs and gradients of ``kernel`` at ``batch`` points, chunk by chunk."""
    tape, code = kernel.tape, kernel._code.numpy
    step = chunk_points(tape)
    oshape = {name: tape.slots[o].shape for name, o in zip(kernel.outputs, tape.outputs,
                                                          strict=True)}
    shared = {w for w, a in zip(kernel.inputs, arrays, strict=True)
              if sum_shared and a.shape[0] == 1}
    values = {name: np.empty((batch, *oshape[name])) for name in kernel.outputs}
    grads = {name: {w: (np.zeros((*oshape[name], *kernel.shapes[w])) if w in shared else
                        np.empty((batch, *oshape[name], *kernel.shapes[w])))
                    for w in kernel.wrt} for name in kernel.outputs}
    bad = False
    with np.errstate(all="ignore"):
        for start, stop in spans(batch, step):
            n = stop - start
            V = code.forward(*_part(arrays, start, stop))
            part_values = {name: V[o] for name, o in zip(kernel.outputs, tape.outputs,
                                                         strict=True)}
            part = (kernel._reverse(code, V, n) if kernel.mode == "reverse" else
                    kernel._forward_mode(code, V, n))
            for name, v in part_values.items():
                values[name][start:stop] = v
            bad = bad or not all_finite(part_values, part)
            for name, row in part.items():
                for w, g in row.items():
                    if w in shared:
                        grads[name][w] += g.sum(axis=0)
                    else:
                        grads[name][w][start:stop] = g
    nonfinite = kernel._locate(arrays, batch) if bad else ()
    return Evaluation(values, grads, batch, nonfinite, backend="numpy")


def forward(kernel, arrays, batch: int) -> dict:
    """The outputs only, chunk by chunk."""
    tape, code = kernel.tape, kernel._code.numpy
    out = {name: np.empty((batch, *tape.slots[o].shape))
           for name, o in zip(kernel.outputs, tape.outputs, strict=True)}
    with np.errstate(all="ignore"):
        for start, stop in spans(batch, chunk_points(tape)):
            V = code.forward(*_part(arrays, start, stop))
            for name, o in zip(kernel.outputs, tape.outputs, strict=True):
                out[name][start:stop] = V[o]
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
