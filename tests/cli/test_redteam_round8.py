"""Round 8's red team, first hour: a cheat sheet saved as ``.txt`` (or
``.rst``, or with no extension) is checked as plain text instead of a
traceback; ``--order 0`` is the same clean error on every path of ``diff``;
a Python file that starts with a byte-order mark is read, as Python runs it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import sympy as sp

ROOT = Path(__file__).resolve().parents[2]
CHAINLENS = ROOT / ".venv" / "bin" / "chainlens"


def chainlens(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHAINLENS), *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name", ["sheet.txt", "sheet.rst", "sheet.qmd", "sheet"])
def test_a_plain_text_cheat_sheet_is_checked(tmp_path, name):
    x = sp.Symbol("x")
    assert sp.diff(sp.sin(x), x) == sp.cos(x) and sp.diff(x**3, x) != 3 * x  # the oracle
    path = tmp_path / name
    path.write_text("d/dx sin(x) = cos(x)\nd/dx x^3 = 3x\n", encoding="utf-8")
    run = chainlens("check", str(path))
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode == 1  # one wrong claim, and only that one
    assert f"{path}:2:" in run.stdout and "wrong derivative" in run.stdout
    assert "1 correct, 1 wrong" in run.stdout


@pytest.mark.parametrize("source", ["x^2*y", "examples/neuron.chain", "sin(x)",
                                    "examples/model.py"])
def test_order_zero_is_one_clean_error_on_every_path(source):
    run = subprocess.run([str(CHAINLENS), "diff", source, "--order", "0"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, (run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
    assert "the order of a derivative is a positive integer, not 0" in run.stderr


def test_a_python_file_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "bom.py"
    path.write_bytes(b"\xef\xbb\xbfimport numpy as np\r\ndef f(x):\r\n"
                     b"    return np.sin(x**2)\r\n")
    assert compile(path.read_bytes(), str(path), "exec")  # Python itself reads it
    run = chainlens("diff", str(path))
    assert run.returncode == 0, run.stderr
    x = sp.Symbol("x")
    assert sp.diff(sp.sin(x**2), x) == 2 * x * sp.cos(x**2)
    assert f"{path}:2:5: f(x) = sin(x²)" in run.stdout  # positions as the editor counts them
    assert "∂f/∂x = 2x·cos(x²)" in run.stdout


def test_check_reads_a_note_from_standard_input():
    run = subprocess.run([str(CHAINLENS), "check", "-"], input="d/dx sin(x) = cos(x)\n"
                         "d/dx x^3 = 3x\n", capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    assert run.stdout.startswith("<stdin>:2:12: warning: wrong derivative")
    latex = subprocess.run([str(CHAINLENS), "check", "--kind", "latex", "-"],
                           input="\\[ \\frac{d}{dx} x^3 = 3x^2 \\]\n", capture_output=True,
                           text=True, timeout=120)
    assert latex.returncode == 0 and "1 correct, 0 wrong" in latex.stdout


def test_lsp_and_demo_refuse_bad_places_in_words(tmp_path):
    """A taken or impossible port, a log file that cannot be written, a
    --out that is a file: one line that says what is wrong, never a traceback."""
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = chainlens("lsp", "--tcp", f"127.0.0.1:{port}")
        assert run.returncode == 1 and "the port is taken" in run.stderr, run.stderr
    cases = [
        (("lsp", "--tcp", "127.0.0.1:99999"), "the port must be from 0 to 65535"),
        (("lsp", "--log-file", str(tmp_path / "missing" / "log")),
         "cannot write the log file"),
        (("lsp", "--log-file", str(tmp_path)), "Is a directory"),
    ]
    afile = tmp_path / "afile"
    afile.write_text("")
    cases.append((("demo", "--out", str(afile)), "it is a file, not a folder"))
    for args, words in cases:
        run = subprocess.run([str(CHAINLENS), *args], capture_output=True, text=True,
                             timeout=120, stdin=subprocess.DEVNULL)
        assert run.returncode == 2, (args, run.stderr)
        assert words in run.stderr and "Traceback" not in run.stderr, (args, run.stderr)


def test_a_folder_named_as_the_input_is_not_read_as_a_variable():
    """`chainlens diff examples` printed d/dexamples examples = 1, exit 0."""
    for command in ("diff", "parse", "graph"):
        run = subprocess.run([str(CHAINLENS), command, "examples"], cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
        assert run.returncode != 0 and "examples is a folder here" in run.stderr, run.stderr
        assert "Traceback" not in run.stderr


@pytest.mark.parametrize(("claim", "verdict"), [
    ("d/dx x^0.5 = 0.5*x^-0.5", "1 correct"), ("d/dx x^1.5 = 1.5 x^0.5", "1 correct"),
    ("d/dx x^1.5 = 1.5 x^0.6", "1 wrong"), ("d/dx |x| = sign(x)", "1 correct"),
    ("d/dx |x| = 1", "1 wrong"), ("d/dx |x|^3 = 3 x |x|", "1 correct")])
def test_a_claim_typed_in_ascii_is_read_as_its_writer_means_it(claim, verdict):
    """x^0.5 is x to the 0.5 (TeX raises only the 0: it was 'not read'), and
    |x| is abs(x) (a Markdown line read the bars as a table's: 'no claim')."""
    x = sp.Symbol("x", positive=True)
    assert sp.simplify(sp.diff(x**1.5, x) - 1.5 * x**0.5) == 0  # the oracle
    assert sp.diff(sp.Abs(sp.Symbol("y", real=True)) ** 3, sp.Symbol("y", real=True)) != 0
    run = chainlens("check", claim)
    assert verdict in run.stdout, (run.stdout, run.stderr)


NESTED = '''import torch.nn as nn


class Net(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.fc = nn.Linear(d, d)

    def forward(self, x):
        return self.fc(x)


def build():
    d = 4
    for i in range(300):
        for j in range(300):
            d = d + 0
    return Net(d)


def stack(x):
    for i in range(20):
        for j in range(5):
            x = x * 0.5 + 1
    return x
'''


def test_nested_loops_share_one_unrolling_budget(tmp_path):
    """Nested range(300) loops unrolled to 90,000 statements and held the
    reader for 30 s (review, round 8): one budget for a loop and the loops
    around it, past which the function is not read, and says why; a small
    nest is still unrolled (checked against its closed form)."""
    from chainlens.engine.frontends.document import read_document

    doc = read_document(NESTED, "python")
    why = {s.name: s.reason for s in doc.skipped}
    assert "unroll to more than 10000 statements" in why["build"]
    (stack,) = [u for u in doc.programs if u.label == "stack"]
    ref = 0.3
    for _ in range(100):
        ref = ref * 0.5 + 1
    from chainlens.engine.numeric.kernel import compile as compile_kernel

    value = compile_kernel(stack.program)({"x": 0.3}).values
    import numpy as np

    assert abs(float(np.ravel(next(iter(value.values())))[0]) - ref) < 1e-12
