"""Differentiation: the chain rule over the DAG, its results and its steps."""

from __future__ import annotations

import pytest
from chainlens.engine.core.ir import call
from chainlens.engine.core.nodes import ONE, ZERO, E, num, sym
from chainlens.engine.core.source import ChainError, LimitError
from chainlens.engine.core.walk import count_nodes, postorder
from chainlens.engine.symbolic.derivatives import diff, gradient, hessian, jacobian
from chainlens.engine.symbolic.values import value_at
from symbolic_oracles import central_difference, close

x, y, a = sym("x"), sym("y"), sym("a")
sin, cos, exp, log = (lambda u, f=f: call(f, u) for f in ("sin", "cos", "exp", "log"))
sigmoid = lambda u: call("sigmoid", u)  # noqa: E731


def sigmoid_chain(depth: int, inner=x):
    node = inner
    for _ in range(depth):
        node = sigmoid(node)
    return node


# expression, d/dx as a textbook prints it (canonical IR: term order is irrelevant)
TEXTBOOK = [
    (x**3, 3 * x**2),
    (sin(x**2), 2 * x * cos(x**2)),
    (exp(-(x**2) / 2), -x * exp(-(x**2) / 2)),
    (log(cos(x)), -call("tan", x)),
    ((3 * x**2 + 7) ** 10, 60 * x * (3 * x**2 + 7) ** 9),
    (sin(exp(x**2)), 2 * x * exp(x**2) * cos(exp(x**2))),
    ((x + 1) ** 2 * sin(x), 2 * (x + 1) * sin(x) + (x + 1) ** 2 * cos(x)),
    (a**x, a**x * log(a)),
    (x**x, x**x * (log(x) + 1)),
    (1 / (1 + exp(-x)), exp(-x) / (1 + exp(-x)) ** 2),
    (sigmoid(x), sigmoid(x) * (1 - sigmoid(x))),
    (call("asin", x), 1 / call("sqrt", 1 - x**2)),
    (call("tan", x), call("sec", x) ** 2),
    (call("sec", x), call("sec", x) * call("tan", x)),
    (x ** sin(x), x ** sin(x) * (cos(x) * log(x) + sin(x) / x)),
    (num(2) ** x, num(2) ** x * log(num(2))),
    (x / (1 + x**2), (1 - x**2) / (1 + x**2) ** 2),
    (log(exp(x)), ONE),
    (exp(log(x)), ONE),
    (sin(x) ** 2 + cos(x) ** 2, ZERO),
    (num(5), ZERO),
    (x, ONE),
]


@pytest.mark.parametrize("expr,expected", TEXTBOOK, ids=[repr(c[0])[:40] for c in TEXTBOOK])
def test_textbook_form(expr, expected):
    assert diff(expr, "x").result is expected


@pytest.mark.parametrize("expr,_", TEXTBOOK[:-2], ids=[repr(c[0])[:40] for c in TEXTBOOK[:-2]])
def test_value_matches_finite_differences(expr, _):
    env = {"x": 0.7, "a": 1.8}
    d = diff(expr, "x")
    assert close(value_at(d.result, env), central_difference(expr, "x", env))
    assert close(value_at(d.unsimplified, env), value_at(d.result, env))


def test_wrt_defaults_to_the_only_variable():
    assert diff(sin(x)).wrt == "x"


def test_ambiguous_wrt_is_a_clear_error():
    with pytest.raises(ChainError, match="which variable.*x, y"):
        diff(x * y)


def test_no_variable_is_a_clear_error():
    with pytest.raises(ChainError, match="no variables"):
        diff(num(3))


@pytest.mark.parametrize("order,expected", [
    (1, 4 * x**3), (2, 12 * x**2), (3, 24 * x), (4, num(24)), (5, ZERO)])
def test_nth_derivative(order, expected):
    assert diff(x**4, "x", order=order).result is expected


def test_nth_derivative_of_sin_cycles():
    assert diff(sin(x), "x", order=4).result is sin(x)
    assert diff(sin(x), "x", order=2).result is -sin(x)


@pytest.mark.parametrize("order", [0, -1, 11])
def test_order_out_of_range(order):
    with pytest.raises((ChainError, LimitError)):
        diff(sin(x), "x", order=order)


def test_gradient_all_variables_sorted():
    g = gradient(x**2 * y + sin(y))
    assert g.wrt == ("x", "y")
    assert g["x"].result is 2 * x * y
    assert g["y"].result is x**2 + cos(y)


def test_jacobian_of_several_outputs():
    j = jacobian([x * y, x + y**2], ["x", "y"])
    assert j.matrix == ((y, x), (ONE, 2 * y))


@pytest.mark.parametrize("expr", [
    x**2 * y**3, sin(x * y), exp(x) * log(y), sigmoid(x * y + y**2), x**y])
def test_hessian_is_symmetric(expr):
    h = hessian(expr, ["x", "y"])
    env = {"x": 0.8, "y": 1.3}
    assert close(value_at(h.matrix[0][1], env), value_at(h.matrix[1][0], env))


def test_hessian_of_polynomial():
    h = hessian(x**2 * y, ["x", "y"])
    assert h.matrix == ((2 * y, 2 * x), (2 * x, ZERO))


# ---- the DAG stays a DAG ----------------------------------------------------

