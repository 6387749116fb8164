"""Expensive requests run in worker processes that can be stopped (#16).

Over a real channel on 127.0.0.1: a request whose estimated cost is large
is answered by a worker process, with the same answer as the server's own
threads give; when its deadline (the client's, or the server's budget per
request) passes or its client cancels, the worker is killed and replaced,
the request ends DEADLINE_EXCEEDED or CANCELLED, and cheap requests keep
being answered meanwhile; an error too long for gRPC's metadata is cut, not
turned into RESOURCE_EXHAUSTED.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import time

import grpc
import numpy as np
import pytest
from chainlens.client import ChainlensError
from chainlens.server.rpc import convert
from chainlens.server.rpc.service import Service, ServiceOptions
from chainlens.v1 import derivatives_pb2 as pb
from chainlens.v1 import derivatives_pb2_grpc

from tests.rpc.conftest import NEURON, neuron_oracle

#: 20 layers differentiated by 3 inputs with steps: about half a second of
#: CPU, estimated well past the cheap bound.
MEDIUM = "a = x\nrepeat k in 1..20 { a = tanh(w*a + b) }\nL = a^2"
#: 300 layers, every one with its own inputs: minutes of work (601 derivatives).
ENDLESS = "a = x\nrepeat k in 1..300 {\n  a = tanh(w_k*a + b_k)\n}\nL = a^2"
#: A program too large to compile in the server: its Gradient is a worker's.
DEEP = "a = x\nrepeat k in 1..400 { a = tanh(0.5*a + 0.1) }\nL = a"


async def _service(**options) -> Service:
    service = await Service(ServiceOptions(port=0, grace=1.0, **options)).start()
    await service.pool.ready()
    return service


@pytest.fixture
async def pooled():
    services: list[Service] = []

    async def start(**options):
        services.append(await _service(**options))
        return services[-1]

    yield start
    for service in services:
        await service.stop(grace=0)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] not in "ZX"
    except OSError:
        return False


async def _gone(pids, seconds: float = 10.0) -> bool:
    stop = time.monotonic() + seconds
    while any(_alive(p) for p in pids) and time.monotonic() < stop:
        await asyncio.sleep(0.05)
    return not any(_alive(p) for p in pids)


async def _until(condition, seconds: float = 10.0) -> bool:
    stop = time.monotonic() + seconds
    while not condition() and time.monotonic() < stop:
        await asyncio.sleep(0.05)
    return condition()


async def _cheap_gradients(client, stop: asyncio.Event) -> list[float]:
    """Neuron Gradients back to back until ``stop``, each checked; latencies."""
    latencies = []
    rng = np.random.default_rng(1)
    while not stop.is_set():
        x, w, b, y = rng.uniform(-2, 2, 4)
        t0 = time.perf_counter()
        result = await client.gradient(NEURON, x=x, w=w, b=b, y=y, timeout=20)
        latencies.append(time.perf_counter() - t0)
        value, grads = neuron_oracle(x, w, b, y)
        assert math.isclose(float(result.values["L"]), value, rel_tol=1e-9, abs_tol=1e-12)
        for name, g in result.gradient().items():
            assert math.isclose(float(g), grads[name], rel_tol=1e-7, abs_tol=1e-10)
        await asyncio.sleep(0.01)
    return latencies


async def test_an_expensive_request_is_a_workers_with_the_same_answer(pooled, client_for):
    service = await pooled()
    client = await client_for(service)
    got = await client.differentiate(MEDIUM, steps=True)
    assert service.metrics.value("chainlens_isolated_total", method="Differentiate") == 1
    here = convert.differentiate(pb.DifferentiateRequest(source=MEDIUM, steps=True))
    assert [d.text for d in got] == [d.result.text for d in here.derivatives]
    assert [len(d.steps) for d in got] == [len(d.steps) for d in here.derivatives]
    # and a cheap one stays in the server
    await client.differentiate("sin(x)^2", "x")
    assert service.metrics.value("chainlens_isolated_total", method="Differentiate") == 1


async def test_a_gradient_too_large_to_compile_here_is_computed_right_in_a_worker(
        pooled, client_for):
    service = await pooled()
    client = await client_for(service)
    result = await client.gradient(DEEP, x=0.3)
    assert service.metrics.value("chainlens_isolated_total", method="Gradient") == 1
    a, da = 0.3, 1.0  # the chain by hand: a <- tanh(0.5 a + 0.1)
    for _ in range(400):
        a = math.tanh(0.5 * a + 0.1)
        da *= 0.5 * (1 - a * a)
    assert math.isclose(float(result.values["L"]), a, rel_tol=1e-12)
    assert math.isclose(float(result.gradient()["x"]), da, rel_tol=1e-9, abs_tol=1e-300)


async def test_a_stream_mixes_worker_and_batched_answers(pooled):
    from chainlens.client.messages import gradient_request
    from chainlens.v1.tensors import from_tensor

    service = await pooled()
    requests = [gradient_request(DEEP, None, {"x": 0.3}, request_id="deep"),
                gradient_request(NEURON, None, {"x": 0.5, "w": 0.8, "b": -0.1, "y": 1.0},
                                 request_id="neuron")]
    async with grpc.aio.insecure_channel(service.address) as channel:
        stub = derivatives_pb2_grpc.DerivativesStub(channel)
        answers = {a.request_id: a async for a in stub.GradientStream(iter(requests),
                                                                        timeout=60)}
    assert service.metrics.value("chainlens_isolated_total", method="Gradient") == 1
    value, _grads = neuron_oracle(0.5, 0.8, -0.1, 1.0)
    assert math.isclose(float(from_tensor(answers["neuron"].values["L"])), value, rel_tol=1e-9)
    a = 0.3
    for _ in range(400):
        a = math.tanh(0.5 * a + 0.1)
    assert math.isclose(float(from_tensor(answers["deep"].values["L"])), a, rel_tol=1e-12)


async def test_the_deadline_kills_the_worker_and_cheap_requests_go_on(pooled, client_for):
    service = await pooled()
    client = await client_for(service)
    await client.gradient(NEURON, x=0.1, w=0.2, b=0.3, y=0.4)  # compiled outside the clock
    before = set(service.pool.pids)
    stop = asyncio.Event()
    cheap = asyncio.create_task(_cheap_gradients(client, stop))
    t0 = time.perf_counter()
    with pytest.raises(ChainlensError) as info:
        await client.differentiate(ENDLESS, timeout=2.0)
    waited = time.perf_counter() - t0
    stop.set()
    latencies = await cheap
    assert info.value.code is grpc.StatusCode.DEADLINE_EXCEEDED
    assert waited < 10
    # cheap requests were answered all along, not after the expensive one
    assert len(latencies) >= 10 and max(latencies) < 1.5, max(latencies)
    # the client's clock may run out before the server's: wait for the server to act
    assert await _until(lambda: service.pool.killed == 1), service.pool.died
    assert await _gone(before - set(service.pool.pids)) and before - set(service.pool.pids)
    await service.pool.ready()
    assert len(service.pool.pids) == 2 and set(service.pool.pids) != before
    # the replacement works
    assert (await client.differentiate(MEDIUM, "x", steps=False))[0].text


async def test_the_servers_budget_stops_work_without_a_client_deadline(pooled, client_for):
    service = await pooled(work_seconds=1.5)
    client = await client_for(service)
    t0 = time.perf_counter()
    with pytest.raises(ChainlensError) as info:
        await client.differentiate(ENDLESS, timeout=None)
    assert info.value.code is grpc.StatusCode.DEADLINE_EXCEEDED
    assert "server's limit of 1.5 s" in info.value.details
    assert time.perf_counter() - t0 < 10
    assert service.metrics.value("chainlens_stopped_total", reason="deadline") == 1


async def test_a_client_cancel_stops_the_computation(pooled):
    service = await pooled()
    async with grpc.aio.insecure_channel(service.address) as channel:
        stub = derivatives_pb2_grpc.DerivativesStub(channel)
        call = stub.Differentiate(pb.DifferentiateRequest(source=ENDLESS))
        stop = time.monotonic() + 10
        while (service.metrics.value("chainlens_isolated_total", method="Differentiate") < 1
               and time.monotonic() < stop):
            await asyncio.sleep(0.05)
        busy = set(service.pool.pids)
        await asyncio.sleep(0.5)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
    stop = time.monotonic() + 10
    while service.pool.killed < 1 and time.monotonic() < stop:
        await asyncio.sleep(0.05)
    assert service.pool.killed == 1
    assert service.metrics.value("chainlens_stopped_total", reason="cancelled") == 1
    assert await _gone(busy - set(service.pool.pids))


async def test_requests_queued_for_a_busy_pool_expire_without_running(pooled, client_for):
    service = await pooled(pool_workers=1)
    client = await client_for(service)
    first = asyncio.create_task(client.differentiate(ENDLESS, timeout=3.0))
    await asyncio.sleep(0.5)
    with pytest.raises(ChainlensError) as info:
        await client.differentiate(ENDLESS, timeout=1.0)  # waits for the one worker
    assert info.value.code is grpc.StatusCode.DEADLINE_EXCEEDED
    with pytest.raises(ChainlensError):
        await first
    stop = time.monotonic() + 10  # the server's own timer fires with the client's
    while service.pool.killed < 1 and time.monotonic() < stop:
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)
    assert service.pool.killed == 1  # only the one that ran was killed


async def test_waiting_requests_get_a_worker_cheapest_first(pooled, client_for):
    service = await pooled(pool_workers=1)
    client = await client_for(service)
    running = asyncio.create_task(client.differentiate(ENDLESS, timeout=3.0))
    await asyncio.sleep(0.5)
    long = asyncio.create_task(client.differentiate(ENDLESS, timeout=40.0))  # waits first
    await asyncio.sleep(0.2)
    short = await client.differentiate(MEDIUM, "x", steps=False, timeout=30.0)  # goes first
    assert short[0].text and not long.done()
    with pytest.raises(ChainlensError):
        await running
    long.cancel()  # the client gives up: its worker is killed
    with contextlib.suppress(asyncio.CancelledError, ChainlensError):
        await long


async def test_a_refusal_from_a_worker_keeps_its_code_and_place(pooled, client_for):
    service = await pooled()
    client = await client_for(service)
    bad = "a = x\nrepeat k in 1..50 { a = tanh(w*a + b) }\nL = a^2 +"
    with pytest.raises(ChainlensError) as info:
        await client.differentiate(bad, steps=True)
    assert service.metrics.value("chainlens_isolated_total", method="Differentiate") == 1
    assert info.value.code is grpc.StatusCode.INVALID_ARGUMENT
    assert info.value.details.startswith("source:3:"), info.value.details


async def test_an_error_longer_than_grpc_metadata_allows_is_cut_not_lost(pooled, client_for):
    service = await pooled()
    client = await client_for(service)
    program = "a = x\nrepeat k in 1..3000 {\n  a = tanh(w_k*a + b_k)\n}\nL = a^2"
    with pytest.raises(ChainlensError) as info:
        await client.gradient(program, x=0.5, timeout=60)
    assert info.value.code is grpc.StatusCode.INVALID_ARGUMENT, info.value.details
    details = info.value.details
    assert details.startswith("inputs: missing a value for 'b_1', "), details[:80]
    assert details.count("(cut: ") == 1 and len(details) < 3000


def test_an_in_process_problem_is_capped_where_it_is_made():
    from chainlens.server.rpc.problems import RequestProblem, to_message, trailing_metadata

    names = [f"'x_{i}'" for i in range(6000)]
    problem = RequestProblem(grpc.StatusCode.INVALID_ARGUMENT,
                             "missing a value for " + ", ".join(names), "inputs",
                             expected=tuple(names), hint="h" * 5000)
    assert problem.details.startswith("inputs: missing a value for 'x_0', 'x_1'")
    assert len(problem.details) < 3000 and " more" in problem.details
    assert sum(len(v) for _, v in trailing_metadata(problem)) < 4000
    assert to_message(problem).message == problem.message


@pytest.fixture
async def client_for():
    from chainlens.client import AsyncClient

    clients = []

    async def make(service):
        clients.append(AsyncClient(service.address, timeout=60))
        return await clients[-1].__aenter__()

    yield make
    for c in clients:
        await c.__aexit__(None, None, None)


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
async def test_workers_end_with_the_service(pooled):
    service = await pooled()
    pids = list(service.pool.pids)
    await service.stop(grace=0)
    assert await _gone(pids)



@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
def test_kill_9_of_the_server_leaves_no_worker_process():
    import re
    import signal
    import subprocess
    import sys
    from pathlib import Path

    from tests.rpc.abuse_mix import _children

    serve = [str(Path(sys.executable).parent / "chainlens"), "serve", "--port", "0"]
    proc = subprocess.Popen(serve, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        address = re.search(r"on (127\.0\.0\.1:\d+)", proc.stdout.readline()).group(1)
        with grpc.insecure_channel(address) as channel:
            stub = derivatives_pb2_grpc.DerivativesStub(channel)
            stub.Differentiate(pb.DifferentiateRequest(source=MEDIUM), timeout=60)
        family = set(_children(proc.pid))
        family |= {g for c in family for g in _children(c)}
        assert len(family) >= 3  # the fork server and two workers
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=5)
        stop = time.monotonic() + 5
        while any(_alive(p) for p in family) and time.monotonic() < stop:
            time.sleep(0.1)
        assert not [p for p in family if _alive(p)]
    finally:
        if proc.poll() is None:
            proc.kill()
