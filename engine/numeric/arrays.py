"""Values in: programs from text or nodes, name lists, and the array
helpers the kernel uses to shape values and test them for NaN/Inf."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

import numpy as np
from chainlens.engine.core.limits import MAX_TENSOR_ELEMENTS
from chainlens.engine.core.nodes import Node
from chainlens.engine.core.source import EvaluationError, LimitError, Span
from chainlens.engine.language.program import Assignment, Program
from chainlens.engine.language.reader import parse
from chainlens.engine.numeric.shapes import show_shape

__all__ = ["NOWHERE", "all_finite", "all_of", "as_program", "batch_axes", "check_elements",
           "floats", "full", "name_list", "prepare", "point_mask"]

NOWHERE = Span(0, 0, 1, 1, 1, 1)


def as_program(program) -> Program:
    """A :class:`Program` from a program, source text or an expression node."""
    if isinstance(program, Program):
        return program
    if isinstance(program, Node):
        return Program(source="", assignments=(Assignment("f", program, NOWHERE, NOWHERE,
                                                          NOWHERE),), outputs=("f",))
    if isinstance(program, str):
        return parse(program)
    raise TypeError(f"cannot compile a {type(program).__name__}")


def name_list(value) -> tuple[str, ...] | None:
    """``"w, b"``, ``"w b"`` or ``["w", "b"]`` as a tuple of names (None stays None)."""
    if value is None:
        return None
    if isinstance(value, str):
        return tuple(v for v in value.replace(",", " ").split() if v)
    return tuple(value)


def floats(value):
    if isinstance(value, Fraction):
        return float(value)
    if isinstance(value, tuple | list) and value and not isinstance(value[0], float | int):
        return [floats(v) for v in value]
    return value


def full(x, batch: int, shape) -> np.ndarray:
    target = (batch, *shape)
    if x is None:
        return np.zeros(target)
    a = np.asarray(x, dtype=np.float64)
    if a.shape == target:
        return a
    return np.array(np.broadcast_to(a, target))


def batch_axes(arrays) -> tuple[bool, ...]:
    """Which prepared input arrays carry a batch axis (the others hold one
    value shared by every point)."""
    return tuple(a.shape[0] != 1 for a in arrays)


def point_mask(x, batch: int) -> np.ndarray:
    a = np.asarray(x, dtype=np.float64)
    f = np.isfinite(a)
    if a.ndim > 1:
        f = f.all(axis=tuple(range(1, a.ndim)))
    return np.broadcast_to(f, (batch,))


def all_of(masks) -> np.ndarray | bool:
    out = True
    for m in masks:
        out = out & m
    return out


def all_finite(values: dict, grads: dict) -> bool:
    arrays = list(values.values()) + [g for row in grads.values() for g in row.values()]
    return all(np.isfinite(a).all() for a in arrays)


def prepare(values: Mapping, inputs: tuple[str, ...], shapes: dict, decl_span
            ) -> tuple[list[np.ndarray], int]:
    """The input values as float64 arrays with a leading batch axis (one
    point: size 1), checked against the declared shapes, and the batch size."""
    arrays, batch = [], 1
    for name in inputs:
        if name not in values:
            raise EvaluationError(
                f"no value for input {name!r}", decl_span(name),
                hint=f"give a value for {name}, e.g. --at {name}=1 or @at {name}=1")
        shape = shapes[name]
        try:
            a = np.asarray(floats(values[name]), dtype=np.float64)
        except (TypeError, ValueError):
            raise EvaluationError(f"the value of {name!r} is not a number or array",
                                  decl_span(name)) from None
        if a.shape == shape:
            a = a.reshape((1, *shape))
        elif a.shape[1:] != shape or a.ndim == 0:
            raise EvaluationError(
                f"the value of {name!r} has shape {list(a.shape)}; {name} is "
                f"{show_shape(shape)} per point (or [B, ...] for a batch)",
                decl_span(name))
        if a.shape[0] != 1:
            if batch not in (1, a.shape[0]):
                raise EvaluationError(f"batch sizes differ: {batch} and {a.shape[0]} "
                                      f"(for {name!r})", decl_span(name))
            batch = a.shape[0]
        arrays.append(a)
    for name, a in zip(inputs, arrays, strict=True):
        check_elements(f"input {name!r}", a.shape[0], a.size // max(1, a.shape[0]))
    return arrays, batch


def check_elements(what: str, rows: int, per_row: int) -> None:
    """LimitError when one tensor a call would materialise, ``rows`` points
    of ``per_row`` elements, passes the per-tensor limit."""
    if rows * per_row > MAX_TENSOR_ELEMENTS:
        raise LimitError(f"{what} would hold {rows} x {per_row} elements, past the limit of "
                         f"{MAX_TENSOR_ELEMENTS} elements per tensor",
                         hint="send fewer points per call")
