"""The blocking client: ``Client("127.0.0.1:50051").gradient(program, x=0.5)``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

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

__all__ = ["Client"]


class Client:
    """A chainlens client over one channel.

    ``address`` is ``host:port``, several of them (a list or a comma-separated
    string: balanced round-robin by gRPC), or one DNS name
    (``dns:///name:port``).  ``timeout`` is the default deadline in seconds
    of each call; ``retries`` the attempts on UNAVAILABLE (with backoff);
    ``root_certificates`` (PEM bytes or a path) switches to TLS.
    """

    def __init__(self, address: str | Sequence[str] = "127.0.0.1:50051", *,
                 timeout: float | None = 30.0, retries: int = 5,
                 root_certificates: bytes | str | None = None):
        target = target_for(address)
        creds = credentials(root_certificates)
        options = channel_options(retries)
        self._channel = (grpc.secure_channel(target, creds, options) if creds
                         else grpc.insecure_channel(target, options))
        self._stub = derivatives_pb2_grpc.DerivativesStub(self._channel)
        self.timeout = timeout

    def _call(self, method, request, timeout):
        try:
            return method(request, timeout=self.timeout if timeout is None else timeout)
        except grpc.RpcError as error:
            raise ChainlensError.from_rpc_error(error) from None

    def gradient(self, program: str, inputs: Mapping | None = None, *, wrt=None, outputs=None,
                 batched: bool = False, timeout: float | None = None,
                 **named) -> GradientResult:
        """Values and gradients at one point (or, with ``batched=True``, at
        every row of the leading axis)."""
        request = messages.gradient_request(program, inputs, named, wrt=wrt, outputs=outputs,
                                            batched=batched)
        return GradientResult.from_message(self._call(self._stub.Gradient, request, timeout))

    def gradient_stream(self, program: str, points: Iterable[Mapping], *, wrt=None,
                        outputs=None, batched: bool = False,
                        timeout: float | None = None) -> Iterator[GradientResult]:
        """One request per mapping in ``points`` over one stream; results in
        completion order, each with ``request_id`` = the point's index.  A bad
        point raises :class:`ChainlensError` when its answer arrives."""
        requests = (messages.gradient_request(program, p, {}, wrt=wrt, outputs=outputs,
                                              batched=batched, request_id=str(i))
                    for i, p in enumerate(points))
        try:
            for response in self._stub.GradientStream(
                    requests, timeout=self.timeout if timeout is None else timeout):
                if response.HasField("problem"):
                    raise ChainlensError.from_problem(response.problem)
                yield GradientResult.from_message(response)
        except grpc.RpcError as error:
            raise ChainlensError.from_rpc_error(error) from None

    def differentiate(self, source: str, wrt=None, *, order: int = 1, steps: bool = True,
                      timeout: float | None = None) -> Derivatives:
        request = messages.differentiate_request(source, wrt, order, steps)
        response = self._call(self._stub.Differentiate, request, timeout)
        return Derivatives(tuple(Derivative.from_message(d) for d in response.derivatives))

    def check(self, expression: str, claimed: str, wrt: str | None = None, *,
              timeout: float | None = None) -> CheckResult:
        request = messages.check_request(expression, claimed, wrt)
        return CheckResult.from_message(self._call(self._stub.Check, request, timeout),
                                        expression)

    def analyze(self, program: str, at: Mapping | None = None, *, top_paths: int = 0,
                timeout: float | None = None) -> HealthReport:
        request = messages.analyze_request(program, at, top_paths)
        return HealthReport.from_message(self._call(self._stub.Analyze, request, timeout))

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
