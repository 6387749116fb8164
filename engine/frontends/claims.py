"""Verdicts on the derivative claims of a note.

A claim unit of a :class:`~chainlens.engine.frontends.document.Document`
holds the differentiated expression and the claimed derivative, both parsed;
:func:`check_claim` asks the engine's checker
(:func:`chainlens.engine.symbolic.check.check_derivative`) whether they
agree and keeps what an editor or a linter shows: the verdict, the right
derivative in LaTeX and Unicode, a counterexample as plain JSON.  The
language server's diagnostics and ``chainlens health notes.md`` read the
same verdicts.
"""

from __future__ import annotations

from dataclasses import dataclass

from chainlens.engine.core.source import ChainError
from chainlens.engine.core.walk import free_symbols
from chainlens.engine.frontends.document import Unit
from chainlens.engine.health.fixes import Remedy, TextEdit
from chainlens.engine.health.report import Finding
from chainlens.engine.printing import render
from chainlens.engine.symbolic.check import check_derivative

__all__ = ["ClaimVerdict", "check_claim", "claim_variable", "claim_finding"]


@dataclass(frozen=True)
class ClaimVerdict:
    """``ok`` is None when the claim could not be checked (``note`` says why)."""

    unit: Unit
    wrt: str | None = None
    ok: bool | None = None
    correct_latex: str | None = None
    correct_unicode: str | None = None
    #: ``{"at": {name: value}, "expected": float, "claimed": float}``
    counterexample: dict | None = None
    note: str = ""

    @property
    def claim(self):
        return self.unit.claim

    def message(self) -> str:
        """One line for a diagnostic or a lint report."""
        c = self.claim
        text = f"wrong derivative: d/d{self.wrt} of {c.expr} is not {c.claimed}"
        if self.correct_unicode:
            text += f"; it is {self.correct_unicode}"
        counter = self.counterexample
        if counter:
            point = ", ".join(f"{k} = {_num(v)}" for k, v in (counter.get("at") or {}).items())
            text += (f" (counterexample: at {point} the derivative is "
                     f"{_num(counter.get('expected'))}, the claim gives "
                     f"{_num(counter.get('claimed'))})")
        return text

    def to_dict(self) -> dict:
        c = self.claim
        return {"expr": c.expr, "claimed": c.claimed, "wrt": self.wrt, "ok": self.ok,
                "correct_latex": self.correct_latex, "correct_unicode": self.correct_unicode,
                "counterexample": self.counterexample, "note": self.note,
                "span": self.unit.name_span.to_dict() if self.unit.name_span else None}


def claim_variable(unit: Unit, default: str = "x") -> str:
    """The variable a claim differentiates by: the one it names, else the
    expression's only variable, else ``default``."""
    if unit.claim is not None and unit.claim.wrt:
        return unit.claim.wrt
    names = free_symbols(unit.expr)
    return names[0] if len(names) == 1 else default


def check_claim(unit: Unit, default_variable: str = "x") -> ClaimVerdict:
    """The verdict on one claim unit; engine refusals become a note."""
    wrt = claim_variable(unit, default_variable)
    try:
        verdict = check_derivative(unit.expr, unit.claimed, wrt)
    except ChainError as exc:
        return ClaimVerdict(unit, wrt, note=f"not checked: {exc.message}")
    except (ArithmeticError, ValueError) as exc:  # numbers beyond float (inf - inf)
        return ClaimVerdict(unit, wrt, note=f"not checked: {type(exc).__name__}: {exc}")
    if verdict.equal:
        return ClaimVerdict(unit, wrt, ok=True)
    return ClaimVerdict(unit, wrt, ok=False, counterexample=_counter_dict(verdict),
                        correct_latex=render(verdict.derivative, "latex"),
                        correct_unicode=render(verdict.derivative, "unicode"))


def claim_finding(verdict: ClaimVerdict) -> Finding | None:
    """A wrong claim as a lint finding (kind ``wrong-derivative``, a warning)
    at the claimed expression, its fix the right derivative in LaTeX: what
    the editor underlines, for the command line's reports."""
    if verdict.ok is not False:
        return None
    span = verdict.unit.name_span
    remedies = ()
    if verdict.correct_latex and span is not None:
        remedies = (Remedy("correct-claim", f"Correct the claim to {verdict.correct_latex}",
                           (TextEdit(span, verdict.correct_latex),)),)
    return Finding("wrong-derivative", "warning", verdict.message(), span,
                   names=(verdict.wrt,) if verdict.wrt else (), remedies=remedies)


def _counter_dict(verdict) -> dict | None:
    if not verdict.counterexample:
        return None
    return {"at": {str(k): _plain(v) for k, v in verdict.counterexample},
            "expected": _plain(verdict.expected), "claimed": _plain(verdict.got)}


def _plain(value):
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def _num(value) -> str:
    return f"{value:.6g}" if isinstance(value, float) else str(value)
