"""Shape arithmetic and __init__ idioms of real model files (#12, round 8),
read as PyTorch runs them and checked against torch at the same default
init (16 seeded draws each side):

* ``x.size()[:-1] + (nf,)`` then ``x.view(*size_out)`` (GPT-2's Conv1D, the
  HuggingFace head split and merge): sizes, not "a const, not a tensor";
* ``w = torch.empty(nx, nf); nn.init.normal_(w, std=0.02)`` before
  ``nn.Parameter(w)``: the file's own draw, measured;
* a sinusoidal table filled entry by entry in ``__init__`` (200 × d passes
  were unrolled one by one: seconds per file) and ``if x.is_cuda:
  pe.cuda()`` in forward (an out-of-place move whose result is dropped);
* a builder's list built in a loop over what the reader does not see is
  not the empty list written before the loop (its layers unknown, a skip
  that says so, never an identity), and an ``if pretrained:`` branch not
  taken at the builder's defaults changes none of its arguments.
Fixtures: tests/models/fixtures/shape_views.py."""

import math
import pathlib
import time

import pytest
import torch_flow  # loaded by conftest.py (tests are not a package)
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze

torch = pytest.importorskip("torch")

HERE = pathlib.Path(__file__).parent
#: per-layer ratios agree within this factor (16 seeded draws each side)
FACTOR = 2.0
READ = torch_flow.FixtureFile(HERE / "fixtures" / "shape_views.py",
                              "chainlens_shape_views_fixtures", FACTOR)
fixtures = READ.module


def _rows(width=16, seq=1):
    return lambda: torch.randn(1, seq, width)


def test_gpt2_conv1d_with_sizes_from_x_size_agrees_with_torch():
    READ.agree("GptMlp", torch_flow.torch_ratios(
        fixtures.GptMlp, _rows(),
        [lambda m: m.c_fc.weight.grad, lambda m: m.c_proj.weight.grad]))
    assert "`nn.init.normal_(w, std=0.02)`" in READ.notes("GptMlp")


def test_a_local_tensor_drawn_into_before_nn_parameter_is_the_files_draw():
    # PyTorch's weight is N(0, 0.02²) as drawn; chainlens measures that draw, not U(0, 1)
    flow = READ.flow("Conv1D")
    assert flow is not None and [f.name for f in flow.layers] == ["P_w"]
    assert "measured at the file's own initialisation" in READ.notes("Conv1D")


def test_heads_split_and_merged_with_computed_sizes_agree_with_torch():
    READ.agree("HeadSplit", torch_flow.torch_ratios(
        fixtures.HeadSplit, _rows(),
        [lambda m: m.q.weight.grad, lambda m: m.o.weight.grad]))


def test_a_positional_table_filled_in_loops_is_read_fast_and_agrees_with_torch():
    text = (HERE / "fixtures" / "shape_views.py").read_text()
    start = time.process_time()
    read_document(text, path="shape_views.py")
    assert time.process_time() - start < 1.0  # 200 × 8 passes were unrolled one by one
    READ.agree("Encoded", torch_flow.torch_ratios(
        fixtures.Encoded, _rows(),
        [lambda m: m.inp.weight.grad, lambda m: m.out.weight.grad]))


def test_the_positional_encoders_gain_is_torchs():
    flow = READ.flow("PositionalEncoder")
    model = fixtures.PositionalEncoder().double()
    x = torch.randn(1, 1, 16, dtype=torch.float64, requires_grad=True)
    t = torch.randn(1, 1, 16, dtype=torch.float64)
    (t * model(x)).sum().backward()
    torch_gain = float(x.grad.norm() / t.norm())
    assert torch_gain == pytest.approx(math.sqrt(16))
    assert [g.gain for g in flow.inputs] == [pytest.approx(torch_gain)]


def test_a_list_built_in_a_loop_over_an_unknown_config_is_not_an_empty_stack():
    # make_layers(cfg) with cfg an argument nobody fixes: never read as nn.Sequential()
    assert "Built" not in READ.units
    assert READ.skips["Built.forward"].startswith("not read:")


def test_a_builders_untaken_pretrained_branch_leaves_the_init_flag():
    # flagged(pretrained=False): kwargs["init_weights"] = False does not run, so the
    # constructor's default (True) holds and the file's N(0, 0.01²) draw is measured
    assert "`nn.init.normal_(m.weight, 0, 0.01)`" in READ.notes("Flagged")
    READ.agree("Flagged", torch_flow.torch_ratios(
        fixtures.Flagged, lambda: torch.randn(1, 8),
        [lambda m: m.fc1.weight.grad, lambda m: m.fc2.weight.grad]))


def test_a_taken_pretrained_branch_still_changes_the_flag():
    text = (HERE / "fixtures" / "shape_views.py").read_text().replace(
        "def flagged(pretrained=False", "def flagged(pretrained=True")
    doc = read_document(text, path="shape_views.py")
    unit = next(u for u in doc.programs if u.label == "Flagged")
    notes = " ".join(unit.notes)
    assert "kwargs is changed at line" in notes
    assert "not measured: the file re-initialises weights under `if init_weights`" in notes
    assert analyze(unit.program).flow is None  # no verdict on an init it cannot see


def test_blocks_a_builder_appends_in_a_loop_are_the_stacks_layers_as_in_torch():
    # blocks = []; for _ in range(depth): blocks.append(Block(d)); Stack(blocks, d)
    READ.agree("Stack", torch_flow.torch_ratios(
        fixtures.make_stack, lambda: torch.randn(1, 8),
        [*(lambda m, i=i: m.blocks[i].fc.weight.grad for i in range(6)),
         lambda m: m.head.weight.grad]))
    assert "in make_stack()" in READ.notes("Stack")
