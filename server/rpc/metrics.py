"""Prometheus metrics of one service instance.

Each :class:`Metrics` owns its registry, so several servers in one process
(tests, the demo) keep separate counts; ``serve_http`` exposes it on an
HTTP port for Prometheus to scrape (``/metrics``).  The names follow
Prometheus conventions: ``_total`` counters, ``_seconds`` histograms.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

__all__ = ["Metrics"]

#: Request counts per batch: powers of two up to the largest sensible batch.
_BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096)
#: Latency buckets from 100 µs to 10 s.
_LATENCY_BUCKETS = (1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2, 5e-2, 0.1, 0.25, 0.5,
                    1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        r = self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("chainlens_requests", "RPCs received, by method.", ["method"],
                                registry=r)
        self.errors = Counter("chainlens_errors", "RPCs answered with an error, by method and "
                              "status code.", ["method", "code"], registry=r)
        self.latency = Histogram("chainlens_request_latency_seconds", "Time from receiving an "
                                 "RPC to answering it, by method.", ["method"],
                                 buckets=_LATENCY_BUCKETS, registry=r)
        self.queue_depth = Gauge("chainlens_queue_depth", "Gradient requests waiting for a "
                                 "batch, all programs together.", registry=r)
        self.queue_latency = Histogram("chainlens_queue_latency_seconds", "Time a Gradient "
                                       "request waited before its batch started.",
                                       buckets=_LATENCY_BUCKETS, registry=r)
        self.batch_size = Histogram("chainlens_batch_size", "Requests per kernel call.",
                                    buckets=_BATCH_BUCKETS, registry=r)
        self.batch_points = Histogram("chainlens_batch_points", "Points per kernel call.",
                                      buckets=_BATCH_BUCKETS, registry=r)
        self.compute = Histogram("chainlens_batch_compute_seconds", "Time of one kernel call "
                                 "(concatenate, forward + backward, split).",
                                 buckets=_LATENCY_BUCKETS, registry=r)
        self.dropped = Counter("chainlens_dropped", "Requests dropped before compute, by reason "
                               "(cancelled, deadline).", ["reason"], registry=r)
        self.programs = Counter("chainlens_program_cache", "Compiled-program cache look-ups, "
                                "by result (hit, miss, evict).", ["result"], registry=r)
        self.programs_cached = Gauge("chainlens_programs_cached", "Compiled programs in the "
                                     "cache.", registry=r)
        self.symbolic_waiting = Gauge("chainlens_symbolic_in_flight", "Differentiate, Analyze "
                                      "and Check calls queued or running on the symbolic pool.",
                                      registry=r)
        self.isolated = Counter("chainlens_isolated", "Requests sent to a worker process "
                                "(their estimated cost was large), by method.", ["method"],
                                registry=r)
        self.stopped = Counter("chainlens_stopped", "Computations in a worker process stopped "
                               "(the worker killed and replaced), by reason (deadline, "
                               "cancelled).", ["reason"], registry=r)
        self._http = None

    def value(self, name: str, **labels) -> float:
        """One sample's current value (0 when never set), for tests and the demo."""
        return self.registry.get_sample_value(name, labels) or 0.0

    def serve_http(self, port: int, host: str = "127.0.0.1", certfile=None, keyfile=None,
                   client_ca=None) -> int:
        """Start the ``/metrics`` endpoint; returns the bound port.  With a
        certificate and key it speaks HTTPS (the same as the gRPC port: a
        TLS service must not leak its counts in plaintext), and with a client
        CA it asks scrapers for a certificate."""
        tls = {}
        if certfile is not None:
            tls = {"certfile": str(certfile), "keyfile": str(keyfile)}
            if client_ca is not None:
                tls.update(client_cafile=str(client_ca), client_auth_required=True)
        self._http, _thread = start_http_server(port, addr=host, registry=self.registry, **tls)
        return self._http.server_address[1]

    def close(self) -> None:
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
            self._http = None
