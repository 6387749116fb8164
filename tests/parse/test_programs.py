"""The .chain language: statements, names, versions, functions, points,
declarations and repeat blocks, and the source map every node carries."""

from fractions import Fraction

import pytest
from chainlens.engine.core.ir import add, call, mul, power, sub
from chainlens.engine.core.nodes import ONE, num, sym
from chainlens.engine.core.source import ParseError
from chainlens.engine.language.reader import parse, parse_expr

x, y, z, w, b, a = (sym(n) for n in "xyzwba")


def test_assignments_keep_their_names_and_refer_to_each_other_by_name():
    p = parse("z = w*x + b\na = sigmoid(z)\nL = (a - y)^2")
    assert p.names == ("z", "a", "L")
    assert p.assignment("a").expr is call("sigmoid", z)
    assert p.outputs == ("L",)
    assert p.inputs == ("b", "w", "x", "y")
    assert p.expr is power(sub(call("sigmoid", add(mul(w, x), b)), y), num(2))


@pytest.mark.parametrize(
    ("source", "outputs"),
    [
        ("x^2", ("_1",)),
        ("a = x\nb = a + 1", ("b",)),
        ("a = x\nsin(a)\ncos(a)", ("_1", "_2")),
        ("a = x\nb = a + 1\n@output a", ("a",)),
        ("a = x; a = a + 1\n@output a", ("a@2",)),
        ("@output b, a\na = x\nb = 2a", ("b", "a")),
        ("input x", ()),
    ],
)
def test_outputs_default_to_expression_statements_else_the_last_assignment(source, outputs):
    assert parse(source).outputs == outputs


def test_statements_end_at_newlines_or_semicolons_and_comments_are_ignored():
    p = parse("a = 1; b = a + x  # a comment (with a bracket\n\n# whole-line comment\nc = b")
    assert p.names == ("a", "b", "c")
    assert p.expanded("c") is add(num(1), x)


def test_newlines_inside_brackets_do_not_end_a_statement():
    p = parse("y = (x\n  + 1) * max(\n x, 2)")
    assert p.assignment("y").expr is mul(add(x, ONE), call("max", x, num(2)))


def test_rebinding_makes_ssa_versions():
    p = parse("a = x\na = a + 1\na = 2a")
    assert p.names == ("a", "a@2", "a@3")
    assert p.assignment("a@2").expr is add(sym("a"), ONE)
    assert p.assignment("a@3").expr is mul(num(2), sym("a@2"))
    assert p.latest("a") == "a@3"
    assert p.expr is mul(num(2), add(x, ONE))


def test_a_name_read_before_it_is_assigned_is_an_input_and_the_assignment_a_new_version():
    p = parse("y = a + 1\na = 2y")
    assert p.inputs == ("a",)
    assert p.names == ("y", "a@2")
    assert p.expanded("a@2") is mul(num(2), add(sym("a"), ONE))


def test_user_functions_are_inlined_at_call_sites():
    p = parse("f(t, u) = t^2 + u\ng(t) = f(t, 1) * 2\ny = g(x + 1) + f(y0, x)")
    assert [f.name for f in p.functions] == ["f", "g"]
    assert p.functions[0].params == ("t", "u")
    expected = add(mul(num(2), add(power(add(x, ONE), num(2)), ONE)),
                   add(power(sym("y0"), num(2)), x))
    assert p.assignment("y").expr is expected


def test_function_bodies_see_names_as_they_were_when_defined():
    p = parse("c = 3\nf(t) = c*t\nc = 5\ny = f(x)")
    assert p.assignment("y").expr is mul(sym("c"), x)
    p = parse("f(t) = a*t\na = 2\ny = f(x)")  # `a` was an input when f was defined
    assert p.names == ("a@2", "y")
    assert p.expr is mul(sym("a"), x)


def test_at_points_are_exact_where_written_as_decimals():
    p = parse("y = w*x + b + v\n@at x=0.5, w=-0.8, b=1/3, v=[1, 2.5]\n@at x=pi/2, w=1e-3, b=2, "
              "v=[[1, 2], [3, 4]]")
    first, second = (pt.as_dict() for pt in p.points)
    assert first == {"x": Fraction(1, 2), "w": Fraction(-4, 5), "b": Fraction(1, 3),
                     "v": (Fraction(1), Fraction(5, 2))}
    assert second["x"] == pytest.approx(1.5707963267948966)
    assert second["w"] == Fraction(1, 1000)
    assert second["v"] == ((1, 2), (3, 4))


def test_wrt_and_declarations():
    p = parse("input x: [3] in [-1, 1]\nparam W: [4, 3]\nparam c\ny = W*x + c\n@wrt W, c")
    d = {d.name: d for d in p.declarations}
    assert d["x"].role == "input" and d["x"].shape == (3,)
    assert d["x"].range == (Fraction(-1), Fraction(1))
    assert d["W"].role == "param" and d["W"].shape == (4, 3) and d["W"].range is None
    assert d["c"].shape == ()
    assert p.wrt == ("W", "c")
    assert p.declaration("x") is d["x"]


def test_repeat_expands_layers_with_subscripts_and_versions():
    p = parse("repeat k in 1..3 {\n  z_k = w_k * a + b_{k}\n  a = sigmoid(z_k)\n}\n")
    assert p.names == ("z_1", "a@2", "z_2", "a@3", "z_3", "a@4")
    assert [a.layer for a in p.assignments] == [1, 1, 2, 2, 3, 3]
    assert p.assignment("z_2").expr is add(mul(sym("w_2"), sym("a@2")), sym("b_2"))
    (rep,) = p.repeats
    assert (rep.var, rep.start, rep.stop) == ("k", 1, 3)
    assert rep.layers == (("z_1", "a@2"), ("z_2", "a@3"), ("z_3", "a@4"))
    assert p.outputs == ("a@4",)
    assert p.inputs == ("a", "b_1", "b_2", "b_3", "w_1", "w_2", "w_3")


