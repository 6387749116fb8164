"""Init formulas of sizes the file leaves to the caller (#12, round 5):
``std = 1 / math.sqrt(self.hidden_size)``, pygcn's ``stdv`` from
``self.weight.size(1)``, minGPT's ``0.02 / math.sqrt(2 * n_layer)``,
``nn.Parameter(torch.empty(size=(in, out)))`` + ``xavier_normal_`` are read
at the widths (16) and counts (4) the reader assumes for the rest of the
model, the hover names each size assumed, and torch run at those sizes
agrees per layer.  A scale that is not a size is never guessed.
Fixtures: tests/models/fixtures/flow_init.py."""

import pathlib

import pytest
import torch_flow  # loaded by conftest.py (tests are not a package)

torch = pytest.importorskip("torch")

HERE = pathlib.Path(__file__).parent
#: per-layer ratios agree within this factor (16 seeded draws each side)
FACTOR = 3.0
READ = torch_flow.FixtureFile(HERE / "fixtures" / "flow_init.py",
                              "chainlens_flow_init_fixtures", FACTOR)
fixtures = READ.module
W, C = 16, 4  # the width and the count the reader assumes


def _x():
    return (torch.randn(1, W),)


def _graph():
    return (torch.randn(1, W), torch.ones(1, 1))


def test_a_cells_std_from_its_hidden_size_is_read_at_the_assumed_width():
    READ.agree("CellStd", torch_flow.torch_ratios(
        lambda: fixtures.CellStd(W, W), _x,
        [lambda m: m.x2h.weight.grad, lambda m: m.h2h.weight.grad,
         lambda m: m.out.weight.grad]))
    notes = READ.notes("CellStd")
    assert "measured at the file's own initialisation" in notes
    assert "hidden_size = 16" in notes


def test_a_power_of_the_width_written_in_init_agrees_with_torch():
    READ.agree("PowStd", torch_flow.torch_ratios(
        lambda: fixtures.PowStd(W, C), _x,
        [lambda m, i=i: m.layers[i].weight.grad for i in range(C)]))
    assert "width = 16" in READ.notes("PowStd")


def test_pygcn_stdv_from_the_parameters_size_agrees_with_torch():
    READ.agree("GCN", torch_flow.torch_ratios(
        lambda: fixtures.GCN(W, W, W), _graph,
        [lambda m: m.gc1.weight.grad, lambda m: m.gc2.weight.grad,
         lambda m: m.gc3.weight.grad]))
    assert "self.weight.size(1) = 16" in READ.notes("GraphConvolution")


def test_xavier_of_parameters_of_the_callers_shape_agrees_with_torch():
    READ.agree("XavierKernels", torch_flow.torch_ratios(
        lambda: fixtures.XavierKernels(W, W, W), _x,
        [lambda m: m.k1.grad, lambda m: m.k2.grad, lambda m: m.k3.grad]))
    assert "the shapes of k1, k2, k3" in READ.notes("XavierKernels")


def test_a_depth_scaled_std_uses_the_count_the_blocks_are_read_with():
    READ.agree("DepthScaled", torch_flow.torch_ratios(
        lambda: fixtures.DepthScaled(W, C), _x,
        [lambda m, i=i: m.blocks[i].weight.grad for i in range(C)]
        + [lambda m: m.head.weight.grad]))
    assert "n_layer = 4" in READ.notes("DepthScaled")


@pytest.mark.parametrize("name, why", [
    ("CallerStd", "std=init_std"),
    ("FixedInForward", "its sizes are fixed in forward"),
])
def test_a_scale_that_is_no_size_or_a_width_forward_fixes_stays_not_measured(name, why):
    assert READ.flow(name) is None
    notes = READ.notes(name)
    assert "not measured" in notes and why in notes


def test_a_pedagogic_lstm_of_bare_parameters_and_zero_filled_biases_agrees_with_torch():
    # seba's SlowLSTM: Parameter(th.empty(h, i)), th.empty(h).fill_(0) wrapped later,
    # every parameter redrawn with uniform_(-std, std), std from hidden_size
    names = ["w_xi", "w_hi", "w_xf", "w_hf", "w_xo", "w_ho", "w_xc", "w_hc"]
    READ.agree("BareLSTM", torch_flow.torch_ratios(
        lambda: fixtures.BareLSTM(W, W), lambda: (torch.randn(1, W), torch.randn(1, W),
                                                  torch.randn(1, W)),
        [lambda m, n=n: getattr(m, n).grad for n in names]))
    assert "hidden_size = 16, the shapes of w_xi" in READ.notes("BareLSTM")


def test_a_draw_scaled_afterwards_by_mul_or_div_agrees_with_torch():
    READ.agree("HeadScaled", torch_flow.torch_ratios(
        fixtures.HeadScaled, _x,
        [lambda m: m.fc1.weight.grad, lambda m: m.fc2.weight.grad,
         lambda m: m.head.weight.grad]))
    notes = READ.notes("HeadScaled")
    assert "then self.fc2.weight.data.div_(2.0)" in notes
    assert "self.head.weight.data.mul_(head_init_scale)" in notes


@pytest.mark.parametrize("name", ["HelperLoop", "HelperApply", "HelperComp", "HelperBuild",
                                  "DataAssign", "ParamAssign", "PlainStack"])
def test_inits_through_a_helper_or_by_assignment_are_what_is_measured(name):
    # red team G13/G14: these were measured at the default init ('vanishing'; torch 0.9)
    grads = torch_flow.torch_layer_grads(getattr(fixtures, name), 32)
    flow = READ.flow(name)
    torch_flow.assert_layers_agree(flow, grads, FACTOR)
    assert flow.verdict == torch_flow.verdict(grads[0] / grads[-1])
    assert (name == "PlainStack") == (flow.verdict == "vanishing")


@pytest.mark.parametrize("name, why", [("OtherFileInit", "init_layer(layer)"),
                                       ("WeightNormed", "nn.utils.weight_norm(layer)")])
def test_layers_given_to_a_function_chainlens_does_not_read_are_not_measured(name, why):
    assert READ.flow(name) is None
    assert f"weights passed to `{why}`" in READ.notes(name)


def test_a_pretrained_table_is_data_at_unit_variance_and_a_loaded_weight_is_not_guessed():
    import numpy as np

    table = np.random.default_rng(0).standard_normal((50, W))
    READ.agree("PretrainedTable", torch_flow.torch_ratios(
        lambda: fixtures.PretrainedTable(table), lambda: (torch.randint(0, 50, (1,)),),
        [lambda m: m.fc1.weight.grad, lambda m: m.fc2.weight.grad]))
    assert "pretrained: data at unit variance" in READ.notes("PretrainedTable")
    assert READ.flow("LoadedLinear") is None
    assert "torch.from_numpy(weights)" in READ.notes("LoadedLinear")
