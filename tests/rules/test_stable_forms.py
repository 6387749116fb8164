"""The numeric path computes ``log(sigmoid(u))`` as ``-softplus(-u)``.

Written as is, ``sigmoid`` underflows to 0 below u = -745, so the value is
-inf and the gradient (1 - sigmoid(u) through the log's 1/sigmoid) is NaN;
the rules table's stable form makes both finite and exact.  Oracles: PyTorch's
``logsigmoid`` (value and autograd gradient, float64) and central
differences of the kernel's own values, on every backend.
"""

import numpy as np
import pytest
import torch
from chainlens.engine.language.reader import parse
from chainlens.engine.numeric.kernel import compile
from chainlens.engine.rules import match_stable, stable_form

SOURCE = "L = log(sigmoid(u))"
#: the grid, plus the points where float64's sigmoid underflows or rounds to 1
U = np.unique(np.concatenate([np.linspace(-800.0, 800.0, 1601),
                              [-745.2, -745.0, -709.8, -37.5, -1e-12, 0.0, 1e-12, 36.8]]))
#: the numpy kernels' sigmoid, 0.5 (1 + tanh(u/2)), is exact to 2^-53 in
#: absolute terms (below u = -37 it is 0, where the exact value is < 1e-16)
GRAD_ATOL = 2.0 ** -52
#: values past u = 708 are subnormal (log σ(u) ≈ -e^-u), with fewer digits
TINY = 2.3e-308


def torch_logsigmoid(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    t = torch.tensor(u, dtype=torch.float64, requires_grad=True)
    value = torch.nn.functional.logsigmoid(t)
    value.sum().backward()
    return value.detach().numpy(), t.grad.numpy()


def test_the_table_rewrites_log_sigmoid_for_the_numeric_path():
    program = parse(SOURCE)
    node = program.assignments[-1].expr
    assert match_stable(node).name == "logsigmoid"
    assert stable_form(node) is match_stable(node).node
    ops = {s.op for s in compile(program).tape.slots}
    assert "softplus" in ops and not ops & {"log", "sigmoid"}


@pytest.mark.parametrize("backend", ["numpy", "numba"])
def test_value_and_gradient_match_torch_logsigmoid(backend):
    ev = compile(parse(SOURCE), backend=backend)({"u": U})
    want, dwant = torch_logsigmoid(U)
    assert ev.nonfinite == ()
    value, grad = ev.values["L"], ev.gradients["L"]["u"]
    assert np.isfinite(value).all() and np.isfinite(grad).all()
    np.testing.assert_allclose(value, want, rtol=1e-13, atol=TINY)
    np.testing.assert_allclose(grad, dwant, rtol=1e-12, atol=GRAD_ATOL)
    assert value[0] == -800.0 and grad[0] == 1.0  # u = -800: log σ(u) = u exactly


def test_one_point_kernel_matches_torch_logsigmoid():
    kernel = compile(parse(SOURCE), backend="scalar")
    points = U[::10]
    want, dwant = torch_logsigmoid(points)
    for u, w, dw in zip(points, want, dwant, strict=True):
        ev = kernel({"u": float(u)})
        assert ev.values["L"] == pytest.approx(w, rel=1e-13, abs=TINY), u
        assert ev.gradients["L"]["u"] == pytest.approx(dw, rel=1e-12, abs=TINY), u


def test_gradient_matches_central_differences_of_the_values():
    kernel = compile(parse(SOURCE), backend="numpy")
    h = 1e-5 * np.maximum(1.0, np.abs(U))
    up, down = (kernel.forward({"u": U + s})["L"] for s in (h, -h))
    central = (up - down) / (2 * h)
    grad = kernel({"u": U}).gradients["L"]["u"]
    np.testing.assert_allclose(grad, central, rtol=1e-6, atol=1e-9)
