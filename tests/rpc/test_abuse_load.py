"""gRPC under abuse (issue #16): a mixed load of malformed, hostile,
expensive, cancelled and good requests against a ``chainlens serve``
process (the mix: tests/rpc/abuse_mix.py).

Every good answer is checked numerically (the neuron's gradient against its
hand-written oracle, derivatives at a point against central differences,
some of them computed by the server's worker processes); every refusal is a
proper status code (never UNKNOWN or INTERNAL); the server's RSS, with its
worker processes, stays bounded; health is SERVING after and the service
still answers.  Timings are the benchmark's (benchmarks/grpc_abuse.py,
which runs the issue's 10,000 requests and prints p99 latencies, RSS and
the counts by status code); here only a generous bound: cheap requests are
not held for the whole of an expensive one's deadline.

    CHAINLENS_ABUSE_REQUESTS=10000 .venv/bin/python -m pytest -q -s tests/rpc/test_abuse_load.py

prints the same figures (``-s``).
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from grpc_health.v1 import health_pb2

from tests.rpc.abuse_mix import run_load, summary

REQUESTS = int(os.environ.get("CHAINLENS_ABUSE_REQUESTS", "1000"))
RSS_LIMIT_MB = 2500  # the server and its two worker processes together
#: The expensive requests' deadline: a cheap request held behind one for all
#: of it would take this long.
EXPENSIVE_DEADLINE = 3.0
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def server():
    proc = subprocess.Popen([str(BIN / "chainlens"), "serve", "--port", "0", "--host",
                             "127.0.0.1"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    try:
        line = proc.stdout.readline()
        address = re.search(r"on (127\.0\.0\.1:\d+)", line).group(1)
        yield proc, address
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def load(server):
    proc, address = server
    stats = asyncio.run(run_load(address, proc.pid, REQUESTS))
    print("\n" + summary(stats))
    return stats


@pytest.mark.timeout(3600)
def test_every_answer_checked_every_refusal_a_code_rss_bounded_health_serving(server, load):
    proc, _ = server
    assert sum(load["done"].values()) == REQUESTS  # every answer checked in abuse_mix._one
    assert load["health"] == health_pb2.HealthCheckResponse.SERVING
    assert load["after"] > 0  # answered after the abuse
    assert proc.poll() is None
    assert max(load["rss"]) < RSS_LIMIT_MB
    assert not {"UNKNOWN", "INTERNAL"} & set(load["codes"])
    assert load["codes"].get("DEADLINE_EXCEEDED", 0) > 0  # expensive work was stopped


def test_cheap_requests_are_not_held_behind_expensive_ones(load):
    # Generous (a shared 2-core machine): the figure is the benchmark's.
    # Before #16 symbolic work held the GIL and the p99 was 1.7 s.
    assert load["latency_heavy"], "no cheap request overlapped an expensive one"
    assert load["p99_heavy"] < EXPENSIVE_DEADLINE / 3
    assert max(load["latency"]) < EXPENSIVE_DEADLINE
    assert len(load["probe"]) > 50 and max(load["probe"]) < EXPENSIVE_DEADLINE
