"""The record of one derivative claim found in a note (:class:`Claim`).

Split out of :mod:`~chainlens.engine.frontends.notes` so that the readers that
find claims (:mod:`~chainlens.engine.frontends.note_chain`) and the readings
applied to them (:mod:`~chainlens.engine.frontends.note_readings`) share it
without importing the module that drives them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Claim", "WINDOW"]

#: A definition this far (in characters) before a claim no longer binds it.
WINDOW = 2500


@dataclass(frozen=True)
class Claim:
    """``d^order/d<wrt>^order expr = claimed``.  ``expr`` and ``claimed`` are
    the note's words; ``expr_read`` and ``claimed_read`` the texts the engine
    reads (macros expanded, TeX's conventions made explicit, see
    :mod:`chainlens.engine.frontends.latex_text`); offsets point into the note.
    ``wrt`` is None when the note does not
    say (``(…)'``).  ``definition`` names the defined function a claim like
    ``f'(x) = …`` is about.  ``reason`` is set when the claim cannot mean
    one thing (it is then never called wrong)."""

    expr: str
    wrt: str | None
    claimed: str
    claimed_start: int
    claimed_end: int
    lhs_start: int
    lhs_end: int
    expr_start: int | None = None
    expr_end: int | None = None
    definition: str | None = None
    order: int = 1
    reason: str | None = None
    step: int = 1
    #: what the engine reads (``expr``/``claimed`` are the note's own words)
    expr_read: str = ""
    claimed_read: str = ""
    #: a partial derivative: the other variables are held fixed
    partial: bool = False
    #: bodies of the note's other definitions by the same variable: a claim
    #: ``f'(x) = …`` that is f' evaluated at one of them is not called wrong
    inner: tuple[str, ...] = ()
    #: a mixed partial (``f_{xy}``): the variables differentiated by before ``wrt``
    first: tuple[str, ...] = ()
    #: bodies of the other definitions of ``definition`` nearby: the claim is
    #: wrong only if it is wrong for each (see :class:`Definition`)
    alternatives: tuple[str, ...] = ()
    #: another reading of an ambiguous text (``\\sin \\pi/2``: sin(π)/2 or sin(π/2)):
    #: ``(expr_read, claimed_read)``; the verdict stands only when every reading agrees
    readings: tuple[tuple[str, str], ...] = ()
    #: what is ambiguous, when ``readings`` is set
    question: str | None = None
    #: ``f'(1) = 3``: the claim is the derivative's value at this number
    at: str | None = None
    #: the sentence makes such a value a hypothesis or a question ("Suppose f'(3) = 5")
    hypothesis: bool = False
    #: the words around may make ``f'(x) = 0`` an equation or a value at a
    #: point ("where", "at x = 2", "\\Rightarrow", "?", an evaluation bar)
    equation: bool = False
    #: the domain the note states the claim on ("for $x > 0$"): never wrong then
    condition: str | None = None
    #: ``(expr_read, claimed_read, why)``: another convention (``\\log`` as log₁₀);
    #: a claim right under one of them is not called wrong
    rescues: tuple[tuple, ...] = ()  # (…, why, right when it holds?)
    #: written in plain text (no ``$``): a LaTeX fix would not read back there
    plain: bool = False
    #: a looser statement: "words" (an outer chain-rule step in words, which may
    #: include the inner derivative: never wrong), "prose" (a step after prose
    #: that may restate the function: not wrong when it does)
    loose: str | None = None
    #: why the note does not assert the claim (it calls it wrong, asks about it,
    #: or gives it as a premise): never called wrong then
    unasserted: str | None = None
    #: a claim about arbitrary functions (f, g, u', …), read with test functions
    #: (:class:`~chainlens.engine.frontends.note_generic.Generic`)
    generic: object = None
    #: ``expr_read`` is a curve ``F(x, y)`` (``x^2 + y^2 - (25)``) the note gives
    #: implicitly: the claim dy/dx = G(x, y) is checked on the curve, as -F_x/F_y
    implicit: bool = False
