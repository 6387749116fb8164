"""Concatenations along the feature axis used as a whole (#12, round 6),
read as PyTorch runs them and checked against torch at the same default
init: heads concatenated and multiplied by a parameter (Σ_j x_j @ W_j, the
parameter cut into row blocks of one layer), a softmax / log-softmax / layer
norm over the concatenated features (one normaliser for all the parts), a
score q @ kᵀ of two concatenations (the sum over every feature) and a sum of
their product.  Read so along dim=1 (the features of 2-D tensors, the sequence
of 3-D ones, which the file does not say), the flow is shown, not judged.  A
class token concatenated along the sequence axis stays a skip that says so.
Fixtures: tests/models/fixtures/concat.py."""

import pathlib
import textwrap

import numpy as np
import pytest
import torch_flow  # loaded by conftest.py (tests are not a package)
from chainlens.engine.frontends.document import read_document

torch = pytest.importorskip("torch")

HERE = pathlib.Path(__file__).parent
#: per-layer ratios agree within this factor (16 seeded draws each side)
FACTOR = 2.0
READ = torch_flow.FixtureFile(HERE / "fixtures" / "concat.py", "chainlens_concat_fixtures",
                              FACTOR)
fixtures = READ.module


def _x(width=16):
    return lambda: (torch.randn(1, width),)


def test_heads_concatenated_times_a_parameter_agree_with_torch():
    READ.agree("HeadsTimesParam", torch_flow.torch_ratios(
        fixtures.HeadsTimesParam, _x(12),
        [lambda m, i=i: m.heads[i].W.grad for i in range(3)] + [lambda m: m.W.grad]),
        verdict="not judged")
    # dim=1: the features of these 2-D tensors, the sequence of 3-D ones (not said)
    assert "torch.cat(..., dim=1) (line 29) read as a concatenation of features" in (
        READ.units["HeadsTimesParam"].program.unmodelled[0])
    flow = READ.flow("HeadsTimesParam")
    assert len(flow.layers) == 4  # the cut parameter is one layer, not three
    assert "read as one block per part" in READ.notes("HeadsTimesParam")


@pytest.mark.parametrize("name,weights,verdict", [
    ("SoftmaxOverParts", ["a", "b", "out"], "healthy"),
    ("LogSoftmaxOut", ["a", "b"], "not judged"),  # dim=1
    ("NormOverParts", ["a", "b", "out"], "not judged"),  # dim=1
    ("ScoreOfParts", ["qa", "qb", "ka", "kb", "v"], "healthy"),
    ("SummedProduct", ["qa", "qb", "ka", "kb", "v"], "healthy"),
])
def test_an_operation_over_all_the_concatenated_features_agrees_with_torch(name, weights,
                                                                           verdict):
    READ.agree(name, torch_flow.torch_ratios(
        getattr(fixtures, name), _x(),
        [lambda m, w=w: getattr(m, w).weight.grad for w in weights]), verdict=verdict)


def _skips(source: str) -> dict:
    doc = read_document(textwrap.dedent(source), path="model.py")
    return {s.name: s.reason for s in doc.skipped}, {u.label for u in doc.programs}


def test_a_class_token_along_the_sequence_axis_is_a_skip_that_says_so():
    skips, read = _skips("""
        import torch
        from torch import nn

        class TokenNet(nn.Module):
            def __init__(self):
                super().__init__()
                self.cls = nn.Parameter(torch.randn(1, 1, 16))
                self.proj = nn.Linear(16, 16)

            def forward(self, x):
                b = x.shape[0]
                x = torch.cat((self.cls.expand(b, -1, -1), self.proj(x)), dim=1)
                return torch.softmax(x, dim=-1)
        """)
    assert "TokenNet" not in read
    assert "class token along the sequence axis" in skips["TokenNet.forward"]


def test_a_concatenation_along_the_leading_axis_gets_no_feature_softmax():
    # torch.cat(parts) is along dim 0 (the batch): a softmax over the features
    # normalises each part alone, which the parts-together reading would not
    skips, read = _skips("""
        import torch
        from torch import nn

        class Rows(nn.Module):
            def __init__(self):
                super().__init__()
                self.a = nn.Linear(16, 16)
                self.b = nn.Linear(16, 16)

            def forward(self, x):
                return torch.cat([self.a(x), self.b(x)]).softmax(dim=-1)
        """)
    assert "Rows" not in read
    assert "axis 0" in skips["Rows.forward"]


