"""Layers that share a weight (``l.weight = self.layers[0].weight``): PyTorch
sums the gradient of every use into the one tensor, chainlens draws each
layer's weight apart, so the flow is shown but not judged (red team G23: 20
tied tanh layers were "vanishing" where torch measures a ratio near 1)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import torch
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze
from chainlens.engine.health.model import EXPLODING, VANISHING

FIXTURE = Path(__file__).parent / "fixtures" / "tied.py"


def _report(name):
    doc = read_document(FIXTURE.read_text(), path=str(FIXTURE))
    [unit] = [u for u in doc.programs if u.label == name]
    return analyze(unit.program)


def _torch_first_over_last(seeds=8):
    spec = importlib.util.spec_from_file_location("tied_fixture", FIXTURE)
    module = importlib.util.module_from_spec(spec)  # tests are not a package
    spec.loader.exec_module(module)
    ratios = []
    for seed in range(seeds):
        torch.manual_seed(seed)
        model = module.Tied().double()
        out = model(torch.randn(1, 32, dtype=torch.float64))
        (torch.randn(out.shape, dtype=torch.float64) * out).sum().backward()
        first, last = model.layers[0].weight.grad, model.layers[-1].weight.grad
        ratios.append(float(first.norm() / last.norm()))
    return sorted(ratios)[len(ratios) // 2]


def test_tied_layers_get_no_verdict_where_torch_measures_one_tensor():
    assert VANISHING < _torch_first_over_last() < EXPLODING  # one tensor: the same gradient
    report = _report("Tied")
    assert not {f.kind for f in report.findings} & {"vanishing", "exploding"}
    [hint] = [f for f in report.findings if f.kind == "not-measured"]
    assert "layers share a weight" in hint.message
    assert report.flow.verdict == "not judged"


def test_untied_layers_are_judged():
    report = _report("Untied")
    assert report.flow.verdict == "healthy"
    assert not any(f.kind == "not-measured" for f in report.findings)
