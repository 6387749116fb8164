"""Document analysis state: one :class:`Analysis` per (document, version).

An analysis is computed once, off the event loop, and every feature
(diagnostics, hovers, inlay hints, code actions) reads the same one, so
they always agree with each other and with the version they describe.
What kind of document it is decides which front-end reads it:

* ``.chain``: the engine parser -> one Program;
* Python files and notebook cells: :mod:`chainlens.engine.frontends.python_source`;
* Markdown / LaTeX notes: :mod:`chainlens.engine.frontends.notes` -> math fragments
  and derivative claims, each claim checked by the engine.

Every engine call is wrapped: a failure is logged and recorded in
``problems`` and the rest of the analysis goes on (a broken document gets
a partial result, never a crashed server).
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from chainlens.engine.core.ir import free_symbols
from chainlens.engine.core.source import ChainError, Span, innermost
from chainlens.engine.frontends import notes as notes_front
from chainlens.engine.frontends import python_source as pyfront
from chainlens.engine.language.program import Program
from chainlens.server.lsp import engine_access as engine
from chainlens.server.lsp.positions import LineIndex
from chainlens.server.lsp.settings import Settings
from chainlens.server.lsp.workers import PointValues

log = logging.getLogger("chainlens.lsp")

__all__ = ["Analysis", "Unit", "ClaimCheck", "analyze", "document_kind", "LARGE_PROGRAM"]

#: Assignments from which requests do not wait for the health half (it
#: takes seconds there; answers come without it until it lands).
LARGE_PROGRAM = 300

_SUFFIX_KINDS = {".chain": "chain", ".py": "python", ".pyi": "python", ".md": "markdown",
                 ".markdown": "markdown", ".tex": "latex", ".ipynb": "notebook"}
_LANGUAGE_KINDS = {"chain": "chain", "python": "python", "markdown": "markdown",
                   "latex": "latex", "tex": "latex", "plaintex": "latex"}


def document_kind(uri: str, language_id: str | None = None) -> str | None:
    """``chain``, ``python``, ``markdown``, ``latex`` or None (not ours)."""
    if uri.startswith("vscode-notebook-cell"):
        return "python"
    path = uri.split("?", 1)[0].split("#", 1)[0]
    for suffix, kind in _SUFFIX_KINDS.items():
        if path.endswith(suffix):
            return "python" if kind == "notebook" else kind
    return _LANGUAGE_KINDS.get(language_id or "")


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
    health: object | None = None
    #: values and ∂(output)/∂(name) at one point, for hovers and inlay hints
    point: PointValues | None = None


@dataclass
class ClaimCheck:
    claim: notes_front.Claim
    wrt: str | None = None
    ok: bool | None = None  # None: could not be checked
    correct_latex: str | None = None
    correct_unicode: str | None = None
    counterexample: dict | None = None
    note: str = ""


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
    math: tuple[notes_front.Math, ...] = ()
    claims: list[ClaimCheck] = field(default_factory=list)
    skipped: tuple[pyfront.Skipped, ...] = ()
    problems: list[str] = field(default_factory=list)
    #: feature results computed on demand (hovers...), by key
    memo: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: resolves once the heavy half (health, point values) has been applied
    completed: concurrent.futures.Future = field(default_factory=concurrent.futures.Future)
    heavy: concurrent.futures.Future | None = None

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
    if kind == "chain":
        _chain(result)
    elif kind == "python":
        _python(result)
    elif kind in ("markdown", "latex"):
        _notes(result)
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


def _chain(result: Analysis) -> None:
    try:
        program = engine.parse_program(result.text)
    except ChainError as exc:
        result.parse_error = exc
        return
    except ImportError:
        result.problems.append("parse: the engine parser is not installed")
        return
    except Exception as exc:  # noqa: BLE001
        log.exception("parser failed on %s", result.uri)
        result.problems.append(f"parse: {type(exc).__name__}: {exc}")
        return
    label = program.outputs[0] if len(program.outputs) == 1 else ", ".join(program.outputs)
    unit = Unit(label, "chain", program, Span.at(result.text, 0, len(result.text)))
    result.units.append(unit)


def _python(result: Analysis) -> None:
    doc = result.attempt("python front-end", pyfront.read_python, result.text)
    if doc is None:
        return
    result.skipped = doc.skipped
    for u in doc.units:
        unit = Unit(u.name, u.kind, u.program, u.span, u.name_span, u.params)
        result.units.append(unit)


def _notes(result: Analysis) -> None:
    result.math = result.attempt("notes", notes_front.find_math, result.text) or ()
    claims = result.attempt("claims", notes_front.find_claims, result.text, result.math) or ()
    for claim in claims:
        result.claims.append(_check_claim(result, claim))


def _check_claim(result: Analysis, claim: notes_front.Claim) -> ClaimCheck:
    check = ClaimCheck(claim)
    try:
        expr = engine.parse_expr(notes_front.tex_superscripts(claim.expr))
        claimed = engine.parse_expr(notes_front.tex_superscripts(claim.claimed))
    except ChainError as exc:
        check.note = f"not checked: {exc.message}"
        return check
    except Exception as exc:  # noqa: BLE001
        check.note = f"not checked: {type(exc).__name__}"
        log.debug("claim parse failed: %s", exc)
        return check
    wrt = claim.wrt
    if wrt is None:
        names = free_symbols(expr)
        wrt = names[0] if len(names) == 1 else result.settings.default_variable
    check.wrt = wrt
    verdict = result.attempt("check", engine.check, expr, claimed, wrt)
    if verdict is None:
        check.note = "not checked: the checker failed"
        return check
    check.ok = bool(verdict.equal)
    if not check.ok:
        check.counterexample = _counter_dict(verdict)
        check.correct_latex = result.attempt("render", engine.render, verdict.derivative, "latex")
        check.correct_unicode = result.attempt("render", engine.render, verdict.derivative,
                                               "unicode")
    return check


def _counter_dict(verdict) -> dict | None:
    """A counterexample as plain JSON (it travels in diagnostic data):
    the point, the true derivative there and the claim's value."""
    if not verdict.counterexample:
        return None
    return {"at": {str(k): _plain(v) for k, v in verdict.counterexample},
            "expected": _plain(verdict.expected), "claimed": _plain(verdict.got)}


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)
