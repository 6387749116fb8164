"""A vectorisable ``exp``, ``tanh``, ``sin``, ``cos``, ``log`` and ``log1p`` for the
numba loops (plain Python too, for tests).

numba calls libm's scalar ``exp`` once per point; LLVM cannot vectorise a
loop around a call (PyPI's numba has no SVML), so every exp-heavy loop ran
at the speed of one ``exp`` per point (sigmoid: ~9 ns).  :func:`vexp` is
plain arithmetic, as XLA's is: round ``x / ln 2`` to ``k`` by the 1.5·2^52
trick, reduce with a two-part ``ln 2`` (Cody-Waite), the degree-13 Taylor
polynomial on ``|r| <= ln2/2`` (truncation < 1e-17) as ``1 + (r + r^2 Q(r))``
with Q by Estrin's scheme (:func:`_exp_poly`: 8 dependent operations deep,
not 24), and scale by ``2^k`` built from its bits, in two halves so that
subnormal results round once; ``k`` and its halves come from the bits of
``x / ln 2 + 1.5·2^52`` (AVX2 has neither a double -> int64 conversion nor
a 64-bit arithmetic shift: either one made LLVM do four lanes one by one).
Overflow gives ``inf``, underflow 0, NaN stays NaN (selects, no branches:
the finiteness checks of the loop still see them).  Measured on the test
grid: within 1 ulp of libm.

:func:`vtanh` is fdlibm's ``tanh`` without branches: ``t = expm1(2|x|)``,
``1 - 2/(t + 2)`` from ``|x| >= 1``, ``t = expm1(-2|x|)``, ``-t/(t + 2)``
below, with ``expm1`` the reduction and polynomial of :func:`vexp` where
``k = 0`` needs no ``1`` added and taken off (small ``|x|`` keep their
relative accuracy); ``|x| >= 22`` is ``+-1``, below 2^-28 ``x`` itself
(``-0.0`` kept), NaN NaN.  Measured: within 3 ulp of glibc's tanh (itself
up to 2 ulp off) and of the correctly rounded value, 98% within 1.

:func:`vsin` / :func:`vcos` are fdlibm's kernels without its branches: ``k``
= the integer nearest ``x / (pi/2)`` (same trick), ``r = x - k pi/2`` with
pi/2 in four parts (Cody-Waite: the first three have at most 33 bits, so
``k * part`` is exact for ``|k| < 2^20`` and each subtraction that cancels is
exact), fdlibm's degree-13 sin and degree-14 cos polynomials on
``|r| <= pi/4`` (errors < 2^-58), and the quadrant ``k mod 4`` picks
``+-sin r`` or ``+-cos r`` by selects.  Both polynomials are computed (a
vector computes every lane's), and a loop with ``sin(u)`` and ``cos(u)``
(``sin(x^2)`` and its derivative) shares the reduction (LLVM merges the
equal code).  ``sin(-0.0)`` is -0.0, +-inf and NaN give NaN.  Beyond
``|x| <= TRIG_MAX`` the reduction would need more of pi (Payne-Hanek, a
table read per point): there the result is NaN, counted by the loop's
finiteness check, and the kernel runs such a batch again on numpy
(:meth:`.kernel.Kernel._run_numba`), whose sin is libm's.  Measured on the
test grid: within 2 ulp of libm.

:func:`vlog` is fdlibm's (musl's) ``log`` without branches: ``x = 2^k m``
with ``m`` in ``[sqrt(2)/2, sqrt(2))`` taken from the bits (subnormals
scaled by 2^52 first), ``log m = 2 atanh(f / (2 + f))`` by a degree-14
polynomial, plus ``k ln 2`` in two parts.  0 gives -inf, a negative NaN,
inf inf.  ``k`` becomes a double through its bits (AVX2 has no int64 to
double instruction, and without one LLVM does not vectorise).  Measured on
the test grid: within 1 ulp of libm.  A loop divides here: it vectorises
because the loops are compiled with ``error_model="numpy"`` (no
ZeroDivisionError branch).  :func:`vlog1p` is musl's ``log1p`` the same way:
``u = 1 + x`` reduced as above, plus musl's correction ``(1 + x - u) / u``
for the rounding of ``u`` (``x`` itself when ``1 + x`` is already in
range); within 1 ulp of libm on the test grid, ``-0.0`` kept.

Not fast-math: LLVM keeps the order of every operation, so the result is
the same on every call and every chunk.
"""

