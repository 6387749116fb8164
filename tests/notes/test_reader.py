"""The notes reader on small notes written for these tests: TeX's
conventions, macros, chains, definitions, and the cases that must stay
"not checked".  Verdicts are checked against SymPy."""

from __future__ import annotations

import json

import pytest
import sympy as sp
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document


def verdicts(text: str, kind: str = "markdown"):
    doc = read_document(text, kind)
    return [check_claim(u) for u in doc.claims], doc.skipped


def sympy_ok(expr: str, claimed: str, var: str = "x") -> bool:
    """SymPy's derivative against the claim at real points of the domain."""
    x, n = sp.Symbol(var), sp.Symbol("n")
    d, c = sp.diff(sp.sympify(expr), x), sp.sympify(claimed)
    checked = 0
    for point in (1.3, 2.1, 3.7, -1.7, -2.9):
        a, b = complex(d.subs({x: point, n: 3})), complex(c.subs({x: point, n: 3}))
        if abs(a.imag) > 1e-12 or abs(b.imag) > 1e-12:
            continue
        checked += 1
        if abs(a - b) > 1e-9 * max(1, abs(a)):
            return False
    return checked > 0


@pytest.mark.parametrize(("note", "expr", "claimed"), [
    ("$\\frac{d}{dx}(2xe^x) = 2e^x + 2xe^x$", "2*x*exp(x)", "2*exp(x)+2*x*exp(x)"),
    ("$\\frac{d}{dx}\\ln x = \\frac1x$", "log(x)", "1/x"),
    ("$\\frac{d}{dx}\\sqrt{x} = \\frac1{2\\sqrt{x}}$", "sqrt(x)", "1/(2*sqrt(x))"),
    ("$\\frac{d}{dx}(nx) = n$", "n*x", "n"),
    ("$\\ds\\frac{d}{dx}\\Bigl(x^3\\Bigr) = 3x^2$", "x**3", "3*x**2"),
    ("$\\frac{d}{dx}\\csc^{-1}x = -\\frac{1}{|x|\\sqrt{x^2-1}}$", "acsc(x)",
     "-1/(Abs(x)*sqrt(x**2-1))"),
])
def test_tex_conventions_read_as_tex_means(note, expr, claimed):
    (v,), _ = verdicts(note)
    assert v.ok is sympy_ok(expr, claimed) is True


def test_preamble_macros_are_expanded():
    note = ("\\newcommand{\\fp}{\\ensuremath{f\\,'}}\n\\newcommand{\\dd}{\\operatorname{d}\\!}\n"
            "Let $f(x) = x^3$. Then $\\fp(x) = 3x^2$ and "
            "$\\frac{\\dd}{\\dd x}\\bigl(x^2\\bigr) = 2x$.")
    vs, _ = verdicts(note, "latex")
    assert [v.ok for v in vs] == [True, True]


def test_each_step_of_an_aligned_chain_is_checked_and_the_wrong_one_reported():
    note = ("\\begin{align*}\n\\frac{d}{dx}\\Bigl(x^2\\sin x\\Bigr)\n"
            "&= 2x\\sin x + x^2\\cos x \\\\\n&= 2x\\sin x - x^2\\cos x \\\\\n\\end{align*}")
    vs, _ = verdicts(note, "latex")
    assert [v.ok for v in vs] == [True, False]
    assert vs[1].correct_latex is not None


def test_nested_derivative_operators_are_derivatives():
    note = "$\\frac{d}{dx}(x^2+x) = \\frac{d}{dx}(x^2) + \\frac{d}{dx}(x) = 2x+1$"
    vs, _ = verdicts(note)
    assert [v.ok for v in vs] == [True, True]


@pytest.mark.parametrize("note", [
    "$\\frac{d}{dx}(x\\sin \\pi/2) = 1$",                       # right for sin(π/2) only
    "$\\frac{d}{dt}\\ln te^t = 1$",                              # ambiguous argument
    "Let $f(x) = x^2$. Where is $f'(x) = 0$?",                  # an equation
])
def test_what_cannot_be_certain_is_not_checked(note):
    vs, skipped = verdicts(note)
    assert all(v.ok is None for v in vs)
    assert all(s.reason.startswith(("not checked", "not read")) for s in skipped)


@pytest.mark.parametrize("note", [
    "$\\frac{d}{dx}[f(x)g(x)] = f'(x)g(x) + f(x)g'(x)$",      # generic functions
    "Given $x^2+y^2=1$, $\\frac{d}{dx}[y^2] = 2y\\frac{dy}{dx}$",  # implicit
])
def test_rules_in_arbitrary_functions_are_correct_for_every_test_function(note):
    # (tests/notes/test_generic_rules.py: test functions stand in for f, g, y)
    vs, _ = verdicts(note)
    assert [v.ok for v in vs] == [True] and "any smooth" in vs[0].note


