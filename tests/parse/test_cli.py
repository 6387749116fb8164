"""``chainlens parse``: each statement printed back in the chosen notation,
JSON for tools, and errors with a caret and a non-zero exit status."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from chainlens.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
NEURON = ROOT / "examples" / "neuron.chain"


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("text", "1/(1 + exp(-x))"),
        ("unicode", "1/(1 + e^(−x))"),
        ("latex", "\\frac{1}{1 + e^{-x}}"),
        ("python", "1 / (1 + np.exp(-x))"),
    ],
)
def test_an_expression_prints_in_each_notation(capsys, fmt, expected):
    assert main(["parse", "\\frac{1}{1+e^{-x}}", "--format", fmt]) == 0
    assert capsys.readouterr().out.strip() == expected


def test_a_program_prints_statement_by_statement(capsys):
    assert main(["parse", str(NEURON)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "z = w*x + b",
        "a = sigmoid(z)",
        "L = (a - y)^2",
        "@at x=0.5, w=0.8, b=-0.1, y=1",
        "# outputs: L",
    ]


def test_json_has_assignments_outputs_inputs_points_and_spans(capsys):
    assert main(["parse", str(NEURON), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [a["name"] for a in data["assignments"]] == ["z", "a", "L"]
    assert data["assignments"][1]["expr"]["unicode"] == "σ(z)"
    assert data["outputs"] == ["L"]
    assert data["inputs"] == ["b", "w", "x", "y"]
    assert data["points"][0]["values"] == {"x": 0.5, "w": 0.8, "b": -0.1, "y": 1.0}
    sigmoid = next(s for s in data["spans"] if s["text"] == "sigmoid(z)")
    assert sigmoid["spans"][0]["line"] == 3 and sigmoid["spans"][0]["column"] == 5


def test_errors_print_a_caret_and_exit_2(capsys):
    assert main(["parse", "y = sinn(x)"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("chainlens parse: error: 1:5: unknown function 'sinn'")
    assert err[1:] == ["  y = sinn(x)", "      ^^^^"]


def test_the_installed_command_reads_stdin():
    proc = subprocess.run([sys.executable, "-m", "chainlens.cli.main", "parse", "-",
                           "--format", "unicode"],
                          input="f(t) = t^2\ny = f(x + 1)\n", capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["f(t) = t²", "y = (x + 1)²", "# outputs: y"]


def test_the_installed_command_fails_cleanly():
    proc = subprocess.run([sys.executable, "-m", "chainlens.cli.main", "parse", "(x + 1"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "never closed" in proc.stderr and "Traceback" not in proc.stderr
