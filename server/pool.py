"""A few worker processes whose jobs can be stopped: killed at a deadline
or on cancellation, and replaced, without disturbing the others' jobs.

A started engine call on a thread cannot be stopped and, holding the GIL,
stalls every other request of the process while it runs.  In a worker
process it stalls nobody, and it can be stopped: the only way to stop it is
to kill the process, so each worker runs one job at a time over its own
pipe, and killing it touches nothing else (a ``ProcessPoolExecutor`` shares
one call queue between its workers and breaks as a whole when one dies).

Workers are started once, by multiprocessing's *forkserver* (forking a
process that runs gRPC's threads is unsafe; the fork server is a
single-threaded process of its own), which imports the modules a job needs
first (``warm``), so a replacement is a fork of a warm process, ready in
milliseconds instead of the seconds a fresh interpreter takes to import the
engine: under abuse a server replaces a worker every second or two.  They
run at a lower CPU priority than the process
they serve (so its cheap requests come first when the cores are busy),
under a memory limit, and end with that process even when it is killed
(:mod:`chainlens.server.lifeline`).  A killed worker's replacement is
spawned at once, in the background.

A job is ``"module:function"`` and picklable arguments; its result or its
exception (which must pickle) comes back.  The pool lives on one asyncio
event loop; :meth:`WorkerPool.run` is awaited there.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import importlib
import itertools
import logging
import multiprocessing
import os
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection

from chainlens.server import lifeline

__all__ = ["WorkerPool", "PoolTimeout", "WorkerDied", "PoolClosed"]

log = logging.getLogger("chainlens.server.pool")


class PoolTimeout(Exception):
    """The job's deadline passed; ``started`` says whether a worker had it
    (and was killed) or it was still waiting for one."""

    def __init__(self, started: bool):
        super().__init__("started" if started else "waiting")
        self.started = started


class WorkerDied(Exception):
    """The worker running the job ended without an answer (``exitcode``)."""

    def __init__(self, exitcode):
        super().__init__(f"exit code {exitcode}")
        self.exitcode = exitcode


class PoolClosed(Exception):
    """The pool was shut down before the job could run."""


# ---- in the worker process ------------------------------------------------------
def _resolve(name: str):
    module, _, function = name.partition(":")
    return getattr(importlib.import_module(module), function)


def _worker_main(conn: Connection, parent, nice: int, memory_bytes: int | None,
                 warm: tuple[str, ...]) -> None:
    lifeline.attach(parent, 0.25, release_stdio=True)
    with contextlib.suppress(OSError):
        os.nice(nice)
    if memory_bytes:
        import resource

        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    for name in warm:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the job will say what is missing
            log.exception("worker could not import %s", name)
    conn.send(("ready", None))
    while True:
        try:
            function, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            result = ("ok", _resolve(function)(*args))
        except BaseException as exc:  # noqa: BLE001 - every failure goes back
            result = ("error", exc)
        try:
            conn.send(result)
        except Exception as exc:  # noqa: BLE001 - an unpicklable result or exception
            conn.send(("error", RuntimeError(f"{function} gave back something that does not "
                                             f"pickle: {exc}")))


# ---- in the serving process ------------------------------------------------------
def _context(warm: tuple[str, ...]):
    """The fork server where there is one (it imports ``warm`` once, when it
    starts: a process that started it already keeps its own list), else spawn."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    from multiprocessing import forkserver

    if getattr(forkserver._forkserver, "_forkserver_pid", None) is None:
        context.set_forkserver_preload(["chainlens.server.lifeline", *warm])
    return context


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    job: asyncio.Future | None = None
    ready: bool = False


