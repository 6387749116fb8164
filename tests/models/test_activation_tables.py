"""An activation picked from a module-level table (#12, round 8):
``ACT2FN = {"gelu": F.gelu, "relu": torch.nn.functional.relu, "swish":
swish}`` then ``self.act_fn = ACT2FN["gelu"]`` (HuggingFace-style BERT/ViT
copies) is the library's gelu or the file's swish, not "ACT2FN['gelu'] is
not read"; ``w.bmm(v)`` is ``torch.bmm(w, v)``.  Checked against torch at
the same default init (16 seeded draws each side).
Fixtures: tests/models/fixtures/activation_tables.py."""

import pathlib

import pytest
import torch_flow  # loaded by conftest.py (tests are not a package)
from chainlens.engine.frontends.document import read_document

torch = pytest.importorskip("torch")

HERE = pathlib.Path(__file__).parent
FACTOR = 2.0
FIXTURE = HERE / "fixtures" / "activation_tables.py"
READ = torch_flow.FixtureFile(FIXTURE, "chainlens_activation_tables_fixtures", FACTOR)
fixtures = READ.module


def _fc(m):
    return [lambda m: m.fc1.weight.grad, lambda m: m.fc2.weight.grad]


@pytest.mark.parametrize("name", ["Mlp", "SwishMlp"])
def test_an_activation_from_a_table_of_functions_agrees_with_torch(name):
    READ.agree(name, torch_flow.torch_ratios(
        getattr(fixtures, name), lambda: torch.randn(1, 16), _fc(None)))


def test_the_table_entry_is_the_function_it_names():
    # gelu and swish differ: the two readings are not one default stand-in
    gelu, swish = READ.flow("Mlp"), READ.flow("SwishMlp")
    assert gelu.layers[0].ratio != pytest.approx(swish.layers[0].ratio, rel=1e-6)


def test_a_table_whose_entry_is_not_a_library_or_file_name_is_not_read():
    text = FIXTURE.read_text().replace('"swish": swish}', '"swish": make_swish()}')
    doc = read_document(text, path="activation_tables.py")
    assert "Mlp" not in {u.label for u in doc.programs}
    assert any(s.name == "Mlp.forward" and s.reason.startswith("not read:")
               for s in doc.skipped)



def test_the_bmm_method_agrees_with_torch_and_with_torch_bmm():
    READ.agree("GatedBmm", torch_flow.torch_ratios(
        fixtures.GatedBmm, lambda: torch.randn(1, 1, 16),
        [lambda m: m.gate.weight.grad, lambda m: m.v.weight.grad, lambda m: m.o.weight.grad]))
    method, function = READ.flow("GatedBmm"), READ.flow("GatedFunctionBmm")
    assert [f.ratio for f in method.layers] == pytest.approx([f.ratio for f in function.layers])
