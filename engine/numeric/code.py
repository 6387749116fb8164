"""Generated code per (tape, wrt, mode), shared by equal programs.

Two kernels of one program (or of two spellings of it: the tape key is the
normalised IR) share one :class:`Code`, so the scalar, numpy and numba
functions are generated once.  The cache is bounded (least recently used
out): generated code holds closures over the tape.
"""

from __future__ import annotations

import importlib.util
import math
import time

from chainlens.engine.core.cache import Cache
from chainlens.engine.numeric import backends, jit
from chainlens.engine.numeric.tape import Tape

__all__ = ["Code", "code_for", "numba_available", "best_of"]

class Code:
    """Generated code for one (IR, wrt, mode), shared by equal programs."""

    def __init__(self, tape: Tape, wrt: tuple[int, ...], mode: str):
        self.tape, self.wrt, self.mode = tape, wrt, mode
        self._numpy = None
        self._edges = None
        self.fused: dict[tuple, object] = {}
        self.builds = jit.Builds()
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
            sum_shared: bool = False, parallel: bool = False, wait: bool = True):
        """The fused function for one variant.  numba builds with ``wait=False``
        start in a background thread (:mod:`.jit`) and return None until
        they are there; ``wait=True`` builds now (or waits for that thread)."""
        key = (dialect, grad, batched, sum_shared, parallel)
        if dialect == "scalar":
            if key not in self.fused:
                mode = self.mode if grad else "none"
                wrt = self.wrt if grad else ()
                self.fused[key] = backends.build_scalar(self.tape, wrt, mode)[0]
            return self.fused[key]
        if wait:
            return self.builds.get(key, lambda: self._numba(key, "here"))
        return self.builds.ready(key)

    def _numba(self, key, how: str):
        _, grad, batched, sum_shared, parallel = key
        mode = self.mode if grad else "none"
        wrt = self.wrt if grad else ()
        fn, seconds, _ = backends.build_numba(self.tape, wrt, mode, batched, sum_shared,
                                              parallel, how)
        if fn is None:
            return None
        self.numba_seconds = (self.numba_seconds or 0.0) + seconds
        return fn

    def start(self, key, then=None) -> None:
        """Build the numba variant ``key`` in a background thread."""
        self.builds.start(key, lambda: self._numba(key, "elsewhere"), then)

    def load(self, key):
        """The numba variant ``key`` if it can be loaded from the disk cache
        now (no compiling), else None."""
        fn = self.builds.ready(key)
        if fn is None:
            fn = self._numba(key, "cached")
            if fn is not None:
                self.builds.put(key, fn)
        return fn


#: Generated code of recent programs.
_CODE: Cache = Cache(max_entries=256)


def code_for(tape: Tape, wrt: tuple[int, ...], mode: str) -> Code:
    """The shared code of ``tape`` differentiated by ``wrt`` in ``mode``."""
    return _CODE.get_or_make((tape.key, wrt, mode), lambda: Code(tape, wrt, mode))


def numba_available() -> bool:
    """Whether numba is installed, without importing it (that takes a
    second or more: a large batch whose plan is numpy never pays it)."""
    return importlib.util.find_spec("numba") is not None


def best_of(n: int, run) -> tuple[float, object]:
    """The shortest of ``n`` timed runs (noise on shared machines only ever
    adds time), and the last result."""
    best = math.inf
    for _ in range(n):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result
