"""``chainlens serve``: the gRPC service with dynamic batching."""

from __future__ import annotations

import argparse
import asyncio
import errno
import logging
import math
import os
import socket
import sys
from pathlib import Path

TUNING = """\
batching (TensorFlow Serving / Triton vocabulary):
  Gradient requests for the same program queue together and run as one
  vectorised kernel call when the queue holds --max-batch-size points or its
  oldest request has waited --batch-timeout-ms, and a worker is free.

tuning:
  --batch-timeout-ms  latency traded for throughput at LOW load; at high load
                      batches fill while the workers are busy anyway.
                      1-2 ms suits interactive clients; 0 never waits.
  --max-batch-size    points per kernel call; larger amortises more but each
                      call takes longer. A request with more points runs alone.
  --max-enqueued      requests waiting per program before new ones get
                      RESOURCE_EXHAUSTED; about what the workers clear within
                      your latency target.
  --workers           threads running kernel calls: up to one per core.
                      More workers with tiny requests mean smaller batches.
  batching off:       --max-batch-size 1 --batch-timeout-ms 0
"""


def _number(kind, low, high=None):
    """An argparse type: a finite ``kind`` in [low, high], refused with a
    usage message (gRPC would wrap port 99999 to 34463, and a NaN timeout
    would never fire)."""
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not (low <= value <= (math.inf if high is None else high)) or value == math.inf:
            span = f"from {low} to {high}" if high is not None else f"at least {low}"
            raise argparse.ArgumentTypeError(f"must be {span}, not {text}")
        return value
    return parse


_PORT = _number(int, 0, 65535)
_COUNT = _number(int, 1)


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "serve", help="run the gRPC service (dynamic batching, health, reflection, metrics)",
        description="Serve chainlens.v1.Derivatives over gRPC.", epilog=TUNING,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1; 0.0.0.0 exposes the service)")
    p.add_argument("--port", type=_PORT, default=50051, help="gRPC port (default 50051; 0: any)")
    p.add_argument("--max-batch-size", type=_COUNT, default=512, metavar="POINTS",
                   help="most points in one kernel call (default 512)")
    p.add_argument("--batch-timeout-ms", type=_number(float, 0.0), default=1.5, metavar="MS",
                   help="longest wait for a batch to fill (default 1.5)")
    p.add_argument("--max-enqueued", type=_COUNT, default=4096, metavar="N",
                   help="requests waiting per program before RESOURCE_EXHAUSTED (default 4096)")
    p.add_argument("--workers", type=_COUNT, default=2, help="kernel-call threads (default 2)")
    p.add_argument("--metrics-port", type=_PORT, default=None, metavar="PORT",
                   help="serve Prometheus /metrics on this HTTP port (default: off)")
    p.add_argument("--tls-cert", type=Path, metavar="PEM", help="certificate chain (PEM)")
    p.add_argument("--tls-key", type=Path, metavar="PEM", help="private key (PEM)")
    p.add_argument("--tls-client-ca", type=Path, metavar="PEM",
                   help="mutual TLS: require client certificates signed by this CA (PEM); "
                        "also asked of /metrics scrapers")
    p.add_argument("--max-message-mb", type=_number(int, 1, 2047), default=64,
                   help="largest request or response message in MiB (default 64)")
    p.add_argument("--cache-size", type=_COUNT, default=256,
                   help="compiled programs kept in the LRU cache (default 256)")
    p.add_argument("--pool-workers", type=_number(int, 0), default=2, metavar="N",
                   help="worker processes for requests whose estimated cost is large; they "
                        "are killed and replaced at a request's deadline (default 2; 0: none, "
                        "all work in the server's threads)")
    p.add_argument("--work-seconds", type=_number(float, 0.1), default=30.0, metavar="S",
                   help="seconds of work one request may take in a worker process, whatever "
                        "its client's deadline (default 30)")
    p.add_argument("--grace", type=_number(float, 0.0), default=5.0,
                   help="seconds in-flight requests get on shutdown (default 5)")
    p.set_defaults(func=run)


def run(args) -> int:
    # gRPC's C core logs its own line for a port it cannot bind ("E1202 ...
    # add_port.cc:83] Failed to add port ..."), above the one chainlens prints
    # in words; it is read at grpc's import, so set before it (yours wins).
    os.environ.setdefault("GRPC_VERBOSITY", "NONE")
    from chainlens.server.rpc.batcher import BatchingOptions
    from chainlens.server.rpc.service import ServiceOptions, serve

    if bool(args.tls_cert) != bool(args.tls_key):
        raise SystemExit("chainlens serve: --tls-cert and --tls-key go together")
    if args.tls_client_ca and not args.tls_cert:
        raise SystemExit("chainlens serve: --tls-client-ca needs --tls-cert and --tls-key")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    options = ServiceOptions(
        host=args.host,
        port=args.port,
        batching=BatchingOptions(
            max_batch_size=args.max_batch_size,
            batch_timeout=args.batch_timeout_ms / 1000.0,
            max_enqueued=args.max_enqueued,
            workers=args.workers,
        ),
        metrics_port=args.metrics_port,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        tls_client_ca=args.tls_client_ca,
        max_message_bytes=args.max_message_mb * 1024 * 1024,
        cache_size=args.cache_size,
        pool_workers=args.pool_workers,
        work_seconds=args.work_seconds,
        grace=args.grace,
    )
    try:
        asyncio.run(serve(options))
    except OSError as exc:  # an unreadable certificate, a port that cannot be bound
        taken = str(exc).startswith("cannot bind") and _taken(args.host, args.port)
        message = (f"cannot bind {args.host}:{args.port}: the port is taken (another "
                   "chainlens serve?); stop it or choose another with --port") if taken else exc
        print(f"chainlens serve: {message}", file=sys.stderr)
        return 1
    return 0


def _taken(host: str, port: int) -> bool:
    """Whether ``host:port`` cannot be bound because something listens there:
    gRPC says only that the port could not be added, for any reason."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.bind((host, port))
    except OSError as exc:
        return exc.errno == errno.EADDRINUSE
    return False
