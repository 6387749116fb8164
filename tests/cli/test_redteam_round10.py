"""Round 10's red team (P2): the CLI's error lines, notebook places and the
small inconsistencies it listed, run as a user runs them (a subprocess)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHAINLENS = ROOT / ".venv" / "bin" / "chainlens"


def chainlens(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHAINLENS), *args], capture_output=True, text=True, timeout=180,
                          cwd=cwd)


# ---- P2-3, P2-4, P2-5: one message for a binary file, a window around the caret, the place once


def test_a_binary_file_gets_one_message_in_every_command(tmp_path):
    path = tmp_path / "bin.chain"
    path.write_bytes(b"\xb1\x00\xff" * 300)
    want = f"{path} is not UTF-8 text (byte 0)"
    for command in ("parse", "diff", "health"):
        run = chainlens(command, str(path))
        assert run.returncode == 2, (command, run.stdout, run.stderr)
        assert want in run.stdout + run.stderr, (command, run.stdout, run.stderr)
        assert "codec" not in run.stdout + run.stderr
    assert chainlens("health", str(path)).stdout.strip() == f"{path}:1:1: error: {want} [read]"


def test_a_long_line_is_cut_around_the_caret(tmp_path):
    path = tmp_path / "deep.chain"
    path.write_text("x = " + "(" * 5000 + "y" + ")" * 5000 + "\n", encoding="utf-8")
    run = chainlens("parse", str(path))
    assert run.returncode == 2
    lines = run.stderr.splitlines()
    assert len(run.stderr) < 400, run.stderr  # was 10,327 bytes
    text, caret = lines[-2], lines[-1]
    assert text.startswith("  ...") and text.endswith("...") and len(text) <= 100
    assert caret.strip() == "^" and text[caret.index("^")] == "("  # the caret under a bracket


def test_a_caret_in_a_long_line_points_at_the_offending_character(tmp_path):
    path = tmp_path / "wide.chain"
    path.write_text("x = " + " + ".join(["y"] * 60) + " 4 + " + " + ".join(["y"] * 60) + "\n",
                    encoding="utf-8")
    run = chainlens("parse", str(path))
    text, caret = run.stderr.splitlines()[-2:]
    assert "unexpected '4'" in run.stderr
    assert text[caret.index("^")] == "4" and len(text) <= 100


def test_health_names_the_place_once_and_labels_a_limit(tmp_path):
    syn = tmp_path / "syn.py"
    syn.write_text("def f(x):\n    return (x\n", encoding="utf-8")
    run = chainlens("health", str(syn))
    assert run.stdout.strip() == f"{syn}:2:12: error: '(' was never closed [parse]", run.stdout
    deep = tmp_path / "deep.chain"
    deep.write_text("x = " + "(" * 300 + "y" + ")" * 300 + "\n", encoding="utf-8")
    run = chainlens("health", str(deep))
    line = run.stdout.strip()
    assert line.startswith(f"{deep}:1:") and line.endswith("[limit]"), line
    assert line.count(":1:") == 1 and "nested more than" in line
    sarif = json.loads(chainlens("health", str(deep), "--format", "sarif").stdout)
    message = sarif["runs"][0]["results"][0]["message"]["text"]
    assert message.startswith("brackets nested more than"), message  # the place is the location


# ---- P2-18: small inconsistencies


def test_empty_inputs_are_errors_that_say_so():
    run = chainlens("parse", "")
    assert run.returncode == 2 and "nothing to parse" in run.stderr, run.stderr
    run = chainlens("check", "")
    assert run.returncode == 2 and "nothing to check" in run.stderr, run.stderr
    assert "no such file" not in run.stderr


def test_grad_at_with_an_unclosed_list_and_negative_paths():
    run = chainlens("grad", "x^2", "--at", "x=[1,2")
    assert run.returncode == 2 and "unclosed '['" in run.stderr, run.stderr
    run = chainlens("grad", "x^2", "--at", "x=1]")
    assert run.returncode == 2 and "closes no '['" in run.stderr, run.stderr
    run = chainlens("grad", "x^2", "--at", "x=1", "--paths", "-3")
    assert run.returncode == 2 and "--paths" in run.stderr, run.stderr
    run = chainlens("grad", "x^2", "--at", "x=1.5", "--paths", "0")
    assert run.returncode == 0 and "∂f/∂x = 3" in run.stdout  # 2x at 1.5, by hand


def test_check_derivative_with_two_wrt_names_says_what_was_given():
    run = chainlens("check-derivative", "x^2", "2x", "--wrt", "x,y")
    assert run.returncode == 2
    assert "--wrt x,y names 2 variables" in run.stderr and "the expression has" not in run.stderr
    ok = chainlens("check-derivative", "x^2*y", "2x*y", "--wrt", "x")
    assert ok.returncode == 0  # d/dx x²y = 2xy


def test_batch_output_to_a_folder_is_a_sentence(tmp_path):
    jobs = tmp_path / "j.jsonl"
    jobs.write_text('{"id": 1, "expr": "x^2", "wrt": "x"}\n', encoding="utf-8")
    run = chainlens("batch", str(jobs), "-o", str(tmp_path) + "/")
    assert run.returncode == 2
    assert "is a directory; -o takes the file" in run.stderr and "Errno" not in run.stderr
    out = tmp_path / "o.jsonl"
    assert chainlens("batch", str(jobs), "-o", str(out), "-q").returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))["derivative"]["x"]["text"] == "2*x"
