"""Per-point tensor shapes, inferred before anything runs.

Every value of a program has a *per-point* shape (``()`` for a scalar): the
batch axis that kernels add in front is not part of it.  Inputs take their
shape from ``input``/``param`` declarations (undeclared names are scalars);
element-wise primitives broadcast like numpy; tensor primitives declare their
shape rule in the rules table (``Rule.tensor.shape``).  A mismatch is a
:class:`ShapeError` at the place of the offending operation that names both
shapes, raised while lowering, so no kernel ever runs on shapes that do not
fit.  (:func:`chainlens.engine.numeric.tape.infer` gives the shapes of a
whole program; this module holds the rules, over shapes only.)
"""

from __future__ import annotations

import math

import numpy as np
from chainlens.engine.rules import RULES

__all__ = ["result_shape", "show_shape", "size"]


def size(shape: tuple[int, ...]) -> int:
    """Elements per point of a value of ``shape`` (1 for a scalar)."""
    return math.prod(shape) if shape else 1


def show_shape(shape: tuple[int, ...]) -> str:
    """``[3, 4]``, or ``a scalar`` for ``()``."""
    return "[" + ", ".join(map(str, shape)) + "]" if shape else "a scalar"


def result_shape(op: str, shapes: tuple[tuple[int, ...], ...]) -> tuple[int, ...]:
    """The per-point shape of ``op`` applied to arguments of ``shapes``;
    ValueError (with the words to show) when they do not fit."""
    rule = RULES[op]
    if rule.kind == "tensor":
        return tuple(rule.tensor.shape(*shapes))
    if all(s == shapes[0] for s in shapes):
        return shapes[0]
    try:
        return tuple(np.broadcast_shapes(*shapes))
    except ValueError:
        name = rule.notation.text
        raise ValueError(
            f"{name} cannot broadcast " + " with ".join(show_shape(s) for s in shapes)
        ) from None
