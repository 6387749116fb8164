"""Statements of forward() and __init__ read for #12 (round 4): helpers
defined inside a method, in-place updates, del / try / retain_grad,
conditional expressions on flags, sum(...) of terms, len(x), shape
comparisons; and what stays a skip (a conditional on data, a while loop).
Fixtures: tests/models/fixtures/statements.py, read with ast and imported
here to run with torch: the per-layer ratios agree with PyTorch's."""

import pathlib

import pytest
import torch_flow  # loaded by conftest.py (tests are not a package)
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze

torch = pytest.importorskip("torch")

HERE = pathlib.Path(__file__).parent
FIXTURE = HERE / "fixtures" / "statements.py"
#: per-layer ratios agree within this factor (16 seeded draws each side)
FACTOR = 3.0
READ = torch_flow.FixtureFile(FIXTURE, "chainlens_statement_fixtures", FACTOR)
fixtures, UNITS, SKIPS = READ.module, READ.units, READ.skips
_flow, _notes, _agree = READ.flow, READ.notes, READ.agree


def _x():
    return (torch.randn(1, 8),)


def test_a_helper_defined_in_init_and_spread_into_sequential_matches_torch():
    _agree("SpreadBlocks", torch_flow.torch_ratios(
        fixtures.SpreadBlocks, _x,
        [lambda m: m.model[0].weight.grad, lambda m: m.model[2].weight.grad,
         lambda m: m.model[5].weight.grad]))


def test_a_helper_in_init_closing_over_a_name_of_init_matches_torch():
    _agree("ClosureBlocks", torch_flow.torch_ratios(
        fixtures.ClosureBlocks, _x,
        [lambda m, i=i: m.body[i][0].weight.grad for i in range(3)]
        + [lambda m: m.head.weight.grad]))


def test_helpers_defined_in_forward_match_torch_and_are_not_skipped_apart():
    _agree("StemInForward", torch_flow.torch_ratios(
        fixtures.StemInForward, _x,
        [lambda m: m.fc1.weight.grad, lambda m: m.fc2.weight.grad,
         lambda m: m.out.weight.grad]))
    # nested helpers belong to their class: no diagnostic of their own
    for helper in ("block", "lin_norm_act", "stem", "head"):
        assert helper not in SKIPS, SKIPS[helper]


def test_in_place_updates_as_statements_are_the_out_of_place_ops():
    _agree("InPlace", torch_flow.torch_ratios(
        fixtures.InPlace, _x,
        [lambda m: m.fc1.weight.grad, lambda m: m.fc2.weight.grad,
         lambda m: m.fc3.weight.grad]))


def test_del_try_and_retain_grad_change_no_gradient():
    assert "read as if nothing raises" in _notes("DelTryRetain")
    _agree("DelTryRetain", torch_flow.torch_ratios(
        fixtures.DelTryRetain, _x, [lambda m: m.fc1.weight.grad, lambda m: m.fc2.weight.grad]))


def test_conditional_expressions_on_flags_take_the_branch_the_flags_pick():
    # use_norm=False: the norm is not applied (not in the table); residual=True
    flow = _flow("FlagIfExp")
    assert [f.name for f in flow.layers] == ["W_fc", "W_out"]
    _agree("FlagIfExp", torch_flow.torch_ratios(
        fixtures.FlagIfExp, _x, [lambda m: m.fc.weight.grad, lambda m: m.out.weight.grad]))


def test_a_conditional_expression_on_data_is_a_skip_with_its_reason():
    assert "DataIfExp" not in UNITS
    assert "`h if h.sum() > 0 else -h` depends on data" in SKIPS["DataIfExp.forward"]


def test_sum_of_a_generator_a_list_and_with_a_start_matches_torch():
    _agree("SumBranches", torch_flow.torch_ratios(
        fixtures.SumBranches, _x,
        [lambda m, i=i: m.branches[i].weight.grad for i in range(3)]
        + [lambda m: m.a.weight.grad, lambda m: m.b.weight.grad]))


def test_len_of_a_sequence_unrolls_the_recurrence_and_matches_torch():
    assert "`range(steps)`: a length the file does not fix, unrolled to 4 steps" in (
        _notes("LenLoop"))
    x = torch.randn(1, 1, 8)  # the sequence as read: 4 steps of one feature vector
    _agree("LenLoop", torch_flow.torch_ratios(
        fixtures.LenLoop, lambda: (x.expand(4, 1, 8).clone(),),
        [lambda m: m.wx.weight.grad, lambda m: m.wh.weight.grad, lambda m: m.out.weight.grad]))


