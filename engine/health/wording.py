"""How health messages write names and numbers.

Names as every printer shows them (``w_1`` -> ``w₁``, the unnamed output
``f``), magnitudes in two significant digits even far below the float
range (``7.9e-31``), a product of responsible factors as powers
(``0.25⁵⁰ × 3.7``), and the share of points at which an array is not
finite.  One place, so static and measured findings word alike.
"""

from __future__ import annotations

import math
import re

import numpy as np
from chainlens.engine.health.report import Factor
from chainlens.engine.language.program import display_name
from chainlens.engine.printing.names import display_symbol

__all__ = ["output_label", "pretty_name", "short", "sci", "factor_terms", "by_op", "natural_key",
           "nonfinite_share"]


_SUP = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def output_label(name: str) -> str:
    """How messages name the output: ``L``, or ``f`` for an unnamed one."""
    shown = display_name(name)
    return "f" if shown.startswith("_") else pretty_name(shown)


def pretty_name(name: str) -> str:
    """``w_1`` -> ``w₁``, ``a@3`` -> ``a⁽³⁾``: names as every printer shows
    them (:func:`~chainlens.engine.printing.names.display_symbol`).  The
    parser's own name for an unnamed output (``_1``) was never written by
    anyone: it is ``f``, as in :func:`output_label`."""
    if name.startswith("_"):
        return "f"
    return display_symbol(name, "unicode")


def short(x: float) -> str:
    """Two significant digits: 0.25, 3.7, 170, 3.8e6."""
    if not math.isfinite(x):
        return "∞" if x > 0 else "-∞"
    if x == 0:
        return "0"
    return ("-" if x < 0 else "") + sci(math.log10(abs(x)))


def sci(log10: float) -> str:
    """``10**log10`` written like 7.9e-31, even far below the float range."""
    if math.isnan(log10):
        return "?"
    if log10 == math.inf:
        return "∞"
    if log10 == -math.inf:
        return "0"
    exp = math.floor(log10)
    mant = 10 ** (log10 - exp)
    if mant >= 9.95:
        mant, exp = 1.0, exp + 1
    if -3 <= exp <= 4:
        short = float(f"{10 ** log10:.2g}")
        return str(int(short)) if short.is_integer() else repr(short)
    return f"{mant:.2g}e{exp:+d}".replace("e+", "e")


def natural_key(name: str) -> tuple:
    """``w_2`` before ``w_10``."""
    return tuple((0, int(t)) if t.isdigit() else (1, t) for t in re.split(r"(\d+)", name) if t)


def nonfinite_share(arr, n: int) -> str:
    bad = ~np.isfinite(np.asarray(arr, dtype=np.float64))
    per_point = bad.reshape(bad.shape[0], -1).any(axis=1) if bad.ndim > 1 else bad
    return f"{float(np.mean(per_point)):.0%}" if np.ndim(per_point) else "all"


def by_op(factors: tuple[Factor, ...], kind: str) -> list[tuple[str, int, float, list]]:
    """Responsible factors pooled by primitive: (op, count, log10, magnitudes),
    largest effect first."""
    sign = 1 if kind == "vanishing" else -1
    pooled: dict[str, list] = {}
    for f in factors:
        if not sign * f.log10 < 0:
            continue
        entry = pooled.setdefault(f.op, [f.op, 0, 0.0, []])
        entry[1] += f.count
        entry[2] += f.log10
        entry[3] += [f.magnitude] * f.count
    return sorted((tuple(e) for e in pooled.values()), key=lambda e: sign * e[2])


def factor_terms(factors: tuple[Factor, ...], total: float, kind: str) -> str:
    """``0.25⁵⁰ × 3.7 `` - the responsible factors as powers, the rest as one number."""
    parts, used = [], 0.0
    for _op, count, log10, mags in by_op(factors, kind)[:2]:
        if all(m == mags[0] for m in mags) and count > 1:
            parts.append(f"{short(mags[0])}{str(count).translate(_SUP)}")
        elif count <= 4 or not math.isfinite(log10):
            parts.append(" × ".join(short(m) for m in sorted(mags)))
        else:  # unequal factors: their geometric mean, so the power is exact
            parts.append(f"{sci(log10 / count)}{str(count).translate(_SUP)}")
        used += log10
    rest = total - used
    if math.isfinite(rest) and abs(rest) > 0.005:
        parts.append(sci(rest))
    return " × ".join(parts) + " " if parts else ""
