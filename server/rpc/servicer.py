"""The ``chainlens.v1.Derivatives`` servicer: short methods over the runtime.

Each method translates one message and hands the work on.  Where depends on
what the request will cost, guessed from its text before any work
(:func:`chainlens.engine.api.cost.estimate`):

* cheap requests stay in the server: Gradient to the program cache and the
  dynamic batcher, Differentiate, Analyze and Check to the *symbolic*
  thread pool (CPU-bound engine calls must not stall the event loop);
* expensive ones go to a worker process (:mod:`chainlens.server.pool`,
  :mod:`~.isolated`), where they cannot hold the server's GIL, and where
  they can be stopped: when the request's deadline passes (the client's,
  or the server's own budget per request, whichever is first) or the
  client cancels, the worker is killed and replaced, and the request ends
  with DEADLINE_EXCEEDED or CANCELLED.  Other requests are unaffected.

Work whose deadline has passed, or whose client has gone, is not started.
(A started engine call on a thread runs to its end; only cheap ones run
there.)  Failures become status codes with a place (see
:mod:`chainlens.server.rpc.problems`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Executor
from dataclasses import dataclass

import grpc
from chainlens.engine.api.cost import CHEAP_UNITS, estimate
from chainlens.engine.core.source import ChainError
from chainlens.server.pool import PoolClosed, PoolTimeout, WorkerDied, WorkerPool
from chainlens.server.rpc import convert, isolated
from chainlens.server.rpc.batcher import DynamicBatcher, Expired, QueueFull, Refused
from chainlens.server.rpc.gradients import decode_inputs, encode_rows
from chainlens.server.rpc.metrics import Metrics
from chainlens.server.rpc.problems import (
    RequestProblem,
    from_chain_error,
    to_message,
    trailing_metadata,
)
from chainlens.server.rpc.programs import ProgramCache
from chainlens.v1 import derivatives_pb2, derivatives_pb2_grpc

__all__ = ["Runtime", "DerivativesServicer"]

log = logging.getLogger("chainlens.server.rpc")


@dataclass(frozen=True)
class Runtime:
    """What the servicer works with; built and closed by the service."""

    batcher: DynamicBatcher
    programs: ProgramCache
    executor: Executor  # kernel calls and compilation
    metrics: Metrics
    symbolic: Executor | None = None  # Differentiate, Analyze, Check (default: executor)
    #: worker processes for expensive requests (None: everything in the server)
    pool: WorkerPool | None = None
    #: estimated cost (engine.api.cost units) above which a request goes to the pool
    cheap_units: float = CHEAP_UNITS
    #: seconds one request may compute in a worker, whatever its client's deadline
    work_seconds: float | None = 30.0


class DerivativesServicer(derivatives_pb2_grpc.DerivativesServicer):
    def __init__(self, runtime: Runtime):
        self.rt = runtime

    async def Differentiate(self, request, context):
        cost = estimate(request.source, "differentiate", order=request.order,
                        wrt=len(request.wrt), steps=request.steps)
        return await self._unary("Differentiate", context,
                                 self._symbolic("Differentiate", convert.differentiate, cost,
                                                request, context))

    async def Gradient(self, request, context):
        return await self._unary("Gradient", context, self._gradient(request, context))

    async def Analyze(self, request, context):
        cost = estimate(request.program, "analyze")
        return await self._unary("Analyze", context,
                                 self._symbolic("Analyze", convert.analyze, cost, request,
                                                context))

    async def Check(self, request, context):
        # the claim is read too: its text counts
        cost = estimate(f"{request.expression}\n{request.claimed}", "check")
        return await self._unary("Check", context,
                                 self._symbolic("Check", convert.check, cost, request, context))

    async def GradientStream(self, request_iterator, context) -> AsyncIterator:
        """Requests are started as they arrive and answered as they finish,
        so a stream's requests batch with each other and with everyone's."""
        answers: asyncio.Queue = asyncio.Queue()
        self.rt.metrics.requests.labels("GradientStream").inc()

        async def answer(request):
            await answers.put(await self._streamed(request, context))

        async def read():
            started = []
            async for request in request_iterator:
                started.append(asyncio.create_task(answer(request)))
            await asyncio.gather(*started)
            await answers.put(None)

        reader = asyncio.create_task(read())
        try:
            while (response := await answers.get()) is not None:
                yield response
            await reader
        finally:
            reader.cancel()

    # ---- helpers -----------------------------------------------------------
    def _isolate(self, cost) -> bool:
        return self.rt.pool is not None and not cost.cheap(self.rt.cheap_units)

    async def _symbolic(self, method: str, fn: Callable, cost, request, context):
        if self._isolate(cost):
            return await self._isolated(method, request, context, cost.units)
        return await self._offload(fn, request, context)

    async def _gradient(self, request, context):
        """The response message, or its bytes when a worker process computed it
        (a program too large to compile in the server: it never joins a batch)."""
        cost = estimate(request.program, "gradient")
        if (self._isolate(cost)
                and not self.rt.programs.holds(request.program, request.wrt, request.outputs)):
            return await self._isolated("Gradient", request, context, cost.units)
        compiled = await self.rt.programs.get(request.program, request.wrt, request.outputs,
                                              self.rt.executor)
        _still_wanted(context)  # compiling may have taken the whole deadline
        inputs, points = decode_inputs(request, compiled)
        rows = await self.rt.batcher.submit(compiled.key, compiled.kernel, inputs, points,
                                            timeout=context.time_remaining())
        return encode_rows(rows, request)

    async def _streamed(self, request, context) -> derivatives_pb2.GradientResponse:
        started = time.perf_counter()
        try:
            response = await self._gradient(request, context)
            if isinstance(response, bytes):
                response = derivatives_pb2.GradientResponse.FromString(response)
        except (RequestProblem, ChainError, Refused) as exc:
            problem = _as_problem(exc)
        except Exception:
            log.exception("GradientStream request %r failed", request.request_id)
            problem = RequestProblem(grpc.StatusCode.INTERNAL, "the request failed inside the "
                                     "server; the error is in its log")
        else:
            self.rt.metrics.latency.labels("GradientStream").observe(
                time.perf_counter() - started)
            return response
        self.rt.metrics.errors.labels("GradientStream", problem.code.name).inc()
        return derivatives_pb2.GradientResponse(request_id=request.request_id,
                                                problem=to_message(problem))

    async def _offload(self, fn: Callable, request, context):
        _still_wanted(context)
        remaining = context.time_remaining()
        deadline = None if remaining is None else time.monotonic() + remaining

        def job():
            # queued behind other work: the client may have stopped waiting
            if deadline is not None and time.monotonic() >= deadline:
                raise _expired("while the request waited for a worker")
            if context.cancelled():
                raise RequestProblem(grpc.StatusCode.CANCELLED, "the client cancelled the "
                                     "request before it started; not computed")
            return fn(request)

        loop = asyncio.get_running_loop()
        self.rt.metrics.symbolic_waiting.inc()
        try:
            return await loop.run_in_executor(self.rt.symbolic or self.rt.executor, job)
        finally:
            self.rt.metrics.symbolic_waiting.dec()

    async def _isolated(self, method: str, request, context, units: float) -> bytes:
        """``request`` answered by a worker process, within its deadline: the
        client's or the server's budget, whichever comes first (waiting
        requests go to a free worker cheapest first, by ``units``)."""
        _still_wanted(context)
        remaining = context.time_remaining()
        budget = self.rt.work_seconds
        limits = [t for t in (remaining, budget) if t is not None]
        deadline = time.monotonic() + min(limits) if limits else None
        ours = budget is not None and (remaining is None or budget < remaining)
        metrics = self.rt.metrics
        metrics.isolated.labels(method).inc()

        def stopped(reason: str) -> None:
            # a client whose deadline passed is cancelled by grpc: say so
            late = context.time_remaining()
            if reason == "cancelled" and late is not None and late <= 0:
                reason = "deadline"
            metrics.stopped.labels(reason).inc()

        try:
            kind, value = await self.rt.pool.run(
                isolated.JOB, (method, request.SerializeToString()), deadline, stopped, units)
        except PoolTimeout as exc:
            if not exc.started:
                raise _expired("while the request waited for a worker process") from None
            if ours:
                raise RequestProblem(grpc.StatusCode.DEADLINE_EXCEEDED,
                                     f"the request ran past the server's limit of {budget:g} s "
                                     "of work per request; its computation was stopped") from None
            raise RequestProblem(grpc.StatusCode.DEADLINE_EXCEEDED, "the deadline passed while "
                                 "the request was computed; its computation was stopped") from None
        except WorkerDied as exc:
            log.warning("%s: the worker process ended (%s)", method, exc)
            raise RequestProblem(grpc.StatusCode.RESOURCE_EXHAUSTED, "the worker process "
                                 f"computing the request ended ({exc}), most likely out of "
                                 "memory; not answered", "program") from None
        except PoolClosed:
            raise RequestProblem(grpc.StatusCode.UNAVAILABLE, "the server is stopping; "
                                 "retry on another server") from None
        if kind == "problem":
            raise isolated.problem_from(value)
        return value

    async def _unary(self, method: str, context, work):
        metrics = self.rt.metrics
        metrics.requests.labels(method).inc()
        started = time.perf_counter()
        try:
            return await work
        except (RequestProblem, ChainError, Refused) as exc:
            problem = _as_problem(exc)
            metrics.errors.labels(method, problem.code.name).inc()
            await context.abort(problem.code, problem.details,
                                trailing_metadata=trailing_metadata(problem))
        except asyncio.CancelledError:
            metrics.errors.labels(method, "CANCELLED").inc()
            raise
        except Exception:
            log.exception("%s failed", method)
            metrics.errors.labels(method, "INTERNAL").inc()
            await context.abort(grpc.StatusCode.INTERNAL, f"{method} failed inside the server; "
                                                          "the error is in its log")
        finally:
            metrics.latency.labels(method).observe(time.perf_counter() - started)


def _expired(when: str) -> RequestProblem:
    return RequestProblem(grpc.StatusCode.DEADLINE_EXCEEDED,
                          f"the deadline passed {when}; not computed")


def _still_wanted(context) -> None:
    """Refuse to start work for a request whose deadline passed or whose
    client cancelled."""
    remaining = context.time_remaining()
    if remaining is not None and remaining <= 0:
        raise _expired("before the work started")
    if context.cancelled():
        raise RequestProblem(grpc.StatusCode.CANCELLED, "the client cancelled the request")


#: The batcher's refusals as status codes.
_REFUSALS = {QueueFull: grpc.StatusCode.RESOURCE_EXHAUSTED,
             Expired: grpc.StatusCode.DEADLINE_EXCEEDED}


def _as_problem(exc: Exception) -> RequestProblem:
    if isinstance(exc, RequestProblem):
        return exc
    if isinstance(exc, Refused):
        return RequestProblem(_REFUSALS.get(type(exc), grpc.StatusCode.UNAVAILABLE), str(exc),
                              "program")
    return from_chain_error(exc, "program")
