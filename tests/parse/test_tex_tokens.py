"""The .chain LaTeX reader reads TeX as TeX typesets it (issue #13, shared
with the notes reader): an argument of \\frac without braces is one token, a
superscript after a bracket belongs to the bracket, and in a program written
in LaTeX a run of letters that names nothing is a product of its letters.
Oracle: SymPy at a few points."""

from __future__ import annotations

import math

import pytest
import sympy as sp
from chainlens.engine.language.reader import parse, parse_expr
from chainlens.engine.symbolic.values import value_at


def _agrees(node, expected: str, names=("x", "t", "a")) -> bool:
    want = sp.sympify(expected)
    for k in range(4):
        env = {n: 0.3 + 0.41 * k + 0.13 * i for i, n in enumerate(names)}
        got = value_at(node, env)
        ref = float(want.subs({sp.Symbol(n): v for n, v in env.items()}))
        if not math.isclose(got, ref, rel_tol=1e-9, abs_tol=1e-12):
            return False
    return True


@pytest.mark.parametrize(("tex", "expected"), [
    ("\\frac1t", "1/t"),
    ("\\frac1{\\sqrt{x}}", "1/sqrt(x)"),
    ("\\frac\\pi2", "pi/2"),
    ("\\frac 1{2x}", "1/(2*x)"),
    ("\\frac{1}tx", "x/t"),
    ("\\frac12x", "x/2"),
    ("20t(t^{2}+1)^{9}", "20*t*(t**2+1)**9"),
    ("x(x+1)^2", "x*(x+1)**2"),
    ("x^x(\\ln x + 1)", "x**x*(log(x)+1)"),
])
def test_tex_tokens(tex, expected):
    assert _agrees(parse_expr(tex), expected)


@pytest.mark.parametrize(("source", "expected"), [
    ("input x\ny = 2xe^x + \\sin x", "2*x*exp(x)+sin(x)"),
    ("input t\ny = \\ln(t) + te^t", "log(t)+t*exp(t)"),
    ("input a\ninput x\ny = \\sin(axe^{x})", "sin(a*x*exp(x))"),
])
def test_letter_runs_in_a_latex_program_are_products(source, expected):
    program = parse(source)
    assert _agrees(program.expanded(program.outputs[0]), expected)


def test_a_name_the_program_assigns_stays_a_name():
    program = parse("input x\nxe = 3\ny = xe^2 + \\sin x")
    assert _agrees(program.expanded(program.outputs[0]), "9+sin(x)")


def test_ascii_programs_keep_multi_letter_names():
    program = parse("input x\ny = 2*xe + x")
    assert "xe" in program.inputs or "xe" in str(program.expanded(program.outputs[0]))


def test_a_log_base_without_braces_or_space_before_its_argument():
    assert _agrees(parse_expr("\\log_5x"), "log(x)/log(5)")
    assert _agrees(parse_expr("\\log_{5}x"), "log(x)/log(5)")
