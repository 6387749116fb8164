"""The cost model that picks reverse or forward mode for a Jacobian.

Counted in element operations on the tape: one reverse sweep per output
element visits every operation between the output and the inputs being
differentiated; one forward (JVP) sweep per input element visits every
operation between that input and the outputs.  Many inputs and one loss:
reverse; one input and many outputs: forward.  Shared trunks are what make
the difference (four outputs of one deep trunk: one tangent sweep, four
backward sweeps).
"""

from __future__ import annotations

from chainlens.engine.numeric.backends import ancestors
from chainlens.engine.numeric.shapes import size
from chainlens.engine.numeric.tape import Tape

__all__ = ["costs", "reason"]


#: Largest inputs x tape-length product whose forward-mode cost is counted exactly.
_EXACT_LIMIT = 2_000_000


def costs(tape: Tape, wrt: tuple[int, ...]) -> dict[str, int]:
    """Element operations of the primal pass, of the reverse-mode Jacobian
    (one backward pass per output element) and of the forward-mode one (one
    tangent pass per input element)."""
    slots = tape.slots
    primal = sum(size(s.shape) * max(1, len(s.args) - 1) for s in slots if s.args)
    needs = [False] * len(slots)
    differentiated = set(wrt)  # a tuple's `in` made this loop slots x inputs
    for k, s in enumerate(slots):
        needs[k] = k in differentiated or any(needs[j] for j in s.args)
    reverse = 0
    for o in tape.outputs:
        anc = ancestors(tape, [o])
        per = sum(size(s.shape) * sum(needs[j] for j in s.args)
                  for k, s in enumerate(slots) if anc[k] and s.args)
        reverse += size(slots[o].shape) * per
    wanted = ancestors(tape, tape.outputs)
    forward = 0
    if len(wrt) * len(slots) > _EXACT_LIMIT:
        # Too many inputs to trace each one's sweep: bound every tangent
        # sweep by the whole primal pass (an over-estimate of forward mode).
        return {"primal": primal, "reverse": reverse,
                "forward": primal * sum(size(slots[w].shape) for w in wrt)}
    for w in wrt:
        desc = [False] * len(slots)
        per = 0
        for k, s in enumerate(slots):
            desc[k] = k == w or any(desc[j] for j in s.args)
            if desc[k] and wanted[k] and s.args:
                per += size(s.shape) * sum(desc[j] for j in s.args)
        forward += size(slots[w].shape) * per
    return {"primal": primal, "reverse": reverse, "forward": forward}


def reason(tape: Tape, wrt, costs, mode: str, forced: str | None) -> str:
    n_out = sum(size(tape.slots[o].shape) for o in tape.outputs)
    n_in = sum(size(tape.slots[w].shape) for w in wrt)
    why = (f"{n_out} output element(s) -> reverse mode costs {costs['reverse']} operations; "
           f"{n_in} input element(s) -> forward mode costs {costs['forward']}")
    if forced:
        return f"{mode} mode as requested ({why})"
    return f"{mode} mode is cheaper: {why}"
