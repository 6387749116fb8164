"""The batch progress bar's time left (#15): "starting workers" until the first
results, no estimate before a few chunks, then the steady rate since the first
results, so start-up time and bursts do not make it jump."""

from __future__ import annotations

import pytest
from chainlens.cli import batchrun


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(batchrun.time, "perf_counter", c)
    return c


def bar(total: int) -> batchrun._Progress:
    return batchrun._Progress(True, total, workers=2)


def test_starting_workers_until_the_first_results(clock):
    p = bar(1000)
    assert "starting 2 worker(s)" in p.bar.tasks[0].description
    clock.now += 7.0  # the pool starts
    p.advance(10)
    assert p.bar.tasks[0].description == "batch"
    assert p.bar.tasks[0].fields["eta"] == "eta –:––"
    p.close()


def test_the_estimate_is_the_steady_rate_since_the_first_results(clock):
    p = bar(1000)
    clock.now += 7.0  # start-up: not part of the rate
    p.advance(10)
    etas = []
    for _ in range(20):  # 10 jobs a second, in bursts of 20 every 2 s
        clock.now += 2.0
        p.advance(20)
        etas.append(p.bar.tasks[0].fields["eta"])
    # after the warm-up every estimate is exact: jobs left / 10 per second
    done = 10 + 20 * 20
    assert etas[-1] == f"eta {(1000 - done) // 10 // 60}:{(1000 - done) // 10 % 60:02d}"
    seconds = [int(e.split()[1].split(":")[0]) * 60 + int(e.split(":")[1]) for e in etas[2:]]
    assert all(a - b == 2 for a, b in zip(seconds, seconds[1:], strict=False))  # 20 jobs: 2 s
    p.close()


def test_no_estimate_without_a_total(clock):
    p = bar(None)
    for _ in range(5):
        clock.now += 1.0
        p.advance(3)
    assert p.bar.tasks[0].fields["eta"] == "eta –:––"
    p.close()
