"""The gRPC service: one grpc.aio server with the Derivatives servicer,
health checking, reflection, Prometheus metrics and a graceful stop.

:class:`Service` is what tests, the benchmark and the demo start in-process;
:func:`serve` is what ``chainlens serve`` runs until SIGINT/SIGTERM.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import logging
import signal
import ssl
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import grpc
from chainlens.engine.api.cost import CHEAP_UNITS
from chainlens.server.pool import WorkerPool
from chainlens.server.rpc import isolated
from chainlens.server.rpc.batcher import BatchingOptions, DynamicBatcher
from chainlens.server.rpc.metrics import Metrics
from chainlens.server.rpc.programs import ProgramCache
from chainlens.server.rpc.servicer import DerivativesServicer, Runtime
from chainlens.server.rpc.wire import add_servicer
from chainlens.v1 import derivatives_pb2
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

__all__ = ["ServiceOptions", "Service", "serve", "SERVICE_NAME", "TLSConfigError",
           "tls_credentials"]

SERVICE_NAME = derivatives_pb2.DESCRIPTOR.services_by_name["Derivatives"].full_name
log = logging.getLogger("chainlens.server.rpc")


@dataclass(frozen=True)
class ServiceOptions:
    host: str = "127.0.0.1"
    port: int = 50051  # 0: any free port
    batching: BatchingOptions = field(default_factory=BatchingOptions)
    #: HTTP port for /metrics; None: no HTTP endpoint (metrics still counted).
    metrics_port: int | None = None
    tls_cert: Path | None = None
    tls_key: Path | None = None
    #: CA bundle (PEM) of client certificates: with it, clients must show a
    #: certificate it signed (mutual TLS), on the gRPC port and /metrics alike.
    tls_client_ca: Path | None = None
    #: Largest request or response message, in bytes.
    max_message_bytes: int = 64 * 1024 * 1024
    #: Compiled programs kept (LRU).
    cache_size: int = 256
    #: Characters of program text the compiled-program cache may hold.
    cache_chars: int = 64 * 1024 * 1024
    #: Threads for Differentiate, Analyze and Check (apart from the kernels').
    symbolic_workers: int = 2
    #: Worker processes for requests whose estimated cost is large (0: none,
    #: everything computed in the server's threads, as before #16).
    pool_workers: int = 2
    #: Estimated cost (chainlens.engine.api.cost units) above which a request
    #: is computed in a worker process.
    cheap_units: float = CHEAP_UNITS
    #: Seconds of work one request may take in a worker process, whatever its
    #: client's deadline (the earlier of the two stops it).
    work_seconds: float | None = 30.0
    #: Address-space limit of each worker process, in bytes.
    worker_memory_bytes: int | None = 3 << 30
    #: Seconds in-flight requests get to finish on stop.
    grace: float = 5.0


class TLSConfigError(OSError):
    """Certificate, key or client CA that cannot serve TLS, with the reason."""


def _read(path: Path, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise TLSConfigError(f"cannot read the TLS {what} {path}: {exc.strerror or exc}") from None


def tls_credentials(cert: Path, key: Path, client_ca: Path | None = None):
    """gRPC server credentials, checked first with OpenSSL (through ``ssl``)
    so that a bad file is reported as what it is: grpc only says that the
    port could not be added, which read as "cannot bind"."""
    cert_pem, key_pem = _read(cert, "certificate"), _read(key, "key")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(cert, key)
    except ssl.SSLError as exc:
        if exc.reason == "KEY_VALUES_MISMATCH":
            raise TLSConfigError(f"the TLS key {key} does not match the certificate {cert}") \
                from None
        raise TLSConfigError(f"cannot use {cert} and {key} as a TLS certificate and key: "
                             f"{exc.reason or exc} (are they PEM files?)") from None
    ca_pem = None
    if client_ca is not None:
        ca_pem = _read(client_ca, "client CA")
        try:
            context.load_verify_locations(cafile=str(client_ca))
        except ssl.SSLError as exc:
            raise TLSConfigError(f"cannot use {client_ca} as the client CA: "
                                 f"{exc.reason or exc}") from None
    return grpc.ssl_server_credentials([(key_pem, cert_pem)], root_certificates=ca_pem,
                                       require_client_auth=ca_pem is not None)


class Service:
    """A running chainlens gRPC service (``await Service(opts).start()``)."""

    def __init__(self, options: ServiceOptions = ServiceOptions()):
        self.options = options
        self.metrics = Metrics()
        self.port: int | None = None
        self.metrics_port: int | None = None
        self._server: grpc.aio.Server | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._symbolic: ThreadPoolExecutor | None = None
        self._batcher: DynamicBatcher | None = None
        #: the worker processes of expensive requests (None: none)
        self.pool: WorkerPool | None = None
        self._health = health.aio.HealthServicer()
        #: the compiled-program cache (for tests and the demo)
        self.programs: ProgramCache | None = None

    @property
    def address(self) -> str:
        return f"{self.options.host}:{self.port}"

    async def start(self) -> Service:
        opts = self.options
        self._executor = ThreadPoolExecutor(opts.batching.workers,
                                            thread_name_prefix="chainlens-worker")
        self._symbolic = ThreadPoolExecutor(max(1, opts.symbolic_workers),
                                            thread_name_prefix="chainlens-symbolic")
        self._batcher = DynamicBatcher(opts.batching, self._executor, self.metrics)
        programs = self.programs = ProgramCache(opts.cache_size, self.metrics,
                                                max_chars=opts.cache_chars)
        if opts.pool_workers > 0:
            self.pool = WorkerPool(opts.pool_workers, memory_bytes=opts.worker_memory_bytes,
                                   warm=isolated.WARM).start(spawn=False)
        runtime = Runtime(self._batcher, programs, self._executor, self.metrics,
                          symbolic=self._symbolic, pool=self.pool, cheap_units=opts.cheap_units,
                          work_seconds=opts.work_seconds)
        server = self._server = grpc.aio.server(options=[
            ("grpc.max_receive_message_length", opts.max_message_bytes),
            ("grpc.max_send_message_length", opts.max_message_bytes),
            ("grpc.so_reuseport", 0),
        ])
        add_servicer(DerivativesServicer(runtime), server)
        health_pb2_grpc.add_HealthServicer_to_server(self._health, server)
        reflection.enable_server_reflection(
            (SERVICE_NAME, health.SERVICE_NAME, reflection.SERVICE_NAME), server)
        self.port = self._bind(server)
        await server.start()
        for name in ("", SERVICE_NAME):
            await self._health.set(name, health_pb2.HealthCheckResponse.SERVING)
        if opts.metrics_port is not None:
            try:
                self.metrics_port = self.metrics.serve_http(
                    opts.metrics_port, opts.host, opts.tls_cert, opts.tls_key, opts.tls_client_ca)
            except BaseException:  # a taken metrics port: do not leave the server running
                await self.stop(grace=0)
                raise
        return self

    def _bind(self, server: grpc.aio.Server) -> int:
        opts = self.options
        address = f"{opts.host}:{opts.port}"
        if opts.tls_cert or opts.tls_key or opts.tls_client_ca:
            if not (opts.tls_cert and opts.tls_key):
                raise ValueError("TLS needs both a certificate and a key")
            credentials = tls_credentials(opts.tls_cert, opts.tls_key, opts.tls_client_ca)
        try:
            if opts.tls_cert:
                port = server.add_secure_port(address, credentials)
            else:
                port = server.add_insecure_port(address)
        except RuntimeError:  # grpc.aio's way of saying so: an OSError like any bind
            port = 0
        if port == 0:
            raise OSError(f"cannot bind {address}: the host is not local, the port is "
                          "taken or not allowed")
        return port

    async def stop(self, grace: float | None = None) -> None:
        """Graceful stop: refuse new calls, answer what is queued and running
        (batches form at once instead of waiting to fill), then release."""
        if self._server is None:
            return
        grace = self.options.grace if grace is None else grace
        await self._health.enter_graceful_shutdown()
        self._batcher.flush()
        await self._server.stop(grace)
        await self._batcher.drain()
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._symbolic.shutdown(wait=False, cancel_futures=True)
        if self.pool is not None:
            await self.pool.close()
        self.metrics.close()
        self._server = None

    async def wait(self) -> None:
        await self._server.wait_for_termination()

    async def __aenter__(self) -> Service:
        return await self.start()

    async def __aexit__(self, *exc) -> None:
        await self.stop()


def _settle() -> None:
    """Import what the server's own threads will need, then freeze the heap:
    a full garbage collection walks every object, and with the engine
    imported that took 90-130 ms of the event loop here (at load 8), a pause
    every cheap request in flight waited out.  Frozen objects are never
    walked again; what requests allocate later is collected as before."""
    for name in isolated.WARM:
        importlib.import_module(name)
    gc.collect()
    gc.freeze()


async def serve(options: ServiceOptions) -> None:
    """Run until SIGINT or SIGTERM, then stop gracefully."""
    service = await Service(options).start()
    if service.pool is not None:
        service.pool.spawn()  # warm before the first expensive request, not during it
    _settle()
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    scheme = ("mutual TLS" if options.tls_client_ca else "TLS") if options.tls_cert \
        else "plaintext"
    print(f"chainlens: serving {SERVICE_NAME} on {service.address} ({scheme})", flush=True)
    if service.metrics_port is not None:
        url = "https" if options.tls_cert else "http"
        print(f"chainlens: metrics on {url}://{options.host}:{service.metrics_port}/metrics "
              f"({scheme})", flush=True)
    await stopping.wait()
    print("chainlens: stopping (answering requests in flight)", flush=True)
    await service.stop()
