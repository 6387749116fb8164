"""The abuse mix of issue #16, shared by the CI test
(tests/rpc/test_abuse_load.py) and the benchmark that prints its figures
(benchmarks/grpc_abuse.py).

Requests of seven kinds go to a running ``chainlens serve`` over a real
channel on 127.0.0.1, ``concurrency`` at a time:

* ``good``: the neuron's Gradient at a random point, checked against its
  hand-written oracle (the cheap requests whose latency is measured);
* ``diff``: a cheap Differentiate, the derivative evaluated at a random
  point and checked against central differences;
* ``pooled``: a Differentiate expensive enough to go to a worker process
  (a product of 30 factors), checked the same way;
* ``malformed``: garbage bytes to any method, which must be INVALID_ARGUMENT;
* ``hostile``: deep nesting, NUL and zero-width characters, huge numbers and
  exponents, long repeats, a 1 MB text...: a refusal with a proper code;
* ``expensive``: minutes of symbolic work under a 3 s deadline: stopped,
  DEADLINE_EXCEEDED (or a refusal);
* ``cancel``: expensive work the client cancels after a moment.

Every answer is checked; a refusal must be one of :data:`REFUSALS` (never
UNKNOWN or INTERNAL).  The server's RSS (with its worker processes) is
sampled along the way and health is asked at the end.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import time
from pathlib import Path

import grpc
import numpy as np
from chainlens.client import AsyncClient, ChainlensError
from chainlens.engine import parse_expr
from chainlens.engine.numeric.kernel import evaluate
from chainlens.v1 import derivatives_pb2 as pb
from chainlens.v1 import derivatives_pb2_grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from tests.rpc.conftest import NEURON, neuron_oracle

REFUSALS = {grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.RESOURCE_EXHAUSTED,
            grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.FAILED_PRECONDITION,
            grpc.StatusCode.OUT_OF_RANGE, grpc.StatusCode.CANCELLED}
HOSTILE = ["(" * 5000 + "x" + ")" * 5000, "sin(x)\x00 + 1", "x\u200b^2", "1e-1000**1e-1000",
           "9**9**9**9", "x^" + "9" * 400, "\ufffe\uffff",
           "a = x\nrepeat k in 1..100000 { a = sin(a) }",
           "x" * 1_000_001, "\\operatorname{}(x)", "\\frac{1}{", "@at x=1e999\nL = x",
           "f(u) = u*u + u\ny = " + "f(" * 60 + "x" + ")" * 60]
EXPENSIVE = ["a = x\nrepeat k in 1..3000 {\n  a = tanh(w_k*a + b_k)\n}\nL = a^2",
             "a = x\nrepeat k in 1..300 {\n  a = tanh(w_k*a + b_k)\n}\nL = a^2",
             "f(u) = u*u + u\ny = " + "f(" * 30 + "x" + ")" * 30,
             "(" + "+".join(f"x_{i}" for i in range(1500)) + ")^3"]
CHEAP_DIFF = ["sin(x)^2 + x^3", "exp(-x)/(1 + x^2)", "tanh(3x) * log(2 + x)"]
#: 20 ms of work in the server, estimated expensive: answered by a worker
POOLED_DIFF = "*".join(f"sin({i % 7}*x/10+1)" for i in range(30))
#: Requests of each kind in a hundred.
WEIGHTS = {"good": 55, "diff": 10, "pooled": 3, "malformed": 14, "hostile": 11,
           "expensive": 5, "cancel": 2}
#: Kinds that make the server work hard (the cheap ones are timed while
#: any of these is in flight).
HEAVY = ("pooled", "expensive", "cancel")


def rss_mb(pid: int) -> float:
    """RSS of ``pid`` and its children (the worker processes), in MB."""
    total = 0
    for candidate in [pid, *_children(pid)]:
        try:
            status = Path(f"/proc/{candidate}/status").read_text()
        except OSError:
            continue
        found = re.search(r"VmRSS:\s+(\d+)", status)
        total += int(found.group(1)) if found else 0
    return total / 1024


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rfind(")") + 2:].split()[1]) == pid:
                found.append(int(entry))
    return found


def _value(text: str, x: float) -> float:
    values = evaluate(parse_expr(text), {"x": x}).values
    return float(np.ravel(next(iter(values.values())))[0])


def _central(text: str, x: float, h: float = 1e-6) -> float:
    return (_value(text, x + h) - _value(text, x - h)) / (2 * h)


def _count(stats: dict, code) -> None:
    name = code.name if hasattr(code, "name") else str(code)
    stats["codes"][name] = stats["codes"].get(name, 0) + 1


async def _derivative(client, expr: str, rng: random.Random, timeout: float, stats) -> None:
    """Ask for d/dx ``expr``; the answer is checked after the load (reading
    and evaluating a long derivative here would stall this process's event
    loop, and with it every latency it measures)."""
    derivative = (await client.differentiate(expr, "x", steps=False, timeout=timeout))[0]
    stats["to_check"].append((expr, derivative.text, rng.uniform(-0.9, 0.9)))


def check_derivatives(stats: dict) -> None:
    """Each derivative answered, evaluated at its point against central
    differences of the expression."""
    for expr, text, x in stats["to_check"]:
        got, want = _value(text, x), _central(expr, x)
        assert np.isclose(got, want, rtol=1e-5, atol=1e-6), (expr, text, x, got, want)


async def _one(kind: str, rng: random.Random, client, channel, stats) -> None:
    t0 = time.perf_counter()
    heavy_before = stats["heavy_in_flight"]
    if kind in HEAVY:
        stats["heavy_in_flight"] += 1
    try:
        if kind == "good":
            x, w, b, y = (rng.uniform(-2, 2) for _ in range(4))
            result = await client.gradient(NEURON, x=x, w=w, b=b, y=y, timeout=20)
            value, grads = neuron_oracle(x, w, b, y)
            assert np.isclose(result.values["L"], value, rtol=1e-9, atol=1e-12)
            for name, g in result.gradient().items():
                assert np.isclose(g, grads[name], rtol=1e-7, atol=1e-10), name
            seconds = time.perf_counter() - t0
            stats["latency"].append(seconds)
            if heavy_before or stats["heavy_in_flight"]:
                stats["latency_heavy"].append(seconds)
            _count(stats, grpc.StatusCode.OK)
        elif kind in ("diff", "pooled"):
            expr = rng.choice(CHEAP_DIFF) if kind == "diff" else POOLED_DIFF
            await _derivative(client, expr, rng, 120, stats)
            stats[f"{kind}_latency"].append(time.perf_counter() - t0)
            _count(stats, grpc.StatusCode.OK)
        elif kind == "malformed":
            method = rng.choice(["Gradient", "Differentiate", "Analyze", "Check"])
            raw = channel.unary_unary(f"/chainlens.v1.Derivatives/{method}",
                                      request_serializer=lambda b: b,
                                      response_deserializer=lambda b: b)
            garbage = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
            try:
                await raw(garbage, timeout=10)
            except grpc.aio.AioRpcError as err:
                _count(stats, err.code())
                assert err.code() is grpc.StatusCode.INVALID_ARGUMENT, err
            else:  # a few random bytes are a valid (empty-ish) message: then a refusal
                raise AssertionError(f"garbage {garbage!r} to {method} was answered")
        elif kind == "cancel":
            stub = derivatives_pb2_grpc.DerivativesStub(channel)
            call = stub.Differentiate(pb.DifferentiateRequest(source=rng.choice(EXPENSIVE[:2])))
            await asyncio.sleep(rng.uniform(0.05, 0.5))
            call.cancel()
            try:
                await call
            except asyncio.CancelledError:
                _count(stats, grpc.StatusCode.CANCELLED)
            except grpc.aio.AioRpcError as err:
                _count(stats, err.code())
                assert err.code() in REFUSALS, err
            else:
                raise AssertionError("a cancelled call was answered")
        else:
            text = rng.choice(HOSTILE if kind == "hostile" else EXPENSIVE)
            call = rng.choice(["gradient", "differentiate", "analyze"])
            try:
                if call == "gradient":
                    await client.gradient(text, x=0.5, timeout=3)
                elif call == "differentiate":
                    await client.differentiate(text, "x", order=rng.choice([1, 3, 10]),
                                               timeout=3)
                else:
                    await client.analyze(text, timeout=3)
                _count(stats, grpc.StatusCode.OK)
            except ChainlensError as err:
                _count(stats, err.code)
                assert err.code in REFUSALS, (kind, call, text[:80], err.code, err.details)
            stats["hostile_seconds"] = max(stats["hostile_seconds"], time.perf_counter() - t0)
    finally:
        if kind in HEAVY:
            stats["heavy_in_flight"] -= 1
    stats["done"][kind] = stats["done"].get(kind, 0) + 1


async def run_load(address: str, pid: int, requests: int, concurrency: int = 24,
                   seed: int = 16, weights: dict[str, int] | None = None) -> dict:
    """Send the mix (``weights``: requests of each kind in a hundred, default
    :data:`WEIGHTS`); the figures and counts as a dict (see :func:`summary`)."""
    rng = random.Random(seed)
    weights = weights or WEIGHTS
    kinds = rng.choices(list(weights), list(weights.values()), k=requests)
    stats = {"latency": [], "latency_heavy": [], "diff_latency": [], "pooled_latency": [],
             "codes": {}, "done": {}, "hostile_seconds": 0.0, "rss": [], "heavy_in_flight": 0,
             "requests": requests, "concurrency": concurrency, "to_check": [],
             "probe": []}
    async with AsyncClient(address, timeout=20) as client, \
            grpc.aio.insecure_channel(address) as channel:
        await client.gradient(NEURON, x=0.1, w=0.2, b=0.3, y=0.4)  # compiled outside the clock
        await _derivative(client, POOLED_DIFF, rng, 60, stats)  # a worker warmed up
        stats["rss"].append(rss_mb(pid))
        queue = list(enumerate(kinds))
        t0 = time.perf_counter()

        async def worker():
            while queue:
                i, kind = queue.pop()
                await _one(kind, random.Random(i), client, channel, stats)
                if i % 200 == 0:
                    stats["rss"].append(rss_mb(pid))

        finished = asyncio.Event()

        async def probe():
            """One client sending a cheap Gradient every 20 ms, one at a time:
            what a single user sees while the abuse runs (the load's own
            requests also wait behind each other, 24 at a time)."""
            while not finished.is_set():
                x, w, b, y = (probe_rng.uniform(-2, 2) for _ in range(4))
                t1 = time.perf_counter()
                result = await client.gradient(NEURON, x=x, w=w, b=b, y=y, timeout=20)
                stats["probe"].append(time.perf_counter() - t1)
                value, _grads = neuron_oracle(x, w, b, y)
                assert np.isclose(result.values["L"], value, rtol=1e-9, atol=1e-12)
                await asyncio.sleep(0.02)

        probe_rng = random.Random(seed + 1)
        prober = asyncio.create_task(probe())
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        finished.set()
        await prober
        stats["seconds"] = time.perf_counter() - t0
        stats["rss"].append(rss_mb(pid))
        health = health_pb2_grpc.HealthStub(channel)
        reply = await health.Check(health_pb2.HealthCheckRequest(service=""), timeout=5)
        stats["health"] = reply.status
        # the service answers right after too
        result = await client.gradient(NEURON, x=0.5, w=0.8, b=-0.1, y=1.0, timeout=10)
        stats["after"] = float(result.values["L"])
    check_derivatives(stats)
    lat = np.array(stats["latency"])
    stats["p50"], stats["p99"] = np.percentile(lat, 50), np.percentile(lat, 99)
    heavy = np.array(stats["latency_heavy"] or [np.nan])  # NaN: no heavy request sent
    stats["p99_heavy"] = float(np.percentile(heavy, 99))
    stats["probe_p99"] = float(np.percentile(stats["probe"], 99))
    return stats


def _ms(values, q) -> str:
    return f"{np.percentile(values, q) * 1e3:.0f}" if values else "-"


def summary(stats: dict) -> str:
    lat = stats["latency"]
    return "\n".join([
        f"{stats['requests']} requests in {stats['seconds']:.1f} s, {stats['concurrency']} in "
        f"flight: {dict(sorted(stats['done'].items()))}",
        f"cheap Gradient latency p50 {np.percentile(lat, 50) * 1e3:.1f} ms, "
        f"p99 {stats['p99'] * 1e3:.1f} ms, max {max(lat) * 1e3:.0f} ms over {len(lat)}; "
        f"while heavy requests were in flight: p99 {stats['p99_heavy'] * 1e3:.1f} ms over "
        f"{len(stats['latency_heavy'])}",
        f"one more client, one cheap Gradient at a time every 20 ms: p50 "
        f"{_ms(stats['probe'], 50)} ms, p99 {stats['probe_p99'] * 1e3:.1f} ms, max "
        f"{max(stats['probe']) * 1e3:.0f} ms over {len(stats['probe'])} (goal 50 ms)",
        f"cheap Differentiate p50 {_ms(stats['diff_latency'], 50)} ms, "
        f"p99 {_ms(stats['diff_latency'], 99)} ms; worker-process Differentiate "
        f"p50 {_ms(stats['pooled_latency'], 50)} ms, p99 {_ms(stats['pooled_latency'], 99)} ms",
        f"status codes: {dict(sorted(stats['codes'].items()))}",
        f"slowest hostile/expensive request {stats['hostile_seconds']:.2f} s",
        f"server RSS (with its worker processes) MB: start {stats['rss'][0]:.0f}, "
        f"max {max(stats['rss']):.0f}, end {stats['rss'][-1]:.0f}",
    ])
