"""``±`` in a note's claim: ``r = \\pm\\sqrt{3V/(\\pi h)}``, ``(x^2 \\pm x)' = 2x \\pm 1``.

A claim written with ``\\pm`` (``\\mp``) states two claims, one per sign, with
the signs chosen alike on both sides (``\\mp`` the other way).  The claim is
read with ``+`` and the other sign is its second reading
(:func:`~chainlens.engine.frontends.claims.check_claim` judges a claim with
readings only when every reading gets the same verdict): correct when both
signs are, wrong only when it is wrong for every choice of the signs (also
chosen apart on each side, as notes write ``r = ±√…``, ``dr/dh = ±…``), else
"not checked".
"""

from __future__ import annotations

import re
from dataclasses import replace

__all__ = ["signed_readings"]

_PM = re.compile(r"\\pm(?![A-Za-z])|±")
_MP = re.compile(r"\\mp(?![A-Za-z])|∓")


def _signed(text: str, sign: str) -> str:
    other = "-" if sign == "+" else "+"
    return _MP.sub(f" {other} ", _PM.sub(f" {sign} ", text))


def signed_readings(claim):
    """The claim read with ``+`` for ``±``, its other sign as a reading; the
    claim unchanged when it has no ``±``."""
    texts = (claim.expr_read, claim.claimed_read)
    if not any(_PM.search(t) or _MP.search(t) for t in texts):
        return claim
    if not (_PM.search(texts[0]) or _MP.search(texts[0])) and (claim.at or not re.search(
            r"[A-Za-z]", re.sub(r"\\(?:pm|mp|cdot|times|frac)(?![A-Za-z])", "", texts[1]))):
        # f'(2) = 4.0 \pm 0.1: a value with its error bar, not two signs of a formula
        return replace(claim, reason="a value with ± (an error bar) is not checked")
    plus = tuple(_signed(t, "+") for t in texts)
    minus = tuple(_signed(t, "-") for t in texts)
    # notes also write ± for "either sign" on each side (r = ±√…, dr/dh = ±…): a claim
    # right with the signs chosen apart is never wrong
    why = "± may take its sign on each side apart; the claim is right so"
    apart = ((plus[0], minus[1], why), (minus[0], plus[1], why))
    return replace(claim, expr_read=plus[0], claimed_read=plus[1], readings=(plus, minus),
                   question="± is read with each sign", rescues=claim.rescues + apart)
