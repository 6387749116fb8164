"""Where batch jobs run: in this process, a local process pool, or Dask.

Every backend runs the same worker task, :func:`run_chunk` (a chunk of jobs
in, their encoded records out), and hands results back *in input order*
through :func:`stream_ordered`, whatever order the workers finish in.  Since
the records are decided by the worker task alone, the backend cannot change
a byte of the output; it only changes how fast it comes.
"""

from __future__ import annotations

import concurrent.futures as cf
import functools
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator

from chainlens.engine.api.jobs import encode_record, run_job
from chainlens.engine.api.outputs import is_anonymous
from chainlens.server import lifeline

__all__ = ["Item", "run_chunk", "stream_ordered", "SerialBackend", "PoolBackend", "DaskBackend",
           "make_backend", "tls_security"]

#: ``(job, None)`` to run, or ``(None, record)`` for an input line that could
#: not be read (the record is already the answer).
Item = tuple[dict | None, dict | None]

#: Modules the pool's fork server imports once, so that workers start warm
#: (a missing module is skipped by ``multiprocessing``).
PRELOAD = (
    "chainlens.cli.batchrun_backends",
    "chainlens.server.lifeline",
    "chainlens.engine.language.reader",
    "chainlens.engine.printing",
    "chainlens.engine.symbolic.derivatives",
    "chainlens.engine.symbolic.step_text",
    "chainlens.engine.symbolic.simplify",
    "chainlens.engine.symbolic.check",
    "chainlens.engine.numeric.kernel",
    "chainlens.engine.health.analysis",
)


# ---------------------------------------------------------------- the work


def run_chunk(items: list[Item]) -> list[tuple[str, bool]]:
    """The worker task: each item's record, encoded, with whether it
    succeeded.  The only function shipped to other processes."""
    out = []
    for job, record in items:
        if record is None:
            record = _record(job)
        out.append(encode_record(_without_internal_names(record)))
    return out


def _without_internal_names(record: dict) -> dict:
    """The record without the engine's own names of the job's expression
    (``"name": "_1"``, the key an expression statement gets, red team P2-12):
    a non-finite value is placed by its ``op`` and ``span`` in what the user
    wrote.  The cached record is left as it is (a copy is changed)."""
    points = record.get("points")
    if not isinstance(points, list) or not any(
            _internal(n) for p in points if isinstance(p, dict) for n in p.get("nonfinite", ())):
        return record
    return {**record, "points": [
        {**p, "nonfinite": [{k: v for k, v in n.items() if not (k == "name" and _internal(n))}
                            for n in p["nonfinite"]]} if isinstance(p, dict) and "nonfinite" in p
        else p for p in points]}


def _internal(entry) -> bool:
    name = entry.get("name") if isinstance(entry, dict) else None
    return isinstance(name, str) and is_anonymous(name)


def _record(job: dict) -> dict:
    """``run_job(job)``, remembered by content: a record depends on nothing
    but the job, so a job seen before in this process (a course's thousand
    copies of one question) costs a look-up.  The id is put back after."""
    try:
        key = json.dumps({k: v for k, v in job.items() if k != "id"}, sort_keys=True)
    except (TypeError, ValueError):
        return run_job(job)
    return {**_by_content(key), "id": job.get("id")}


@functools.lru_cache(maxsize=1024)
def _by_content(key: str) -> dict:
    return run_job(json.loads(key))


def stream_ordered(
    submit: Callable,
    wait_any: Callable,
    chunks: Iterable[list[Item]],
    window: int,
    on_done: Callable[[int], None] = lambda n: None,
) -> Iterator[list[tuple[str, bool]]]:
    """Run ``chunks`` through ``submit`` with at most ``window`` chunks in
    flight or waiting, yield their results in input order.  ``wait_any``
    (``concurrent.futures.wait`` or ``distributed.wait`` with
    FIRST_COMPLETED) returns the finished futures; results that arrive
    early wait in a reorder buffer for the chunks before them."""
    pending: dict = {}
    ready: dict[int, list] = {}
    todo = enumerate(chunks)
    next_out = 0
    exhausted = False
    while True:
        while not exhausted and len(pending) + len(ready) < window:
            nxt = next(todo, None)
            if nxt is None:
                exhausted = True
            else:
                pending[submit(nxt[1])] = nxt[0]
        if not pending:
            break
        done = wait_any(list(pending))
        for future in done:
            result = future.result()
            ready[pending.pop(future)] = result
            on_done(len(result))
        while next_out in ready:
            yield ready.pop(next_out)
            next_out += 1


# ---------------------------------------------------------------- backends


class SerialBackend:
    """In this process: no start-up cost, the baseline for the others."""

    name = "serial"

    def __init__(self, workers: int = 1):
        self.workers = 1

    def map(self, chunks, window, on_done):
        for chunk in chunks:
            result = run_chunk(chunk)
            on_done(len(result))
            yield result

    def close(self):
        pass


