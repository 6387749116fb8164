"""``chainlens diff`` and ``chainlens health`` read Python files, notebooks
and notes the way the editor does (issue #11's "Done when"): real runs of
the installed command on the bundled examples."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
from chainlens.engine.language.reader import parse_expr
from chainlens.engine.symbolic.check import value_at

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
EXE = Path(sys.executable).with_name("chainlens")
LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>\w+): (?P<msg>.*) "
                  r"\[(?P<kind>[\w-]+)\]$")


def chainlens(*argv, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([str(EXE), *map(str, argv)], capture_output=True, text=True,
                          timeout=240, cwd=cwd)


def _central(text: str, wrt: str, at: dict, h: float = 1e-6) -> float:
    node = parse_expr(text)
    hi, lo = dict(at), dict(at)
    hi[wrt] += h
    lo[wrt] -= h
    return (value_at(node, hi) - value_at(node, lo)) / (2 * h)


# ---- diff ----------------------------------------------------------------------------------
def test_diff_of_a_python_file_lists_each_function_by_its_parameters():
    done = chainlens("diff", "examples/model.py")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "examples/model.py:14:5: neuron(x, w, b) = σ(w·x + b)" in out
    assert "  ∂neuron/∂w = x·σ(w·x + b)·(1 − σ(w·x + b))" in out
    assert "  ∂gaussian/∂x = −x·e^(−x²/2)" in out
    assert "model (sequential): 12 steps" in out
    assert "MLP (module): 3 layer(s) with weights: fc1, fc2, out" in out
    assert "parse error" not in out.lower() and not done.stderr


def test_diff_json_of_a_python_file_agrees_with_central_differences():
    done = chainlens("diff", "examples/model.py", "--format", "json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["kind"] == "python"
    units = {u["label"]: u for u in doc["units"]}
    assert set(units) == {"neuron", "gaussian", "soft_loss", "log_prob", "deep", "model",
                          "MLP"}
    at = {"x": 0.3, "w": 0.8, "b": -0.1}
    neuron = "1/(1 + exp(-(w*x + b)))"
    for d in units["neuron"]["derivatives"]:
        got = value_at(parse_expr(d["result"]["text"]), at)
        assert math.isclose(got, _central(neuron, d["wrt"], at), rel_tol=1e-6)
    (soft,) = units["soft_loss"]["derivatives"]
    assert soft["expr"] == "log(1 + exp(x))"
    assert value_at(parse_expr(soft["result"]["text"]), {"x": 0.7}) == pytest.approx(
        _central("log(1 + exp(x))", "x", {"x": 0.7}), rel=1e-6)


def test_diff_wrt_picks_the_units_that_use_it():
    done = chainlens("diff", "examples/model.py", "--wrt", "w", "--format", "json")
    assert done.returncode == 0, done.stderr
    labels = [u["label"] for u in json.loads(done.stdout)["units"]]
    assert "neuron" in labels and "deep" in labels and "gaussian" not in labels


def test_diff_wrt_used_nowhere_is_an_error_naming_the_variables():
    done = chainlens("diff", "examples/model.py", "--wrt", "q")
    assert done.returncode == 2
    assert "'q' is not a variable" in done.stderr and "Traceback" not in done.stderr


def test_diff_of_notes_differentiates_every_claim():
    done = chainlens("diff", "examples/notes.md")
    assert done.returncode == 0, done.stderr
    assert "examples/notes.md:8:50: claim 2: d/dx \\sin(x^2), the note claims \\cos(x^2)" in \
        done.stdout
    assert "  ∂f/∂z = σ(z)·(1 − σ(z))" in done.stdout


def test_diff_of_a_notebook_names_the_cell(tmp_path):
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "# notes"},
             {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
              "source": ["import numpy as np\n", "def f(x):\n", "    return np.tanh(x)**2\n"]}]
    path = tmp_path / "run.ipynb"
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                                "cells": cells}))
    done = chainlens("diff", path)
    assert done.returncode == 0, done.stderr
    assert f"{path}:2:5 (cell 1): f(x) = tanh(x)²" in done.stdout  # as check writes it
    assert "∂f/∂x = 2tanh(x)·sech(x)²" in done.stdout  # the textbook form (ed478b8)


def test_a_python_syntax_error_is_reported_with_a_caret(tmp_path):
    path = tmp_path / "broken.py"
    path.write_text("def f(x):\n    return (x +\n")
    done = chainlens("diff", path)
    assert done.returncode == 2
    assert "error:" in done.stderr and "^" in done.stderr and "Traceback" not in done.stderr


def test_a_chain_file_still_prints_backprop():
    done = chainlens("diff", "examples/neuron.chain")
    assert done.returncode == 0, done.stderr
    assert "backprop through the names of L" in done.stdout


# ---- health --------------------------------------------------------------------------------
def test_health_of_a_python_file_flags_the_deep_loop():
    done = chainlens("health", "examples/model.py")
    assert done.returncode == 1, done.stderr
    lines = [LINE.match(line) for line in done.stdout.splitlines()]
    assert lines and all(lines), done.stdout
    deep = [m for m in lines if m["kind"] == "vanishing"]
    assert deep and deep[0]["file"] == "examples/model.py"
    source = (EXAMPLES / "model.py").read_text().splitlines()
    assert "torch.sigmoid(w * a)" in source[int(deep[0]["line"]) - 1]


def test_health_of_notes_flags_the_wrong_claims_with_counterexamples():
    done = chainlens("health", "examples/notes.md")
    assert done.returncode == 1, done.stderr
    found = [LINE.match(line) for line in done.stdout.splitlines()]
    assert all(found) and [m["kind"] for m in found] == ["wrong-derivative"] * 2
    slip, tanh = found
    assert (slip["line"], tanh["line"]) == ("8", "19")
    assert "it is 2x·cos(x²)" in slip["msg"]
    at = re.search(r"at x = (\S+) the derivative is (\S+), the claim gives (\S+)\)",
                   slip["msg"])
    x, expected, claimed = map(float, at.groups())
    assert expected == pytest.approx(2 * x * math.cos(x * x), rel=1e-5)
    assert claimed == pytest.approx(math.cos(x * x), rel=1e-5)


def test_health_of_notes_as_sarif_carries_the_fix():
    done = chainlens("health", "examples/notes.md", "--format", "sarif")
    assert done.returncode == 1
    run = json.loads(done.stdout)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert {r["ruleId"] for r in results} == {"wrong-derivative"}
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == "wrong-derivative"
    text = (EXAMPLES / "notes.md").read_text()
    (change,) = results[0]["fixes"][0]["artifactChanges"]
    (replacement,) = change["replacements"]
    region = replacement["deletedRegion"]
    assert text[region["charOffset"]:region["charOffset"] + region["charLength"]] == \
        "\\cos(x^2)"
    assert "\\cos" in replacement["insertedContent"]["text"]


def test_health_json_of_a_python_file_has_a_report_per_unit():
    done = chainlens("health", "examples/model.py", "--format", "json", "--static")
    assert done.returncode == 1
    (entry,) = json.loads(done.stdout)["files"]
    units = {u["label"]: u for u in entry["units"]}
    assert set(units) == {"neuron", "gaussian", "soft_loss", "log_prob", "deep", "model",
                          "MLP"}
    assert [f["kind"] for f in units["deep"]["report"]["findings"]] == ["vanishing"]
    assert entry["claims"] == []


def test_health_of_a_clean_note_exits_0(tmp_path):
    path = tmp_path / "ok.md"
    path.write_text("Fine: $\\frac{d}{dx} x^3 = 3x^2$.\n")
    done = chainlens("health", path)
    assert (done.returncode, done.stdout) == (0, "")


def test_parse_of_a_python_file_prints_each_unit():
    done = chainlens("parse", "examples/model.py")
    assert done.returncode == 0, done.stderr
    assert "# neuron (function), examples/model.py:14:5\nz = w*x + b\nneuron = sigmoid(z)" \
        in done.stdout


def test_health_lists_the_unstable_forms_the_editor_underlines():
    done = chainlens("health", "examples/model.py")
    found = [LINE.match(line) for line in done.stdout.splitlines()]
    unstable = [(m["line"], m["col"], m["sev"]) for m in found if m["kind"] == "unstable-form"]
    assert unstable == [("26", "12", "info"), ("31", "12", "info")]
    source = (EXAMPLES / "model.py").read_text().splitlines()
    assert source[25][11:].startswith("np.log(1 + np.exp(x))")
    assert source[30][11:].startswith("torch.log(torch.sigmoid(x))")


def _notebook(tmp_path) -> Path:
    cells = [{"cell_type": "markdown", "metadata": {}, "source": [
        "Let $f(x) = \\ln x$. Then\n", "$f'(x) = x$.\n"]},
        {"cell_type": "markdown", "metadata": {},
         "source": ["$\\frac{d}{dx}\\sqrt{x} = \\sqrt{x}$\n"]}]
    path = tmp_path / "claims.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}, indent=1))
    return path


@pytest.mark.parametrize("command", ["check", "health"])
def test_sarif_of_a_notebook_names_the_cell_and_offers_no_edit_of_its_json(tmp_path, command):
    """Positions in a notebook are inside a cell's text: a SARIF region or fix in
    them, applied to the .ipynb file, would corrupt its JSON (red team F43)."""
    path = _notebook(tmp_path)
    done = chainlens(command, path, "--format", "sarif")
    assert done.returncode == 1, done.stderr
    results = json.loads(done.stdout)["runs"][0]["results"]
    wrong = [r for r in results if r["ruleId"] == "wrong-derivative"]
    assert len(wrong) == 2
    for r in wrong:
        assert "fixes" not in r
        (loc,) = r["locations"]
        assert "region" not in loc["physicalLocation"]
    if command == "check":
        assert sorted(r["properties"]["cell"] for r in wrong) == [0, 1]
        assert all(r["message"]["text"].startswith("cell ") for r in wrong)
    json.loads(path.read_text())  # untouched, still a notebook