def test_a_shape_comparison_is_a_flag_never_data():
    assert "`if x.shape != skip.shape`: read the if branch (a flag)" in _notes("ShapeGuard")
    assert [f.name for f in _flow("ShapeGuard").layers] == ["W_proj", "W_fc"]


def test_a_while_loop_is_a_skip_with_its_reason():
    assert "`while x.norm() > 1` runs a number of times chainlens cannot count" in (
        SKIPS["WhileLoop.forward"])


@pytest.mark.parametrize("source, reason", [
    ("    def forward(self, x):\n        h = self.fc(x)\n        return h if x else -h\n",
     "depends on data"),
    ("    def forward(self, x):\n        @torch.jit.script\n        def f(y):\n"
     "            return y\n        return f(self.fc(x))\n", "decorated helper `f`"),
    ("    def forward(self, x):\n        while True:\n            x = self.fc(x)\n"
     "        return x\n", "a while loop of more than 64 steps"),
    ("    def forward(self, x):\n        for i in range(3):\n            if x.sum() > i:\n"
     "                break\n            x = self.fc(x)\n        return x\n",
     "depends on data"),
    # Python's compiler rejects these; ast accepts them (a file being edited)
    ("    def forward(self, x):\n        break\n        return self.fc(x)\n",
     "`break` outside a loop"),
    ("    def forward(self, x):\n        if self.fc:\n            continue\n"
     "        return self.fc(x)\n", "`continue` outside a loop"),
])
def test_what_stays_unread_says_why(source, reason):
    text = ("import torch\nfrom torch import nn\n\n\nclass M(nn.Module):\n"
            "    def __init__(self):\n        super().__init__()\n"
            "        self.fc = nn.Linear(4, 4)\n\n" + source)
    doc = read_document(text, path="m.py")
    assert not doc.programs
    assert reason in {s.name: s.reason for s in doc.skipped}["M.forward"]


def _relu_module(line: str):
    text = ("import torch\nfrom torch import nn\n\n\nclass M(nn.Module):\n"
            "    def __init__(self):\n        super().__init__()\n"
            "        self.fc1 = nn.Linear(4, 4)\n        self.fc2 = nn.Linear(4, 2)\n\n"
            "    def forward(self, x):\n        h = self.fc1(x)\n" + line + "\n"
            "        return self.fc2(h)\n")
    doc = read_document(text, path="m.py")
    assert [u.label for u in doc.programs] == ["M"], doc.skipped
    return analyze(doc.programs[0].program).flow


@pytest.mark.parametrize("line", [
    "        h.relu_()",
    "        torch.relu_(h)",
    "        nn.functional.relu_(h)",
    "        h.clamp_(min=0)",
])
def test_in_place_relu_spellings_read_as_the_out_of_place_relu(line):
    ours = _relu_module(line)
    ref = _relu_module("        h = torch.relu(h)")
    assert [f.name for f in ours.layers] == ["W_fc1", "W_fc2"]
    assert [f.ratio for f in ours.layers] == pytest.approx([f.ratio for f in ref.layers])
    # and not the identity: without the relu the first layer's gradient differs
    plain = _relu_module("        h = h")
    assert ours.layers[0].ratio != pytest.approx(plain.layers[0].ratio)


def test_isinstance_getattr_hasattr_and_membership_are_facts_not_flags():
    notes = _notes("Introspect")
    assert "isinstance" not in notes and "a flag" not in notes, notes
    _agree("Introspect", torch_flow.torch_ratios(
        fixtures.Introspect, _x,
        [lambda m: m.fc0.weight.grad, lambda m: m.fc1.weight.grad,
         lambda m: m.fc2.weight.grad]))


def test_activation_checkpointing_is_the_checkpointed_call_and_matches_torch():
    _agree("Checkpointed", torch_flow.torch_ratios(
        fixtures.Checkpointed, _x,
        [lambda m: m.blocks[0].weight.grad, lambda m: m.blocks[1].weight.grad,
         lambda m: m.out.weight.grad]))


def test_reversed_skips_of_a_unet_style_decoder_match_torch():
    _agree("ReversedSkips", torch_flow.torch_ratios(
        fixtures.ReversedSkips, _x,
        [lambda m: m.downs[0].weight.grad, lambda m: m.downs[1].weight.grad,
         lambda m: m.ups[0].weight.grad, lambda m: m.ups[1].weight.grad,
         lambda m: m.out.weight.grad]))


def test_layers_built_in_a_try_of_init_are_read():
    assert [f.name for f in _flow("TryInInit").layers] == ["W_fc"]
    assert "TryInInit" in UNITS and "TryInInit.forward" not in SKIPS


