"""The graph picture's data and DOT text: structure, the numbers on nodes and
edges (checked against finite differences and hand-derived formulas), the
colour chosen for known gradient magnitudes, and path highlighting."""

import math
import re

import numpy as np
import pytest
from chainlens.engine.core.source import ChainError, LimitError
from chainlens.engine.graph.build import MAX_GRAPH_NODES, build_graph
from chainlens.engine.graph.dot import BANDS, colour, to_dot
from chainlens.engine.graph.layers import layer_gradients
from chainlens.engine.language.reader import parse

NEURON = """\
z = w*x + b
a = sigmoid(z)
L = (a - y)^2
@at x=0.5, w=0.8, b=-0.1, y=1
"""
POINT = {"x": 0.5, "w": 0.8, "b": -0.1, "y": 1.0}


def sigmoid(t):
    return 1 / (1 + math.exp(-t))


def neuron_loss(x, w, b, y):
    return (sigmoid(w * x + b) - y) ** 2


def central(f, point, name, h=1e-6):
    hi, lo = dict(point), dict(point)
    hi[name] += h
    lo[name] -= h
    return (f(**hi) - f(**lo)) / (2 * h)


@pytest.fixture(scope="module")
def neuron():
    return build_graph(parse(NEURON))


def by_name(graph, name):
    return next(n for n in graph.nodes if n.name == name)


def edge(graph, source, target):
    s, t = by_name(graph, source).key, by_name(graph, target).key
    return next(e for e in graph.edges if e.source == s and e.target == t)


# ---- structure ---------------------------------------------------------------


def test_the_neuron_has_its_inputs_operations_and_output(neuron):
    kinds = {n.name: n.kind for n in neuron.nodes if n.name}
    assert kinds == {"b": "input", "w": "input", "x": "input", "y": "input",
                     "z": "op", "a": "op", "L": "output"}
    titles = sorted(n.title for n in neuron.nodes if n.kind != "input")
    # constants are folded into the operation that uses them: -y is "× −1"
    assert titles == sorted(["×", "+", "σ", "× −1", "+", "(·)²"])
    assert len(neuron.edges) == 9


def test_edges_carry_the_tables_local_derivatives(neuron):
    z = 0.8 * 0.5 - 0.1
    a = sigmoid(z)
    cases = [
        (edge(neuron, "z", "a"), "σ(z)·(1 − σ(z))", a * (1 - a)),
        (edge(neuron, "b", "z"), "1", 1.0),
    ]
    for e, formula, value in cases:
        assert e.derivative == formula
        assert e.value == pytest.approx(value, rel=1e-12)
    square = next(e for e in neuron.edges if e.target == by_name(neuron, "L").key)
    assert square.derivative == "2(a − y)"
    assert square.value == pytest.approx(2 * (a - 1), rel=1e-12)


@pytest.mark.parametrize("name", ["x", "w", "b", "y"])
def test_node_adjoints_match_central_differences(neuron, name):
    assert by_name(neuron, name).adjoint == pytest.approx(
        central(neuron_loss, POINT, name), rel=1e-6)
    assert neuron.gradients[name] == by_name(neuron, name).adjoint


def test_node_values_are_the_forward_pass(neuron):
    z = 0.8 * 0.5 - 0.1
    assert by_name(neuron, "z").value == pytest.approx(z)
    assert by_name(neuron, "a").value == pytest.approx(sigmoid(z))
    assert by_name(neuron, "L").value == pytest.approx(neuron_loss(**POINT))


# ---- colours -------------------------------------------------------------------

@pytest.mark.parametrize(
    ("magnitude", "fill"),
    [
        (25.0, "#d73027"),
        (10.0, "#d73027"),
        (1.0, "#fc8d59"),
        (0.8511, "#fee090"),
        (0.05, "#ffffbf"),
        (0.005, "#e0f3f8"),
        (5e-4, "#91bfdb"),
        (1e-30, "#4575b4"),
        (0.0, "#d9d9d9"),
        (math.inf, "#000000"),
        (math.nan, "#000000"),
        (None, "#ffffff"),
    ],
)
def test_colour_bands_are_decades_of_the_gradient(magnitude, fill):
    assert colour(magnitude) == fill


