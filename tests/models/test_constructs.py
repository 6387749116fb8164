"""The constructs of real model files the reader learned for #12, one small
module each (tests/models/fixtures/constructs.py, read with ast and imported
here to run with torch): what is read, what the hover says was assumed, and
for the gradient-bearing readings, per-layer ratios against PyTorch's."""

import pathlib
from fractions import Fraction

import pytest
import torch_flow  # loaded by conftest.py (tests are not a package)
from chainlens.engine.core.walk import postorder
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze

torch = pytest.importorskip("torch")

HERE = pathlib.Path(__file__).parent
FIXTURE = HERE / "fixtures" / "constructs.py"
#: per-layer ratios agree within this factor (16 seeded draws each side)
FACTOR = 3.0
READ = torch_flow.FixtureFile(FIXTURE, "chainlens_construct_fixtures", FACTOR)
fixtures, UNITS, SKIPS = READ.module, READ.units, READ.skips
_flow, _notes, _agree = READ.flow, READ.notes, READ.agree


def test_an_rnn_loop_over_an_unsized_sequence_is_unrolled_and_matches_torch():
    assert "unrolled to 4 steps" in _notes("StepRNN")
    # torch on the sequence as read: 4 steps of the same feature vector
    x = torch.randn(1, 8)
    _agree("StepRNN", torch_flow.torch_ratios(
        fixtures.StepRNN, lambda: x.expand(4, 1, 8).clone(),
        [lambda m: m.wx.weight.grad, lambda m: m.wh.weight.grad, lambda m: m.wy.weight.grad]))


def test_multihead_attention_at_one_position_matches_torch_and_its_init():
    assert "nn.MultiheadAttention read at one position" in _notes("SelfAttention")
    decl = UNITS["SelfAttention"].program.declaration("W_attn_in_proj_v")
    assert decl.init == "torch-mha-in-weight"
    assert float(decl.range[1]) == pytest.approx((6 / (4 * 8)) ** 0.5, rel=1e-6)
    # PyTorch at sequence length 1: only the value rows of in_proj get a gradient
    _agree("SelfAttention", torch_flow.torch_ratios(
        fixtures.SelfAttention, lambda: torch.randn(1, 1, 8),
        [lambda m: m.attn.in_proj_weight.grad[16:], lambda m: m.attn.out_proj.weight.grad,
         lambda m: m.fc.weight.grad]))


def test_scaled_dot_product_attention_is_v_at_one_position_as_in_torch():
    assert "the output is v" in _notes("SDPA")
    _agree("SDPA", torch_flow.torch_ratios(
        fixtures.SDPA, lambda: torch.randn(1, 1, 8),
        [lambda m: m.v.weight.grad, lambda m: m.o.weight.grad]))


def test_a_lambda_written_in_init_is_called_through_its_closure():
    _agree("LambdaMLP", torch_flow.torch_ratios(
        fixtures.LambdaMLP, lambda: torch.randn(1, 8),
        [lambda m: m.mlp.fc.weight.grad, lambda m: m.mlp.proj.weight.grad]))


def test_super_forward_reaches_the_library_layer_a_class_derives_from():
    _agree("Classifier", torch_flow.torch_ratios(
        fixtures.Classifier, lambda: torch.randn(1, 8),
        [lambda m: m.a.weight.grad, lambda m: m.b.weight.grad]))
    # the mixin alone has no layer: skipped, saying why
    assert "no base of Bottle defines it" in SKIPS["Bottle.forward"]


def test_flags_are_not_data_and_detach_cuts_the_gradient():
    notes = _notes("Flags")
    assert "read the if branch (a flag)" in notes and "detach" in notes
    # `(x.is_cuda or x.is_xpu) and self.ngpu > 1` is False: the `* 2.0` branch is not read
    assert all("2.0" not in str(a.expr) for a in UNITS["Flags"].program.assignments)
    assert "detached" in {d.name for d in UNITS["Flags"].program.declarations
                          if d.role == "input"}


def test_a_torch_tensor_not_wrapped_in_parameter_is_state_not_a_layer():
    decls = {d.name: d for d in UNITS["RunningNorm"].program.declarations}
    assert decls["S_moving_mean"].role == "input"
    assert [f.name for f in _flow("RunningNorm").layers] == ["W_fc"]