def test_a_shape_comparison_the_file_decides_agrees_with_torch():
    # both widths are 8: torch never calls proj; neither does the reading
    assert [f.name for f in _flow("KnownShapes").layers] == ["W_fc"]
    model = fixtures.KnownShapes()
    model(torch.randn(1, 8)).sum().backward()
    assert model.proj.weight.grad is None
    assert "a flag" not in _notes("KnownShapes")


def test_a_batch_length_comparison_is_a_flag_named_in_the_hover():
    assert "`if x.size(0) > 1`: read the if branch (a flag)" in _notes("BatchGuard")


def test_setattr_getattr_format_moduledict_items_and_starred_unpacking_match_torch():
    assert "a flag" not in _notes("DictHeads")
    _agree("DictHeads", torch_flow.torch_ratios(
        fixtures.DictHeads, _x,
        [lambda m: m.cell0.weight.grad, lambda m: m.cell1.weight.grad,
         lambda m: m.heads["a"].weight.grad, lambda m: m.heads["b"].weight.grad]))


@pytest.mark.parametrize("fmt", ['"{:99999}".format(i)', '"{0.real}".format(i)'])
def test_a_format_string_with_a_spec_or_a_lookup_is_not_evaluated(fmt):
    text = ("import torch\nfrom torch import nn\n\n\nclass M(nn.Module):\n"
            "    def __init__(self):\n        super().__init__()\n"
            "        self.fc0 = nn.Linear(4, 4)\n\n"
            "    def forward(self, x):\n        i = 0\n"
            f"        return getattr(self, {fmt})(x)\n")
    doc = read_document(text, path="m.py")
    assert not doc.programs
    assert {s.name for s in doc.skipped} == {"M.forward"}


def test_a_filtered_comprehension_reads_the_layers_it_keeps_as_torch_does():
    assert [f.name for f in _flow("Filtered").layers] == ["W_layers_0", "W_layers_2", "W_out"]
    _agree("Filtered", torch_flow.torch_ratios(
        fixtures.Filtered, _x,
        [lambda m: m.layers[0].weight.grad, lambda m: m.layers[2].weight.grad,
         lambda m: m.out.weight.grad]))


def test_a_counted_while_loop_break_and_continue_match_torch():
    # layers 0, 1 (while), 2 (the for loop, continue before, break at 3)
    assert [f.name for f in _flow("CountedLoops").layers] == [
        "W_layers_0", "W_layers_1", "W_layers_2", "W_out"]
    _agree("CountedLoops", torch_flow.torch_ratios(
        fixtures.CountedLoops, _x,
        [lambda m, i=i: m.layers[i].weight.grad for i in range(3)]
        + [lambda m: m.out.weight.grad]))


def test_percent_formatted_submodule_names_match_torch():
    _agree("PercentNames", torch_flow.torch_ratios(
        fixtures.PercentNames, _x,
        [lambda m: m.conv0.weight.grad, lambda m: m.conv1.weight.grad,
         lambda m: m.out.weight.grad]))


def test_an_unknown_constructor_flag_in_init_is_named_in_the_hover():
    assert "`if use_proj` in __init__: read the if branch" in _notes("InitFlag")


def test_each_call_of_forward_is_evaluated_once(monkeypatch):
    """Nested calls are read once each (a hook that evaluated the arguments
    of every method call before giving up read them again: 2^depth calls)."""
    from chainlens.engine.frontends import python_body

    calls = []
    real = python_body.Body.call

    def counting(self, node):
        calls.append(node)
        return real(self, node)

    monkeypatch.setattr(python_body.Body, "call", counting)
    inner = "self.fc(x)"
    for _ in range(10):
        inner = f"torch.tanh({inner})"
    text = ("import torch\nfrom torch import nn\n\n\nclass M(nn.Module):\n"
            "    def __init__(self):\n        super().__init__()\n"
            "        self.fc = nn.Linear(4, 4)\n\n"
            f"    def forward(self, x):\n        return {inner}\n")
    doc = read_document(text, path="m.py")
    assert [u.label for u in doc.programs] == ["M"]
    assert len(calls) == 11


@pytest.mark.parametrize("name", ["ConsistentFlag", "ConsistentFlagExpr"])
def test_a_flag_never_set_is_read_the_same_way_in_init_and_forward(name):
    # __init__ builds proj for concat=True (2d inputs); forward must then
    # concatenate (its default else branch would feed proj d inputs)
    assert "`if concat` in __init__: read the if branch" in _notes(name)
    # proj read over the concatenation: its columns in parts, one per part
    assert [f.name for f in _flow(name).layers] == ["W_fc", "W_proj_0"]
    torch.manual_seed(0)
    model = getattr(fixtures, name)(8, True)
    assert model(torch.randn(1, 8)).shape == (1, 2)  # the side read is one torch runs