def test_a_cheat_sheet_table_and_plain_lines_are_read():
    note = ("Expression | Derivative\n---------- | ----------\nsin(x) | cos(x)\n"
            "x^n | nx^(n - 1) (aka *power rule*)\ntan(x) | sec(x)\n\n"
            "d/dx e^(2x) = 2e^(2x)\n")
    vs, _ = verdicts(note)
    assert [v.ok for v in vs] == [True, True, False, True]


def test_notebook_markdown_cells_are_read():
    nb = {"cells": [{"cell_type": "markdown", "source": ["# d\n", "$\\frac{d}{dx}x^3 = 2x^2$"]},
                    {"cell_type": "code", "source": "y = 1\n"}], "nbformat": 4}
    doc = read_document(json.dumps(nb), "notebook")
    (unit,) = doc.claims
    assert unit.cell == 0 and check_claim(unit).ok is False


def test_check_command_reports_what_the_editor_reports(tmp_path):
    import subprocess
    import sys

    note = tmp_path / "n.md"
    note.write_text("$\\frac{d}{dx}x^2 = 2x$ and $\\frac{d}{dx}x^3 = 3x$\n")
    run = subprocess.run([sys.executable, "-m", "chainlens.cli.main", "check", str(note),
                          "--format", "sarif"], capture_output=True, text=True)
    assert run.returncode == 1, run.stderr
    (result,) = json.loads(run.stdout)["runs"][0]["results"]
    assert result["ruleId"] == "wrong-derivative"
    assert result["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]


@pytest.mark.parametrize(("note", "expr", "claimed"), [
    # TeX's one-token superscript: ^92t is ^{9}·2t
    ("$\\frac{d}{dt}(t^2+1)^{10} = 10\\left(t^2+1\\right)^92t$", "(x**2+1)**10",
     "20*x*(x**2+1)**9"),
    # a letter before a number is a product: x3^{x} is x·3^x
    ("$\\frac{d}{dx}\\left(x3^{x}\\right) = 3^{x} + x3^{x}\\ln 3$", "x*3**x",
     "3**x+x*3**x*log(3)"),
])
def test_a_number_after_a_superscript_or_a_letter_is_a_factor(note, expr, claimed):
    (v,), _ = verdicts(note.replace("(t^2+1)^{10}", "(x^2+1)^{10}").replace("t^2", "x^2")
                       .replace("2t$", "2x$").replace("{dt}", "{dx}"))
    assert v.ok is sympy_ok(expr, claimed) is True


def test_a_bare_argument_with_two_readings_is_judged_when_both_agree():
    # sin(π)/2 · x or sin(π/2) · x: read alike on both sides, the claim holds either way
    (v,), _ = verdicts("$\\frac{d}{dx}(\\sin \\pi/2 \\cdot x) = \\sin \\pi/2$")
    assert v.ok is True
    # ln(t)·e^t or ln(t e^t): 1 + 1/t is right for the second only
    (v,), _ = verdicts("$\\frac{d}{dt}\\ln te^t = 1 + 1/t$")
    assert v.ok is None and "one reading" in v.note
    # wrong under both readings: wrong, and the fix (its derivative) depends on the reading
    (v,), _ = verdicts("$\\frac{d}{dt}\\ln te^t = 5t$")
    assert v.ok is False and v.correct_latex is None
    t = sp.Symbol("t", positive=True)
    assert all(sp.simplify(sp.diff(e, t) - 5 * t) != 0
               for e in (sp.log(t) * sp.exp(t), sp.log(t * sp.exp(t))))


def test_an_ambiguous_claimed_side_with_a_plain_derivative_gets_a_checked_fix():
    (v,), _ = verdicts("$\\frac{d}{dx}\\sin(2x) = \\cos 2x/2$")
    # 2cos(2x) is neither cos(2)·x/2 nor cos(x): wrong, and the fix reads back
    assert v.ok is False and v.correct_latex is not None
    (again,), _ = verdicts(f"$\\frac{{d}}{{dx}}\\sin(2x) = {v.correct_latex}$")
    assert again.ok is True


def test_macros_with_an_optional_argument_def_and_operators_are_expanded():
    note = ("\\def\\fp{f'}\n\\DeclareMathOperator{\\sech}{sech}\n"
            "\\newcommand{\\dx}[1][x]{\\frac{d}{d#1}}\n"
            "Let $f(x) = x^2$. Then $\\fp(x) = 2x$, $\\dx (x^3) = 3x^2$, $\\dx[t] (t^3) = 3t^2$ "
            "and $\\dx \\sech x = -\\sech x\\tanh x$.")
    vs, _ = verdicts(note, "latex")
    assert [v.ok for v in vs] == [True, True, True, True]
    vs, _ = verdicts(note.replace("3t^2", "3t"), "latex")
    assert [v.ok for v in vs] == [True, True, False, True]
