"""The chainlens Python gRPC client (sync and asyncio, numpy in and out).

    from chainlens.client import Client
    with Client("127.0.0.1:50051") as c:
        r = c.gradient("L = (sigmoid(w*x + b) - y)^2", x=0.5, w=0.8, b=-0.1, y=1.0)
        r.gradients["L"]["w"]

Several servers: ``Client(["127.0.0.1:5001", "127.0.0.1:5002"])`` or one DNS
name ``Client("dns:///chainlens.internal:50051")``: gRPC balances the calls
round-robin and retries UNAVAILABLE with backoff.
"""

from chainlens.client.aio import AsyncClient
from chainlens.client.results import (
    ChainlensError,
    CheckResult,
    Derivative,
    Derivatives,
    GradientResult,
    HealthReport,
)
from chainlens.client.sync import Client

__all__ = [
    "Client",
    "AsyncClient",
    "ChainlensError",
    "GradientResult",
    "Derivative",
    "Derivatives",
    "CheckResult",
    "HealthReport",
]