def test_dot_fills_each_node_by_its_gradient_band(neuron):
    dot = to_dot(neuron)
    fills = dict(re.findall(r'n(\d+) \[label="[^"]*", fillcolor="(#[0-9a-f]{6})"', dot))
    # |∂L/∂a| = 2|a − y|·1 = 0.851: band 0.1–1; |∂L/∂L| = 1: band 1–10
    assert fills[str(by_name(neuron, "a").key)] == "#fee090"
    assert fills[str(by_name(neuron, "L").key)] == "#fc8d59"
    assert len(fills) == len(neuron.nodes)


def test_dot_text_lists_labels_edges_and_a_legend(neuron):
    dot = to_dot(neuron)
    a, z = by_name(neuron, "a").key, by_name(neuron, "z").key
    assert dot.startswith("digraph chainlens {")
    assert f'n{a} [label="a = σ\\n= 0.5744\\n∂L/∂a = −0.8511"' in dot
    assert f'n{z} -> n{a} [label="σ(z)·(1 − σ(z))\\n= 0.2445"];' in dot
    assert 'label="L at x=0.5, w=0.8, b=−0.1, y=1"' in dot
    for b in BANDS:
        assert f'bgcolor="{b.fill}"' in dot
    assert dot.rstrip().endswith("}")


def test_without_a_point_the_structure_is_drawn_alone():
    graph = build_graph(parse("z = w*x + b\na = sigmoid(z)"))
    assert graph.at is None and all(n.value is None for n in graph.nodes)
    dot = to_dot(graph)
    assert "no point" in dot
    assert set(re.findall(r'fillcolor="(#[0-9a-f]{6})"', dot)) == {"#ffffff"}


def test_a_graph_too_big_to_read_is_a_limit_error():
    with pytest.raises(LimitError, match="pictures stop at 5"):
        build_graph(parse(NEURON), max_nodes=5)
    assert MAX_GRAPH_NODES >= 1000


def test_a_missing_value_is_an_error_with_a_hint():
    with pytest.raises(ChainError, match="no value for y"):
        build_graph(parse("L = (w*x - y)^2"), {"w": 1.0, "x": 2.0})


# ---- paths -------------------------------------------------------------------------

TWO_PATHS = "a = x + 1\nb = a^2\nc = sin(x)\ny = b * c\n@at x=0.7\n"


def test_path_fluxes_out_of_an_input_sum_to_its_derivative():
    graph = build_graph(parse(TWO_PATHS))
    x = 0.7
    expected = 2 * (x + 1) * math.sin(x) + (x + 1) ** 2 * math.cos(x)  # the seed article's
    assert graph.path_counts == {"x": 2}
    assert graph.gradients["x"] == pytest.approx(expected, rel=1e-12)
    src = by_name(graph, "x").key
    out_of_x = [e.flux for e in graph.edges if e.source == src]
    assert len(out_of_x) == 2
    assert sum(out_of_x) == pytest.approx(expected, rel=1e-12)
    # each path's product: 2(x+1)·sin(x) through a, (x+1)²·cos(x) through sin
    assert sorted(out_of_x) == pytest.approx(
        sorted([2 * (x + 1) * math.sin(x), (x + 1) ** 2 * math.cos(x)]), rel=1e-12)


def test_the_largest_path_is_marked_bold_in_the_dot_text():
    graph = build_graph(parse(TWO_PATHS))
    best = [e for e in graph.edges if e.best]
    x = 0.7
    # |(x+1)²·cos(x)| = 2.2 beats |2(x+1)·sin(x)| = 2.19: the path through sin
    assert any(e.derivative == "cos(x)" for e in best)
    dot = to_dot(graph, paths=True)
    assert dot.count("style=bold") == len(best)
    assert "2 paths" in dot
    assert (x + 1) ** 2 * math.cos(x) > 2 * (x + 1) * math.sin(x)