from __future__ import annotations

import math
import struct

import numpy as np

__all__ = ["FUNCTIONS", "TRIG_MAX", "register", "vcos", "vexp", "vlog", "vlog1p", "vsin",
           "vtanh"]

_LOG2E = 1.4426950408889634
_LN2_HI = 6.93147180369123816490e-01  # ln 2 to 32 bits: k * _LN2_HI is exact
_LN2_LO = 1.90821492927058770002e-10
_SHIFT = 6755399441055744.0  # 1.5 * 2^52: x + _SHIFT - _SHIFT rounds x to an integer
_OVER = 709.782712893384  # exp overflows above this
_UNDER = -745.1332191019412  # and is 0 below this

# fdlibm's pi/2 in parts (e_rem_pio2.c): 31, 32 and 28 significant bits, then the rest
_PIO2_1 = 1.57079632673412561417e+00
_PIO2_2 = 6.07710050630396597660e-11
_PIO2_3 = 2.02226624871116645580e-21
_PIO2_3T = 8.47842766036889956997e-32
_2_OVER_PI = 6.36619772367581382433e-01
#: Largest |x| sin and cos reduce here: |k| <= TRIG_MAX * 2/pi + 1 < 2^20.
TRIG_MAX = 1.6e6
_TINY = 2.0 ** -27  # below this sin x rounds to x: |x^3/6| < ulp(x)/2
_TANH_TINY = 2.0 ** -28  # and tanh x to x: |x^3/3| < ulp(x)/2
# fdlibm's k_sin.c and k_cos.c (|r| <= pi/4: error < 2^-58)
_S1, _S2, _S3 = -1.66666666666666324348e-01, 8.33333333332248946124e-03, -1.98412698298579493134e-04
_S4, _S5, _S6 = 2.75573137070700676789e-06, -2.50507602534068634195e-08, 1.58969099521155010221e-10
_C1, _C2, _C3 = 4.16666666666666019037e-02, -1.38888888888741095749e-03, 2.48015872894767294178e-05
_C4, _C5, _C6 = -2.75573143513906633035e-07, 2.08757232129817482790e-09, -1.13596475577881948265e-11
# fdlibm's e_log.c: log(1+f) = 2 atanh(s), s = f/(2+f), |s| < 0.172 (error < 2^-58)
_LG1, _LG2, _LG3 = 6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01
_LG4, _LG5, _LG6 = 2.222219843214978396e-01, 1.818357216161805012e-01, 1.531383769920937332e-01
_LG7 = 1.479819860511658591e-01
_SQRT_HALF_BITS = 0x3FE6A09E667F3BCD  # sqrt(2)/2: x = 2^k m with m in [sqrt(2)/2, sqrt(2))
_TINY_NORMAL = 2.2250738585072014e-308
_SHIFT_BITS = 0x4338000000000000  # the bits of _SHIFT


def _f64_from_bits(bits: int) -> float:
    """The double whose IEEE bits are the int64 ``bits`` (numba: one LLVM
    bitcast, :func:`register`; wrapped to 64 bits as numba's int64 is)."""
    return struct.unpack("<d", struct.pack("<Q", int(bits) & 0xFFFFFFFFFFFFFFFF))[0]


def _bits_from_f64(x: float) -> int:
    """The int64 IEEE bits of the double ``x`` (numba: one LLVM bitcast)."""
    return struct.unpack("<q", struct.pack("<d", float(x)))[0]


_REGISTERED = []


def register() -> None:
    """Teach numba :func:`_f64_from_bits` (once per process; called where
    numba is imported already, before a loop using :func:`vexp` is built)."""
    if _REGISTERED:
        return
    from llvmlite import ir
    from numba import types
    from numba.extending import intrinsic, overload, register_jitable

    @intrinsic
    def bitcast(typingctx, bits):
        def codegen(context, builder, signature, args):
            return builder.bitcast(args[0], ir.DoubleType())
        return types.float64(types.int64), codegen

    @overload(_f64_from_bits, inline="always")
    def _numba_f64_from_bits(bits):
        return lambda bits: bitcast(bits)

    @intrinsic
    def bitcast_back(typingctx, x):
        def codegen(context, builder, signature, args):
            return builder.bitcast(args[0], ir.IntType(64))
        return types.int64(types.float64), codegen

    @overload(_bits_from_f64, inline="always")
    def _numba_bits_from_f64(x):
        return lambda x: bitcast_back(x)

    register_jitable(_quadrant)
    register_jitable(_exp_poly)
    _REGISTERED.append(True)


