"""The heavy half of an analysis, in a worker process with a deadline.

Numeric evaluation and the gradient-health analysis can take seconds (or
much longer: their cost grows faster than linearly with program size), and
Python threads cannot be stopped.  So they run in one worker *process*: the
job sends the programs the light half already read (pickled, which costs a
tenth of parsing again) and gets plain picklable results, one per unit.  A
job past its deadline gets the worker killed and restarted; the analysis
then simply has no health section, and says why.  The worker ends with the
server (:mod:`chainlens.server.lifeline`), even when the server is killed,
and never holds the editor's pipes.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import logging
import multiprocessing
import threading
import time
from dataclasses import dataclass
from typing import Any

from chainlens.server import lifeline

log = logging.getLogger("chainlens.lsp")

__all__ = ["PointValues", "JudgePool", "judge_units", "RECHECK_SHARE"]

#: share of a job's deadline after which health fixes are no longer re-analysed
RECHECK_SHARE = 0.8


@dataclass(frozen=True)
class PointValues:
    """Values and ∂(output)/∂(name) per name.  ``where`` says at what:
    ``"at"`` the program's first ``@at`` point (exact values), otherwise
    medians over the health analysis's sample points (when the point does
    not give every input a value)."""

    values: dict
    adjoints: dict
    where: str


@dataclass(frozen=True)
class Judged:
    """One unit's heavy results, or the reason there are none."""

    health: Any = None
    point: PointValues | None = None
    problems: tuple[str, ...] = ()


def portable(program):
    """``program`` as it travels to the worker: its span table as a plain
    dict (a mapping proxy does not pickle) and without cached expansions."""
    return dataclasses.replace(program, spans=dict(program.spans), _expanded={})


def _judge_one(program, vanishing: float, exploding: float, at_point: bool,
               deadline: float | None = None) -> Judged:
    from chainlens.engine.health.recheck import analyze_checked
    from chainlens.engine.numeric.kernel import evaluate

    problems: list[str] = []
    point = None
    if at_point and program.points:
        try:
            ev = evaluate(program, keep=True)
            if ev.node_values is not None and ev.adjoints is not None:
                point = PointValues({k: v[0] for k, v in ev.node_values.items()},
                                    {k: v[0] for k, v in ev.adjoints.items()}, "at")
        except Exception as exc:  # noqa: BLE001 - reported, never raised
            problems.append(f"evaluate: {exc}")
    health = None
    try:
        health = analyze_checked(program, deadline=deadline,
                                 thresholds={"vanishing": vanishing, "exploding": exploding})
    except Exception as exc:  # noqa: BLE001
        problems.append(f"health: {exc}")
    measured = getattr(health, "values", ())
    if point is None and measured:
        point = PointValues({m.name: m.value for m in measured},
                            {m.name: m.gradient for m in measured},
                            getattr(health, "points_from", "") or "sampled")
    return Judged(health, point, tuple(problems))


def judge_units(kind: str, programs: list, vanishing: float, exploding: float,
                budget: float | None = None) -> list[Judged]:
    """The worker's job: health and point values for every unit's program
    (as read by the light half: nothing is parsed again here).  Health fixes
    are re-analysed (engine.health.recheck) only within ``budget`` seconds,
    so checking them never costs the job its deadline: a fix left unchecked
    is not offered."""
    deadline = None if budget is None else time.monotonic() + budget
    return [_judge_one(p, vanishing, exploding, kind == "chain", deadline) for p in programs]


def _warm() -> bool:
    import chainlens.engine.health.recheck  # noqa: F401
    import chainlens.engine.numeric.kernel  # noqa: F401

    return True


class JudgePool:
    """One worker process; jobs past ``timeout`` seconds kill it."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None

    def _ensure(self) -> concurrent.futures.ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = concurrent.futures.ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                    initializer=lifeline.attach, initargs=(lifeline.current(), 0.25, True))
                self._pool.submit(_warm)
            return self._pool

    def warm(self) -> None:
        self._ensure()

    def _kill(self, pool) -> None:
        with self._lock:
            if self._pool is not pool:
                return
            self._pool = None
        # ProcessPoolExecutor cannot stop a running job; terminating its
        # worker is the only way (Python 3.14 adds terminate_workers()).
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)

    def submit(self, kind: str, programs: list, vanishing: float, exploding: float,
               timeout: float) -> concurrent.futures.Future:
        """A future of ``list[Judged]`` (one per program), or None when the
        job failed or ran out of time."""
        outer: concurrent.futures.Future = concurrent.futures.Future()
        try:
            pool = self._ensure()
            inner = pool.submit(judge_units, kind, [portable(p) for p in programs], vanishing,
                                exploding, RECHECK_SHARE * timeout)
        except Exception as exc:  # noqa: BLE001 - a broken pool: restart next time
            log.warning("worker pool unavailable: %s", exc)
            with self._lock:
                self._pool = None
            outer.set_result(None)
            return outer

        def settle(value) -> None:
            if not outer.done():
                with contextlib.suppress(concurrent.futures.InvalidStateError):
                    outer.set_result(value)

        def done(f: concurrent.futures.Future) -> None:
            timer.cancel()
            if f.cancelled() or f.exception() is not None:
                if not f.cancelled():
                    log.warning("health worker failed: %s", f.exception())
                settle(None)
            else:
                settle(f.result())

        def expire() -> None:
            if not inner.done():
                log.warning("health analysis ran past %.1fs; worker restarted", timeout)
                settle(None)
                self._kill(pool)

        # A newer version of the document makes this job obsolete: drop it
        # if the worker has not started it yet.
        outer.cancel_job = inner.cancel
        timer = threading.Timer(timeout, expire)
        timer.daemon = True
        timer.start()
        inner.add_done_callback(done)
        return outer

    def shutdown(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            self._kill_quietly(pool)

    @staticmethod
    def _kill_quietly(pool) -> None:
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
