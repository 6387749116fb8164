"""Deep and exponentially shared expressions: printing never recurses, is
capped at ``max_chars``, and ``render_shared`` names shared layers once."""

import pytest
from chainlens.engine.core.ir import add, call, mul
from chainlens.engine.core.nodes import ONE, num, sym
from chainlens.engine.core.walk import substitute
from chainlens.engine.printing import render, render_shared, to_python, to_text

x, y = sym("x"), sym("y")


def deep_chain(layers: int):
    e = x
    for _ in range(layers):
        e = call("sigmoid", add(mul(y, e), ONE))
    return e


def doubling(layers: int):
    """A DAG of ``layers`` nodes whose tree has 2**layers leaves."""
    e = x
    for _ in range(layers):
        e = add(call("sin", e), call("cos", e))
    return e


@pytest.mark.parametrize("notation", ["text", "unicode", "latex"])
def test_a_chain_deeper_than_the_recursion_limit_prints_truncated(notation):
    out = render(deep_chain(2500), notation, max_chars=2000)
    assert len(out) <= 2000 + 10
    assert out.rstrip().endswith(("...", "…", "\\ldots"))


def test_a_deep_chain_prints_in_full_without_a_cap():
    out = to_text(deep_chain(1200), max_chars=None)  # deeper than the recursion limit
    assert out.count("sigmoid(") == 1200
    assert out.startswith("sigmoid(y*sigmoid(y*")
    assert out.endswith("sigmoid(x*y + 1)" + " + 1)" * 1199)


def test_an_exponential_tree_is_capped():
    out = to_text(doubling(80), max_chars=5000)
    assert 5000 < len(out) <= 5004
    assert out.endswith(" ...")


def test_python_source_beyond_the_cap_names_shared_layers_and_still_runs():
    import math

    import numpy as np

    source = to_python(doubling(40), max_chars=10_000)
    assert len(source) < 10_000 and ":=" in source
    value = eval(compile(source, "<generated>", "eval"), {"np": np, "math": math, "x": 0.3})
    expected = 0.3
    for _ in range(40):
        expected = np.sin(expected) + np.cos(expected)
    assert value == pytest.approx(expected, rel=1e-12)


def test_render_shared_prints_each_shared_layer_once():
    out = render_shared(doubling(40), "text").splitlines()
    # layers 1..39 are lets, layer 40 is the expression
    assert len(out) == 40
    assert out[0] == "u1 = cos(x) + sin(x)"
    assert out[1] == "u2 = cos(u1) + sin(u1)"
    assert out[-1] == "cos(u39) + sin(u39)"


def test_render_shared_lets_read_back_to_the_node():
    from chainlens.engine.language import reader as parse
    e = doubling(12)
    *lets, body = render_shared(e, "text").splitlines()
    env = {}
    for line in lets:
        name, text = line.split(" = ", 1)
        env[sym(name)] = substitute(parse.parse_expr(text), env)
    assert substitute(parse.parse_expr(body), env) is e


def test_render_shared_unicode_names_and_avoids_clashing_letters():
    e = add(mul(sym("u1"), call("sin", add(x, y, num(3)))), call("cos", add(x, y, num(3))))
    out = render_shared(e, "unicode", min_chars=5).splitlines()
    assert out[0] == "h₁ = x + y + 3"
    assert out[-1] == "u1·sin(h₁) + cos(h₁)"


def test_render_shared_leaves_small_expressions_inline():
    e = mul(call("sigmoid", x), add(ONE, mul(num(-1), call("sigmoid", x))))
    assert render_shared(e, "text") == "sigmoid(x)*(1 - sigmoid(x))"


@pytest.mark.parametrize("notation", ["text", "unicode", "latex"])
@pytest.mark.parametrize("layers", [0, 1, 3, 6, 12, 40])
@pytest.mark.parametrize("limit", [0, 5, 40, 300, 4000])
def test_render_flat_prints_exactly_when_the_flat_length_estimate_fits(notation, layers, limit):
    """render_flat counts flat_length's estimate as it prints and gives up
    past the limit: the same decision as flat_length, the same text as
    render (what render_auto relies on)."""
    from chainlens.engine.printing import render_flat
    from chainlens.engine.printing.shared import flat_length

    for node in (deep_chain(layers), doubling(layers), x):
        got = render_flat(node, notation, max_chars=None, limit=limit)
        if flat_length(node, limit) <= limit:
            assert got == render(node, notation, max_chars=None)
        else:
            assert got is None
