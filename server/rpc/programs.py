"""The compiled-program cache: source text -> parsed program + numeric kernel.

Two bounded LRU levels, bounded both in entries and in the characters of
program text they hold (1 MB programs once filled the cache to 1 GB).  The
first maps the exact request (text, wrt,
outputs) to its compiled entry, so a repeated request costs one dict look-up.
The second maps the *normalised* program -- its expanded output graphs,
which are hash-consed IR nodes, plus the names that shape the answer -- to
the kernel, so ``x^2``, ``x**2`` and ``x²`` share one kernel and, through
the kernel's key, one batching queue.  Parsing and compiling run on the
worker pool (a 10,000-layer program takes a while); concurrent misses for the
same text wait for one compilation.  The text is checked once, on the way
in; compiling does not check it again.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass

from chainlens.engine.core.limits import MAX_SOURCE_CHARS
from chainlens.engine.core.source import ChainError
from chainlens.server.rpc.metrics import Metrics
from chainlens.server.rpc.problems import from_chain_error, invalid

__all__ = ["Compiled", "ProgramCache", "check_source", "parse_program"]


@dataclass(frozen=True, eq=False)
class Compiled:
    """A program ready to evaluate; ``key`` names its batching queue."""

    key: tuple
    program: object  # chainlens.engine.language.program.Program
    kernel: object  # chainlens.engine.numeric.kernel.Kernel

    @property
    def inputs(self) -> tuple[str, ...]:
        return tuple(self.kernel.inputs)

    def shape(self, name: str) -> tuple[int, ...]:
        return tuple(self.kernel.shapes.get(name, ()))


def check_source(text: str, field: str) -> None:
    if not text.strip():
        raise invalid(field, "is empty; send an expression or a .chain program")
    if len(text) > MAX_SOURCE_CHARS:
        raise invalid(field, f"is {len(text)} characters; the limit is {MAX_SOURCE_CHARS}")


def parse_program(text: str, field: str = "program", checked: bool = False):
    """Parse request text, turning engine errors into INVALID_ARGUMENT
    (``checked``: :func:`check_source` has already passed it)."""
    from chainlens.engine.language.reader import parse

    if not checked:
        check_source(text, field)
    try:
        return parse(text)
    except ChainError as exc:
        raise from_chain_error(exc, field) from None


def _names_known(program, wrt: Sequence[str], outputs: Sequence[str]) -> None:
    inputs = set(program.inputs)
    for i, name in enumerate(wrt):
        if name not in inputs:
            raise invalid(f"wrt[{i}]", f"{name!r} is not an input of the program; its inputs "
                                       f"are {', '.join(sorted(inputs)) or 'none'}")
    known = set(program.outputs) | {a.display for a in program.assignments} | set(program.names)
    for i, name in enumerate(outputs):
        if name not in known:
            raise invalid(f"outputs[{i}]", f"{name!r} is not a name in the program")


def _compile(text: str, wrt: tuple[str, ...], outputs: tuple[str, ...], cache: ProgramCache):
    from chainlens.engine.numeric.kernel import compile as compile_kernel

    program = parse_program(text, checked=True)  # ProgramCache.get checked it
    _names_known(program, wrt, outputs)
    names = outputs or tuple(program.outputs)
    expanded = []
    for name in names:
        try:
            expanded.append(program.expanded(program.latest(name)))
        except KeyError:
            expanded.append(program.expanded(name))
    declared = tuple(sorted((d.name, tuple(d.shape)) for d in program.declarations))
    key = (tuple(expanded), names, wrt or tuple(program.wrt), declared)
    kernel = cache.kernel_for(key)
    if kernel is None:
        try:
            kernel = compile_kernel(program, wrt=list(wrt) or None, outputs=list(outputs) or None)
        except ChainError as exc:
            raise from_chain_error(exc, "program") from None
    return Compiled(key, program, kernel)


class ProgramCache:
    """Bounded LRU of compiled programs (see the module docstring)."""

    def __init__(self, capacity: int, metrics: Metrics, max_chars: int = 64 * 1024 * 1024):
        self.capacity = max(1, capacity)
        self.max_chars = max(1, max_chars)
        self._metrics = metrics
        self._by_text: OrderedDict[tuple, Compiled] = OrderedDict()
        self._kernels: OrderedDict[tuple, object] = OrderedDict()
        #: characters of program text behind each kernel (its program's size)
        self._kernel_chars: dict[tuple, int] = {}
        self._compiling: dict[tuple, asyncio.Future] = {}
        self.chars = 0  # request texts held by the first level

    @property
    def kernel_chars(self) -> int:
        return sum(self._kernel_chars.values())

    def __len__(self) -> int:
        return len(self._kernels)

    def holds(self, text: str, wrt: Sequence[str], outputs: Sequence[str]) -> bool:
        """Whether this exact request's program is compiled already."""
        return (text, tuple(wrt), tuple(outputs)) in self._by_text

    async def get(self, text: str, wrt: Sequence[str], outputs: Sequence[str],
                  executor: Executor) -> Compiled:
        check_source(text, "program")
        request = (text, tuple(wrt), tuple(outputs))
        hit = self._by_text.get(request)
        if hit is not None:
            self._by_text.move_to_end(request)
            if hit.key in self._kernels:
                self._kernels.move_to_end(hit.key)
            self._metrics.programs.labels("hit").inc()
            return hit
        pending = self._compiling.get(request)
        if pending is not None:
            return await asyncio.shield(pending)
        loop = asyncio.get_running_loop()
        future = self._compiling[request] = loop.create_future()
        try:
            compiled = await loop.run_in_executor(executor, _compile, text, tuple(wrt),
                                                  tuple(outputs), self)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: waiters re-raise it, nobody else must
            raise
        else:
            future.set_result(compiled)
        finally:
            del self._compiling[request]
        self._metrics.programs.labels("miss").inc()
        self._store(request, compiled)
        return compiled

    def kernel_for(self, key: tuple):
        """The kernel of an equivalent program already compiled, if any
        (called from the worker thread; a racing miss only compiles twice)."""
        return self._kernels.get(key)

    def _store(self, request: tuple, compiled: Compiled) -> None:
        if request in self._by_text:
            return
        self._by_text[request] = compiled
        self.chars += len(request[0])
        if compiled.key not in self._kernels:
            self._kernel_chars[compiled.key] = len(request[0])
        self._kernels[compiled.key] = compiled.kernel
        self._kernels.move_to_end(compiled.key)
        while len(self._kernels) > self.capacity or (
                len(self._kernels) > 1 and self.kernel_chars > self.max_chars):
            evicted, _ = self._kernels.popitem(last=False)
            self._kernel_chars.pop(evicted, None)
            self._metrics.programs.labels("evict").inc()
            for text in [t for t, c in self._by_text.items() if c.key == evicted]:
                self._drop(text)
        while len(self._by_text) > 1 and (len(self._by_text) > 4 * self.capacity
                                          or self.chars > self.max_chars):
            self._drop(next(iter(self._by_text)))
        self._metrics.programs_cached.set(len(self._kernels))

    def _drop(self, request: tuple) -> None:
        del self._by_text[request]
        self.chars -= len(request[0])
