"""The asyncio client: ``await AsyncClient(address).gradient(program, x=0.5)``.

Same methods and arguments as :class:`chainlens.client.Client`; many
concurrent calls on one client share one channel (HTTP/2 multiplexes them),
which is how a notebook or service keeps the server's batches full.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping, Sequence

import grpc
from chainlens.client import messages
from chainlens.client.channel import channel_options, credentials, target_for
from chainlens.client.results import (
    ChainlensError,
    CheckResult,
    Derivative,
    Derivatives,
    GradientResult,
    HealthReport,
)
from chainlens.v1 import derivatives_pb2_grpc

__all__ = ["AsyncClient"]


class AsyncClient:
    """See :class:`chainlens.client.Client` for the arguments."""

    def __init__(self, address: str | Sequence[str] = "127.0.0.1:50051", *,
                 timeout: float | None = 30.0, retries: int = 5,
                 root_certificates: bytes | str | None = None):
        target = target_for(address)
        creds = credentials(root_certificates)
        options = channel_options(retries)
        self._channel = (grpc.aio.secure_channel(target, creds, options) if creds
                         else grpc.aio.insecure_channel(target, options))
        self._stub = derivatives_pb2_grpc.DerivativesStub(self._channel)
        self.timeout = timeout

    async def _call(self, method, request, timeout):
        try:
            return await method(request, timeout=self.timeout if timeout is None else timeout)
        except grpc.RpcError as error:
            raise ChainlensError.from_rpc_error(error) from None

    async def gradient(self, program: str, inputs: Mapping | None = None, *, wrt=None,
                       outputs=None, batched: bool = False, timeout: float | None = None,
                       **named) -> GradientResult:
        request = messages.gradient_request(program, inputs, named, wrt=wrt, outputs=outputs,
                                            batched=batched)
        return GradientResult.from_message(await self._call(self._stub.Gradient, request,
                                                            timeout))

    async def gradient_stream(self, program: str, points: Iterable[Mapping], *, wrt=None,
                              outputs=None, batched: bool = False,
                              timeout: float | None = None) -> AsyncIterator[GradientResult]:
        requests = [messages.gradient_request(program, p, {}, wrt=wrt, outputs=outputs,
                                              batched=batched, request_id=str(i))
                    for i, p in enumerate(points)]
        call = self._stub.GradientStream(iter(requests),
                                         timeout=self.timeout if timeout is None else timeout)
        try:
            async for response in call:
                if response.HasField("problem"):
                    raise ChainlensError.from_problem(response.problem)
                yield GradientResult.from_message(response)
        except grpc.RpcError as error:
            raise ChainlensError.from_rpc_error(error) from None

    async def differentiate(self, source: str, wrt=None, *, order: int = 1, steps: bool = True,
                            timeout: float | None = None) -> Derivatives:
        request = messages.differentiate_request(source, wrt, order, steps)
        response = await self._call(self._stub.Differentiate, request, timeout)
        return Derivatives(tuple(Derivative.from_message(d) for d in response.derivatives))

    async def check(self, expression: str, claimed: str, wrt: str | None = None, *,
                    timeout: float | None = None) -> CheckResult:
        request = messages.check_request(expression, claimed, wrt)
        return CheckResult.from_message(
            await self._call(self._stub.Check, request, timeout), expression)

    async def analyze(self, program: str, at: Mapping | None = None, *, top_paths: int = 0,
                      timeout: float | None = None) -> HealthReport:
        request = messages.analyze_request(program, at, top_paths)
        return HealthReport.from_message(await self._call(self._stub.Analyze, request, timeout))

    async def close(self) -> None:
        await self._channel.close()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()