def _exp_poly(r):
    """``(exp(r) - 1 - r) / r^2`` for ``|r| <= ln2/2``: the degree-11 tail of
    exp's Taylor series (truncation < 1e-17 relative) by Estrin's scheme: its
    products are independent, so one point's chain of dependent operations
    is 8 deep instead of Horner's 24, and a loop of many ``exp`` (the
    50-layer chain) is no longer bound by their latency."""
    r2 = r * r
    a0 = 0.5 + r * (1.0 / 6)
    a1 = 1.0 / 24 + r * (1.0 / 120)
    a2 = 1.0 / 720 + r * (1.0 / 5040)
    a3 = 1.0 / 40320 + r * (1.0 / 362880)
    a4 = 1.0 / 3628800 + r * (1.0 / 39916800)
    a5 = 1.0 / 479001600 + r * (1.0 / 6227020800)
    r4 = r2 * r2
    return ((a0 + r2 * a1) + r4 * (a2 + r2 * a3)) + (r4 * r4) * (a4 + r2 * a5)


def vexp(x):
    xc = min(max(x, -746.0), 710.0)
    t = xc * _LOG2E + _SHIFT  # k + 1.5 * 2^52: its low bits are k
    kf = t - _SHIFT
    r = (xc - kf * _LN2_HI) - kf * _LN2_LO
    p = 1.0 + (r + (r * r) * _exp_poly(r))
    # k from t's bits: AVX2 has no double -> int64 instruction (a conversion
    # made LLVM scalarise four lanes of every vector)
    k = _bits_from_f64(t) - _SHIFT_BITS
    # k's halves (k in [-1076, 1024]: both powers of two are normal); not
    # k >> 1: AVX2 has no 64-bit arithmetic shift either.  kf / 2 rounded
    # to an integer (to even) is one half.
    half = _bits_from_f64(kf * 0.5 + _SHIFT) - _SHIFT_BITS
    y = p * _f64_from_bits((half + 1023) << 52) * _f64_from_bits((k - half + 1023) << 52)
    y = math.inf if x > _OVER else y
    y = 0.0 if x < _UNDER else y
    return x if x != x else y


def vtanh(x):
    a = abs(x)
    # tanh(22) rounds to 1 (1 - 2e-19); inf and NaN reduce 22 (selected below)
    ac = a if a < 22.0 else 22.0
    # fdlibm's tanh: t = expm1(2|x|), tanh = 1 - 2/(t + 2) from |x| >= 1;
    # t = expm1(-2|x|), tanh = -t/(t + 2) below (t + 2 in (1, 2]: half the
    # rounding of a denominator past 2).  One expm1 and one division either way.
    big = a >= 1.0
    z = ac + ac if big else -(ac + ac)
    # expm1(z), z = k ln2 + r with -3 <= k <= 64: 2^k normal, 2^k - 1 exact;
    # for k = 0, t is r + r^2 P(r) itself (no 1 added and taken off again:
    # small |x| as accurate as large)
    tk = z * _LOG2E + _SHIFT
    kf = tk - _SHIFT
    r = (z - kf * _LN2_HI) - kf * _LN2_LO
    em = r + (r * r) * _exp_poly(r)
    scale = _f64_from_bits((_bits_from_f64(tk) - _SHIFT_BITS + 1023) << 52)
    t = scale * em + (scale - 1.0)
    q = (2.0 if big else -t) / (t + 2.0)
    y = 1.0 - q if big else q
    y = -y if x < 0.0 else y
    y = x if a < _TANH_TINY else y  # tanh x rounds to x (and -0.0 stays -0.0)
    return x if x != x else y


