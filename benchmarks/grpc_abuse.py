"""The gRPC service under abuse (issue #16): the latency of cheap requests
while expensive ones run.

A ``chainlens serve`` process on 127.0.0.1 gets the mix of
tests/rpc/abuse_mix.py -- malformed, hostile, expensive (stopped at a 3 s
deadline), cancelled and good requests, 24 in flight -- and every answer is
checked (the good ones numerically).  Printed: the cheap Gradients' p50/p99
latency (all of them, and those sent while heavy requests were in flight:
the issue's goal is 50 ms on 2 cores), the Differentiate latencies in the
server and in its worker processes, the counts by status code, the RSS of
the server with its worker processes before and after, how many worker
processes were killed at a deadline or on cancellation (from the server's
metrics), and the load average of the machine.

    .venv/bin/python benchmarks/grpc_abuse.py            # 10,000 requests, a few minutes
    .venv/bin/python benchmarks/grpc_abuse.py --quick    # 1,000 requests
    .venv/bin/python benchmarks/grpc_abuse.py --quick --baseline   # the cheap ones alone

The CI test (tests/rpc/test_abuse_load.py) runs the same mix, asserting
correctness, codes, RSS and health, not these timings.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.rpc.abuse_mix import WEIGHTS, run_load, summary  # noqa: E402

BIN = Path(sys.executable).parent


def _metric(text: str, name: str) -> dict[str, float]:
    """label text -> value of one metric family."""
    found = {}
    for labels, value in re.findall(rf"^{name}(\{{[^}}]*\}})?\s+(\S+)$", text, re.M):
        found[labels or ""] = float(value)
    return found


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="1,000 requests instead of 10,000")
    p.add_argument("--requests", type=int, default=None)
    p.add_argument("--concurrency", type=int, default=24)
    p.add_argument("--baseline", action="store_true",
                   help="cheap requests only (good Gradients and cheap Differentiates, in the "
                        "mix's proportions): the latency the machine gives without abuse")
    args = p.parse_args(argv)
    requests = args.requests or (1_000 if args.quick else 10_000)
    proc = subprocess.Popen([str(BIN / "chainlens"), "serve", "--port", "0", "--host",
                             "127.0.0.1", "--metrics-port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        address = re.search(r"on (127\.0\.0\.1:\d+)", proc.stdout.readline()).group(1)
        metrics_url = re.search(r"(http://\S+/metrics)", proc.stdout.readline()).group(1)
        load_before = os.getloadavg()
        weights = {"good": WEIGHTS["good"], "diff": WEIGHTS["diff"]} if args.baseline else None
        stats = asyncio.run(run_load(address, proc.pid, requests, args.concurrency,
                                     weights=weights))
        load_after = os.getloadavg()
        text = urllib.request.urlopen(metrics_url, timeout=5).read().decode()
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    print(summary(stats))
    isolated = {k[9:-2]: int(v) for k, v in _metric(text, "chainlens_isolated_total").items()}
    stopped = {k[9:-2]: int(v) for k, v in _metric(text, "chainlens_stopped_total").items()}
    print(f"sent to worker processes, by method: {isolated}; computations stopped "
          f"(worker killed and replaced): {stopped}")
    print("load average (1, 5, 15 min): before "
          + ", ".join(f"{x:.2f}" for x in load_before) + "; after "
          + ", ".join(f"{x:.2f}" for x in load_after) + f" ({os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
