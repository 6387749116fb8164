"""The fuzz runner: N generated inputs (plus the regression corpus), each in
a worker process under a time bound.

    .venv/bin/python -m tests.fuzz.run --inputs 2000            # CI-sized
    nice -n 10 .venv/bin/python -m tests.fuzz.run --inputs 100000 --out /tmp/fuzz  # nightly

A worker is a process (forked from a fork server) that runs inputs one after another; the parent
waits for each answer at most ``--bound`` seconds of wall-clock time, and a
worker that does not answer is killed (SIGKILL) and replaced, and its input
is counted as a hang.  Inputs are reproducible: input ``i`` of seed ``s`` is
``inputs.generate(s, i)``.  Failures and hangs are written to ``--out`` (one
file each, ready to be copied into tests/fuzz/corpus/), and the summary
prints the counts, the slowest input and the CPU time of its slowest stage.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import resource
import sys
import time
from collections import Counter
from multiprocessing import forkserver
from pathlib import Path

from tests.fuzz import inputs, pipeline

CORPUS = Path(__file__).resolve().parent / "corpus"
#: CPU seconds one input may take through all its (about 17) stages before
#: its worker is killed and the input counted as a hang; the 2 s goal is per
#: stage.
BOUND = 30.0
#: Address space of a worker: an input that tries to take more gets MemoryError.
WORKER_BYTES = 3 * 1024 ** 3
#: Inputs a worker runs before it is replaced (caches are bounded; this
#: bounds anything that is not).
RECYCLE = 5_000


def corpus(folder: Path = CORPUS) -> list[tuple[str, str]]:
    """``(name, text)`` of every regression input (exact text, surrogates kept)."""
    return [(p.name, p.read_bytes().decode("utf-8", "surrogatepass"))
            for p in sorted(folder.glob("*.txt"))]


def save(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.txt"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return path


def _worker(conn) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (WORKER_BYTES, WORKER_BYTES))
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    while True:
        text = conn.recv()
        if text is None:
            return
        out = pipeline.run(text)
        conn.send((out.times, out.stopped, out.failure))


def _context():
    """The fork server (its process imports the pipeline once; each worker is
    forked from it): a plain fork of a process that has run gRPC's threads (a
    test before this one in the same pytest worker) can leave the child
    deadlocked, and each input then waited out its bound as a hang."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    if getattr(forkserver._forkserver, "_forkserver_pid", None) is None:
        multiprocessing.set_forkserver_preload(["tests.fuzz.pipeline"])
    return multiprocessing.get_context("forkserver")


