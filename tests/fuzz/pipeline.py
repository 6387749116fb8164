"""One fuzz input through every public engine stage, in order.

parse -> diff -> simplify -> print (every notation) -> parse-back -> compile
-> evaluate -> backprop -> health.  A stage may return or raise a chainlens
error (the ChainError family) with words; anything else -- an OverflowError,
a TypeError, a ParseError raised *after* parsing because the engine printed
something it cannot read back -- is a failure the fuzzer reports.

Each stage's CPU time is measured with ``time.process_time`` so that the
runner can print the slowest stage of the slowest input.  Only the public
façade (``chainlens.engine``) is called: the fuzzer checks the promise the
API makes, not the internals."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from chainlens.engine import (
    ChainError,
    ParseError,
    analyze,
    backprop,
    compile,
    diff,
    evaluate,
    parse,
    parse_expr,
    render,
    simplify,
)

#: Notations printed and (except Python source) read back.
NOTATIONS = ("text", "unicode", "latex", "python")
#: Printed forms read back (the Python printer writes code, not an expression).
READ_BACK = ("text", "unicode", "latex")


@dataclass
class Outcome:
    """What one input did: per-stage CPU seconds, the stage that ended it
    with a chainlens error (if any) and the failure (an uncaught exception
    or a broken promise), if any."""

    text: str
    times: dict[str, float] = field(default_factory=dict)
    stopped: str | None = None
    error: str | None = None
    failure: str | None = None

    @property
    def slowest(self) -> tuple[str, float]:
        if not self.times:
            return ("", 0.0)
        return max(self.times.items(), key=lambda kv: kv[1])


class Failure(Exception):
    """A broken promise (not a crash): e.g. a printed form that does not parse back."""


def _check_error(exc: ChainError) -> None:
    if not exc.message or not str(exc).strip():
        raise Failure(f"{type(exc).__name__} without words")


def run(text: str) -> Outcome:
    """Run every stage on ``text``; never raises."""
    out = Outcome(text)
    stage = "parse"
    try:
        for stage, step in _stages(text, out):
            t0 = time.process_time()
            try:
                step()
            finally:
                out.times[stage] = out.times.get(stage, 0.0) + time.process_time() - t0
    except _Stop as stop:
        out.stopped, out.error = stop.stage, stop.error
    except Failure as exc:
        out.failure = f"{stage}: {exc}"
    except RecursionError as exc:
        out.failure = f"{stage}: RecursionError: {str(exc)[:200]}"
    except Exception as exc:  # noqa: BLE001 -- the point of a fuzzer
        out.failure = f"{stage}: {type(exc).__name__}: {str(exc)[:300]}"
    return out


class _Stop(Exception):
    def __init__(self, stage: str, error: str):
        super().__init__(stage)
        self.stage, self.error = stage, error


def _stages(text: str, out: Outcome):
    """Yield ``(stage, thunk)`` pairs; a thunk's chainlens error ends the run
    (later stages need its result) unless the stage is independent."""
    state: dict = {}

    def guarded(stage, fn, *, fatal=True, after_parse=False):
        def thunk():
            try:
                state[stage] = fn()
            except ChainError as exc:
                _check_error(exc)
                if after_parse and isinstance(exc, ParseError):
                    raise Failure(f"ParseError after parsing: {exc}") from exc
                if fatal:
                    raise _Stop(stage, f"{type(exc).__name__}: {exc}") from exc
                state[stage] = None
        return stage, thunk

    yield guarded("parse", lambda: parse(text))
    program = state["parse"]
    yield guarded("parse_expr", lambda: parse_expr(text), fatal=False)
    node = program.expr if len(program.outputs) == 1 else None
    if node is None:
        yield guarded("backprop", lambda: None, fatal=False)
    else:
        variables = sorted(program.inputs)
        if variables:
            yield guarded("diff", lambda: diff(node, variables[0]), fatal=False, after_parse=True)
        yield guarded("simplify", lambda: simplify(node), after_parse=True)
        shown = state["simplify"]
        for notation in NOTATIONS:
            yield guarded(f"print.{notation}", lambda n=notation: render(shown, n),
                          after_parse=True)
        yield guarded("print.whole", lambda: render(shown, "text", None), fatal=False,
                      after_parse=True)
        for notation in READ_BACK:
            printed = state[f"print.{notation}"]
            yield _read_back(notation, printed, shown, state)
    yield guarded("compile", lambda: compile(program), fatal=False, after_parse=True)
    kernel = state.get("compile")
    if kernel is not None and (program.points or not kernel.inputs):
        yield guarded("evaluate", lambda: evaluate(program, kernel=kernel), fatal=False,
                      after_parse=True)
    if len(program.outputs) == 1:
        yield guarded("backprop", lambda: backprop(program), fatal=False, after_parse=True)
    yield guarded("health", lambda: analyze(program), fatal=False, after_parse=True)


def _read_back(notation, printed, shown, state):
    """A printed form reads back (a LimitError for size is allowed: the
    printed text of a big DAG can exceed the nesting limit)."""
    stage = f"parse-back.{notation}"

    def thunk():
        if printed is None or printed.endswith((" ...", " …", " \\ldots")):
            return
        try:
            state[stage] = parse_expr(printed)
        except ParseError as exc:
            raise Failure(f"{notation} form does not parse back: {printed[:200]!r}: {exc}") \
                from exc
        except ChainError as exc:
            _check_error(exc)
    return stage, thunk
