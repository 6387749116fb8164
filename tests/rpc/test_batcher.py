"""The dynamic batcher on its own, with a stand-in kernel whose answers are
known in closed form: concurrent requests become one call, rows come back
exactly, failures, cancellations and deadlines stay with their request."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import numpy as np
import pytest
from chainlens.server.rpc.batcher import (
    BatchingOptions,
    DynamicBatcher,
    Expired,
    QueueFull,
    Refused,
)
from chainlens.server.rpc.metrics import Metrics


class SquareKernel:
    """y = x^2 * w, dy/dx = 2xw, dy/dw = x^2; x == -13 makes the whole call fail."""

    def __init__(self):
        self.calls: list[int] = []

    def __call__(self, values):
        x, w = np.atleast_1d(values["x"]), np.atleast_1d(values["w"])
        self.calls.append(len(x))
        if np.any(x == -13):
            raise ValueError("unlucky")
        return SimpleNamespace(values={"y": x * x * w},
                               gradients={"y": {"x": 2 * x * w, "w": x * x}})


@pytest.fixture
async def make_batcher():
    pools = []

    def make(**options):
        pool = ThreadPoolExecutor(2)
        pools.append(pool)
        metrics = Metrics()
        return DynamicBatcher(BatchingOptions(**options), pool, metrics), metrics

    yield make
    for pool in pools:
        pool.shutdown()


def point(x, w=3.0, n=1):
    return {"x": np.full((n,), float(x)), "w": np.full((n,), float(w))}


async def test_concurrent_requests_run_as_one_call_and_split_back_exactly(make_batcher):
    batcher, metrics = make_batcher(max_batch_size=64, batch_timeout=0.05)
    kernel = SquareKernel()
    rows = await asyncio.gather(*(batcher.submit("k", kernel, point(i, n=1 + i % 3), 1 + i % 3)
                                  for i in range(20)))
    assert sum(kernel.calls) == sum(1 + i % 3 for i in range(20))
    assert len(kernel.calls) == 1
    for i, r in enumerate(rows):
        n = 1 + i % 3
        assert r.values["y"].shape == (n,)
        np.testing.assert_array_equal(r.values["y"], np.full(n, i * i * 3.0))
        np.testing.assert_array_equal(r.gradients["y"]["x"], np.full(n, 2 * i * 3.0))
        assert r.batch_requests == 20
    assert metrics.value("chainlens_batch_size_count") == 1
    assert metrics.value("chainlens_batch_size_sum") == 20


async def test_max_batch_size_bounds_the_points_in_one_call(make_batcher):
    batcher, _ = make_batcher(max_batch_size=4, batch_timeout=0.05)
    kernel = SquareKernel()
    await asyncio.gather(*(batcher.submit("k", kernel, point(i), 1) for i in range(10)))
    assert max(kernel.calls) <= 4 and sum(kernel.calls) == 10


async def test_a_request_larger_than_the_batch_runs_alone(make_batcher):
    batcher, _ = make_batcher(max_batch_size=4, batch_timeout=0.0)
    kernel = SquareKernel()
    r = await batcher.submit("k", kernel, point(2, n=10), 10)
    assert kernel.calls == [10] and r.values["y"].shape == (10,)


async def test_a_failing_request_fails_alone_and_the_rest_are_answered(make_batcher):
    batcher, _ = make_batcher(max_batch_size=64, batch_timeout=0.05)
    kernel = SquareKernel()
    results = await asyncio.gather(*(batcher.submit("k", kernel, point(x), 1)
                                     for x in (1, -13, 2)), return_exceptions=True)
    assert isinstance(results[1], ValueError)
    np.testing.assert_array_equal(results[0].values["y"], [3.0])
    np.testing.assert_array_equal(results[2].values["y"], [12.0])


async def test_different_programs_never_share_a_call(make_batcher):
    batcher, _ = make_batcher(max_batch_size=64, batch_timeout=0.02)
    k1, k2 = SquareKernel(), SquareKernel()
    await asyncio.gather(*(batcher.submit(key, k, point(1), 1)
                           for key, k in [("a", k1), ("b", k2)] * 5))
    assert k1.calls == [5] and k2.calls == [5]


async def test_full_queue_is_resource_exhausted(make_batcher):
    batcher, _ = make_batcher(max_batch_size=64, batch_timeout=0.2, max_enqueued=3)
    kernel = SquareKernel()
    results = await asyncio.gather(*(batcher.submit("k", kernel, point(1), 1) for _ in range(5)),
                                   return_exceptions=True)
    refused = [r for r in results if isinstance(r, Refused)]
    # neutral errors: the servicer maps QueueFull to RESOURCE_EXHAUSTED
    assert [type(r) for r in refused] == [QueueFull] * 2
    assert kernel.calls == [3]


async def test_cancelled_requests_are_never_computed(make_batcher):
    batcher, metrics = make_batcher(max_batch_size=64, batch_timeout=0.1)
    kernel = SquareKernel()
    doomed = asyncio.create_task(batcher.submit("k", kernel, point(5), 1))
    kept = asyncio.create_task(batcher.submit("k", kernel, point(2), 1))
    await asyncio.sleep(0.01)
    doomed.cancel()
    r = await kept
    assert kernel.calls == [1] and r.values["y"][0] == 12.0
    assert metrics.value("chainlens_dropped_total", reason="cancelled") == 1


async def test_expired_requests_are_dropped_before_compute(make_batcher):
    batcher, metrics = make_batcher(max_batch_size=64, batch_timeout=0.1)
    kernel = SquareKernel()
    with pytest.raises(Expired):
        await batcher.submit("k", kernel, point(5), 1, timeout=0.01)
    assert kernel.calls == []
    assert metrics.value("chainlens_dropped_total", reason="deadline") == 1


async def test_flush_runs_queued_requests_without_waiting_for_the_timeout(make_batcher):
    batcher, _ = make_batcher(max_batch_size=64, batch_timeout=30.0)
    kernel = SquareKernel()
    pending = asyncio.create_task(batcher.submit("k", kernel, point(2), 1))
    await asyncio.sleep(0.01)
    await asyncio.wait_for(batcher.drain(), 2.0)
    assert (await pending).values["y"][0] == 12.0