def test_a_sliced_parameter_and_arange_positions_are_read():
    notes = _notes("PosEmbed")
    assert "a slice of a parameter read as the whole parameter" in notes
    assert UNITS["PosEmbed"].program.declaration("P_pos").shape == (8,)


def test_a_size_the_file_does_not_fix_is_a_factor_of_one_and_math_pi_a_number():
    assert "a factor the file does not fix is read as 1" in _notes("ScaledGELU")
    assert _flow("ScaledGELU").layers


def test_time_steps_concatenated_meet_one_target_each():
    notes = _notes("Steps")
    assert "unrolled to 4 steps" in notes and "concatenated parts" in notes
    targets = [d.name for d in UNITS["Steps"].program.declarations
               if d.name.startswith("target_")]
    assert len(targets) == 4
    # the cell is given its state at every step: W_hh is a layer, as in torch
    x = torch.randn(1, 1)
    _agree("Steps", torch_flow.torch_ratios(
        fixtures.Steps, lambda: x.expand(1, 4).clone(),
        [lambda m: m.cell.weight_ih.grad, lambda m: m.cell.weight_hh.grad,
         lambda m: m.out.weight.grad]))


def test_a_reading_whose_sizes_disagree_is_skipped_with_the_reason():
    assert "Mismatch" not in UNITS
    assert "sizes that do not agree" in SKIPS["Mismatch.forward"]


def test_weights_no_gradient_reaches_are_listed_never_judged_vanishing():
    src = '''
import torch.nn.functional as F
from torch import nn


class Frozen(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Linear(8, 8)
        self.fc1 = nn.Linear(8, 8)
        self.fc2 = nn.Linear(8, 8)

    def forward(self, x):
        h = self.emb(x).detach()
        return self.fc2(F.relu(self.fc1(h)))
'''
    unit = next(u for u in read_document(src, path="m.py").programs if u.label == "Frozen")
    flow = analyze(unit.program).flow
    assert flow.unreached == ("W_emb",)
    assert [f.name for f in flow.layers] == ["W_fc1", "W_fc2"] and flow.verdict == "healthy"


def test_an_ordered_dict_sequential_of_bare_imported_layers_matches_torch():
    _agree("Ordered", torch_flow.torch_ratios(
        fixtures.Ordered, lambda: torch.randn(1, 8),
        [lambda m: m.net.fc1.weight.grad, lambda m: m.net.fc2.weight.grad]))


def test_a_file_that_reinitialises_its_weights_is_told_what_was_measured():
    assert "measured at the file's own initialisation" in _notes("ReInit")
    assert "nn.init.xavier_uniform_(self.fc.weight)" in _notes("ReInit")


def test_a_transformer_encoder_matches_torch_layer_by_layer():
    def weights(i):
        return [lambda m: m.encoder.layers[i].self_attn.in_proj_weight.grad[16:],
                lambda m: m.encoder.layers[i].self_attn.out_proj.weight.grad,
                lambda m: m.encoder.layers[i].linear1.weight.grad,
                lambda m: m.encoder.layers[i].linear2.weight.grad]
    _agree("Encoder", torch_flow.torch_ratios(
        fixtures.Encoder, lambda: torch.randn(1, 1, 8),
        [*weights(0), *weights(1), lambda m: m.head.weight.grad]))


def test_stages_built_by_a_helper_method_of_init_have_torchs_layers():
    torch_layers = [n for n, m in fixtures.ResNet().named_modules()
                    if isinstance(m, torch.nn.Conv2d | torch.nn.Linear)]
    flow = _flow("ResNet")
    assert len(flow.layers) == len(torch_layers) == 11  # one shortcut: where stride is 2
    assert sum("shortcut" in f.name for f in flow.layers) == 1
    out = fixtures.ResNet()(torch.randn(1, 3, 8, 8))  # the fixture itself runs
    assert out.shape == (1, 10)


def test_a_parameter_on_either_side_of_at_keeps_its_orientation_across_steps():
    shapes = {d.name: d.shape for d in UNITS["RowMajor"].program.declarations}
    assert shapes["P_W"] == (16, 8) and shapes["P_U"] == (16, 16)
    assert [f.name for f in _flow("RowMajor").layers] == ["P_W", "P_U", "W_out"]


