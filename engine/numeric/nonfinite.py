"""Where NaN/Inf first appeared: the traced numpy path re-run after a
batch's one ``isfinite`` test failed, naming the first node (forward, then
backward) that turned finite arguments into a non-finite value."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from chainlens.engine.core.source import Span
from chainlens.engine.language.program import Program
from chainlens.engine.numeric.arrays import NOWHERE, all_of, point_mask
from chainlens.engine.numeric.results import NonFinite
from chainlens.engine.numeric.tape import Tape

__all__ = ["locate"]


def locate(tape: Tape, code, program: Program, decl_span: Callable[[str], Span | None],
           arrays, batch: int) -> tuple[NonFinite, ...]:
    """Re-run the traced numpy path and name the first node (forward,
    then backward) that turned finite arguments into NaN/Inf."""
    t = tape
    reports = []

    def report(phase: str, k: int, count: int) -> None:
        reports.append(_report(tape, program, decl_span, phase, k, count))

    with np.errstate(all="ignore"):
        V = code.forward(*arrays)
        ok = [point_mask(V[k], batch) for k in range(len(t.slots))]
        # Per point, the first slot whose arguments were finite and whose
        # value is not: one report per culprit slot.
        explained = np.zeros(batch, dtype=bool)
        for k, slot in enumerate(t.slots):
            if slot.op == "const":
                # A constant folded to inf/NaN (``1/0``) is its own origin.
                if not math.isfinite(slot.value) and (~explained).any():
                    report("forward", k, int((~explained).sum()))
                    explained[:] = True
                continue
            fresh = ~ok[k] & all_of(ok[j] for j in slot.args) & ~explained
            if fresh.any():
                phase = "input" if slot.op == "input" else "forward"
                report(phase, k, int(fresh.sum()))
                explained |= fresh
        for n, o in enumerate(t.outputs):
            oshape = t.slots[o].shape
            seed = 1.0 if oshape == () else np.ones((1, *oshape))
            _, adj, contributions = code.traced[n](V, seed)
            for k, _arg, c in contributions:
                prior = all_of([ok[k], point_mask(adj[k], batch),
                                *(ok[a] for a in t.slots[k].args)])
                fresh = ~point_mask(c, batch) & prior & ~explained
                if fresh.any():
                    report("backward", k, int(fresh.sum()))
                    explained |= fresh
    return tuple(reports)


def _report(tape: Tape, program: Program, decl_span, phase: str, k: int,
            count: int) -> NonFinite:
    slot = tape.slots[k]
    op = slot.node.op if slot.op == "const" else slot.op  # a folded constant's op
    name = slot.value if slot.op == "input" else slot.owner
    span = decl_span(name) if slot.op == "input" else tape.span(program, k)
    return NonFinite(phase, op, name, None if span == NOWHERE else span, count)
