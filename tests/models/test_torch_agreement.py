"""chainlens's measured gradient flow against PyTorch's own, on fixtures
PyTorch users measure (tests/models/fixtures/stacks.py, read by chainlens
with ast and imported here to run with torch)."""

import pathlib

import pytest
import torch_flow  # loaded by conftest.py (tests are not a package)
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze

torch = pytest.importorskip("torch")

HERE = pathlib.Path(__file__).parent
FIXTURE = HERE / "fixtures" / "stacks.py"
#: per-layer ratios must agree within this factor (16 seeded draws each side)
FACTOR = 5.0
stacks = torch_flow.load(FIXTURE, "chainlens_model_fixtures")
DOC = read_document(FIXTURE.read_text(), path=str(FIXTURE))
UNITS = {u.label: u for u in DOC.programs}


def test_every_fixture_class_is_read():
    assert set(stacks.FIXTURES) <= set(UNITS), DOC.skipped
    assert all(UNITS[name].kind == "module" for name in stacks.FIXTURES)


@pytest.mark.parametrize("name", sorted(stacks.FIXTURES))
def test_per_layer_ratios_and_verdict_agree_with_torch(name):
    cls, width = stacks.FIXTURES[name]
    grads = torch_flow.torch_layer_grads(cls, width)
    report = analyze(UNITS[name].program)
    flow = report.flow
    torch_flow.assert_layers_agree(flow, grads, FACTOR)
    assert flow.verdict == torch_flow.verdict(grads[0] / grads[-1])
    kinds = {f.kind for f in report.findings}
    if grads[0] / grads[-1] < 1:
        assert "exploding" not in kinds  # never "exploding" where torch measures < 1
    if flow.verdict == "healthy":
        assert not kinds & {"vanishing", "exploding"}
    else:
        assert flow.verdict in kinds


def test_a_module_level_sequential_is_measured_at_torch_init():
    src = "from torch import nn\nmodel = nn.Sequential(\n" + "".join(
        "    nn.Linear(32, 32), nn.Sigmoid(),\n" for _ in range(20)) + ")\n"
    unit = read_document(src, path="m.py").programs[0]
    report = analyze(unit.program)
    assert report.flow.verdict == "vanishing"
    assert [f.kind for f in report.findings] == ["vanishing"]  # no static "exploding"
