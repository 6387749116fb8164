"""A fused loop that a smaller batch compiled on its own (synchronous) path
is still timed against numpy for large batches (:mod:`chainlens.engine.numeric.schedule`):
it was ready but never timed, and numpy served every large batch for good
(benchmarks/numeric.py's sin(x^2) at 100,000 and 1,000,000 points ran numpy
after its 1,000-point row had compiled the loop)."""

import numpy as np
from chainlens.engine.core.cache import clear_all
from chainlens.engine.language.reader import parse
from chainlens.engine.numeric import jit, schedule
from chainlens.engine.numeric import kernel as kernel_module
from chainlens.engine.numeric.kernel import compile


def test_a_loop_built_by_a_small_batch_is_timed_for_large_ones(tmp_path, monkeypatch):
    monkeypatch.setenv("CHAINLENS_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(kernel_module, "BACKGROUND_MIN_BATCH", 3_000)
    clear_all()
    kernel = compile(parse("L = sin(x^2) * y + 0.25 * x"))
    small = {"x": np.linspace(-2, 2, 1_500), "y": 1.5}
    assert kernel(small).backend == "numpy"  # never compiles on the request path
    schedule.wait(kernel)  # built elsewhere meanwhile
    kernel(small)  # below BACKGROUND_MIN_BATCH: the built loop is timed here
    assert not [k for k in kernel.plan if k[0] == "background"]
    x = np.linspace(-2, 2, 4_000)
    started = jit.STATS["background"]
    first = kernel({"x": x, "y": 1.5})
    assert first.backend == "numpy"  # no timing on the request path
    assert jit.STATS["background"] == started + 1
    schedule.wait(kernel)
    (winner, t_numba, t_numpy), = [v for k, v in kernel.plan.items() if k[0] == "background"]
    assert winner == ("numba" if t_numba <= t_numpy else "numpy")
    later = kernel({"x": x, "y": 1.5})
    assert later.backend == winner
    want = 3.0 * x * np.cos(x * x) + 0.25  # d/dx: 2x cos(x^2) y + 1/4
    np.testing.assert_allclose(later.gradients["L"]["x"], want, rtol=1e-14, atol=1e-14)
    np.testing.assert_allclose(first.gradients["L"]["x"], want, rtol=1e-14, atol=1e-14)
    kernel({"x": x, "y": 1.5})
    assert jit.STATS["background"] == started + 1  # timed once


def test_a_first_small_batch_never_waits_for_the_compiler(tmp_path, monkeypatch):
    """A cold cache: the first 1,000-point call is served by numpy while the
    loop builds in the background (it compiled here: 10 s on a loaded machine,
    past a gRPC client's deadline); the built loop then serves, same values."""
    monkeypatch.setenv("CHAINLENS_CACHE_DIR", str(tmp_path))
    clear_all()
    kernel = compile(parse("L = (1/(1 + exp(-(w*x + b))) - y)^2"))
    values = {"x": np.linspace(-1, 1, 1_000), "w": 0.8, "b": 0.0, "y": 1.0}
    compiled = jit.STATS["compiled"]
    first = kernel(values)
    assert first.backend == "numpy" and jit.STATS["compiled"] == compiled
    schedule.wait(kernel)
    later = kernel(values)
    (winner, t_numba, t_numpy), = kernel.plan.values()  # timed here once the loop exists
    assert later.backend == winner == ("numba" if t_numba <= t_numpy else "numpy")
    x = values["x"]
    s = 1 / (1 + np.exp(-0.8 * x))
    want = 2 * (s - 1) * s * (1 - s) * x  # dL/dw, by hand
    for ev in (first, later):
        np.testing.assert_allclose(ev.gradients["L"]["w"], want, rtol=1e-12, atol=1e-15)


def test_read_only_inputs_do_not_compile_the_loop_again(tmp_path, monkeypatch):
    """gRPC hands the kernel read-only views of the request's bytes; numba
    types those apart, so the built loop compiled again on the request path
    (seconds). The loop's inputs are made writeable first: one signature."""
    monkeypatch.setenv("CHAINLENS_CACHE_DIR", str(tmp_path))
    clear_all()
    kernel = compile(parse("L = tanh(w*x + b) * x"))
    values = {"x": np.linspace(-1, 1, 1_200), "w": 0.5, "b": 0.1}
    kernel(values)
    schedule.wait(kernel)
    variant = kernel.numba_key([np.asarray(values[n], dtype=float).reshape(-1)
                                for n in kernel.inputs], 1_200, True, False)
    fn = kernel._code.get(*variant, wait=False)
    assert fn is not None
    before = len(fn.signatures)
    frozen = {n: np.array(v, dtype=float) for n, v in values.items()}
    for a in frozen.values():
        a.setflags(write=False)
    ev = kernel(frozen)
    assert len(fn.signatures) == before
    x = values["x"]
    t = np.tanh(0.5 * x + 0.1)
    np.testing.assert_allclose(ev.gradients["L"]["w"], (1 - t**2) * x * x, rtol=1e-12)


def test_a_plan_for_one_batching_pattern_never_compiles_another_here(tmp_path, monkeypatch):
    """The small-batch plan is kept per size class, which does not say which
    inputs are batched: a "numba" timed with y scalar must not compile the
    loop for y batched on the request path (review, round 8)."""
    monkeypatch.setenv("CHAINLENS_CACHE_DIR", str(tmp_path))
    clear_all()
    kernel = compile(parse("L = sin(x) * y + x^3 - x"))
    x = np.linspace(-1, 1, 1_500)
    kernel({"x": x, "y": 2.0})
    schedule.wait(kernel)
    kernel({"x": x, "y": 2.0})
    (key, _), = kernel.plan.items()
    kernel._code.plan[key] = ("numba", 0.0, 1.0)  # as if numba had won the timing
    compiled = jit.STATS["compiled"]
    other = kernel({"x": x, "y": np.full(1_500, 2.0)})
    assert other.backend == "numpy" and jit.STATS["compiled"] == compiled
    np.testing.assert_allclose(other.gradients["L"]["x"], 2 * np.cos(x) + 3 * x**2 - 1,
                               rtol=1e-13, atol=1e-13)
    schedule.wait(kernel)
    assert kernel({"x": x, "y": np.full(1_500, 2.0)}).backend == "numba"
