"""A per-point scalar against a per-point vector in a batch: (B,) and (B, n)
did not broadcast, so any model with ``w * x`` (scalar w), ``x - mean(x)``
(layer norm) or ``x - logsumexp(x)`` (log-softmax) was 'not measured'."""

import numpy as np
import pytest
from chainlens.engine.language.reader import parse
from chainlens.engine.numeric.kernel import compile as compile_kernel

CASES = [
    "input x: [4]\ninput w\ny = w * x\nL = sum(y * y)\n",
    "input x: [4]\nu = x - mean(x)\nL = sum(u / sqrt(mean(u * u) + 0.00001) * x)\n",
    "input x: [4]\ny = x - logsumexp(x)\nL = sum(y * x)\n",
]


def _central(f, values, name, h=1e-6):
    base = {k: np.array(v, dtype=float) for k, v in values.items()}
    out = np.zeros_like(base[name])
    for idx in np.ndindex(base[name].shape):
        up = {k: v.copy() for k, v in base.items()}
        dn = {k: v.copy() for k, v in base.items()}
        up[name][idx] += h
        dn[name][idx] -= h
        out[idx] = (f(up) - f(dn)) / (2 * h)
    return out


@pytest.mark.parametrize("src", CASES)
def test_batched_scalar_vector_gradients_match_central_differences(src):
    program = parse(src)
    kernel = compile_kernel(program, wrt=program.inputs, outputs=("L",))
    rng = np.random.default_rng(3)
    shapes = {d.name: tuple(d.shape) for d in program.declarations}
    batch = {n: rng.uniform(-1, 1, size=(5, *shapes.get(n, ()))) for n in program.inputs}
    ev = kernel(batch)
    for i in range(5):
        point = {n: v[i] for n, v in batch.items()}

        def f(vals):
            return float(np.ravel(kernel({n: v[None] for n, v in vals.items()})
                                  .values["L"])[0])

        for name in program.inputs:
            got = np.asarray(ev.gradients["L"][name])[i]
            np.testing.assert_allclose(got, _central(f, point, name), rtol=1e-5, atol=1e-7)