def test_repeat_variable_is_the_layer_number_and_subscripts_can_offset_it():
    p = parse("repeat k in 2..3 { h_k = k * h_{k-1} }")
    assert p.assignment("h_2").expr is mul(num(2), sym("h_1"))
    assert p.assignment("h_3").expr is mul(num(3), sym("h_2"))


def test_repeat_declarations_get_their_layer():
    p = parse("repeat j in 1..2 { param W_j: [2, 2]\n h = W_j*h }")
    assert [(d.name, d.layer) for d in p.declarations] == [("W_1", 1), ("W_2", 2)]


def test_nested_repeats():
    p = parse("repeat i in 1..2 { repeat j in 1..2 { s = s + w_{i}_{j} } }")
    assert p.names == ("s@2", "s@3", "s@4", "s@5")
    assert p.expr is add(sym("s"), *(sym(f"w_{i}_{j}") for i in (1, 2) for j in (1, 2)))
    (outer,) = p.repeats  # nested blocks belong to their enclosing layer
    assert outer.var == "i" and outer.layers == (("s@2", "s@3"), ("s@4", "s@5"))


def test_a_fifty_layer_network_expands_to_a_shared_dag():
    p = parse("repeat k in 1..50 {\n a = sigmoid(w_k * a + b_k)\n}\n")
    assert len(p.assignments) == 50
    from chainlens.engine.core.walk import count_nodes, depth

    assert depth(p.expr) > 100
    assert count_nodes(p.expr) < 50 * 6


# ---- the source map --------------------------------------------------------------


def _text(p, node):
    return [p.source[s.start:s.end] for s in p.spans[node]]


def test_spans_point_at_the_text_each_node_was_written_as():
    src = "z = w*x + b\na = sigmoid(z)  # note\nL = (a - y)^2"
    p = parse(src)
    assert _text(p, add(mul(w, x), b)) == ["w*x + b"]
    assert _text(p, mul(w, x)) == ["w*x"]
    assert _text(p, call("sigmoid", z)) == ["sigmoid(z)"]
    assert _text(p, sub(a, y)) == ["(a - y)", "a - y"]
    assert _text(p, power(sub(a, y), num(2))) == ["(a - y)^2"]
    span = p.spans[call("sigmoid", z)][0]
    assert (span.line, span.column, span.end_line, span.end_column) == (2, 5, 2, 15)


def test_a_node_written_twice_has_both_spans():
    p = parse("y = sin(x) + 2*sin(x)")
    assert _text(p, call("sin", x)) == ["sin(x)", "sin(x)"]
    assert [s.column for s in p.spans[call("sin", x)]] == [5, 16]


def test_assignment_spans():
    p = parse("# header\nlong_name  =  x^2 + 1")
    (asg,) = p.assignments
    src = p.source
    assert src[asg.span.start:asg.span.end] == "long_name  =  x^2 + 1"
    assert src[asg.name_span.start:asg.name_span.end] == "long_name"
    assert src[asg.expr_span.start:asg.expr_span.end] == "x^2 + 1"
    assert asg.name_span.line == 2


def test_spans_in_latex_and_across_wrapped_lines():
    p = parse("y = \\frac{1}{1+e^{-x}} + (x\n   + 1)")
    assert _text(p, call("exp", -x)) == ["e^{-x}"]
    (span,) = p.spans[add(x, ONE)][:1]
    assert (span.line, span.end_line) == (1, 2)


def test_parse_expr_refuses_programs():
    with pytest.raises(ParseError, match="single expression"):
        parse_expr("a = x\na + 1")
    with pytest.raises(ParseError, match="single expression"):
        parse_expr("x\n@at x=1")


def test_every_span_lies_inside_the_source_and_covers_text():
    from pathlib import Path

    src = (Path(__file__).resolve().parents[2] / "examples" / "tour.chain").read_text()
    p = parse(src)
    assert len(p.spans) > 50
    for node, spans in p.spans.items():
        for s in spans:
            assert 0 <= s.start < s.end <= len(src), node
            assert src[s.start:s.end].strip() == src[s.start:s.end]
            assert p.span_of(node) is spans[0]


def test_matmul_operator_is_the_tensor_primitive():
    from chainlens.engine.rules import RULES

    if "matmul" not in RULES:
        pytest.skip("the numeric helper's tensor rules are not in this install")
    W = sym("W")
    assert parse_expr("W @ x") is call("matmul", W, x)
    assert parse_expr("np.matmul(W, x) + b") is add(call("matmul", W, x), b)
    assert parse_expr("2 W @ x") is call("matmul", mul(num(2), W), x)  # left to right


def test_tensor_operators_without_tensor_rules_are_a_clear_error(monkeypatch):
    from chainlens.engine import rules

    monkeypatch.delitem(rules.RULES, "matmul", raising=False)
    with pytest.raises(ParseError, match="tensor operations not available") as info:
        parse("y = W @ x")
    assert info.value.span.column == 5


def test_empty_input():
    assert parse("").assignments == ()
    assert parse("# only a comment\n\n").outputs == ()
    with pytest.raises(ParseError, match="found nothing") as info:
        parse_expr("  ")
    assert info.value.span is not None


def test_windows_line_endings_and_a_byte_order_mark():
    p = parse("\ufeffa = 1\r\nb = (a +\r\n 2)\r\n")
    assert p.names == ("a", "b")
    assert p.expr is num(3)
    assert (p.assignments[1].span.line, p.assignments[1].span.end_line) == (2, 3)
