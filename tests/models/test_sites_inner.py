"""Classes the file builds only inside other classes (issue #12): read with
the argument values their builder gives them (modules, lambdas, sizes),
the hover naming the builder and line; deep copies keep a re-initialisation
made before the copy.  Fixture tests/models/fixtures/sites_inner.py, read
with ast and imported here to run with torch."""

import pathlib

import pytest
import torch_flow  # loaded by conftest.py (tests are not a package)
from chainlens.engine.frontends.document import read_document

torch = pytest.importorskip("torch")

HERE = pathlib.Path(__file__).parent
FACTOR = 3.0
READ = torch_flow.FixtureFile(HERE / "fixtures" / "sites_inner.py",
                              "chainlens_sites_inner", FACTOR)
fixtures = READ.module


def _agree(name: str, make, width: int) -> None:
    grads = torch_flow.torch_layer_grads(make, width)
    flow = READ.flow(name)
    torch_flow.assert_layers_agree(flow, grads, FACTOR)
    assert flow.verdict == torch_flow.verdict(grads[0] / grads[-1])


def _widths(name: str) -> list[tuple]:
    return [tuple(d.shape) for d in READ.units[name].program.declarations
            if d.name.startswith("W")]


@pytest.mark.parametrize("name, make", [
    ("Encoder", lambda: fixtures.Transformer().encoder),
    ("EncoderLayer", lambda: fixtures.Transformer().encoder.layers[0]),
    ("Transformer", fixtures.Transformer),
])
def test_modules_given_by_the_builder_match_torch(name, make):
    _agree(name, make, 20)


def test_the_hover_names_the_builder_and_its_line():
    assert "built as Transformer builds it (line 77)" in READ.notes("EncoderLayer")
    assert "built as Transformer builds it" in READ.notes("Encoder")
    assert "built as BasicBlock builds it" in READ.notes("LambdaLayer")


def test_a_block_takes_the_sizes_of_its_first_site_in_make_layer():
    # block(self.in_planes, planes, stride) first builds BasicBlock(12, 12, 1)
    _agree("BasicBlock", lambda: fixtures.BasicBlock(12, 12, 1), 12)
    assert _widths("BasicBlock") == [(12, 12), (12, 12)]
    assert "block(self.in_planes, planes, stride)" in READ.notes("BasicBlock")


def test_a_re_initialisation_before_a_deep_copy_is_measured_on_the_copies():
    # FeedForward's own normal_(std=0.01) on `down`, then get_clones deep-copies it
    for name in ("Encoder", "Transformer"):
        assert "not measured" not in READ.notes(name)
        assert "nn.init.normal_(self.down.weight, std=0.01)" in READ.notes(name)


def test_a_lambda_given_as_a_layer_is_read_as_its_body():
    flow = READ.flow("LambdaLayer")
    assert flow is not None and not flow.layers  # weightless: x -> x, gain 1
    assert "LambdaLayer.forward" not in READ.skips


def test_without_any_site_the_class_is_still_skipped_with_the_reason():
    source = '''import torch.nn as nn


class Wrap(nn.Module):
    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        return self.inner(x)
'''
    doc = read_document(source, path="wrap.py")
    reasons = {s.name: s.reason for s in doc.skipped}
    assert "inner is an argument of __init__" in reasons["Wrap.forward"]
