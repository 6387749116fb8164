"""Measured gradient health: |∂L/∂v| at real points, for every named value.

The static bounds say what *can* happen over whole ranges; this module
says what *does* happen at the program's ``@at`` points (or at seeded
samples from the declared/assumed ranges): one batched forward pass and
one reverse pass, keeping the value and the adjoint of every assignment,
so a 50-layer repeat yields the gradient magnitude of each layer.

The compiled kernel (:mod:`chainlens.engine.numeric.kernel`) does all of it:
its ``keep=True`` evaluation gives every name's value and adjoint, and an
activation's slope |f'(u)| is the rules table's partial, compiled as one more
output of the same program.  Nothing here evaluates the IR itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fractions import Fraction

import numpy as np
from chainlens.engine.core.limits import MAX_TENSOR_ELEMENTS
from chainlens.engine.core.nodes import Node
from chainlens.engine.core.source import ChainError, EvaluationError, LimitError
from chainlens.engine.health.init import LAW, draw
from chainlens.engine.language.program import Assignment, Program
from chainlens.engine.numeric.arrays import NOWHERE
from chainlens.engine.numeric.kernel import compile as compile_kernel
from chainlens.engine.numeric.results import magnitudes
from chainlens.engine.rules import RULES, partials


@dataclass(frozen=True)
class Run:
    """Values and adjoints (∂output/∂name) of every name, batch axis first."""

    values: dict[str, np.ndarray]
    adjoints: dict[str, np.ndarray]
    #: where NaN/Inf first appeared, when the kernel located it:
    #: (phase, op, span, number of points)
    nonfinite: tuple = ()


def points_batch(program: Program, ranges: dict[str, tuple[float, float]],
                 samples: int, seed: int) -> tuple[dict[str, np.ndarray], str]:
    """The batch of input values to measure at: the ``@at`` points (missing
    inputs filled from seeded samples), else ``samples`` seeded points drawn
    uniformly from the ranges (a parameter the file re-initialises, from its
    law: :func:`~chainlens.engine.health.init.draw`).  Returns the values
    and where they came from."""
    rng = np.random.default_rng(seed)
    inputs = program.inputs
    shapes = {d.name: tuple(d.shape) for d in program.declarations}
    if program.points:
        n = len(program.points)
        rows = [p.as_dict() for p in program.points]
        source = "at"
    else:
        n, rows, source = samples, [], "sampled"
    biggest = max((math.prod(shapes.get(name, ())) for name in inputs), default=1)
    if n * biggest > MAX_TENSOR_ELEMENTS:
        # each point copies every tensor: 16 points of a tensor near the
        # per-tensor limit would need gigabytes before the kernel could say no
        raise LimitError(f"{n} points x {biggest} elements exceeds the limit of "
                         f"{MAX_TENSOR_ELEMENTS} elements per tensor",
                         hint="measure at fewer points (--samples) or give one @at point")
    out: dict[str, np.ndarray] = {}
    laws = {d.name: d.init for d in program.declarations if d.init and d.init.startswith(LAW)}
    for name in inputs:
        shape = shapes.get(name, ())
        lo, hi = ranges.get(name, (-1.0, 1.0))
        if name in laws:  # the file's own nn.init.*_: its law, not a uniform stand-in
            drawn = np.asarray(draw(laws[name], lo, hi, (n, *shape), rng), dtype=np.float64)
        else:
            drawn = rng.uniform(lo, hi, size=(n, *shape))
        for i, v in enumerate(r.get(name) for r in rows):
            if v is None:
                continue
            try:
                drawn[i] = np.broadcast_to(_as_array(v), shape)
            except (ValueError, TypeError):
                raise EvaluationError(f"the value of {name} does not fit its shape "
                                      f"{list(shape)}", program.points[i].span) from None
        out[name] = drawn.astype(np.float64)
    return out, source


def _as_array(value) -> np.ndarray:
    if isinstance(value, (tuple, list)):
        return np.asarray([_as_array(v) for v in value], dtype=np.float64)
    if isinstance(value, Fraction):
        return np.asarray(float(value))
    return np.asarray(value, dtype=np.float64)


def run(program: Program, output: str, values: dict[str, np.ndarray]) -> Run:
    """Forward and reverse pass keeping every name's value and adjoint.

    The kernel is the one :func:`~chainlens.engine.numeric.kernel.evaluate`
    compiles for the program when that gives the same adjoints (the output
    is the first, and no ``@wrt`` narrows the gradients whose NaN/∞ the
    kernel locates): the editor's point values and the report share it."""
    first = program.outputs[0] if program.outputs else None
    try:
        if output == first and not program.wrt:
            kernel = compile_kernel(program)
        else:
            kernel = compile_kernel(program, wrt=program.inputs, outputs=(output,))
        ev = kernel(values, keep=True)
    except ChainError:  # the program's fault (shapes, values): say so
        raise
    except (ValueError, TypeError, KeyError, IndexError, ArithmeticError) as exc:
        raise EvaluationError(f"cannot evaluate the program: {exc}") from None
    node_values = dict(ev.node_values)
    node_values.setdefault(output, ev.values[output])
    adjoints = dict(ev.adjoints)
    for name, grad in dict(ev.gradients.get(output, {})).items():
        adjoints.setdefault(name, np.asarray(grad))
    node_values.update({k: v for k, v in values.items() if k not in node_values})
    located = tuple((nf.phase, nf.op, nf.span, nf.count) for nf in ev.nonfinite)
    return Run(node_values, adjoints, located)


def typical(arr: np.ndarray, batch: int) -> float:
    """The median over points of |v|: one number a person can compare."""
    mags = magnitudes(arr, batch)
    if not mags.size:
        return math.nan
    # np.median's overhead is most of the cost for 4-16 draws, and a model
    # asks this of thousands of names: the middle of the sorted draws
    s = np.sort(mags)
    k = s.size // 2
    if math.isnan(s[-1]):
        return math.nan
    return float(s[k]) if s.size % 2 else float((s[k - 1] + s[k]) / 2)


def saturated_shares(program: Program, values: dict[str, np.ndarray], nodes: list[Node],
                     fraction: float) -> dict[Node, float]:
    """For each saturating activation ``f(u)`` in ``nodes`` (written in the
    program), the share of points where |f'(u)| is below ``fraction`` of its
    supremum.  The slopes are the rules table's partials, compiled as extra
    outputs of the program and run by the kernel at ``values``; an
    activation whose slope cannot be evaluated is left out."""
    shares = _shares(program, values, nodes, fraction)
    if shares is not None:
        return shares
    out = {}
    for node in nodes:  # one at a time: which one could not be evaluated
        one = _shares(program, values, [node], fraction)
        if one is not None:
            out.update(one)
    return out


def _shares(program: Program, values, nodes: list[Node], fraction: float):
    slopes = {f"_slope{i}": node for i, node in enumerate(nodes)}
    extra = tuple(Assignment(name, partials(node)[0], NOWHERE, NOWHERE, NOWHERE)
                  for name, node in slopes.items())
    extended = replace(program, assignments=program.assignments + extra,
                       outputs=tuple(slopes), wrt=(), points=(), _expanded={})
    try:
        kernel = compile_kernel(extended, outputs=tuple(slopes), backend="numpy")
        out = kernel.forward({n: values[n] for n in kernel.inputs})
    except (ChainError, KeyError, ValueError):
        return None
    batch = len(next(iter(values.values()))) if values else 1
    result = {}
    for name, node in slopes.items():
        deriv = magnitudes(np.abs(out[name]), batch)
        result[node] = float(np.mean(deriv < fraction * (RULES[node.op].bound or 1.0)))
    return result
