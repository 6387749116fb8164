"""Round 10's red team: a batch record names no internal node (P2-12) and
the Python client's "correct" message names the function (P2-13)."""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path

import pytest
import sympy as sp

ROOT = Path(__file__).resolve().parents[2]
CHAINLENS = ROOT / ".venv" / "bin" / "chainlens"


def test_batch_names_no_internal_node(tmp_path):
    jobs = tmp_path / "j.csv"
    jobs.write_text('id,expr,wrt,at,claim\nq3,log(x),x,"x=-1",1/x\n'
                    'q4,"y = log(x)\nz = 2*y",x,"x=-1",\n', encoding="utf-8")
    run = subprocess.run([str(CHAINLENS), "batch", str(jobs)], capture_output=True, text=True,
                         timeout=180)
    assert run.returncode == 0, run.stderr
    records = [json.loads(line) for line in run.stdout.splitlines()]
    x = sp.Symbol("x")
    assert sp.diff(sp.log(x), x) == 1 / x  # the claim, by SymPy
    first = records[0]
    assert first["check"]["equal"] is True
    [bad] = first["points"][0]["nonfinite"]
    assert "name" not in bad and bad["op"] == "log"  # was "name": "_1"
    assert "log(x)"[bad["span"]["start"]:bad["span"]["end"]] == "log(x)"
    assert first["points"][0]["value"] == "nan" and math.isnan(float("nan"))
    [named] = records[1]["points"][0]["nonfinite"]
    assert named["name"] == "y"  # a name the user wrote is kept


def test_the_client_says_which_function_is_correct():
    from chainlens.client import Client
    from chainlens.server.rpc.background import ServiceThread
    from chainlens.server.rpc.service import ServiceOptions

    x = sp.Symbol("x")
    assert sp.simplify(sp.diff(sp.sin(x ** 2), x) - 2 * x * sp.cos(x ** 2)) == 0
    with ServiceThread(ServiceOptions(port=0)) as svc, Client(svc.address) as c:
        ok = c.check("sin(x^2)", "2x cos(x^2)", "x")
        wrong = c.check("x^2", "3x", "x")
    assert ok and ok.message == "correct: d/dx sin(x^2) = 2x·cos(x²)", ok.message
    assert not wrong and wrong.message.startswith("wrong:")


@pytest.mark.parametrize(("message", "shown"), [
    ("correct: the claim equals d/dx = 2x", "correct: d/dx x^2 = 2x"),
    ("correct: the claim agrees with 2x at 9 points in the domain",
     "correct: the claim agrees with 2x at 9 points in the domain"),
    ("wrong: the derivative is 2x", "wrong: the derivative is 2x"),
])
def test_only_the_bare_correct_message_is_completed(message, shown):
    from chainlens.client.results import _with_function

    assert _with_function(message, "x^2") == shown
    assert _with_function(message, "") == message