def test_a_parameter_cut_for_a_concatenation_and_used_whole_too_is_refused():
    skips, read = _skips("""
        import torch
        from torch import nn

        class Twice(nn.Module):
            def __init__(self):
                super().__init__()
                self.a = nn.Linear(16, 8)
                self.b = nn.Linear(16, 8)
                self.W = nn.Parameter(torch.randn(16, 16))

            def forward(self, x):
                h = torch.cat([self.a(x), self.b(x)], dim=-1) @ self.W
                return h @ self.W
        """)
    assert "Twice" not in read
    assert "multiplies a concatenation and is read whole too" in skips["Twice.forward"]


def test_keyword_only_inputs_of_forward_are_inputs():
    rows = []
    for seed in range(16):
        torch.manual_seed(seed)
        model = fixtures.KeywordInputs().double()
        out = model(query=torch.randn(1, 16, dtype=torch.float64),
                    key=torch.randn(1, 16, dtype=torch.float64))
        (torch.randn(out.shape, dtype=torch.float64) * out).sum().backward()
        rows.append([float(m.weight.grad.norm()) for m in (model.q, model.k, model.out)])
    med = np.median(np.array(rows), axis=0)
    READ.agree("KeywordInputs", list(med / med[-1]))


def test_leading_and_trailing_sizes_of_a_shape_unpack():
    READ.agree("LeadingSizes", torch_flow.torch_ratios(
        fixtures.LeadingSizes, lambda: (torch.randn(3, 2, 16),),
        [lambda m: m.a.weight.grad, lambda m: m.b.weight.grad]))


def test_a_layer_norm_of_a_concatenation_normalises_all_its_parts_together():
    READ.agree("NormLayerOverParts", torch_flow.torch_ratios(
        fixtures.NormLayerOverParts, _x(),
        [lambda m: m.a.weight.grad, lambda m: m.b.weight.grad, lambda m: m.out.weight.grad]))


def test_a_group_norm_of_concatenated_channels_is_shown_not_judged():
    flow = READ.flow("GroupNormOverChannels")
    assert flow is not None and len(flow.layers) == 3
    assert flow.verdict == "not judged"


def test_a_concatenation_of_data_used_whole_is_one_input():
    READ.agree("TimeFeatures", torch_flow.torch_ratios(
        fixtures.TimeFeatures, lambda: (torch.rand(1) * 100,),
        [lambda m: m.fc1.weight.grad, lambda m: m.fc2.weight.grad]))
    assert "a concatenation of data (no weight below it)" in READ.notes("TimeFeatures")
    # without a weight, the input's gain through the module would be cut: a skip
    assert "its gain over the input is not read" in READ.skips["DataOnly.forward"]


def test_a_cast_keeps_a_layers_output_whole_for_the_cut_after_it():
    READ.agree("CastThenCut", torch_flow.torch_ratios(
        fixtures.CastThenCut, _x(), [lambda m: m.qkv.weight.grad, lambda m: m.out.weight.grad]))


def test_q_k_v_unpacked_after_torch_permute_cut_the_layer_by_rows():
    READ.agree("PermutedQKV", torch_flow.torch_ratios(
        fixtures.PermutedQKV, _x(), [lambda m: m.qkv.weight.grad, lambda m: m.out.weight.grad]))


def test_an_einops_rearrange_of_a_layer_output_keeps_it_for_the_unpacking():
    source = """
        import torch
        from einops import rearrange
        from torch import nn

        class Rearranged(nn.Module):
            def __init__(self):
                super().__init__()
                self.qkv = nn.Linear(16, 48)
                self.out = nn.Linear(16, 4)

            def forward(self, x):
                q, k, v = rearrange(self.qkv(x), 'b (k d) -> k b d', k=3)
                return self.out(torch.tanh(q) * torch.sigmoid(k) + v)
        """
    doc = read_document(textwrap.dedent(source), path="model.py")
    unit = next(u for u in doc.programs if u.label == "Rearranged")
    ours = [f.ratio for f in torch_flow.analyze(unit.program).flow.layers]
    # the same model written with torch.permute, which torch runs
    assert ours == pytest.approx([f.ratio for f in READ.flow("PermutedQKV").layers], rel=0.05)