def _quadrant(x):
    """``(sin r, cos r, k mod 4)`` with ``x = k pi/2 + r``, ``|r| <= pi/4``
    (``|x| > TRIG_MAX``, inf and NaN reduce 0 instead: the callers select NaN)."""
    xc = x if abs(x) <= TRIG_MAX else 0.0
    kf = (xc * _2_OVER_PI + _SHIFT) - _SHIFT
    # x - k p1 is exact (Sterbenz), k p1..k p3 are exact products; where a
    # later subtraction cancels, its operands are within 2x of each other
    r = (((xc - kf * _PIO2_1) - kf * _PIO2_2) - kf * _PIO2_3) - kf * _PIO2_3T
    z = r * r
    s = r + (z * r) * (_S1 + z * (_S2 + z * (_S3 + z * (_S4 + z * (_S5 + z * _S6)))))
    hz = 0.5 * z
    w = 1.0 - hz
    tail = z * z * (_C1 + z * (_C2 + z * (_C3 + z * (_C4 + z * (_C5 + z * _C6)))))
    c = w + (((1.0 - w) - hz) + tail)  # fdlibm's: 1 - z/2 rounded once, its error kept
    return s, c, np.int64(kf) & 3


def vsin(x):
    s, c, q = _quadrant(x)
    y = c if q & 1 else s
    y = -y if q & 2 else y
    y = x if abs(x) < _TINY else y  # sin x rounds to x (and -0.0 stays -0.0)
    return y if abs(x) <= TRIG_MAX else math.nan


def vcos(x):
    s, c, q = _quadrant(x)
    y = s if q & 1 else c
    y = -y if (q + 1) & 2 else y
    return y if abs(x) <= TRIG_MAX else math.nan


def vlog(x):
    sub = x < _TINY_NORMAL  # subnormal (or 0, negative: selected away below)
    xs = x * 4503599627370496.0 if sub else x  # * 2^52: normal
    ix = _bits_from_f64(xs)
    tmp = ix - _SQRT_HALF_BITS
    k = tmp >> 52
    f = _f64_from_bits(ix - (k << 52)) - 1.0
    # float(k) as bits (|k| < 2^51): AVX2 has no int64 -> double instruction
    dk = _f64_from_bits(_SHIFT_BITS + (k - 52 if sub else k)) - _SHIFT
    hfsq = 0.5 * f * f
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    r = z * (_LG1 + w * (_LG3 + w * (_LG5 + w * _LG7))) + w * (_LG2 + w * (_LG4 + w * _LG6))
    y = s * (hfsq + r) + dk * _LN2_LO - hfsq + f + dk * _LN2_HI
    y = -math.inf if x == 0.0 else y
    y = math.nan if x < 0.0 else y
    y = math.inf if x == math.inf else y
    return x if x != x else y


def vlog1p(x):
    xc = x if x > -1.0 else 0.0  # NaN, -1 and below: selected away at the end
    u = 1.0 + xc  # a normal double for every x > -1 (>= 2^-53)
    iu = _bits_from_f64(u)
    k = (iu - _SQRT_HALF_BITS) >> 52
    near = k == 0  # 1 + x in [sqrt(2)/2, sqrt(2)): x itself is exact, use it
    f = xc if near else _f64_from_bits(iu - (k << 52)) - 1.0
    # 1 + x rounded to u: log(1 + x) = log u + c, c = (1 + x - u) / u (musl's correction)
    c = (1.0 - (u - xc) if k >= 2 else xc - (u - 1.0)) / u
    c = 0.0 if near or k >= 54 else c
    dk = _f64_from_bits(_SHIFT_BITS + k) - _SHIFT
    hfsq = 0.5 * f * f
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    r = z * (_LG1 + w * (_LG3 + w * (_LG5 + w * _LG7))) + w * (_LG2 + w * (_LG4 + w * _LG6))
    y = s * (hfsq + r) + (dk * _LN2_LO + c) - hfsq + f + dk * _LN2_HI
    y = x if abs(x) < 1.1102230246251565e-16 else y  # |x| < 2^-53: log1p x rounds to x
    y = -math.inf if x == -1.0 else y
    y = math.nan if x < -1.0 else y
    y = math.inf if x == math.inf else y
    return x if x != x else y


#: The helpers by the names the numba dialect calls them
#: (:data:`.emit.NUMBA_CALLS`).
FUNCTIONS = {"_vexp": vexp, "_vsin": vsin, "_vcos": vcos, "_vlog": vlog, "_vlog1p": vlog1p,
             "_vtanh": vtanh}
