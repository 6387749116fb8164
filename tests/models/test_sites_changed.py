"""A construction site's values as Python has them at the call (issue #12,
red team G11): a value the file changes between its assignment and the
construction (``cfg.depth = 2``, ``sizes[0] = 2``, ``config.update(...)``,
``depth //= 10``, ``args.depth = 2``) is unknown there, never the stale
value (a 20-layer reading of a 2-layer model gave a false 'vanishing'); a
later assignment does not reach back; a class whose parameters all have
defaults is read with the arguments the file builds it with."""


import pytest
from chainlens.engine.frontends.document import read_document

NET = '''import argparse
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class Config:
    depth: int = 20


class Net(nn.Module):
    def __init__(self, depth=20, width=32):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(width, width) for _ in range(depth)])

    def forward(self, x):
        for l in self.layers:
            x = torch.sigmoid(l(x))
        return x


class CfgNet(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(32, 32) for _ in range(cfg.depth)])

    def forward(self, x):
        for l in self.layers:
            x = torch.sigmoid(l(x))
        return x


'''
CHANGED = {
    "dict.update": "config = dict(depth=20, width=32)\nconfig.update(depth=2)\n"
                   "model = Net(**config)\n",
    "item assignment": "sizes = [20, 32]\nsizes[0] = 2\nmodel = Net(*sizes)\n",
    "augmented assignment": "depth = 20\ndepth //= 10\nmodel = Net(depth)\n",
    "attribute of options": (
        "parser = argparse.ArgumentParser()\nparser.add_argument('--depth', type=int, "
        "default=20)\nargs = parser.parse_args([])\nargs.depth = 2\nmodel = Net(args.depth)\n"),
    "in a function": "def build():\n    depth = 20\n    depth -= 18\n    return Net(depth)\n",
    "inside a loop": "depth = 20\nfor _ in range(9):\n    depth -= 2\nmodel = Net(depth)\n",
}


def _net(tail: str, name: str = "Net"):
    doc = read_document(NET + tail, path="site.py")
    units = {u.label: u for u in doc.programs}
    return units[name], {s.name: s.reason for s in doc.skipped}


@pytest.mark.parametrize("spelling", sorted(CHANGED))
def test_a_value_changed_before_the_call_is_unknown_never_the_stale_one(spelling):
    unit, _ = _net(CHANGED[spelling])
    layers = [d for d in unit.program.declarations if d.name.startswith("W")]
    assert len(layers) != 20, spelling  # the stale depth
    notes = " | ".join(unit.notes)
    assert "a count the file does not fix" in notes, notes
    if spelling != "dict.update":
        assert "is changed at line" in notes, notes


def test_a_config_changed_before_the_call_is_not_its_class_defaults():
    unit, _ = _net("cfg = Config()\ncfg.depth = 2\nmodel = CfgNet(cfg)\n", "CfgNet")
    notes = " | ".join(unit.notes)
    assert "the defaults of Config" not in notes and "cfg is changed at line" in notes


def test_an_assignment_after_the_call_does_not_reach_back():
    unit, _ = _net("depth = 2\nmodel = Net(depth)\ndepth = 20\n")
    assert len([d for d in unit.program.declarations if d.name.startswith("W")]) == 2


def test_a_class_with_defaults_is_read_as_the_file_builds_it_and_matches_torch():
    torch = pytest.importorskip("torch")
    import torch_flow  # loaded by conftest.py (tests are not a package)

    unit, _ = _net("model = Net(depth=3)\n")
    assert "built as the file builds it" in " | ".join(unit.notes)
    namespace: dict = {}
    exec(compile(NET, "site_net.py", "exec"), namespace)  # the fixture's own classes
    grads = torch_flow.torch_layer_grads(lambda: namespace["Net"](depth=3), 32)
    from chainlens.engine.health.analysis import analyze
    flow = analyze(unit.program).flow
    torch_flow.assert_layers_agree(flow, grads, 3.0)
    assert flow.verdict == torch_flow.verdict(grads[0] / grads[-1])
    assert torch is not None
