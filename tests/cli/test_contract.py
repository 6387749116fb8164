"""The exit-code contract every command keeps (0 ok; 1 findings, not equal,
NaN found; 2 usage or input error, a missing file included), ``--version``,
file-looking arguments, colour only on a terminal, and one name for an
anonymous output."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from chainlens.cli import style
from chainlens.cli.main import EXIT_CODES, main

ROOT = Path(__file__).resolve().parents[2]
CHAINLENS = ROOT / ".venv" / "bin" / "chainlens"
NEURON = str(ROOT / "examples" / "neuron.chain")
SIGMOID = str(ROOT / "examples" / "deep_sigmoid.chain")


def rc(capsys, *argv) -> tuple[int, str, str]:
    try:
        status = main(list(argv))
    except SystemExit as exc:  # argparse: usage errors and --version
        status = exc.code
    out = capsys.readouterr()
    return status, out.out, out.err


def test_the_contract_is_documented_in_help(capsys):
    status, out, _ = rc(capsys, "--help")
    assert status == 0 and set(EXIT_CODES) == {0, 1, 2}
    assert "exit status: 0 ok; 1 findings" in " ".join(out.split())


def test_version():
    proc = subprocess.run([str(CHAINLENS), "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("chainlens 0.")


@pytest.mark.parametrize("argv", [
    ("parse", "examples/neuron.chai"),        # a typo of a file name
    ("parse", "nope/model.py"),
    ("diff", "missing.chain"),
    ("grad", "missing.chain"),
    ("health", "missing.chain"),
    ("graph", "missing.chain", "-o", "x.svg"),
    ("check-derivative", "missing.chain", "1"),
    ("batch", "missing.jsonl", "-q"),
])
def test_a_missing_file_is_no_such_file_and_exit_2(capsys, argv, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = rc(capsys, *argv)
    assert status == 2, (out, err)
    assert "no such file" in out + err
    assert "unknown name" not in out + err


@pytest.mark.parametrize("argv,expected", [
    (("parse", "sin(x)"), 0),
    (("parse", "np.sin(x**2) + math.pi"), 0),   # dotted library names are not files
    (("parse", "1.5*x"), 0),
    (("parse", "sin(x"), 2),                      # does not parse
    (("diff", "sin(x)", "--order", "0"), 2),
    (("diff", "sin(x)", "--wrt", "q"), 2),
    (("diff", "sin(x)", "--bogus"), 2),           # argparse usage error
    (("check-derivative", "sin(x^2)", "2x cos(x^2)"), 0),
    (("check-derivative", "sin(x^2)", "x cos(x^2)"), 1),
    (("grad", "sin(x)", "--at", "x=1"), 0),
    (("grad", "log(x)", "--at", "x=-1"), 1),      # NaN found
    (("grad", "sin(x)", "--at", "x=one"), 2),
    (("health", NEURON), 0),
    (("health", SIGMOID, "--static"), 1),          # findings
])
def test_exit_codes(capsys, argv, expected):
    status, out, err = rc(capsys, *argv)
    assert status == expected, (out, err)


def test_no_colour_when_piped_or_asked(monkeypatch):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert style.bold("x", Tty()) == "\033[1mx\033[0m"
    assert style.bold("x", io.StringIO()) == "x"
    monkeypatch.setenv("NO_COLOR", "1")
    assert style.bold("x", Tty()) == "x"
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    assert style.bold("x", Tty()) == "x"


def test_demo_piped_has_no_escape_codes():
    proc = subprocess.run(
        [str(CHAINLENS), "demo", "--skip", "diff,backprop,numeric,health,graph,batch,grpc"],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
        env={"PATH": "/usr/bin:/bin", "TERM": "xterm"})
    assert proc.returncode == 0, proc.stderr
    assert "== 1. One parser" in proc.stdout and "\033" not in proc.stdout


def test_anonymous_output_is_f_in_text_and_json(capsys):
    _, text, _ = rc(capsys, "grad", "sin(x)", "--at", "x=0")
    assert "  f = 0" in text and "∂f/∂x = 1" in text and "_1" not in text
    _, out, _ = rc(capsys, "grad", "sin(x)", "--at", "x=0", "--format", "json")
    data = json.loads(out)
    assert data["points"][0]["values"] == {"f": 0.0}
    assert data["points"][0]["gradients"] == {"f": {"x": 1.0}}
    _, out, _ = rc(capsys, "grad", "log(x)", "--at", "x=-1", "--format", "json")
    assert json.loads(out)["nonfinite"][0]["name"] == "f"


def test_python_m_chainlens_cli_is_the_same_command():
    proc = subprocess.run([sys.executable, "-m", "chainlens.cli.main", "--version"],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.startswith("chainlens ")
