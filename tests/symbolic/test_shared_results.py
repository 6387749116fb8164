"""Large results print with shared sub-expressions by default (#17).

A result whose flat text would exceed ``SHARED_ABOVE`` characters prints as
lets then the expression; that text is a .chain program whose output,
expanded, is the result node itself.  A gradient prints in one walk with
lets shared by all its components.
"""

from __future__ import annotations

from chainlens.engine import diff, gradient
from chainlens.engine.core.ir import call
from chainlens.engine.core.nodes import sym
from chainlens.engine.language.reader import parse
from chainlens.engine.printing import render_auto, render_shared_many, to_text
from chainlens.engine.printing.shared import SHARED_ABOVE, flat_length


def _chain(depth):
    node = sym("x")
    for _ in range(depth):
        node = call("sigmoid", node)
    return node


def test_short_results_print_flat():
    d = diff("sin(x^2)", "x")
    assert d.text == "2*x*cos(x^2)" == render_auto(d.result)


def test_long_results_print_shared_and_read_back_to_the_same_node():
    d = diff(_chain(60), "x")
    assert flat_length(d.result) > SHARED_ABOVE
    text = d.text
    assert "\n" in text and text.startswith("u1 = ")
    assert len(text) < 20_000
    assert parse(text).expr is d.result


def test_flat_length_estimates_the_flat_text():
    for depth in (2, 4, 6):
        node = diff(_chain(depth), "x").result
        flat = len(to_text(node, max_chars=None))
        assert flat / 2 <= flat_length(node) <= 2 * flat


def test_a_gradient_prints_in_one_walk_with_shared_lets():
    a, names = sym("x"), ["x"]
    for k in range(1, 21):
        w, b = sym(f"w{k}"), sym(f"b{k}")
        names += [w.value, b.value]
        a = call("sigmoid", w * a + b)
    g = gradient(a, names)
    shared = render_shared_many([c.result for c in g.components])
    assert len(shared.bodies) == len(names) and shared.lets
    lines = shared.lines([f"d_{n}" for n in names])
    program = parse("\n".join(lines))
    for n, comp in zip(names, g.components, strict=True):
        assert program.expanded(f"d_{n}") is comp.result

