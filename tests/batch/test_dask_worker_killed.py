"""A Dask worker killed with SIGKILL in the middle of a batch (issue #16):
its chunks are run again elsewhere, and the output holds every record once,
the same bytes as a run in one process -- nothing lost, nothing twice."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest
from chainlens.cli import batchrun_backends
from chainlens.cli.batchrun import BatchOptions, run_batch
from chainlens.cli.batchrun_backends import DaskBackend

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "jobs.jsonl"


def _run(tmp_path: Path, name: str, **kw) -> bytes:
    out = tmp_path / f"{name}.jsonl"
    batchrun_backends._by_content.cache_clear()
    summary = run_batch(BatchOptions(input=str(EXAMPLES), output=str(out), progress=False, **kw))
    assert summary.jobs == 300 and summary.ok + summary.failed == 300
    return out.read_bytes()


@pytest.mark.timeout(600)
def test_a_dask_worker_killed_mid_run_loses_and_duplicates_no_record(tmp_path, monkeypatch):
    serial = _run(tmp_path, "serial", scheduler="local", workers=1)
    killed: list[int] = []
    real_map = DaskBackend.map

    def map_and_kill(self, chunks, window, on_done):
        finished = [0]

        def done(n):
            on_done(n)
            finished[0] += 1
            if finished[0] == 2 and not killed:
                # a worker busy with a chunk right now
                busy = [w for w, keys in self.client.processing().items() if keys]
                pids = self.client.run(os.getpid, workers=busy[:1])
                for pid in pids.values():
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)

        return real_map(self, chunks, window, done)

    monkeypatch.setattr(DaskBackend, "map", map_and_kill)
    out = _run(tmp_path, "dask", scheduler="dask", workers=2, chunk_size=8)
    assert killed, "no worker was busy when the second chunk finished"
    ids = [json.loads(line)["id"] for line in out.decode().splitlines()]
    assert len(ids) == len(set(ids)) == 300
    assert out == serial
