"""Which backend serves a large batch, decided off the request path.

The first large call of a kernel used to compile numba (seconds) and then
time numba against numpy on the request's own batch: a 20-second first call
for the 50-layer chain at a million points.  Now:

1. no fused loop yet: start its build in the background (:mod:`.jit`,
   from the disk cache when it is there) and serve this call from numpy,
   chunked (:mod:`.chunks`);
2. when the build is done, that same thread times both backends on a
   sample of the request's points (at most :data:`SAMPLE_POINTS`) and
   records the winner in the kernel's plan;
3. later calls run the winner; until the timing is in, numpy.  The
   winner is also kept in the disk cache, so the first large call of a
   later process loads the loop from disk (a fraction of a second, no
   compiling) and runs it.

A build that fails (numba cannot compile some primitive) leaves numpy in
charge for good.
"""

from __future__ import annotations

from chainlens.engine.numeric import chunks, jit
from chainlens.engine.numeric.code import best_of

__all__ = ["SAMPLE_POINTS", "plan_key", "run", "wait"]

#: Points the background timing runs each backend on.
SAMPLE_POINTS = 65_536


def plan_key(key: tuple) -> tuple:
    """The kernel plan's entry for a numba variant ``key`` timed in the background."""
    return ("background", *key[1:])


def run(kernel, arrays, batch: int, grad: bool, sum_shared: bool, numba_run, numpy_run):
    code = kernel._code
    key = kernel.numba_key(arrays, batch, grad, sum_shared)
    fn = code.get(*key, wait=False)
    chosen = code.plan.get(plan_key(key))
    if fn is None and chosen is None:
        remembered = jit.read_plan(_saved_key(kernel, key))
        if remembered == "numba":
            fn = code.load(key)  # on disk: loading takes a fraction of a second
        if fn is not None:
            chosen = code.plan[plan_key(key)] = ("numba", None, None)
    if fn is None:
        if not code.builds.failed(key):
            sample = chunks.sample(kernel, arrays, min(batch, SAMPLE_POINTS))
            code.start(key, then=lambda built: _time(kernel, key, built, sample))
        return numpy_run()
    if chosen is None:
        # built already (a smaller batch compiled it on its own path), never
        # timed on a large one: time it in the background, as a fresh build
        # is, or numpy would serve every large batch for good
        sample = chunks.sample(kernel, arrays, min(batch, SAMPLE_POINTS))
        code.builds.start(("timing", *key), lambda: fn,
                          then=lambda built: _time(kernel, key, built, sample))
        return numpy_run()
    if chosen[0] == "numpy":
        return numpy_run()
    return numba_run(fn)


def _saved_key(kernel, key: tuple) -> tuple:
    return (kernel.tape.key, kernel._code.wrt, kernel._code.mode, *key)


def _time(kernel, key: tuple, fn, sample) -> None:
    _, grad, _, sum_shared, _ = key
    n = max(a.shape[0] for a in sample)
    if grad:
        numba_call = lambda: kernel._run_numba(sample, n, True, sum_shared, fn)  # noqa: E731
        numpy_call = lambda: kernel._numpy_call(sample, n, False, sum_shared)  # noqa: E731
    else:
        numba_call = lambda: kernel._run_numba(sample, n, False, fn=fn)  # noqa: E731
        numpy_call = lambda: kernel._numpy_forward(sample, n)  # noqa: E731
    numba_call()
    t_numba, _ = best_of(3, numba_call)
    t_numpy, _ = best_of(3, numpy_call)
    winner = "numba" if t_numba <= t_numpy else "numpy"
    kernel._code.plan[plan_key(key)] = (winner, t_numba, t_numpy)
    jit.write_plan(_saved_key(kernel, key), winner, {"numba": t_numba, "numpy": t_numpy})


def wait(kernel, timeout: float | None = None) -> None:
    """Wait for the kernel's background builds and timings (tests, benchmarks)."""
    kernel._code.builds.wait(timeout)
