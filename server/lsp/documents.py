"""Open documents and their analyses, tied to versions.

The store keeps, per document URI, the analysis of the latest version it
was asked for, as a future computed in a worker thread.  Asking for an
older version than the one open never happens (the handlers read the
version from the workspace); asking for a newer one starts a new analysis.
Waiters that are cancelled (``$/cancelRequest``) leave the shared future
running for the others: it is shielded.

Diagnostics are debounced per document: each change re-arms a timer, and
when it fires the current version is analysed and published only if the
document has not moved on meanwhile, so a stale result is never shown.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import ctypes
import ctypes.util
import gc
import logging
import threading
from dataclasses import dataclass

from chainlens.engine.core.cache import clear_all
from chainlens.server.lsp.analysis import LARGE_PROGRAM, Analysis, analyze, document_kind
from chainlens.server.lsp.settings import Settings
from chainlens.server.lsp.workers import JudgePool

log = logging.getLogger("chainlens.lsp")

__all__ = ["DocumentStore"]

#: Python's full garbage collections scan every object: with a 2,000-line
#: program in memory, 0.2-0.7 s (more on a loaded machine), landing between
#: a keystroke and its diagnostics.  After a big document's first analysis
#: the heap (the engine's tables and caches, the program) is frozen
#: (``gc.freeze``): later collections scan only what came after it.  Cycles
#: among frozen objects are freed when nothing is open any more
#: (:meth:`DocumentStore.release`).
FREEZE_FROM = LARGE_PROGRAM


@dataclass
class _Entry:
    version: int | None
    text_id: int
    future: concurrent.futures.Future


class DocumentStore:
    def __init__(self, workers: int = 2):
        self.executor = concurrent.futures.ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix="chainlens-analysis")
        self.settings = Settings()
        self.encoding = "utf-16"
        self._entries: dict[str, _Entry] = {}
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._kinds: dict[str, str] = {}
        self._cells: set[str] = set()
        self.judges = JudgePool()
        #: per document, what was last published (server.lsp.moved_diagnostics)
        self.published: dict = {}
        #: whether the editor still has any document open (the server sets
        #: it from its workspace; the store's own maps also hold documents
        #: merely asked about)
        self.anything_open = lambda: bool(self._entries or self._kinds)

    # ---- kinds -----------------------------------------------------------
    def kind(self, uri: str, language_id: str | None = None, notebook: bool = False) -> str | None:
        """The kind of a document, or None when it is not ours or its file
        type is switched off in the settings."""
        if language_id is not None or uri not in self._kinds:
            kind = document_kind(uri, language_id)
            if kind is None:
                return None
            self._kinds[uri] = kind
        kind = self._kinds[uri]
        if notebook:
            self._cells.add(uri)
        in_notebook = uri in self._cells or uri.startswith("vscode-notebook-cell")
        setting = "notebook" if in_notebook else kind
        return kind if setting in self.settings.file_types else None

    def forget(self, uri: str) -> None:
        """A document closed: drop its analysis; when it was the last one,
        let go of everything a session accumulates (see :meth:`release`)."""
        entry = self._entries.pop(uri, None)
        if entry is not None:
            entry.future.add_done_callback(_drop_heavy_job)
        self.published.pop(uri, None)
        self._kinds.pop(uri, None)
        self._cells.discard(uri)
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        if not self.anything_open():
            self.release()

    def end_session(self) -> None:
        """A TCP client left: nothing of its session is kept, its settings
        neither."""
        self.settings = Settings()
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        self._entries.clear()
        self.published.clear()
        self._kinds.clear()
        self._cells.clear()
        self.release()

    def release(self) -> None:
        """Nothing is open: stop the health worker (the next document starts
        a fresh one), empty the engine's caches and hand freed memory back to
        the system.  A session that opened big documents stayed at 690-870 MB
        after closing them all."""
        self.judges.shutdown()
        clear_all()
        gc.unfreeze()  # see FREEZE_FROM
        _trim_heap()
        # work still finishing (a hover, a diagnostics pass) frees more soon
        later = threading.Timer(2.0, _trim_heap)
        later.daemon = True
        later.start()

    def reset(self) -> None:
        """Settings changed: every analysis is out of date."""
        self._entries.clear()
        self.published.clear()

    # ---- analyses --------------------------------------------------------
    def future(self, uri: str, version: int | None, text: str,
               kind: str) -> concurrent.futures.Future:
        entry = self._entries.get(uri)
        if entry is not None and entry.version == version and entry.text_id == hash(text):
            return entry.future
        if entry is not None:
            entry.future.add_done_callback(_drop_heavy_job)
        future = self.executor.submit(self._analyze, uri, version, text, kind, self.settings,
                                      self.encoding)
        if entry is None:
            future.add_done_callback(_freeze_after_big)
        self._entries[uri] = _Entry(version, hash(text), future)
        return future

    def _analyze(self, uri: str, version: int | None, text: str, kind: str,
                 settings: Settings, encoding: str) -> Analysis:
        """The light half, then the heavy half sent to the worker with the
        programs the light half read (the worker does not read them again).
        A big program's heavy half is sent when asked for
        (``Analysis.start_heavy``): after its first publish, so that sending
        it (pickling 2,000 statements) does not delay that publish."""
        heavy: concurrent.futures.Future = concurrent.futures.Future()
        analysis = analyze(uri, version, text, kind, settings, encoding, lambda _k, _t: heavy)
        if analysis.heavy is not heavy:
            return analysis

        def submit() -> None:
            job = self.judges.submit(kind, [u.program for u in analysis.units],
                                     settings.vanishing, settings.exploding,
                                     settings.analysis_timeout_ms / 1000.0)
            heavy.cancel_job = getattr(job, "cancel_job", None)
            job.add_done_callback(
                lambda f: heavy.set_result(None if f.cancelled() else f.result()))

        analysis.defer_heavy(submit, now=analysis.size <= LARGE_PROGRAM)
        return analysis

    async def analysis(self, uri: str, version: int | None, text: str, kind: str,
                       complete: bool = True) -> Analysis:
        """The analysis of this version; with ``complete`` also its heavy
        half (health, values at the point), which may take longer."""
        future = self.future(uri, version, text, kind)
        result = await asyncio.shield(asyncio.wrap_future(future))
        if complete:
            result.start_heavy()
            await asyncio.shield(asyncio.wrap_future(result.completed))
        return result

    async def run(self, fn, *args):
        """Run feature work in a worker; cancelling the caller drops it
        if it has not started."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, fn, *args)

    # ---- debouncing ------------------------------------------------------
    def debounce(self, uri: str, callback) -> None:
        loop = asyncio.get_running_loop()
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        delay = self.settings.debounce_ms / 1000.0

        def fire():
            self._timers.pop(uri, None)
            task = loop.create_task(callback())
            task.add_done_callback(_log_task_error)

        self._timers[uri] = loop.call_later(delay, fire)

    def shutdown(self) -> None:
        for timer in self._timers.values():
            timer.cancel()
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.judges.shutdown()


def _trim_heap() -> None:
    """Collect cycles, then hand freed memory back: glibc keeps it for reuse
    (after three 3,000-line documents, 360 MB resident of which 270 MB
    free), and ``malloc_trim`` returns it."""
    gc.collect()
    name = ctypes.util.find_library("c")
    if not name:
        return
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return
    trim(0)


def _freeze_after_big(future: concurrent.futures.Future) -> None:
    if not future.cancelled() and future.exception() is None \
            and future.result().size > FREEZE_FROM:
        gc.freeze()


def _drop_heavy_job(future: concurrent.futures.Future) -> None:
    if future.cancelled() or future.exception() is not None:
        return
    analysis = future.result()
    analysis.drop_heavy()
    cancel = getattr(analysis.heavy, "cancel_job", None)
    if cancel is not None:
        cancel()


def _log_task_error(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("diagnostics task failed", exc_info=task.exception())