def test_without_paths_no_edge_is_highlighted(neuron):
    assert "penwidth" not in to_dot(neuron, paths=False)


# ---- tensors and layers -----------------------------------------------------------


def test_a_tensor_program_shows_shapes_and_gradient_norms():
    program = parse("input v: [3]\nparam W: [2, 3]\nh = W @ v\nL = sum(h*h)\n"
                    "@at v=[1, 2, 3], W=[[1, 0, 0], [0, 1, 0]]\n")
    graph = build_graph(program)
    W = np.array([[1.0, 0, 0], [0, 1, 0]])
    v = np.array([1.0, 2, 3])
    h = W @ v
    assert by_name(graph, "h").shape == (2,)
    # a tensor's magnitude is its largest entry, as in the health report
    assert by_name(graph, "h").adjoint == pytest.approx(np.abs(2 * h).max())
    assert by_name(graph, "W").adjoint == pytest.approx(np.abs(np.outer(2 * h, v)).max())
    assert "‖∂L/∂W‖∞ = 12" in to_dot(graph)


def test_layer_gradients_equal_the_bias_gradients_they_imply():
    # z_k = w_k a + b_k, so ∂L/∂z_k = ∂L/∂b_k, checked by central differences on b_k
    source = ("a = x\nrepeat k in 1..4 {\n  z_k = w_k * a + b_k\n  a = tanh(z_k)\n}\n"
              "L = (a - y)^2\n")
    weights = {"x": 0.3, "y": 0.9, "w_1": 1.5, "w_2": -0.7, "w_3": 2.0, "w_4": 0.4,
               "b_1": 0.1, "b_2": -0.2, "b_3": 0.05, "b_4": 0.3}

    def loss(**p):
        a = p["x"]
        for k in range(1, 5):
            a = math.tanh(p[f"w_{k}"] * a + p[f"b_{k}"])
        return (a - p["y"]) ** 2

    norms = layer_gradients(parse(source), weights)
    assert norms.layers == (1, 2, 3, 4)
    assert set(norms.series) == {"z_k", "a"}
    for k in range(1, 5):
        assert norms.series["z_k"][k - 1] == pytest.approx(
            abs(central(loss, weights, f"b_{k}")), rel=1e-6)


def test_layer_gradients_need_a_repeat():
    with pytest.raises(ChainError, match="repeat"):
        layer_gradients(parse(NEURON))


def test_paths_from_a_name_that_is_not_an_input_is_an_error():
    with pytest.raises(ChainError, match="cannot follow paths from 'q'"):
        build_graph(parse(NEURON), wrt="q")


def test_a_value_that_is_nan_is_outlined_where_it_first_appears():
    graph = build_graph(parse("f = log(x) + x"), {"x": -1.0})
    dot = to_dot(graph)
    log_node = next(n for n in graph.nodes if n.title == "log")
    assert math.isnan(log_node.value)
    assert re.search(rf'n{log_node.key} \[[^\]]*color="#e7298a", penwidth=3', dot)
    assert dot.count("penwidth=3") == 1  # the sum after it is NaN too, but not the origin


# ---- bad input -----------------------------------------------------------------

@pytest.mark.parametrize(("source", "at", "message"), [
    ("", None, "nothing to draw"),
    ("sin(w*x)", {"w": 1.0, "x": [1.0, 2.0]}, r"has shape \[2\]; x is a scalar"),
    ("input x: [3]\ny = sum(x)", {"x": [1.0, 2.0]}, r"has shape \[2\]; x is \[3\]"),
    ("input x: [3]\ny = sum(x)", {"x": [[1.0, 2.0, 3.0]]}, r"has shape \[1, 3\]"),
    ("sin(x)", {"x": "abc"}, "not a number or array"),
], ids=["empty", "vector for a scalar", "short vector", "a batch", "text"])
def test_a_program_or_point_that_cannot_be_drawn_is_a_chain_error(source, at, message):
    with pytest.raises(ChainError, match=message):
        build_graph(parse(source), at)