FLAX_EQX = '''
from typing import Sequence

import equinox as eqx
import flax.linen as nn
import jax


class MLP(nn.Module):
    features: Sequence[int] = (32, 32, 10)

    def setup(self):
        self.layers = [nn.Dense(f) for f in self.features]

    def __call__(self, x):
        for i, lyr in enumerate(self.layers):
            x = lyr(x)
            if i != len(self.layers) - 1:
                x = nn.relu(x)
        return x


class ELinear(eqx.Module):
    weight: jax.Array
    bias: jax.Array

    def __init__(self, in_size, out_size, key):
        wkey, bkey = jax.random.split(key)
        self.weight = jax.random.normal(wkey, (out_size, in_size))
        self.bias = jax.random.normal(bkey, (out_size,))

    def __call__(self, x):
        return self.weight @ x + self.bias
'''


def test_flax_setup_and_equinox_jax_random_weights_are_read():
    units = {u.label: u for u in read_document(FLAX_EQX, path="m.py").programs}
    assert len(units["MLP"].layers) == 3
    assert {d.init for d in units["MLP"].program.declarations if d.role == "param"} == {
        "flax-weight", "flax-bias"}
    weight = units["ELinear"].program.declaration("P_weight")
    assert weight.init == "normal" and len(weight.shape) == 2


def test_guard_clauses_are_not_taken_and_no_grad_blocks_are_inputs():
    notes = _notes("Guarded")
    assert "torch.no_grad()" in notes
    flow = _flow("Guarded")
    assert [f.name for f in flow.layers] == ["W_fc1", "W_fc2"]  # frozen: never a layer of it
    _agree("Guarded", torch_flow.torch_ratios(
        fixtures.Guarded, lambda: torch.randn(1, 8),
        [lambda m: m.fc1.weight.grad, lambda m: m.fc2.weight.grad]))


def test_more_activations_einsum_a_scaled_draw_and_a_returned_dict_match_torch():
    flow = _flow("Acts")
    assert flow.layers[-1].name == "P_proj"
    # torch.randn(d, d) / math.sqrt(d): drawn at the written scale, U(±√3/√8)
    assert float(UNITS["Acts"].program.declaration("P_proj").range[1]) == pytest.approx(
        (3 / 8) ** 0.5, rel=1e-6)

    class Out(torch.nn.Module):  # torch returns the dict; measure its "out"
        def __init__(self):
            super().__init__()
            self.m = fixtures.Acts()

        def forward(self, x):
            return self.m(x)["out"]

    _agree("Acts", torch_flow.torch_ratios(
        Out, lambda: torch.randn(1, 8),
        [*(lambda m, i=i: m.m.fcs[i].weight.grad for i in range(7)),
         lambda m: m.m.proj.grad]), verdict="vanishing")  # torch: 1.1e-4, ours 1.3e-4


def test_deep_copies_made_by_a_helper_function_have_their_own_weights():
    flow = _flow("Cloned")
    assert len(flow.layers) == 4  # three copies and the head, each its own weight
    _agree("Cloned", torch_flow.torch_ratios(
        fixtures.Cloned, lambda: torch.randn(1, 8),
        [*(lambda m, i=i: m.layers[i].fc.weight.grad for i in range(3)),
         lambda m: m.head.weight.grad]))


def test_a_leaky_relu_keeps_its_written_slope_and_matches_torch():
    numbers = {n.value for a in UNITS["Leaky"].program.assignments for n in postorder(a.expr)
               if n.op == "num"}
    assert Fraction(-1, 5) in numbers and Fraction(-1, 100) not in numbers  # -0.2 · relu(-x)
    _agree("Leaky", torch_flow.torch_ratios(
        fixtures.Leaky, lambda: torch.randn(1, 8),
        [lambda m, i=i: m.fcs[i].weight.grad for i in range(6)]))


def test_a_gru_cell_given_its_state_in_a_loop_matches_torch():
    assert "nn.GRUCell read as one time step with the state it is given" in _notes("GRULoop")
    x = torch.randn(1, 4)
    _agree("GRULoop", torch_flow.torch_ratios(
        fixtures.GRULoop, lambda: x.expand(4, 1, 4).clone(),
        [lambda m: m.cell.weight_ih.grad, lambda m: m.cell.weight_hh.grad,
         lambda m: m.out.weight.grad]))
