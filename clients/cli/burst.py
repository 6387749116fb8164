"""A burst of backward passes through the gRPC service, for ``chainlens demo``
(client side: it starts the service, then talks to it through
:mod:`chainlens.client`, which the server package may never import).

:func:`run_burst` starts the service on loopback, sends ``n`` concurrent
Gradient requests (one point each) through the asyncio client, checks every
answer against the engine run locally on the same points, reads the batch
sizes the server formed from its metrics, stops the service and returns a
:class:`BurstSummary` (the demo prints it).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass

import numpy as np
from chainlens.server.rpc.batcher import BatchingOptions
from chainlens.server.rpc.service import Service, ServiceOptions

__all__ = ["BurstSummary", "run_burst", "NEURON"]

#: The program of the burst: one neuron with a squared loss.
NEURON = """\
z = w*x + b
a = sigmoid(z)
L = (a - y)^2
"""


@dataclass(frozen=True)
class BurstSummary:
    address: str
    requests: int
    seconds: float
    #: largest |served - local| over every value and gradient
    max_abs_error: float
    all_match: bool
    #: kernel calls the server made for the burst
    kernel_calls: int
    #: requests per kernel call -> how many calls had that size
    batch_sizes: dict[int, int]
    batch_timeout_ms: float

    @property
    def mean_batch(self) -> float:
        return self.requests / max(self.kernel_calls, 1)

    def __str__(self) -> str:
        sizes = ", ".join(f"{size}×{count}" for size, count in sorted(self.batch_sizes.items()))
        verdict = "all match" if self.all_match else "MISMATCH"
        return (f"gRPC burst on {self.address}: {self.requests} concurrent Gradient requests "
                f"in {self.seconds * 1000:.0f} ms ({self.requests / self.seconds:,.0f} req/s)\n"
                f"  answers vs local engine: {verdict} (max |error| {self.max_abs_error:.1e})\n"
                f"  the server ran {self.kernel_calls} kernel calls (batch timeout "
                f"{self.batch_timeout_ms:g} ms), mean batch {self.mean_batch:.1f} requests\n"
                f"  batch sizes (requests×calls): {sizes}")


def run_burst(n: int = 200, *, batch_timeout_ms: float = 2.0, max_batch_size: int = 512,
              seed: int = 0) -> BurstSummary:
    """Run the burst (blocking; starts and stops its own event loop)."""
    return asyncio.run(_burst(n, batch_timeout_ms, max_batch_size, seed))


async def _burst(n: int, batch_timeout_ms: float, max_batch_size: int,
                 seed: int) -> BurstSummary:
    from chainlens.client import AsyncClient
    from chainlens.engine.numeric.kernel import compile as compile_kernel

    rng = np.random.default_rng(seed)
    points = [{k: float(rng.uniform(-2, 2)) for k in ("x", "w", "b", "y")} for _ in range(n)]
    options = ServiceOptions(port=0, batching=BatchingOptions(
        max_batch_size=max_batch_size, batch_timeout=batch_timeout_ms / 1000))
    service = await Service(options).start()
    try:
        async with AsyncClient(service.address) as client:
            await client.gradient(NEURON, points[0])  # compile once, outside the burst
            warm_calls = service.metrics.value("chainlens_batch_size_count")
            started = time.perf_counter()
            results = await asyncio.gather(*(client.gradient(NEURON, p) for p in points))
            seconds = time.perf_counter() - started
        calls = int(service.metrics.value("chainlens_batch_size_count") - warm_calls)
    finally:
        await service.stop()

    kernel = compile_kernel(NEURON)
    local = kernel({k: np.array([p[k] for p in points]) for k in kernel.inputs})
    error = 0.0
    for i, r in enumerate(results):
        error = max(error, abs(float(r.values["L"]) - local.values["L"][i]))
        for name, grad in r.gradients["L"].items():
            error = max(error, abs(float(grad) - local.gradients["L"][name][i]))
    # Each request reports the size of the batch it ran in; a batch of k
    # requests is reported k times.
    sizes = Counter(r.batch_requests for r in results)
    return BurstSummary(
        address=service.address, requests=n, seconds=seconds, max_abs_error=error,
        all_match=error <= 1e-12, kernel_calls=calls,
        batch_sizes={size: count // size for size, count in sizes.items()},
        batch_timeout_ms=batch_timeout_ms)
