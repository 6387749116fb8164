"""Document analysis state: one :class:`Analysis` per (document, version).

An analysis is computed once, off the event loop, and every feature
(diagnostics, hovers, inlay hints, code actions) reads the same one, so
they always agree with each other and with the version they describe.
The text is read by :func:`chainlens.engine.frontends.document.read_document`
(the same reader the command line uses) and each claim of a note is judged
by :func:`chainlens.engine.frontends.claims.check_claim`; this module holds
the editor's state around them (line index, settings, memo, the heavy half).

Every engine call is wrapped: a failure is logged and recorded in
``problems`` and the rest of the analysis goes on (a broken document gets
a partial result, never a crashed server).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from chainlens.engine.core.source import ChainError, Span, innermost
from chainlens.engine.frontends import document as frontend
from chainlens.engine.frontends import notes as notes_front
from chainlens.engine.frontends.claims import ClaimVerdict, check_claim
from chainlens.engine.frontends.kinds import kind_of
from chainlens.engine.frontends.python_source import Skipped
from chainlens.engine.language.program import Program
from chainlens.engine.language.recovery import recover
from chainlens.server.lsp.positions import LineIndex
from chainlens.server.lsp.settings import Settings
from chainlens.server.lsp.workers import PointValues

log = logging.getLogger("chainlens.lsp")

__all__ = ["Analysis", "Unit", "analyze", "document_kind", "LARGE_PROGRAM"]

#: Assignments from which requests do not wait for the health half (it
#: takes seconds there; answers come without it until it lands).
LARGE_PROGRAM = 300


def document_kind(uri: str, language_id: str | None = None) -> str | None:
    """``chain``, ``python``, ``markdown``, ``latex`` or None (not ours).  A
    notebook's cells reach the server one by one: code cells as Python
    documents, Markdown cells (``language_id`` markdown) as notes."""
    kind = kind_of(uri, language_id)
    if kind == "notebook":
        return "markdown" if language_id == "markdown" else "python"
    return kind


@dataclass
class Unit:
    """One differentiable thing: a whole ``.chain`` program, a Python
    function / Sequential / assignment."""

    label: str
    kind: str  # chain | function | sequential | expression
    program: Program
    span: Span
    name_span: Span | None = None
    params: tuple[str, ...] = ()
    #: the front-end's unit this one shows
    source: frontend.Unit | None = None
    health: object | None = None
    #: values and ∂(output)/∂(name) at one point, for hovers and inlay hints
    point: PointValues | None = None


@dataclass
class Analysis:
    uri: str
    version: int | None
    kind: str
    text: str
    index: LineIndex
    settings: Settings
    units: list[Unit] = field(default_factory=list)
    parse_error: ChainError | None = None
    #: every statement the reader could not read (``.chain``: the rest of
    #: the program is read without them, see engine.language.recovery)
    parse_errors: tuple[ChainError, ...] = ()
    math: tuple[notes_front.Math, ...] = ()
    claims: list[ClaimVerdict] = field(default_factory=list)
    skipped: tuple[Skipped, ...] = ()
    problems: list[str] = field(default_factory=list)
    #: feature results computed on demand (hovers...), by key
    memo: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: resolves once the heavy half (health, point values) has been applied
    completed: concurrent.futures.Future = field(default_factory=concurrent.futures.Future)
    heavy: concurrent.futures.Future | None = None
    #: sends the heavy half to the worker, once (see :meth:`defer_heavy`)
    _send_heavy: Callable[[], None] | None = None

    def defer_heavy(self, send: Callable[[], None], now: bool = False) -> None:
        """``send()`` sends the heavy half: now, or on the first
        :meth:`start_heavy`."""
        if now:
            send()
            return
        with self.lock:
            self._send_heavy = send

    def start_heavy(self) -> None:
        """Send the deferred heavy half, if it has not been sent."""
        with self.lock:
            send, self._send_heavy = self._send_heavy, None
        if send is not None:
            send()

    def drop_heavy(self) -> None:
        """This version is obsolete: a heavy half not sent yet never will be,
        and resolves as not computed."""
        with self.lock:
            send, self._send_heavy = self._send_heavy, None
        if send is not None and self.heavy is not None:
            with contextlib.suppress(concurrent.futures.InvalidStateError):
                self.heavy.set_result(None)

    def attempt(self, what: str, fn, *args, **kwargs):
        """``fn(*args)``; on any engine failure log it, note it, return None."""
        try:
            return fn(*args, **kwargs)
        except ChainError as exc:
            self.problems.append(f"{what}: {exc}")
        except (ImportError, AttributeError, NotImplementedError) as exc:
            log.debug("%s unavailable: %s", what, exc)
            self.problems.append(f"{what}: unavailable ({exc})")
        except Exception as exc:  # noqa: BLE001 - no document may crash the server
            log.exception("%s failed on %s", what, self.uri)
            self.problems.append(f"{what}: {type(exc).__name__}: {exc}")
        return None

    @property
    def size(self) -> int:
        """Assignments over all units: how big the program is."""
        return sum(len(u.program.assignments) for u in self.units)

    def unit_at(self, offset: int) -> Unit | None:
        """The innermost unit whose text contains ``offset``."""
        return innermost(self.units, offset)

    def memoised(self, key, compute):
        """Feature results are computed once per analysis (hovering the same
        name again is a dictionary look-up)."""
        with self.lock:
            if key in self.memo:
                return self.memo[key]
        value = compute()
        with self.lock:
            self.memo[key] = value
        return value


#: ``judge(kind, text) -> Future[list[Judged] | None]``: the heavy half
Judge = Callable[[str, str], concurrent.futures.Future]


def analyze(uri: str, version: int | None, text: str, kind: str, settings: Settings,
            encoding: str = "utf-16", judge: Judge | None = None) -> Analysis:
    """The light half of the analysis of one document version (blocking:
    run it in a worker thread); the heavy half is handed to ``judge`` and
    lands in the units when it completes (``Analysis.completed``)."""
    result = Analysis(uri, version, kind, text, LineIndex(text, encoding), settings)
    doc = result.attempt("read", frontend.read_document, text, kind, uri=uri, version=version)
    if doc is not None:
        _take(result, doc)
    if not result.units or judge is None:
        result.completed.set_result(True)
        return result
    result.heavy = judge(kind, text)
    result.heavy.add_done_callback(lambda f: _apply(result, f))
    return result


def _apply(result: Analysis, future: concurrent.futures.Future) -> None:
    judged = None if future.cancelled() or future.exception() else future.result()
    with result.lock:
        if judged is None:
            result.problems.append("health: not computed (the analysis ran out of time)")
        elif len(judged) != len(result.units):
            result.problems.extend(p for j in judged for p in j.problems)
        else:
            for unit, j in zip(result.units, judged, strict=True):
                unit.health, unit.point = j.health, j.point
                result.problems.extend(j.problems)
    if not result.completed.done():
        result.completed.set_result(True)


def _take(result: Analysis, doc: frontend.Document) -> None:
    """The document's units and claims into the editor's state.  Unread
    text in a ``.chain`` file is a parse error per bad statement, the rest
    being read without them (engine.language.recovery); elsewhere it is a
    diagnostic-free partial result."""
    if doc.error is not None and doc.kind == "chain":
        result.parse_error = doc.error
        recovered = result.attempt("recover", recover, result.text)
        if recovered is not None:
            result.parse_errors = recovered.errors or (doc.error,)
            result.parse_error = result.parse_errors[0]
        if recovered is not None and recovered.program is not None:
            program = recovered.program
            whole = Span.at(result.text, 0, len(result.text))
            label = ", ".join(program.outputs)
            result.units.append(Unit(label, "chain", program, whole,
                                     source=frontend.Unit(label, "chain", whole, program)))
    elif doc.error is not None:
        result.problems.append(f"read: {doc.error}")
    result.skipped = doc.skipped
    result.math = doc.math
    for u in doc.programs:
        result.units.append(Unit(u.label, u.kind, u.program, u.span, u.name_span, u.params,
                                 source=u))
    for u in doc.claims:
        verdict = result.attempt("check", check_claim, u, result.settings.default_variable)
        result.claims.append(verdict or ClaimVerdict(u, note="not checked: the checker failed"))
