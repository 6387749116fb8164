"""``chainlens batch`` end to end, as a shell or a CI step runs it: real
subprocesses, real pipes, a real terminal (a pty) for the progress bar."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "jobs.jsonl"
CHAINLENS = [sys.executable, "-m", "chainlens.cli.main", "batch"]


def _run(*args, stdin: bytes | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*CHAINLENS, *args], input=stdin, capture_output=True, timeout=120,
                          cwd=ROOT, **kw)


def _example_ids() -> list:
    ids = []
    for number, line in enumerate(EXAMPLES.read_text().splitlines(), start=1):
        try:
            ids.append(json.loads(line)["id"])
        except json.JSONDecodeError:
            ids.append(number)  # an unreadable line is reported under its line number
    return ids


@pytest.fixture(scope="module")
def piped() -> subprocess.CompletedProcess:
    return _run("-", "--workers", "2", stdin=EXAMPLES.read_bytes())


def test_stdin_to_stdout_gives_one_whole_record_per_job_in_input_order(piped):
    assert piped.returncode == 0, piped.stderr.decode()
    records = [json.loads(line) for line in piped.stdout.decode().splitlines()]
    assert [r["id"] for r in records] == _example_ids()


def test_piped_run_is_quiet_except_for_the_summary(piped):
    err = piped.stderr.decode()
    assert err.count("\n") == 1 and err.startswith("chainlens batch: 300 jobs (")
    assert "\x1b" not in err  # no progress bar, no colour codes


def test_file_output_is_the_same_bytes_as_stdout(piped, tmp_path):
    out = tmp_path / "out" / "records.jsonl"
    done = _run(str(EXAMPLES), "-o", str(out), "--workers", "1", "-q")
    assert done.returncode == 0 and done.stderr == b"" and done.stdout == b""
    assert out.read_bytes() == piped.stdout


def test_strict_fails_when_a_job_failed(tmp_path):
    jobs = b'{"id": 1, "expr": "x^2"}\n{"id": 2}\n'
    assert _run("-", "--strict", "-q", stdin=jobs).returncode == 1
    assert _run("-", "-q", stdin=jobs).returncode == 0


def test_progress_bar_on_a_terminal(tmp_path):
    out = tmp_path / "out.jsonl"
    leader, follower = pty.openpty()
    proc = subprocess.Popen([*CHAINLENS, str(EXAMPLES), "-o", str(out), "--workers", "1"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=follower, cwd=ROOT, env={**os.environ, "COLUMNS": "100"})
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    assert proc.wait(timeout=120) == 0
    text = seen.decode(errors="replace")
    assert "300/300" in text and "━" in text
    assert "chainlens batch: 300 jobs" in text


def test_csv_input_gives_the_same_records_as_json_lines(tmp_path):
    jobs = [json.loads(line) for line in EXAMPLES.read_text().splitlines()[:80]
            if line.startswith("{") and line.endswith("}")]
    jsonl = "".join(json.dumps(j) + "\n" for j in jobs).encode()
    buf = io.StringIO()
    columns = ["id", "expr", "wrt", "at", "claim", "formats", "steps", "health"]
    writer = csv.DictWriter(buf, columns)
    writer.writeheader()
    for job in jobs:
        row = {}
        for key, value in job.items():
            if key in ("at",):
                value = json.dumps(value)
            elif key in ("wrt", "formats") and isinstance(value, list):
                value = ",".join(value)
            elif isinstance(value, bool):
                value = "true" if value else "false"
            row[key] = value
        writer.writerow(row)
    path = tmp_path / "jobs.csv"
    path.write_text(buf.getvalue())
    from_csv = _run(str(path), "-q", "--workers", "1")
    from_jsonl = _run("-", "-q", "--workers", "1", stdin=jsonl)
    assert from_csv.returncode == 0, from_csv.stderr.decode()
    assert from_csv.stdout == from_jsonl.stdout and from_csv.stdout.count(b"\n") == len(jobs)


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_a_line_that_is_not_utf8_fails_alone(tmp_path, source):
    data = b'{"id": "a", "expr": "x"}\n\xff\xfe{"id": "b"}\n{"id": "c", "expr": "x^2"}\n'
    path = tmp_path / "jobs.jsonl"
    path.write_bytes(data)
    done = (_run(str(path), "-q", "--workers", "1") if source == "file"
            else _run("-", "-q", "--workers", "1", stdin=data))
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["ok"] for r in records] == [True, False, True]
    assert records[1]["error"]["line"] == 2
