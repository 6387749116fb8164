"""A small batch of a scalar program runs point by point on plain floats
(numpy's per-operation cost would dominate); it gives what numpy gives,
and a point that fails there goes back to numpy, which reports it."""

import numpy as np
import pytest
from chainlens.engine.numeric.kernel import SCALAR_LOOP_MAX_BATCH, compile

CHAIN = "a = x\nrepeat k in 1..20 {\n  a = tanh(w * a + 0.1*x)\n}\nL = (a - y)^2\n"


@pytest.mark.parametrize("sum_shared", [False, True])
def test_small_batch_on_floats_matches_numpy(sum_shared):
    rng = np.random.default_rng(0)
    values = {"x": rng.uniform(-1, 1, 5), "y": rng.uniform(-1, 1, 5), "w": 0.7}
    ev = compile(CHAIN)(values, sum_shared=sum_shared)
    ref = compile(CHAIN, backend="numpy")(values, sum_shared=sum_shared)
    assert ev.backend == "scalar" and ref.backend == "numpy"
    np.testing.assert_allclose(ev.values["L"], ref.values["L"], rtol=1e-13)
    for name in ("x", "y", "w"):
        got, want = ev.gradients["L"][name], ref.gradients["L"][name]
        assert np.shape(got) == np.shape(want), name
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15, err_msg=name)


def test_a_failing_point_goes_back_to_numpy_and_is_reported():
    ev = compile("L = log(x) * y")({"x": np.array([1.0, -1.0, 2.0]), "y": np.ones(3)})
    assert ev.backend == "numpy" and ev.nonfinite
    assert np.isnan(ev.values["L"][1]) and ev.values["L"][2] == pytest.approx(np.log(2.0))


def test_larger_batches_stay_on_numpy():
    n = SCALAR_LOOP_MAX_BATCH + 1
    ev = compile("L = sin(x) * x")({"x": np.linspace(0, 1, n)})
    assert ev.backend == "numpy"
    np.testing.assert_allclose(ev.gradients["L"]["x"], np.cos(ev.values["L"] * 0 +
                                                              np.linspace(0, 1, n)) *
                               np.linspace(0, 1, n) + np.sin(np.linspace(0, 1, n)))
