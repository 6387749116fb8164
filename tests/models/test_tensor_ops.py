"""Tensor operations inside forward (#12, round 7), read as PyTorch runs
them and checked against torch at the same default init: the gates of a
convolutional LSTM / GRU cut from one convolution's channels
(``torch.split(conv(x), hidden, dim=1)``, ``conv(x).chunk(2, 1)``), each
gate the conv's weight rows.  A cut along any other axis of a conv's output
(its positions) stays a skip that says so.
Fixtures: tests/models/fixtures/tensor_ops.py."""

import pathlib

import pytest
import torch_flow  # loaded by conftest.py (tests are not a package)

torch = pytest.importorskip("torch")

HERE = pathlib.Path(__file__).parent
#: per-layer ratios agree within this factor (16 seeded draws each side)
FACTOR = 2.0
READ = torch_flow.FixtureFile(HERE / "fixtures" / "tensor_ops.py",
                              "chainlens_tensor_ops_fixtures", FACTOR)
fixtures = READ.module


def _maps(*channels, size=1):
    return lambda: tuple(torch.randn(1, c, size, size) for c in channels)


def test_lstm_gates_split_from_one_convolution_agree_with_torch():
    READ.agree("ConvGates", torch_flow.torch_ratios(
        fixtures.ConvGates, _maps(3, 8, 8),
        [lambda m, w=w: getattr(m, w).weight.grad for w in ("stem", "gates", "head")]))
    flow = READ.flow("ConvGates")
    assert [f.name for f in flow.layers] == ["W_stem", "W_gates_0_0", "W_head"]


def test_gates_of_a_three_by_three_convolution_agree_with_torch_on_feature_maps():
    READ.agree("ConvGates3", torch_flow.torch_ratios(
        fixtures.ConvGates3, _maps(3, 8, 8, size=6),
        [lambda m, w=w: getattr(m, w).weight.grad for w in ("stem", "gates", "head")]))


def test_gru_gates_chunked_from_one_convolution_agree_with_torch():
    READ.agree("ConvGru", torch_flow.torch_ratios(
        fixtures.ConvGru, _maps(3, 8),
        [lambda m, w=w: getattr(m, w).weight.grad for w in ("stem", "conv_gates", "conv_can")]))


def test_a_split_along_a_convolutions_positions_is_a_skip_that_says_so():
    assert "SplitRows" not in READ.units
    assert "along an axis other than its channels (dim=1)" in READ.skips["SplitRows.forward"]
