"""Red team, round 6: `chainlens health -v` says which layers no gradient
reaches (as the hover does), so a model whose first layer PyTorch measures at
exactly 0 is never printed as "first/last = 1, healthy" without a word."""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[2]
CHAINLENS = ROOT / ".venv" / "bin" / "chainlens"

MODELS = '''
import torch
from torch import nn
import torch.nn.functional as F


class CutOff(nn.Module):
    def __init__(self):
        super().__init__()
        self.first = nn.Linear(12, 12)
        self.second = nn.Linear(12, 12)
        self.third = nn.Linear(12, 12)

    def forward(self, x):
        h = torch.tanh(self.first(x)).detach()
        h = torch.tanh(self.second(h))
        return self.third(h)


class ZeroOut(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(10, 10)
        self.b = nn.Linear(10, 10)
        self.out = nn.Linear(10, 3)
        nn.init.zeros_(self.out.weight)

    def forward(self, x):
        return self.out(F.relu(self.b(F.relu(self.a(x)))))
'''


def _torch_grads(path: Path, name: str) -> list[float]:
    spec = importlib.util.spec_from_file_location("redteam_models", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    torch.manual_seed(0)
    model = getattr(module, name)().double()
    out = model(torch.randn(1, 12 if name == "CutOff" else 10, dtype=torch.float64))
    (torch.randn(out.shape, dtype=torch.float64) * out).sum().backward()
    linears = [m for m in model.modules() if isinstance(m, torch.nn.Linear)]
    # a detached layer has no .grad at all: no gradient reaches it
    return [0.0 if m.weight.grad is None else float(m.weight.grad.norm()) for m in linears]


def test_layers_without_gradient_are_named_and_a_lone_layer_has_no_ratio(tmp_path):
    path = tmp_path / "models.py"
    path.write_text(MODELS)
    # the oracle: PyTorch's first-layer gradient is exactly 0 in both
    assert _torch_grads(path, "CutOff")[0] == 0.0
    assert _torch_grads(path, "ZeroOut")[:2] == [0.0, 0.0]
    proc = subprocess.run([str(CHAINLENS), "health", str(path), "-v"], capture_output=True,
                          text=True, timeout=240)
    out = proc.stdout
    cut = out[out.index("CutOff:"):out.index("ZeroOut:")]
    assert "no gradient reaches (as read, not judged): first (line 10)" in cut, out
    zero = out[out.index("ZeroOut:"):]
    assert "one layer measured, no first/last ratio to judge" in zero, out
    assert "no gradient reaches (as read, not judged): a (line 23), b (line 24)" in zero, out
    assert "first/last = 1," not in zero, out


def test_a_sarif_fix_lands_on_the_claim_in_a_crlf_note(tmp_path):
    """SARIF offsets count the file's own characters: in a CRLF note every
    fix used to land one character early per line above it, and applying
    it wrote '$\\frac{d}{dx}x^3 3 x^{2}^2$' (red team R33)."""
    import json

    note = tmp_path / "crlf.md"
    note.write_bytes(b"Intro line.\r\n\r\n$\\frac{d}{dx}x^3 = x^2$\r\n\r\n"
                     b"$\\frac{d}{dx} e^{3x} = e^{3x}$\r\n")
    proc = subprocess.run([str(CHAINLENS), "check", str(note), "--format", "sarif"],
                          capture_output=True, text=True, timeout=240)
    assert proc.returncode == 1, proc.stderr
    raw = note.read_bytes().decode()
    edits = [(rep["deletedRegion"]["charOffset"], rep["deletedRegion"]["charLength"],
              rep["insertedContent"]["text"])
             for result in json.loads(proc.stdout)["runs"][0]["results"]
             for fix in result["fixes"] for change in fix["artifactChanges"]
             for rep in change["replacements"]]
    assert [raw[at:at + n] for at, n, _ in edits] == ["x^2", "e^{3x}"]
    for at, n, text in sorted(edits, reverse=True):
        raw = raw[:at] + text + raw[at + n:]
    assert raw == ("Intro line.\r\n\r\n$\\frac{d}{dx}x^3 = 3 x^{2}$\r\n\r\n"
                   "$\\frac{d}{dx} e^{3x} = 3 e^{3 x}$\r\n")
    fixed = tmp_path / "fixed.md"
    fixed.write_bytes(raw.encode())
    again = subprocess.run([str(CHAINLENS), "check", str(fixed)], capture_output=True,
                           text=True, timeout=240)
    assert again.returncode == 0 and "2 correct, 0 wrong" in again.stdout, again.stdout


def test_health_sarif_fixes_land_on_their_text_in_a_crlf_program(tmp_path):
    """The same for `chainlens health --format sarif` on a CRLF .chain file:
    the ReLU fix's region covered 'h = ' instead of 'tanh' (red team R33).
    Weights in [1, 2] and a positive input: ReLU keeps every layer's
    gradient there (in [-1, 1] it kills it, and is not offered: R28)."""
    import json

    program = tmp_path / "tanh.chain"
    program.write_bytes(b"input x in [0.5, 1]\r\nh = x\r\nrepeat k in 1..40 {\r\n"
                        b"  param w_k in [1, 2]\r\n  h = tanh(w_k * h)\r\n}\r\nL = h^2\r\n")
    proc = subprocess.run([str(CHAINLENS), "health", str(program), "--format", "sarif"],
                          capture_output=True, text=True, timeout=240)
    raw = program.read_bytes().decode()
    found = [(fix["description"]["text"], raw[d["charOffset"]:d["charOffset"] + d["charLength"]])
             for result in json.loads(proc.stdout)["runs"][0]["results"]
             for fix in result.get("fixes", ()) for change in fix["artifactChanges"]
             for rep in change["replacements"] for d in [rep["deletedRegion"]]]
    relu = [text for title, text in found if title.startswith("Use ReLU")]
    assert relu == ["tanh"], found


def test_a_cell_source_with_non_text_items_is_read_as_the_reader_reads_it(tmp_path):
    """A markdown cell whose source list holds a number or null: the reader
    skips those items; check's position table joined them and crashed with a
    TypeError traceback (red team R34). The claim in the cell is still judged."""
    import json

    nb = tmp_path / "odd.ipynb"
    nb.write_text(json.dumps({"cells": [
        {"cell_type": "markdown", "source": [1, None, "$\\frac{d}{dx} x^3 = 2x$\n"]},
        {"cell_type": "markdown", "source": 7}], "nbformat": 4}))
    proc = subprocess.run([str(CHAINLENS), "check", str(nb)], capture_output=True,
                          text=True, timeout=240)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1 and "1:21 (cell 0): warning: wrong derivative" in proc.stdout, \
        proc.stdout
