"""The vectorisable log1p of the numba loops (:mod:`chainlens.engine.numeric.vmath`)
against glibc's ``math.log1p`` point by point: within 1 ulp on (-1, max double],
-0.0 kept, -1 -> -inf, below -1 NaN; softplus (``log(1 + exp(x))``, whose
stable form is ``max(x, 0) + log1p(exp(-|x|))``) uses it with the
vectorisable exp and agrees with numpy."""

import math

import numpy as np
import pytest
from chainlens.engine.language.reader import parse
from chainlens.engine.numeric import backends, vmath
from chainlens.engine.numeric.kernel import compile

from tests.numeric.vmath_harness import ulps, vectorised

_vlog1p = vectorised(vmath.vlog1p)


def test_within_one_ulp_of_libm():
    rng = np.random.default_rng(5)
    x = np.concatenate([
        rng.uniform(-1, 1, 100_000), np.exp(rng.uniform(-744, 709.7, 100_000)),
        -np.exp(rng.uniform(-744, -1e-9, 100_000)), rng.uniform(-0.3, 0.42, 50_000),
        np.exp(-np.abs(rng.normal(0, 10, 50_000))),  # softplus's arguments, exp(-|x|)
        -1 + np.exp(rng.uniform(-36, -1, 20_000)),  # near -1
        [5e-324, -5e-324, 1e-17, -1e-17, 2.0 ** -53, -(2.0 ** -53), math.sqrt(2) - 1,
         math.sqrt(0.5) - 1, 1.0, 2.0 ** 53, 1.7976931348623157e308, -1 + 2.0 ** -53]])
    want = np.array([math.log1p(v) for v in x])
    assert ulps(_vlog1p(x), want).max() <= 1


def test_specials_as_libm():
    x = np.array([0.0, -0.0, -1.0, -1.5, -np.inf, np.inf, np.nan])
    with np.errstate(divide="ignore", invalid="ignore"):
        want = np.log1p(x)
    got = _vlog1p(x)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_array_equal(got[~np.isnan(want)], want[~np.isnan(want)])
    assert not np.signbit(got[0]) and np.signbit(got[1])


@pytest.mark.parametrize("v", [0.3, -0.5, 1e-300, 3.0, 1e300, -1.0, -2.0, math.inf])
def test_python_and_numba_agree(v):
    a, b = vmath.vlog1p(v), _vlog1p(np.array([v]))[0]
    assert a == b or (math.isnan(a) and math.isnan(b))


def test_softplus_uses_it_and_agrees_with_numpy():
    tape = compile(parse("L = log(1 + exp(x))")).tape
    em, _, _ = backends._fused_body(tape, (tape.inputs["x"],), "reverse", "numba", 3)
    source = "\n".join(em.lines)
    assert "_vlog1p(" in source and "_vexp(" in source and "math." not in source
    x = np.linspace(-800, 800, 40_001)
    ev = compile(parse("L = log(1 + exp(x))"), backend="numba")({"x": x})
    assert ev.backend == "numba" and ev.nonfinite == ()
    np.testing.assert_allclose(ev.values["L"], np.logaddexp(0.0, x), rtol=1e-15, atol=1e-300)
    with np.errstate(over="ignore"):
        sigmoid = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(ev.gradients["L"]["x"], sigmoid, rtol=1e-14, atol=1e-300)


def test_its_nan_is_reported_as_numpy_reports_it():
    source = "L = log1p(x) * x"
    x = np.linspace(-3, 3, 2001)  # below -1 NaN, at -1 -inf
    x[500] = -1.0
    fast = compile(parse(source), backend="numba")({"x": x})
    slow = compile(parse(source), backend="numpy")({"x": x})
    assert fast.nonfinite and fast.nonfinite == slow.nonfinite
    ok = np.isfinite(slow.values["L"])
    np.testing.assert_allclose(fast.values["L"][ok], slow.values["L"][ok], rtol=1e-15, atol=1e-16)
