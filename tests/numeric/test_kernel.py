"""The kernel's calling contract: batches and broadcasting, @at points,
missing values, kept node values and adjoints, caching."""

import numpy as np
import pytest
from chainlens.engine.core.source import EvaluationError
from chainlens.engine.language.reader import parse
from chainlens.engine.numeric.kernel import compile, evaluate

from tests.conftest import ROOT

NEURON = (ROOT / "examples" / "neuron.chain").read_text()


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def neuron_expected(x, w, b, y):
    a = sigmoid(w * x + b)
    d = 2 * (a - y) * a * (1 - a)
    return (a - y) ** 2, {"w": d * x, "b": d, "x": d * w, "y": -2 * (a - y)}


def test_neuron_at_its_point_matches_the_seed_article():
    ev = evaluate(parse(NEURON))
    L, grads = neuron_expected(0.5, 0.8, -0.1, 1.0)
    assert ev.batch == 1 and ev.values["L"][0] == pytest.approx(L, rel=1e-14)
    for w, g in grads.items():
        assert ev.gradients["L"][w][0] == pytest.approx(g, rel=1e-14)


def test_batched_and_scalar_inputs_broadcast():
    kernel = compile(parse(NEURON), wrt="w, b")
    x = np.linspace(-1, 1, 7)
    ev = kernel({"x": x, "w": 0.8, "b": -0.1, "y": 1})
    L, grads = neuron_expected(x, 0.8, -0.1, 1.0)
    assert kernel.wrt == ("w", "b") and ev.batch == 7
    np.testing.assert_allclose(ev.values["L"], L, rtol=1e-14)
    np.testing.assert_allclose(ev.gradients["L"]["w"], grads["w"], rtol=1e-14)
    assert ev.gradients["L"]["b"].shape == (7,)


def test_several_at_points_are_one_batch():
    program = parse("L = x^2 * y\n@at x=1, y=2\n@at x=3, y=0.5")
    ev = evaluate(program)
    np.testing.assert_allclose(ev.values["L"], [2.0, 4.5])
    np.testing.assert_allclose(ev.gradients["L"]["x"], [4.0, 3.0])


@pytest.mark.parametrize("values, message", [
    ({"x": 1.0}, "no value for input 'y'"),
    ({"x": np.ones(3), "y": np.ones(4)}, "batch sizes differ"),
    ({"x": "one", "y": 1.0}, "not a number"),
])
def test_bad_values_are_evaluation_errors(values, message):
    with pytest.raises(EvaluationError, match=message):
        compile(parse("L = x*y"))(values)


def test_keep_gives_values_and_adjoints_of_every_name():
    program = parse(NEURON)
    ev = compile(program, wrt="w")({"x": 0.5, "w": 0.8, "b": -0.1, "y": 1.0}, keep=True)
    a = sigmoid(0.8 * 0.5 - 0.1)
    assert set(ev.node_values) == {"x", "w", "b", "y", "z", "a", "L"}
    assert ev.node_values["a"][0] == pytest.approx(a)
    # adjoints of every name, even off the w path: dL/da = 2(a - y), dL/dy = -2(a - y)
    assert ev.adjoints["a"][0] == pytest.approx(2 * (a - 1))
    assert ev.adjoints["y"][0] == pytest.approx(-2 * (a - 1))
    assert ev.adjoints["z"][0] == pytest.approx(2 * (a - 1) * a * (1 - a))


def test_equal_programs_share_generated_code():
    k1 = compile(parse("L = sin(x)*y"))
    k2 = compile(parse("L = y * sin(x)  # same IR, other spelling"))
    assert k1._code is k2._code


def test_forward_only():
    kernel = compile(parse(NEURON))
    out = kernel.forward({"x": np.array([0.5]), "w": 0.8, "b": -0.1, "y": 1.0})
    assert out["L"][0] == pytest.approx(neuron_expected(0.5, 0.8, -0.1, 1.0)[0])


def test_deep_repeat_program_compiles_lazily_and_agrees_across_backends():
    layers = 500
    source = (f"a = x\nrepeat k in 1..{layers} {{\n  z_k = w_k * a + b_k\n"
              "  a = tanh(z_k) + a\n}\nL = a^2 / 2\n")
    kernel = compile(parse(source))
    assert len(kernel.wrt) == 2 * layers + 1 and kernel.mode == "reverse"
    values = {n: 0.01 for n in kernel.inputs}
    values["x"] = 0.3
    one = kernel(values)
    # (three points would run on floats too: ask numpy for them)
    batch = compile(parse(source), backend="numpy")({**values,
                                                     "x": np.array([0.3, 0.3001, 0.2999])})
    assert one.backend == "scalar" and batch.backend == "numpy"
    assert batch.gradients["L"]["w_1"][0] == pytest.approx(one.gradients["L"]["w_1"][0])
    fd = (batch.values["L"][1] - batch.values["L"][2]) / 2e-4
    assert batch.gradients["L"]["x"][0] == pytest.approx(fd, rel=1e-6)
