"""Large batches: the chunked numpy path equals the unchunked one, NaN/Inf are
located the same way chunk by chunk, numba builds run in the background
(the request is served by numpy meanwhile) and are cached on disk, so a
second process loads them without compiling (counted, not timed)."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from chainlens.engine.core.cache import clear_all
from chainlens.engine.language.reader import parse
from chainlens.engine.numeric import chunks, jit, schedule
from chainlens.engine.numeric import kernel as kernel_module
from chainlens.engine.numeric.kernel import compile

CHAIN = """a = x
repeat k in 1..6 {
  z_k = w_k * a + b_k
  a = sigmoid(z_k)
}
L = (a - y)^2 + log(x^2 + 1)
"""
MLP = """input x: [3]
param W: [3, 4]
param b: [4]
h = tanh(x @ W + b)
L = logsumexp(h)
"""


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 700 points from batches of 1,500 (uneven last chunk)."""
    monkeypatch.setattr(chunks, "MIN_POINTS", 700)
    monkeypatch.setattr(chunks, "MAX_POINTS", 700)
    monkeypatch.setattr(chunks, "CHUNK_MIN_BATCH", 1_500)


def _unchunked(monkeypatch):
    monkeypatch.setattr(chunks, "CHUNK_MIN_BATCH", 10**12)


def _chain_values(n, rng):
    values = {f"{p}_{k}": 0.3 + 0.1 * k for p in "wb" for k in range(1, 7)}
    values["x"], values["y"] = rng.uniform(-2, 2, n), rng.uniform(0, 1, n)
    return values


@pytest.mark.parametrize("mode", ["reverse", "forward"])
@pytest.mark.parametrize("sum_shared", [False, True])
def test_chunked_equals_unchunked_on_a_chain(small_chunks, monkeypatch, mode, sum_shared):
    kernel = compile(parse(CHAIN), backend="numpy", mode=mode)
    values = _chain_values(2_345, np.random.default_rng(1))
    chunked = kernel(values, sum_shared=sum_shared)
    forward = kernel.forward(values)
    _unchunked(monkeypatch)
    whole = kernel(values, sum_shared=sum_shared)
    np.testing.assert_allclose(chunked.values["L"], whole.values["L"], rtol=1e-14)
    np.testing.assert_allclose(forward["L"], whole.values["L"], rtol=1e-14)
    assert chunked.gradients["L"].keys() == whole.gradients["L"].keys()
    for w, g in whole.gradients["L"].items():
        assert chunked.gradients["L"][w].shape == g.shape
        np.testing.assert_allclose(chunked.gradients["L"][w], g, rtol=1e-12, atol=1e-300)


def test_chunked_equals_unchunked_on_a_tensor_program(small_chunks, monkeypatch):
    rng = np.random.default_rng(2)
    kernel = compile(parse(MLP))
    values = {"x": rng.normal(size=(1_800, 3)), "W": rng.normal(size=(3, 4)),
              "b": rng.normal(size=4)}
    chunked = [kernel(values, sum_shared=s) for s in (False, True)]
    _unchunked(monkeypatch)
    for s, part in zip((False, True), chunked, strict=True):
        whole = kernel(values, sum_shared=s)
        np.testing.assert_allclose(part.values["L"], whole.values["L"], rtol=1e-14)
        for w, g in whole.gradients["L"].items():
            np.testing.assert_allclose(part.gradients["L"][w], g, rtol=1e-12)


def test_nonfinite_reports_are_the_same_chunk_by_chunk(small_chunks, monkeypatch):
    source = "z = w*x\na = log(z)\nr = sqrt(a + 1)\nL = r * 3 + sqrt(x^2)\n"
    kernel = compile(parse(source), backend="numpy")
    rng = np.random.default_rng(3)
    x = rng.uniform(0.5, 2.0, 3_000)
    x[[3, 900, 2_999]] = -1.0       # log NaN, in three different chunks
    x[[10, 1_600]] = np.exp(-1.5)   # a + 1 < 0: sqrt NaN
    x[[20, 2_100]] = 0.0            # log(0) = -inf; sqrt(x^2) has no derivative at 0
    values = {"w": 1.0, "x": x}
    chunked = kernel(values)
    _unchunked(monkeypatch)
    whole = kernel(values)
    assert chunked.nonfinite == whole.nonfinite
    assert [(nf.phase, nf.op, nf.count) for nf in chunked.nonfinite][:2] == [
        ("forward", "log", 5), ("forward", "sqrt", 2)]


