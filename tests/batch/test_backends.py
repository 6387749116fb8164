"""Every backend writes the same bytes: in-process, a local process pool,
and Dask distributed: ``--scheduler dask`` (a 2-worker ``LocalCluster`` of
real processes, ``processes=True``) and ``--scheduler tcp://...`` (a running
cluster reached by its address, as a remote one would be)."""

from __future__ import annotations

from pathlib import Path

import pytest
from chainlens.cli import batchrun_backends
from chainlens.cli.batchrun import BatchOptions, run_batch

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "jobs.jsonl"


def _run(tmp_path: Path, name: str, **kw) -> bytes:
    out = tmp_path / f"{name}.jsonl"
    batchrun_backends._by_content.cache_clear()  # in-process runs must compute, not remember
    summary = run_batch(BatchOptions(input=str(EXAMPLES), output=str(out), progress=False, **kw))
    assert summary.jobs == 300 and summary.ok + summary.failed == 300
    return out.read_bytes()


@pytest.fixture(scope="module")
def serial(tmp_path_factory) -> bytes:
    return _run(tmp_path_factory.mktemp("serial"), "serial", scheduler="local", workers=1)


@pytest.mark.parametrize("chunk_size", [1, 64])
def test_process_pool_matches_in_process(serial, tmp_path, chunk_size):
    pool = _run(tmp_path, "pool", scheduler="local", workers=2, chunk_size=chunk_size)
    assert pool == serial


def test_dask_local_cluster_matches_in_process(serial, tmp_path):
    assert _run(tmp_path, "dask", scheduler="dask", workers=2, chunk_size=16) == serial


def test_dask_by_address_matches_in_process(serial, tmp_path):
    from distributed import LocalCluster

    # Worker threads in this process (quick to start); the client still
    # talks to the scheduler over TCP, as it would to a remote cluster.
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp",
                      dashboard_address=None, silence_logs=40) as cluster:
        out = _run(tmp_path, "tcp", scheduler=cluster.scheduler_address, workers=2)
    assert out == serial
