"""Submodules reached without naming them (#12): ``self.children()``,
``self._modules.values()`` of a Sequential-like class built from ``*args``,
``named_children()`` after ``add_module`` in a loop, ModuleList slices,
``map`` of a lambda, and einops/``Rearrange`` attention in the vit-pytorch
style.  Per-layer ratios are checked against PyTorch at its default init
(fixtures: tests/models/fixtures/containers.py, imported to run)."""

import importlib.util
import pathlib

import numpy as np
import pytest
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "containers.py"
_spec = importlib.util.spec_from_file_location("chainlens_container_fixtures", FIXTURE)
fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixtures)
DOC = read_document(FIXTURE.read_text(), path=str(FIXTURE))
UNITS = {u.label: u for u in DOC.programs}
SKIPS = {s.name: s.reason for s in DOC.skipped}
FACTOR = 2.0  # per-layer ratios agree within this factor (16 seeded draws each side)


def _torch_ratios(make, width: int, seeds: int = 16) -> list[float]:
    rows = []
    for seed in range(seeds):
        torch.manual_seed(seed)
        model = make().double()
        out = model(torch.randn(1, width, dtype=torch.float64))
        (torch.randn(out.shape, dtype=torch.float64) * out).sum().backward()
        rows.append([float(m.weight.grad.norm()) for m in model.modules()
                     if isinstance(m, nn.Linear)])
    med = np.median(np.array(rows), axis=0)
    return list(med / med[-1])


def _ratios(name) -> list[float]:
    flow = analyze(UNITS[name].program).flow
    return [row.ratio for row in flow.layers]


@pytest.mark.parametrize("name, make, width", [
    ("ChildrenMLP", fixtures.ChildrenMLP, 8),
    ("MySequential", lambda: fixtures.MySequential(
        nn.Linear(8, 32), nn.Sigmoid(), nn.Linear(32, 32), nn.Sigmoid(), nn.Linear(32, 4)), 8),
    ("Named", fixtures.Named, 8),
    ("SlicedStack", fixtures.SlicedStack, 8),
    ("MappedGates", fixtures.MappedGates, 8),
])
def test_submodules_reached_without_their_names_match_torch(name, make, width):
    ours, theirs = _ratios(name), _torch_ratios(make, width)
    assert len(ours) == len(theirs), (ours, theirs)
    for a, b in zip(ours, theirs, strict=True):
        assert b / FACTOR <= a <= b * FACTOR, (name, ours, theirs)


def test_a_sequential_like_class_is_read_as_the_file_builds_it():
    notes = " | ".join(UNITS["MySequential"].notes)
    assert "built as the file builds it" in notes
    assert len(UNITS["MySequential"].layers) == 3


def test_children_the_file_never_fills_are_a_skip_with_the_reason():
    assert "Unfilled" not in UNITS
    reason = SKIPS["Unfilled.forward"]
    assert "self.children()" in reason and "*layers" in reason


VIT = '''
import torch
from torch import nn
from einops import rearrange
from einops.layers.torch import Rearrange


class Attention(nn.Module):
    def __init__(self, dim=16, heads=2, dim_head=8):
        super().__init__()
        inner_dim = dim_head * heads
        self.heads = heads
        self.scale = dim_head ** -0.5
        self.attend = nn.Softmax(dim=-1)
        self.to_qkv = nn.Linear(dim, inner_dim * 3, bias=False)
        self.to_out = nn.Linear(inner_dim, dim)

    def forward(self, x):
        qkv = self.to_qkv(x).chunk(3, dim=-1)
        q, k, v = map(lambda t: rearrange(t, "b n (h d) -> b h n d", h=self.heads), qkv)
        dots = torch.matmul(q, k.transpose(-1, -2)) * self.scale
        attn = self.attend(dots)
        out = torch.matmul(attn, v)
        out = rearrange(out, "b h n d -> b n (h d)")
        return self.to_out(out)


class PatchEmbed(nn.Module):
    def __init__(self, patch_dim=12, dim=16):
        super().__init__()
        self.to_patch = nn.Sequential(
            Rearrange("b c (h p1) (w p2) -> b (h w) (p1 p2 c)", p1=2, p2=2),
            nn.Linear(patch_dim, dim),
        )
        self.head = nn.Linear(dim, 4)

    def forward(self, img):
        return self.head(torch.tanh(self.to_patch(img)))
'''


class _TorchAttention(nn.Module):
    """The same attention without einops, at one position (n = 1)."""

    def __init__(self, dim=16, heads=2, dim_head=8):
        super().__init__()
        self.heads, self.scale = heads, dim_head ** -0.5
        self.to_qkv = nn.Linear(dim, dim_head * heads * 3, bias=False)
        self.to_out = nn.Linear(dim_head * heads, dim)

    def forward(self, x):  # x: (b, 1, dim)
        b, n, _ = x.shape
        q, k, v = (t.view(b, n, self.heads, -1).transpose(1, 2)
                   for t in self.to_qkv(x).chunk(3, dim=-1))
        attn = torch.softmax(q @ k.transpose(-1, -2) * self.scale, dim=-1)
        return self.to_out((attn @ v).transpose(1, 2).reshape(b, n, -1))


