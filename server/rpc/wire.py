"""The servicer on the server, with requests decoded where a bad one can be
refused properly.

The generated ``add_DerivativesServicer_to_server`` decodes each request in
grpc's own code, and a request that is not the message it should be (any
garbage bytes) ends as UNKNOWN "Exception deserializing request!", which
tells a client neither whose fault it is nor what was wrong.  Here the
handlers take the raw bytes and decode them first thing: a message that
does not decode is INVALID_ARGUMENT, saying which message was expected.
"""

from __future__ import annotations

import grpc
from chainlens.server.rpc.problems import clip
from chainlens.v1 import derivatives_pb2 as pb
from google.protobuf.message import DecodeError

__all__ = ["add_servicer", "SERVICE"]

SERVICE = "chainlens.v1.Derivatives"

#: method -> (request type, response type); GradientStream streams both ways.
_UNARY = {
    "Differentiate": (pb.DifferentiateRequest, pb.DifferentiateResponse),
    "Gradient": (pb.GradientRequest, pb.GradientResponse),
    "Analyze": (pb.AnalyzeRequest, pb.AnalyzeResponse),
    "Check": (pb.CheckRequest, pb.CheckResponse),
}


def _undecodable(kind, exc: Exception) -> str:
    return (f"the request is not a {kind.DESCRIPTOR.full_name} message "
            f"({clip(str(exc), 200)}); check the client's generated code and the method called")


def _decode(kind, raw: bytes):
    """(the message, None) or (None, why ``raw`` is not one)."""
    try:
        return kind.FromString(raw), None
    except DecodeError as exc:
        return None, _undecodable(kind, exc)


def _unary(method, kind):
    async def handle(raw: bytes, context):
        request, problem = _decode(kind, raw)
        if problem is not None:
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT, problem)
        return await method(request, context)

    return handle


def _stream(method, kind):
    async def handle(raw_requests, context):
        bad: list[str] = []

        async def requests():
            async for raw in raw_requests:
                request, problem = _decode(kind, raw)
                if problem is not None:
                    bad.append(problem)
                    return  # the answers so far are sent, then the stream ends
                yield request

        async for response in method(requests(), context):
            yield response
        if bad:
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT, bad[0])

    return handle


def _serialize(message) -> bytes:
    """A response message, or its bytes as a worker process serialized them."""
    return message if isinstance(message, bytes) else message.SerializeToString()


def add_servicer(servicer, server) -> None:
    """Register ``servicer``'s methods on ``server`` (grpc.aio)."""
    handlers = {
        name: grpc.unary_unary_rpc_method_handler(
            _unary(getattr(servicer, name), request), request_deserializer=None,
            response_serializer=_serialize)
        for name, (request, _response) in _UNARY.items()
    }
    handlers["GradientStream"] = grpc.stream_stream_rpc_method_handler(
        _stream(servicer.GradientStream, pb.GradientRequest), request_deserializer=None,
        response_serializer=pb.GradientResponse.SerializeToString)
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE, handlers),))
    server.add_registered_method_handlers(SERVICE, handlers)
