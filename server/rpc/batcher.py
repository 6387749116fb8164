"""Dynamic batching of backward passes, in TensorFlow Serving's vocabulary.

Requests for the same compiled program wait in that program's queue.  A
batch is formed when the queue holds ``max_batch_size`` points or when its
oldest request has waited ``batch_timeout`` seconds, *and* a worker is
free; the batch runs as ONE vectorised kernel call on the worker thread
pool: inputs concatenated along the leading points axis, results split back
by the same offsets, so each request receives exactly its own rows.

While every worker is busy the queues keep filling, so batches grow with
load by themselves (TF Serving's "adaptive" behaviour): at low load a
request waits at most ``batch_timeout``; at high load the kernel's fixed
cost (Python dispatch, one numpy call per graph node) is paid once per
batch instead of once per request.

Isolation: requests are validated before they are queued, so a malformed
one never joins a batch; if a batch still fails, its requests are re-run
one by one and only the failing one gets the error.  A request whose client
cancelled, or whose deadline passed while it waited, is dropped when the
batch is formed and never computed.

Tuning (also in ``chainlens serve --help``):

* ``max_batch_size`` (points): the largest kernel call.  Larger batches
  amortise more but each takes longer; past a few thousand points numpy is
  already at full speed, so little is gained.  A request with more points
  than this runs alone (it is not split).
* ``batch_timeout``: the latency you trade for throughput at *low* load.
  0 disables waiting (batches form only from what queued while the workers
  were busy).  Start at 1-2 ms; raise it when traffic is steady but sparse.
* ``max_enqueued`` (requests per program): the back-pressure bound.  Beyond
  it requests get RESOURCE_EXHAUSTED at once rather than timing out later;
  set it to about what the workers clear within your latency target.
* ``workers``: threads running kernel calls.  numpy releases the GIL in its
  inner loops, so up to one per core helps with large batches; with many
  tiny batches more workers mean smaller batches, not more throughput.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field

import numpy as np
from chainlens.server.rpc.metrics import Metrics

__all__ = ["BatchingOptions", "Rows", "DynamicBatcher", "Refused", "QueueFull", "Expired",
           "run_alone"]


class Refused(Exception):
    """A request the batcher will not compute.  Neutral: the batcher knows
    nothing of gRPC; the servicer maps each kind to a status code."""


class QueueFull(Refused):
    """Back-pressure: the program's queue holds ``max_enqueued`` requests."""


class Expired(Refused):
    """The deadline passed while the request waited; it was not computed."""


@dataclass(frozen=True)
class BatchingOptions:
    """The scheduler's knobs (see the module docstring for tuning advice)."""

    max_batch_size: int = 512
    batch_timeout: float = 0.0015
    max_enqueued: int = 4096
    workers: int = 2

    def __post_init__(self):
        if self.max_batch_size < 1 or self.max_enqueued < 1 or self.workers < 1:
            raise ValueError("max_batch_size, max_enqueued and workers must be at least 1")
        if self.batch_timeout < 0:
            raise ValueError("batch_timeout must not be negative")


@dataclass(frozen=True)
class Rows:
    """One request's share of a batch result."""

    values: dict[str, np.ndarray]
    gradients: dict[str, dict[str, np.ndarray]]
    batch_requests: int
    batch_points: int


@dataclass(eq=False)
class _Task:
    inputs: dict[str, np.ndarray]  # each (points, *shape)
    points: int
    future: asyncio.Future
    enqueued: float
    deadline: float | None  # loop time


@dataclass(eq=False)
class _Queue:
    run: Callable  # values -> evaluation with .values / .gradients
    tasks: deque = field(default_factory=deque)
    points: int = 0
    wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    scheduler: asyncio.Task | None = None


