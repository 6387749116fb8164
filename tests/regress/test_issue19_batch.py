"""#19, batch: record size, points checked before work, duplicate ids,
no process left behind by kill -9, and honest messages on failure."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from chainlens.engine.api import jobs

CHAINLENS = str(Path(sys.executable).with_name("chainlens"))


def _residual(layers: int) -> str:
    return f"h = x\nrepeat k in 1..{layers} {{ h = h + relu(w*h + b) }}\ny = h"


def test_conditions_beyond_the_cap_are_counted_not_listed(monkeypatch):
    """A 50-layer residual ReLU net has a condition per layer and variable,
    each as long as the net: one 140-character job wrote 440 MB."""
    monkeypatch.setattr(jobs, "MAX_CONDITIONS", 5)
    line, ok = jobs.encode_record(jobs.run_job(
        {"id": "deep", "expr": _residual(14), "wrt": "x", "formats": ["latex"]}))
    record = json.loads(line)
    assert ok and record["ok"]
    assert len(record["conditions"]["x"]) == 5
    assert record["truncated"] == ["conditions: 9 more not listed (a record lists at most 5)"]


def test_condition_text_is_clipped():
    line = jobs.encode(jobs.run_job({"id": 1, "expr": _residual(14), "wrt": "x"}))
    record = json.loads(line)
    sizes = [len(v) for c in record["conditions"]["x"] for v in c.values()]
    assert max(sizes) <= jobs.MAX_CONDITION_CHARS
    assert len(line) < 150_000  # was 514 kB, and it grows exponentially with depth


def test_a_record_over_the_byte_limit_becomes_a_limit_error(monkeypatch):
    monkeypatch.setattr(jobs, "MAX_RECORD_BYTES", 300)
    line, ok = jobs.encode_record(jobs.run_job(
        {"id": "big", "expr": "sin(x)*cos(x)*exp(x)", "formats": ["text", "latex", "python"],
         "steps": True}))
    record = json.loads(line)
    assert not ok and record["id"] == "big" and record["error"]["kind"] == "LimitError"
    assert "the limit is 300" in record["error"]["message"]


def test_a_missing_input_fails_before_any_work():
    started = time.perf_counter()
    record = jobs.run_job({"id": 1, "expr": _residual(40) + " * z", "at": {"x": 0.5, "w": 1,
                                                                         "b": 0.1}})
    elapsed = time.perf_counter() - started
    assert record["ok"] is False and record["error"]["kind"] == "JobError"
    assert record["error"]["message"] == "'at' has no value for 'z'"
    assert elapsed < 0.5, f"{elapsed:.2f} s: the derivatives were computed first"


def test_a_missing_input_in_a_list_of_points_names_the_point():
    record = jobs.run_job({"id": 1, "expr": "x*y", "at": [{"x": 1, "y": 2}, {"x": 1}]})
    assert record["error"]["message"] == "point 2 of 'at' has no value for 'y'"


def test_a_missing_input_at_the_programs_own_point():
    record = jobs.run_job({"id": 1, "expr": "@at x = 1\ny = x*z"})
    assert record["error"]["message"] == "'at' has no value for 'z'"


def test_duplicate_ids_keep_the_id_and_say_where_it_was_first(tmp_path):
    src = tmp_path / "dup.jsonl"
    src.write_text('{"id": "a", "expr": "x"}\n{"id": "b", "expr": "x"}\n'
                   '{"id": "a", "expr": "x^2"}\n')
    out = tmp_path / "dup.out.jsonl"
    done = subprocess.run([CHAINLENS, "batch", str(src), "-o", str(out), "-q"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    records = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["id"] for r in records] == ["a", "b", "a"]
    assert records[0]["ok"] and records[1]["ok"] and not records[2]["ok"]
    assert "duplicate id 'a', first seen at line 1" in records[2]["error"]["message"]
    assert records[2]["error"]["line"] == 3


def test_no_resume_advice_for_a_missing_input_file(tmp_path):
    """#15: a missing input file is not a killed run; there is no output
    file to resume from."""
    out = tmp_path / "big.out.jsonl"
    done = subprocess.run([CHAINLENS, "batch", str(tmp_path / "jobs.jsonl"), "-o", str(out)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "chainlens batch: error:" in done.stderr and "--resume" not in done.stderr


def test_no_resume_advice_for_an_unreachable_scheduler(tmp_path, monkeypatch, capsys):
    from chainlens.cli import batch
    from chainlens.cli.main import main

    def unreachable(opts):
        raise OSError("Timed out trying to connect to tcp://127.0.0.1:9 after 10 s")

    monkeypatch.setattr(batch, "run_batch", unreachable)
    src = tmp_path / "jobs.jsonl"
    src.write_text('{"id": 1, "expr": "x"}\n')
    out = tmp_path / "big.out.jsonl"
    assert main(["batch", str(src), "-o", str(out), "--scheduler", "tcp://127.0.0.1:9"]) != 0
    assert "--resume" not in capsys.readouterr().err
    out.write_text('{"id": 1, "ok": true}\n')  # records that are there: say so
    assert main(["batch", str(src), "-o", str(out), "--scheduler", "tcp://127.0.0.1:9"]) != 0
    assert "rerun with --resume" in capsys.readouterr().err


def _slow(i: int) -> str:
    """A job of several seconds (80 residual tanh layers, each its own
    weights), made distinct by ``i`` so that no cache answers it."""
    return ("h = x\nrepeat k in 1..80 { h = h + tanh(w_k*h + b_k) }\n"
            f"y = h + {i}")


def _descendants(pids: set[int]) -> set[int]:
    """Every live process whose parent chain reaches ``pids``."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    stat = fh.read().decode()
            except OSError:
                continue
            fields = stat[stat.rfind(")") + 2:].split()
            if fields[0] not in "ZX":
                parents[int(entry)] = int(fields[1])
    found, grew = set(), True
    while grew:
        new = {p for p, pp in parents.items() if (pp in pids or pp in found) and p not in found}
        found |= new
        grew = bool(new)
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read().decode()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2:].split()[0] not in "ZX"


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
def test_kill_9_of_the_batch_leaves_no_process(tmp_path):
    src = tmp_path / "slow.jsonl"
    src.write_text("".join(json.dumps({"id": i, "expr": _slow(i), "health": True}) + "\n"
                           for i in range(8)))
    proc = subprocess.Popen([CHAINLENS, "batch", str(src), "-o", str(tmp_path / "o.jsonl"),
                             "--workers", "2", "--chunk-size", "1", "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        children: set[int] = set()
        while time.monotonic() < deadline and len(children) < 3:
            children = _descendants({proc.pid})
            time.sleep(0.1)
        assert children, "the batch started no worker"
        time.sleep(0.5)
        children |= _descendants({proc.pid})
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=5)
        deadline = time.monotonic() + 5
        while any(_alive(p) for p in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        survivors = sorted(p for p in children if _alive(p))
    finally:
        with_group = proc.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(with_group, signal.SIGKILL)
    assert not survivors, f"{len(survivors)} of {len(children)} processes outlived the batch"
