"""Properties: the wire codec round-trips any float64 array, and the batcher
gives every request exactly its own rows however requests are split."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from chainlens.engine.numeric.kernel import compile as compile_kernel
from chainlens.server.rpc.batcher import BatchingOptions, DynamicBatcher
from chainlens.server.rpc.metrics import Metrics
from chainlens.v1 import tensor_pb2
from chainlens.v1.tensors import from_tensor, to_tensor
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

KERNEL = compile_kernel("z = w*x + b\nL = (tanh(z) - y)^2\n")


@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=4, max_side=5)))
def test_tensors_round_trip_bit_for_bit(array):
    wire = tensor_pb2.Tensor.FromString(to_tensor(array).SerializeToString())
    back = from_tensor(wire)
    assert back.shape == array.shape
    assert back.tobytes() == np.ascontiguousarray(array).tobytes()


@settings(max_examples=30)
@given(st.lists(st.integers(1, 6), min_size=1, max_size=10), st.integers(1, 16),
       st.integers(0, 2**31))
def test_every_request_gets_exactly_its_rows(sizes, max_batch_size, seed):
    rng = np.random.default_rng(seed)
    requests = [{k: rng.uniform(-2, 2, n) for k in KERNEL.inputs} for n in sizes]

    async def run():
        with ThreadPoolExecutor(2) as pool:
            batcher = DynamicBatcher(BatchingOptions(max_batch_size=max_batch_size,
                                                     batch_timeout=0.005), pool, Metrics())
            return await asyncio.gather(*(batcher.submit("k", KERNEL, r, n)
                                          for r, n in zip(requests, sizes, strict=True)))

    for request, rows in zip(requests, asyncio.run(run()), strict=True):
        alone = KERNEL(request)
        np.testing.assert_allclose(rows.values["L"], alone.values["L"], rtol=1e-14)
        for name in KERNEL.inputs:
            np.testing.assert_allclose(rows.gradients["L"][name], alone.gradients["L"][name],
                                       rtol=1e-13, atol=1e-300)