class PoolBackend:
    """A local process pool.  Workers are forked from a fork server that has
    already imported the engine, so starting N workers costs one import."""

    name = "local"

    def __init__(self, workers: int):
        self.workers = workers
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(list(PRELOAD))
        # workers end with this process, even after kill -9 (which leaves
        # nothing here to stop them)
        self.pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                                           initializer=lifeline.attach,
                                           initargs=(lifeline.current(),))

    def map(self, chunks, window, on_done):
        def wait_any(futures):
            return cf.wait(futures, return_when=cf.FIRST_COMPLETED).done

        return stream_ordered(
            lambda chunk: self.pool.submit(run_chunk, chunk), wait_any, chunks, window, on_done
        )

    def close(self):
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskBackend:
    """Dask distributed: an existing scheduler (``tcp://`` or ``tls://``) or,
    for ``dask``, a ``LocalCluster`` of ``workers`` single-threaded processes.
    Each chunk is one task; results stream back as they finish and are put
    back in order here.

    Security: a Dask scheduler runs whatever a connected client sends it, so
    the LocalCluster speaks TLS with temporary credentials made for this run
    (:meth:`distributed.security.Security.temporary`): another local process
    cannot join it or submit work.  Its scheduler serves no HTTP routes (no
    info pages, no dashboard) and binds 127.0.0.1 only.  A ``tls://``
    scheduler needs ``security`` (from ``--tls-ca/--tls-cert/--tls-key`` or
    Dask's ``distributed.comm.tls`` config); ``tcp://`` is plaintext and
    unauthenticated, for trusted networks only."""

    name = "dask"

    def __init__(self, address: str | None, workers: int, processes: bool = True,
                 security=None):
        import dask
        from distributed import Client, LocalCluster

        self.cluster = None
        if address is None:
            with dask.config.set({"distributed.scheduler.http.routes": []}):
                self.cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=processes,
                    host="127.0.0.1",
                    security=True,  # temporary TLS credentials, this run only
                    dashboard_address=None,
                    scheduler_kwargs={"dashboard": False,
                                      "dashboard_address": "127.0.0.1:0"},
                    silence_logs=40,
                )
            self.client = Client(self.cluster)
        elif security is not None:
            self.client = Client(address, timeout="10s", security=security)
        else:
            self.client = Client(address, timeout="10s")
        self.workers = len(self.client.scheduler_info().get("workers", {})) or workers
        self.label = address or f"LocalCluster({workers}, TLS)"
        self._run = f"chainlens-batch-{os.getpid()}-{time.monotonic_ns()}"

    def map(self, chunks, window, on_done):
        from distributed import wait

        counter = iter(range(1 << 62))

        def submit(chunk):
            return self.client.submit(run_chunk, chunk, key=f"{self._run}-{next(counter)}",
                                      pure=False)

        def wait_any(futures):
            return wait(futures, return_when="FIRST_COMPLETED").done

        return stream_ordered(submit, wait_any, chunks, window, on_done)

    def close(self):
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def tls_security(scheduler: str, ca: str | None, cert: str | None, key: str | None):
    """The ``Security`` to reach ``scheduler`` with: None for ``tcp://``; for
    ``tls://`` one from the three files or from Dask's own TLS config,
    refused with a clear message when there is neither (Dask would
    otherwise fail in the handshake with a bare SSL error)."""
    given = [x for x in (ca, cert, key) if x]
    if not scheduler.startswith("tls://"):
        if given:
            raise SystemExit("chainlens batch: --tls-ca/--tls-cert/--tls-key are for a "
                             "tls:// scheduler")
        return None
    from distributed.security import Security

    if given:
        if len(given) != 3:
            raise SystemExit("chainlens batch: a tls:// scheduler needs all of --tls-ca, "
                             "--tls-cert and --tls-key")
        for path in given:
            if not os.path.isfile(path):
                raise SystemExit(f"chainlens batch: no such TLS file: {path}")
        return Security(tls_ca_file=ca, tls_client_cert=cert, tls_client_key=key,
                        require_encryption=True)
    configured = Security()
    if configured.tls_ca_file and configured.tls_client_cert:
        return configured
    raise SystemExit("chainlens batch: a tls:// scheduler needs --tls-ca, --tls-cert and "
                     "--tls-key (or distributed.comm.tls.{ca-file,client.cert,client.key} in "
                     "the Dask config)")


def make_backend(scheduler: str, workers: int, tls: tuple = (None, None, None)):
    if scheduler == "local":
        return SerialBackend() if workers <= 1 else PoolBackend(workers)
    if scheduler == "serial":
        return SerialBackend()
    if scheduler == "dask":
        return DaskBackend(None, workers)
    if scheduler.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
        return DaskBackend(scheduler, workers, security=tls_security(scheduler, *tls))
    raise SystemExit(f"chainlens batch: unknown scheduler {scheduler!r} "
                     "(local, dask or tcp://host:port)")
