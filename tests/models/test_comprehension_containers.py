"""ModuleList/Sequential built from a generator or a nested comprehension
are read like the bracketed list (red team F9), and their flow agrees with
PyTorch's (tests/models/fixtures/comprehensions.py)."""

import pathlib

import pytest
import torch_flow  # loaded by conftest.py (tests are not a package)
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze

torch = pytest.importorskip("torch")

HERE = pathlib.Path(__file__).parent
FIXTURE = HERE / "fixtures" / "comprehensions.py"
FACTOR = 5.0  # per-layer ratios, 16 seeded draws each side
models = torch_flow.load(FIXTURE, "chainlens_comprehension_fixtures")
UNITS = {u.label: u for u in read_document(FIXTURE.read_text(), path=str(FIXTURE)).programs}


@pytest.mark.parametrize("name", sorted(models.FIXTURES))
def test_comprehension_containers_are_read_and_agree_with_torch(name):
    grads = torch_flow.torch_layer_grads(getattr(models, name), models.FIXTURES[name])
    flow = analyze(UNITS[name].program).flow
    torch_flow.assert_layers_agree(flow, grads, FACTOR)
    assert flow.verdict == torch_flow.verdict(grads[0] / grads[-1])


def test_each_block_of_a_nested_comprehension_has_its_own_weights():
    weights = {d.name for d in UNITS["NestedComprehensionSequential"].program.declarations
               if d.role == "param" and len(d.shape) == 2}
    assert len(weights) == 15
