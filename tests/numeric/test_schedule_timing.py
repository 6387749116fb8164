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
    kernel(small)  # below BACKGROUND_MIN_BATCH: compiled and timed here
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
