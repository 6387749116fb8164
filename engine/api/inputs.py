"""One validation of request inputs for every front door.

The command line, the language server, the gRPC service and the batch
runner all take the same few things from the outside: a source text, the
variables to differentiate by (``wrt``), points to evaluate at (``at``), a
notation name and a derivative order.  Each is checked here, once, against
the program it applies to and the documented limits
(:mod:`chainlens.engine.core.limits`), and a refusal is an
:class:`InputError` (or :class:`~chainlens.engine.core.source.LimitError`)
naming the field (``wrt[1]``, ``at['w']``) and what would have been
accepted.  The doors only translate these errors: a status code, an exit
status, a diagnostic.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from chainlens.engine.core.limits import MAX_ORDER, MAX_SOURCE_CHARS, MAX_TENSOR_ELEMENTS
from chainlens.engine.core.source import ChainError, LimitError
from chainlens.engine.language.program import Program

__all__ = ["InputError", "InputLimitError", "NOTATIONS", "source_text", "wrt_names", "point",
           "notation", "order"]

#: Notations every door accepts (the printers' names).
NOTATIONS = ("text", "unicode", "latex", "python")


@dataclass(eq=False)
class InputError(ChainError):
    """A request input that is not acceptable; ``field`` names it as the
    request spells it (``wrt[0]``, ``at['x']``, ``notation``)."""

    field: str | None = None

    def to_dict(self) -> dict:
        return dict(super().to_dict(), field=self.field)


class InputLimitError(InputError, LimitError):
    """An input beyond a documented limit: a LimitError that names its field."""


def source_text(text, field: str = "source") -> str:
    """A non-empty text within :data:`MAX_SOURCE_CHARS`."""
    if not isinstance(text, str):
        raise InputError(f"{field} must be text, not {type(text).__name__}", field=field)
    if len(text) > MAX_SOURCE_CHARS:
        raise InputLimitError(
            f"{field} is {len(text)} characters; the limit is {MAX_SOURCE_CHARS}",
            hint="split the program, or read it from a file in pieces", field=field)
    if not text.strip():
        raise InputError(f"{field} is empty", expected=("an expression or a .chain program",),
                         field=field)
    return text


def _names(value, field: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(v for v in value.replace(",", " ").split() if v)
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        names = tuple(value)
        for i, name in enumerate(names):
            if not isinstance(name, str) or not name.strip():
                raise InputError(f"{field}[{i}] must be a variable name, not {name!r}",
                                 field=f"{field}[{i}]")
        return tuple(n.strip() for n in names)
    raise InputError(f"{field} is a variable name or a list of names, not "
                     f"{type(value).__name__}", field=field)


def wrt_names(value, program: Program | Iterable[str], field: str = "wrt") -> tuple[str, ...]:
    """The variables to differentiate by: ``value`` (``"w, b"``, ``"w b"`` or a
    list), else the program's ``@wrt``, else every input.  A name the program
    does not use is an error (almost always a typo), not a silent zero."""
    if isinstance(program, Program):
        inputs, declared = tuple(program.inputs), tuple(program.wrt)
    else:
        inputs, declared = tuple(program), ()
    names = _names(value, field) if value not in (None, "", [], ()) else ()
    if not names:
        names = declared or inputs
        if not names:
            raise InputError("nothing to differentiate by: the expression has no variables",
                             field=field, hint="differentiate an expression of a variable")
        return names
    known = set(inputs)
    for i, name in enumerate(names):
        if name not in known:
            where = field if isinstance(value, str) else f"{field}[{i}]"
            raise InputError(
                f"{where}: {name!r} is not a variable of the expression",
                expected=tuple(sorted(known)) or ("no variables: the expression is constant",),
                field=where)
    return tuple(dict.fromkeys(names))


def _value(value, where: str):
    """A number or a (nested) list of numbers, as floats."""
    if isinstance(value, bool):
        raise InputError(f"{where} is {value}: true/false is not a number", field=where)
    if isinstance(value, int | float | Fraction):
        number = float(value)
        if not math.isfinite(number):
            raise InputError(f"{where} is {number}: points must be finite", field=where)
        return number
    if isinstance(value, list | tuple):
        return [_value(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if hasattr(value, "tolist") and hasattr(value, "size"):  # numpy arrays
        if value.size > MAX_TENSOR_ELEMENTS:
            raise InputLimitError(f"{where} has {value.size} elements; the limit is "
                                  f"{MAX_TENSOR_ELEMENTS}", field=where)
        return _value(value.tolist(), where)
    raise InputError(f"{where} is not a number or a list of numbers: {value!r}", field=where)


def point(values: Mapping, program: Program, field: str = "at", *,
          complete: bool = False) -> dict:
    """A point: every name an input of ``program``, every value finite.
    ``complete`` also requires a value for every input (check it before any
    work, not after seconds of it)."""
    if not isinstance(values, Mapping):
        raise InputError(f"{field} must map names to values", field=field)
    inputs = tuple(program.inputs)
    out = {}
    for name, value in values.items():
        where = f"{field}[{name!r}]"
        if name not in inputs:
            raise InputError(f"{where}: {name!r} is not an input of the program",
                             expected=inputs or ("no inputs",), field=where)
        out[name] = _value(value, where)
    if complete:
        missing = [n for n in inputs if n not in out]
        if missing:
            raise InputError(f"{field} gives no value for {', '.join(missing)}",
                             expected=tuple(f"{n}=…" for n in missing), field=field)
    return out


def notation(name, allowed: Iterable[str] = NOTATIONS, field: str = "notation") -> str:
    """A notation name, case-insensitive, out of ``allowed``."""
    allowed = tuple(allowed)
    shown = str(name).strip().lower() if isinstance(name, str) else None
    if shown not in allowed:
        raise InputError(f"{field}: unknown notation {name!r}", expected=allowed, field=field)
    return shown


def order(value, field: str = "order") -> int:
    """A derivative order, 1 to :data:`MAX_ORDER` (0 or None means 1)."""
    if value in (None, 0):
        return 1
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{field} must be a whole number, not {value!r}", field=field)
    if value < 1:
        raise InputError(f"{field} is {value}; orders start at 1", field=field)
    if value > MAX_ORDER:
        raise InputLimitError(f"{field} is {value}; the highest order is {MAX_ORDER}",
                              field=field)
    return value
