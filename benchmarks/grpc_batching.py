"""Dynamic batching through gRPC on compute-heavy programs: on versus off, in one run.

    .venv/bin/python benchmarks/grpc_batching.py             # 256 clients, 3 x 2 s per row
    .venv/bin/python benchmarks/grpc_batching.py --quick     # 64 clients, 1 s per row
    .venv/bin/python benchmarks/grpc_batching.py --clients 16,256 --programs mlp64,vchain

256 concurrent clients on loopback each send one-point Gradient requests
back to back, for a bounded time, to a ``chainlens serve`` process with
batching on (max batch 1024 points, timeout 2 ms) and to one with batching
off (max batch 1, timeout 0), alternating, three times (medians).
Printed per program: requests/s, p50/p99
latency, the mean batch the server formed (its Prometheus metrics) and
the on/off ratio; then, measured in this process without gRPC, what one
request's kernel call costs alone and what it costs inside a batch of 256
requests (the batched call divided by 256), beside the machine's time per
request through gRPC with batching off and on; ``floor`` is the trivial
program ``x`` (the RPC layer's own cost).  Batching removes per-call
costs only (the kernel call, its hand-off to a worker thread and back, the
event loop's scheduling of it): decoding, validating and encoding each
request stay.  Little's law bounds latency in a closed loop: the mean latency of N
clients is N / throughput, so p99 <= timeout + 10 ms at 256 clients needs
some 22,000 requests/s.  The programs:

* ``mlp64``, ``mlp256``: a 3-layer tanh MLP of that width (weights sent with
  every request, gradient with respect to the input ``x``: a saliency map);
* ``chain``: the 100-layer tanh chain of ``grpc_load.py`` (scalar: one
  point runs as plain Python floats);
* ``vchain``: the same 100 layers on vectors of 64 (numpy, about 1,000
  array operations per call whatever the batch).

Everything stays on 127.0.0.1; clients and server share the machine's
cores (quote ``uptime`` with the figures).  Every loop is bounded in count
and time, and the server processes are stopped at the end.
"""

from __future__ import annotations

import os

#: BLAS threads per kernel call in the servers and in this process's kernel
#: timings: ``OPENBLAS_NUM_THREADS`` if set, else 1 (set before numpy loads).
BLAS_THREADS = int(os.environ.setdefault("OPENBLAS_NUM_THREADS", "1"))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from chainlens.client.messages import gradient_request  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from grpc_load import Server, closed_loop  # noqa: E402

MODES = {
    "on": ["--max-batch-size", "1024", "--batch-timeout-ms", "2"],
    "off": ["--max-batch-size", "1", "--batch-timeout-ms", "0"],
}
TIMEOUT_MS = 2.0
#: Most requests one client sends in one row (the time bound usually ends it first).
MAX_REQUESTS_PER_CLIENT = 5_000
CHAIN = "a = x\nrepeat k in 1..100 {\n  a = tanh(0.9*a + 0.1*x)\n}\nL = (a - y)^2\n"
VCHAIN = ("input x: [64]\ninput y: [64]\na = x\nrepeat k in 1..100 {\n"
          "  a = tanh(0.9*a + 0.1*x)\n}\nL = sum((a - y)^2)\n")


def mlp(width: int, layers: int = 3) -> str:
    lines = [f"input x: [{width}]"]
    for k in range(1, layers + 1):
        lines += [f"param W{k}: [{width}, {width}]", f"param b{k}: [{width}]"]
    lines += [f"param v: [{width}]", "h0 = x"]
    lines += [f"h{k} = tanh(h{k - 1} @ W{k} + b{k})" for k in range(1, layers + 1)]
    lines += [f"L = logsumexp(h{layers} * v)", "@wrt x"]
    return "\n".join(lines) + "\n"


def mlp_point(rng, width: int, layers: int = 3) -> dict:
    values = {"x": rng.normal(size=width), "v": rng.normal(size=width)}
    for k in range(1, layers + 1):
        values[f"W{k}"] = rng.normal(size=(width, width)) / np.sqrt(width)
        values[f"b{k}"] = rng.normal(size=width)
    return values


def _same_weights(width: int):
    """One model's weights for every request (a served model), a fresh input each."""
    weights = mlp_point(np.random.default_rng(1), width)

    def point(rng):
        return {**weights, "x": rng.normal(size=width)}
    return point


PROGRAMS = {
    "mlp64": (mlp(64), _same_weights(64)),
    "mlp256": (mlp(256), _same_weights(256)),
    "chain": (CHAIN, lambda rng: {"x": rng.uniform(-1, 1), "y": rng.uniform(-1, 1)}),
    "vchain": (VCHAIN, lambda rng: {"x": rng.uniform(-1, 1, 64), "y": rng.uniform(-1, 1, 64)}),
    "floor": ("x", lambda rng: {"x": rng.uniform(-1, 1)}),
}


def start_server(flags: list[str], blas: int) -> Server:
    """A ``chainlens serve`` process whose BLAS may start ``blas`` threads per
    kernel call (its two kernel-call workers already fill two cores; more
    threads on top oversubscribe them)."""
    return Server(flags, env={**os.environ, "OPENBLAS_NUM_THREADS": str(blas),
                              "OMP_NUM_THREADS": str(blas), "MKL_NUM_THREADS": str(blas)})


async def load(address: str, program: str, clients: int, seconds: float) -> dict:
    """``clients`` loops sending one-point requests back to back for ``seconds``."""
    source, point = PROGRAMS[program]
    rng = np.random.default_rng(clients)
    requests = [gradient_request(source, point(rng), {}) for _ in range(16)]
    return await closed_loop(address, requests, clients, seconds, timeout=60, options=(
        ("grpc.max_send_message_length", 64 << 20),
        ("grpc.max_receive_message_length", 64 << 20)), max_requests=MAX_REQUESTS_PER_CLIENT)


