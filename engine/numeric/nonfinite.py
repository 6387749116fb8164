"""Where NaN/Inf first appeared: the traced numpy path re-run after a
batch's one ``isfinite`` test failed, naming the first node (forward, then
backward) that turned finite arguments into a non-finite value."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import numpy as np
from chainlens.engine.core.source import Span
from chainlens.engine.language.program import Program
from chainlens.engine.numeric.arrays import NOWHERE, all_of, point_mask
from chainlens.engine.numeric.results import NonFinite
from chainlens.engine.numeric.tape import Tape

__all__ = ["locate"]

#: A call as written: ``sqrt(``, ``np.sqrt (``, ``\sqrt{`` (the last name).
_CALL = re.compile(r"\s*\\?(?:[A-Za-z_]\w*\.)*([A-Za-z_]\w*)\s*[({]")


def locate(tape: Tape, code, program: Program, decl_span: Callable[[str], Span | None],
           arrays, batch: int, step: int | None = None) -> tuple[NonFinite, ...]:
    """Re-run the traced numpy path and name the first node (forward,
    then backward) that turned finite arguments into NaN/Inf.  With
    ``step`` the batch is traced that many points at a time (memory
    bounded) and each culprit's counts are added up: every point is judged
    on its own, so the reports are the same."""
    found: dict[tuple, list] = {}
    step = max(1, step or batch)
    for start in range(0, batch, step):
        stop = min(start + step, batch)
        part = [a if a.shape[0] == 1 else a[start:stop] for a in arrays]
        for key, phase, k, count in _culprits(tape, code, part, stop - start):
            entry = found.setdefault(key, [phase, k, 0])
            entry[2] += count
    return tuple(_report(tape, program, decl_span, phase, k, count)
                 for _key, (phase, k, count) in sorted(found.items()))


def _culprits(tape: Tape, code, arrays, batch: int) -> list[tuple]:
    """``(order, phase, slot, count)`` per culprit, in report order."""
    t = tape
    reports = []

    def report(key: tuple, phase: str, k: int, count: int) -> None:
        reports.append((key, phase, k, count))

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
                    report((0, k), "forward", k, int((~explained).sum()))
                    explained[:] = True
                continue
            fresh = ~ok[k] & all_of(ok[j] for j in slot.args) & ~explained
            if fresh.any():
                phase = "input" if slot.op == "input" else "forward"
                report((0, k), phase, k, int(fresh.sum()))
                explained |= fresh
        for n, o in enumerate(t.outputs):
            oshape = t.slots[o].shape
            seed = 1.0 if oshape == () else np.ones((1, *oshape))
            _, adj, contributions = code.traced[n](V, seed)
            for i, (k, _arg, c) in enumerate(contributions):
                prior = all_of([ok[k], point_mask(adj[k], batch),
                                *(ok[a] for a in t.slots[k].args)])
                fresh = ~point_mask(c, batch) & prior & ~explained
                if fresh.any():
                    report((1, n, i), "backward", k, int(fresh.sum()))
                    explained |= fresh
    return reports


def _report(tape: Tape, program: Program, decl_span, phase: str, k: int,
            count: int) -> NonFinite:
    slot = tape.slots[k]
    op = slot.node.op if slot.op == "const" else slot.op  # a folded constant's op
    name = slot.value if slot.op == "input" else slot.owner
    span = decl_span(name) if slot.op == "input" else tape.span(program, k)
    span = None if span == NOWHERE else span
    if op == "pow" and span is not None:
        op = _written(program, span) or op
    return NonFinite(phase, op, name, span, count)


def _written(program: Program, span: Span) -> str | None:
    """The function the user called where the IR has ``pow`` (``sqrt(x)`` is
    ``x^(1/2)`` once read): the report names what they wrote (red team
    P2-11: "first produced ... by pow" for ``sqrt(x)`` at 0).  ``x^x`` is no
    call, and stays ``pow``."""
    source = getattr(program, "source", None)
    if not source or not 0 <= span.start < span.end <= len(source):
        return None
    m = _CALL.match(source[span.start:span.end])
    return m.group(1) if m else None
