"""One grammar, three notations, one node: each case is typed text and the
node built directly with the IR constructors; the parser must return that
very object (nodes are interned, so ``is`` is structural equality)."""

from fractions import Fraction

import pytest
from chainlens.engine.core.ir import add, call, div, mul, neg, power, sqrt, sub
from chainlens.engine.core.nodes import ONE, PI, E, num, sym
from chainlens.engine.language.reader import parse_expr

x, y, z, a, b, w, t = (sym(n) for n in "xyzabwt")


def sig(u):
    return div(ONE, add(ONE, call("exp", neg(u))))


ASCII = [
    ("x^2", power(x, num(2))),
    ("x**2", power(x, num(2))),
    ("2^3^2", num(512)),  # right-associative: 2^(3^2)
    ("x^y^z", power(x, power(y, z))),
    ("-x^2", neg(power(x, num(2)))),
    ("(-x)^2", power(x, num(2))),
    ("2^-x", power(num(2), neg(x))),
    ("x**-1", div(ONE, x)),
    ("2x", mul(num(2), x)),
    ("3(x+1)", mul(num(3), add(x, ONE))),
    ("2 sin(x)", mul(num(2), call("sin", x))),
    ("x y", mul(x, y)),
    ("x(x+1)", mul(x, add(x, ONE))),
    ("x^x(log(x) + 1)", mul(power(x, x), add(call("log", x), ONE))),  # as TeX sets it
    ("e^x(1+x)", mul(call("exp", x), add(ONE, x))),
    ("2^sin(x)", power(num(2), call("sin", x))),
    ("(x+1)(x-1)", mul(add(x, ONE), sub(x, ONE))),
    ("2x/3y", mul(num(Fraction(2, 3)), x, y)),  # juxtaposition binds like *, left to right
    ("1/2x", mul(num(Fraction(1, 2)), x)),
    ("a - b - x", sub(sub(a, b), x)),
    ("a / b / x", div(div(a, b), x)),
    ("0.5", num(Fraction(1, 2))),
    (".25x", mul(num(Fraction(1, 4)), x)),
    ("1e-3", num(Fraction(1, 1000))),
    ("2.5E+2", num(250)),
    ("1/3", num(Fraction(1, 3))),
    ("pi", PI),
    ("e", E),
    ("e^x", call("exp", x)),
    ("exp(1)", E),
    ("2 pi x", mul(num(2), PI, x)),
    ("+x", x),
    ("--x", x),
    ("x - -y", add(x, y)),
    ("a*x + b", add(mul(a, x), b)),
    ("exp(-x^2/2)", call("exp", mul(num(Fraction(-1, 2)), power(x, num(2))))),
]

FUNCTIONS = [
    ("sin(x)", call("sin", x)),
    ("arcsin(x)", call("asin", x)),
    ("asin(x)", call("asin", x)),
    ("arctanh(x)", call("atanh", x)),
    ("ln(x)", call("log", x)),
    ("log(x)", call("log", x)),
    ("log(x, 2)", call("log2", x)),
    ("log(x, 10)", call("log10", x)),
    ("log(x, e)", call("log", x)),
    ("log(x, b)", div(call("log", x), call("log", b))),
    ("log2(x) + log10(x)", add(call("log2", x), call("log10", x))),
    ("sqrt(x)", sqrt(x)),
    ("cbrt(x)", call("cbrt", x)),
    ("abs(x)", call("abs", x)),
    ("|x|", call("abs", x)),
    ("|x - |y||", call("abs", sub(x, call("abs", y)))),
    ("sign(x) + sgn(y)", add(call("sign", x), call("sign", y))),
    ("sigmoid(x)", call("sigmoid", x)),
    ("relu(x)", call("relu", x)),
    ("softplus(x)", call("softplus", x)),
    ("erf(x)", call("erf", x)),
    ("min(x, y)", call("min", x, y)),
    ("max(0, x)", call("max", num(0), x)),
    ("max(x, y, z)", call("max", call("max", x, y), z)),
    ("pow(x, 3)", power(x, num(3))),
    ("sec(x) + csc(x) + cot(x)", add(call("sec", x), call("csc", x), call("cot", x))),
    ("sinh(x) * cosh(x)", mul(call("sinh", x), call("cosh", x))),
    ("square(x)", power(x, num(2))),
    ("log1p(x)", call("log1p", x)),
    ("expm1(x)", call("expm1", x)),
    ("reciprocal(x)", div(ONE, x)),
]

