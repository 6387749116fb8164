"""Lowering a program to a tape.

A :class:`Tape` is the program's DAG flattened into *slots* in topological
order: every distinct node once (hash-consing already merged shared
sub-expressions, and names of assignments resolve to the slot of their
value), with its per-point shape and the place it was written.  Textbook
spellings are replaced by their numerically stable primitive on the way
(``rules.stable_form``), constants are folded with IEEE semantics, and
shapes are checked, so a shape mismatch is a :class:`ShapeError` at its
place before any kernel exists.  :mod:`.emit` writes code from a tape;
:func:`infer` and :func:`node_shapes` read the shapes off it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from fractions import Fraction

import numpy as np
from chainlens.engine import rules
from chainlens.engine.core.limits import MAX_NODES
from chainlens.engine.core.nodes import Node, sym
from chainlens.engine.core.source import EvaluationError, LimitError, ShapeError, Span
from chainlens.engine.core.walk import postorder
from chainlens.engine.numeric.shapes import result_shape

__all__ = ["Slot", "Tape", "lower", "infer", "node_shapes", "const_float"]


@dataclass(frozen=True)
class Slot:
    """One value of the tape.  ``op`` is ``input``, ``const`` or a rule."""

    op: str
    args: tuple[int, ...]
    shape: tuple[int, ...]
    node: Node
    origin: Node  # the node as the user wrote it (before stable rewriting)
    owner: str | None  # the assignment whose lowering created this slot
    value: object = None  # input name, or the constant (float)
    exact: Fraction | None = None  # the constant when it is rational


@dataclass(frozen=True)
class Tape:
    slots: tuple[Slot, ...]
    inputs: dict[str, int]  # input name -> slot, sorted by name
    names: dict[str, int]  # assignment name -> slot
    outputs: tuple[int, ...]
    output_names: tuple[str, ...]
    key: str  # the normalised IR: equal keys generate equal code

    def span(self, program, k: int) -> Span | None:
        """Where slot ``k`` was written: its node's span, else its assignment's."""
        slot = self.slots[k]
        if program is None:
            return None
        for node in (slot.origin, slot.node):
            found = program.span_of(node)
            if found is not None:
                return found
        if slot.owner is not None:
            try:
                return program.assignment(slot.owner).expr_span
            except KeyError:
                return None
        return None


def const_float(value: Fraction) -> float:
    """An exact constant as a float, saturating to ±inf beyond float64."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _fold(op: str, args: list[Slot]) -> float | None:
    """The value of an element-wise primitive of constants, with IEEE
    semantics (``1/0`` is inf, ``log(-1)`` NaN), so generated code never
    holds a Python expression such as ``1.0 / 0.0`` that raises."""
    rule = rules.RULES.get(op)
    if rule is None or rule.kind != "elementwise" or not args:
        return None
    if any(a.op != "const" or a.shape != () for a in args):
        return None
    with np.errstate(all="ignore"):
        value = rule.forward(*(np.float64(a.value) for a in args))
    return float(np.asarray(value, dtype=np.float64))


