"""PyTorch's own measurement of the fixtures: first/last layer weight
gradients after one backward pass of ``(target * out).sum()`` (a target of
unit variance, as chainlens measures) at the default initialisation
(median over seeds of each layer's ‖∂L/∂W‖_F)."""

import importlib.util

import numpy as np
import torch
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze
from torch import nn


def torch_layer_grads(cls, width: int, seeds: int = 16, batch: int = 1) -> list[float]:
    per_seed = []
    for seed in range(seeds):
        torch.manual_seed(seed)
        model = cls().double()
        x = torch.randn(batch, width, dtype=torch.float64)
        out = model(x)
        target = torch.randn(out.shape, dtype=torch.float64)
        (target * out).sum().backward()
        linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
        per_seed.append([float(m.weight.grad.norm()) for m in linears])
    return [float(v) for v in np.median(np.array(per_seed), axis=0)]


def torch_ratios(make, inputs, weights, seeds: int = 16) -> list[float]:
    """Median over seeds of each weight's ‖∂L/∂W‖ after one backward pass of
    (target · out).sum() at PyTorch's default init, as ratios to the last.
    ``inputs()`` gives forward's argument, or a tuple of its arguments;
    ``weights`` are functions from the model to each weight's gradient."""
    rows = []
    for seed in range(seeds):
        torch.manual_seed(seed)
        model = make().double()
        args = inputs()
        out = model(*(t.double() for t in (args if isinstance(args, tuple) else (args,))))
        (torch.randn(out.shape, dtype=torch.float64) * out).sum().backward()
        rows.append([float(w(model).norm()) for w in weights])
    med = np.median(np.array(rows), axis=0)
    return list(med / med[-1])


def verdict(ratio: float) -> str:
    """The verdict torch's first/last gradient ratio calls for."""
    return "vanishing" if ratio < 1e-3 else "exploding" if ratio > 1e3 else "healthy"


def assert_ratios_agree(ours: list[float], theirs: list[float], factor: float) -> None:
    """chainlens's per-layer ratios within ``factor`` of torch's, layer by layer."""
    assert len(ours) == len(theirs), (ours, theirs)
    for mine, torch_ratio in zip(ours, theirs, strict=True):
        assert torch_ratio / factor <= mine <= torch_ratio * factor, (ours, theirs)


def assert_layers_agree(flow, grads: list[float], factor: float) -> None:
    """A measured flow against :func:`torch_layer_grads`: as many layers, and
    each layer's ratio to the last within ``factor`` of torch's."""
    assert flow is not None and len(flow.layers) == len(grads)
    for ours, theirs in zip(flow.layers, grads, strict=True):
        torch_ratio = theirs / grads[-1]
        assert torch_ratio / factor <= ours.ratio <= torch_ratio * factor, (ours, torch_ratio)


def load(path, name: str):
    """A file of tests/ imported as module ``name`` (tests are not a package:
    fixtures are imported by path, to run with torch)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class FixtureFile:
    """A fixture file both ways: read by chainlens (its units and skips) and
    imported as module ``name`` to run with torch."""

    def __init__(self, path, name: str, factor: float):
        self.module = load(path, name)
        doc = read_document(path.read_text(), path=str(path))
        self.units = {u.label: u for u in doc.programs}
        self.skips = {s.name: s.reason for s in doc.skipped}
        self.factor = factor

    def flow(self, name):
        return analyze(self.units[name].program).flow

    def notes(self, name) -> str:
        return " | ".join(self.units[name].notes)

    def agree(self, name, torch_ratios, verdict="healthy"):
        """Per-layer ratios within ``factor`` of torch's, and the same verdict."""
        flow = self.flow(name)
        assert_ratios_agree([f.ratio for f in flow.layers], torch_ratios, self.factor)
        assert flow.verdict == verdict