LATEX = [
    (r"\frac{1}{1+e^{-x}}", sig(x)),
    (r"\dfrac{a}{b}", div(a, b)),
    (r"\frac12", num(Fraction(1, 2))),
    (r"\sin x", call("sin", x)),
    (r"\sin(x^2)", call("sin", power(x, num(2)))),
    (r"\sin x^2", call("sin", power(x, num(2)))),
    (r"\sin 2x", call("sin", mul(num(2), x))),
    (r"\sin x \cos x", mul(call("sin", x), call("cos", x))),
    (r"\sin(x)^2", power(call("sin", x), num(2))),
    (r"\sin^2 x", power(call("sin", x), num(2))),
    (r"\sin^{-1} x", call("asin", x)),
    (r"\ln \cos x", call("log", call("cos", x))),
    (r"\ln(\cos x)", call("log", call("cos", x))),
    (r"\exp(-x)", call("exp", neg(x))),
    (r"e^{-x^2/2}", call("exp", mul(num(Fraction(-1, 2)), power(x, num(2))))),
    (r"\sqrt{x}", sqrt(x)),
    (r"\sqrt{1-x^2}", sqrt(sub(ONE, power(x, num(2))))),
    (r"\sqrt[3]{x}", call("cbrt", x)),
    (r"\sqrt[4]{x}", power(x, num(Fraction(1, 4)))),
    (r"a \cdot b", mul(a, b)),
    (r"a \times b", mul(a, b)),
    (r"\left( x + 1 \right)^2", power(add(x, ONE), num(2))),
    (r"\left|x\right|", call("abs", x)),
    (r"w_1 x_{2}", mul(sym("w_1"), sym("x_2"))),
    (r"a_{k}", sym("a_k")),
    (r"\theta", sym("theta")),
    (r"\theta_1", sym("theta_1")),
    (r"\sigma(z)", call("sigmoid", z)),
    (r"\frac{x}{\sigma}", div(x, sym("sigma"))),  # a bare sigma is a variable
    ("x/sigma + sigma(z)", add(div(x, sym("sigma")), call("sigmoid", z))),
    (r"\operatorname{relu}(x)", call("relu", x)),
    (r"\max(0, x)", call("max", num(0), x)),
    (r"\log_2 x", call("log2", x)),
    (r"\log_{10}(x)", call("log10", x)),
    (r"\pi", PI),
    (r"\mathrm{e}^{-x}", call("exp", -x)),
    (r"2\pi x", mul(num(2), PI, x)),
    (r"-\tan x", neg(call("tan", x))),
    (r"x^x(\ln x + 1)", mul(power(x, x), add(call("log", x), ONE))),
    (r"2x\cos(x^2)", mul(num(2), x, call("cos", power(x, num(2))))),
    (r"-x e^{-x^2/2}", neg(mul(x, call("exp", mul(num(Fraction(-1, 2)), power(x, num(2))))))),
    (r"x\,y", mul(x, y)),
]

NUMPY = [
    ("np.sin(x)", call("sin", x)),
    ("numpy.exp(x)", call("exp", x)),
    ("math.log(x)", call("log", x)),
    ("torch.sigmoid(x)", call("sigmoid", x)),
    ("jnp.tanh(x)", call("tanh", x)),
    ("jax.numpy.cos(x)", call("cos", x)),
    ("F.relu(x)", call("relu", x)),
    ("torch.nn.functional.softplus(x)", call("softplus", x)),
    ("scipy.special.expit(x)", call("sigmoid", x)),
    ("np.arcsin(x)", call("asin", x)),
    ("np.maximum(x, y)", call("max", x, y)),
    ("np.power(x, 2)", power(x, num(2))),
    ("np.pi * x", mul(PI, x)),
    ("math.e", E),
    ("2*x*np.cos(x**2)", mul(num(2), x, call("cos", power(x, num(2))))),
]

