"""The vectorisable sin and cos of the numba loops (:mod:`chainlens.engine.numeric.vmath`)
against glibc's (``math.sin``, within 1 ulp) point by point: at most 2 ulp on
``|x| <= TRIG_MAX`` (random points, tiny ones, the doubles nearest multiples
of pi/2 where the reduction cancels most), exact specials, and the NaN past
``TRIG_MAX`` that makes the kernel run the batch again on numpy."""

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy
from chainlens.engine.language.reader import parse
from chainlens.engine.numeric import backends, vmath
from chainlens.engine.numeric.kernel import compile

from tests.numeric.vmath_harness import ulps, vectorised

_sin_all, _cos_all = vectorised(vmath.vsin), vectorised(vmath.vcos)


def _run(loop, x):
    return loop(x)


def _grid():
    rng = np.random.default_rng(7)
    k = np.arange(1, int(vmath.TRIG_MAX / (math.pi / 2)), 13, dtype=np.float64)
    near = k * (math.pi / 2)  # the doubles nearest k pi/2, and their neighbours
    near = np.concatenate([near, np.nextafter(near, 0), np.nextafter(near, np.inf)])
    return np.concatenate([
        rng.uniform(-10, 10, 100_000), rng.uniform(-vmath.TRIG_MAX, vmath.TRIG_MAX, 100_000),
        np.exp(rng.uniform(-700, math.log(vmath.TRIG_MAX), 50_000)) * rng.choice([-1, 1], 50_000),
        near, -near, [5e-324, -5e-324, 1e-300, 2.0 ** -27, math.pi, math.pi / 4, vmath.TRIG_MAX]])


@pytest.mark.parametrize(("loop", "libm"), [(_sin_all, math.sin), (_cos_all, math.cos)])
def test_within_two_ulp_of_libm(loop, libm):
    x = _grid()
    want = np.array([libm(v) for v in x])
    u = ulps(_run(loop, x), want)
    assert u.max() <= 2
    assert np.mean(u > 1) < 1e-3  # nearly all within 1 ulp


def test_specials():
    x = np.array([np.inf, -np.inf, np.nan, 0.0, -0.0, 5e-324, -5e-324])
    s, c = _run(_sin_all, x), _run(_cos_all, x)
    assert np.isnan(s[:3]).all() and np.isnan(c[:3]).all()
    np.testing.assert_array_equal(s[3:], x[3:])  # sin of a tiny x is x, sign included
    assert not np.signbit(s[3]) and np.signbit(s[4]) and np.signbit(s[6])
    np.testing.assert_array_equal(c[3:], 1.0)


def test_past_trig_max_is_nan_for_the_kernel_to_redo():
    x = np.array([vmath.TRIG_MAX, -vmath.TRIG_MAX, np.nextafter(vmath.TRIG_MAX, np.inf), 1e300])
    s, c = _run(_sin_all, x), _run(_cos_all, x)
    assert np.isfinite(s[:2]).all() and np.isfinite(c[:2]).all()
    assert np.isnan(s[2:]).all() and np.isnan(c[2:]).all()
    assert vmath.TRIG_MAX * (2 / math.pi) + 1 < 2 ** 20  # k * part stays exact


