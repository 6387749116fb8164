"""Tensor programs against PyTorch autograd (the oracle), per point of a batch:
element-wise broadcasting, ``@``, reductions, softmax/logsumexp, and a deep
network written with ``repeat``."""

import numpy as np
import pytest
import torch
from chainlens.engine.language.reader import parse
from chainlens.engine.numeric.kernel import compile

MLP = """
input x: [3]
param W: [3, 4]
param b: [4]
param v: [4]
h = tanh(x @ W + b)
s = softmax(h)
L = logsumexp(h) + mean(h^2) + sum(s * v) + relu(h @ v)
"""


def torch_mlp(x, W, b, v):
    h = torch.tanh(x @ W + b)
    s = torch.softmax(h, -1)
    return torch.logsumexp(h, 0) + (h**2).mean() + (s * v).sum() + torch.relu(h @ v)


DEEP = """
input x: [4]
h = x
repeat k in 1..6 {
  param W_k: [4, 4]
  param b_k: [4]
  h = sigmoid(h @ W_k + b_k) + h
}
L = sum(h * h) / 2
"""


def torch_deep(x, *params):
    h = x
    for W, b in zip(params[0::2], params[1::2], strict=True):
        h = torch.sigmoid(h @ W + b) + h
    return (h * h).sum() / 2


def torch_grads(fn, values: dict, names: list[str], batch: int) -> dict:
    """Per-point gradients with torch (one backward per point)."""
    out = {n: [] for n in names}
    for i in range(batch):
        ts = {n: torch.tensor(v[i] if v.ndim and v.shape[0] == batch and n == "x" else v,
                              requires_grad=True) for n, v in values.items()}
        fn(*(ts[n] for n in names)).backward()
        for n in names:
            out[n].append(ts[n].grad.numpy())
    return {n: np.array(g) for n, g in out.items()}


@pytest.mark.parametrize("mode", ["reverse", "forward"])
def test_mlp_matches_torch(mode):
    rng = np.random.default_rng(0)
    values = {"x": rng.normal(size=(5, 3)), "W": rng.normal(size=(3, 4)),
              "b": rng.normal(size=4), "v": rng.normal(size=4)}
    kernel = compile(parse(MLP), outputs=["L"], mode=mode)
    ev = kernel(values)
    expected = torch_grads(torch_mlp, values, ["x", "W", "b", "v"], 5)
    for name, g in expected.items():
        np.testing.assert_allclose(ev.gradients["L"][name], g, rtol=1e-10, atol=1e-12)


def test_repeat_built_residual_network_matches_torch():
    program = parse(DEEP)
    rng = np.random.default_rng(1)
    names = ["x"] + [f"{p}_{k}" for k in range(1, 7) for p in ("W", "b")]
    values = {n: rng.normal(scale=0.5, size=(3, 4) if n == "x" else
                            ((4, 4) if n.startswith("W") else (4,))) for n in names}
    ev = compile(program)(values)
    expected = torch_grads(torch_deep, values, names, 3)
    for name in names:
        np.testing.assert_allclose(ev.gradients["L"][name], expected[name], rtol=1e-10)


def test_matrix_times_matrix_and_matrix_times_vector():
    program = parse("input A: [2, 3]\nparam B: [3, 2]\nparam u: [2]\nL = sum((A @ B) @ u)")
    rng = np.random.default_rng(2)
    values = {"A": rng.normal(size=(4, 2, 3)), "B": rng.normal(size=(3, 2)),
              "u": rng.normal(size=2)}
    ev = compile(program)(values)
    for i in range(4):
        A, B, u = (torch.tensor(values[n][i] if n == "A" else values[n], requires_grad=True)
                   for n in ("A", "B", "u"))
        ((A @ B) @ u).sum().backward()
        for n, t in zip(("A", "B", "u"), (A, B, u), strict=True):
            np.testing.assert_allclose(ev.gradients["L"][n][i], t.grad.numpy(), rtol=1e-12)


def test_unbatched_parameters_broadcast_over_the_batch():
    program = parse("input x: [3]\nparam w: [3]\nL = sum(w * x)")
    x = np.arange(6.0).reshape(2, 3)
    ev = compile(program)({"x": x, "w": np.array([1.0, 2.0, 3.0])})
    np.testing.assert_allclose(ev.values["L"], x @ [1.0, 2.0, 3.0])
    np.testing.assert_allclose(ev.gradients["L"]["w"], x)  # per point, not summed
    np.testing.assert_allclose(ev.gradients["L"]["x"], [[1, 2, 3], [1, 2, 3]])


def test_scalar_broadcast_against_a_vector_sums_its_adjoint():
    program = parse("input x: [3]\nL = sum(c * x^2)")
    ev = compile(program)({"x": np.array([1.0, 2.0, 3.0]), "c": 2.0})
    assert ev.gradients["L"]["c"][0] == pytest.approx(14.0)
    np.testing.assert_allclose(ev.gradients["L"]["x"][0], [4.0, 8.0, 12.0])
