"""Red team R12, R19: one function of a Python file that cannot be analysed
(``x @ W`` of parameters, whose shapes are not known; a function past
MAX_HEALTH_NODES) is a skip of that function in words, exit 0; the file's
other functions are still analysed.  It used to be a "parse" error of the
whole file, exit 2, and nothing else of the file was judged."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHAINLENS = ROOT / ".venv" / "bin" / "chainlens"

MATMUL = '''import numpy as np


def two_layer(x, W1, b1, W2, b2):
    h = np.tanh(x @ W1 + b1)
    return h @ W2 + b2


def inverse(x):
    return 1 / x


def square(x):
    return x**2
'''


def _health(path: Path, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHAINLENS), "health", str(path), *flags], capture_output=True,
                          text=True, timeout=240)


def test_matmul_of_parameters_is_a_skip_of_that_function(tmp_path):
    path = tmp_path / "mlp.py"
    path.write_text(MATMUL)
    proc = _health(path, "-v", "--threshold", "info")
    # exit 1: inverse's finding (1/x is singular at 0) reaches --threshold info;
    # not 2, the file is valid Python
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "[parse]" not in proc.stdout
    assert f"{path}:10:5: info: |∂inverse/∂x| is unbounded" in proc.stdout, proc.stdout
    assert (f"{path}:5:17: note: two_layer not read: @ of parameters whose shapes are not "
            "known") in proc.stdout, proc.stdout
    data = json.loads(_health(path, "--format", "json").stdout)["files"][0]
    assert [u["label"] for u in data["units"]] == ["inverse", "square"]
    assert [s["name"] for s in data["skipped"]] == ["two_layer"]
    # the square function (2x, bounded on [-1, 1]) is analysed and clean
    assert data["units"][1]["report"]["findings"] == []


def test_the_red_team_file_exits_0_and_says_what_was_not_read(tmp_path):
    path = tmp_path / "m9.py"
    path.write_text("def f(x, W):\n    return x @ W\n\ndef g(x):\n    return x**2\n")
    proc = _health(path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == ""
    assert "1 program analysed" in proc.stderr, proc.stderr
    assert "1 definition not read (f at" in proc.stderr, proc.stderr
    assert "@ of parameters whose shapes are not known" in proc.stderr


def test_a_function_past_the_node_limit_is_skipped_the_others_analysed(tmp_path):
    body = "".join(f"    y = y * 1.0001 + np.tanh(y) * {i}\n" for i in range(3000))
    path = tmp_path / "long.py"
    path.write_text("import numpy as np\n\n\ndef long(x):\n    y = x\n" + body
                    + "    return y\n\n\ndef inverse(x):\n    return 1 / x\n")
    proc = _health(path, "-v", "--threshold", "info")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "[parse]" not in proc.stdout
    assert "|∂inverse/∂x| is unbounded" in proc.stdout, proc.stdout
    assert "note: long not read: the program has" in proc.stdout, proc.stdout
    assert "(MAX_HEALTH_NODES)" in proc.stdout


def test_a_chain_program_that_cannot_be_analysed_is_still_an_error(tmp_path):
    """A ``.chain`` file is one program: nothing of it is left to analyse."""
    path = tmp_path / "bad.chain"
    path.write_text("input x in [-1, 1]\ninput W in [-1, 1]\nL = x @ W\n")
    proc = _health(path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "[parse]" in proc.stdout