def test_pi_over_2_in_parts():
    parts = [vmath._PIO2_1, vmath._PIO2_2, vmath._PIO2_3, vmath._PIO2_3T]
    for p in parts[:3]:  # at most 33 significant bits: k * p exact for |k| < 2^20
        m = Fraction(p).numerator
        assert (m // (m & -m)).bit_length() <= 33
    total = sum(Fraction(p) for p in parts)
    half_pi = Fraction(str(sympy.N(sympy.pi / 2, 60)))
    assert abs(total - half_pi) < Fraction(1, 2 ** 150)


def test_python_and_numba_agree():
    for v in [0.3, -2.5, 1e5 + 0.1, 7 * math.pi / 2, -0.0, 1e-10]:
        a = np.array([v])
        assert vmath.vsin(v) == _run(_sin_all, a)[0]
        assert vmath.vcos(v) == _run(_cos_all, a)[0]


def _loop_source(text):
    tape = compile(parse(text)).tape
    em, _, _ = backends._fused_body(tape, (tape.inputs["x"],), "reverse", "numba", 3)
    return "\n".join(em.lines)


def test_sin_of_x_squared_uses_them_and_agrees_with_its_derivative():
    src = _loop_source("L = sin(x^2)")
    assert "_vsin(" in src and "_vcos(" in src and "math." not in src
    x = np.linspace(-30, 30, 20_001)  # x^2 up to 900
    ev = compile(parse("L = sin(x^2)"), backend="numba")({"x": x})
    assert ev.backend == "numba" and ev.nonfinite == ()
    np.testing.assert_allclose(ev.values["L"], np.sin(x * x), rtol=0, atol=2.3e-16)
    # d/dx sin(x^2) = 2x cos(x^2), and finite differences of numpy's sin
    np.testing.assert_allclose(ev.gradients["L"]["x"], 2 * x * np.cos(x * x),
                               rtol=1e-15, atol=1e-15 * np.abs(x).max())
    h = 1e-6
    fd = (np.sin((x + h) ** 2) - np.sin((x - h) ** 2)) / (2 * h)
    np.testing.assert_allclose(ev.gradients["L"]["x"], fd, rtol=1e-5, atol=1e-6)


def test_a_large_argument_reruns_the_batch_on_numpy():
    x = np.linspace(0.1, 0.9, 5000)
    x[17] = 2000.0  # x^2 = 4e6 > TRIG_MAX
    kernel = compile(parse("L = sin(x^2) + cos(x)"), backend="numba")
    ev = kernel({"x": x})
    assert ev.backend == "numpy" and ev.nonfinite == ()
    np.testing.assert_array_equal(ev.values["L"], np.sin(x * x) + np.cos(x))
    np.testing.assert_allclose(ev.gradients["L"]["x"], 2 * x * np.cos(x * x) - np.sin(x),
                               rtol=1e-14, atol=1e-15)
    np.testing.assert_array_equal(kernel.forward({"x": x})["L"], ev.values["L"])


def test_a_shared_parameter_summed_after_the_rerun():
    x = np.linspace(-1, 1, 4001)
    x[3] = 1e7  # w x = 2e7
    kernel = compile(parse("L = sin(w * x)"), backend="numba")
    ev = kernel({"x": x, "w": 2.0}, sum_shared=True)
    assert ev.backend == "numpy"
    np.testing.assert_allclose(ev.gradients["L"]["w"], np.sum(x * np.cos(2 * x)), rtol=1e-12)


def test_the_first_bad_node_is_still_reported():
    x = np.linspace(0.5, 1.5, 1001)
    x[500] = 1.0  # sin(1) / 0: inf at the division
    x[3] = np.inf
    kernel = compile(parse("L = sin(x) / (x - 1)"), backend="numba")
    fast, slow = kernel({"x": x}), compile(parse("L = sin(x) / (x - 1)"), backend="numpy")({"x": x})
    assert fast.nonfinite == slow.nonfinite and len(fast.nonfinite) == 2
    assert {r.phase for r in fast.nonfinite} == {"input", "forward"}
    np.testing.assert_array_equal(fast.values["L"], slow.values["L"])


def test_a_long_loop_keeps_libm_sin_and_needs_no_rerun(monkeypatch):
    monkeypatch.setattr(backends, "VECTOR_MAX_SLOTS", 32)  # this loop is past it
    lines = ["u0 = x"] + [f"u{k} = sin(u{k - 1}) * {1 + k / 10} + x" for k in range(1, 13)]
    source = "\n".join(lines + ["L = u12"])
    kernel = compile(parse(source), backend="numba")
    assert len(kernel.tape.slots) > backends.VECTOR_MAX_SLOTS
    assert not backends.ranged(kernel.tape, kernel._code.wrt, kernel.mode)
    x = np.linspace(-1, 1, 2001)
    x[5] = 3e7  # libm's sin reduces any double
    fast = kernel({"x": x})
    slow = compile(parse(source), backend="numpy")({"x": x})
    assert fast.backend == "numba" and fast.nonfinite == ()
    np.testing.assert_allclose(fast.values["L"], slow.values["L"], rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(fast.gradients["L"]["x"], slow.gradients["L"]["x"],
                               rtol=1e-12, atol=1e-12)
