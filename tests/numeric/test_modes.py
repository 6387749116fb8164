"""Reverse and forward mode give the same Jacobian; the kernel picks the
cheaper one for the Jacobian's shape and says why, with both costs."""

import numpy as np
import pytest
from chainlens.engine.language.reader import parse
from chainlens.engine.numeric.kernel import compile

MANY_IN = "L = sin(a*b) + c*d^2 + exp(e)*f"
#: four outputs share a deep trunk: one tangent pass beats four backward passes
MANY_OUT = "h = tanh(sin(exp(x/3) + x^2) * x)\nu = sin(h)\nv = h^2\nw = exp(h)\nz = cos(h)*h"


@pytest.mark.parametrize("source, outputs, mode", [
    (MANY_IN, None, "reverse"),
    (MANY_OUT, ("u", "v", "w", "z"), "forward"),
])
def test_mode_choice_follows_shape(source, outputs, mode):
    kernel = compile(parse(source), outputs=outputs)
    assert kernel.mode == mode
    assert kernel.costs[mode] < kernel.costs["forward" if mode == "reverse" else "reverse"]
    assert mode in kernel.mode_reason and str(kernel.costs["reverse"]) in kernel.mode_reason


@pytest.mark.parametrize("source, outputs", [(MANY_IN, None), (MANY_OUT, ("u", "v", "w", "z"))])
@pytest.mark.parametrize("backend", ["numpy", "scalar"])
def test_forward_and_reverse_agree(source, outputs, backend):
    program = parse(source)
    rng = np.random.default_rng(1)
    point = {n: float(v) for n, v in zip(program.inputs, rng.uniform(0.2, 1.5, 9), strict=False)}
    if backend == "numpy":
        point = {n: np.array([v, v + 0.1]) for n, v in point.items()}
    rev = compile(program, outputs=outputs, mode="reverse", backend=backend)(point)
    fwd = compile(program, outputs=outputs, mode="forward", backend=backend)(point)
    for out, row in rev.gradients.items():
        for w, g in row.items():
            np.testing.assert_allclose(fwd.gradients[out][w], g, rtol=1e-13)


def test_tensor_jacobian_in_both_modes():
    program = parse("input x: [3]\nparam W: [3, 2]\nh = tanh(x @ W)")
    rng = np.random.default_rng(2)
    values = {"x": rng.normal(size=(4, 3)), "W": rng.normal(size=(3, 2))}
    rev = compile(program, mode="reverse")(values)
    fwd = compile(program, mode="forward")(values)
    assert rev.gradients["h"]["W"].shape == (4, 2, 3, 2)
    for w in ("x", "W"):
        np.testing.assert_allclose(rev.gradients["h"][w], fwd.gradients["h"][w], atol=1e-15)
