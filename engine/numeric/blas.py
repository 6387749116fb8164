"""numpy's BLAS at one thread while a batch's chunks run in our threads.

A tensor program's chunk is a few small matrix products (the MLP 8-16-4:
4K x 8 @ 8 x 16).  OpenBLAS splits each over all its threads; on two busy
cores their hand-offs cost more than the product (MLP at 100,000 points:
37 ms with one BLAS thread, 315 ms with two).  So the chunked path holds
BLAS at one thread and spreads whole chunks over the cores itself
(:mod:`.threads`).  The limit is process-wide (OpenBLAS has one setting):
it is taken by the first chunked call and given back by the last one
running, under a lock, so overlapping requests never leave it changed.
threadpoolctl finds the BLAS numpy loaded; without it nothing is limited.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

try:
    from threadpoolctl import ThreadpoolController
except ImportError:  # optional: the chunks still run, BLAS as configured
    ThreadpoolController = None

__all__ = ["one_thread"]

_LOCK = threading.Lock()
_STATE = {"depth": 0, "limiter": None, "controller": None}


@contextmanager
def one_thread():
    """BLAS at one thread for the ``with`` block (nested and concurrent
    blocks share one limit; the last to leave restores the setting)."""
    with _LOCK:
        if _STATE["depth"] == 0 and ThreadpoolController is not None:
            if _STATE["controller"] is None:
                _STATE["controller"] = ThreadpoolController()
            _STATE["limiter"] = _STATE["controller"].limit(limits=1, user_api="blas")
        _STATE["depth"] += 1
    try:
        yield
    finally:
        with _LOCK:
            _STATE["depth"] -= 1
            if _STATE["depth"] == 0 and _STATE["limiter"] is not None:
                _STATE["limiter"].restore_original_limits()
                _STATE["limiter"] = None
