"""Measured gradient health: |∂L/∂v| at real points, for every named value.

The static bounds say what *can* happen over whole ranges; this module
says what *does* happen at the program's ``@at`` points (or at seeded
samples from the declared/assumed ranges): one batched forward pass and
one reverse pass, keeping the value and the adjoint of every assignment,
so a 50-layer repeat yields the gradient magnitude of each layer.

The numeric kernels (:mod:`chainlens.engine.numeric.kernel`) do the work when they
can keep per-name adjoints; otherwise the same reverse accumulation runs
here over the program's assignments, each local derivative being the rules
table's partial (``rules.partials``) evaluated with the table's numpy
forwards - still the one table of rules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from chainlens.engine.core.limits import MAX_TENSOR_ELEMENTS
from chainlens.engine.core.nodes import Node, sym
from chainlens.engine.core.source import ChainError, EvaluationError, LimitError
from chainlens.engine.core.walk import postorder
from chainlens.engine.language.program import Program
from chainlens.engine.numeric.kernel import compile as compile_kernel
from chainlens.engine.numeric.results import magnitudes
from chainlens.engine.rules import RULES, partials


@dataclass(frozen=True)
class Run:
    """Values and adjoints (∂output/∂name) of every name, batch axis first."""

    values: dict[str, np.ndarray]
    adjoints: dict[str, np.ndarray]
    engine: str  # "kernel" (numeric module) or "reference" (this module)
    #: where NaN/Inf first appeared, when the kernel located it:
    #: (phase, op, span, number of points)
    nonfinite: tuple = ()


def points_batch(program: Program, ranges: dict[str, tuple[float, float]],
                 samples: int, seed: int) -> tuple[dict[str, np.ndarray], str]:
    """The batch of input values to measure at: the ``@at`` points (missing
    inputs filled from seeded samples), else ``samples`` seeded points drawn
    uniformly from the ranges.  Returns the values and where they came from."""
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
    for name in inputs:
        shape = shapes.get(name, ())
        lo, hi = ranges.get(name, (-1.0, 1.0))
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
    """Forward and reverse pass keeping every name's value and adjoint."""
    kernel_run = _run_kernel(program, output, values)
    if kernel_run is not None:
        return kernel_run
    try:
        return _run_reference(program, output, values)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise EvaluationError(f"cannot evaluate the program: {exc}") from None


def _run_kernel(program: Program, output: str, values: dict[str, np.ndarray]) -> Run | None:
    try:
        kernel = compile_kernel(program, wrt=program.inputs, outputs=(output,))
        ev = kernel(values, keep=True)
        node_values = dict(ev.node_values)
        adjoints = dict(ev.adjoints)
    except ChainError:  # the program's fault (shapes, values): say so
        raise
    except Exception:  # noqa: BLE001 - a kernel limitation: measure here instead
        return None
    if output not in node_values:
        return None
    for name, grad in dict(getattr(ev, "gradients", {}) or {}).items():
        adjoints.setdefault(name, np.asarray(grad))
    node_values.update({k: v for k, v in values.items() if k not in node_values})
    located = tuple((nf.phase, nf.op, nf.span, nf.count)
                    for nf in getattr(ev, "nonfinite", ()) or ())
    return Run(node_values, adjoints, "kernel", located)


def _evaluate(node: Node, memo: dict[Node, np.ndarray]) -> np.ndarray:
    for n in postorder(node):
        if n in memo:
            continue
        op = n.op
        if op == "num":
            out = np.float64(n.value)
        elif op == "pi":
            out = np.float64(math.pi)
        elif op == "sym":
            raise EvaluationError(f"no value for {n.value!r}")
        else:
            args = [memo[a] for a in n.args]
            if op == "add":
                out = sum(args[1:], args[0])
            elif op == "mul":
                out = args[0]
                for a in args[1:]:
                    out = out * a
            elif op == "pow":
                out = np.power(np.asarray(args[0], dtype=np.float64), args[1])
            else:
                out = RULES[op].forward(*args)
        memo[n] = out
    return memo[node]


def _unbroadcast(grad: np.ndarray, like) -> np.ndarray:
    """Sum ``grad`` over the axes along which ``like`` was broadcast."""
    shape = np.shape(like)
    grad = np.asarray(grad)
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


def _run_reference(program: Program, output: str, values: dict[str, np.ndarray]) -> Run:
    memo: dict[Node, np.ndarray] = {sym(k): v for k, v in values.items()}
    named: dict[str, np.ndarray] = dict(values)
    stop = program.names.index(output)
    assignments = program.assignments[: stop + 1]
    with np.errstate(all="ignore"):
        for a in assignments:
            named[a.name] = memo[sym(a.name)] = _evaluate(a.expr, memo)
        batch = next(iter(values.values())).shape[0] if values else 1
        adj: dict[str, np.ndarray] = {output: np.ones(batch)}
        for a in reversed(assignments):
            if a.name not in adj:
                continue
            local = {a.expr: adj[a.name]}
            order = postorder(a.expr)
            for node in reversed(order):
                if node not in local or not node.args or node.op == "sym":
                    continue
                g = local[node]
                rule = RULES[node.op]
                if rule.partial is None:
                    grads = rule.tensor.vjp(g, memo[node], *(memo[c] for c in node.args))
                else:
                    grads = [g * _evaluate(p, memo) for p in partials(node)]
                for child, gc in zip(node.args, grads, strict=True):
                    if child.op in ("num", "pi"):
                        continue
                    gc = _unbroadcast(gc, memo[child])
                    local[child] = local[child] + gc if child in local else gc
            for node in order:
                if node.op == "sym" and node in local:
                    name = node.value
                    adj[name] = adj[name] + local[node] if name in adj else local[node]
    return Run(named, adj, "reference")


def typical(arr: np.ndarray, batch: int) -> float:
    """The median over points of |v|: one number a person can compare."""
    mags = magnitudes(arr, batch)
    return float(np.median(mags)) if mags.size else math.nan


def saturated_share(program: Program, values: dict[str, np.ndarray], node: Node,
                    memo: dict[Node, np.ndarray], fraction: float) -> float:
    """Share of points where the saturating activation ``node`` has
    |f'(u)| below ``fraction`` of its supremum."""
    rule = RULES[node.op]
    with np.errstate(all="ignore"):
        deriv = np.abs(_evaluate(partials(node)[0], memo))
    batch = len(next(iter(values.values()))) if values else 1
    deriv = magnitudes(deriv, batch)
    return float(np.mean(deriv < fraction * (rule.bound or 1.0)))


def memo_for(run: Run) -> dict[Node, np.ndarray]:
    """Evaluation cache seeded with every named value (for partials)."""
    return {sym(k): np.asarray(v) for k, v in run.values.items()}
