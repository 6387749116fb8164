"""The vectorisable log of the numba loops (:mod:`chainlens.engine.numeric.vmath`)
against glibc's ``math.log`` point by point: within 1 ulp from the smallest
subnormal to the largest double, the same -inf / NaN / inf, and programs
using it agree with numpy and report their NaN/Inf as numpy's path does."""

import math

import numpy as np
import pytest
from chainlens.engine.language.reader import parse
from chainlens.engine.numeric import backends, vmath
from chainlens.engine.numeric.kernel import compile

from tests.numeric.vmath_harness import ulps, vectorised

_vlog = vectorised(vmath.vlog)


def test_within_one_ulp_of_libm():
    rng = np.random.default_rng(11)
    x = np.concatenate([
        rng.uniform(0, 10, 100_000), np.exp(rng.uniform(-744, 709.7, 100_000)),
        1 + rng.uniform(-1e-6, 1e-6, 50_000), rng.uniform(0.5, 2, 50_000),
        np.nextafter(1.0, [0.0, 2.0]), [5e-324, 1e-310, 2.2250738585072014e-308,
                                         1.7976931348623157e308, math.sqrt(2), math.sqrt(0.5),
                                         1.0, 2.0, 0.5, math.e]])
    want = np.array([math.log(v) for v in x])
    got = _vlog(x)
    assert got[want == 0.0].tolist() == [0.0] * int((want == 0.0).sum())  # log 1 is 0 exactly
    nz = want != 0.0
    assert ulps(got[nz], want[nz]).max() <= 1


def test_specials_as_libm():
    x = np.array([0.0, -0.0, -5e-324, -1.0, -np.inf, np.inf, np.nan, 1.0])
    with np.errstate(divide="ignore", invalid="ignore"):
        want = np.log(x)
    got = _vlog(x)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_array_equal(got[~np.isnan(want)], want[~np.isnan(want)])


@pytest.mark.parametrize("v", [0.3, 2.0, 1e-310, 5e-324, 1e300, -1.0, 0.0, math.inf])
def test_python_and_numba_agree(v):
    a, b = vmath.vlog(v), _vlog(np.array([v]))[0]
    assert a == b or (math.isnan(a) and math.isnan(b))


def _loop_source(text):
    tape = compile(parse(text)).tape
    em, _, _ = backends._fused_body(tape, (tape.inputs["x"],), "reverse", "numba", 3)
    return "\n".join(em.lines)


def test_log_of_cos_uses_it_and_agrees_with_numpy():
    assert "_vlog(" in _loop_source("L = log(cos(x))") and "math." not in _loop_source(
        "L = log(cos(x))")
    x = np.linspace(-1.5, 1.5, 30_001)
    ev = compile(parse("L = log(cos(x))"), backend="numba")({"x": x})
    assert ev.backend == "numba" and ev.nonfinite == ()
    # near x = 0 cos is near 1, where one ulp of cos (1.1e-16) is that much of log
    np.testing.assert_allclose(ev.values["L"], np.log(np.cos(x)), rtol=1e-15, atol=2.3e-16)
    np.testing.assert_allclose(ev.gradients["L"]["x"], -np.tan(x), rtol=1e-14, atol=1e-16)


@pytest.mark.parametrize("source", ["L = log(cos(x))", "L = x * log(x)"])
def test_its_nan_and_inf_are_reported_as_numpy_reports_them(source):
    x = np.linspace(-3, 3, 2001)  # cos < 0 past pi/2; log of 0 and of negatives
    x[1000] = 0.0
    fast = compile(parse(source), backend="numba")({"x": x})
    slow = compile(parse(source), backend="numpy")({"x": x})
    assert fast.nonfinite and fast.nonfinite == slow.nonfinite
    np.testing.assert_array_equal(np.isnan(fast.values["L"]), np.isnan(slow.values["L"]))
    ok = np.isfinite(slow.values["L"])
    np.testing.assert_allclose(fast.values["L"][ok], slow.values["L"][ok], rtol=1e-15,
                               atol=2.3e-16)
