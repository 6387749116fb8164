"""The fused numba loop (large batches) against the numpy path: one compile
for many primitives, so the suite stays fast."""

import numpy as np
from chainlens.engine.language.reader import parse
from chainlens.engine.numeric import schedule
from chainlens.engine.numeric.kernel import compile

SOURCE = """u = sin(x) * cos(y) + tanh(x*y) + sigmoid(x - y)
v = exp(-x^2/2) + log(1 + y^2) + sqrt(x^2 + 1) + atan(y) + softplus(x) + erf(y)
L = u^3 + relu(v - 2) * abs(x) + max(x, y) + cbrt(y)
"""


def test_numba_matches_numpy_with_broadcast_and_shared_sums():
    program = parse(SOURCE)
    rng = np.random.default_rng(0)
    values = {"x": rng.uniform(-2, 2, 3000), "y": 0.7}
    fast = compile(program, backend="numba")(values, sum_shared=True)
    slow = compile(program, backend="numpy")(values, sum_shared=True)
    assert fast.backend == "numba" and slow.backend == "numpy"
    np.testing.assert_allclose(fast.values["L"], slow.values["L"], rtol=1e-12)
    np.testing.assert_allclose(fast.gradients["L"]["x"], slow.gradients["L"]["x"], rtol=1e-11)
    assert fast.gradients["L"]["y"].shape == ()  # shared input: summed over the batch
    np.testing.assert_allclose(fast.gradients["L"]["y"], slow.gradients["L"]["y"], rtol=1e-10)
    # a NaN in the batch is counted by the loop and located by the traced path
    values["x"][5] = np.nan
    bad = compile(program, backend="numba")(values)
    assert [(nf.phase, nf.name, nf.count) for nf in bad.nonfinite] == [("input", "x", 1)]


def test_large_batches_run_on_the_backend_measured_fastest():
    program = parse("L = sin(x) * y + x^3")
    kernel = compile(program)
    x = np.linspace(-1, 1, 2000)
    first = kernel({"x": x, "y": 2.0})
    assert first.backend == "numpy"  # the loop builds elsewhere: no compile on this call
    schedule.wait(kernel)
    ev = kernel({"x": x, "y": 2.0})  # the built loop is timed against numpy here
    ((grad, sum_shared, digits), (winner, t_numba, t_numpy)), = kernel.plan.items()
    assert grad and not sum_shared and digits == 4
    assert ev.backend == winner and winner == ("numba" if t_numba <= t_numpy else "numpy")
    np.testing.assert_allclose(ev.gradients["L"]["x"], 2 * np.cos(x) + 3 * x**2, rtol=1e-13)
    assert kernel({"x": x, "y": 2.0}).backend == winner  # the plan is kept
