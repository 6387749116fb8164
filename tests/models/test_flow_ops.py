"""Forward ops real model files write (#12, round 5), read as torch runs
them and checked against torch: state lists of a count the file does not fix
(``[h] * self.num_layers``: as many as the layers read), in-place twins used
as values (``exp_``, ``add_``; a named tensor is rebound), fresh tensors
filled in place (``.new(size).normal_()``, ``torch.FloatTensor(size)``:
noise), sorts and indexing by their order (a permutation), fused gates of
two layers cut by ``torch.split`` (each layer keeps its own row of the
table), layers moved ``.to(device)``.  Fixtures:
tests/models/fixtures/flow_ops.py."""

import pathlib

import pytest
import torch_flow  # loaded by conftest.py (tests are not a package)

torch = pytest.importorskip("torch")

HERE = pathlib.Path(__file__).parent
#: per-layer ratios agree within this factor (16 seeded draws each side)
FACTOR = 3.0
READ = torch_flow.FixtureFile(HERE / "fixtures" / "flow_ops.py", "chainlens_flow_ops_fixtures",
                              FACTOR)
fixtures = READ.module
W, C = 16, 4  # the width and the count the reader assumes


def _x():
    return (torch.randn(1, W),)


@pytest.mark.parametrize("name", ["StateList", "NoneStates"])
def test_a_list_of_states_of_a_count_not_fixed_lines_up_with_the_layers(name):
    make = (lambda: fixtures.StateList(W, W, C)) if name == "StateList" else (
        lambda: fixtures.NoneStates(W, C))
    READ.agree(name, torch_flow.torch_ratios(
        make, _x, [lambda m, i=i: m.cells[i].weight.grad for i in range(C)]))
    assert "a list of states of a count the file does not fix: 4 copies" in READ.notes(name)


def test_in_place_twins_and_a_filled_float_tensor_read_as_torch_runs_them():
    READ.agree("VAEReparam", torch_flow.torch_ratios(
        fixtures.VAEReparam, _x,
        [lambda m: m.fc1.weight.grad, lambda m: m.fc22.weight.grad,
         lambda m: m.fc21.weight.grad, lambda m: m.fc3.weight.grad]))
    assert "noise (normal_(0, 1) of a fresh tensor)" in READ.notes("VAEReparam")


def test_noise_of_the_old_new_api_agrees_with_torch():
    READ.agree("BetaNew", torch_flow.torch_ratios(
        fixtures.BetaNew, _x,
        [lambda m: m.enc.weight.grad, lambda m: m.logvar.weight.grad,
         lambda m: m.mu.weight.grad, lambda m: m.dec.weight.grad]))


def test_an_in_place_twin_rebinds_the_tensor_it_updates():
    ours = [f.ratio for f in READ.flow("InPlaceNamed").layers]
    same = [f.ratio for f in READ.flow("OutOfPlaceNamed").layers]
    assert ours == same
    READ.agree("InPlaceNamed", torch_flow.torch_ratios(
        fixtures.InPlaceNamed, _x, [lambda m: m.fc1.weight.grad, lambda m: m.fc2.weight.grad]))


def test_a_sort_and_indexing_by_its_order_are_gradient_neutral():
    READ.agree("SortedBatch", torch_flow.torch_ratios(
        fixtures.SortedBatch, lambda: (torch.randn(3, W), torch.rand(3)),
        [lambda m: m.fc1.weight.grad, lambda m: m.fc2.weight.grad]))


def test_a_blank_tensor_used_before_it_is_filled_is_a_skip():
    assert "BlankUnfilled" not in READ.units
    assert "blank" in READ.skips["BlankUnfilled.forward"]


def test_fused_gates_of_two_layers_keep_each_layers_row_and_agree_with_torch():
    # the table's first row is ih, whatever piece of hh was built in between
    flow = READ.flow("FusedGates")
    assert [f.name for f in flow.layers] == ["W_ih_0", "W_hh_0"]
    READ.agree("FusedGates", torch_flow.torch_ratios(
        lambda: fixtures.FusedGates(W, W), lambda: (torch.randn(1, W), torch.randn(1, W),
                                                torch.randn(1, W)),
        [lambda m: m.ih.weight.grad, lambda m: m.hh.weight.grad]))


def test_a_unet_up_path_built_in_reverse_and_cropped_to_a_shape_tail_matches_torch():
    # 2 x 2 pixels: pooled to one, upsampled back (torch counts positions, the reader one)
    READ.agree("UNet", torch_flow.torch_ratios(
        fixtures.UNet, lambda: (torch.randn(1, 4, 2, 2),),
        [lambda m: m.down_path[0].weight.grad, lambda m: m.down_path[1].weight.grad,
         lambda m: m.up_path[0].up.weight.grad, lambda m: m.up_path[0].conv.weight.grad,
         lambda m: m.last.weight.grad]))
    assert "UpBlock" in READ.units


def test_flatten_parameters_is_a_no_op_statement():
    READ.agree("FlattenedGRU", torch_flow.torch_ratios(
        fixtures.FlattenedGRU, lambda: (torch.randn(1, 1, W),),
        [lambda m: m.gru.weight_ih_l0.grad, lambda m: m.fc.weight.grad]))
