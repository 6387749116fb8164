"""The classic init loop of ResNet/MobileNet-era files,
``n = m.kernel_size[0] * m.kernel_size[1] * m.out_channels;
m.weight.data.normal_(0, math.sqrt(2. / n))`` (He init over fan_out): the
layer's sizes are read from the built layer, so the weights are drawn at
the file's own law instead of "not modelled"; the law's spread is checked
against the weights torch draws from the same loop."""

import math
import textwrap

import pytest
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze

torch = pytest.importorskip("torch")

SOURCE = textwrap.dedent("""
    import math
    import torch.nn as nn


    class Tower(nn.Module):
        def __init__(self):
            super().__init__()
            self.c1 = nn.Conv2d(3, 24, 3, padding=1)
            self.c2 = nn.Conv2d(24, 32, 5, padding=2)
            self.c3 = nn.Conv2d(32, 32, (1, 3), padding=(0, 1))
            self.fc = nn.Linear(32, 10)
            for m in self.modules():
                if isinstance(m, nn.Conv2d):
                    n = m.kernel_size[0] * m.kernel_size[1] * m.out_channels
                    m.weight.data.normal_(0, math.sqrt(2. / n))
                elif isinstance(m, nn.Linear):
                    m.weight.data.normal_(0, 0.01)

        def forward(self, x):
            x = self.c3(self.c2(self.c1(x).relu()).relu()).relu()
            return self.fc(x.mean([2, 3]))


    class Square(nn.Module):
        def __init__(self):
            super().__init__()
            self.c1 = nn.Conv2d(3, 24, 3, padding=1)
            self.c2 = nn.Conv2d(24, 32, 5, padding=2)
            self.fc = nn.Linear(32, 10)
            for m in self.modules():
                if isinstance(m, nn.Conv2d):
                    n = m.kernel_size[0] * m.kernel_size[1] * m.out_channels
                    m.weight.data.normal_(0, math.sqrt(2. / n))

        def forward(self, x):
            x = self.c2(self.c1(x).relu()).relu()
            return self.fc(x.mean([2, 3]))
    """)
fixtures = {}
exec(compile(SOURCE, "init_fan_out_fixture", "exec"), fixtures)  # our own fixture, for torch


def _units():
    return {u.label: u for u in read_document(SOURCE, path="tower.py").programs}


def _std(decl) -> float:
    lo, hi = (float(v) for v in decl.range)
    return (hi - lo) / (2 * math.sqrt(3.0))  # the declared range has the law's variance


def test_the_fan_out_law_is_read_at_the_layer_sizes_torch_draws_it_at():
    unit = _units()["Square"]
    report = analyze(unit.program)
    assert not [f for f in report.findings if "does not model" in f.message]
    torch.manual_seed(0)
    m = fixtures["Square"]()
    for name, conv in (("W_c1", m.c1), ("W_c2", m.c2)):
        ours = _std(unit.program.declaration(name))
        theirs = float(conv.weight.detach().std())
        expected = math.sqrt(2.0 / (conv.kernel_size[0] * conv.kernel_size[1]
                                    * conv.out_channels))
        assert ours == pytest.approx(expected, rel=1e-6)
        assert theirs == pytest.approx(expected, rel=0.1)
    assert report.flow is not None and len(report.flow.layers) == 3


def test_a_kernel_of_unequal_sides_is_read_side_by_side():
    unit = _units()["Tower"]
    torch.manual_seed(0)
    m = fixtures["Tower"]()
    assert m.c3.kernel_size == (1, 3)
    ours = _std(unit.program.declaration("W_c3"))
    assert ours == pytest.approx(math.sqrt(2.0 / (1 * 3 * 32)), rel=1e-6)
    assert float(m.c3.weight.detach().std()) == pytest.approx(ours, rel=0.15)
