"""Kill ``chainlens batch`` with SIGKILL in the middle of a run, resume it,
and check nothing was lost or doubled: every id exactly once, in input
order, every line a whole JSON record, the same bytes as an unbroken run where the kill fell."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from chainlens.cli.batchrun_backends import run_chunk

ROOT = Path(__file__).resolve().parents[2]
CHAINLENS = [sys.executable, "-m", "chainlens.cli.main", "batch"]
N_JOBS = 3000


def _write_jobs(path: Path) -> list:
    """Distinct, cheap jobs (so the content cache cannot skip any), with a
    bad one every hundred so error records are resumed too."""
    jobs = []
    for i in range(N_JOBS):
        job = {"id": f"j{i:05d}", "expr": f"sin({i % 97 + 1}*x^{i % 5 + 2} + {i})", "wrt": "x"}
        if i % 3 == 0:
            job["at"] = {"x": i / N_JOBS}
        if i % 100 == 99:
            job["expr"] = f"sin(x^{i}"
        jobs.append(job)
    path.write_text("".join(json.dumps(j) + "\n" for j in jobs))
    return [j["id"] for j in jobs]


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def test_kill_9_then_resume_gives_every_job_exactly_once(tmp_path):
    jobs, out = tmp_path / "jobs.jsonl", tmp_path / "out.jsonl"
    ids = _write_jobs(jobs)
    args = [str(jobs), "-o", str(out), "--workers", "2", "--chunk-size", "25", "-q"]

    proc = subprocess.Popen([*CHAINLENS, *args], cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 60
    while _lines(out) < 100 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    os.killpg(proc.pid, signal.SIGKILL)  # the runner and its pool workers, no clean-up
    proc.wait(timeout=10)
    written = _lines(out)
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    assert 0 < written < N_JOBS

    resumed = subprocess.run([*CHAINLENS, *args, "--resume"], cwd=ROOT, capture_output=True,
                             timeout=120)
    assert resumed.returncode == 0, resumed.stderr.decode()
    records = [json.loads(line) for line in out.read_text().splitlines()]  # every line whole
    assert [r["id"] for r in records] == ids  # each id once, in input order

    # around the place of the kill, the bytes of an unbroken run
    near = slice(max(0, written - 30), written + 30)
    jobs_near = [(json.loads(j), None) for j in jobs.read_text().splitlines()[near]]
    assert out.read_text().splitlines()[near] == [line for line, _ in run_chunk(jobs_near)]


def test_resume_after_a_torn_write_drops_the_partial_record(tmp_path):
    """What ``kill -9`` in the middle of ``write()`` leaves: half a line."""
    jobs, out = tmp_path / "jobs.jsonl", tmp_path / "out.jsonl"
    jobs.write_text("".join(json.dumps({"id": i, "expr": f"x^{i}"}) + "\n" for i in range(1, 41)))
    base = [*CHAINLENS, str(jobs), "-o", str(out), "--workers", "1", "-q"]
    subprocess.run(base, cwd=ROOT, check=True, timeout=60)
    whole = out.read_bytes()
    lines = whole.splitlines(keepends=True)
    out.write_bytes(b"".join(lines[:17]) + lines[17][: len(lines[17]) // 2])

    summary = subprocess.run([*base[:-1], "--resume"], cwd=ROOT, capture_output=True, timeout=60)
    assert summary.returncode == 0
    assert out.read_bytes() == whole
    assert "23 jobs (" in summary.stderr.decode() and "17 already done" in summary.stderr.decode()


def test_resume_against_another_input_is_refused(tmp_path):
    jobs, out = tmp_path / "jobs.jsonl", tmp_path / "out.jsonl"
    jobs.write_text('{"id": "a", "expr": "x"}\n{"id": "b", "expr": "x"}\n')
    out.write_text('{"id":"z","ok":true}\n')
    done = subprocess.run([*CHAINLENS, str(jobs), "-o", str(out), "--resume", "-q"], cwd=ROOT,
                          capture_output=True, timeout=60)
    assert done.returncode != 0 and b"not the same input" in done.stderr
    assert out.read_text() == '{"id":"z","ok":true}\n'  # untouched
