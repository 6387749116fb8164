"""The one bounded cache of chainlens: least recently used out.

Results that are expensive to make and asked for again (an editor's hover
asks for the same derivative on every keystroke; a gradient walks one DAG
once per variable; a gRPC client sends one program many times) are kept in a
:class:`Cache`.  Every cache is bounded by its number of entries and, when a
``size`` function is given, by the total size of its entries, so that no
input (a 1 MB program text, a 100k-node derivative) can grow a long-lived
server's memory without limit.

Thread-safe: the language server's worker threads and the gRPC service's
thread pool share the engine's caches.  ``make`` in :meth:`get_or_make` runs
outside the lock (it may take seconds); two threads asking for one missing
key may both make it, and the last one stored is kept (results are pure, so
both are equal).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["Cache", "clear_all"]

V = TypeVar("V")
_MISSING = object()
#: Every cache made, so that a server can let go of them all at once.
_ALL: weakref.WeakSet = weakref.WeakSet()


def clear_all() -> None:
    """Empty every cache (the language server does, when its last document
    closes: nothing cached is wanted then, and a long session's derivatives
    would otherwise stay in memory)."""
    for cache in list(_ALL):
        cache.clear()


class Cache(Generic[V]):
    """At most ``max_entries`` values (and, with ``size``, at most
    ``max_bytes`` of ``size(key, value)`` in total), least recently used
    dropped first.  A value bigger than ``max_bytes`` on its own is not
    kept."""

    def __init__(self, max_entries: int, *, max_bytes: int | None = None,
                 size: Callable[[Hashable, V], int] | None = None):
        if max_entries < 1:
            raise ValueError("a cache holds at least one entry")
        if (max_bytes is None) != (size is None):
            raise ValueError("max_bytes and size go together")
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._size = size
        self._data: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        _ALL.add(self)

    def get(self, key: Hashable, default=None):
        """The value stored under ``key`` (now the most recently used), or
        ``default``."""
        with self._lock:
            hit = self._data.get(key, _MISSING)
            if hit is _MISSING:
                return default
            self._data.move_to_end(key)
            return hit[0]

    def put(self, key: Hashable, value: V) -> V:
        """Store ``value`` under ``key`` and return it."""
        nbytes = self._size(key, value) if self._size is not None else 0
        if self.max_bytes is not None and nbytes > self.max_bytes:
            return value
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._data[key] = (value, nbytes)
            self._bytes += nbytes
            while len(self._data) > self.max_entries or (
                    self.max_bytes is not None and self._bytes > self.max_bytes):
                _, (_, dropped) = self._data.popitem(last=False)
                self._bytes -= dropped
        return value

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value under ``key``, made by ``make()`` and stored if missing."""
        hit = self.get(key, _MISSING)
        if hit is not _MISSING:
            return hit
        return self.put(key, make())

    def pop(self, key: Hashable, default=None):
        with self._lock:
            hit = self._data.pop(key, _MISSING)
            if hit is _MISSING:
                return default
            self._bytes -= hit[1]
            return hit[0]

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._bytes = 0

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._data

    def __len__(self) -> int:
        return len(self._data)

    @property
    def nbytes(self) -> int:
        """The total ``size`` of the entries (0 without a ``size`` function)."""
        return self._bytes

    def __repr__(self) -> str:
        limit = f", max_bytes={self.max_bytes}" if self.max_bytes is not None else ""
        return f"Cache({len(self)}/{self.max_entries} entries{limit})"
