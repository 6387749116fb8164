"""numba builds of generated loops: cached on disk, compiled off the request path.

Compiling a fused loop takes seconds (the 50-layer chain: 5-20 s), so:

* **Disk cache.**  numba's ``cache=True`` keeps machine code across
  processes but needs the function to live in a real file.  Each generated
  source is written once to ``<cache dir>/k<hash>.py`` (hash of the source,
  of the helper functions it calls, and of the numba/Python versions) and
  imported from there; numba stores the machine code beside it in
  ``__pycache__``.  A second process loads it without compiling
  (:data:`STATS` counts ``compiled`` and ``loaded``).  What is written is
  code generated from the tape (slot numbers and primitives of the rules
  table), never user text; the directory is the user's own
  (``$CHAINLENS_CACHE_DIR``, else ``$XDG_CACHE_HOME/chainlens``, else
  ``~/.cache/chainlens``), created ``0700`` and refused (no disk cache, an
  in-memory compile) when another user could write to it.  A file whose
  text differs from the source it should hold is rewritten, not run.
* **Background builds.**  :class:`Builds` makes one key at a time in a
  daemon thread; callers ask :meth:`Builds.ready` and run another backend
  until the build is there.  The thread does not compile itself
  (:func:`build_elsewhere`): a child process (``python -m
  chainlens.engine.numeric.jit``) compiles into the disk cache and the
  thread then loads from it.  numba's compiler is Python code holding the
  GIL; compiled in a thread, it slowed the numpy chunks serving the same
  request from 1.2 s to 10 s (50-layer chain, 1M points, 2 busy cores).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import inspect
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from chainlens.engine.core.userdir import private_dir
from chainlens.engine.numeric import vmath

__all__ = ["Builds", "STATS", "build_elsewhere", "cache_dir", "compile_loop", "disk_cached",
           "load_cached", "read_plan", "write_plan"]

#: Bump when the layout of generated files changes.
_FORMAT = "5"
#: How the builds of this process went: ``compiled`` (numba compiled a
#: loop), ``loaded`` (numba loaded it from the disk cache), ``background``
#: (builds started in a thread), ``failed``.
STATS = {"compiled": 0, "loaded": 0, "background": 0, "failed": 0}
_LOCK = threading.Lock()
#: numba's options for every loop.  No fast-math: the loops test x - x != 0
#: to find NaN/Inf, which fast-math may fold away.  ``nogil``: the loop
#: releases the GIL, so chunks of one batch run on several cores in our
#: own threads (:mod:`.threads`) without numba's thread pool.
_OPTIONS = {"fastmath": False, "error_model": "numpy", "nogil": True}
#: Longest a child process may take to compile one loop.
_CHILD_TIMEOUT = 1800  # the 50-layer chain with vexp: 650 s at load 15


def cache_dir() -> Path | None:
    """The per-user directory for compiled loops, or None when it cannot be
    made safe (then loops are compiled in memory each process)."""
    version = _numba_version()
    if version is None:
        return None
    return private_dir(f"numba-{version}-py{sys.version_info[0]}{sys.version_info[1]}")


def _numba_version() -> str | None:
    """numba's version, read without importing it (that takes a second)."""
    try:
        return importlib.metadata.version("numba")
    except importlib.metadata.PackageNotFoundError:
        return None


def _digest(source: str, helpers: dict) -> str:
    h = hashlib.sha256()
    for part in (_FORMAT, _numba_version() or "", sys.version, np.__version__, source):
        h.update(part.encode())
        h.update(b"\0")
    for name in sorted(helpers):
        h.update(name.encode())
        # the whole module: a helper's own helpers change its code too
        h.update(inspect.getsource(inspect.getmodule(helpers[name])).encode())
    return h.hexdigest()[:32]


def disk_cached(source: str, helpers: dict) -> bool:
    """Whether numba's machine code for ``source`` is already on disk (an
    index file beside its module): loading it is fast, compiling is not."""
    where = cache_dir()
    if where is None:
        return False
    stem = f"k{_digest(source, helpers)}"
    cached = where / "__pycache__"
    return (where / f"{stem}.py").exists() and any(cached.glob(f"{stem}.*.nbi"))


def _write(path: Path, source: str) -> None:
    """Write ``source`` to ``path`` atomically unless it already holds it
    (rewriting an equal file would change its time stamp, which numba's
    index checks, and throw the cached machine code away)."""
    try:
        if path.read_text() == source:
            return
    except (OSError, UnicodeDecodeError):
        pass
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        f.write(source)
    os.replace(tmp, path)


