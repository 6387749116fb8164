"""An activation module (no weights) whose reading has parts chainlens does
not model is 'not judged', and its hover says why (#12, round 8): a
hand-written autograd backward that is not forward's derivative (a
straight-through estimator: PyTorch back-propagates the identity, chainlens
would measure tanh's derivative) must not be called "passes" or
"vanishing" from the derivative PyTorch never uses."""

import numpy as np
import pytest
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze
from chainlens.server.lsp import model_view

torch = pytest.importorskip("torch")

SOURCE = '''
import torch
from torch import nn


class SquashSTE(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return torch.tanh(4 * x)

    @staticmethod
    def backward(ctx, grad):
        return grad


class Squash(nn.Module):
    def forward(self, x):
        return SquashSTE.apply(x)


class Plain(nn.Module):
    def forward(self, x):
        return torch.tanh(4 * x)
'''


class _Unit:
    def __init__(self, unit):
        self.source, self.program = unit, unit.program
        self.health = analyze(unit.program)


def _units():
    doc = read_document(SOURCE, path="squash.py")
    return {u.label: u for u in doc.programs if u.kind == "module"}


def _torch_gain(fn, seeds=32):
    """Median ‖∂L/∂x‖ / ‖t‖ for L = Σ t·fn(x), x and t of unit variance."""
    gains = []
    for seed in range(seeds):
        torch.manual_seed(seed)
        x = torch.randn(1, 16, dtype=torch.float64, requires_grad=True)
        t = torch.randn(1, 16, dtype=torch.float64)
        (t * fn(x)).sum().backward()
        gains.append(float(x.grad.norm() / t.norm()))
    return float(np.median(gains))


def _ste(x):
    class STE(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return torch.tanh(4 * x)

        @staticmethod
        def backward(ctx, grad):
            return grad
    return STE.apply(x)


def test_a_straight_through_activation_is_not_judged_and_says_why():
    units = _units()
    flow = analyze(units["Squash"].program).flow
    # torch: the gain is exactly 1 (the hand-written backward), not tanh's derivative
    assert _torch_gain(_ste) == pytest.approx(1.0)
    assert flow is not None and flow.verdict == "not judged"
    text = "\n".join(model_view.flow_markdown(_Unit(units["Squash"])))
    assert "**Gradient flow: not judged**" in text
    assert "SquashSTE.backward" in text  # the reason, on the verdict's line
    line = next(ln for ln in text.splitlines() if "not judged" in ln)
    assert "runs the hand-written SquashSTE.backward" in line


def test_the_same_activation_without_a_hand_written_backward_is_judged():
    units = _units()
    flow = analyze(units["Plain"].program).flow
    assert flow is not None and flow.verdict != "not judged"
    ours = flow.inputs[0].gain
    theirs = _torch_gain(lambda x: torch.tanh(4 * x))
    assert theirs / 2 <= ours <= theirs * 2
