"""The expression fast path gives the same node as lark, or steps aside (#17).

Property: for generated plain expressions (numbers, names, constants, the
four operations, ``^``/``**``, unary signs, parentheses, calls with one or
several arguments, random spacing), whenever :func:`fast_expr` answers, its
node IS the node the full parser (lark + lowering, ``parse(text).expr``)
builds; whenever the full parser refuses the text, the fast path refuses
it too (so the error the user sees is lark's).  The same for the LaTeX
subset the fast path reads (``\\frac``, ``\\sqrt``, braces, ``e^{..}``,
``\\sin(..)``, ``\\cos x``, ``\\pi``) and module prefixes (``np.sin``),
generated among LaTeX it does not read, so both sides of the boundary are
exercised.
"""

from __future__ import annotations

import pytest
from chainlens.engine.core.source import ChainError
from chainlens.engine.language.fastexpr import MAX_DEPTH, fast_expr
from chainlens.engine.language.reader import parse, parse_expr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

NAMES = ["x", "y", "a", "b", "t", "w1", "theta", "e", "pi", "sigma", "xy", "in", "sin"]
NUMBERS = ["0", "1", "2", "3.5", ".5", "10", "0.25", "007"]
UNARY = ["sin", "cos", "tan", "exp", "log", "sqrt", "tanh", "sigmoid", "asin", "atan", "abs",
         "ln", "arcsin", "softplus", "relu", "log2", "cbrt", "sec", "np.sin", "square", "foo"]
SEVERAL = ["log", "max", "min", "atan2", "pow", "sin"]
OPS = ["+", "-", "*", "/", "^", "**"]


def _space():
    return st.sampled_from(["", "", " ", "  "])


leaf = st.one_of(st.sampled_from(NAMES), st.sampled_from(NUMBERS))


def _extend(inner):
    binary = st.tuples(inner, _space(), st.sampled_from(OPS), _space(), inner).map(
        lambda t: "".join(t))
    unary = st.tuples(st.sampled_from(["-", "+", "- "]), inner).map(lambda t: "".join(t))
    paren = inner.map(lambda s: f"({s})")
    call1 = st.tuples(st.sampled_from(UNARY), inner).map(lambda t: f"{t[0]}({t[1]})")
    calln = st.tuples(st.sampled_from(SEVERAL), st.lists(inner, min_size=1, max_size=3)).map(
        lambda t: f"{t[0]}({', '.join(t[1])})")
    return st.one_of(binary, binary, unary, paren, call1, calln)


expressions = st.recursive(leaf, _extend, max_leaves=12)

LATEX_FUNCS = ["\\sin", "\\cos", "\\ln", "\\exp", "\\tan", "\\log", "\\arcsin", "\\sinh",
               "\\max", "\\sum", "\\sqrt", "\\theta", "\\left", "np.sin", "np.exp",
               "math.log", "torch.tanh", "np.pi", "np.e", "np.foo"]
TEX_LEAVES = NAMES + NUMBERS + ["\\pi", "e", "xy", "np.pi", "\\theta"]


def _tex(inner):
    binary = st.tuples(inner, _space(), st.sampled_from(OPS + ["\\cdot "]), _space(),
                       inner).map(lambda t: "".join(t))
    unary = st.tuples(st.sampled_from(["-", "+"]), inner).map(lambda t: "".join(t))
    braces = inner.map(lambda s: f"{{{s}}}")
    paren = inner.map(lambda s: f"({s})")
    frac = st.tuples(st.sampled_from(["\\frac", "\\dfrac", "\\frac "]), inner, inner).map(
        lambda t: f"{t[0]}{{{t[1]}}}{{{t[2]}}}")
    sqrt = inner.map(lambda s: f"\\sqrt{{{s}}}")
    exp = st.tuples(st.sampled_from(["e", "x", "2", "\\pi"]), inner).map(
        lambda t: f"{t[0]}^{{{t[1]}}}")
    call = st.tuples(st.sampled_from(LATEX_FUNCS), _space(), inner).map(
        lambda t: f"{t[0]}{t[1]}({t[2]})")
    bare = st.tuples(st.sampled_from(LATEX_FUNCS), st.sampled_from(TEX_LEAVES),
                     st.sampled_from(["", " + 1", "^2", " y", "(y)", ")", "/2", " - x", "}"])).map(
        lambda t: f"{t[0]} {t[1]}{t[2]}")
    return st.one_of(binary, binary, unary, braces, paren, frac, sqrt, exp, call, bare)


tex = st.recursive(st.sampled_from(TEX_LEAVES), _tex, max_leaves=10)


def _lark(text: str):
    try:
        return parse(text).expr
    except ChainError:
        return None


def _same_as_lark_or_aside(text: str) -> None:
    fast = fast_expr(text)
    slow = _lark(text)
    if slow is None:
        assert fast is None, text
    elif fast is not None:
        assert fast is slow, (text, fast, slow)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions)
def test_fast_path_is_the_lark_node_or_steps_aside(text):
    _same_as_lark_or_aside(text)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tex)
def test_fast_path_reads_its_latex_subset_as_lark_does_or_steps_aside(text):
    _same_as_lark_or_aside(text)


@pytest.mark.parametrize("text", [
    "\\sin(x^2)", "e^{-x^2/2}", "\\ln(\\cos x)", "\\frac{1}{1+e^{-x}}", "np.sin(x**2)",
    "\\sin x", "np.sin(x)", "\\sqrt{x + 1}", "\\pi*x", "\\cos x/2", "np.pi*x",
    "sin(x^2)", "exp(-x^2/2)", "log(cos(x))", "(3*x^2 + 7)^10", "1/(1 + exp(-x))",
    "x^x", "a^x", "sigmoid(x)", "asin(x)", "e^x", "log(x, 2)", "log(x, e)", "log(x, y)",
    "max(x, y, 2)", "2^3^2", "-x^2", "x/0", "x - -y", "x**-1", "pow(x, 3)", "square(x)",
])
def test_common_forms_take_the_fast_path_and_agree(text):
    fast = fast_expr(text)
    assert fast is not None, text
    assert fast is parse(text).expr


@pytest.mark.parametrize("text", [
    "2x", "x y", "\\sin^2 x", "\\sin x^2", "\\frac12", "\\left(x\\right)", "x \\cdot y", "2\\pi",
    "{x}{y}", "\\sin x(y)", "np.x", "x_1", "1e-3", "|x|", "sin x", "a(x + 1)", "x = 1",
    "sin", "foo(x)", "sin(x, y)", "θ", "x²", "x;y", "", "   ", "(x", "x)", "1.", "in",
])
def test_the_rest_takes_the_full_parser(text):
    assert fast_expr(text) is None


def test_deep_text_goes_to_the_full_parser_and_its_limits():
    deep = "(" * (MAX_DEPTH + 5) + "x" + ")" * (MAX_DEPTH + 5)
    assert fast_expr(deep) is None
    assert parse_expr(deep).op == "sym"
    with pytest.raises(ChainError):
        parse_expr("(" * 5000 + "x" + ")" * 5000)
