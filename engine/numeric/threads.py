"""A large batch of a fused numba loop split over the cores, in our own threads.

numba's ``parallel=True`` loop compiles a second variant (minutes for the
50-layer chain, more with the vectorisable ``exp``) and wakes numba's
thread pool on every call, which lost to the serial loop on busy cores.
The serial loop is compiled with ``nogil`` (:mod:`.jit`) and runs over
points ``lo:hi`` of the whole arrays, so the batch is cut into one
contiguous part per core and each part runs the same compiled loop in a
thread of a small pool (the caller runs the first part), writing its own
columns of the one output array: no second compile, no second cache
entry, no copy, nothing loaded or compiled on the request path.  Each
point is computed by the same code as in one call;
only the batch totals of shared inputs (``ACC``) are added part by part
(equal to the one-call sums to rounding, 1e-12).  The counts of
non-finite results add up, and the caller locates them as before.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__ = ["THREADS_MIN_BATCH", "cores", "map_ordered", "run"]

#: Batches from which a loop runs on more than one core: each part must
#: take well over the ~0.1 ms a hand-off to a pool thread costs on a busy
#: machine (the 50-layer chain's loop: ~0.4 µs per point; sin(x^2): ~20 ns).
THREADS_MIN_BATCH = 100_000
_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def cores() -> int:
    """Cores this process may run on (its affinity), or ``CHAINLENS_THREADS``."""
    forced = os.environ.get("CHAINLENS_THREADS", "")
    if forced.isdigit() and int(forced) > 0:
        return int(forced)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _pool(workers: int) -> ThreadPoolExecutor:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None or _POOL._max_workers < workers:
            _POOL = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="chainlens-part")
        return _POOL


def _one(fn, lo: int, hi: int, X, OUT, n_acc: int):
    ACC = np.zeros(n_acc)
    return fn(lo, hi, *X, *OUT, ACC), ACC


def run(fn, batch: int, X, rows: int, n_acc: int, parts: int | None = None):
    """``(bad, OUT, ACC)`` of the loop ``fn(lo, hi, *X, *OUT, ACC)`` over
    ``batch`` points, in ``parts`` contiguous parts (default: one per core
    from :data:`THREADS_MIN_BATCH` points on), each writing its own columns
    of one ``OUT`` (nothing is copied) and its own batch totals, added in
    part order.  ``X``: the inputs as contiguous 1-D arrays (length 1 for an
    input without a batch axis)."""
    if parts is None:
        parts = cores() if batch >= THREADS_MIN_BATCH else 1
    parts = max(1, min(parts, batch))
    OUT = np.empty((rows, batch))
    if parts == 1:
        bad, ACC = _one(fn, 0, batch, X, OUT, n_acc)
        return bad, OUT, ACC
    bounds = [batch * p // parts for p in range(parts + 1)]
    pool = _pool(parts - 1)
    futures = [pool.submit(_one, fn, bounds[p], bounds[p + 1], X, OUT, n_acc)
               for p in range(1, parts)]
    results = [_one(fn, bounds[0], bounds[1], X, OUT, n_acc)]
    results += [f.result() for f in futures]
    bad = sum(r[0] for r in results)
    ACC = results[0][1]
    for r in results[1:]:
        ACC += r[1]
    return bad, OUT, ACC


def map_ordered(fn, items: list, workers: int | None = None) -> list:
    """``[fn(item) for item in items]``, the items spread over ``workers``
    threads (default: one per core); results in the items' order, so sums
    over them are added in the same order as one after the other."""
    workers = min(cores() if workers is None else workers, len(items))
    if workers <= 1:
        return [fn(item) for item in items]
    return list(_pool(workers).map(fn, items))
