"""Exact rational arithmetic for constant folding: ``(p/q)^(a/b)`` as a
rational when it is one and cheap to know, else None (the power stays
unevaluated, which is exact too).

The work is bounded by the size of the answer, never by the exponent: an
exponent such as ``1e-9`` is the rational ``1/10^9``, and searching for a
``10^9``-th root by raising candidates to that power took seconds and
gigabytes (issue #19: ``2^1e-9`` 15 s, ``2^1e-10`` 72 s and 2 GiB,
``2^1e-1000`` an OverflowError).  Roots are looked for only up to degree
``MAX_ROOT_DEGREE``, and only when the degree does not exceed the bit length
of the number (an integer with an n-th root r >= 2 has at least n bits).
"""

from __future__ import annotations

from fractions import Fraction

__all__ = ["MAX_FOLD_BITS", "MAX_FOLD_EXPONENT", "MAX_ROOT_DEGREE", "exact_root", "fold_power"]

#: Largest exponent folded exactly when a rational is raised to an integer.
MAX_FOLD_EXPONENT = 256
#: Largest bit length of a folded rational's numerator or denominator.
MAX_FOLD_BITS = 4096
#: Largest n for which an exact n-th root is looked for (``8^(1/3) = 2``).
MAX_ROOT_DEGREE = 64


def exact_root(value: Fraction, n: int) -> Fraction | None:
    """The rational n-th root of ``value`` when there is one (and ``n`` is
    at most ``MAX_ROOT_DEGREE``), else None."""
    if value < 0:
        if n % 2 == 0:
            return None
        r = exact_root(-value, n)
        return -r if r is not None else None
    if value in (0, 1):
        return value
    if n > MAX_ROOT_DEGREE:
        return None
    p, q = _iroot(value.numerator, n), _iroot(value.denominator, n)
    if p is None or q is None:
        return None
    return Fraction(p, q)


def _iroot(k: int, n: int) -> int | None:
    """The integer n-th root of ``k`` when ``k`` is a perfect n-th power."""
    if k in (0, 1):
        return k
    if n > k.bit_length() or k.bit_length() > MAX_FOLD_BITS:
        return None  # r >= 2 has r^n >= 2^n > k; or too big to look at
    r = round(k ** (1.0 / n)) if k.bit_length() < 1000 else None
    if r is None:
        return None
    for cand in (r - 1, r, r + 1):
        if cand >= 0 and cand**n == k:
            return cand
    return None


def fold_power(base: Fraction, exp: Fraction) -> Fraction | None:
    """``base ** exp`` as a rational, or None when it is irrational or its
    numerator or denominator would exceed ``MAX_FOLD_BITS``."""
    if base == 0:
        return Fraction(0) if exp > 0 else (Fraction(1) if exp == 0 else None)
    if exp.denominator != 1:
        root = exact_root(base, exp.denominator)
        if root is None:
            return None
        base, exp = root, Fraction(exp.numerator)
    n = int(exp)
    if abs(n) > MAX_FOLD_EXPONENT:
        return None
    bits = max(base.numerator.bit_length(), base.denominator.bit_length())
    if bits * abs(n) > MAX_FOLD_BITS:
        return None
    return base**n
