"""Bad input gets a ParseError (or LimitError) that names the place, says what
was expected in words and hints at the fix; limits hold without ever reaching
Python's recursion limit."""

import importlib

import pytest
from chainlens.engine.core.source import LimitError, ParseError
from chainlens.engine.language.reader import parse

parse_module = importlib.import_module("chainlens.engine.language.reader")
exprs_module = importlib.import_module("chainlens.engine.language.exprs")

# (source, message fragment, line, column, expected word or None, hint fragment or None)
BAD = [
    ("sin(x", "'(' opened at line 1, column 4 is never closed", 1, 4, "')'", "add ')'"),
    ("a = 1\nb = (a +\n  2", "opened at line 2, column 5 is never closed", 2, 5, "')'", None),
    ("x + 1)", "')' has no matching opening bracket", 1, 6, None, None),
    ("(x]", "']' does not match the '(' opened at line 1, column 1", 1, 3, "')'", None),
    ("\\left( x", "'\\left(' opened at line 1, column 1 is never closed", 1, 1, "'\\right)'",
     "\\left and \\right come in pairs"),
    ("\\left( x )", "does not match the '\\left('", 1, 10, "'\\right)'", "come in pairs"),
    ("\\frac{1}", "unexpected end of input", 1, 9, "'{'", "\\frac takes two arguments"),
    ("\\frac{1}{}", "unexpected '}'", 1, 10, "a number", "\\frac takes two arguments"),
    ("sinn(x)", "unknown function 'sinn'", 1, 1, None, "did you mean 'sin'?"),
    ("y = sigmoud(z)", "unknown function 'sigmoud'", 1, 5, None, "did you mean 'sigmoid'?"),
    ("np.sine(x)", "unknown function 'np.sine'", 1, 1, None, "did you mean 'sin'?"),
    ("foo(x)", "unknown function 'foo'", 1, 1, None, "define it first"),
    ("\\sinx", "unknown LaTeX command \\sinx", 1, 1, None, "did you mean \\sin?"),
    ("x +\ny = 2", "unexpected end of line", 1, 4, "a number", "incomplete"),
    ("x ^", "unexpected end of input", 1, 4, "a name", "incomplete"),
    ("x 2", "unexpected '2'", 1, 3, "an operator", "put '*' between"),
    ("sin(x 2)", "unexpected '2'", 1, 7, "')'", None),
    ("2|x|", "unexpected '|'", 1, 2, "an operator", "2*|x|"),
    ("x = $", "unexpected character '$'", 1, 5, "a number", None),
    ("x = ", "nothing after '='", 1, 5, "'('", None),
    ("@at x", "@at needs name=value pairs", 1, 6, "'='", "@at x=0.5"),
    ("repeat k in 1..3 x", "repeat header", 1, 18, None, "repeat k in 1..10"),
    ("input x: 3", "a declaration reads", 1, 10, "'['", "input x: [3]"),
    ("sin", "'sin' is a function", 1, 1, None, "\\sin x"),
    ("sin(x, y)", "sin takes 1 argument, got 2", 1, 1, None, None),
    ("f(t) = t\nf(1, 2)", "f takes 1 argument(s), got 2", 2, 1, None, "defined on line 1"),
    ("f(t) = f(t)", "calls itself", 1, 8, None, None),
    ("sin = 2", "built-in function", 1, 1, None, None),
    ("2 = x", "only a name can be assigned", 1, 1, "a name", None),
    ("f(x+1) = 2", "parameters must be plain names", 1, 3, "a name", None),
    ("y = x\n@at y=1", "'y' is not an input", 2, 5, "x", "computed by the program (line 1)"),
    ("y = weight\n@at wieght=1", "'wieght' is not an input", 2, 5, "weight",
     "did you mean 'weight'?"),
    ("y = x\n@wrt q", "'q' is not an input", 2, 6, "x", None),
    ("@output q\ny = x", "no assignment to 'q'", 1, 9, "y", None),
    ("y = x\n@at x=z", "a value must be a constant", 2, 7, "a number", None),
    ("repeat k in 3..1 { a = a }", "the range 3..1 is empty", 1, 1, None, "1..3"),
    ("repeat k in 1..2 { @at a=1 }", "cannot be inside a repeat", 1, 20, None, None),
    ("repeat k in 1..2 { k = 1 }", "repeat variable", 1, 20, None, None),
    ("input x: [0]", "dimensions must be positive", 1, 1, None, None),
    ("input x in [1, 0]", "lower end is above its upper end", 1, 12, None, None),
    ("w_{a b}", "subscript 'a b'", 1, 1, None, None),
    ("np.foo", "unknown name 'np.foo'", 1, 1, None, None),
    ("f(t) = t\nf = 2", "'f' is a function", 2, 1, None, None),
    ("y = 1\ny(t) = t", "is a variable", 2, 1, None, None),
    ("\\sqrt[0]{x}", "0th root", 1, 7, None, None),
    ("y = x\n@at x=1e999", "beyond the float64 range", 2, 7, None, None),
    ("y = x\n@at x=[1, -1e400]", "beyond the float64 range", 2, 11, None, None),
    ("input x in [-1e999, 1]", "beyond the float64 range", 1, 13, None, None),
    ("y = x\n@at x=2^2^2^2^2^2", "not a finite number", 2, 7, None, None),
]


