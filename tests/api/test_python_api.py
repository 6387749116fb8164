"""The Python API as SymPy, JAX and PyTorch users expect it: concise reprs
and notebook renderings on every result, Derivative/Gradient/Hessian
callable on points (checked by central differences), SymPy objects accepted
where text is, Python functions read from their source and never run."""

from __future__ import annotations

import sys
from pathlib import Path

import chainlens.engine as engine
import numpy as np
import pytest
from chainlens.engine import (
    analyze,
    backprop,
    check_derivative,
    compile,
    diff,
    evaluate,
    gradient,
    hessian,
    jacobian,
    parse,
    parse_expr,
    paths,
    render_shared,
)
from chainlens.engine.core.source import ChainError

ROOT = Path(__file__).resolve().parents[2]
NEURON = (ROOT / "examples" / "neuron.chain").read_text()
DEEP = (ROOT / "examples" / "deep_sigmoid.chain").read_text()


def central(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


def results():
    program = parse(NEURON)
    return {
        "diff": diff("sin(x^2)"),
        "gradient": gradient("x^2*y"),
        "hessian": hessian("x^2*y", "x,y"),
        "jacobian": jacobian(["x*y", "x + y"], "x,y"),
        "check": check_derivative("sin(x^2)", "x cos(x^2)"),
        "backprop": backprop(program),
        "evaluate": evaluate(program),
        "analyze": analyze(DEEP),
        "paths": paths(parse((ROOT / "examples" / "graph.chain").read_text()), at={"x": 0.5}),
        "program": program,
    }


@pytest.mark.parametrize("name", list(results()))
def test_every_result_has_a_concise_repr_and_notebook_forms(name):
    value = results()[name]
    text = repr(value)
    assert len(text) < 400 and "\n" not in text and not text.startswith(
        f"{type(value).__name__}(expr=")
    markdown = value._repr_markdown_()
    assert markdown and len(markdown) < 20_000
    if name not in ("analyze", "program"):
        assert value._repr_latex_().startswith("$")


def test_reprs_say_what_a_textbook_prints():
    assert repr(diff("sin(x^2)")) == "Derivative(d/dx sin(x²) = 2x·cos(x²))"
    assert repr(gradient("x^2*y")) == "Gradient(∇x²·y in (x, y) = [2x·y, x²])"
    assert diff("sin(x^2)")._repr_latex_() == (
        r"$\displaystyle \frac{d}{dx}\left[\sin\left(x^{2}\right)\right] = "
        r"2 x \cos\left(x^{2}\right)$")
    assert "*where* x > 0" in diff("log(x)")._repr_markdown_()
    assert len(repr(analyze(DEEP))) < 400       # was 31,621 characters


def test_a_derivative_is_a_function_of_a_point():
    d = diff("sin(x^2)")
    f = parse_expr("sin(x^2)")
    for x in (-1.3, 0.2, 0.5, 2.0):
        assert d(x) == pytest.approx(central(lambda t: np.sin(t**2), x), rel=1e-7)
        assert d(x=x) == d(x)
    xs = np.linspace(-2, 2, 7)
    assert np.allclose(d(xs), 2 * xs * np.cos(xs**2))
    assert d(np.ones((2, 3))).shape == (2, 3)
    assert isinstance(d(0.5), float) and f is d.expr
    assert diff("x^3", order=2)(2.0) == pytest.approx(12.0)
    assert diff("x + 1")(np.arange(4.0)).tolist() == [1.0, 1.0, 1.0, 1.0]  # a constant
    with pytest.raises(ChainError, match="no value for a"):
        diff("a*sin(x)", "x")(0.5)
    assert diff("a*sin(x)", "x")(0.5, a=2.0) == pytest.approx(2 * np.cos(0.5))


def test_gradient_hessian_jacobian_are_functions_of_a_point():
    g = gradient("x^2*y + sin(y)")
    assert np.allclose(g(1.5, 0.3), [2 * 1.5 * 0.3, 1.5**2 + np.cos(0.3)])
    assert g(x=np.zeros(5), y=1.0).shape == (2, 5)
    h = hessian("x^2*y + sin(y)", "x,y")
    assert np.allclose(h(1.5, 0.3), [[0.6, 3.0], [3.0, -np.sin(0.3)]])
    assert jacobian(["x*y", "x + y"], "x,y")(2.0, 3.0).tolist() == [[3.0, 2.0], [1.0, 1.0]]


def test_sympy_expressions_are_accepted_where_text_is():
    sp = pytest.importorskip("sympy")
    x, y = sp.symbols("x y")
    assert diff(sp.sin(x**2)).text == "2*x*cos(x^2)"
    assert parse_expr(sp.sin(x**2)) is parse_expr("sin(x^2)")
    assert gradient(x**2 * y).text == "[2*x*y, x^2]"
    assert check_derivative(sp.sin(x**2), 2 * x * sp.cos(x**2)).equal
    k = compile(sp.exp(-x**2 / 2))
    assert k({"x": 0.5}).gradients["f"]["x"][0] == pytest.approx(-0.5 * np.exp(-0.125))
    assert engine.to_sympy(diff("sin(x^2)")) == 2 * x * sp.cos(x**2)


def test_without_sympy_the_error_says_how_to_install_it(monkeypatch):
    from chainlens.engine.api import sympy_bridge

    monkeypatch.setitem(sys.modules, "sympy", None)
    with pytest.raises(ChainError, match=r"pip install 'chainlens\[sympy\]'"):
        sympy_bridge.to_sympy("sin(x)")


def test_import_chainlens_engine_does_not_import_sympy():
    import subprocess

    code = ("import sys, chainlens.engine as e; e.diff('sin(x)'); "
            "assert 'sympy' not in sys.modules, 'sympy imported'")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def neuron(x, w, b):
    z = w * x + b
    return 1 / (1 + np.exp(-z))


def test_python_functions_are_read_not_run():
    calls = []

    def tracer(frame, event, arg):
        if event == "call" and frame.f_code in (neuron.__code__, square.__code__):
            calls.append(frame.f_code.co_name)

    square = lambda x: x**2  # noqa: E731 (the JAX spelling under test)
    sys.setprofile(tracer)
    try:
        d = diff(square)
        g = gradient(neuron)
        k = compile(neuron)
        one = diff(lambda t: np.sin(t) * t, order=2)
    finally:
        sys.setprofile(None)
    assert calls == []
    assert d.text == "2*x" and g.wrt == ("x", "w", "b")
    s = 1 / (1 + np.exp(-(0.8 * 0.5 - 0.1)))
    ev = k({"x": 0.5, "w": 0.8, "b": -0.1})
    assert ev.gradients["neuron"]["w"][0] == pytest.approx(0.5 * s * (1 - s))
    assert g(0.5, 0.8, -0.1) == pytest.approx([0.8 * s * (1 - s), 0.5 * s * (1 - s), s * (1 - s)])
    assert one(1.0) == pytest.approx(2 * np.cos(1.0) - np.sin(1.0))


def test_a_function_the_reader_cannot_follow_is_a_clear_error():
    def opaque(x):
        with open("/nonexistent") as fh:
            return fh.read()

    with pytest.raises(ChainError, match="opaque"):
        diff(opaque)


def test_render_shared_is_public():
    text = render_shared(parse_expr("sin(x^2 + y^2) + cos(x^2 + y^2)^2"), "unicode",
                         min_chars=4)
    assert text.splitlines()[0].startswith("u₁ = ") and "render_shared" in engine.__all__