def _namespace(helpers: dict) -> dict:
    import numba

    vmath.register()
    ns = {"INF": math.inf, "NAN": math.nan, "math": math, "numba": numba, "np": np}
    for name, fn in helpers.items():
        ns[name] = numba.njit(inline="always")(fn)
    return ns


def _njit(parallel: bool, cache: bool = False):
    """numba's decorator for a generated loop: :data:`_OPTIONS`, and array
    arguments marked ``noalias`` (:func:`_noalias_pipeline`)."""
    import numba

    return numba.njit(parallel=parallel, cache=cache, pipeline_class=_noalias_pipeline(),
                      **_OPTIONS)


_PIPELINE: list = []


def _noalias_pipeline():
    """numba's default pipeline with ``flags.noalias``: the data pointers of
    the loop's arrays are LLVM ``noalias``.  True of every call
    (:func:`.threads.run`): inputs are only read, each output row and ``ACC``
    is written through its own array only, the scratch is the loop's own.
    Without it LLVM must compare every pair of arrays before a vector loop,
    and past 8 comparisons (the 50-layer chain's) it keeps the loop scalar
    ("too many memory checks needed")."""
    if not _PIPELINE:
        from numba.core.compiler import CompilerBase, DefaultPassBuilder

        class NoAlias(CompilerBase):
            def define_pipelines(self):
                self.state.flags.noalias = True
                return [DefaultPassBuilder.define_nopython_pipeline(self.state)]

        _PIPELINE.append(NoAlias)
    return _PIPELINE[0]


def _warm_args(shapes) -> tuple:
    return (0, 1, *(np.zeros(shape) for shape in shapes))


def compile_loop(source: str, fname: str, helpers: dict, parallel: bool, shapes):
    """``fname`` of ``source`` compiled by numba (from the disk cache when it
    is there) for ``fname(lo, hi, *arrays of these shapes' ranks)``, called once
    so the machine code exists.  Returns ``(fn, seconds, loaded)``:
    ``loaded`` when nothing was compiled."""

    where = cache_dir()
    ns = _namespace(helpers)
    start = time.perf_counter()
    if where is None:
        exec(compile(source, f"<chainlens-{fname}>", "exec"), ns)  # generated code only
        jitted = _njit(parallel)(ns[fname])
    else:
        stem = f"k{_digest(source, helpers)}"
        path = where / f"{stem}.py"
        with _LOCK:
            _write(path, source)
        spec = importlib.util.spec_from_file_location(f"chainlens_jit_{stem}", path)
        module = importlib.util.module_from_spec(spec)
        module.__dict__.update(ns)
        # numba names the module of cached code and imports it on loading
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        if Path(module.__file__).read_text() != source:
            raise RuntimeError(f"{path} changed while it was loaded")
        jitted = _njit(parallel, cache=True)(getattr(module, fname))
        try:
            jitted(*_warm_args(shapes))
        except Exception:
            # A cache entry numba cannot load back (its environment names a
            # module that is not importable, e.g. helpers made by exec) must
            # not fail the request: drop the entry, compile in memory.
            for stale in (where / "__pycache__").glob(f"{stem}.*"):
                stale.unlink(missing_ok=True)
            exec(compile(source, f"<chainlens-{fname}>", "exec"), ns)  # generated code only
            jitted = _njit(parallel)(ns[fname])
            where = None
    jitted(*_warm_args(shapes))
    seconds = time.perf_counter() - start
    loaded = sum(jitted.stats.cache_hits.values()) > 0 if where is not None else False
    with _LOCK:
        STATS["loaded" if loaded else "compiled"] += 1
    return jitted, seconds, loaded


def load_cached(source: str, fname: str, helpers: dict, parallel: bool, shapes):
    """:func:`compile_loop` when the machine code is on disk, else None (a
    request may wait for a load, never for a compile)."""
    if not disk_cached(source, helpers):
        return None, 0.0, False
    return compile_loop(source, fname, helpers, parallel, shapes)


def plan_path(key: tuple) -> Path | None:
    where = cache_dir()
    if where is None:
        return None
    return where / f"plan-{hashlib.sha256(repr(key).encode()).hexdigest()[:32]}.json"


