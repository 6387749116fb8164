"""The chainlens gRPC service (``chainlens.v1.Derivatives``, grpc.aio).

Modules by role: :mod:`~.service` builds and stops the server (health,
reflection, TLS, metrics endpoint); :mod:`~.servicer` holds the short rpc
methods; :mod:`~.batcher` is the dynamic batcher; :mod:`~.programs` the
compiled-program LRU cache; :mod:`~.gradients` and :mod:`~.convert` turn
messages into engine calls and back; :mod:`~.isolated` is what the worker
processes (:mod:`chainlens.server.pool`) run for requests whose estimated
cost is large; :mod:`~.problems` maps refusals to
status codes with a place; :mod:`~.metrics` the Prometheus metrics;
:mod:`~.background` runs a service on its own thread (the ``chainlens demo``
burst, in :mod:`chainlens.cli.burst`, uses it).  No calculus lives here.
"""