@pytest.mark.parametrize("depth", [10, 50, 200])
def test_deep_sigmoid_chain_is_linear_in_depth(depth):
    d = diff(sigmoid_chain(depth), "x")
    n = count_nodes(d.result)
    assert n <= 6 * depth + 10
    env = {"x": 0.3}
    assert close(value_at(d.result, env), central_difference(sigmoid_chain(depth), "x", env))


def test_shared_subexpression_is_differentiated_once():
    shared = sin(x**2 + 1)
    expr = shared * shared + exp(shared)
    d = diff(expr, "x", simplify=False)
    # the raw derivative has cos(x^2 + 1) once as a node
    assert sum(1 for n in postorder(d.unsimplified) if n is cos(x**2 + 1)) == 1


def test_neuron_chain_gradient_is_linear_in_layers():
    a_k, params = x, []
    for k in range(1, 51):
        w, b = sym(f"w{k}"), sym(f"b{k}")
        params += [w.value, b.value]
        a_k = sigmoid(w * a_k + b)
    g = gradient(a_k, params)
    assert count_nodes([c.result for c in g.components]) <= 40 * 50


# ---- steps ------------------------------------------------------------------

STEP_CASES = [sin(x**2), sin(exp(x**2)), log(cos(x)), x**x, (x + 1) ** 2 * sin(x),
              x / (1 + x**2), 1 / (1 + exp(-x)), sigmoid(x), a**x, x, num(3) * x, num(7)]


@pytest.mark.parametrize("expr", STEP_CASES, ids=[repr(e)[:40] for e in STEP_CASES])
def test_last_step_is_the_result(expr):
    d = diff(expr, "x")
    assert d.steps and d.steps[-1].result is d.result


def test_steps_explain_the_chain_rule_outside_in():
    d = diff(sin(exp(x**2)), "x")
    rules = [s.rule for s in d.steps]
    assert rules == ["chain", "chain", "power", "combine", "simplify"][: len(rules)]
    first, second, third = d.steps[:3]
    u, v = first.u, second.u
    assert (first.outer, first.inner, first.outer_derivative) == (sin(u), exp(x**2), cos(u))
    assert first.factors[0].value is cos(exp(x**2))  # f'(u) at u = e^{x^2}
    assert (second.outer, second.inner) == (exp(v), x**2)
    assert third.result is 2 * x
    assert [s.depth for s in d.steps[:3]] == [0, 1, 2]


@pytest.mark.parametrize("expr,rule", [
    (x**x, "log-diff"), (x ** sin(x), "log-diff"), (x / (1 + x**2), "quotient"),
    (x * sin(x), "product"), (sin(x) + x**2, "sum"), (3 * sin(x), "constant-multiple"),
    (x**5, "power"), (a**x, "exponential"), (sin(x), "known"), (sin(2 * x), "chain"),
    (num(4), "constant"), (x, "variable")])
def test_first_step_names_the_rule(expr, rule):
    assert diff(expr, "x").steps[0].rule == rule


def test_simplify_step_names_its_rewrites():
    last = diff(log(cos(x)), "x").steps[-1]
    assert last.rule == "simplify" and "sin/cos -> tan" in last.uses


def test_deep_chain_steps_are_bounded():
    from chainlens.engine.symbolic.steps import MAX_STEPS

    steps = diff(sigmoid_chain(200), "x").steps
    assert len(steps) <= MAX_STEPS + 3
    assert any(s.rule == "repeat" and "176 more" in s.note for s in steps)


def test_e_is_exp_of_one():
    assert diff(E**x, "x").result is E**x


@pytest.mark.parametrize("result,text", [
    (lambda: gradient(x * y), "[y, x]"),
    (lambda: hessian(x**2 * y, ["x", "y"]), "[[2*y, 2*x], [2*x, 0]]"),
    (lambda: jacobian([x * y, x + y], ["x", "y"]), "[[y, x], [1, 1]]")])
def test_vector_and_matrix_results_print(result, text):
    assert result().text == text


def test_hessian_latex_is_a_matrix():
    assert hessian(x**2 * y, ["x", "y"]).latex == (
        "\\begin{pmatrix} 2 y & 2 x \\\\ 2 x & 0 \\end{pmatrix}")


def test_a_derivative_that_outgrows_the_limit_is_refused_not_computed():
    # Each order of a power tower multiplies its size; a shared server must
    # stop before it runs out of memory, with a clear error.
    import time

    from chainlens.engine.core.source import LimitError

    start = time.monotonic()
    with pytest.raises(LimitError, match="distinct nodes|product-rule work"):
        diff("x^x^x^x^x^x^x^x^x^x^x^x", "x", order=10)
    assert time.monotonic() - start < 30


def test_quadratic_product_rule_work_is_bounded():
    # The second derivative of a 2000-layer chain differentiates a product of
    # ~4000 factors that all depend on x: refused quickly, not minutes of work.
    import time

    from chainlens.engine.core.source import LimitError
    from chainlens.engine.language.reader import parse

    program = parse("\n".join(["a = x"] + [f"a = sigmoid(w_{k} * a + b_{k})"
                                             for k in range(1, 2001)]))
    start = time.monotonic()
    with pytest.raises(LimitError, match="product-rule work"):
        diff(program, "x", order=2)
    assert time.monotonic() - start < 30
    assert diff(program, "x").result is not None  # the first derivative is fine
