"""In-process services on 127.0.0.1:0 and the closed-form oracle the
Gradient answers are checked against."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from chainlens.client import AsyncClient
from chainlens.server.rpc.batcher import BatchingOptions
from chainlens.server.rpc.service import Service, ServiceOptions

#: One neuron with a squared loss: every test's backward pass.
NEURON = """\
z = w*x + b
a = sigmoid(z)
L = (a - y)^2
"""


def neuron_oracle(x, w, b, y):
    """L and its gradient, written out by hand (independent of the engine)."""
    s = 1.0 / (1.0 + np.exp(-(w * x + b)))
    dl_da = 2.0 * (s - y)
    dz = dl_da * s * (1.0 - s)
    return (s - y) ** 2, {"x": dz * w, "w": dz * x, "b": dz, "y": -dl_da}


def random_points(n: int, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {name: rng.uniform(-2, 2, n) for name in ("x", "w", "b", "y")}


@pytest.fixture
def neuron():
    """The neuron program, its oracle and a point generator, for tests."""
    return SimpleNamespace(source=NEURON, oracle=neuron_oracle, points=random_points,
                           point={"x": 0.5, "w": 0.8, "b": -0.1, "y": 1.0})


@pytest.fixture
async def start_service():
    """``await start_service(max_batch_size=..., batch_timeout=...)`` -> a
    running Service; every one started is stopped after the test."""
    services: list[Service] = []

    async def start(*, metrics_port=None, tls=None, max_message_bytes=64 << 20, cache_size=256,
                    **batching):
        options = ServiceOptions(
            port=0, batching=BatchingOptions(**batching), metrics_port=metrics_port,
            tls_cert=tls[0] if tls else None, tls_key=tls[1] if tls else None,
            max_message_bytes=max_message_bytes, cache_size=cache_size, grace=2.0)
        service = await Service(options).start()
        services.append(service)
        return service

    yield start
    for service in services:
        await service.stop(grace=0)


@pytest.fixture
async def service(start_service):
    return await start_service(batch_timeout=0.002)


@pytest.fixture
async def client(service):
    async with AsyncClient(service.address, timeout=20) as c:
        yield c
