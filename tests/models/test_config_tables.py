"""Layers built from a written configuration table (#12, round 8): a
module-level dict of layer lists (``cfg = {'VGG11': [64, 'M', ...]}``,
``self._make_layers(cfg[name])``) and a class attribute list of tuples
(``cfg = [(1, 16, 1, 1), ...]`` of MobileNetV2) are read, so the helper's
loop builds the layers PyTorch builds (they were unknown: the loop over
them built nothing, and the stack was read without its layers).  Checked
against torch at the same default init (16 seeded draws each side).
Fixtures: tests/models/fixtures/config_tables.py."""

import pathlib

import pytest
import torch_flow  # loaded by conftest.py (tests are not a package)

torch = pytest.importorskip("torch")

HERE = pathlib.Path(__file__).parent
FACTOR = 2.0
READ = torch_flow.FixtureFile(HERE / "fixtures" / "config_tables.py",
                              "chainlens_config_tables_fixtures", FACTOR)
fixtures = READ.module


def test_layers_from_a_module_level_dict_of_configurations_agree_with_torch():
    # the file's own site, test(): CfgNet("B"), three convolutions and the classifier
    flow = READ.flow("CfgNet")
    assert len(flow.layers) == 4
    READ.agree("CfgNet", torch_flow.torch_ratios(
        lambda: fixtures.CfgNet("B"), lambda: torch.randn(1, 3, 1, 1),
        [*(lambda m, i=i: m.features[i].weight.grad for i in (0, 3, 5)),
         lambda m: m.classifier.weight.grad]))
    assert "CfgNet(\"B\")" in READ.notes("CfgNet") or "CfgNet('B')" in READ.notes("CfgNet")


def test_layers_from_a_class_attribute_table_agree_with_torch():
    flow = READ.flow("TableNet")
    assert len(flow.layers) == 4  # 1 + 2 stages and the head
    READ.agree("TableNet", torch_flow.torch_ratios(
        fixtures.TableNet, lambda: torch.randn(1, 6),
        [*(lambda m, i=i: m.stages[i].fc.weight.grad for i in range(3)),
         lambda m: m.head.weight.grad]))


def test_a_table_changed_at_module_level_is_not_read_as_written():
    text = (HERE / "fixtures" / "config_tables.py").read_text().replace(
        "\n\nclass CfgNet", "\ncfg['B'] = [8]\n\n\nclass CfgNet", 1)
    from chainlens.engine.frontends.document import read_document
    doc = read_document(text, path="config_tables.py")
    assert "CfgNet" not in {u.label for u in doc.programs}
    assert any(s.name == "CfgNet.forward" and s.reason.startswith("not read:")
               for s in doc.skipped)
