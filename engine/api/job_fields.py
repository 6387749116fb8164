"""The fields of a batch job, checked before any work: formats, flags,
``wrt`` and points (shapes, numbers in float64 range, every input given).

Split from :mod:`chainlens.engine.api.jobs` so the record's content and its
encoding read apart from the checking of what a job asked for.  A bad field
is a :class:`JobError` (the job's fault, not the expression's) or a
``LimitError`` naming the limit.
"""

from __future__ import annotations

from collections.abc import Mapping

from chainlens.engine.core.source import ChainError, LimitError

__all__ = ["FORMATS", "MAX_POINTS", "JobError"]

#: Notations a job may ask for, in the order records list them.
FORMATS = ("text", "unicode", "latex", "python")
#: Points one job may evaluate (a list of points or a dict of lists).
MAX_POINTS = 10_000


class JobError(ChainError):
    """A job that is not well formed (missing ``expr``, a bad point, an
    unknown format...): the job's fault, not the expression's."""


def _formats(value) -> tuple[str, ...]:
    if value is None:
        return ("text",)
    if isinstance(value, str):
        value = [v for v in value.replace(",", " ").split() if v]
    if not isinstance(value, list | tuple) or not value:
        raise JobError("'formats' is a list of notations", expected=FORMATS)
    for name in value:
        if name not in FORMATS:
            raise JobError(f"unknown format {name!r}", expected=FORMATS)
    return tuple(f for f in FORMATS if f in value)


def _flag(job: Mapping, key: str) -> bool:
    value = job.get(key, False)
    if not isinstance(value, bool):
        raise JobError(f"{key!r} must be true or false")
    return value


def _wrt(value, program) -> tuple[str, ...]:
    """Variables to differentiate by: the job's, else the program's ``@wrt``,
    else every input.  A name the expression does not mention is an error
    (almost always a typo), not a silent zero."""
    if value is None or value == "" or value == []:
        names = tuple(program.wrt) or tuple(program.inputs)
    elif isinstance(value, str):
        names = tuple(v for v in value.replace(",", " ").split() if v)
    elif isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        names = tuple(value)
    else:
        raise JobError("'wrt' is a variable name or a list of names")
    if not names:
        raise JobError("nothing to differentiate by: the expression has no variables")
    known = set(program.inputs)
    for name in names:
        if name not in known:
            raise JobError(
                f"unknown variable {name!r}: the expression does not use it",
                expected=tuple(sorted(known)),
            )
    return tuple(dict.fromkeys(names))


def _points(value, program) -> list[dict] | None:
    """``at`` as a list of points.  Accepts one point ``{"x": 0.5}``, a list
    of points, or a dict of equal-length lists ``{"x": [0, 1], "y": [2, 3]}``
    (a column batch).  A list value is read as a batch only when every entry
    is a flat list of numbers of one length and no entry names an input
    declared as a tensor; otherwise it is a tensor value."""
    if value is None:
        return None
    if isinstance(value, Mapping):
        columns = list(value.values())
        tensors = set()
        for name in value:
            decl = program.declaration(name) if isinstance(name, str) else None
            if decl is not None and decl.shape:
                tensors.add(name)
        if (
            columns
            and not tensors
            and all(isinstance(c, list) and c and all(_is_number(v) for v in c) for c in columns)
            and len({len(c) for c in columns}) == 1
        ):
            n = len(columns[0])
            value = [{k: value[k][i] for k in value} for i in range(n)]
        else:
            value = [value]
    if not isinstance(value, list) or not value:
        raise JobError("'at' is a point {name: value}, a list of points or a dict of lists")
    if len(value) > MAX_POINTS:
        raise LimitError(f"{len(value)} points in one job; the limit is {MAX_POINTS}")
    inputs = set(program.inputs)
    points = []
    shapes: dict[str, tuple[int, ...]] = {}
    for point in value:
        if not isinstance(point, Mapping) or not point:
            raise JobError("each point is an object {name: value}")
        for name, v in point.items():
            if name not in inputs:
                raise JobError(
                    f"unknown variable {name!r} in 'at': the expression does not use it",
                    expected=tuple(sorted(inputs)),
                )
            shape = _value_shape(v)
            if shape is None:
                raise JobError(f"bad value for {name!r} in 'at': {_short(v)} is not a number "
                               "or a rectangular array of numbers")
            # the points are evaluated as one batch: one shape per variable
            if shapes.setdefault(name, shape) != shape:
                raise JobError(f"the values of {name!r} in 'at' differ in shape: "
                               f"{list(shapes[name])} and {list(shape)}")
        points.append(dict(point))
    return points


def _complete(points: list[dict] | None, program) -> None:
    """Every point gives every input a value (evaluating would fail on the
    first missing one, after the symbolic work: 108 s in one report)."""
    for number, point in enumerate(points or (), start=1):
        missing = [n for n in program.inputs if n not in point]
        if missing:
            where = f"point {number} of 'at'" if len(points) > 1 else "'at'"
            raise JobError(f"{where} has no value for {', '.join(map(repr, missing))}",
                           expected=tuple(program.inputs))


#: JSON integers are unbounded; the engine computes in float64.
_FLOAT_MAX = 1.7976931348623157e308


def _is_number(v) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, int):
        return abs(v) <= _FLOAT_MAX
    return isinstance(v, float)


def _value_shape(v) -> tuple[int, ...] | None:
    """The shape of a number or nested list of numbers, None when it is
    neither (a string, an empty or ragged list, an integer beyond float64)."""
    if _is_number(v):
        return ()
    if not isinstance(v, list) or not v:
        return None
    inner = {_value_shape(x) for x in v}
    if len(inner) != 1 or None in inner:
        return None
    return (len(v), *inner.pop())


def _short(v) -> str:
    text = repr(v)
    return text if len(text) <= 40 else text[:37] + "..."


# ---------------------------------------------------------------- records