def lower(program, outputs=None, keep_names: bool = True) -> Tape:
    """Flatten ``program`` into a :class:`Tape` (shapes checked on the way).

    ``outputs`` are assignment (or input) names; ``keep_names`` keeps every
    assignment on the tape even when no output needs it (for ``keep=True``
    evaluations and shape reports)."""
    decl_shapes = {d.name: tuple(d.shape) for d in program.declarations}
    slots: list[Slot] = []
    memo: dict[Node, int] = {}
    names: dict[str, int] = {}
    inputs: dict[str, int] = {}

    def new(slot: Slot) -> int:
        slots.append(slot)
        if len(slots) > MAX_NODES:
            raise LimitError(f"the program lowers to more than {MAX_NODES} values")
        return len(slots) - 1

    def lower_expr(root: Node, owner: str | None, where: Span | None) -> int:
        for node in postorder(root):
            if node in memo:
                continue
            if node.op == "sym":
                name = node.value
                if name in names:
                    memo[node] = names[name]
                    continue
                if name not in inputs:
                    inputs[name] = new(Slot("input", (), decl_shapes.get(name, ()), node, node,
                                            None, name))
                memo[node] = inputs[name]
            elif node.op == "num":
                memo[node] = new(Slot("const", (), (), node, node, owner,
                                      const_float(node.value), node.value))
            elif node.op == "pi":
                memo[node] = new(Slot("const", (), (), node, node, owner, math.pi))
            else:
                stable = rules.stable_form(node)
                if stable is not None:
                    k = lower_expr(stable, owner, where)
                    slots[k] = replace(slots[k], origin=node)
                    memo[node] = k
                    continue
                if node.op not in rules.RULES:
                    raise EvaluationError(f"unknown primitive {node.op!r}", where)
                args = tuple(memo[a] for a in node.args)
                folded = _fold(node.op, [slots[a] for a in args])
                if folded is not None:
                    memo[node] = new(Slot("const", (), (), node, node, owner, folded))
                    continue
                try:
                    shape = result_shape(node.op, tuple(slots[a].shape for a in args))
                except ValueError as exc:
                    raise ShapeError(str(exc), program.span_of(node) or where) from None
                memo[node] = new(Slot(node.op, args, shape, node, node, owner))
        return memo[root]

    for a in program.assignments:
        names[a.name] = lower_expr(a.expr, a.name, a.expr_span)
    for d in program.declarations:  # declared but unused inputs are still inputs
        if d.name not in names and d.name not in inputs:
            inputs[d.name] = new(Slot("input", (), tuple(d.shape), sym(d.name), sym(d.name),
                                      None, d.name))

    wanted = tuple(outputs) if outputs else tuple(program.outputs)
    if not wanted and program.assignments:
        wanted = (program.assignments[-1].name,)
    out_slots, out_names = [], []
    for name in wanted:
        resolved = _resolve(program, name, names, inputs)
        out_slots.append(names.get(resolved, inputs.get(resolved)))
        out_names.append(resolved)
    return _compact(slots, inputs, names, tuple(out_slots), tuple(out_names), keep_names)


def _resolve(program, name: str, names, inputs) -> str:
    if name in names or name in inputs:
        return name
    try:
        return program.latest(name)
    except KeyError:
        known = ", ".join(sorted(names)) or "none"
        raise EvaluationError(f"unknown output {name!r}", None,
                              expected=(f"one of the program's names ({known})",)) from None


def _compact(slots, inputs, names, outputs, out_names, keep_names) -> Tape:
    """Drop slots no output (or kept name) needs, renumber, key the result."""
    live = [False] * len(slots)
    stack = list(outputs) + list(inputs.values())
    if keep_names:
        stack += list(names.values())
    while stack:
        k = stack.pop()
        if not live[k]:
            live[k] = True
            stack.extend(slots[k].args)
    new_index, kept = {}, []
    for k, slot in enumerate(slots):
        if live[k]:
            new_index[k] = len(kept)
            kept.append(replace(slot, args=tuple(new_index[a] for a in slot.args)))
    inputs = {n: new_index[k] for n, k in sorted(inputs.items())}
    names = {n: new_index[k] for n, k in names.items() if k in new_index}
    outputs = tuple(new_index[k] for k in outputs)
    parts = [f"{s.op}{s.args}{s.shape}{s.value!r}" for s in kept]
    key = "|".join(parts) + f"#in{sorted(inputs.items())}#out{outputs}"
    return Tape(tuple(kept), inputs, names, outputs, out_names, key)


def infer(program) -> Mapping[str, tuple[int, ...]]:
    """Per-point shape of every input and assignment of ``program``
    (raises :class:`~chainlens.engine.core.source.ShapeError` at the place)."""
    tape = lower(program, outputs=program.outputs or None, keep_names=True)
    out = {name: tape.slots[s].shape for name, s in tape.inputs.items()}
    out.update({name: tape.slots[s].shape for name, s in tape.names.items()})
    return out


def node_shapes(program) -> dict[Node, tuple[int, ...]] | None:
    """Per-point shape of every node of the program as written (None when
    it declares no tensor: then everything is a scalar).  Unlike the tape,
    this includes the nodes of textbook forms the tape rewrites."""
    if not any(d.shape for d in program.declarations):
        return None
    shapes: dict[Node, tuple[int, ...]] = {sym(n): tuple(s) for n, s in infer(program).items()}
    for a in program.assignments:
        for node in postorder(a.expr):
            if node in shapes:
                continue
            if not node.args:
                shapes[node] = ()
            else:
                shapes[node] = tuple(result_shape(node.op, tuple(shapes[c] for c in node.args)))
    return shapes
