"""The batch runner: read jobs, run them on a backend, write records in order.

This module is plumbing only; what a record *says* is decided by
:func:`chainlens.engine.api.jobs.run_job` and how it is spelled by
:func:`chainlens.engine.api.jobs.encode`, both run on the worker.  The runner
keeps three promises:

* **Order.**  Records come out in input order whatever order the workers
  finish in: chunks carry their index and a reorder buffer releases them.
* **Nothing lost.**  Output is written a chunk of *complete* lines at a time
  and flushed, so a crash or ``kill -9`` can leave at most one partial line
  at the end; :func:`resume_state` cuts it off, and since records are in
  input order the complete lines are exactly a prefix of the input, which a
  resumed run skips (after checking the ids match).
* **Same bytes from every backend.**  Backends only move strings; chunking,
  scheduling and worker count cannot change a record.

The backends (in-process, process pool, Dask) are in
:mod:`chainlens.cli.batchrun_backends`.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from chainlens.cli.batchrun_backends import Item, make_backend
from chainlens.engine.api.jobs import FORMATS, JobError, error_record
from chainlens.engine.core.limits import MAX_SOURCE_CHARS

__all__ = ["BatchOptions", "Summary", "read_items", "resume_state", "run_batch"]

_TRUE = {"1", "true", "yes", "y", "on"}
_FALSE = {"0", "false", "no", "n", "off", ""}


# ---------------------------------------------------------------- reading


def read_items(stream: io.TextIOBase, fmt: str, defaults: dict | None = None) -> Iterator[Item]:
    """Jobs from JSON Lines (``fmt="jsonl"``) or CSV (``fmt="csv"``), one
    :data:`Item` per job.  A job without an ``id`` gets its input line
    number; a repeated id and an unreadable line become error records.
    ``defaults`` (from the command line) fill keys a job leaves out."""
    rows = _jsonl_rows(stream) if fmt == "jsonl" else _csv_rows(stream)
    seen: dict = {}
    for line, job, problem in rows:
        if problem is not None:
            record = error_record(line, JobError(f"line {line}: {problem}"))
            record["error"]["line"] = line
            yield None, record
            continue
        if "id" not in job or job["id"] is None or job["id"] == "":
            job = {**job, "id": line}
        key = json.dumps(job["id"], sort_keys=True)
        if key in seen:
            # the record keeps the id (the output stays aligned with the
            # input) and says which line had it first
            record = error_record(
                job["id"], JobError(f"duplicate id {job['id']!r}, first seen at line "
                                    f"{seen[key]}; this job (line {line}) was not run"))
            record["error"].update(line=line, first_line=seen[key])
            yield None, record
            continue
        seen[key] = line
        if defaults:
            job = {**{k: v for k, v in defaults.items() if v is not None}, **job}
        yield job, None


def _jsonl_rows(stream) -> Iterator[tuple[int, dict | None, str | None]]:
    for number, text in enumerate(stream, start=1):
        text = text.strip()
        if not text or text.startswith("#"):
            continue
        try:
            job = json.loads(text)
        except json.JSONDecodeError as exc:
            yield number, None, f"not JSON ({exc.msg} at column {exc.colno})"
            continue
        except RecursionError:  # json's decoder recurses once per bracket
            yield number, None, "JSON nested too deeply"
            continue
        if not isinstance(job, dict):
            yield number, None, "a job is a JSON object"
            continue
        yield number, job, None


def _csv_rows(stream) -> Iterator[tuple[int, dict | None, str | None]]:
    """CSV with a header row naming the same keys as JSON Lines.  ``at`` is
    JSON (``{"x": 0.5}``) or ``x=0.5; y=2``; ``wrt`` and ``formats`` are
    comma- or space-separated; ``steps``/``health`` are true/false/1/0."""
    # a cell may hold a whole program: let it be as long as a source may be
    # (the job then gets its LimitError) instead of csv's 128 KiB default
    csv.field_size_limit(max(csv.field_size_limit(), MAX_SOURCE_CHARS + 1))
    reader = csv.DictReader(stream)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # the row is lost, not the run
            # line_num still counts the lines before the bad row (each
            # next() consumes at least one line, so this loop ends)
            yield reader.line_num + 1, None, f"not CSV ({exc})"
            continue
        line = reader.line_num
        job: dict = {}
        try:
            for key, value in row.items():
                if key is None:
                    raise ValueError("more cells than header columns")
                key = key.strip()
                value = (value or "").strip()
                if value == "":
                    continue
                job[key] = _csv_cell(key, value)
        except ValueError as exc:
            yield line, None, str(exc)
            continue
        if job:
            yield line, job, None


def _csv_cell(key: str, value: str):
    if key in ("steps", "health"):
        lowered = value.lower()
        if lowered in _TRUE or lowered in _FALSE:
            return lowered in _TRUE
        raise ValueError(f"column {key!r}: {value!r} is not true/false")
    if key == "at":
        if value[0] in "[{":
            try:
                return json.loads(value)
            except json.JSONDecodeError as exc:
                raise ValueError(f"column 'at': not JSON ({exc.msg})") from None
            except RecursionError:
                raise ValueError("column 'at': JSON nested too deeply") from None
        return _assignments(value)
    if key == "id":
        # isdigit() alone is true of '²' and other digits int() refuses
        return int(value) if value.isascii() and value.isdigit() else value
    return value


def _assignments(text: str) -> dict:
    """``x=0.5; y=2`` (or commas) -> ``{"x": 0.5, "y": 2.0}``: numbers only."""
    point = {}
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        name, eq, value = part.partition("=")
        try:
            if not eq:
                raise ValueError
            point[name.strip()] = float(value)
        except ValueError:
            raise ValueError(f"column 'at': {part.strip()!r} is not name=number") from None
    return point


def input_format(path: str | None, given: str | None) -> str:
    if given:
        return given
    if path and path.lower().endswith(".csv"):
        return "csv"
    return "jsonl"


def _chunks(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


# ---------------------------------------------------------------- resume


def resume_state(path: Path) -> list:
    """The ids already written to ``path``, in order, after cutting off a
    trailing partial line (what ``kill -9`` in the middle of a write leaves).
    Every remaining line must be a whole record."""
    if not path.exists():
        return []
    with open(path, "rb+") as fh:
        data = fh.read()
        end = data.rfind(b"\n") + 1
        if end < len(data):
            fh.truncate(end)
    ids = []
    for number, line in enumerate(data[:end].splitlines(), start=1):
        try:
            ids.append(json.loads(line)["id"])
        except (json.JSONDecodeError, KeyError, TypeError):
            raise SystemExit(
                f"chainlens batch: {path}:{number} is not a record; cannot resume"
            ) from None
    return ids


def _skip_done(items: Iterator[Item], done_ids: list) -> Iterator[Item]:
    """Drop the prefix of ``items`` already written, checking it is the
    same jobs (a resume against a different input is refused)."""
    for number, written in enumerate(done_ids, start=1):
        item = next(items, None)
        if item is None:
            raise SystemExit("chainlens batch: the output has more records than the input has "
                             "jobs; cannot resume")
        job, record = item
        current = job["id"] if job is not None else record["id"]
        if current != written:
            raise SystemExit(
                f"chainlens batch: record {number} of the output has id {written!r} but job "
                f"{number} of the input has id {current!r}; not the same input, cannot resume"
            )
    return items


# ---------------------------------------------------------------- the run


@dataclass
class BatchOptions:
    input: str = "-"
    output: str | None = None
    input_format: str | None = None
    scheduler: str = "local"
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    chunk_size: int = 50
    resume: bool = False
    formats: tuple[str, ...] | None = None
    steps: bool | None = None
    health: bool | None = None
    progress: bool | None = None  # None: when stderr is a terminal
    #: a tls:// scheduler's CA, client certificate and key (PEM paths)
    tls_ca: str | None = None
    tls_cert: str | None = None
    tls_key: str | None = None


@dataclass
class Summary:
    """What a run did; printed on stderr at the end, returned by the API."""

    jobs: int = 0
    ok: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    startup: float = 0.0  # of that, seconds to start the backend (pool, cluster, connection)
    backend: str = ""
    workers: int = 0
    output: str = "-"

    @property
    def jobs_per_second(self) -> float:
        return self.jobs / self.seconds if self.seconds > 0 else 0.0

    def __str__(self) -> str:
        skipped = f", {self.skipped} already done" if self.skipped else ""
        return (
            f"chainlens batch: {self.jobs} jobs ({self.ok} ok, {self.failed} failed{skipped}) "
            f"in {self.seconds:.2f} s, {self.jobs_per_second:.1f} jobs/s "
            f"[{self.backend}, {self.workers} worker{'s' if self.workers != 1 else ''}] "
            f"-> {self.output}"
        )


def run_batch(opts: BatchOptions) -> Summary:
    """Run every job of ``opts.input`` and write the records; returns the
    summary (the caller prints it)."""
    start = time.perf_counter()
    fmt = input_format(opts.input if opts.input != "-" else None, opts.input_format)
    defaults = {
        "formats": list(opts.formats) if opts.formats else None,
        "steps": opts.steps,
        "health": opts.health,
    }
    if opts.formats:
        bad = [f for f in opts.formats if f not in FORMATS]
        if bad:
            raise SystemExit(f"chainlens batch: unknown format {bad[0]!r} "
                             f"(choose from {', '.join(FORMATS)})")
    if opts.resume and not opts.output:
        raise SystemExit("chainlens batch: --resume needs -o OUTPUT")

    instream = _open_input(opts.input)
    try:
        items: Iterator[Item] = read_items(instream, fmt, defaults)
        total = None
        if opts.input != "-":  # a file is finite: read it all, so the bar knows the total
            listed = list(items)
            total, items = len(listed), iter(listed)
        done_ids = resume_state(Path(opts.output)) if opts.resume else []
        items = _skip_done(items, done_ids)
        summary = Summary(skipped=len(done_ids), output=opts.output or "<stdout>")
        if total is not None:
            total -= len(done_ids)
        _execute(items, total, opts, summary)
    finally:
        if opts.input != "-":
            instream.close()
        elif instream is not sys.stdin:
            instream.detach()  # leave standard input itself open
    summary.seconds = time.perf_counter() - start
    return summary


def _open_input(path: str) -> io.TextIOBase:
    """The job file or standard input as text.  Bytes that are not UTF-8
    become U+FFFD, so the job on that line fails alone with a message
    saying what it cannot read, instead of a UnicodeDecodeError ending the
    whole run."""
    if path != "-":
        return open(path, encoding="utf-8", errors="replace", newline="")  # noqa: SIM115
    raw = getattr(sys.stdin, "buffer", None)
    if raw is None:  # already text (an embedding program replaced it)
        return sys.stdin
    return io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")


def _execute(items, total, opts: BatchOptions, summary: Summary) -> None:
    # the backend first: an unreachable scheduler must not truncate the output
    started = time.perf_counter()
    workers = max(1, opts.workers)
    if opts.scheduler == "local" and total is not None and total <= opts.chunk_size:
        workers = 1  # one chunk: starting a pool would cost more than the work
    backend = make_backend(opts.scheduler, workers, (opts.tls_ca, opts.tls_cert, opts.tls_key))
    summary.startup = time.perf_counter() - started
    summary.backend = getattr(backend, "label", backend.name)
    summary.workers = backend.workers
    show = opts.progress if opts.progress is not None else sys.stderr.isatty()
    sink = progress = None
    try:
        if opts.output:
            Path(opts.output).parent.mkdir(parents=True, exist_ok=True)
            sink = open(opts.output, "ab" if opts.resume else "wb")  # noqa: SIM115
        else:
            sink = sys.stdout.buffer
        progress = _Progress(show, total, backend.workers)
        window = max(2, 4 * backend.workers)
        chunks = _chunks(items, max(1, opts.chunk_size))
        for result in backend.map(chunks, window, progress.advance):
            # whole lines only, one write and flush per chunk: a kill leaves
            # at most one partial line, which --resume cuts off
            sink.write("".join(line + "\n" for line, _ in result).encode("utf-8"))
            sink.flush()
            summary.jobs += len(result)
            summary.ok += sum(ok for _, ok in result)
            summary.failed += sum(not ok for _, ok in result)
    finally:
        if progress is not None:
            progress.close()
        backend.close()
        if sink is not None and sink is not sys.stdout.buffer:
            sink.close()


class _Progress:
    """A rich progress bar on stderr, or nothing (when piped).

    The first chunk arrives only once the workers have started (seconds for a
    process pool or a cluster), and chunks arrive in bursts, so an estimate
    from the whole elapsed time jumps.  The bar says "starting workers" until
    the first results, and the time left is the steady rate since the first
    results (jobs done after them / time since them), shown once a few
    chunks have come in."""

    #: chunks to wait for before an estimate is shown
    WARM_CHUNKS = 3

    def __init__(self, show: bool, total: int | None, workers: int = 1):
        self.bar = None
        if not show:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.total = total
        self.first: float | None = None
        self.after_first = 0
        self.chunks = 0
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[eta]}"),
            console=Console(stderr=True),
            transient=False,
        )
        self.bar.start()
        self.task = self.bar.add_task(f"batch: starting {workers} worker(s)…", total=total,
                                      eta="")

    def advance(self, n: int) -> None:
        if self.bar is None:
            return
        now = time.perf_counter()
        self.chunks += 1
        if self.first is None:
            self.first = now
            self.bar.update(self.task, description="batch")
        else:
            self.after_first += n
        self.bar.update(self.task, advance=n)
        self.bar.update(self.task, eta=self._eta(now))

    def _eta(self, now: float) -> str:
        done = self.bar.tasks[0].completed if self.bar.tasks else 0
        if self.total is None or self.chunks < self.WARM_CHUNKS or self.after_first <= 0:
            return "eta –:––"
        rate = self.after_first / max(now - self.first, 1e-9)
        left = max(0, self.total - done) / rate
        minutes, seconds = divmod(int(left + 0.5), 60)
        return f"eta {minutes}:{seconds:02d}"

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
