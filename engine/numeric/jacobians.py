"""A call's Jacobians from the generated numpy passes.

Reverse mode runs one backward pass per output element, forward mode one
tangent pass per input element (:class:`.kernel.Kernel` picks by cost).
For ``sum_shared`` the reverse passes are the summed variant
(:class:`.backends.NumpyCode` ``summed``): the gradient of an input shared
by the batch comes out as the batch total, built as matrix products over
the batch, so a call never holds one weight gradient per point.
"""

from __future__ import annotations

import math

import numpy as np
from chainlens.engine.numeric.arrays import full

__all__ = ["forward_mode", "gradients", "reverse"]


def gradients(kernel, code, V, batch: int, batched=None) -> dict:
    """Every output's gradients at the points of ``V``.  ``batched``
    (``sum_shared``; ``batched[i]``: input i has a batch axis): those of
    the inputs shared by the batch are batch totals without the axis."""
    if kernel.mode == "reverse":
        return reverse(kernel, code, V, batch, batched)
    grads = forward_mode(kernel, code, V, batch)
    if batched is not None:
        for row in grads.values():
            for w in row:
                if not batched[kernel.inputs.index(w)]:
                    row[w] = row[w].sum(axis=0)
    return grads


def reverse(kernel, code, V, batch, batched=None):
    """One backward pass per output element (one for a scalar output); the
    summed variant when ``batched`` leaves an input shared."""
    t, grads = kernel.tape, {}
    summed = set() if batched is None else \
        {w for w in kernel.wrt if not batched[kernel.inputs.index(w)]}
    if summed:  # one backward pass that adds up over the batch as it goes
        def back(n, seed):
            return code.summed[n, batched](V, seed, batch)
    else:
        def back(n, seed):
            return code.backward[n](V, seed)

    def lead(w):
        return () if w in summed else (batch,)

    def shaped(w, g):
        if w not in summed:
            return full(g, batch, kernel.shapes[w])
        if g is None:
            return np.zeros(kernel.shapes[w])
        return np.array(np.broadcast_to(g, (1, *kernel.shapes[w]))[0])

    for n, (name, o) in enumerate(zip(kernel.outputs, t.outputs, strict=True)):
        oshape = t.slots[o].shape
        if oshape == ():
            gs = back(n, 1.0)
            grads[name] = {w: shaped(w, g) for w, g in zip(kernel.wrt, gs, strict=True)}
            continue
        size = math.prod(oshape)
        J = {w: np.zeros((*lead(w), size, *kernel.shapes[w])) for w in kernel.wrt}
        for e in range(size):
            seed = np.zeros((1, size))
            seed[0, e] = 1.0
            gs = back(n, seed.reshape((1, *oshape)))
            for w, g in zip(kernel.wrt, gs, strict=True):
                J[w][(slice(None),) * len(lead(w)) + (e,)] = shaped(w, g)
        grads[name] = {w: J[w].reshape((*lead(w), *oshape, *kernel.shapes[w]))
                       for w in kernel.wrt}
    return grads


def forward_mode(kernel, code, V, batch):
    """One tangent pass per element of each input; per point."""
    t = kernel.tape
    J = {name: {} for name in kernel.outputs}
    for m, w in enumerate(kernel.wrt):
        wshape = kernel.shapes[w]
        size = math.prod(wshape)
        for name, o in zip(kernel.outputs, t.outputs, strict=True):
            J[name][w] = np.zeros((batch, *t.slots[o].shape, size))
        for e in range(size):
            if wshape == ():
                seed = 1.0
            else:
                seed = np.zeros((1, size))
                seed[0, e] = 1.0
                seed = seed.reshape((1, *wshape))
            ts = code.tangent[m](V, seed)
            for name, o, tv in zip(kernel.outputs, t.outputs, ts, strict=True):
                J[name][w][..., e] = full(tv, batch, t.slots[o].shape)
        for name, o in zip(kernel.outputs, t.outputs, strict=True):
            J[name][w] = J[name][w].reshape((batch, *t.slots[o].shape, *wshape))
    return J
