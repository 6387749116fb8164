"""The vectorisable tanh of the numba loops (:mod:`chainlens.engine.numeric.vmath`)
against glibc's ``math.tanh`` point by point (glibc's own error is up to 2 ulp)
and against mpmath: within 3 ulp of glibc and of the correctly rounded value,
small |x| as accurate as large (expm1-based, no 1 - 1 cancellation), exact
specials (+-0.0, +-inf, NaN, the tiny and huge), and a program with tanh
run by the numba loop agrees with numpy and reports its NaN as numpy does."""

import math

import mpmath
import numpy as np
from chainlens.engine.language.reader import parse
from chainlens.engine.numeric import backends, vmath
from chainlens.engine.numeric.kernel import compile

from tests.numeric.vmath_harness import libm, ulps, vectorised

_vtanh = vectorised(vmath.vtanh)


def _points(rng, n):
    sign = rng.choice([-1.0, 1.0], n)
    return np.concatenate([
        rng.uniform(-25, 25, n), rng.uniform(-1.2, 1.2, n),
        sign * np.exp(rng.uniform(-745, 3.2, n)),  # tiny to 25, every binade
        np.nextafter(0.5493061443340549, [0.0, 1.0]), np.nextafter(1.0, [0.0, 2.0]),
        [22.0, -22.0, 21.99, 1.0, -1.0, 0.34657359027997264, 2.0 ** -28, 2.0 ** -27]])


def test_within_three_ulp_of_libm_on_the_whole_range():
    x = _points(np.random.default_rng(3), 200_000)
    got, want = _vtanh(x), libm("tanh", x)
    nz = want != 0.0
    u = ulps(got[nz], want[nz])
    assert u.max() <= 3
    assert np.mean(u > 1) < 0.02  # nearly all within 1 ulp
    np.testing.assert_array_equal(got[~nz], want[~nz])


def test_within_three_ulp_of_the_correctly_rounded_value():
    mpmath.mp.prec = 120
    x = _points(np.random.default_rng(4), 3_000)
    exact = np.array([float(mpmath.tanh(mpmath.mpf(float(v)))) for v in x])
    got = _vtanh(x)
    nz = exact != 0.0
    assert ulps(got[nz], exact[nz]).max() <= 3


def test_small_arguments_keep_their_relative_accuracy():
    # 1 - 2/(e^2x + 1) would lose every digit here; tanh x = x - x^3/3 + ...
    x = np.geomspace(1e-300, 1e-3, 20_001)
    got = _vtanh(x)
    assert ulps(got, libm("tanh", x)).max() <= 1
    assert ulps(_vtanh(-x), -got).max() == 0  # odd


def test_specials_as_libm():
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 5e-324, -5e-324, 2.2250738585072014e-308,
                  1e308, -1e308, 22.0, -40.0, 710.0])
    got = _vtanh(x)
    want = np.array([math.tanh(v) for v in x])
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    ok = ~np.isnan(want)
    np.testing.assert_array_equal(got[ok], want[ok])
    np.testing.assert_array_equal(np.signbit(got[ok]), np.signbit(want[ok]))  # -0.0 stays -0.0
    for v in x:  # the plain-Python version is the same function
        a, b = vmath.vtanh(float(v)), _vtanh(np.array([v]))[0]
        assert a == b or (math.isnan(a) and math.isnan(b))


def _loop_source(text: str) -> str:
    kernel = compile(parse(text))
    em = backends._fused_body(kernel.tape, kernel._code.wrt, kernel.mode, "numba", 3)[0]
    return "\n".join(em.lines)


def test_a_tanh_program_uses_it_agrees_with_numpy_and_reports_nan_as_numpy():
    source = "u = tanh(3*x - 1)\nL = tanh(u * x) + log(x)"
    assert "_vtanh(" in _loop_source(source) and "math." not in _loop_source(source)
    x = np.linspace(0.01, 3, 4001)
    x[7] = -1.5  # log of a negative: NaN in the forward pass
    fast = compile(parse(source), backend="numba")({"x": x})
    slow = compile(parse(source), backend="numpy")({"x": x})
    assert fast.backend == "numba"
    np.testing.assert_allclose(fast.values["L"], slow.values["L"], rtol=1e-14, atol=1e-14)
    np.testing.assert_allclose(fast.gradients["L"]["x"], slow.gradients["L"]["x"],
                               rtol=1e-13, atol=1e-13)
    assert fast.nonfinite == slow.nonfinite and fast.nonfinite
