"""A module class whose layers or sizes are decided outside its own
``__init__`` (issue #12): read with the arguments of the file's own
construction of it, wherever that is (a factory, ``make_model()`` and its
locals, module level, ``**config``, a config record, argparse defaults),
and the hover says which site.  Fixtures tests/models/fixtures/sites_*.py
are read with ast and imported here to run with torch: the per-layer
ratios agree with PyTorch's."""

import pathlib

import pytest
import torch_flow  # loaded by conftest.py (tests are not a package)
from chainlens.engine.frontends.document import read_document

torch = pytest.importorskip("torch")

HERE = pathlib.Path(__file__).parent
#: per-layer ratios agree within this factor (16 seeded draws each side)
FACTOR = 3.0
FACTORY = torch_flow.FixtureFile(HERE / "fixtures" / "sites_factory.py",
                                 "chainlens_sites_factory", FACTOR)
MAKE = torch_flow.FixtureFile(HERE / "fixtures" / "sites_make_model.py",
                              "chainlens_sites_make_model", FACTOR)
CONFIGS = torch_flow.FixtureFile(HERE / "fixtures" / "sites_configs.py",
                                 "chainlens_sites_configs", FACTOR)


def _agree(fixture: torch_flow.FixtureFile, name: str, make, width: int) -> None:
    grads = torch_flow.torch_layer_grads(make, width)
    flow = fixture.flow(name)
    torch_flow.assert_layers_agree(flow, grads, FACTOR)
    assert flow.verdict == torch_flow.verdict(grads[0] / grads[-1])


def _widths(fixture: torch_flow.FixtureFile, name: str) -> list[tuple]:
    program = fixture.units[name].program
    return [tuple(d.shape) for d in program.declarations if d.name.startswith("W")]


def test_a_factory_builds_the_feature_stack_from_a_config_dict():
    # VGG(make_layers(cfg["S"])): continue on "D" markers, the dict entry by key
    _agree(FACTORY, "VGG", FACTORY.module.vgg_small, 8)
    assert _widths(FACTORY, "VGG")[:4] == [(32, 8), (32, 32), (32, 32), (16, 32)]
    notes = FACTORY.notes("VGG")
    assert "in vgg_small()" in notes and "1 other site builds it" in notes


def test_break_in_a_factory_loop_stops_the_stack_as_python_does():
    source = (HERE / "fixtures" / "sites_factory.py").read_text().replace(
        "def vgg_small():", "def vgg_first():\n    return VGG(make_layers(cfg['L']))\n\n\n"
        "def vgg_small():")
    doc = read_document(source, path="sites_factory_large.py")
    unit = next(u for u in doc.programs if u.label == "VGG")
    weights = [tuple(d.shape) for d in unit.program.declarations if d.name.startswith("W")]
    # 64, 64, D, 64, 64, 64, D, 32, end: six layers, nothing after the break
    assert [w[0] for w in weights] == [64, 64, 64, 64, 64, 32, 16, 4]


def test_make_model_locals_and_defaults_build_the_encoder_layers():
    _agree(MAKE, "Encoder", MAKE.module.make_model, 24)
    _agree(MAKE, "EncoderLayer", lambda: MAKE.module.make_model().layers[0], 24)
    assert "in make_model()" in MAKE.notes("Encoder")
    assert set(_widths(MAKE, "Encoder")) == {(24, 24), (48, 24), (24, 48)}


def test_a_function_site_takes_the_arguments_of_the_files_call_of_it():
    # stack = make_stack(12): width 12 from the call, depth 4 from the default
    _agree(MAKE, "Stack", lambda: MAKE.module.make_stack(12), 12)
    assert _widths(MAKE, "Stack") == [(12, 12)] * 4 + [(2, 12)]


@pytest.mark.parametrize("name, make, width", [
    ("KwNet", lambda m: m.KwNet(**m.config), 12),
    ("DictNet", lambda m: m.DictNet(m.config), 12),
    ("TupleNet", lambda m: m.TupleNet(m.HP(10, hidden=20)), 10),
    ("DeepNet", lambda m: m.DeepNet(m.Config(hidden=48, depth=3)), 48),
    ("ArgNet", lambda m: m.ArgNet(40, 5), 40),
])
def test_sizes_given_at_the_site_match_torch(name, make, width):
    _agree(CONFIGS, name, lambda: make(CONFIGS.module), width)


def test_config_records_and_argparse_defaults_fix_the_widths():
    assert _widths(CONFIGS, "DeepNet") == [(48, 48)] * 3 + [(1, 48)]  # not Config's defaults
    assert _widths(CONFIGS, "TupleNet") == [(20, 10), (1, 20)]
    assert _widths(CONFIGS, "ArgNet") == [(40, 40)] * 5  # --hidden-size, --n_layers
    assert "1 other site builds it" in CONFIGS.notes("TupleNet")


