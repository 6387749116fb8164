"""Generated code per (tape, wrt, mode), shared by equal programs.

Two kernels of one program (or of two spellings of it: the tape key is the
normalised IR) share one :class:`Code`, so the scalar, numpy and numba
functions are generated once.  The cache is bounded (least recently used
out): generated code holds closures over the tape.
"""

from __future__ import annotations

import math
import time

from chainlens.engine.core.cache import Cache
from chainlens.engine.numeric import backends
from chainlens.engine.numeric.tape import Tape

__all__ = ["Code", "code_for", "numba_available", "best_of"]

class Code:
    """Generated code for one (IR, wrt, mode), shared by equal programs."""

    def __init__(self, tape: Tape, wrt: tuple[int, ...], mode: str):
        self.tape, self.wrt, self.mode = tape, wrt, mode
        self._numpy = None
        self._edges = None
        self.fused: dict[tuple, object] = {}
        self.numba_seconds: float | None = None
        self.plan: dict[tuple, tuple[str, float, float]] = {}

    @property
    def numpy(self) -> backends.NumpyCode:
        if self._numpy is None:
            self._numpy = backends.build_numpy(self.tape, self.wrt)
        return self._numpy

    def edges(self, V) -> dict:
        """The local derivative of every edge of a scalar tape at the values
        ``V`` (generated on first use)."""
        if self._edges is None:
            self._edges = backends.build_edges(self.tape)
        return self._edges(V)

    def get(self, dialect: str, grad: bool, batched: tuple[bool, ...] = (),
            sum_shared: bool = False, parallel: bool = False):
        key = (dialect, grad, batched, sum_shared, parallel)
        if key not in self.fused:
            mode = self.mode if grad else "none"
            wrt = self.wrt if grad else ()
            if dialect == "scalar":
                self.fused[key] = backends.build_scalar(self.tape, wrt, mode)[0]
            else:
                fn, seconds, _ = backends.build_numba(self.tape, wrt, mode, batched,
                                                      sum_shared, parallel)
                self.fused[key] = fn
                self.numba_seconds = (self.numba_seconds or 0.0) + seconds
        return self.fused[key]


#: Generated code of recent programs.
_CODE: Cache = Cache(max_entries=256)


def code_for(tape: Tape, wrt: tuple[int, ...], mode: str) -> Code:
    """The shared code of ``tape`` differentiated by ``wrt`` in ``mode``."""
    return _CODE.get_or_make((tape.key, wrt, mode), lambda: Code(tape, wrt, mode))


def numba_available() -> bool:
    try:
        import numba  # noqa: F401
    except ImportError:
        return False
    return True


def best_of(n: int, run) -> tuple[float, object]:
    """The shortest of ``n`` timed runs (noise on shared machines only ever
    adds time), and the last result."""
    best = math.inf
    for _ in range(n):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result