def read_plan(key: tuple) -> str | None:
    """The backend a background timing chose for ``key`` in an earlier process."""
    path = plan_path(key)
    try:
        winner = json.loads(path.read_text())["winner"] if path else None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return winner if winner in ("numba", "numpy") else None


def write_plan(key: tuple, winner: str, seconds: dict) -> None:
    """Keep a background timing's choice for later processes (numbers only)."""
    path = plan_path(key)
    if path is None:
        return
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        json.dump({"winner": winner, "seconds": seconds}, f)
    os.replace(tmp, path)


def build_elsewhere(source: str, fname: str, helpers: dict, parallel: bool, shapes):
    """:func:`compile_loop`, with the compiling done by a child process that
    fills the disk cache (it holds no lock of ours, and our threads keep the
    GIL), then loaded here.  Without a disk cache, compiled here."""
    if cache_dir() is not None and not disk_cached(source, helpers):
        spec = {"source": source, "fname": fname, "parallel": parallel,
                "shapes": [list(s) for s in shapes],
                "helpers": {n: f"{f.__module__}:{f.__qualname__}" for n, f in helpers.items()}}
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "chainlens.engine.numeric.jit"],
                       input=json.dumps(spec), text=True, capture_output=True,
                       timeout=_CHILD_TIMEOUT, check=True)
        elsewhere = time.perf_counter() - start
        fn, seconds, loaded = compile_loop(source, fname, helpers, parallel, shapes)
        return fn, seconds + elsewhere, loaded
    return compile_loop(source, fname, helpers, parallel, shapes)


def _child() -> None:
    """``python -m chainlens.engine.numeric.jit``: compile the loop described
    on stdin into the disk cache.  The helpers are named by module and
    qualified name and imported (chainlens's own functions only)."""
    spec = json.loads(sys.stdin.read())
    helpers = {}
    for name, where in spec["helpers"].items():
        module, qualname = where.split(":")
        if not (module.startswith("chainlens.engine.rules")
                or module == "chainlens.engine.numeric.vmath"):
            raise SystemExit(f"not a rules helper: {where}")
        helpers[name] = getattr(importlib.import_module(module), qualname)
    compile_loop(spec["source"], spec["fname"], helpers, spec["parallel"],
                 [tuple(s) for s in spec["shapes"]])


#: Background builds running at once, process-wide: each is a numba child
#: process (seconds of CPU, ~100 MB), and every new program's first batch of
#: 1,000 points or more starts one; the rest queue (numpy serves them meanwhile).
_BUILD_SLOTS = threading.BoundedSemaphore(1)


class Builds:
    """Builds by key, each made once, in the caller's thread (``get``) or in
    a daemon thread (``start``; ``ready`` is None until it is done)."""

    def __init__(self):
        self._done: dict = {}
        self._failed: dict = {}
        self._running: dict = {}
        self._lock = threading.Lock()

    def ready(self, key):
        return self._done.get(key)

    def put(self, key, result) -> None:
        self._done.setdefault(key, result)

    def failed(self, key) -> bool:
        return key in self._failed

    def get(self, key, build: Callable):
        """The build of ``key``, made now if needed (waiting for a running one)."""
        if key in self._done:
            return self._done[key]
        thread = self._running.get(key)
        if thread is not None:
            thread.join()
            if key in self._done:
                return self._done[key]
        result = build()
        self._done[key] = result
        return result

    def start(self, key, build: Callable, then: Callable | None = None) -> None:
        """Make ``key`` in a daemon thread unless it is made, running or
        failed; ``then(result)`` runs in that thread afterwards."""
        with self._lock:
            if key in self._done or key in self._running or key in self._failed:
                return
            thread = threading.Thread(target=self._run, args=(key, build, then),
                                      name="chainlens-jit", daemon=True)
            self._running[key] = thread
            STATS["background"] += 1
        thread.start()

    def _run(self, key, build, then) -> None:
        try:
            with _BUILD_SLOTS:  # one numba build at a time in this process (see _BUILD_SLOTS)
                result = build()
            self._done[key] = result
            if then is not None:
                then(result)
        except Exception as exc:  # noqa: BLE001 - the numpy path keeps serving
            self._failed[key] = repr(exc)
            STATS["failed"] += 1
        finally:
            with self._lock:
                self._running.pop(key, None)

    def wait(self, timeout: float | None = None) -> None:
        """Wait for the running builds (tests, benchmarks)."""
        for thread in list(self._running.values()):
            thread.join(timeout)


if __name__ == "__main__":
    _child()
