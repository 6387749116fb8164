"""Backprop through a program's names, and its expanded form."""

from __future__ import annotations

from pathlib import Path

import pytest
from chainlens.engine.core.ir import call
from chainlens.engine.core.nodes import sym
from chainlens.engine.core.walk import count_nodes
from chainlens.engine.language.reader import parse, parse_expr
from chainlens.engine.symbolic.adjoints import backprop
from chainlens.engine.symbolic.derivatives import diff, gradient
from chainlens.engine.symbolic.values import value_at
from symbolic_oracles import central_difference, close

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NEURON = parse((EXAMPLES / "neuron.chain").read_text())
GRAPH = parse((EXAMPLES / "graph.chain").read_text())

# name, ∂L/∂name through the names, as the seed article writes them
NEURON_ADJOINTS = [
    ("L", "1"),
    ("a", "2*(a - y)"),
    ("z", "2*(a - y)*sigmoid(z)*(1 - sigmoid(z))"),
    ("w", "2*(a - y)*sigmoid(z)*(1 - sigmoid(z))*x"),
    ("b", "2*(a - y)*sigmoid(z)*(1 - sigmoid(z))"),
    ("x", "2*(a - y)*sigmoid(z)*(1 - sigmoid(z))*w"),
    ("y", "2*y - 2*a"),  # the textbook stage's shortest form of -2(a - y)
]


@pytest.mark.parametrize("name,through", NEURON_ADJOINTS)
def test_neuron_adjoints_through_names(name, through):
    assert backprop(NEURON)[name].through is parse_expr(through)


def test_neuron_order_is_output_to_inputs():
    assert [a.name for a in backprop(NEURON).adjoints] == ["L", "a", "z", "b", "w", "x", "y"]


@pytest.mark.parametrize("name", ["w", "b", "x", "y"])
def test_neuron_expanded_matches_diff_and_finite_differences(name):
    bp = backprop(NEURON)
    expanded = NEURON.expr
    assert bp[name].expanded is diff(expanded, name).result
    point = {k: float(v) for k, v in NEURON.points[0].as_dict().items()}
    assert close(value_at(bp[name].expanded, point), central_difference(expanded, name, point))


def test_neuron_at_the_article_point():
    """x=0.5, w=0.8, b=-0.1, y=1: z = 0.3."""
    import math

    s = 1 / (1 + math.exp(-0.3))
    point = {"x": 0.5, "w": 0.8, "b": -0.1, "y": 1.0}
    assert value_at(backprop(NEURON)["w"].expanded, point) == pytest.approx(
        2 * (s - 1) * s * (1 - s) * 0.5)


def test_two_paths_are_summed():
    bp = backprop(GRAPH)
    assert bp["x"].through is parse_expr("2*a*c + b*cos(x)")
    assert {via for via, _ in bp["x"].terms} == {"a", "c"}
    assert bp["x"].expanded is parse_expr("2*(x + 1)*sin(x) + (x + 1)^2*cos(x)")


def test_deep_repeat_program():
    src = "a = x\nrepeat k in 1..50 {\n  z_k = w_k * a + b_k\n  a = sigmoid(z_k)\n}\nL = a^2\n"
    program = parse(src)
    bp = backprop(program, wrt="w_1")
    assert count_nodes([a.through for a in bp.adjoints]) < 60 * 50
    g = gradient(program.expr, ["w_1", "w_50"])
    assert bp["w_1"].expanded is g["w_1"].result


def test_program_with_several_outputs_needs_a_name():
    program = parse("u = x^2\nv = sin(x)\nu\nv\n")  # two expression statements
    from chainlens.engine.core.source import ChainError

    with pytest.raises(ChainError, match="outputs"):
        backprop(program)
    second = program.outputs[1]
    assert backprop(program, output=second)["x"].through is call("cos", sym("x"))


def test_diff_and_jacobian_take_programs():
    assert diff(NEURON, "w").result is backprop(NEURON)["w"].expanded
    from chainlens.engine.symbolic.derivatives import jacobian

    program = parse("u = x^2*y\nv = sin(x)\nu\nv\n")
    j = jacobian(program, ["x", "y"])
    assert j.matrix == ((parse_expr("2*x*y"), parse_expr("x^2")),
                        (parse_expr("cos(x)"), parse_expr("0")))