def test_einops_attention_with_a_mapped_lambda_matches_torch_at_one_position():
    doc = read_document(VIT, path="vit.py")
    units = {u.label: u for u in doc.programs}
    assert "Attention" in units, doc.skipped
    flow = analyze(units["Attention"].program).flow
    ours = [row.grad for row in flow.layers]
    rows = []
    for seed in range(16):
        torch.manual_seed(seed)
        model = _TorchAttention().double()
        out = model(torch.randn(1, 1, 16, dtype=torch.float64))
        (torch.randn(out.shape, dtype=torch.float64) * out).sum().backward()
        rows.append([float(model.to_qkv.weight.grad.norm()),
                     float(model.to_out.weight.grad.norm())])
        # q and k get no gradient at one position: softmax over one key is 1
        assert float(model.to_qkv.weight.grad[:32].abs().max()) == 0.0
    theirs = np.median(np.array(rows), axis=0)
    assert len(ours) == 2
    ratio, expected = ours[0] / ours[1], theirs[0] / theirs[1]
    assert expected / FACTOR <= ratio <= expected * FACTOR, (ours, theirs)


def test_an_einops_rearrange_layer_in_a_sequential_is_read_as_moving_axes():
    doc = read_document(VIT, path="vit.py")
    units = {u.label: u for u in doc.programs}
    assert "PatchEmbed" in units, doc.skipped
    flow = analyze(units["PatchEmbed"].program).flow
    assert len(flow.layers) == 2
    rows = []
    for seed in range(16):
        torch.manual_seed(seed)
        embed, head = nn.Linear(12, 16).double(), nn.Linear(16, 4).double()
        img = torch.randn(1, 3, 2, 2, dtype=torch.float64)  # one 2x2 patch of 3 channels
        patch = img.permute(0, 2, 3, 1).reshape(1, 1, 12)
        out = head(torch.tanh(embed(patch)))
        (torch.randn(out.shape, dtype=torch.float64) * out).sum().backward()
        rows.append([float(embed.weight.grad.norm()), float(head.weight.grad.norm())])
    med = np.median(np.array(rows), axis=0)
    expected = med[0] / med[1]
    assert expected / FACTOR <= flow.layers[0].ratio <= expected * FACTOR, (flow, expected)


def _grads(model, out) -> list[float]:
    (torch.randn(out.shape, dtype=torch.float64) * out).sum().backward()
    return [float(m.weight.grad.norm()) for m in model.modules() if isinstance(m, nn.Linear)]


def test_a_learned_start_state_of_shape_1_by_n_is_a_vector_as_torch_broadcasts_it():
    """makemore's RNN (self.start = nn.Parameter(torch.zeros(1, n))) read
    through 4 steps; torch is given the same token at every step, which is
    what the reading of one position per step measures."""
    assert "StartRNN" in UNITS, SKIPS.get("StartRNN.forward")
    ours = _ratios("StartRNN")
    rows = []
    for seed in range(16):
        torch.manual_seed(seed)
        model = fixtures.StartRNN().double()
        rows.append(_grads(model, model(torch.full((1, 4), 3, dtype=torch.long))))
    med = np.median(np.array(rows), axis=0)
    theirs = list(med / med[-1])
    assert len(ours) == len(theirs) == 2
    assert theirs[0] / FACTOR <= ours[0] <= theirs[0] * FACTOR, (ours, theirs)


def test_a_t_by_t_matrix_of_positions_is_one_score_at_one_position():
    assert "CausalBoW" in UNITS, SKIPS.get("CausalBoW.forward")
    assert "T x T matrix of positions" in " | ".join(UNITS["CausalBoW"].notes)
    flow = analyze(UNITS["CausalBoW"].program).flow
    rows = []
    for seed in range(16):
        torch.manual_seed(seed)
        model = fixtures.CausalBoW().double()
        rows.append(_grads(model, model(torch.randn(1, 1, 8, dtype=torch.float64))))
    assert len(flow.layers) == 1
    # one layer: its |dL/dW| at the default init, within the factor
    expected = float(np.median(np.array(rows)))
    assert expected / FACTOR <= flow.layers[0].grad <= expected * FACTOR, (flow, expected)


@pytest.mark.parametrize("name", ["QKVUnpacked", "QKVUnbound"])
def test_one_qkv_projection_unpacked_or_unbound_is_cut_into_q_k_v(name):
    """The view/permute/unbind of a qkv projection keeps its rows: at one
    position only the v rows get a gradient, as torch measures."""
    assert name in UNITS, SKIPS.get(f"{name}.forward")
    ours = _ratios(name)
    rows = []
    for seed in range(16):
        torch.manual_seed(seed)
        model = getattr(fixtures, name)().double()
        out = model(torch.randn(1, 1, 16, dtype=torch.float64))
        rows.append(_grads(model, out))
        assert float(model.qkv.weight.grad[:32].abs().max()) == 0.0  # q and k rows
    med = np.median(np.array(rows), axis=0)
    theirs = list(med / med[-1])
    assert len(ours) == 2
    assert theirs[0] / FACTOR <= ours[0] <= theirs[0] * FACTOR, (ours, theirs)
