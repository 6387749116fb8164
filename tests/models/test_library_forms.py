"""Library forms and __init__ arguments (#12): torch.addmm(b, x, W) read as
b + x @ W (checked per layer against PyTorch); a beta/alpha scale, a layer
class picked by getattr(nn, <argument>) and a hyper-parameter with no
default and no call site are skipped with the construct named; a library
name a project module imports bare (``from torch.nn.utils import
weight_norm`` in blocks.py) is read in the class copied from it as in the
file itself."""

import importlib.util
import pathlib
import sys

import pytest
import torch_flow  # loaded by conftest.py (tests are not a package)
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze

torch = pytest.importorskip("torch")

HERE = pathlib.Path(__file__).parent
READ = torch_flow.FixtureFile(HERE / "fixtures" / "library_forms.py",
                              "chainlens_library_forms_fixtures", 2.0)


def test_addmm_is_bias_plus_product_as_torch_measures_it():
    theirs = torch_flow.torch_ratios(READ.module.AddmmNet, lambda: torch.randn(1, 24), [
        lambda m: m.fc1.weight.grad, lambda m: m.w.grad, lambda m: m.fc3.weight.grad])
    READ.agree("AddmmNet", theirs)


def test_a_scaled_addmm_is_skipped_by_name():
    assert "beta=" in READ.skips["ScaledAddmm.forward"]


def test_getattr_of_nn_by_an_argument_names_the_argument():
    reason = READ.skips["PickedRNN.forward"]
    assert "getattr(nn, …)" in reason and "rnn_type is an argument of __init__" in reason


def test_a_hyper_parameter_with_no_site_is_named():
    reason = READ.skips["Margin.forward"]
    assert ("margin is an argument of __init__ with no default and no call site chainlens "
            "reads") in reason


BLOCKS = '''
import torch
from torch import nn
from torch.nn.utils import weight_norm


class Block(nn.Module):
    def __init__(self, d=16):
        super().__init__()
        self.fc = weight_norm(nn.Linear(d, d))

    def forward(self, x):
        return torch.tanh(self.fc(x))
'''

MODEL = '''
from torch import nn

from blocks import Block


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.b1 = Block()
        self.b2 = Block()
        self.out = nn.Linear(16, 16)

    def forward(self, x):
        return self.out(self.b2(self.b1(x)))
'''


def test_a_library_name_imported_in_a_project_module_is_read(tmp_path):
    (tmp_path / "blocks.py").write_text(BLOCKS)
    (tmp_path / "model.py").write_text(MODEL)
    path = tmp_path / "model.py"
    doc = read_document(path.read_text(), path=str(path))
    units = {u.label: u for u in doc.programs}
    assert "Net" in units, {s.name: s.reason for s in doc.skipped}
    sys.path.insert(0, str(tmp_path))
    try:
        model = importlib.import_module("model")
        rows = []
        for seed in range(16):
            torch.manual_seed(seed)
            net = model.Net().double()
            x = torch.randn(1, 16, dtype=torch.float64)
            wrapped = net(x)
            for block in (net.b1, net.b2):  # weight norm at init: W = |v|·v/|v| = v
                torch.nn.utils.remove_weight_norm(block.fc)
            out = net(x)
            assert torch.allclose(wrapped, out)  # the same forward as the plain layers
            (torch.randn(out.shape, dtype=torch.float64) * out).sum().backward()
            rows.append([float(m.weight.grad.norm()) for m in (net.b1.fc, net.b2.fc, net.out)])
    finally:
        sys.path.remove(str(tmp_path))
        for name in ("model", "blocks"):
            sys.modules.pop(name, None)
    med = [sorted(col)[len(col) // 2] for col in zip(*rows, strict=True)]
    flow = analyze(units["Net"].program).flow
    torch_flow.assert_ratios_agree([f.ratio for f in flow.layers], [m / med[-1] for m in med],
                                   2.0)
    assert flow.verdict == "healthy"


def test_a_static_forward_takes_its_first_parameter_as_the_input():
    # @staticmethod def forward(x) (yolov5's Mish): x is the input, there is no self
    assert "StaticMish" in READ.units, READ.skips
    theirs = torch_flow.torch_ratios(READ.module.MishNet, lambda: torch.randn(1, 24), [
        lambda m: m.fc1.weight.grad, lambda m: m.fc2.weight.grad, lambda m: m.fc3.weight.grad])
    READ.agree("MishNet", theirs)
