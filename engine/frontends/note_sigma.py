"""``\\sigma (x-\\mu)^2`` in a note: the sigmoid of (x-μ), squared, or σ times (x-μ)²?

The reader takes ``\\sigma(`` for the sigmoid (machine-learning notes write
``\\sigma(z)`` without defining it).  A statistics note gives σ as a number
instead (``\\sigma^2`` the variance, ``\\sigma > 0``, ``\\sigma = 2``, a Gaussian
with μ and σ) and then ``\\sigma (x-\\mu)^2`` is a product: reading it as the
sigmoid called correct claims wrong (red team R13).  So the sigmoid reading
stands alone only where the note uses σ as a function and never as a number;
where the note gives σ as a number only, the claim is read as a product; where
it does both or neither, the claim has both readings and is judged only when
they agree (:func:`~chainlens.engine.frontends.claims.check_claim`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

__all__ = ["sigma_readings"]

_SIGMA = r"(?:\\sigma(?![A-Za-z])|σ)"
#: σ applied to a bracket, as the reader would take it (the sigmoid).
_APPLIED = re.compile(_SIGMA + r"(\s*)(?=\\left\s*\(|\\bigl?\s*\(|\()")
#: σ given as a number or parameter: a power not applied to a bracket
#: (``\\sigma^2(z)`` is σ(z)²), a comparison, a value, a Gaussian's μ and σ.
_NUMBER_USE = re.compile(
    _SIGMA + r"\s*(?:\^\s*(?:\{\s*2\s*\}|2)(?!\s*(?:\\left\s*)?\()"
    r"|>\s*0|\\gt\s*0|\\geq?\s*0|=\s*-?\d|\\in\s*\\mathbb\s*\{?\s*R)"
    r"|standard deviation|variance|noise scale|\\mathcal\s*\{?\s*N\s*\}?\s*\(\s*\\mu\s*,"
    r"|\\mu\s*,\s*\\sigma|(?:Gaussian|normal distribution)", re.IGNORECASE)
#: σ used as a function: named the sigmoid (logistic), σ', 1 - σ(…) (its
#: derivative's form), σ of one letter
#: (``\\sigma(z)``: a product would be written σz), a power of σ of a bracket
#: (``\\sigma^2(Z)``, as ``\\sin^2 x``).
_OF_LETTER = re.compile(
    _SIGMA + r"\s*(?:\\left\s*)?\(\s*(?:\\[A-Za-z]+|[A-Za-z])(?:_\{?\w+\}?)?\s*(?:\\right\s*)?\)"
    r"|" + _SIGMA + r"\s*\^\s*\{?\s*\d\s*\}?\s*(?:\\left\s*)?\(")
#: σ written as a function in the claim itself: σ', 1 - σ(…), σ^2(…).
_AS_FUNCTION = re.compile(
    _SIGMA + r"\s*'|1\s*-\s*" + _SIGMA + r"\s*(?:\\left\s*)?\(|"  # σ(u)(1 - σ(u))
    + _SIGMA + r"\s*\^\s*\{?\s*\d\s*\}?\s*(?:\\left\s*)?\(")
_FUNCTION_USE = re.compile(r"sigmoid|logistic|activation|" + _AS_FUNCTION.pattern + "|"
                           + _OF_LETTER.pattern, re.IGNORECASE)


def _product(text: str) -> str:
    return _APPLIED.sub(lambda m: m.group(0) + " \\cdot ", text)


@lru_cache(maxsize=8)
def _uses(note: str) -> tuple[bool, bool]:
    """Does the note give σ as a number, and does it use σ as a function? Read
    once per note, not once per claim (a note's claims share it)."""
    return _NUMBER_USE.search(note) is not None, _FUNCTION_USE.search(note) is not None


def sigma_readings(claim, note: str):
    """``claim`` read with σ a number where the note gives σ as one (and never
    as a function), with both readings where it is unsure; unchanged where the
    note uses σ as a function only or the claim applies no σ to a bracket."""
    expr, claimed = claim.expr_read, claim.claimed_read
    if not (_APPLIED.search(expr) or _APPLIED.search(claimed)):
        return claim
    if _AS_FUNCTION.search(expr) or _AS_FUNCTION.search(claimed):
        return claim  # d/dz σ(z) = σ(z)(1 - σ(z)): the claim itself writes σ as a function
    number, function = _uses(note)
    if function and not number:
        return claim
    product = (_product(expr), _product(claimed))
    if number and not function:
        return replace(claim, expr_read=product[0], claimed_read=product[1])
    return replace(claim, readings=(*claim.readings, (expr, claimed), product),
                   question=claim.question or "is σ the sigmoid, or a number times the "
                   "bracket?")