UNICODE = [
    ("x²", power(x, num(2))),
    ("x⁻¹", div(ONE, x)),
    ("√x", sqrt(x)),
    ("θ", sym("theta")),
    ("σ(z)", call("sigmoid", z)),
    ("π", PI),
    ("a·b", mul(a, b)),
    ("a − b", sub(a, b)),
    ("w₁ + θ₁₂", add(sym("w_1"), sym("theta_12"))),
    ("∛x", call("cbrt", x)),
    ("√min(x, 1)", sqrt(call("min", x, ONE))),
    ("πx", mul(PI, x)),
    ("ReLU(x)", call("relu", x)),
    ("2x·cos(x²)", mul(num(2), x, call("cos", power(x, num(2))))),
]


@pytest.mark.parametrize(("text", "expected"), ASCII + FUNCTIONS,
                         ids=[c[0] for c in ASCII + FUNCTIONS])
def test_ascii(text, expected):
    assert parse_expr(text) is expected


@pytest.mark.parametrize(("text", "expected"), LATEX, ids=[c[0] for c in LATEX])
def test_latex(text, expected):
    assert parse_expr(text) is expected


@pytest.mark.parametrize(("text", "expected"), NUMPY, ids=[c[0] for c in NUMPY])
def test_numpy_torch_spellings(text, expected):
    assert parse_expr(text) is expected


@pytest.mark.parametrize(("text", "expected"), UNICODE, ids=[c[0] for c in UNICODE])
def test_unicode(text, expected):
    assert parse_expr(text) is expected


SAME_MATH = [
    ("1/(1+exp(-x))", r"\frac{1}{1+e^{-x}}", "1/(1+np.exp(-x))", "1/(1 + e^(-x))"),
    ("sin(x^2)", r"\sin(x^2)", "np.sin(x**2)", r"\sin x^2"),
    ("log(cos(x))", r"\ln(\cos x)", r"\ln \cos x", "math.log(math.cos(x))"),
    ("sqrt(1 - x^2)", r"\sqrt{1-x^2}", "(1 - x**2)**0.5", "np.sqrt(1 - x*x)"),
    ("abs(x)", "|x|", r"\left|x\right|", "np.abs(x)"),
    ("sigmoid(w*x + b)", r"\sigma(w x + b)", "torch.sigmoid(w*x+b)", "expit(b + x*w)"),
]


@pytest.mark.parametrize("spellings", SAME_MATH, ids=[c[0] for c in SAME_MATH])
def test_same_math_is_the_same_node(spellings):
    first = parse_expr(spellings[0])
    for text in spellings[1:]:
        assert parse_expr(text) is first, text


def test_numbers_are_exact():
    assert parse_expr("0.1").value == Fraction(1, 10)
    assert parse_expr("0.1 + 0.2") is num(Fraction(3, 10))
    assert parse_expr("123456789.000000001").value == Fraction("123456789.000000001")


def test_newlines_inside_brackets_are_spaces():
    assert parse_expr("(x\n + 1)") is add(x, ONE)
    assert parse_expr("max(x,\n    y)") is call("max", x, y)


def test_greek_names_are_variables_even_when_they_spell_a_function():
    from chainlens.engine.language.reader import parse

    p = parse("sigma = 0.5\ny = x / sigma")
    assert p.assignment("y").expr is div(x, sym("sigma"))
    assert p.expr is mul(num(2), x)


def test_a_name_that_is_assigned_wins_over_constants_and_products():
    from chainlens.engine.language.reader import parse

    p = parse("e = 0.5\ny = e^x")
    assert p.assignment("y").expr is power(sym("e"), x)
    p = parse("k = 2\nk(x + 1)")
    assert p.expanded(p.outputs[0]) is mul(num(2), add(x, ONE))
