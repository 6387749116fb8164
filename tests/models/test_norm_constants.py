"""A norm whose gain the file sets to a constant (a residual block's last
norm at gamma = 0, torchvision's zero_init_residual, Flax's
``scale_init=nn.initializers.zeros``): read as written, not "not modelled".
At gamma = 0 each block starts as the identity and its branch layers get no
gradient at all, exactly as PyTorch measures them."""

import textwrap

import pytest
import torch_flow  # loaded by conftest.py (tests are not a package)
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze

torch = pytest.importorskip("torch")
nn = torch.nn
F = torch.nn.functional


SOURCE = textwrap.dedent("""
    import torch.nn as nn
    import torch.nn.functional as F


    class Block(nn.Module):
        def __init__(self, c=16, gamma=0.0):
            super().__init__()
            self.fc1 = nn.Linear(c, c)
            self.n1 = nn.LayerNorm(c)
            self.fc2 = nn.Linear(c, c)
            self.n2 = nn.LayerNorm(c)
            nn.init.constant_(self.n2.weight, gamma)

        def forward(self, x):
            h = F.relu(self.n1(self.fc1(x)))
            return F.relu(x + self.n2(self.fc2(h)))


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.inp = nn.Linear(16, 16)
            self.b1 = Block()
            self.b2 = Block(gamma=0.5)
            self.out = nn.Linear(16, 4)

        def forward(self, x):
            return self.out(self.b2(self.b1(self.inp(x))))
    """)
fixtures = {}
exec(compile(SOURCE, "norm_constants_fixture", "exec"), fixtures)  # our own fixture, for torch


def _flow(label):
    doc = read_document(SOURCE, path="blocks.py")
    unit = next(u for u in doc.programs if u.label == label)
    return analyze(unit.program)


def test_a_zero_gamma_is_read_and_its_branch_gets_no_gradient_as_in_torch():
    report = _flow("Net")
    assert not [f for f in report.findings if "does not model" in f.message]
    flow = report.flow
    # torch: b1's branch (gamma 0) gets exactly no gradient, b2's (gamma 0.5) does
    torch.manual_seed(0)
    m = fixtures["Net"]()
    y = m(torch.randn(2, 16))
    (y * torch.randn_like(y)).sum().backward()
    assert torch.count_nonzero(m.b1.fc1.weight.grad) == 0
    assert torch.count_nonzero(m.b1.fc2.weight.grad) == 0
    assert m.b2.fc1.weight.grad.norm() > 0
    assert flow.unreached == ("W_fc1", "W_fc2")  # b1's, the first declared
    assert [row.layer for row in flow.layers] == [1, 4, 5, 6]  # inp, b2.fc1, b2.fc2, out
    ours = [row.ratio for row in flow.layers]
    theirs = torch_flow.torch_ratios(
        fixtures["Net"], lambda: torch.randn(1, 16),
        [lambda n: n.inp.weight.grad, lambda n: n.b2.fc1.weight.grad,
         lambda n: n.b2.fc2.weight.grad, lambda n: n.out.weight.grad])
    torch_flow.assert_ratios_agree(ours, theirs, 3.0)
    assert flow.verdict == "healthy"


FLAX = textwrap.dedent("""
    import flax.linen as nn


    class Residual(nn.Module):
        @nn.compact
        def __call__(self, x):
            h = nn.relu(nn.Dense(16)(x))
            h = nn.LayerNorm(scale_init=nn.initializers.zeros)(nn.Dense(16)(h))
            return nn.Dense(4)(nn.relu(x + h))
    """)


def test_a_flax_norm_at_scale_init_zeros_is_read_as_the_torch_one_is():
    # the same law as torch's constant_(ln.weight, 0) (checked against torch above):
    # the branch's Dense layers get no gradient, the head one
    unit = next(u for u in read_document(FLAX, path="residual.py").programs
                if u.label == "Residual")
    report = analyze(unit.program)
    assert not [f for f in report.findings if "does not model" in f.message]
    assert len(report.flow.unreached) == 2 and len(report.flow.layers) == 1
