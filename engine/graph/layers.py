"""Per-layer gradient magnitudes of a ``repeat`` block: the picture of
vanishing gradients (``chainlens graph --layers``), one series per value the
layer assigns, from the numeric kernel's per-name adjoints."""

from __future__ import annotations

import math
from dataclasses import dataclass

from chainlens.engine.core.source import ChainError, EvaluationError
from chainlens.engine.graph.build import first_point, output_label
from chainlens.engine.language.program import Program, display_name
from chainlens.engine.numeric.arrays import as_program
from chainlens.engine.numeric.kernel import compile
from chainlens.engine.numeric.results import magnitude

__all__ = ["LayerGradients", "layer_gradients"]

@dataclass(frozen=True)
class LayerGradients:
    """|∂L/∂v| for the values each layer of a ``repeat`` assigns: one series
    per assignment of the body (``z_k``, ``a``), one entry per layer."""

    output: str
    var: str
    layers: tuple[int, ...]
    series: dict[str, tuple[float, ...]]


def layer_gradients(program: Program | str, at=None, *, output: str | None = None
                    ) -> LayerGradients:
    """The per-layer gradient norms of the first ``repeat`` block at ``at``
    (default: the first ``@at`` point)."""
    program = as_program(program)
    if not program.repeats:
        raise ChainError("there is no `repeat` block: layer norms need a layered program",
                         hint="write the layers as `repeat k in 1..N { ... }`")
    repeat = program.repeats[0]
    if at is None:
        if not program.points:
            raise EvaluationError("no point to evaluate the gradients at", None,
                                  hint="add an `@at` line or pass values")
        at = program.points[0].as_dict()
    kernel = compile(program, outputs=(output,) if output else None)
    evaluation = kernel({n: at[n] for n in kernel.inputs if n in at}, keep=True)
    adjoints = evaluation.adjoints or {}
    first = repeat.layers[0] if repeat.layers else ()
    labels = [_series_label(name, repeat) for name in first]
    series = {
        label: tuple(magnitude(first_point(adjoints[layer[j]]))
                     if j < len(layer) and layer[j] in adjoints else math.nan
                     for layer in repeat.layers)
        for j, label in enumerate(labels)
    }
    return LayerGradients(
        output=output_label(next(iter(evaluation.values))),
        var=repeat.var,
        layers=tuple(range(repeat.start, repeat.start + len(repeat.layers))),
        series=series,
    )


def _series_label(name: str, repeat) -> str:
    """``z_1`` (the first layer's ``z_k``) -> ``z_k``; ``a@2`` -> ``a``."""
    base = display_name(name)
    suffix = f"_{repeat.start}"
    return base[: -len(suffix)] + f"_{repeat.var}" if base.endswith(suffix) else base
