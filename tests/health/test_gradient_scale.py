"""A model whose gradients explode in size while its first/last ratio is
flat (weights drawn N(0, 1) on width-64 ReLU layers) is "exploding", as
PyTorch measures it: |∂L/∂W| of 1e7 and more in every layer (red team
round 8 called it "healthy", exit 0). The same model at PyTorch's default
init stays healthy. Both checked against torch at the same seeds."""

import importlib.util
import pathlib

import pytest
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze
from chainlens.engine.health.model import GRADIENT_EXPLODES

torch = pytest.importorskip("torch")

HERE = pathlib.Path(__file__).parent
_spec = importlib.util.spec_from_file_location("chainlens_torch_flow_scale",
                                               HERE.parent / "models" / "torch_flow.py")
torch_flow = importlib.util.module_from_spec(_spec)  # tests are not a package
_spec.loader.exec_module(torch_flow)

SOURCE = '''import torch
import torch.nn as nn


class Drawn(nn.Module):
    def __init__(self, width=64, depth=10):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(width, width) for _ in range(depth)])
        self.out = nn.Linear(width, 1)
        for layer in self.layers:
            nn.init.normal_(layer.weight, std=1.0)

    def forward(self, x):
        for layer in self.layers:
            x = torch.relu(layer(x))
        return self.out(x)


class Default(nn.Module):
    def __init__(self, width=64, depth=3):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(width, width) for _ in range(depth)])
        self.out = nn.Linear(width, 1)

    def forward(self, x):
        for layer in self.layers:
            x = torch.relu(layer(x))
        return self.out(x)
'''


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    path = tmp_path_factory.mktemp("scale") / "scale_models.py"
    path.write_text(SOURCE)
    units = {u.label: u for u in read_document(SOURCE, path=str(path)).programs}
    return torch_flow.load(path, "chainlens_scale_models"), units


def test_gradients_that_explode_in_size_are_exploding(models):
    module, units = models
    grads = torch_flow.torch_layer_grads(module.Drawn, 64)
    assert min(grads) > GRADIENT_EXPLODES and 1e-3 < grads[0] / grads[-1] < 1e3  # torch
    report = analyze(units["Drawn"].program)
    assert report.flow.verdict == "exploding"
    torch_flow.assert_layers_agree(report.flow, grads, 5.0)
    finding = next(f for f in report.findings if f.kind == "exploding")
    assert finding.severity == "warning" and "the file's own initialisation" in finding.message
    top = max(report.flow.layers, key=lambda f: f.grad)
    assert max(grads) / 5 <= top.grad <= max(grads) * 5


def test_the_same_model_at_the_default_init_is_healthy(models):
    module, units = models
    grads = torch_flow.torch_layer_grads(module.Default, 64)
    assert max(grads) < GRADIENT_EXPLODES
    report = analyze(units["Default"].program)
    assert report.flow.verdict == torch_flow.verdict(grads[0] / grads[-1]) == "healthy"
    assert not {f.kind for f in report.findings} & {"vanishing", "exploding"}
