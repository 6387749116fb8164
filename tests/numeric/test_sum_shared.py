"""Gradients of the batch total (``sum_shared=True``) of tensor programs
against PyTorch's ``loss.sum().backward()`` and central differences: a
parameter shared by the batch gets one summed gradient, built as a matrix
product over the batch (``x.T @ g``), never as one gradient per point."""

import numpy as np
import pytest
import torch
from chainlens.engine.core.source import LimitError
from chainlens.engine.language.reader import parse
from chainlens.engine.numeric import arrays, chunks
from chainlens.engine.numeric.kernel import compile

MLP = """input x: [8]
param W1: [8, 16]
param b1: [16]
param W2: [16, 4]
param b2: [4]
h = tanh(x @ W1 + b1)
L = logsumexp(h @ W2 + b2)
"""
NAMES = ("x", "W1", "b1", "W2", "b2")


def mlp_values(batch: int, sizes=(8, 16, 4), seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    n_in, n_hidden, n_out = sizes
    return {"x": rng.normal(size=(batch, n_in)),
            "W1": rng.normal(size=(n_in, n_hidden)) / np.sqrt(n_in),
            "b1": rng.normal(size=n_hidden),
            "W2": rng.normal(size=(n_hidden, n_out)) / np.sqrt(n_hidden),
            "b2": rng.normal(size=n_out)}


def torch_total(values: dict, loss) -> dict:
    """Gradients of the sum over the batch, by torch autograd."""
    ts = {n: torch.tensor(v, requires_grad=True) for n, v in values.items()}
    loss(ts).sum().backward()
    return {n: t.grad.numpy() for n, t in ts.items()}


def torch_mlp(t):
    h = torch.tanh(t["x"] @ t["W1"] + t["b1"])
    return torch.logsumexp(h @ t["W2"] + t["b2"], dim=-1)


@pytest.mark.parametrize("batch", [1, 7, 1000])
def test_mlp_batch_total_matches_torch(batch):
    values = mlp_values(batch)
    ev = compile(parse(MLP))(values, sum_shared=True)
    expected = torch_total(values, torch_mlp)
    for name in NAMES:
        got = ev.gradients["L"][name]
        want = expected[name]
        if name == "x" and batch == 1:  # one point: every input is the batch's own
            want = want[0]
        assert got.shape == want.shape, name
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


DEEP_MLP = """input x: [{n}]
param W1: [{n}, {n}]
param b1: [{n}]
param W2: [{n}, {n}]
param b2: [{n}]
param W3: [{n}, 4]
h1 = tanh(x @ W1 + b1)
h2 = sigmoid(h1 @ W2 + b2)
L = logsumexp(h2 @ W3)
"""


def torch_deep(t):
    h1 = torch.tanh(t["x"] @ t["W1"] + t["b1"])
    h2 = torch.sigmoid(h1 @ t["W2"] + t["b2"])
    return torch.logsumexp(h2 @ t["W3"], dim=-1)


@pytest.mark.parametrize("width,batch", [(64, 1000), (256, 300), (64, 5000)])
def test_wide_mlp_batch_total_matches_torch(width, batch):
    """Widths of real networks; 5,000 points run in chunks."""
    rng = np.random.default_rng(width)
    values = {"x": rng.normal(size=(batch, width))}
    for k in (1, 2):
        values[f"W{k}"] = rng.normal(size=(width, width)) / np.sqrt(width)
        values[f"b{k}"] = rng.normal(size=width)
    values["W3"] = rng.normal(size=(width, 4)) / np.sqrt(width)
    ev = compile(parse(DEEP_MLP.format(n=width)))(values, sum_shared=True)
    expected = torch_total(values, torch_deep)
    for name, want in expected.items():
        np.testing.assert_allclose(ev.gradients["L"][name], want, rtol=1e-9, atol=1e-11,
                                   err_msg=name)


def test_weight_gradient_of_the_total_matches_central_differences():
    values = mlp_values(50, seed=3)
    kernel = compile(parse(MLP))
    grad = kernel(values, sum_shared=True).gradients["L"]
    h = 1e-6
    for name, index in (("W1", (3, 5)), ("b1", (7,)), ("W2", (15, 2)), ("b2", (0,))):
        plus, minus = dict(values), dict(values)
        plus[name] = values[name].copy()
        minus[name] = values[name].copy()
        plus[name][index] += h
        minus[name][index] -= h
        slope = (kernel.forward(plus)["L"].sum() - kernel.forward(minus)["L"].sum()) / (2 * h)
        assert grad[name][index] == pytest.approx(slope, rel=1e-6, abs=1e-8), name


def test_batch_total_equals_the_sum_of_per_point_gradients():
    values = mlp_values(40, seed=5)
    kernel = compile(parse(MLP))
    total = kernel(values, sum_shared=True).gradients["L"]
    per_point = kernel(values).gradients["L"]
    np.testing.assert_allclose(total["x"], per_point["x"], rtol=1e-12)
    for name in NAMES[1:]:
        assert per_point[name].shape == (40, *values[name].shape)
        np.testing.assert_allclose(total[name], per_point[name].sum(axis=0), rtol=1e-10)


@pytest.mark.parametrize("source,shapes", [
    # matrix @ matrix and matrix @ vector, the matrix and vector shared
    ("input A: [2, 3]\nparam B: [3, 2]\nparam u: [2]\nL = sum((A @ B) @ u)",
     {"A": (2, 3), "B": (3, 2), "u": (2,)}),
    # vector . vector with a scalar result: the seed is the matmul's adjoint
    ("input x: [3]\nparam w: [3]\nL = x @ w", {"x": (3,), "w": (3,)}),
    # the shared argument on the left of a per-point matrix
    ("param v: [3]\ninput M: [3, 4]\nL = sum(tanh(v @ M))", {"v": (3,), "M": (3, 4)}),
    # a shared matrix on the left of a per-point vector, a shared scalar
    ("param P: [2, 3]\ninput y: [3]\nparam c\nL = sum(c * exp(P @ y))",
     {"P": (2, 3), "y": (3,), "c": ()}),
])
def test_every_matmul_form_sums_its_shared_argument(source, shapes):
    rng = np.random.default_rng(7)
    batched = {"A", "x", "M", "y"}
    values = {n: rng.normal(size=((6, *s) if n in batched else s)) for n, s in shapes.items()}
    kernel = compile(parse(source))
    total = kernel(values, sum_shared=True).gradients["L"]
    per_point = kernel(values).gradients["L"]
    for name in shapes:
        want = per_point[name] if name in batched else per_point[name].sum(axis=0)
        assert total[name].shape == want.shape, name
        np.testing.assert_allclose(total[name], want, rtol=1e-11, atol=1e-13, err_msg=name)


def test_an_output_of_shared_values_only_counts_every_point():
    program = parse("input x: [3]\nparam w: [3]\nL = sum(w * w)\nM = sum(x * w)")
    w = np.array([1.0, -2.0, 0.5])
    ev = compile(program, outputs=["L", "M"])({"x": np.ones((5, 3)), "w": w}, sum_shared=True)
    np.testing.assert_allclose(ev.gradients["L"]["w"], 5 * 2 * w)
    np.testing.assert_allclose(ev.gradients["M"]["w"], [5.0, 5.0, 5.0])
    np.testing.assert_allclose(ev.values["L"], np.full(5, w @ w))


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_vector_output_totals_in_both_modes(mode):
    program = parse("input x: [3]\nparam W: [3, 2]\nparam b: [2]\nh = tanh(x @ W + b)")
    values = mlp_values(9, sizes=(3, 2, 1))
    values = {"x": values["x"], "W": values["W1"], "b": values["b1"]}
    kernel = compile(program, mode=mode)
    total = kernel(values, sum_shared=True).gradients["h"]
    per_point = compile(program, mode="reverse")(values).gradients["h"]
    np.testing.assert_allclose(total["x"], per_point["x"], rtol=1e-12)
    for name in ("W", "b"):
        np.testing.assert_allclose(total[name], per_point[name].sum(axis=0), rtol=1e-11)


def test_element_limit_counts_what_is_materialised(monkeypatch):
    """With a limit of 100,000 elements per tensor, 5,000 points of the MLP
    fit as batch totals (inputs 5,000 x 8, chunks of 4,096 x 16) but not as
    per-point weight gradients (5,000 x 128); a weight shared by the batch
    is counted once, not once per point."""
    monkeypatch.setattr(arrays, "MAX_TENSOR_ELEMENTS", 100_000)
    monkeypatch.setattr(chunks, "MAX_TENSOR_ELEMENTS", 100_000)
    values = mlp_values(5000)
    kernel = compile(parse(MLP))
    total = kernel(values, sum_shared=True).gradients["L"]
    assert total["W1"].shape == (8, 16)
    with pytest.raises(LimitError, match="dL/dW1"):
        kernel(values)
    values["x"] = np.zeros((20_000, 8))  # 160,000 elements: the input itself
    with pytest.raises(LimitError, match="input 'x'"):
        kernel(values, sum_shared=True)
