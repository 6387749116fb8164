"""A large batch of the fused numba loop cut into parts, one per thread
(:mod:`chainlens.engine.numeric.threads`): every point as in one call,
batch totals to rounding, non-finite values still counted and located."""

import numpy as np
import pytest
from chainlens.engine.language.reader import parse
from chainlens.engine.numeric import threads
from chainlens.engine.numeric.kernel import compile

SOURCE = "u = tanh(x) * exp(-y^2) + x*y\nL = log(u^2 + 1) + sin(x) / (1 + y^2)\n"


@pytest.fixture(scope="module")
def kernel():
    return compile(parse(SOURCE), backend="numba")


def _values(n):
    rng = np.random.default_rng(1)
    return {"x": rng.uniform(-2, 2, n), "y": 0.3}


@pytest.mark.parametrize("parts", [2, 3, 7])
def test_parts_give_every_point_exactly_as_one_call(kernel, monkeypatch, parts):
    values = _values(threads.THREADS_MIN_BATCH + 11)
    monkeypatch.setenv("CHAINLENS_THREADS", "1")
    one = kernel(values, sum_shared=True)
    monkeypatch.setenv("CHAINLENS_THREADS", str(parts))
    split = kernel(values, sum_shared=True)
    assert one.backend == split.backend == "numba"
    np.testing.assert_array_equal(split.values["L"], one.values["L"])
    np.testing.assert_array_equal(split.gradients["L"]["x"], one.gradients["L"]["x"])
    # the shared input's batch total is added part by part
    assert split.gradients["L"]["y"].shape == ()
    np.testing.assert_allclose(split.gradients["L"]["y"], one.gradients["L"]["y"], rtol=1e-12)


def test_parts_agree_with_the_numpy_path(kernel, monkeypatch):
    values = _values(threads.THREADS_MIN_BATCH)
    monkeypatch.setenv("CHAINLENS_THREADS", "2")
    fast = kernel(values, sum_shared=True)
    slow = compile(parse(SOURCE), backend="numpy")(values, sum_shared=True)
    # atol: values near 0 after cancellation (u^2 + 1 - 1 ~ 1e-5) differ in the last bit
    np.testing.assert_allclose(fast.values["L"], slow.values["L"], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(fast.gradients["L"]["x"], slow.gradients["L"]["x"], rtol=1e-11,
                               atol=1e-15)
    np.testing.assert_allclose(fast.gradients["L"]["y"], slow.gradients["L"]["y"], rtol=1e-10)


def test_a_nan_in_a_later_part_is_reported(kernel, monkeypatch):
    values = _values(threads.THREADS_MIN_BATCH)
    values["x"][-3] = np.nan  # in the last part
    monkeypatch.setenv("CHAINLENS_THREADS", "2")
    split = kernel(values)
    monkeypatch.setenv("CHAINLENS_THREADS", "1")
    one = kernel(values)
    report = [(nf.phase, nf.name, nf.count) for nf in split.nonfinite]
    assert report == [(nf.phase, nf.name, nf.count) for nf in one.nonfinite]
    assert report[0] == ("input", "x", 1)


def test_small_batches_and_one_core_run_in_one_part(monkeypatch):
    calls = []

    def loop(lo, hi, X, O0, ACC):  # one 1-D array per output row
        calls.append(hi - lo)
        O0[lo:hi] = X[lo:hi]
        return 0

    x = np.arange(10.0)
    bad, out, acc = threads.run(loop, 10, [x], 1, 0)
    assert calls == [10] and bad == 0 and np.array_equal(out[0], x)
    calls.clear()
    bad, out, acc = threads.run(loop, 10, [x], 1, 0, parts=3)
    assert sorted(calls) == [3, 3, 4] and np.array_equal(out[0], x)
    monkeypatch.setenv("CHAINLENS_THREADS", "1")
    assert threads.cores() == 1


MLP = """input x: [8]
param W1: [8, 16]
param b1: [16]
param W2: [16, 4]
param b2: [4]
h = tanh(x @ W1 + b1)
L = logsumexp(h @ W2 + b2)
"""


def test_numpy_chunks_on_threads_equal_one_after_the_other(monkeypatch):
    from chainlens.engine.numeric import chunks

    rng = np.random.default_rng(2)
    values = {"x": rng.normal(size=(20_000, 8)), "W1": rng.normal(size=(8, 16)),
              "b1": rng.normal(size=16), "W2": rng.normal(size=(16, 4)),
              "b2": rng.normal(size=4)}
    kernel = compile(parse(MLP))
    assert 2 * chunks.chunk_points(kernel.tape, (True, False, False, False, False)) < 20_000
    monkeypatch.setenv("CHAINLENS_THREADS", "1")
    one = kernel(values, sum_shared=True)
    monkeypatch.setenv("CHAINLENS_THREADS", "2")
    split = kernel(values, sum_shared=True)
    assert one.backend == split.backend == "numpy"
    np.testing.assert_array_equal(split.values["L"], one.values["L"])
    for w in ("x", "W1", "b1", "W2", "b2"):  # totals added in chunk order either way
        np.testing.assert_array_equal(split.gradients["L"][w], one.gradients["L"][w])
    np.testing.assert_array_equal(kernel.forward(values)["L"], one.values["L"])


def test_blas_is_limited_inside_and_given_back_after():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    from chainlens.engine.numeric import blas

    def blas_threads():  # numpy's own BLAS (torch, loaded by other tests, has its own)
        return [i["num_threads"] for i in threadpoolctl.threadpool_info()
                if i["user_api"] == "blas" and "numpy" in i["filepath"]]

    before = blas_threads()
    with blas.one_thread():
        with blas.one_thread():  # nested (or another request's) block: one limit
            assert set(blas_threads()) <= {1}
        assert set(blas_threads()) <= {1}
    assert blas_threads() == before
