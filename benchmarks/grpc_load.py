"""Load on the gRPC service: dynamic batching on versus off.

N concurrent clients (1, 16, 64, 256) on loopback each send Gradient
requests back to back -- single points, then 1,000-point batches -- to a
``chainlens serve`` process, for a bounded time.  Printed per row:
throughput, p50/p99 latency, the mean batch the server formed (from its
Prometheus metrics), and the on/off throughput ratio.

    .venv/bin/python benchmarks/grpc_load.py            # about a minute
    .venv/bin/python benchmarks/grpc_load.py --quick    # 1 and 64 clients, short runs

The program is a 100-layer tanh chain with a squared loss, the shape of a
deep network's backward pass.  Everything stays on 127.0.0.1, every loop
is bounded in count and in time, and the server processes are stopped at
the end.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import grpc
import numpy as np
from chainlens.client.messages import gradient_request
from chainlens.v1 import derivatives_pb2_grpc

PROGRAM = """\
a = x
repeat k in 1..100 {
  a = tanh(0.9*a + 0.1*x)
}
L = (a - y)^2
"""
BIN = Path(sys.executable).parent
#: Most requests one client sends in one run (the time bound usually ends it first).
MAX_REQUESTS_PER_CLIENT = 2_000
MODES = {
    "off": ["--max-batch-size", "1", "--batch-timeout-ms", "0"],
    "on": ["--max-batch-size", "1024", "--batch-timeout-ms", "1.5"],
}


class Server:
    """A ``chainlens serve`` process on a free loopback port (``env``: its
    environment, default this process's)."""

    def __init__(self, flags: list[str], env: dict | None = None):
        self.proc = subprocess.Popen(
            [str(BIN / "chainlens"), "serve", "--port", "0", "--metrics-port", "0",
             "--host", "127.0.0.1", *flags],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        self.address = re.search(r"on (127\.0\.0\.1:\d+)", self.proc.stdout.readline()).group(1)
        self.metrics_url = re.search(r"(http://\S+/metrics)", self.proc.stdout.readline()).group(1)

    def batches(self) -> tuple[float, float]:
        """(kernel calls, requests in them) so far."""
        text = urllib.request.urlopen(self.metrics_url, timeout=5).read().decode()
        count = re.search(r"^chainlens_batch_size_count (\S+)", text, re.M)
        total = re.search(r"^chainlens_batch_size_sum (\S+)", text, re.M)
        return (float(count.group(1)), float(total.group(1))) if count else (0.0, 0.0)

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


async def load(address: str, clients: int, points: int, seconds: float) -> dict:
    """``clients`` loops sending back to back for ``seconds``; latencies in s."""
    rng = np.random.default_rng(clients * 7 + points)
    shape = (points,) if points > 1 else ()
    requests = [gradient_request(PROGRAM, {"x": rng.uniform(-1, 1, shape),
                                           "y": rng.uniform(-1, 1, shape)}, {},
                                 batched=points > 1) for _ in range(16)]
    return await closed_loop(address, requests, clients, seconds, timeout=30)


async def closed_loop(address: str, requests: list, clients: int, seconds: float,
                      timeout: float, options: tuple = (),
                      max_requests: int = MAX_REQUESTS_PER_CLIENT) -> dict:
    """``clients`` coroutines each sending ``requests`` (in turn) back to back
    for ``seconds``, over several HTTP/2 connections as separate client
    processes would open; throughput, p50/p99 latency in ms and errors."""
    channels = [grpc.aio.insecure_channel(
        address, options=[("grpc.use_local_subchannel_pool", 1), *options])
        for _ in range(max(1, min(8, clients // 32)))]
    stubs = [derivatives_pb2_grpc.DerivativesStub(c) for c in channels]
    for stub in stubs:
        await stub.Gradient(requests[0], timeout=timeout)  # compile, connect off the clock
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def client(i: int):
        nonlocal errors
        stub = stubs[i % len(stubs)]
        for n in range(max_requests):
            if time.perf_counter() >= deadline:
                return
            started = time.perf_counter()
            try:
                await stub.Gradient(requests[(i + n) % len(requests)], timeout=timeout)
            except grpc.aio.AioRpcError:
                errors += 1
                continue
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    elapsed = time.perf_counter() - started
    for c in channels:
        await c.close()
    lat = np.array(latencies or [float("nan")]) * 1000
    return {"rps": len(latencies) / elapsed, "p50": float(np.percentile(lat, 50)),
            "p99": float(np.percentile(lat, 99)), "errors": errors}


async def batcher_only(clients: int, mode: str, seconds: float) -> dict:
    """The same load straight into the dynamic batcher, without gRPC: what
    batching does for the kernel, apart from the cost of the RPC layer."""
    from concurrent.futures import ThreadPoolExecutor

    from chainlens.engine.numeric.kernel import compile as compile_kernel
    from chainlens.server.rpc.batcher import BatchingOptions, DynamicBatcher
    from chainlens.server.rpc.metrics import Metrics

    kernel = compile_kernel(PROGRAM)
    options = (BatchingOptions(max_batch_size=1, batch_timeout=0.0) if mode == "off"
               else BatchingOptions(max_batch_size=1024, batch_timeout=0.0015))
    rng = np.random.default_rng(clients)
    inputs = [{"x": rng.uniform(-1, 1, 1), "y": rng.uniform(-1, 1, 1)} for _ in range(16)]
    latencies: list[float] = []
    with ThreadPoolExecutor(options.workers) as pool:
        batcher = DynamicBatcher(options, pool, Metrics())
        deadline = time.perf_counter() + seconds

        async def client(i: int):
            for n in range(MAX_REQUESTS_PER_CLIENT):
                if time.perf_counter() >= deadline:
                    return
                started = time.perf_counter()
                await batcher.submit("p", kernel, inputs[(i + n) % 16], 1)
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(client(i) for i in range(clients)))
        elapsed = time.perf_counter() - started
    lat = np.array(latencies) * 1000
    return {"rps": len(lat) / elapsed, "p50": float(np.percentile(lat, 50)),
            "p99": float(np.percentile(lat, 99))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="per run (default 2)")
    parser.add_argument("--clients", default="1,16,64,256")
    parser.add_argument("--quick", action="store_true", help="1 and 64 clients, 1 s runs")
    args = parser.parse_args()
    clients = [1, 64] if args.quick else [int(c) for c in args.clients.split(",")]
    seconds = 1.0 if args.quick else args.seconds

    results: dict = {}
    for mode, flags in MODES.items():
        server = Server(flags)
        try:
            for points in (1, 1000):
                for n in clients:
                    before = server.batches()
                    row = asyncio.run(load(server.address, n, points, seconds))
                    after = server.batches()
                    calls = after[0] - before[0]
                    row["batch"] = (after[1] - before[1]) / calls if calls else 0.0
                    results[mode, points, n] = row
                    print(f"  {mode:>3} batching, {n:>3} clients x {points:>4} points: "
                          f"{row['rps']:8.0f} req/s", file=sys.stderr, flush=True)
        finally:
            server.stop()

    print(f"\ngRPC Gradient load on 127.0.0.1 ({seconds:g} s per row; program: 100-layer tanh "
          "chain, 2 inputs; batching on = max batch 1024 points, timeout 1.5 ms)\n")
    head = (f"{'clients':>7} {'points':>6} | {'off req/s':>9} {'p50 ms':>7} {'p99 ms':>7} | "
            f"{'on req/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'batch':>6} | {'on/off':>6}")
    print(head)
    print("-" * len(head))
    for points in (1, 1000):
        for n in clients:
            off, on = results["off", points, n], results["on", points, n]
            ratio = on["rps"] / off["rps"] if off["rps"] else float("nan")
            errors = off["errors"] + on["errors"]
            print(f"{n:>7} {points:>6} | {off['rps']:9.0f} {off['p50']:7.2f} {off['p99']:7.2f} | "
                  f"{on['rps']:9.0f} {on['p50']:7.2f} {on['p99']:7.2f} {on['batch']:6.1f} | "
                  f"{ratio:5.2f}x" + (f"  ({errors} errors)" if errors else ""))
    print("\nbatch = mean requests per kernel call the server formed (from its metrics).")

    print("\nThe same single-point load straight into the batcher (no gRPC), "
          f"{seconds:g} s per row:\n")
    head = (f"{'clients':>7} | {'off req/s':>9} {'p99 ms':>7} | {'on req/s':>9} {'p99 ms':>7} | "
            f"{'on/off':>6}")
    print(head)
    print("-" * len(head))
    for n in clients:
        off = asyncio.run(batcher_only(n, "off", seconds))
        on = asyncio.run(batcher_only(n, "on", seconds))
        print(f"{n:>7} | {off['rps']:9.0f} {off['p99']:7.2f} | {on['rps']:9.0f} {on['p99']:7.2f} | "
              f"{on['rps'] / off['rps']:5.2f}x")


if __name__ == "__main__":
    main()
