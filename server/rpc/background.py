"""A service on its own thread and event loop, for blocking callers.

Notebooks, the demo and the sync-client tests want a local server while
their own thread makes blocking calls; the server cannot share that thread's
loop (a blocking call would starve it), so it gets a thread of its own.
"""

from __future__ import annotations

import asyncio
import threading

from chainlens.server.rpc.service import Service, ServiceOptions

__all__ = ["ServiceThread"]


class ServiceThread:
    """``with ServiceThread(ServiceOptions(port=0)) as svc: Client(svc.address)``."""

    def __init__(self, options: ServiceOptions = ServiceOptions(port=0)):
        self.service = Service(options)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="chainlens-serve",
                                        daemon=True)

    @property
    def address(self) -> str:
        return self.service.address

    @property
    def metrics(self):
        return self.service.metrics

    def start(self) -> ServiceThread:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.service.start(), self._loop).result(timeout=30)
        return self

    def stop(self, grace: float | None = None) -> None:
        if not self._thread.is_alive():
            return
        asyncio.run_coroutine_threadsafe(self.service.stop(grace), self._loop).result(timeout=60)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def __enter__(self) -> ServiceThread:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
