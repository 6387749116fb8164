"""The statements that give values rather than compute them: declarations
(``input W[3,3] in [-1, 1]``), ``@at`` points, tensor literals and the
constants in them.

A middle layer of the statement lowering in :mod:`.reader`: it sits on the
expression lowering (:class:`~.exprs.ExpressionLowering`), so a constant may
be any closed expression (``pi/4``, ``exp(-1)``), and the reader's statement
pass sits on it.  Constants stay exact rationals when they can, but every
consumer computes in float64, so a value past its range is an error here,
at its place, rather than an overflow far from it.
"""

from __future__ import annotations

import difflib
import math
import sys
from fractions import Fraction

from chainlens.engine.core import nodes, walk
from chainlens.engine.core.limits import MAX_TENSOR_ELEMENTS
from chainlens.engine.core.source import LimitError
from chainlens.engine.language.exprs import ExpressionLowering, evaluate_constant
from chainlens.engine.language.program import Declaration, Point
from chainlens.engine.language.syntax_tree import Syn

__all__ = ["DeclarationLowering"]

#: The largest finite float64: @at values and ranges are exact Fractions,
#: and every consumer computes with them as floats.
_FLOAT_MAX = Fraction(sys.float_info.max)


class DeclarationLowering(ExpressionLowering):
    """Declarations, points and constants; the statement state it reads
    (``env``, ``declared``, ``assigned_at``, ``layer``) is set up by the
    reader's lowering."""

    def _computed_hint(self, name):
        where = self.assigned_at.get(name)
        if where is not None:
            return f"'{name}' is computed by the program (line {where.line})"
        return None

    def declare(self, st: Syn) -> None:
        role, (raw, s, e), shape = st.val
        name = self.plain_name(raw, s, e)
        if name in self.env:
            raise self.error(f"'{name}' is already assigned (line "
                             f"{self.assigned_at[name].line}); declare it before use",
                             s, e)
        if name in self.declared and self.layer is None:
            raise self.error(f"'{name}' is declared twice", s, e)
        for d in shape:
            if d <= 0:
                raise self.error("tensor dimensions must be positive", st.start, st.end)
        if math.prod(shape) > MAX_TENSOR_ELEMENTS:
            raise self.error(f"'{name}' has {math.prod(shape)} elements; the limit is "
                             f"{MAX_TENSOR_ELEMENTS} per tensor", st.start, st.end,
                             cls=LimitError)
        rng = None
        if st.kids:
            lo_s, hi_s = st.kids[0].kids
            lo, hi = self.constant(lo_s), self.constant(hi_s)
            if not all(isinstance(v, Fraction) for v in (lo, hi)):
                lo, hi = Fraction(float(lo)), Fraction(float(hi))
            if lo > hi:
                raise self.error("the range's lower end is above its upper end",
                                 st.kids[0].start, st.kids[0].end)
            rng = (lo, hi)
        decl = Declaration(name, role, tuple(shape), self.span(st), rng, self.layer)
        self.declared[name] = decl
        self.declarations.append(decl)
        self.mark(nodes.sym(name), Syn("name", s, e))

    def point(self, st: Syn, inputs: set[str]) -> Point:
        values = []
        seen = set()
        for b in st.kids:
            raw, s, e = b.val
            name = self.plain_name(raw, s, e)
            if name in seen:
                raise self.error(f"@at gives '{name}' twice", s, e)
            seen.add(name)
            if name not in inputs:
                hint = self._computed_hint(name)
                if hint is None:
                    close = difflib.get_close_matches(name, sorted(inputs), n=1)
                    hint = f"did you mean '{close[0]}'?" if close else None
                raise self.error(f"@at {name}: '{name}' is not an input of the program",
                                 s, e, expected=tuple(sorted(inputs))[:8], hint=hint)
            values.append((name, self.value(b.kids[0])))
        return Point(tuple(values), self.span(st))

    def value(self, s: Syn):
        if s.kind == "tensor":
            items = tuple(self.value(k) for k in s.kids)
            kinds = {isinstance(i, tuple) and len(i) for i in items}
            if len(kinds) > 1:
                raise self.error("tensor rows must all have the same length", s.start, s.end)
            return items
        return self.constant(s)

    def constant(self, s: Syn):
        """A constant written in @at or a range: exact when rational, else a float."""
        node = self.expr(s)
        if node.op == "num":
            # kept exact, but every consumer computes in float64: a value
            # beyond its range (1e999) would overflow far from this line
            if abs(node.value) > _FLOAT_MAX:
                raise self.error("this value is beyond the float64 range (about ±1.8e308)",
                                 s.start, s.end)
            return node.value
        if walk.free_symbols(node):
            raise self.error("a value must be a constant (numbers, pi, e, functions of them)",
                             s.start, s.end, expected=("a number",))
        try:
            value = evaluate_constant(node)
        except (TypeError, ValueError, KeyError, ArithmeticError):
            value = math.nan
        if not math.isfinite(value):
            raise self.error("this value is not a finite number", s.start, s.end)
        return value
