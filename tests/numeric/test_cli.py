"""``chainlens grad`` end to end through the command's entry point."""

import json

import pytest
from chainlens.cli.main import main

from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"


def run(capsys, *argv):
    status = main(["grad", *argv])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_expression_at_a_point(capsys):
    status, out, _ = run(capsys, "sin(x^2)", "--at", "x=1")
    assert status == 0
    assert "= 0.8414709848" in out and "/∂x = 1.080604612" in out
    assert "mode" not in out  # the cost model's choice is behind -v
    status, out, _ = run(capsys, "sin(x^2)", "--at", "x=1", "-v")
    assert "reverse mode" in out


def test_file_with_its_own_point_and_wrt(capsys):
    status, out, _ = run(capsys, str(EXAMPLES / "neuron.chain"), "--wrt", "w,b")
    assert status == 0
    assert "∂L/∂w = -0.1040310639" in out and "∂L/∂b = -0.2080621277" in out
    assert "∂L/∂x" not in out


def test_json_with_a_batch_of_points(capsys):
    status, out, _ = run(capsys, "x^2*y", "--at", "x=1,y=2", "--at", "x=3,y=0.5",
                         "--format", "json")
    data = json.loads(out)
    assert status == 0 and [p["gradients"]["f"]["x"] for p in data["points"]] == [4.0, 3.0]
    assert data["mode"] == "reverse" and data["costs"]["reverse"] > 0


def test_tensor_values_on_the_command_line(capsys):
    source = "input v: [3]\nL = sum(v^2)"
    status, out, _ = run(capsys, source, "--at", "v=[1, 2, 3]", "--format", "json")
    assert status == 0
    assert json.loads(out)["points"][0]["gradients"]["L"]["v"] == [2.0, 4.0, 6.0]


def test_nonfinite_is_reported_with_file_line_col_and_exit_1(capsys, tmp_path):
    path = tmp_path / "bad.chain"
    path.write_text("z = x - 1\nL = log(z) * 2\n@at x=0.5\n")
    status, out, _ = run(capsys, str(path))
    assert status == 1
    assert f"{path}:2:5: warning: NaN/Inf first produced in the forward pass by log in L" in out


def test_paths_listing(capsys):
    status, out, _ = run(capsys, str(EXAMPLES / "graph.chain"), "--at", "x=0.5", "--paths", "5")
    assert status == 0 and "paths from x to y: 2" in out


@pytest.mark.parametrize("argv, message", [
    (["x*y", "--at", "x=1"], "no value for input 'y'"),
    (["x*y", "--at", "x=1,y"], "--at expects name=value pairs"),
    (["input v: [3]\nL = sum(v @ v @ v)", "--at", "v=[1,2,3]"], "@ takes vectors or matrices"),
])
def test_errors_exit_2_with_a_message(capsys, argv, message):
    status, _, err = run(capsys, *argv)
    assert status == 2 and message in err
