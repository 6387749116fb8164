"""Exact strings each printer gives for the textbook derivatives and the
tricky corners of precedence, signs, fractions and names."""

from fractions import Fraction

import pytest
from chainlens.engine.core.ir import add, call, div, mul, neg, power, sqrt, sub
from chainlens.engine.core.nodes import ONE, PI, E, num, sym
from chainlens.engine.printing import (
    display_symbol,
    render,
    to_latex,
    to_python,
    to_text,
    to_unicode,
)

x, y, a, b, w, z = (sym(n) for n in "xyabwz")


def f(op, *args):
    return call(op, *args)


def sq(u):
    return power(u, num(2))


enx = f("exp", neg(x))
gauss = f("exp", mul(num(Fraction(-1, 2)), sq(x)))

#: (node, text, unicode, latex, python)
CASES = [
    (mul(num(2), x, f("cos", sq(x))),
     "2*x*cos(x^2)", "2x·cos(x²)", r"2 x \cos\left(x^{2}\right)", "2 * x * np.cos(x ** 2)"),
    (div(enx, sq(add(ONE, enx))),
     "exp(-x)/(1 + exp(-x))^2", "e^(−x)/(1 + e^(−x))²",
     r"\frac{e^{-x}}{\left(1 + e^{-x}\right)^{2}}", "np.exp(-x) / (1 + np.exp(-x)) ** 2"),
    (mul(num(60), x, power(add(mul(num(3), sq(x)), num(7)), num(9))),
     "60*x*(3*x^2 + 7)^9", "60x·(3x² + 7)⁹", r"60 x \cdot \left(3 x^{2} + 7\right)^{9}",
     "60 * x * (3 * x ** 2 + 7) ** 9"),
    (mul(f("sigmoid", x), sub(ONE, f("sigmoid", x))),
     "sigmoid(x)*(1 - sigmoid(x))", "σ(x)·(1 − σ(x))",
     r"\sigma\left(x\right) \left(1 - \sigma\left(x\right)\right)",
     "(0.5 * (1.0 + np.tanh(0.5 * x))) * (1 - (0.5 * (1.0 + np.tanh(0.5 * x))))"),
    (div(ONE, sqrt(sub(ONE, sq(x)))),
     "1/sqrt(1 - x^2)", "1/√(1 − x²)", r"\frac{1}{\sqrt{1 - x^{2}}}", "1 / np.sqrt(1 - x ** 2)"),
    (mul(power(x, x), add(f("log", x), ONE)),
     "x^x*(log(x) + 1)", "x^x·(log(x) + 1)", r"x^{x} \left(\ln\left(x\right) + 1\right)",
     "x ** x * (np.log(x) + 1)"),
    (neg(f("tan", x)), "-tan(x)", "−tan(x)", r"-\tan\left(x\right)", "-np.tan(x)"),
    (mul(power(a, x), f("log", a)),
     "a^x*log(a)", "a^x·log(a)", r"a^{x} \ln\left(a\right)", "a ** x * np.log(a)"),
    (gauss, "exp(-x^2/2)", "e^(−x²/2)", r"e^{-\frac{x^{2}}{2}}", "np.exp(-x ** 2 / 2)"),
    (mul(neg(x), gauss),
     "-x*exp(-x^2/2)", "−x·e^(−x²/2)", r"-x e^{-\frac{x^{2}}{2}}", "-x * np.exp(-x ** 2 / 2)"),
    (mul(num(2), x, f("exp", sq(x)), f("cos", f("exp", sq(x)))),
     "2*x*exp(x^2)*cos(exp(x^2))", "2x·e^(x²)·cos(e^(x²))",
     r"2 x e^{x^{2}} \cos\left(e^{x^{2}}\right)",
     "2 * x * np.exp(x ** 2) * np.cos(np.exp(x ** 2))"),
    # precedence and signs
    (neg(sq(x)), "-x^2", "−x²", "-x^{2}", "-x ** 2"),
    (power(num(-2), x), "(-2)^x", "(−2)^x", r"\left(-2\right)^{x}",
     "np.power(-2.0, x)"),
    (power(x, power(y, z)), "x^y^z", "x^y^z", "x^{y^{z}}", "x ** y ** z"),
    (power(power(x, y), z), "(x^y)^z", "(x^y)^z", r"\left(x^{y}\right)^{z}", "(x ** y) ** z"),
    (power(x, neg(y)), "x^(-y)", "x^(−y)", "x^{-y}", "x ** (-y)"),
    (power(x, num(-1)), "1/x", "1/x", r"\frac{1}{x}", "1 / x"),
    (power(x, num(-2)), "1/x^2", "1/x²", r"\frac{1}{x^{2}}", "1 / x ** 2"),
    (sqrt(num(2)), "sqrt(2)", "√2", r"\sqrt{2}", "np.sqrt(2.0)"),
    (sqrt(x), "sqrt(x)", "√x", r"\sqrt{x}", "np.sqrt(x)"),
    (power(x, num(Fraction(3, 2))), "x^(3/2)", "x^(3/2)", r"x^{\frac{3}{2}}", "x ** (3 / 2)"),
    (sub(a, y), "a - y", "a − y", "a - y", "a - y"),
    (sub(y, a), "y - a", "y − a", "y - a", "y - a"),
    # (-1)*(x + y) is its own node (products do not distribute): printed as is
    (neg(add(x, y)), "-(x + y)", "−(x + y)", r"-\left(x + y\right)", "-(x + y)"),
    (sub(a, mul(num(2), add(x, ONE))),
     "a - 2*(x + 1)", "a − 2(x + 1)", r"a - 2 \left(x + 1\right)", "a - 2 * (x + 1)"),
    (sub(a, add(x, ONE)), "a - (x + 1)", "a − (x + 1)", r"a - \left(x + 1\right)",
     "a - (x + 1)"),
    (div(a, mul(x, y)), "a/(x*y)", "a/(x·y)", r"\frac{a}{x y}", "a / (x * y)"),
    (div(add(x, ONE), y), "(x + 1)/y", "(x + 1)/y", r"\frac{x + 1}{y}", "(x + 1) / y"),
    (div(x, num(3)), "x/3", "x/3", r"\frac{x}{3}", "x / 3"),
    (mul(num(Fraction(-2, 3)), x), "-2*x/3", "−2x/3", r"-\frac{2 x}{3}", "-2 * x / 3"),
    (num(Fraction(1, 3)), "1/3", "1/3", r"\frac{1}{3}", "1 / 3"),
    (num(-4), "-4", "−4", "-4", "-4"),
    (mul(num(3), power(num(2), x)), "3*2^x", "3·2^x", r"3 \cdot 2^{x}",
     "3 * np.power(2.0, x)"),
    (mul(num(2), PI, x), "2*pi*x", "2πx", r"2 \pi x", "2 * np.pi * x"),
    (E, "e", "e", "e", "np.e"),
    (power(E, x), "exp(x)", "e^x", r"e^{x}", "np.exp(x)"),  # e^x is exp(x) in the IR
    (f("exp", num(2)), "exp(2)", "e²", "e^{2}", "np.exp(2)"),
    (power(f("sin", x), num(2)), "sin(x)^2", "sin(x)²", r"\sin\left(x\right)^{2}",
     "np.sin(x) ** 2"),
    # display order: degree, names, constants last, a positive term leads
    (add(num(7), mul(num(3), sq(x))), "3*x^2 + 7", "3x² + 7", "3 x^{2} + 7", "3 * x ** 2 + 7"),
    (add(b, mul(w, x)), "w*x + b", "w·x + b", "w x + b", "w * x + b"),
    (sub(ONE, sq(x)), "1 - x^2", "1 − x²", "1 - x^{2}", "1 - x ** 2"),
    (add(ONE, f("log", x)), "log(x) + 1", "log(x) + 1", r"\ln\left(x\right) + 1",
     "np.log(x) + 1"),
    (add(ONE, enx), "1 + exp(-x)", "1 + e^(−x)", "1 + e^{-x}", "1 + np.exp(-x)"),
    # functions from the table
    (f("abs", x), "abs(x)", "|x|", r"\left|x\right|", "np.abs(x)"),
    (f("max", x, y), "max(x, y)", "max(x, y)", r"\max\left(x, y\right)", "np.maximum(x, y)"),
    (f("relu", x), "relu(x)", "ReLU(x)", r"\operatorname{relu}\left(x\right)",
     "np.maximum(x, 0.0)"),
    (f("cbrt", x), "cbrt(x)", "∛x", r"\sqrt[3]{x}", "np.cbrt(x)"),
    (f("asin", x), "asin(x)", "asin(x)", r"\arcsin\left(x\right)", "np.arcsin(x)"),
    (f("sigmoid", add(x, ONE)), "sigmoid(x + 1)", "σ(x + 1)", r"\sigma\left(x + 1\right)",
     "(0.5 * (1.0 + np.tanh(0.5 * (x + 1))))"),
    (f("erf", x), "erf(x)", "erf(x)", r"\operatorname{erf}\left(x\right)",
     "np.vectorize(math.erf, otypes=[float])(x)"),
    # names
    (mul(sym("w_1"), sym("theta")), "theta*w_1", "θ·w₁", r"\theta w_{1}", "theta * w_1"),
    (sym("a@3"), "a@3", "a⁽³⁾", "a^{(3)}", "a_v3"),
    (sq(sym("a@3")), "a@3^2", "(a⁽³⁾)²", r"\left(a^{(3)}\right)^{2}", "a_v3 ** 2"),
    (mul(sym("$0"), sym("$1")), "u*v", "u·v", "u v", "u * v"),
    (sym("loss"), "loss", "loss", r"\mathrm{loss}", "loss"),
    (sym("lambda"), "lambda", "λ", r"\lambda", "lambda_"),
]

