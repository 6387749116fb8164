"""The accuracy harness of the vectorisable functions (:mod:`chainlens.engine.numeric.vmath`),
one home for every ``test_vmath_*`` file: :func:`vectorised` compiles a helper
the way the generated loops inline it and maps it over an array; :func:`ulps`
measures against libm (``math.f`` point by point, or numpy's), relative to
the spacing of the wanted value."""

from __future__ import annotations

import math

import numba
import numpy as np
from chainlens.engine.numeric import vmath

__all__ = ["libm", "ulps", "vectorised"]

vmath.register()
_LOOPS: dict = {}


def vectorised(fn):
    """``x -> fn`` at every point of the float64 array ``x``, compiled by numba
    as the fused loops compile it (inlined, ``error_model="numpy"``)."""
    if fn not in _LOOPS:
        one = numba.njit(inline="always", error_model="numpy")(fn)

        @numba.njit(error_model="numpy")
        def loop(x, out):
            for i in range(x.size):
                out[i] = one(x[i])

        def run(x):
            x = np.ascontiguousarray(x, dtype=np.float64)
            out = np.empty_like(x)
            loop(x, out)
            return out
        _LOOPS[fn] = run
    return _LOOPS[fn]


def libm(name: str, x) -> np.ndarray:
    """glibc's ``math.<name>`` at each point (inf / NaN where it raises)."""
    f = getattr(math, name)
    out = []
    for v in np.asarray(x, dtype=np.float64):
        try:
            out.append(f(float(v)))
        except (OverflowError, ValueError):
            out.append(math.nan)
    return np.array(out)


def ulps(got, want) -> np.ndarray:
    """|got - want| in units of the last place of ``want`` (finite, nonzero
    ``want`` only: the caller compares specials exactly)."""
    got, want = np.asarray(got), np.asarray(want)
    return np.abs(got - want) / np.spacing(np.abs(want))