class WorkerPool:
    """``size`` worker processes; ``await pool.run("mod:fn", args, deadline)``.

    ``deadline`` is a :func:`time.monotonic` time (None: none); ``nice`` is
    added to the workers' CPU priority; ``memory_bytes`` caps each worker's
    address space (a job past it fails with its MemoryError); ``warm``
    names modules imported before a worker takes its first job.
    """

    def __init__(self, size: int = 2, *, nice: int = 10, memory_bytes: int | None = 3 << 30,
                 warm: tuple[str, ...] = ()):
        self.size = max(1, size)
        self.nice = nice
        self.memory_bytes = memory_bytes
        self.warm = tuple(warm)
        self._context = _context(self.warm)
        self._workers: set[_Worker] = set()
        self._free: list[_Worker] = []
        #: jobs waiting for a worker: (cost, arrival, future of a worker)
        self._waiting: list[tuple[float, int, asyncio.Future]] = []
        self._arrivals = itertools.count()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        self._spawned = False
        self._starting = 0  # workers being started (in a thread)
        #: workers killed at a deadline or on cancellation, and ones that died
        self.killed = 0
        self.died = 0

    @property
    def pids(self) -> list[int]:
        return [w.process.pid for w in self._workers if w.process.pid]

    def start(self, spawn: bool = True) -> WorkerPool:
        """Bind the pool to the running loop and spawn the workers (they warm
        up in the background); with ``spawn=False`` they are spawned by the
        first job instead (a service that may never need them)."""
        self._loop = asyncio.get_running_loop()
        if spawn:
            self.spawn()
        return self

    def spawn(self) -> None:
        """Spawn the workers unless they were spawned already."""
        self._spawned = True
        while len(self._workers) + self._starting < self.size and not self._closed:
            self._spawn()

    async def ready(self, timeout: float = 60.0) -> None:
        """Wait until every worker has warmed up (tests, benchmarks)."""
        stop = time.monotonic() + timeout
        self.spawn()
        while not all(w.ready for w in self._workers) or len(self._workers) < self.size:
            if time.monotonic() > stop:
                raise TimeoutError("the worker processes did not start")
            await asyncio.sleep(0.05)

    def _spawn(self) -> None:
        """Start a worker from a thread: starting one waits for the fork
        server to fork it, which the first time means waiting out the fork
        server's own imports (seconds the event loop must not stall)."""
        if self._closed:
            return
        self._starting += 1
        self._loop.run_in_executor(None, self._start_process).add_done_callback(self._started)

    def _start_process(self) -> _Worker:
        ours, theirs = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_worker_main, name="chainlens-pool-worker", daemon=True,
            args=(theirs, lifeline.current(), self.nice, self.memory_bytes, self.warm))
        process.start()
        theirs.close()
        return _Worker(process, ours)

    def _started(self, future: asyncio.Future) -> None:
        self._starting -= 1
        if future.exception() is not None:
            log.error("could not start a worker process (trying again in 1 s): %s",
                      future.exception())
            if not self._closed:
                self._loop.call_later(1.0, self.spawn)
            return
        worker = future.result()
        if self._closed:
            with contextlib.suppress(OSError):
                worker.process.kill()
            worker.conn.close()
            return
        self._workers.add(worker)
        self._loop.add_reader(worker.conn.fileno(), self._readable, worker)

    def _readable(self, worker: _Worker) -> None:
        try:
            kind, value = worker.conn.recv()
        except (EOFError, OSError):
            self._lost(worker)
            return
        except Exception as exc:  # noqa: BLE001 - an answer that does not unpickle
            kind, value = "error", RuntimeError(f"the worker's answer could not be read: {exc}")
        if kind == "ready":
            worker.ready = True
            self._release(worker)
            return
        job, worker.job = worker.job, None
        if job is not None and not job.done():
            if kind == "ok":
                job.set_result(value)
            else:
                job.set_exception(value)
        self._release(worker)

    def _lost(self, worker: _Worker) -> None:
        """The worker's pipe closed: it died (or was killed); replace it."""
        if worker not in self._workers:
            return
        self._retire(worker)
        self.died += 1
        job, worker.job = worker.job, None
        if job is not None and not job.done():
            job.set_exception(WorkerDied(worker.process.exitcode))
        log.warning("worker process %s ended (exit code %s); starting another",
                    worker.process.pid, worker.process.exitcode)
        self._spawn()

    def _retire(self, worker: _Worker) -> None:
        self._workers.discard(worker)
        with contextlib.suppress(Exception):
            self._loop.remove_reader(worker.conn.fileno())
        with contextlib.suppress(OSError):
            worker.process.kill()
        worker.conn.close()
        # reap it without blocking the loop
        self._loop.run_in_executor(None, worker.process.join, 5)

    def _kill(self, worker: _Worker) -> None:
        if worker in self._workers:
            self._retire(worker)
            self.killed += 1
            self._spawn()

    def _release(self, worker: _Worker) -> None:
        """A worker is free: to the cheapest job waiting, else to the free list."""
        if worker not in self._workers:
            return
        while self._waiting:
            _cost, _n, waiter = heapq.heappop(self._waiting)
            if not waiter.done():
                waiter.set_result(worker)
                return
        self._free.append(worker)

    async def _take(self, deadline: float | None, cost: float) -> _Worker:
        """A free worker; jobs that wait are served cheapest first (by the
        caller's estimate), so a short job does not wait out the deadlines
        of the long ones ahead of it."""
        if self._closed:
            raise PoolClosed()
        while self._free:
            worker = self._free.pop()
            if worker in self._workers:  # not one that died while free
                return worker
        timeout = None if deadline is None else deadline - time.monotonic()
        if timeout is not None and timeout <= 0:
            raise PoolTimeout(started=False)
        waiter = self._loop.create_future()
        heapq.heappush(self._waiting, (cost, next(self._arrivals), waiter))
        try:
            return await asyncio.wait_for(asyncio.shield(waiter), timeout)
        except (TimeoutError, asyncio.CancelledError) as exc:
            if waiter.done() and not waiter.cancelled():
                self._release(waiter.result())  # given a worker just too late
            else:
                waiter.cancel()
            if isinstance(exc, TimeoutError):
                raise PoolTimeout(started=False) from None
            raise

    async def run(self, function: str, args: tuple = (), deadline: float | None = None,
                  stopped=None, cost: float = 0.0):
        """Run ``function(*args)`` in a worker; past ``deadline`` (or when the
        awaiting task is cancelled) the worker is killed and replaced and
        :class:`PoolTimeout` (or ``CancelledError``) is raised.  ``stopped``
        is called with ``"deadline"`` or ``"cancelled"`` when a worker is
        killed for the job (not when it ends while still waiting for one).
        Of the jobs waiting for a worker, the lowest ``cost`` goes first."""
        if not self._spawned:
            self.spawn()
        worker = await self._take(deadline, cost)
        job = worker.job = self._loop.create_future()
        try:
            worker.conn.send((function, args))
        except Exception:  # noqa: BLE001 - arguments that do not pickle, a broken pipe
            worker.job = None
            self._release(worker)
            raise
        timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
        try:
            return await asyncio.wait_for(asyncio.shield(job), timeout)
        except TimeoutError:
            if not job.done():
                log.info("a job ran past its deadline; worker %s killed", worker.process.pid)
                self._kill(worker)
                if stopped is not None:
                    stopped("deadline")
                raise PoolTimeout(started=True) from None
            return job.result()
        except asyncio.CancelledError:
            if not job.done():
                self._kill(worker)
                if stopped is not None:
                    stopped("cancelled")
            raise

    async def close(self) -> None:
        """Kill every worker (their jobs end with :class:`PoolClosed`)."""
        self._closed = True
        for _cost, _n, waiter in self._waiting:
            if not waiter.done():
                waiter.set_exception(PoolClosed())
        self._waiting.clear()
        for worker in list(self._workers):
            job = worker.job
            self._retire(worker)
            if job is not None and not job.done():
                job.set_exception(PoolClosed())
