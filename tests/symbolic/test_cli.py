"""The command line: chainlens diff and chainlens check-derivative."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from chainlens.cli.main import main

NEURON = Path(__file__).resolve().parents[2] / "examples" / "neuron.chain"


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_diff_expression(capsys):
    code, out, _ = run(capsys, "diff", "sin(x^2)", "--format", "text")
    assert code == 0
    assert out.splitlines()[0] == "d/dx sin(x^2) = 2*x*cos(x^2)"


def test_diff_with_steps(capsys):
    code, out, _ = run(capsys, "diff", "sin(e^{x^2})", "--steps", "--format", "text")
    assert code == 0
    assert "chain rule" in out and "power rule" in out and "putting it together" in out


@pytest.mark.parametrize("fmt,expected", [
    ("unicode", "2x·cos(x²)"), ("latex", "2 x \\cos\\left(x^{2}\\right)"),
    ("python", "2 * x * np.cos(x ** 2)")])
def test_diff_formats(capsys, fmt, expected):
    code, out, _ = run(capsys, "diff", "sin(x^2)", "--format", fmt)
    assert code == 0 and out.splitlines()[0].endswith(expected)


def test_diff_json(capsys):
    code, out, _ = run(capsys, "diff", "x*y", "--wrt", "x,y", "--format", "json")
    data = json.loads(out)
    assert [d["wrt"] for d in data] == ["x", "y"]
    assert [d["result"]["text"] for d in data] == ["y", "x"]


def test_diff_order(capsys):
    code, out, _ = run(capsys, "diff", "x^4", "--order", "3", "--format", "text")
    assert out.splitlines()[0] == "d^3/dx^3 x^4 = 24*x"


def test_diff_conditions_are_printed(capsys):
    _, out, _ = run(capsys, "diff", "log(x)", "--format", "text")
    assert "where x > 0" in out


def test_diff_program_prints_backprop_through_names(capsys):
    code, out, _ = run(capsys, "diff", str(NEURON), "--format", "text")
    assert code == 0
    assert "dL/dw = 2*x*(a - y)*sigmoid(z)*(1 - sigmoid(z))" in out
    assert "dL/dz = 2*(a - y)*sigmoid(z)*(1 - sigmoid(z))" in out


def test_diff_parse_error_has_a_caret(capsys):
    code, _, err = run(capsys, "diff", "sin(x")
    assert code == 2 and "^" in err


@pytest.mark.parametrize("claim,code,word", [
    ("2x cos(x^2)", 0, "equal"), ("x cos(x^2)", 1, "not equal")])
def test_check_derivative(capsys, claim, code, word):
    got, out, _ = run(capsys, "check-derivative", "sin(x^2)", claim)
    assert got == code and out.startswith(word)


def test_check_derivative_counterexample(capsys):
    _, out, _ = run(capsys, "check-derivative", "sin(x^2)", "x cos(x^2)", "--format", "json")
    data = json.loads(out)
    assert data["equal"] is False and data["counterexample"]
