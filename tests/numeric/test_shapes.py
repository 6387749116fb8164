"""Shape errors are found before anything runs, at the offending operation,
naming both shapes."""

import pytest
from chainlens.engine.core.source import ShapeError
from chainlens.engine.language.reader import parse
from chainlens.engine.numeric.kernel import compile
from chainlens.engine.numeric.tape import infer

CASES = [
    # source, text under the caret, words in the message
    ("input x: [3]\nparam W: [4, 2]\nh = sin(x @ W)", "x @ W", ["[3] @ [4, 2]"]),
    ("input x: [3]\ninput v: [4]\nh = x * 2 + v", "x * 2 + v", ["[4]", "[3]"]),
    ("input x: [3]\nparam s: [2]\nL = sum(x) + mean(x * s)", "x * s", ["[3]", "[2]"]),
    ("param W: [2, 3, 4]\ninput x: [4]\nL = sum(W @ x)", "W @ x", ["[2, 3, 4]", "[4]"]),
    ("x = 1\nL = softmax(x)", "softmax(x)", ["scalar"]),
]


@pytest.mark.parametrize("source, where, words", CASES)
def test_shape_error_is_placed_and_names_both_shapes(source, where, words):
    with pytest.raises(ShapeError) as info:
        compile(parse(source))
    err = info.value
    assert source[err.span.start:err.span.end] == where
    for w in words:
        assert w in err.message


def test_shapes_are_inferred_for_every_name():
    program = parse("input x: [3]\nparam W: [3, 4]\nh = tanh(x @ W)\ns = softmax(h)\nL = sum(s)")
    assert dict(infer(program)) == {"x": (3,), "W": (3, 4), "h": (4,), "s": (4,), "L": ()}


def test_values_of_the_wrong_shape_are_an_evaluation_error():
    from chainlens.engine.core.source import EvaluationError

    kernel = compile(parse("input x: [3]\nL = sum(x)"))
    with pytest.raises(EvaluationError, match=r"'x' has shape \[2, 4\]; x is \[3\]"):
        kernel({"x": [[1, 2, 3, 4], [5, 6, 7, 8]]})