def test_a_large_first_call_is_served_by_numpy_while_numba_builds(tmp_path, monkeypatch):
    monkeypatch.setenv("CHAINLENS_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(kernel_module, "BACKGROUND_MIN_BATCH", 2_000)
    clear_all()
    kernel = compile(parse("L = sin(x) * y + x^3 + cos(y)"))
    x = np.linspace(-1, 1, 3_000)
    started = jit.STATS["background"]
    first = kernel({"x": x, "y": 2.0})
    assert first.backend == "numpy"          # never waits for the compiler
    assert jit.STATS["background"] == started + 1
    np.testing.assert_allclose(first.gradients["L"]["x"], 2 * np.cos(x) + 3 * x**2,
                               rtol=1e-13)
    schedule.wait(kernel)
    (key, (winner, t_numba, t_numpy)), = [(k, v) for k, v in kernel.plan.items()
                                          if k[0] == "background"]
    assert winner == ("numba" if t_numba <= t_numpy else "numpy")
    later = kernel({"x": x, "y": 2.0})
    assert later.backend == winner
    np.testing.assert_allclose(later.gradients["L"]["x"], first.gradients["L"]["x"],
                               rtol=1e-13)
    assert list(tmp_path.glob("*/k*.py")) and list(tmp_path.glob("*/plan-*.json"))


_CHILD = """
import json, sys
import numpy as np
from chainlens.engine.language.reader import parse
from chainlens.engine.numeric import jit
from chainlens.engine.numeric.kernel import compile
kernel = compile(parse("L = tanh(x) * exp(-y^2) + x*y"), backend="numba")
ev = kernel({"x": np.linspace(-1, 1, 1500), "y": 0.25}, sum_shared=True)
print(json.dumps({"stats": jit.STATS, "backend": ev.backend,
                  "g": float(ev.gradients["L"]["y"])}))
"""


def _child(cache):
    env = dict(os.environ, CHAINLENS_CACHE_DIR=str(cache))
    out = subprocess.run([sys.executable, "-c", _CHILD], env=env, capture_output=True,
                         text=True, timeout=300, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_second_process_loads_the_compiled_loop_from_disk(tmp_path):
    first, second = _child(tmp_path), _child(tmp_path)
    assert first["stats"]["compiled"] == 1 and first["stats"]["loaded"] == 0
    assert second["stats"]["compiled"] == 0 and second["stats"]["loaded"] == 1
    assert first["backend"] == second["backend"] == "numba"
    assert first["g"] == second["g"]


def test_a_cache_directory_others_can_write_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("CHAINLENS_CACHE_DIR", str(tmp_path))
    where = jit.cache_dir()
    assert where is not None and (where.stat().st_mode & 0o777) == 0o700
    where.chmod(0o777)
    assert jit.cache_dir() is None
    monkeypatch.setenv("CHAINLENS_CACHE_DIR", "")
    assert jit.cache_dir() is None


def test_a_tampered_cache_file_is_rewritten_before_it_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("CHAINLENS_CACHE_DIR", str(tmp_path))
    source = "def run(lo, hi, A0, OUT, ACC):\n    OUT[0, 0] = A0[0] * 2.0\n    return 0\n"
    fn, _, _ = jit.compile_loop(source, "run", {}, False, [(1,), (1, 1), (0,)])
    path, = tmp_path.glob("*/k*.py")
    path.write_text(source.replace("2.0", "3.0"))
    fn, _, _ = jit.compile_loop(source, "run", {}, False, [(1,), (1, 1), (0,)])
    out = np.zeros((1, 1))
    fn(0, 1, np.array([5.0]), out, np.zeros(0))
    assert out[0, 0] == 10.0 and path.read_text() == source


def test_the_compiling_child_imports_rules_helpers_only():
    spec = {"source": "", "fname": "run", "parallel": False, "shapes": [],
            "helpers": {"_x": "os:system"}}
    out = subprocess.run([sys.executable, "-m", "chainlens.engine.numeric.jit"],
                         input=json.dumps(spec), capture_output=True, text=True, timeout=120)
    assert out.returncode != 0 and "not a rules helper" in out.stderr
