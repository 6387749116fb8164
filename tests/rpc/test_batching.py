"""Dynamic batching and the request lifecycle over real gRPC: batches form
under concurrency (seen in the server's metrics), answers equal the
unbatched ones, cancelled and expired requests are never computed, and a
graceful stop answers what is in flight."""

from __future__ import annotations

import asyncio
import urllib.request

import grpc
import numpy as np
import pytest
from chainlens.client import AsyncClient, ChainlensError
from grpc_health.v1 import health_pb2, health_pb2_grpc


async def _burst(address: str, source: str, pts: dict, n: int):
    async with AsyncClient(address) as c:
        return await asyncio.gather(*(
            c.gradient(source, {k: v[i] for k, v in pts.items()}) for i in range(n)))


async def test_concurrent_requests_form_batches_with_answers_equal_to_unbatched(
        start_service, neuron):
    batched = await start_service(max_batch_size=256, batch_timeout=0.02)
    alone = await start_service(max_batch_size=1, batch_timeout=0.0)
    pts = neuron.points(48, seed=7)
    together = await _burst(batched.address, neuron.source, pts, 48)
    separate = await _burst(alone.address, neuron.source, pts, 48)

    m = batched.metrics
    calls, requests = m.value("chainlens_batch_size_count"), m.value("chainlens_batch_size_sum")
    assert requests == 48 and calls < 48  # fewer kernel calls than requests
    assert max(r.batch_requests for r in together) > 1
    assert alone.metrics.value("chainlens_batch_size_count") == 48
    assert {r.batch_requests for r in separate} == {1}
    for a, b in zip(together, separate, strict=True):
        np.testing.assert_allclose(a.values["L"], b.values["L"], rtol=1e-14, atol=0)
        for name in ("x", "w", "b", "y"):
            np.testing.assert_allclose(a.gradients["L"][name], b.gradients["L"][name],
                                       rtol=1e-13, atol=1e-300)
    loss, _ = neuron.oracle(**pts)
    np.testing.assert_allclose([float(r.values["L"]) for r in together], loss, rtol=1e-12)


async def test_mixed_point_counts_are_split_back_exactly(start_service, neuron):
    service = await start_service(batch_timeout=0.02)
    sizes = [1, 5, 1, 17, 3]
    async with AsyncClient(service.address) as c:
        batches = [neuron.points(n, seed=n) for n in sizes]
        results = await asyncio.gather(*(c.gradient(neuron.source, p, batched=True)
                                         for p in batches))
    for pts, r in zip(batches, results, strict=True):
        loss, grads = neuron.oracle(**pts)
        assert r.values["L"].shape == loss.shape
        np.testing.assert_allclose(r.values["L"], loss, rtol=1e-12)
        np.testing.assert_allclose(r.gradients["L"]["x"], grads["x"], rtol=1e-10, atol=1e-15)


async def test_a_bad_request_fails_alone_and_its_neighbours_are_answered(start_service,
                                                                         neuron):
    service = await start_service(batch_timeout=0.05)
    good = dict(neuron.point)
    async with AsyncClient(service.address) as c:
        await c.gradient(neuron.source, good)
        results = await asyncio.gather(
            c.gradient(neuron.source, good),
            c.gradient(neuron.source, dict(good, x=float("nan"))),
            c.gradient(neuron.source, {"x": [1.0, 2.0], **{k: good[k] for k in "wby"}}),
            c.gradient(neuron.source, {k: good[k] for k in "xwb"}),
            c.gradient(neuron.source, good),
            return_exceptions=True)
    assert [type(r).__name__ for r in results] == [
        "GradientResult", "ChainlensError", "ChainlensError", "ChainlensError",
        "GradientResult"]
    assert results[0].values["L"] == results[4].values["L"]