IDS = [c[1] for c in CASES]


PRINTERS = {"text": to_text, "unicode": to_unicode, "latex": to_latex, "python": to_python}


@pytest.mark.parametrize("notation", PRINTERS)
@pytest.mark.parametrize(("node", "text", "uni", "latex", "python"), CASES, ids=IDS)
def test_each_printer_spells_the_table(notation, node, text, uni, latex, python):
    expected = {"text": text, "unicode": uni, "latex": latex, "python": python}[notation]
    assert PRINTERS[notation](node) == expected


@pytest.mark.parametrize("notation", ["text", "unicode", "latex", "python"])
def test_render_dispatches_on_notation(notation):
    node = mul(num(2), x, f("cos", sq(x)))
    expected = {"text": to_text, "unicode": to_unicode, "latex": to_latex,
                "python": to_python}[notation](node)
    assert render(node, notation) == expected


def test_render_rejects_an_unknown_notation():
    with pytest.raises(ValueError, match="unknown notation 'mathml'"):
        render(x, "mathml")


@pytest.mark.parametrize(
    ("name", "notation", "shown"),
    [
        ("w_12", "unicode", "w₁₂"),
        ("w_k", "unicode", "wₖ"),
        ("w_K", "unicode", "w_K"),
        ("theta_1", "latex", r"\theta_{1}"),
        ("a@12", "unicode", "a⁽¹²⁾"),
        ("W", "python", "W"),
        ("np", "python", "np_"),
        ("$2", "text", "w"),
    ],
)
def test_display_symbol(name, notation, shown):
    assert display_symbol(name, notation) == shown
