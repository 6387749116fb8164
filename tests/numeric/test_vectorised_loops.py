"""The fused numba loop is vectorised by LLVM also where it has parameters
shared by the batch (their totals kept per lane in scratch, not in a running
``s += c``), several output rows (one 1-D array each) and scratch rows (one
1-D array at constant offsets): the neuron chain's form, checked on LLVM's
optimised IR, with values and batch totals equal to numpy's."""

import builtins
import re

import numpy as np
from chainlens.engine.language.reader import parse
from chainlens.engine.numeric import backends, jit, vmath
from chainlens.engine.numeric.kernel import compile

CHAIN = "a = x\nrepeat k in 1..3 {\n  z_k = w_k * a + b_k\n  a = sigmoid(z_k)\n}\nL = (a - y)^2\n"


def _values(n):
    rng = np.random.default_rng(7)
    values = {"x": rng.uniform(-1, 1, n), "y": rng.uniform(0, 1, n)}
    values.update({f"{p}_{k}": 0.3 + 0.1 * k for p in "wb" for k in range(1, 4)})
    return values


def test_the_chain_loop_is_vectorised_and_agrees_with_numpy():
    values = _values(3001)  # not a multiple of the block: a last, short block
    fast = compile(parse(CHAIN), backend="numba")(values, sum_shared=True)
    slow = compile(parse(CHAIN), backend="numpy")(values, sum_shared=True)
    assert fast.backend == "numba" and fast.nonfinite == ()
    np.testing.assert_allclose(fast.values["L"], slow.values["L"], rtol=1e-12, atol=1e-15)
    for name, g in slow.gradients["L"].items():
        np.testing.assert_allclose(fast.gradients["L"][name], g, rtol=1e-12, atol=1e-15)
    kernel = compile(parse(CHAIN), backend="numba")
    arrays, _ = kernel._prepare(values)
    batched = tuple(a.shape[0] > 1 for a in arrays)
    source = backends.build_numba(kernel.tape, kernel._code.wrt, kernel.mode, batched, True,
                                  False, "cached")[2]
    assert "_vexp(" in source and "math." not in source and "s0 +=" in source
    assert not re.search(r"\bs\d+ \+= c", source)  # no running sum inside the point loops
    # compiled again in memory (code loaded from the disk cache has no IR to show)
    ns = jit._namespace({"_vexp": vmath.vexp})
    exec(builtins.compile(source, "<loop>", "exec"), ns)  # generated from the tape
    fn = jit._njit(False)(ns["run"])
    X = [np.asarray(a, dtype=np.float64).reshape(-1) for a in arrays]
    rows = np.empty((1 + sum(batched), len(values["x"])))
    acc = np.zeros(len(kernel.wrt) - sum(batched))
    assert fn(0, len(values["x"]), *X, *rows, acc) == 0
    np.testing.assert_allclose(rows[0], slow.values["L"], rtol=1e-12, atol=1e-15)
    ir = fn.inspect_llvm(fn.signatures[0])
    assert re.search(r"<\d+ x double>", ir), "the loop was not vectorised"


def test_a_nan_in_a_vectorised_loop_is_counted_and_located():
    values = _values(2000)
    values["x"][1234] = np.nan
    fast = compile(parse(CHAIN), backend="numba")(values, sum_shared=True)
    slow = compile(parse(CHAIN), backend="numpy")(values, sum_shared=True)
    assert fast.nonfinite == slow.nonfinite and fast.nonfinite[0].phase == "input"