class Worker:
    def __init__(self, ctx):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child,), daemon=True)
        self.proc.start()
        child.close()
        self.done = 0

    def cpu(self) -> float:
        """CPU seconds the worker has used (user + system), from /proc."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def ask(self, text: str, bound: float):
        """The worker's answer, or None once the input has used ``bound``
        seconds of CPU (or ten times that of wall-clock time: a machine
        shared with other work stretches wall time, not CPU time); the
        worker is then killed."""
        start, t0 = self.cpu(), time.monotonic()
        self.conn.send(text)
        while not self.conn.poll(min(1.0, bound)):
            if self.cpu() - start > bound or time.monotonic() - t0 > 10 * bound:
                self.kill()
                return None
        try:
            answer = self.conn.recv()
        except EOFError:  # the worker died (a crash of the interpreter itself)
            self.kill()
            return ({}, None, "worker died")
        self.done += 1
        return answer

    def kill(self):
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()

    def stop(self):
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.proc.join(5)
        self.kill()


def fuzz(count: int, seed: int = 0, bound: float = BOUND, out: Path | None = None,
         with_corpus: bool = True, progress: bool = False, folder: Path = CORPUS,
         start: int = 0, snapshot=None, start_method: str | None = None) -> dict:
    """Run the corpus and ``count`` generated inputs; the summary as a dict
    (``start_method="fork"``: workers that inherit this process's state, for a
    test that patches the pipeline)."""
    ctx = multiprocessing.get_context(start_method) if start_method else _context()
    pipeline.run("x^2")  # warm the imports before forking
    items = [(f"corpus:{name}", "corpus", text)
             for name, text in (corpus(folder) if with_corpus else [])]
    summary = {"inputs": 0, "failures": [], "hangs": [], "stopped": Counter(),
               "families": Counter(), "worst": [], "stage_max": {}, "seconds": 0.0}
    worker = Worker(ctx)
    t0 = time.monotonic()

    def one(label, family, text):
        nonlocal worker
        if worker.done >= RECYCLE or not worker.proc.is_alive():
            worker.stop()
            worker = Worker(ctx)
        answer = worker.ask(text, bound)
        summary["inputs"] += 1
        summary["families"][family] += 1
        if answer is None:
            summary["hangs"].append(label)
            worker = Worker(ctx)
            if out:
                save(out, f"hang-{label.replace(':', '-')}", text)
            return
        times, stopped, failure = answer
        if failure:
            summary["failures"].append((label, failure))
            if out:
                save(out, f"fail-{label.replace(':', '-')}", text)
        if stopped:
            summary["stopped"][stopped] += 1
        for stage, sec in times.items():
            if sec > summary["stage_max"].get(stage, (0.0, ""))[0]:
                summary["stage_max"][stage] = (sec, label)
        if times:
            stage, sec = max(times.items(), key=lambda kv: kv[1])
            summary["worst"].append((sec, stage, label, len(text)))
            summary["worst"] = sorted(summary["worst"], reverse=True)[:10]

    try:
        for label, family, text in items:
            one(label, family, text)
        for i in range(start, start + count):
            family, text = inputs.generate(seed, i)
            one(f"{seed}:{i}", family, text)
            if snapshot and (i + 1 - start) % 1000 == 0:
                summary["seconds"] = time.monotonic() - t0
                snapshot(summary)
            if progress and (i + 1 - start) % 1000 == 0:
                print(f"  {i + 1 - start} inputs, {len(summary['failures'])} failures, "
                      f"{len(summary['hangs'])} hangs, {time.monotonic() - t0:.0f} s",
                      file=sys.stderr, flush=True)
    finally:
        worker.stop()
    summary["seconds"] = time.monotonic() - t0
    return summary


def report(summary: dict) -> str:
    lines = [f"inputs: {summary['inputs']} in {summary['seconds']:.0f} s "
             f"({', '.join(f'{k} {v}' for k, v in sorted(summary['families'].items()))})",
             f"uncaught exceptions (failures): {len(summary['failures'])}",
             f"hangs past the bound: {len(summary['hangs'])}",
             "ended by a chainlens error, by stage: "
             + ", ".join(f"{k} {v}" for k, v in summary["stopped"].most_common())]
    if summary["worst"]:
        sec, stage, label, size = summary["worst"][0]
        lines.append(f"slowest input: {label} ({size} chars): {stage} {sec:.3f} s CPU")
    lines.append("slowest per stage: " + ", ".join(
        f"{k} {v[0]:.3f} s ({v[1]})" for k, v in sorted(summary["stage_max"].items())))
    for label, failure in summary["failures"][:40]:
        lines.append(f"  FAIL {label}: {failure}")
    for label in summary["hangs"][:40]:
        lines.append(f"  HANG {label}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--inputs", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--start", type=int, default=0,
                    help="index of the first input (to split a run)")
    ap.add_argument("--bound", type=float, default=BOUND, help="seconds per input")
    ap.add_argument("--out", type=Path, help="folder for failing and hanging inputs")
    ap.add_argument("--json", type=Path, help="write the summary as JSON here")
    ap.add_argument("--no-corpus", action="store_true")
    ap.add_argument("--corpus", type=Path, default=CORPUS, help="folder of regression inputs")
    args = ap.parse_args(argv)
    def write(summary):
        if args.json:
            data = dict(summary, stopped=dict(summary["stopped"]),
                        families=dict(summary["families"]), first=args.start)
            args.json.write_text(json.dumps(data, indent=1))

    summary = fuzz(args.inputs, args.seed, args.bound, args.out, not args.no_corpus,
                   progress=True, folder=args.corpus, start=args.start, snapshot=write)
    print(report(summary))
    write(summary)
    return 1 if summary["failures"] or summary["hangs"] else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
