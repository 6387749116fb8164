"""BatchNorm/GroupNorm/InstanceNorm normalise over the batch or a feature
map's positions; chainlens reads a model at one sample and one position, so
its measured flow cannot stand for PyTorch's there: no vanishing/exploding
verdict (red team G28: 40 conv-BatchNorm-ReLU blocks were "vanishing", with
"add normalisation" as the remedy, where torch measures a healthy ratio).
Checked against torch itself in training mode, the mode a freshly built
module is in."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import torch
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze
from chainlens.engine.health.model import EXPLODING, VANISHING
from torch import nn

FIXTURE = Path(__file__).parent / "fixtures" / "batch_statistics.py"


def _fixture():
    spec = importlib.util.spec_from_file_location("batch_statistics", FIXTURE)
    module = importlib.util.module_from_spec(spec)  # tests are not a package
    spec.loader.exec_module(module)
    return module


def _unit(name):
    doc = read_document(FIXTURE.read_text(), path=str(FIXTURE))
    [unit] = [u for u in doc.programs if u.label == name]
    return unit


def _torch_ratio(cls, shape, seeds=6):
    """First/last weight-gradient norm after one backward pass of
    (target · out).sum(), training mode (batch statistics)."""
    ratios = []
    for seed in range(seeds):
        torch.manual_seed(seed)
        model = cls().double()
        out = model(torch.randn(*shape, dtype=torch.float64))
        (torch.randn(out.shape, dtype=torch.float64) * out).sum().backward()
        weights = [m.weight.grad for m in model.modules() if isinstance(m, nn.Conv2d | nn.Linear)]
        ratios.append(float(weights[0].norm() / weights[-1].norm()))
    return sorted(ratios)[len(ratios) // 2]


@pytest.mark.parametrize(("name", "shape", "norm"), [
    ("ConvBNReLU40", (8, 8, 8, 8), "BatchNorm2d"),
    ("ConvGN", (8, 8, 8, 8), "GroupNorm"),
    ("LinBNReLU", (64, 32), "BatchNorm1d"),
])
def test_no_direction_verdict_where_the_statistics_are_not_modelled(name, shape, norm):
    theirs = _torch_ratio(getattr(_fixture(), name), shape)
    assert VANISHING < theirs < EXPLODING  # torch: neither vanishing nor exploding
    report = analyze(_unit(name).program)
    kinds = {f.kind for f in report.findings}
    assert not kinds & {"vanishing", "exploding"}, report.findings
    [hint] = [f for f in report.findings if f.kind == "not-measured"]
    assert f"nn.{norm} normalises each channel over the batch" in hint.message
    assert report.flow is not None and report.flow.verdict == "not judged"
    assert len(report.flow.layers) >= 2  # the table is still shown, as read


def test_layer_norm_is_read_as_torch_runs_it_and_judged():
    report = analyze(_unit("LinLNTanh").program)
    assert report.flow is not None and report.flow.verdict != "not judged"
    assert not any(f.kind == "not-measured" for f in report.findings)
