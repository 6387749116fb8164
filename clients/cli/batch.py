"""``chainlens batch``: differentiate and evaluate many jobs headlessly.

Reads JSON Lines or CSV jobs (a file or standard input), runs them on a
local process pool or on Dask, and writes one JSON record per job, in input
order, to a file or standard output; a summary goes to standard error.  The
machinery lives in :mod:`chainlens.cli.batchrun`, the content of a record in
:mod:`chainlens.engine.api.jobs`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from chainlens.cli.batchrun import BatchOptions, Summary, run_batch
from chainlens.engine.core.source import ChainError

EPILOG = """\
job (one JSON object a line, or a CSV row with the same columns):
  {"id": "q1", "expr": "sin(x^2)", "wrt": "x", "at": {"x": 0.5},
   "claim": "2x cos(x^2)", "formats": ["text", "latex"], "steps": true, "health": true}

schedulers:
  local            a process pool on this machine (default; --workers 1 runs in-process)
  dask             a Dask LocalCluster of --workers single-threaded processes
  tcp://host:port  an existing Dask scheduler (start one with `dask scheduler`,
                   workers with `dask worker tcp://host:8786`; each needs chainlens installed);
                   plaintext and unauthenticated: trusted networks only
  tls://host:port  the same over TLS: give --tls-ca, --tls-cert and --tls-key (or set
                   distributed.comm.tls in the Dask config)
  (the `dask` LocalCluster speaks TLS with credentials made for the run, on 127.0.0.1)

examples:
  chainlens batch examples/jobs.jsonl -o out/jobs.out.jsonl
  cat jobs.csv | chainlens batch - --input-format csv --formats text,latex > out.jsonl
  chainlens batch big.jsonl -o big.out.jsonl --resume          # continue a killed run
"""


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "batch",
        help="differentiate many jobs (JSON Lines / CSV) on a process pool or Dask",
        description="Differentiate and evaluate many jobs: JSON Lines or CSV in (a file or "
                    "standard input), one JSON record per job out, in input order; a summary "
                    "on standard error.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("input", nargs="?", default="-", metavar="INPUT",
                   help="job file (.jsonl or .csv), or - for standard input (default)")
    p.add_argument("-o", "--output", metavar="OUTPUT",
                   help="write records here (default: standard output)")
    p.add_argument("--input-format", choices=("jsonl", "csv"),
                   help="input format (default: from the extension, else jsonl)")
    p.add_argument("--scheduler", default="local", metavar="local|dask|tcp://HOST:PORT",
                   help="where jobs run (default: local; tcp:// or tls:// for Dask)")
    p.add_argument("--tls-ca", metavar="PEM", help="a tls:// scheduler's CA certificate")
    p.add_argument("--tls-cert", metavar="PEM", help="client certificate for a tls:// scheduler")
    p.add_argument("--tls-key", metavar="PEM", help="client key for a tls:// scheduler")
    p.add_argument("--workers", type=_positive, default=None, metavar="N",
                   help="processes / Dask workers (default: CPU count)")
    p.add_argument("--chunk-size", type=_positive, default=50, metavar="N",
                   help="jobs per task (default: 50)")
    p.add_argument("--resume", action="store_true",
                   help="continue a killed run: keep the records already in OUTPUT, run the rest")
    p.add_argument("--formats", type=_format_list, default=None, metavar="F[,F...]",
                   help="default notations for the derivative: text, unicode, latex, python "
                        "(a job's own 'formats' wins; default: text)")
    p.add_argument("--steps", action="store_true", default=None,
                   help="include chain-rule steps for jobs that do not say")
    p.add_argument("--health", action="store_true", default=None,
                   help="include gradient-health findings for jobs that do not say")
    bar = p.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None,
                     help="always show the progress bar")
    bar.add_argument("-q", "--quiet", dest="quiet", action="store_true",
                     help="no progress bar and no summary")
    p.add_argument("--strict", action="store_true",
                   help="exit with status 1 when any job failed")
    p.set_defaults(func=main)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _format_list(text: str) -> tuple[str, ...]:
    return tuple(f for f in text.replace(",", " ").split() if f)


def main(args: argparse.Namespace) -> int:
    opts = BatchOptions(
        input=args.input,
        output=args.output,
        input_format=args.input_format,
        scheduler=args.scheduler,
        chunk_size=args.chunk_size,
        resume=args.resume,
        formats=args.formats,
        steps=args.steps,
        health=args.health,
        progress=False if args.quiet else args.progress,
        tls_ca=args.tls_ca,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
    )
    if args.workers is not None:
        opts.workers = args.workers
    if args.output and (args.output.endswith(("/", "\\")) or Path(args.output).is_dir()):
        # was the raw "[Errno 21] Is a directory" (red team P2-18)
        print(f"chainlens batch: error: -o {args.output} is a directory; -o takes the file to "
              f"write the records to, e.g. -o {args.output.rstrip('/')}/jobs.out.jsonl",
              file=sys.stderr)
        return 2
    if args.input == "-" and sys.stdin.isatty():  # nothing piped in: say what is awaited
        print("chainlens batch: reading jobs from the terminal, one JSON object a line "
              "(Ctrl-D ends); pass a file instead: chainlens batch JOBS.jsonl", file=sys.stderr)
    try:
        summary = run_batch(opts)
    except (ChainError, BrokenPipeError):
        raise
    except FileNotFoundError as exc:  # the exit-code contract: an input error is 2
        print(f"chainlens batch: error: no such file: {exc.filename}", file=sys.stderr)
        return 2
    except Exception as exc:  # an unreachable scheduler, a lost worker
        print(f"chainlens batch: error: {exc or type(exc).__name__}", file=sys.stderr)
        if args.output and _has_records(args.output):
            print(f"chainlens batch: the records in {args.output} are whole; rerun with "
                  "--resume to continue", file=sys.stderr)
        return 2
    if not args.quiet:
        print(summary, file=sys.stderr)
    return 1 if args.strict and summary.failed else 0


def _has_records(path: str) -> bool:
    """Whether ``path`` holds at least one whole record to resume from."""
    try:
        with open(path, "rb") as fh:
            return b"\n" in fh.read(1 << 16)
    except OSError:
        return False


def run_demo(path: str = "examples/jobs.jsonl", output: str = "out/jobs.out.jsonl",
             scheduler: str = "local", workers: int | None = None) -> Summary:
    """The lead's demo step: run ``path`` with a progress bar on a terminal,
    print the summary and return it."""
    opts = BatchOptions(input=path, output=output, scheduler=scheduler)
    if workers is not None:
        opts.workers = workers
    summary = run_batch(opts)
    print(summary, file=sys.stderr)
    return summary