def test_an_argument_no_site_fixes_keeps_the_typical_width_and_says_so():
    # --width has no default: argparse gives None, chainlens assumes and says it
    notes = CONFIGS.notes("Unsized")
    assert "in main()" in notes and "widths not written in the file are 16" in notes


SPELLINGS = {
    "module level": "model = Net(20, 30, 4)\n",
    "main block": "if __name__ == '__main__':\n    model = Net(20, 30, 4)\n",
    "factory": "def net():\n    return Net(20, 30, 4)\n",
    "factory passing its **kwargs": (
        "def net(pretrained=False, **kwargs):\n"
        "    return Net(20, hidden=30, d_out=4, **kwargs)\n\n\n"
        "def wide(**kwargs):\n    return Net(20, 300, 4, **kwargs)\n"),
    "locals of a function": "def build(n_out=4):\n    d_in, hidden = 20, 30\n"
                            "    d_in = 20\n    return Net(d_in, hidden, n_out)\n",
    "argparse in main()": (
        "import argparse\n\n\ndef main():\n    p = argparse.ArgumentParser()\n"
        "    p.add_argument('--inp', type=int, default=20)\n"
        "    p.add_argument('--hid', dest='hidden', type=int, default=30)\n"
        "    args = p.parse_args()\n    return Net(args.inp, args.hidden, 4)\n"),
    "argparse through a helper": (
        "import argparse\n\n\ndef get_args():\n    p = argparse.ArgumentParser()\n"
        "    p.add_argument('--inp', type=int, default=20)\n"
        "    p.add_argument('--hidden', type=int, default=30)\n"
        "    args = p.parse_args()\n    return args\n\n\n"
        "def main():\n    args = get_args()\n    return Net(args.inp, args.hidden, 4)\n"),
    "a record spread from a dict": (
        "from dataclasses import dataclass\n\n\n@dataclass\nclass Cfg:\n    d_in: int = 1\n"
        "    hidden: int = 1\n\n\nsizes = dict(d_in=20, hidden=30)\ncfg = Cfg(**sizes)\n"
        "model = Net(cfg.d_in, cfg.hidden, 4)\n"),
    "options spread with vars()": (
        "import argparse\n\nparser = argparse.ArgumentParser()\n"
        "parser.add_argument('--d_in', type=int, default=20)\n"
        "parser.add_argument('--hidden', type=int, default=30)\n"
        "parser.add_argument('--d_out', type=int, default=4)\n"
        "args = parser.parse_args()\nmodel = Net(**vars(args))\n"),
    "starred list": "SIZES = [20, 30, 4]\nmodel = Net(*SIZES)\n",
    "keywords": "model = Net(d_out=4, hidden=30, d_in=20)\n",
}
NET = '''import torch.nn as nn


class Net(nn.Module):
    def __init__(self, d_in, hidden, d_out):
        super().__init__()
        self.fc1 = nn.Linear(d_in, hidden)
        self.fc2 = nn.Linear(hidden, d_out)

    def forward(self, x):
        return self.fc2(self.fc1(x).relu())


'''


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
def test_each_spelling_of_the_site_gives_the_same_sizes(spelling):
    doc = read_document(NET + SPELLINGS[spelling], path="net.py")
    unit = next(u for u in doc.programs if u.label == "Net")
    weights = [tuple(d.shape) for d in unit.program.declarations if d.name.startswith("W")]
    assert weights == [(30, 20), (4, 30)], (spelling, [s.reason for s in doc.skipped])
    assert any("built as the file builds it" in n for n in unit.notes)


def test_unrelated_statements_of_the_site_function_do_not_reach_the_class():
    # main() re-initialises g (another model); Net, built later in main(), is read
    # at its own defaults: only the assignments its arguments use are read
    source = NET + (
        "class Gen(nn.Module):\n    def __init__(self, d):\n        super().__init__()\n"
        "        self.fc = nn.Linear(d, d)\n\n    def forward(self, z):\n"
        "        return self.fc(z)\n\n\n"
        "def main(width=20):\n    g = Gen(8)\n    nn.init.zeros_(g.fc.weight)\n"
        "    g.fc.weight.data.normal_(0, 0.02)\n    hidden = 30\n"
        "    d = Net(width, hidden, 4)\n    return g, d\n")
    doc = read_document(source, path="gan.py")
    unit = next(u for u in doc.programs if u.label == "Net")
    notes = " | ".join(unit.notes)
    assert "in main()" in notes and "not measured" not in notes
    weights = [tuple(d.shape) for d in unit.program.declarations if d.name.startswith("W")]
    assert weights == [(30, 20), (4, 30)]