def kernel_costs(program: str, batch: int = 256) -> tuple[float, float]:
    """(one request's kernel call alone, its share of a batch of ``batch``),
    seconds, as the server's batcher runs them (inputs stacked along the
    points axis, weights sent alike passed once; per-point gradients)."""
    from chainlens.engine.numeric.kernel import compile as compile_kernel
    from chainlens.server.rpc.batcher import _stacked  # what the batcher does

    source, point = PROGRAMS[program]
    kernel = compile_kernel(source)
    rng = np.random.default_rng(0)
    points = [point(rng) for _ in range(batch)]
    one = {n: (np.asarray(v)[None] if np.ndim(v) else v) for n, v in points[0].items()}
    stacked = {n: _stacked([np.asarray(p[n], dtype=float)[None] for p in points]) for n in one}

    def best(fn, repeat: int) -> float:
        fn()
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return min(times)
    alone = best(lambda: kernel(one), 20)
    batched = best(lambda: kernel({n: np.array(v) for n, v in stacked.items()}), 5)
    return alone, batched / batch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="per run (default 2)")
    parser.add_argument("--clients", default="256", help="comma-separated (default 256)")
    parser.add_argument("--programs", default="mlp64,mlp256,chain,vchain",
                        help=f"comma-separated, of {', '.join(PROGRAMS)}")
    parser.add_argument("--quick", action="store_true", help="64 clients, 1 s rows, once")
    parser.add_argument("--repeats", type=int, default=3,
                        help="runs of each row, on and off alternating (default 3; medians)")

    args = parser.parse_args()
    clients = [64] if args.quick else [int(c) for c in args.clients.split(",")]
    seconds = 1.0 if args.quick else args.seconds
    if args.quick:
        args.repeats = 1
    programs = [p for p in args.programs.split(",") if p]
    if "floor" not in programs:
        programs.append("floor")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"OPENBLAS_NUM_THREADS={BLAS_THREADS}", flush=True)

    results: dict = {}
    servers = {}
    try:
        for mode, flags in MODES.items():
            servers[mode] = start_server(flags, BLAS_THREADS)
        for program in programs:
            for n in clients:
                # on and off alternate, so that a change in the machine's
                # load hits both; medians over the repeats
                rows: dict = {"on": [], "off": []}
                for _ in range(args.repeats):
                    for mode, server in servers.items():
                        before = server.batches()
                        row = asyncio.run(load(server.address, program, n, seconds))
                        after = server.batches()
                        calls = after[0] - before[0]
                        row["batch"] = (after[1] - before[1]) / calls if calls else 0.0
                        rows[mode].append(row)
                        print(f"  batching {mode:>3}, {program:>7}, {n:>3} clients: "
                              f"{row['rps']:7.0f} req/s", file=sys.stderr, flush=True)
                for mode, got in rows.items():
                    results[mode, program, n] = {
                        key: float(np.median([r[key] for r in got]))
                        for key in ("rps", "p50", "p99", "batch")}
                    results[mode, program, n]["errors"] = sum(r["errors"] for r in got)
    finally:
        for server in servers.values():
            server.stop()

    print(f"\ngRPC Gradient, one point per request, median of {args.repeats} runs of "
          f"{seconds:g} s, on and off alternating; batching on = "
          f"max batch 1024 points, timeout {TIMEOUT_MS:g} ms; off = max batch 1\n")
    head = (f"{'program':>7} {'clients':>7} | {'off req/s':>9} {'p50 ms':>7} {'p99 ms':>7} | "
            f"{'on req/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'batch':>6} | {'on/off':>6}")
    print(head)
    print("-" * len(head))
    for program in programs:
        for n in clients:
            off, on = results["off", program, n], results["on", program, n]
            ratio = on["rps"] / off["rps"] if off["rps"] else float("nan")
            errors = off["errors"] + on["errors"]
            print(f"{program:>7} {n:>7} | {off['rps']:9.0f} {off['p50']:7.2f} {off['p99']:7.2f} | "
                  f"{on['rps']:9.0f} {on['p50']:7.2f} {on['p99']:7.2f} {on['batch']:6.1f} | "
                  f"{ratio:5.2f}x" + (f"  ({errors} errors)" if errors else ""))
    print("\nbatch = mean requests per kernel call the server formed (from its metrics).")

    n = max(clients)
    print(f"\nWhere the time goes at {n} clients: the kernel call measured in this process "
          "(no gRPC), alone and as its share of one call over 256 requests, beside the "
          "machine's time per request through gRPC (1 / throughput; client and server "
          "share the cores).  Batching can only remove per-call costs: with batching off, "
          "a request's kernel call plus its hand-off to a worker thread.\n")
    head = (f"{'program':>7} | {'kernel alone':>12} {'in a batch of 256':>17} | "
            f"{'per request off':>15} {'on':>9} | {'kernel / off':>12}")
    print(head)
    print("-" * len(head))
    for program in programs:
        alone, share = kernel_costs(program)
        off, on = (1.0 / results[m, program, n]["rps"] for m in ("off", "on"))
        print(f"{program:>7} | {alone * 1e3:9.3f} ms {share * 1e3:14.3f} ms | "
              f"{off * 1e3:12.2f} ms {on * 1e3:6.2f} ms | {alone / off:11.0%}")
    print(f"\nLittle's law: {n} clients in a closed loop wait {n} / throughput on average; "
          f"p99 <= {TIMEOUT_MS:g} ms + 10 ms needs {n / (TIMEOUT_MS + 10) * 1e3:.0f} req/s.")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