class DynamicBatcher:
    """Per-program queues feeding a bounded pool of kernel-call workers.

    Lives on one event loop; ``submit`` is awaited from servicer coroutines,
    kernel calls run on ``executor``.
    """

    def __init__(self, options: BatchingOptions, executor: Executor, metrics: Metrics):
        self.options = options
        self._executor = executor
        self._metrics = metrics
        self._queues: dict[object, _Queue] = {}
        self._slots = asyncio.Semaphore(options.workers)
        self._running: set[asyncio.Task] = set()
        self._flushing = False

    # ---- the servicer's side ---------------------------------------------
    async def submit(self, key, run: Callable, inputs: dict[str, np.ndarray], points: int,
                     timeout: float | None = None) -> Rows:
        """Queue one request (inputs already validated, each with a leading
        points axis) and wait for its rows.  ``key`` names the compiled
        program; ``timeout`` is the caller's remaining deadline."""
        loop = asyncio.get_running_loop()
        queue = self._queues.get(key)
        if queue is None:
            queue = self._queues[key] = _Queue(run)
        if len(queue.tasks) >= self.options.max_enqueued:
            raise QueueFull(f"the queue for this program is full ({self.options.max_enqueued} "
                            "requests waiting); retry with backoff")
        now = loop.time()
        task = _Task(inputs, points, loop.create_future(), now,
                     None if timeout is None else now + timeout)
        queue.tasks.append(task)
        queue.points += points
        self._metrics.queue_depth.inc()
        if queue.points >= self.options.max_batch_size:
            queue.wakeup.set()  # full: no need to wait out the timeout
        if queue.scheduler is None:
            queue.scheduler = asyncio.create_task(self._schedule(key, queue))
        return await task.future

    def flush(self) -> None:
        """Stop waiting for batches to fill: used on shutdown so that what is
        queued runs at once."""
        self._flushing = True
        for queue in self._queues.values():
            queue.wakeup.set()

    async def drain(self) -> None:
        """Wait until every queued and running batch has finished."""
        self.flush()
        while self._queues or self._running:
            pending = [q.scheduler for q in self._queues.values() if q.scheduler]
            await asyncio.gather(*pending, *self._running, return_exceptions=True)

    # ---- scheduling --------------------------------------------------------
    async def _schedule(self, key, queue: _Queue) -> None:
        loop = asyncio.get_running_loop()
        opts = self.options
        try:
            while queue.tasks:
                oldest = queue.tasks[0].enqueued
                while queue.points < opts.max_batch_size and not self._flushing:
                    remaining = oldest + opts.batch_timeout - loop.time()
                    if remaining <= 0:
                        break
                    queue.wakeup.clear()
                    try:
                        await asyncio.wait_for(queue.wakeup.wait(), remaining)
                    except TimeoutError:
                        break
                await self._slots.acquire()
                batch = self._take(queue, loop.time())
                if not batch:
                    self._slots.release()
                    continue
                job = asyncio.create_task(self._execute(queue.run, batch))
                self._running.add(job)
                job.add_done_callback(self._running.discard)
        finally:
            self._queues.pop(key, None)

    def _take(self, queue: _Queue, now: float) -> list[_Task]:
        """Pop the next batch, dropping cancelled and expired requests."""
        batch: list[_Task] = []
        points = 0
        while queue.tasks:
            task = queue.tasks[0]
            if batch and points + task.points > self.options.max_batch_size:
                break
            queue.tasks.popleft()
            queue.points -= task.points
            self._metrics.queue_depth.dec()
            if task.deadline is not None and now >= task.deadline:
                self._metrics.dropped.labels("deadline").inc()
                if not task.future.done():
                    task.future.set_exception(Expired(
                        "the deadline passed while the request waited for a batch; not computed"))
                continue
            if task.future.done():  # the client cancelled: its coroutine is gone
                self._metrics.dropped.labels("cancelled").inc()
                continue
            self._metrics.queue_latency.observe(now - task.enqueued)
            batch.append(task)
            points += task.points
        return batch

    async def _execute(self, run: Callable, batch: list[_Task]) -> None:
        loop = asyncio.get_running_loop()
        try:
            self._metrics.batch_size.observe(len(batch))
            self._metrics.batch_points.observe(sum(t.points for t in batch))
            started = time.perf_counter()
            try:
                results = await loop.run_in_executor(self._executor, _run_batch, run, batch)
            finally:
                self._metrics.compute.observe(time.perf_counter() - started)
            for task, result in zip(batch, results, strict=True):
                if task.future.done():
                    continue
                if isinstance(result, BaseException):
                    task.future.set_exception(result)
                else:
                    task.future.set_result(result)
        finally:
            self._slots.release()


# ---- on a worker thread ------------------------------------------------------
def _run_batch(run: Callable, batch: list[_Task]) -> list:
    """One kernel call for the whole batch, split back by offsets; on
    failure, each request alone so that only the culprit fails."""
    try:
        return _call(run, batch)
    except Exception as exc:  # noqa: BLE001 - isolated below
        if len(batch) == 1:
            return [exc]
    out: list = []
    for task in batch:
        try:
            out.extend(_call(run, [task]))
        except Exception as exc:  # noqa: BLE001 - this request's own failure
            out.append(exc)
    return out


def _call(run: Callable, batch: list[_Task]) -> list[Rows]:
    names = batch[0].inputs.keys()
    if len(batch) == 1 and batch[0].points == 1:
        # One point of scalars: hand the kernel the numbers themselves (its
        # plain-float path skips numpy's per-call overhead); tensors keep
        # their points axis.
        values = {n: a[0] if a.shape == (1,) else a for n, a in batch[0].inputs.items()}
    elif len(batch) == 1:
        values = batch[0].inputs
    else:
        values = {n: _stacked([t.inputs[n] for t in batch]) for n in names}
    total = sum(t.points for t in batch)
    evaluation = run(values)
    rows: list[Rows] = []
    start = 0
    for task in batch:
        stop = start + task.points
        rows.append(Rows(
            {o: _rows(v, total, start, stop) for o, v in evaluation.values.items()},
            {o: {i: _rows(g, total, start, stop) for i, g in grads.items()}
             for o, grads in evaluation.gradients.items()},
            len(batch), total,
        ))
        start = stop
    return rows


#: Elements per point from which an input every request of a batch sent
#: alike is passed once (below, comparing costs more than concatenating).
SHARED_MIN_ELEMENTS = 64


def _stacked(arrays: list[np.ndarray]) -> np.ndarray:
    """One input of a batch along the points axis; a tensor every request
    sent the same one point of (a served model's weights) is passed once,
    so the kernel treats it as shared by the batch: one matrix product for
    the whole batch instead of one per request (each request still gets its
    own per-point gradient)."""
    first = arrays[0]
    if (first.shape[0] == 1 and first.size >= SHARED_MIN_ELEMENTS
            and all(a.shape == first.shape and np.array_equal(a, first) for a in arrays[1:])):
        return first
    return np.concatenate(arrays, axis=0)


def run_alone(run: Callable, inputs: dict[str, np.ndarray], points: int) -> Rows:
    """One request's kernel call without a batch (a worker process answering
    a Gradient for a program too large to compile in the server)."""
    return _call(run, [_Task(inputs, points, None, 0.0, None)])[0]


def _rows(array, total: int, start: int, stop: int) -> np.ndarray:
    """Rows ``start:stop`` of a batch result; a result that does not depend
    on the inputs may come back without the batch axis, so broadcast first."""
    array = np.asarray(array, dtype=np.float64)
    if array.ndim == 0 or array.shape[0] != total:
        array = np.broadcast_to(array, (total, *array.shape))
    return np.array(array[start:stop])