async def test_an_expired_request_is_deadline_exceeded_and_never_computed(start_service):
    service = await start_service(batch_timeout=0.3)
    async with AsyncClient(service.address) as c:
        await c.gradient("y = exp(x)", x=0.0)
        before = service.metrics.value("chainlens_batch_size_count")
        with pytest.raises(ChainlensError) as info:
            await c.gradient("y = exp(x)", x=1.0, timeout=0.05)
        assert info.value.code is grpc.StatusCode.DEADLINE_EXCEEDED
        await asyncio.sleep(0.4)
    assert service.metrics.value("chainlens_batch_size_count") == before
    assert service.metrics.value("chainlens_dropped_total", reason="deadline") == 1


async def test_a_cancelled_request_is_never_computed(start_service):
    service = await start_service(batch_timeout=0.3)
    async with AsyncClient(service.address) as c:
        await c.gradient("y = cos(x)", x=0.0)
        before = service.metrics.value("chainlens_batch_size_count")
        call = asyncio.create_task(c.gradient("y = cos(x)", x=1.0))
        await asyncio.sleep(0.05)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        await asyncio.sleep(0.4)
    assert service.metrics.value("chainlens_batch_size_count") == before
    assert service.metrics.value("chainlens_dropped_total", reason="cancelled") == 1


async def test_graceful_stop_answers_requests_in_flight_and_refuses_new_ones(
        start_service, neuron):
    service = await start_service(batch_timeout=30.0)  # only the stop can start this batch
    async with AsyncClient(service.address, retries=2) as c:
        in_flight = [asyncio.create_task(c.gradient(neuron.source, dict(neuron.point, x=i)))
                     for i in range(3)]
        for _ in range(200):  # until all three wait in the queue
            if service.metrics.value("chainlens_queue_depth") == 3:
                break
            await asyncio.sleep(0.01)
        assert service.metrics.value("chainlens_queue_depth") == 3
        await asyncio.wait_for(service.stop(grace=3), 4)
        results = await asyncio.gather(*in_flight)
        with pytest.raises(ChainlensError) as info:
            await c.gradient(neuron.source, neuron.point, timeout=1)
    assert [float(r.values["L"]) for r in results] == pytest.approx(
        [float(neuron.oracle(**dict(neuron.point, x=i))[0]) for i in range(3)])
    assert info.value.code is grpc.StatusCode.UNAVAILABLE


async def test_health_and_metrics_endpoints(start_service, neuron):
    service = await start_service(metrics_port=0)
    async with grpc.aio.insecure_channel(service.address) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        for name in ("", "chainlens.v1.Derivatives"):
            reply = await stub.Check(health_pb2.HealthCheckRequest(service=name))
            assert reply.status == health_pb2.HealthCheckResponse.SERVING
    async with AsyncClient(service.address) as c:
        await c.gradient(neuron.source, neuron.point)
    url = f"http://127.0.0.1:{service.metrics_port}/metrics"
    text = await asyncio.to_thread(lambda: urllib.request.urlopen(url, timeout=5).read().decode())
    for name in ("chainlens_queue_depth", "chainlens_batch_size_bucket",
                 "chainlens_request_latency_seconds_bucket", 'method="Gradient"'):
        assert name in text


async def test_round_robin_spreads_calls_over_two_servers(start_service, neuron):
    one, two = await start_service(), await start_service()
    async with AsyncClient([one.address, two.address]) as c:
        for i in range(30):
            await c.gradient(neuron.source, dict(neuron.point, x=float(i)))
    counts = [s.metrics.value("chainlens_requests_total", method="Gradient") for s in (one, two)]
    assert sum(counts) == 30 and min(counts) >= 5


async def test_a_replica_going_away_leaves_the_other_serving(start_service, neuron):
    one, two = await start_service(), await start_service()
    async with AsyncClient([one.address, two.address]) as c:
        for _ in range(6):
            await c.gradient(neuron.source, neuron.point)
        await one.stop(grace=0)
        results = [await c.gradient(neuron.source, neuron.point) for _ in range(6)]
    assert len(results) == 6
