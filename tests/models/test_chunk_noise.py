"""torch.chunk / torch.split written as functions of a layer's output are
its methods (``torch.chunk(h, 2, dim=-1)`` is ``h.chunk(2, dim=-1)``: the
layer's rows cut into pieces), and ``torch.randn((B, d))`` drawn in forward
is noise of unit variance, an input the gradient does not reach (#12,
heldout9: a VAE's mean-field encoder and a diffusion UNet's QKV attention).
Checked against torch at the same default init (16 seeded draws each side).
Fixtures: tests/models/fixtures/chunk_noise.py."""

import pathlib

import pytest
import torch_flow  # loaded by conftest.py (tests are not a package)
from chainlens.engine.frontends.document import read_document

torch = pytest.importorskip("torch")

HERE = pathlib.Path(__file__).parent
FACTOR = 2.0
READ = torch_flow.FixtureFile(HERE / "fixtures" / "chunk_noise.py",
                              "chainlens_chunk_noise_fixtures", FACTOR)
fixtures = READ.module


def _rows(width=16):
    return lambda: torch.randn(1, width)


def test_torch_chunk_and_randn_noise_agree_with_torch():
    READ.agree("MeanField", torch_flow.torch_ratios(
        fixtures.MeanField, _rows(),
        [lambda m: m.inp.weight.grad, lambda m: m.head.weight.grad,
         lambda m: m.out.weight.grad]))
    assert "noise (torch.randn) is an input of unit variance" in READ.notes("MeanField")


def test_torch_split_of_a_projection_agrees_with_torch():
    READ.agree("SplitHeads", torch_flow.torch_ratios(
        fixtures.SplitHeads, _rows(),
        [lambda m: m.qkv.weight.grad, lambda m: m.proj.weight.grad]))


def test_numpy_split_counts_sections_and_is_not_read_as_torch_split():
    # np.split(x, 3) makes 3 pieces, torch.split(x, 3) pieces of size 3: only torch's
    # spelling is read as the method, so this forward is not read as a torch split
    text = ("import numpy as np\nimport torch\nfrom torch import nn\n\n"
            "class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
            "        self.a = nn.Linear(4, 4)\n\n    def forward(self, x):\n"
            "        p, q = np.split(torch.tanh(x), 2)\n        return self.a(p + q)\n")
    doc = read_document(text, path="m.py")
    assert not doc.programs
    assert "np.split(...) is not a function chainlens models" in {
        s.name: s.reason for s in doc.skipped}["M.forward"]


def test_a_nan_check_that_logs_and_breaks_is_not_taken_as_torch_at_its_init():
    READ.agree("NanChecked", torch_flow.torch_ratios(
        fixtures.NanChecked, _rows(),
        [lambda m, i=i: m.linears[i].weight.grad for i in range(4)]))
    assert "a NaN/inf check, read as not taken" in READ.notes("NanChecked")


def test_a_nan_check_that_changes_the_values_is_still_data_dependent():
    assert "NanCounted" not in READ.units
    assert "depends on data" in READ.skips["NanCounted.forward"]


def test_skips_popped_from_a_list_agree_with_torch():
    READ.agree("PoppedSkips", torch_flow.torch_ratios(
        fixtures.PoppedSkips, _rows(),
        [lambda m: m.down[0].weight.grad, lambda m: m.down[1].weight.grad,
         lambda m: m.up[0].weight.grad, lambda m: m.up[1].weight.grad]))
