"""The batcher passes a tensor every request of a batch sent alike (a
served model's weights) once, so the kernel runs one matrix product for
the batch; each request still gets exactly the rows it gets alone."""

import asyncio

import numpy as np
from chainlens.engine.numeric.kernel import compile
from chainlens.server.rpc.batcher import _call, _stacked, _Task

MLP = """input x: [8]
param W: [8, 8]
param b: [8]
L = logsumexp(tanh(x @ W + b))
"""


def task(values: dict) -> _Task:
    loop = asyncio.new_event_loop()
    try:
        return _Task({n: np.asarray(v, dtype=float)[None] for n, v in values.items()}, 1,
                     loop.create_future(), 0.0, None)
    finally:
        loop.close()


def test_weights_sent_alike_are_passed_once_and_inputs_stacked():
    rng = np.random.default_rng(0)
    W = rng.normal(size=(8, 8))
    stacked = _stacked([W[None].copy() for _ in range(5)])
    assert stacked.shape == (1, 8, 8)
    assert _stacked([rng.normal(size=(1, 8, 8)) for _ in range(5)]).shape == (5, 8, 8)
    assert _stacked([np.ones((1, 3)) for _ in range(4)]).shape == (4, 3)  # small: stacked


def test_each_request_gets_its_own_rows_with_shared_weights():
    rng = np.random.default_rng(1)
    weights = {"W": rng.normal(size=(8, 8)), "b": rng.normal(size=8)}
    kernel = compile(MLP)
    points = [{**weights, "x": rng.normal(size=8)} for _ in range(6)]
    seen = []

    def run(values):
        seen.append({n: v.shape for n, v in values.items()})
        return kernel(values)

    rows = _call(run, [task(p) for p in points])
    assert seen[0]["W"] == (1, 8, 8) and seen[0]["x"] == (6, 8)
    for point, row in zip(points, rows, strict=True):
        alone = kernel({n: np.asarray(v)[None] for n, v in point.items()})
        np.testing.assert_allclose(row.values["L"], alone.values["L"], rtol=1e-13)
        for name in ("x", "W", "b"):
            np.testing.assert_allclose(row.gradients["L"][name], alone.gradients["L"][name],
                                       rtol=1e-12, atol=1e-14)
