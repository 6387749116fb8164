"""The vectorisable exp of the numba loops (:mod:`chainlens.engine.numeric.vmath`)
against numpy's (libm-accurate) exp: a few ulp on the whole range, the same
inf / 0 / NaN, and short programs using it agree with the numpy path."""

import numba
import numpy as np
from chainlens.engine.language.reader import parse
from chainlens.engine.numeric import backends, vmath
from chainlens.engine.numeric.kernel import compile

from tests.numeric.vmath_harness import ulps, vectorised

_vexp = vectorised(vmath.vexp)


def test_within_a_few_ulp_of_libm_on_the_whole_range():
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.uniform(-708, 709.7, 200_000), rng.uniform(-1, 1, 100_000),
                        np.linspace(-30, 30, 10_001), [0.0, -0.0, 1e-300, -1e-300, 1.0]])
    want = np.exp(x)
    assert ulps(_vexp(x), want).max() <= 1  # Estrin's polynomial: as close as Horner's


def test_overflow_underflow_and_nan_as_libm():
    x = np.array([709.78, 709.79, 710.0, 1e308, np.inf, -745.2, -746.0, -1e308, -np.inf, np.nan])
    with np.errstate(over="ignore"):
        want = np.exp(x)
    got = _vexp(x)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_array_equal(got[~np.isnan(want)], want[~np.isnan(want)])


def test_subnormal_results_round_once():
    x = np.linspace(-745.0, -708.5, 5001)
    want = np.exp(x)
    assert np.max(np.abs(_vexp(x) - want)) <= 2 * 5e-324  # within two of the smallest step


def test_the_bits_helper_is_the_same_in_python_and_in_numba():
    bits = np.array([0, 1, 1023 << 52, (1023 + 7) << 52, -(1 << 63) + 5], dtype=np.int64)

    @numba.njit
    def cast(b):
        return vmath._f64_from_bits(b)

    for b in bits:
        assert cast(b) == vmath._f64_from_bits(int(b)) == np.array([b]).view(np.float64)[0]


def test_short_programs_use_it_and_agree_with_numpy():
    source = "L = 1/(1 + exp(-x)) + exp(-x^2/2) * y"
    tape_len = len(compile(parse(source)).tape.slots)
    assert tape_len <= backends.VECTOR_MAX_SLOTS
    values = {"x": np.linspace(-40, 40, 5001), "y": 1.5}
    fast = compile(parse(source), backend="numba")(values, sum_shared=True)
    slow = compile(parse(source), backend="numpy")(values, sum_shared=True)
    # atol: numpy's sigmoid is 0.5 (1 + tanh(x/2)): 0 where 1/(1 + e^-x) is 4e-18, and
    # sigmoid's derivative s (1 - s) cancels differently (2e-16 apart near s = 1)
    np.testing.assert_allclose(fast.values["L"], slow.values["L"], rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(fast.gradients["L"]["x"], slow.gradients["L"]["x"],
                               rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(fast.gradients["L"]["y"], slow.gradients["L"]["y"], rtol=1e-13)


def test_a_loop_with_another_libm_call_keeps_libm_exp():
    from chainlens.engine.numeric.kernel import compile as kcompile

    def source_of(text):
        tape = kcompile(parse(text)).tape
        em, _, _ = backends._fused_body(tape, (tape.inputs["x"],), "reverse", "numba", 3)
        return "\n".join(em.lines)

    assert "_vexp(" in source_of("L = exp(-x^2/2) + sqrt(x^2 + 1)")  # sqrt vectorises
    mixed = source_of("L = exp(-x^2/2) + atan(x)")  # atan is a libm call
    assert "_vexp(" not in mixed and "math.exp(" in mixed
