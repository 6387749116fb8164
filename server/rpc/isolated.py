"""Requests answered in a worker process (:mod:`chainlens.server.pool`).

The servicer sends the requests whose estimated cost is large
(:func:`chainlens.engine.api.cost.estimate`) here, as serialized bytes; the
worker answers with the serialized response (which the servicer hands to
gRPC as it is) or with the problem's fields (a :class:`RequestProblem`
does not pickle as an exception).  The same converters as the in-process
path do the work, so an answer does not depend on where it was computed.
A Gradient is compiled and evaluated here whole (its kernel is not sent
back): the worker keeps the last few compiled programs.
"""

from __future__ import annotations

import logging
from collections import OrderedDict

import grpc
from chainlens.engine.core.source import ChainError
from chainlens.server.rpc import convert
from chainlens.server.rpc.batcher import run_alone
from chainlens.server.rpc.gradients import decode_inputs, encode_rows
from chainlens.server.rpc.problems import RequestProblem, from_chain_error
from chainlens.server.rpc.programs import _compile, check_source
from chainlens.v1 import derivatives_pb2 as pb

__all__ = ["answer", "problem_from", "WARM", "JOB"]

log = logging.getLogger("chainlens.server.rpc")

#: What the pool runs, and what its workers import before their first job.
JOB = "chainlens.server.rpc.isolated:answer"
WARM = ("chainlens.server.rpc.isolated", "chainlens.engine.symbolic.derivatives",
        "chainlens.engine.symbolic.step_text", "chainlens.engine.health.recheck",
        "chainlens.engine.numeric.kernel", "chainlens.engine.numeric.paths")

#: Compiled programs a worker keeps (LRU; a worker's memory is its own).
_KEEP = 8
_compiled: OrderedDict[tuple, object] = OrderedDict()


class _NoKernels:
    """The program cache's second level, which a worker does not have."""

    @staticmethod
    def kernel_for(key):
        return None


def _gradient(request: pb.GradientRequest) -> pb.GradientResponse:
    check_source(request.program, "program")
    key = (request.program, tuple(request.wrt), tuple(request.outputs))
    compiled = _compiled.get(key)
    if compiled is None:
        compiled = _compile(*key, _NoKernels)
        _compiled[key] = compiled
        while len(_compiled) > _KEEP:
            _compiled.popitem(last=False)
    _compiled.move_to_end(key)
    inputs, points = decode_inputs(request, compiled)
    return encode_rows(run_alone(compiled.kernel, inputs, points), request)


_METHODS = {
    "Differentiate": (pb.DifferentiateRequest, convert.differentiate),
    "Analyze": (pb.AnalyzeRequest, convert.analyze),
    "Check": (pb.CheckRequest, convert.check),
    "Gradient": (pb.GradientRequest, _gradient),
}


def _fields(problem: RequestProblem) -> tuple:
    return (problem.code.name, problem.message, problem.field, problem.span, problem.expected,
            problem.hint)


def problem_from(fields: tuple) -> RequestProblem:
    """The problem a worker sent back, as the servicer raises it."""
    code, message, field, span, expected, hint = fields
    return RequestProblem(grpc.StatusCode[code], message, field, span, tuple(expected), hint)


def answer(method: str, raw: bytes) -> tuple[str, object]:
    """In a worker: ``("ok", response bytes)`` or ``("problem", fields)``."""
    kind, handle = _METHODS[method]
    try:
        return "ok", handle(kind.FromString(raw)).SerializeToString()
    except RequestProblem as exc:
        return "problem", _fields(exc)
    except ChainError as exc:
        return "problem", _fields(from_chain_error(exc, "program"))
    except MemoryError:
        return "problem", _fields(RequestProblem(
            grpc.StatusCode.RESOURCE_EXHAUSTED, "the request needed more memory than one "
            "request may use on this server; not computed", "program"))
    except RecursionError:
        return "problem", _fields(RequestProblem(
            grpc.StatusCode.INVALID_ARGUMENT, "the request is nested too deeply to compute",
            "program"))
    except Exception:
        log.exception("%s failed in a worker process", method)
        raise