@pytest.mark.parametrize(("source", "message", "line", "column", "expected", "hint"), BAD,
                         ids=[c[0] for c in BAD])
def test_bad_input_is_a_parse_error_with_a_place(source, message, line, column, expected,
                                                 hint):
    with pytest.raises(ParseError) as info:
        parse(source)
    err = info.value
    assert message in err.message
    assert (err.span.line, err.span.column) == (line, column)
    if expected is not None:
        assert expected in err.expected
    if hint is not None:
        assert err.hint is not None and hint in err.hint
    assert err.source == source


def test_expected_words_are_never_lark_token_names():
    for source, *_ in BAD:
        try:
            parse(source)
        except ParseError as err:
            for word in err.expected:
                assert not word.isupper() and "_" not in word.strip("'"), (source, word)


def test_the_caret_sits_under_the_place():
    with pytest.raises(ParseError) as info:
        parse("a = 1\nb = sinn(a)")
    assert info.value.caret().splitlines()[1:] == ["  b = sinn(a)", "      ^^^^"]


def test_error_dicts_are_json_ready():
    with pytest.raises(ParseError) as info:
        parse("x +")
    d = info.value.to_dict()
    assert d["kind"] == "ParseError"
    assert d["span"]["line"] == 1 and d["expected"] == ["a number", "a name", "'('"]


# ---- limits ------------------------------------------------------------------------

DEEP = [
    ("(" * 5000 + "x" + ")" * 5000, "brackets nested more than"),
    ("{" * 5000 + "x" + "}" * 5000, "brackets nested more than"),
    ("-" * 5000 + "x", "expression nested more than"),
    ("x" + "^x" * 5000, "expression nested more than"),
    ("e^" * 3000 + "x", "expression nested more than"),
    ("\\sin " * 3000 + "x", "expression nested more than"),
    ("|" * 3000 + "x" + "|" * 3000, "expression nested more than"),
]


@pytest.mark.parametrize(("source", "message"), DEEP, ids=[c[0][:12] for c in DEEP])
def test_deep_input_is_a_limit_error_not_a_recursion_error(source, message):
    with pytest.raises(LimitError) as info:
        parse(source)
    assert message in info.value.message
    assert info.value.span is not None


def test_long_flat_sums_and_products_are_not_deep():
    n = 20_000
    p = parse("+".join(f"x_{i}" for i in range(n)))
    assert len(p.expr.args) == n
    assert parse("*".join(["x"] * n)).expr.args[1].value == n


def test_source_size_limit(monkeypatch):
    monkeypatch.setattr(parse_module, "MAX_SOURCE_CHARS", 100)
    with pytest.raises(LimitError, match="the limit is 100"):
        parse("x + " * 30)


def test_repeat_layer_limit():
    with pytest.raises(LimitError, match="more than 10000 layers") as info:
        parse("repeat k in 1..10001 { a = tanh(a) }")
    assert info.value.span.line == 1
    with pytest.raises(LimitError):
        parse("repeat i in 1..200 { repeat j in 1..100 { a = a + 1 } }")


def test_tensor_size_limit():
    with pytest.raises(LimitError, match="'W' has 10000000000 elements") as info:
        parse("x = 1\ninput W: [100000, 100000]\ny = sum(W)")
    assert (info.value.span.line, info.value.span.column) == (2, 1)
    assert parse("input W: [7000, 7000]\ny = sum(W)").declarations[0].shape == (7000, 7000)


def test_node_limit(monkeypatch):
    monkeypatch.setattr(exprs_module, "MAX_NODES", 500)
    with pytest.raises(LimitError, match="more than 500 nodes"):
        parse("repeat k in 1..100 { a = sigmoid(w_k * a + b_k) }")


HINTS = [
    ("torch.softmax(x, dim=-1)", "keyword arguments"),
    ("x[0]", "indexing"),
    ("y = [1, 2]", "@at v=[1, 2, 3]"),
    ("a == b", "'==' is not an operator"),
    ("x > 0", "comparisons"),
    ("f'(x)", "chainlens diff"),
]


@pytest.mark.parametrize(("source", "hint"), HINTS, ids=[c[0] for c in HINTS])
def test_common_foreign_spellings_get_a_hint(source, hint):
    with pytest.raises(ParseError) as info:
        parse(source)
    assert hint in (info.value.hint or "")
