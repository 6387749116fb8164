"""Names that are compositions of primitives, not primitives of their own.

``square(x)`` is ``x^2`` and ``reciprocal(x)`` is ``x^-1``: parsers accept
these spellings (numpy and torch have them) and build the composition with
the IR's constructors, so ``np.square(x)`` and ``x**2`` are one node.  Both
the ``.chain`` parser and the Python reader read this one table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from chainlens.engine.core.ir import power
from chainlens.engine.core.nodes import NEG_ONE, Node, num

__all__ = ["Composition", "COMPOSITIONS"]


@dataclass(frozen=True)
class Composition:
    name: str
    arity: int
    build: Callable[..., Node]


COMPOSITIONS: dict[str, Composition] = {c.name: c for c in (
    Composition("pow", 2, power),
    Composition("power", 2, power),
    Composition("square", 1, lambda x: power(x, num(2))),
    Composition("reciprocal", 1, lambda x: power(x, NEG_ONE)),
    Composition("exp2", 1, lambda x: power(num(2), x)),
    Composition("rsqrt", 1, lambda x: power(x, num(Fraction(-1, 2)))),
)}
