"""One batch job in, one output record out: the pure core of ``chainlens batch``.

A *job* is a small dict (one line of a JSON Lines file, one row of a CSV)::

    {"id": "q17", "expr": "sin(x^2)", "wrt": "x", "at": {"x": 0.5},
     "claim": "2*x*cos(x^2)", "formats": ["text", "latex"], "steps": true, "health": true}

and :func:`run_job` turns it into a *record*: the derivative in the chosen
notations, the chain-rule steps on request, values and gradients at the
points, gradient-health findings and the verdict on a claimed derivative.

Why a separate pure module: the batch runner ships jobs to other processes
and other machines (a process pool, Dask workers), and the promise is that
every backend writes the same bytes.  That holds only if one function, with
no I/O and no state, decides the whole content of a record, and one encoder
(:func:`encode`) decides its bytes (sorted keys, floats via ``repr``,
non-finite floats as strings).  The runner only moves these strings around.

A bad job never raises: it becomes an error record carrying the job's id,
the error kind (``ParseError``, ``LimitError``, ``EvaluationError``,
``ShapeError``, ``JobError`` for a malformed job, ``InternalError`` for an
engine bug) and, for errors with a place, its line and column.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from fractions import Fraction

from chainlens.engine.api.job_fields import (
    FORMATS,
    JobError,
    _complete,
    _flag,
    _formats,
    _points,
    _wrt,
)
from chainlens.engine.core.limits import MAX_SOURCE_CHARS
from chainlens.engine.core.source import ChainError, LimitError, Span

__all__ = ["FORMATS", "JobError", "run_job", "error_record", "encode", "encode_record", "plain"]

#: Keys a job may carry; anything else is reported, not silently ignored.
JOB_KEYS = frozenset({"id", "expr", "wrt", "at", "claim", "formats", "steps", "health"})
#: Conditions one record lists (all variables together): a 50-layer residual
#: ReLU net has a condition per layer per variable, each naming a sub-
#: expression as long as the net, and one 140-character job wrote 440 MB.
MAX_CONDITIONS = 200
#: Characters of one condition's text, expression or source in a record.
MAX_CONDITION_CHARS = 2_000
#: Bytes of one encoded record; a longer one becomes a LimitError record.
MAX_RECORD_BYTES = 4 * 1024 * 1024




# ---------------------------------------------------------------- the job


def run_job(job: Mapping) -> dict:
    """The output record of one job.  Never raises: every failure becomes
    an error record (see :func:`error_record`)."""
    job_id = job.get("id") if isinstance(job, Mapping) else None
    try:
        return _run(job)
    except _InField as wrapped:
        return error_record(job_id, wrapped.error, field=wrapped.field)
    except ChainError as exc:
        return error_record(job_id, exc)
    except RecursionError:
        return error_record(job_id, LimitError("expression too deeply nested to process"))
    except Exception as exc:  # an engine bug must not end the run
        return error_record(job_id, exc)


def _run(job: Mapping) -> dict:
    if not isinstance(job, Mapping):
        raise JobError("a job is a JSON object with at least 'id' and 'expr'")
    unknown = sorted(str(k) for k in job if k not in JOB_KEYS)
    if unknown:
        raise JobError(
            f"unknown job key {unknown[0]!r}",
            expected=tuple(sorted(JOB_KEYS)),
        )
    source = job.get("expr")
    if not isinstance(source, str) or not source.strip():
        raise JobError("the job has no 'expr' (an expression or a .chain program)")
    if len(source) > MAX_SOURCE_CHARS:
        raise LimitError(f"expr is {len(source)} characters; the limit is {MAX_SOURCE_CHARS}")
    formats = _formats(job.get("formats"))
    want_steps = _flag(job, "steps")
    want_health = _flag(job, "health")
    claim = job.get("claim")
    if claim is not None and not isinstance(claim, str):
        raise JobError("'claim' must be a derivative written as text")

    program = _parse(source)
    wrt = _wrt(job.get("wrt"), program)
    points = _points(job.get("at"), program)
    record: dict = {"id": job.get("id"), "ok": True, "wrt": list(wrt)}
    if points is None and program.points:
        points = [p.as_dict() for p in program.points]
    _complete(points, program)  # before any work: a missing value fails in no time
    if any(d.shape for d in program.declarations):
        # symbolic derivatives cover scalar expressions; a tensor program
        # gets its gradient values from the numeric backward pass
        if not points:
            raise JobError("a tensor program needs a point to evaluate its gradient at",
                           hint="add 'at' to the job or an @at line to the program")
        record["note"] = "tensor program: gradient values only"
    else:
        derivatives = {name: _derivative(program, name, formats, want_steps) for name in wrt}
        record["derivative"] = {name: d["notations"] for name, d in derivatives.items()}
        conditions, unlisted = _conditions({n: d["conditions"] for n, d in derivatives.items()})
        if conditions:
            record["conditions"] = conditions
        if unlisted:
            record["truncated"] = [f"conditions: {unlisted} more not listed (a record lists "
                                   f"at most {MAX_CONDITIONS})"]
        if want_steps:
            record["steps"] = {name: d["steps"] for name, d in derivatives.items()}
    if claim is not None:
        record["check"] = _check(program, claim, wrt)
    if points:
        record["points"] = _evaluate(program, wrt, points)
    if want_health:
        record["health"] = _health(program, points)
    return plain(record)


# ---------------------------------------------------------------- engine calls
# Each is a thin call into the engine module that owns the work; nothing here
# knows any calculus.


def _parse(source: str):
    from chainlens.engine.language.reader import parse

    return parse(source)


def _derivative(program, wrt: str, formats, want_steps: bool) -> dict:
    from chainlens.engine.symbolic.derivatives import diff

    d = diff(program, wrt)
    out = {
        "notations": {f: getattr(d, f) for f in formats},
        "conditions": d.conditions,  # printed by _conditions, within the record's budget
    }
    if want_steps:
        from chainlens.engine.symbolic.step_text import step_to_dict

        out["steps"] = [step_to_dict(s) for s in d.steps]
    return out


def _conditions(by_name: dict) -> tuple[dict, int]:
    """The conditions to list per variable, printed only up to
    :data:`MAX_CONDITIONS` in all, each string clipped; and how many were
    left out."""
    listed: dict[str, list] = {}
    room, unlisted = MAX_CONDITIONS, 0
    for name, conditions in by_name.items():
        for condition in conditions:
            if room == 0:
                unlisted += 1
                continue
            room -= 1
            listed.setdefault(name, []).append(
                {k: _clip(v) for k, v in condition.to_dict().items()})
    return listed, unlisted


def _clip(value):
    if isinstance(value, str) and len(value) > MAX_CONDITION_CHARS:
        return value[:MAX_CONDITION_CHARS - 1] + "…"
    return value


class _InField(Exception):
    """An error whose place is in another field of the job than ``expr``
    (a claim's parse error has a line and column *in the claim*)."""

    def __init__(self, field: str, error: ChainError):
        super().__init__(error.message)
        self.field, self.error = field, error


def _check(program, claim: str, wrt):
    from chainlens.engine.language.reader import parse_expr
    from chainlens.engine.symbolic.check import check_derivative

    if len(wrt) != 1:
        raise JobError("a 'claim' is checked against one variable; give a single 'wrt'")
    try:
        claimed = parse_expr(claim)
    except ChainError as exc:
        raise _InField("claim", exc) from None
    return plain(check_derivative(program, claimed, wrt[0]))


def _evaluate(program, wrt, points) -> list[dict]:
    """Value and gradient at each point, evaluated as one batch."""
    from chainlens.engine.numeric.kernel import evaluate

    ev = evaluate(program, at=points, wrt=list(wrt))
    [output] = ev.values  # diff() has already refused programs with several outputs
    values, grads = ev.values[output], ev.gradients.get(output, {})
    out = []
    for i, point in enumerate(points):
        entry = {"at": point, "value": values[i], "gradient": {w: grads[w][i] for w in wrt}}
        out.append(entry)
    if ev.nonfinite:
        out[0]["nonfinite"] = [n.to_dict() for n in ev.nonfinite]
    return out


#: Parts of a health report a batch record keeps (the per-layer measurements
#: are for the editor's inlay hints, and would dwarf the record).
HEALTH_KEYS = ("output", "findings", "assumptions", "notes", "points", "points_from")


def _health(program, points) -> dict:
    from chainlens.engine.health.recheck import analyze_checked as analyze

    report = analyze(program, at=points)
    full = report.to_dict()
    return {"ok": report.ok, **{k: full[k] for k in HEALTH_KEYS}}


# ---------------------------------------------------------------- job fields


def error_record(job_id, exc: BaseException, field: str = "expr") -> dict:
    """The record of a failed job: id, ``ok: false`` and the error's kind,
    message and, for errors with a place, its line and column and the job
    field they count in (``expr`` unless said otherwise)."""
    if isinstance(exc, ChainError):
        error: dict = {"kind": type(exc).__name__, "message": exc.message}
        if exc.span is not None:
            error["field"] = field
        if exc.span is not None:
            error["line"] = exc.span.line
            error["column"] = exc.span.column
            error["span"] = exc.span.to_dict()
        if exc.expected:
            error["expected"] = list(exc.expected)
        if exc.hint:
            error["hint"] = exc.hint
    else:
        error = {"kind": "InternalError", "message": f"{type(exc).__name__}: {exc}"}
    return plain({"id": job_id, "ok": False, "error": error})


def plain(value):
    """``value`` as JSON-ready data with one spelling for every number:
    numpy scalars and arrays become Python floats and lists, exact
    fractions become ints or floats, non-finite floats become the strings
    ``"nan"``, ``"inf"``, ``"-inf"`` (JSON has no spelling for them)."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else _nonfinite(value)
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else plain(float(value))
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Span):
        return value.to_dict()
    tolist = getattr(value, "tolist", None)  # numpy arrays and scalars
    if callable(tolist):
        return plain(tolist())
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return plain(to_dict())
    return str(value)


def _nonfinite(x: float) -> str:
    return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")


def encode(record: dict) -> str:
    """One record as one line of JSON Lines (no newline), byte-identical in
    every process: ``id`` first (so a person can scan a file), then sorted
    keys at every level, compact separators, UTF-8 text kept as is, floats
    printed by ``repr`` (the shortest string that reads back).  A record over
    :data:`MAX_RECORD_BYTES` is replaced by a LimitError record with its id."""
    return encode_record(record)[0]


def encode_record(record: dict) -> tuple[str, bool]:
    """:func:`encode`, and whether the line written is a success."""
    line = _encode(record)
    size = len(line.encode("utf-8"))
    if size <= MAX_RECORD_BYTES:
        return line, bool(record.get("ok"))
    return _encode(error_record(record.get("id"), LimitError(
        f"the record is {size} bytes; the limit is {MAX_RECORD_BYTES}",
        hint="ask for fewer formats, variables or points, or leave out steps"))), False


def _encode(record: dict) -> str:
    rest = {k: v for k, v in record.items() if k != "id"}
    body = json.dumps(rest, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)
    head = json.dumps(record.get("id"), ensure_ascii=False, allow_nan=False)
    return '{"id":' + head + ("," + body[1:] if len(body) > 2 else "}")
