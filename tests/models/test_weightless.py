"""Modules without weights (activations, ``x + pe``, scaled outputs) are
read and shown with the gradient's gain over their input, measured at
inputs of unit variance as PyTorch would measure it: ‖∂L/∂x‖ / ‖∂L/∂y‖ for
L = Σ t·y, and per coordinate |∂L/∂xᵢ| / |tᵢ| (an elementwise activation's
derivative).  Fixtures: tests/models/fixtures/weightless.py, read with ast
and imported to run with torch."""

import importlib.util
import math
import pathlib

import numpy as np
import pytest
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze
from chainlens.server.lsp import model_view

torch = pytest.importorskip("torch")

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "weightless.py"
_spec = importlib.util.spec_from_file_location("chainlens_weightless_fixtures", FIXTURE)
fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixtures)
DOC = read_document(FIXTURE.read_text(), path=str(FIXTURE))
UNITS = {u.label: u for u in DOC.programs}
WIDTH = 16  # chainlens reads an unsized input at 16 features
ROOT3 = math.sqrt(3.0)


def _unit_variance(*shape):
    return (torch.rand(*shape, dtype=torch.float64) * 2 - 1) * ROOT3


def _torch_gain(cls, seeds: int = 64, inputs: int = 1):
    """Median over seeds of ‖∂L/∂x‖ / ‖t‖ and the 5-95% range of |∂L/∂xᵢ| / |tᵢ|
    with x, t ~ U(±√3) (unit variance, as chainlens draws them); a scalar
    output (a loss) is L itself and the gain ‖∂L/∂x‖."""
    torch.manual_seed(0)
    model = cls().double().eval()
    gains, per = [], []
    for _ in range(seeds):
        xs = [_unit_variance(1, WIDTH).requires_grad_() for _ in range(inputs)]
        y = model(*xs)
        x = xs[0]
        if y.dim() == 0:
            y.backward()
            gains.append(float(x.grad.norm()))
            continue
        t = _unit_variance(*y.shape)
        (t * y).sum().backward()
        gains.append(float(x.grad.norm() / t.norm()))
        keep = t.abs() > 1e-3
        per += (x.grad[keep].abs() / t[keep].abs()).tolist()
    return float(np.median(gains)), (np.percentile(per, [5, 95]) if per else (None, None))


@pytest.mark.parametrize("name", ["Swish", "SwishBeta", "Mish", "NewGELU", "MethodTanh",
                                  "SinePE", "Scaled", "HardMish", "ReLU6", "ClampMethods",
                                  "MaxOfTwo", "EpsLog", "TanhGELU"])
def test_the_gain_over_the_input_agrees_with_torch(name):
    flow = analyze(UNITS[name].program).flow
    assert flow is not None and not flow.layers and len(flow.inputs) == 1
    gain = flow.inputs[0]
    expected, (low, high) = _torch_gain(getattr(fixtures, name))
    assert gain.relative
    assert expected / 1.25 <= gain.gain <= expected * 1.25, (gain, expected)
    # the derivative's range at typical inputs (the tails of 16 x 16 draws)
    assert low / 2 - 1e-3 <= gain.low <= low * 2 + 1e-3, (gain, low)
    assert high / 1.3 <= gain.high <= high * 1.3, (gain, high)
    assert flow.verdict == "healthy"  # each passes the gradient on (gain 0.3 .. 1.3)


@pytest.mark.parametrize("name", ["SmoothL1", "Huber", "MixedLoss", "PerElementMSE"])
def test_losses_in_forward_are_read_with_their_gain_over_the_prediction(name):
    """nn.SmoothL1Loss(reduction="sum", beta=0.5) called with input=/target=,
    nn.HuberLoss(delta), F.l1_loss + F.binary_cross_entropy_with_logits with
    keywords, nn.MSELoss(reduction="none"): the gradient reaching the
    prediction, as torch computes it."""
    flow = analyze(UNITS[name].program).flow
    assert flow is not None and [g.name for g in flow.inputs][:1] == ["pred"]
    gain = flow.inputs[0]
    expected, (low, high) = _torch_gain(getattr(fixtures, name), inputs=2)
    assert expected / 1.25 <= gain.gain <= expected * 1.25, (gain, expected)
    assert gain.relative == (name == "PerElementMSE")  # a scalar loss: ‖∂L/∂pred‖ itself
    if low is not None:
        assert high / 1.3 <= gain.high <= high * 1.3, (gain, high)


def test_a_saturated_activation_is_said_to_shrink_the_gradient_as_torch_measures():
    flow = analyze(UNITS["Saturated"].program).flow
    expected, _ = _torch_gain(fixtures.Saturated)
    assert expected < 1e-3
    assert flow.verdict == "vanishing"
    assert expected / 3 <= flow.inputs[0].gain <= expected * 3, (flow.inputs, expected)


def test_a_registered_buffer_is_not_an_input_of_the_gain():
    flow = analyze(UNITS["SinePE"].program).flow
    assert [g.name for g in flow.inputs] == ["x"]
    assert flow.inputs[0].gain == pytest.approx(1.0)  # x + pe, dropout at evaluation


class _Unit:
    def __init__(self, unit):
        self.source, self.program = unit, unit.program
        self.health = analyze(unit.program)


def test_the_hover_shows_the_gain_and_no_weight_table():
    lines = model_view.flow_markdown(_Unit(UNITS["Mish"]))
    text = "\n".join(lines)
    assert text.startswith("no layer with weights")
    assert "| x |" in text and "‖∂L/∂x‖ / ‖∂L/∂y‖" in text
    assert "**Gradient flow: passes**" in text
    assert "‖∂L/∂W‖" not in text
    assert "no layer with weights: the flow is the gradient's gain" in text  # the note


def test_a_module_with_no_input_and_no_weight_still_says_why():
    src = ("import torch\nfrom torch import nn\n\nclass Const(nn.Module):\n"
           "    def forward(self):\n        return torch.ones(3)\n")
    doc = read_document(src, path="c.py")
    assert not [u for u in doc.programs if u.kind == "module"]
    assert any("no layer with weights and no input" in s.reason for s in doc.skipped)


def test_a_bce_loss_is_measured_at_probabilities_as_torch_takes_them():
    with pytest.raises(RuntimeError):  # torch: BCE's input must lie in [0, 1]
        fixtures.ProbBCE()(_unit_variance(1, WIDTH) * 3, torch.rand(1, WIDTH))
    fixtures.ProbBCE()(torch.rand(1, WIDTH), torch.rand(1, WIDTH))  # probabilities: fine
    report = analyze(UNITS["ProbBCE"].program)
    assert not [f for f in report.findings if f.kind == "nonfinite"]  # never "becomes NaN"
    assert report.flow is not None and report.flow.inputs
    text = "\n".join(model_view.flow_markdown(_Unit(UNITS["ProbBCE"])))
    assert "drawn in U(0, 1)" in text
