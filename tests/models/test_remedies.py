"""The health quick fixes of a model (#12): each one offered, applied to the
text, gives a file that runs (imported and called with torch) and that
chainlens re-reads as healthy: the finding is cleared."""

import pathlib
import subprocess
import sys

import pytest
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze
from chainlens.engine.health.fixes import apply_edits

pytest.importorskip("torch")

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "models" / "fixtures" / "stacks.py"
EXAMPLE = ROOT / "examples" / "model.py"

RUN = """
import importlib.util, sys, torch
spec = importlib.util.spec_from_file_location("edited", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
name, width = sys.argv[2], int(sys.argv[3])
model = getattr(module, name)
model = model() if isinstance(model, type) else model
out = model(torch.randn(4, width)).sum()
out.backward()
print("ran", float(out))
"""


def _remedies(path: pathlib.Path):
    text = path.read_text()
    doc = read_document(text, path=str(path))
    for unit in doc.programs:
        for finding in analyze(unit.program).findings:
            if finding.kind == "vanishing" and unit.kind in ("module", "sequential"):
                for remedy in finding.remedies:
                    yield path, text, unit.label, remedy


CASES = list(_remedies(FIXTURE)) + list(_remedies(EXAMPLE))
WIDTHS = {"model": 3, "SigmoidChain": 1}


def test_the_vanishing_fixtures_and_the_example_get_quick_fixes():
    kinds = {(label, r.kind) for _, _, label, r in CASES}
    assert {("SigmoidStack", "residual"), ("ReluStack", "residual"),
            ("SigmoidChain", "residual"), ("model", "relu")} <= kinds


@pytest.mark.parametrize("case", CASES, ids=[f"{c[2]}-{c[3].kind}" for c in CASES])
def test_a_quick_fix_runs_and_clears_the_finding(case, tmp_path):
    path, text, label, remedy = case
    edited = apply_edits(text, remedy.edits)
    compile(edited, str(path), "exec")
    again = {u.label: u for u in read_document(edited, path=str(path)).programs}[label]
    report = analyze(again.program)
    assert report.flow.verdict == "healthy", report.flow
    assert not [f for f in report.findings if f.kind == "vanishing"]
    target = tmp_path / path.name
    target.write_text(edited)
    done = subprocess.run([sys.executable, "-c", RUN, str(target), label,
                           str(WIDTHS.get(label, 32))], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and "ran" in done.stdout, done.stderr
