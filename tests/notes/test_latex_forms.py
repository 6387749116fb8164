"""LaTeX that real notes write and the reader used to reject: the xargs
package's ``\\newcommandx`` (optional arguments with defaults, ``\\deriv[y]``
for dy/dx) and an upright d declared as ``\\DeclareMathOperator{\\di}{d\\!}``.
Hand-written snippets, several spellings each; each correct claim is called
correct, the same claim with a slip is called wrong."""

from __future__ import annotations

import unicodedata

import pytest
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document
from chainlens.engine.frontends.latex_macros import collect_macros, expand_macros


def oks(text: str, kind: str = "latex"):
    return [check_claim(u).ok for u in read_document(text, kind).claims]


XARGS = ("\\DeclareMathOperator{\\di}{d\\!}\n"
         "\\newcommandx*\\deriv[2][1=, 2=x, usedefault]{\\dfrac{\\di {#1}}{\\di {#2}}}\n")


@pytest.mark.parametrize("use, expanded", [
    ("\\deriv[y]", "\\dfrac{\\di {y}}{\\di {x}}"),
    ("\\deriv", "\\dfrac{\\di {}}{\\di {x}}"),
    ("\\deriv[y][t]", "\\dfrac{\\di {y}}{\\di {t}}"),
    ("\\deriv[][t]", "\\dfrac{\\di {}}{\\di {t}}"),
])
def test_xargs_optional_arguments_take_their_defaults(use, expanded):
    macros = collect_macros("\\newcommandx*\\deriv[2][1=, 2=x, usedefault]"
                            "{\\dfrac{\\di {#1}}{\\di {#2}}}")
    assert expand_macros(use, macros) == expanded


@pytest.mark.parametrize("claim", [
    "If $y = x^2 + 2x + 1$ then $\\deriv[y] = 2x + 2$.",
    "$\\deriv \\left(x^2 + 2x + 1\\right) = 2x + 2$",
    "$\\deriv(x^2 + 2x + 1) = 2x + 2$",
    "If $y = t^3$ then $\\deriv[y][t] = 3t^2 - t + t$.",
])
def test_a_derivative_written_with_an_xargs_macro_is_checked(claim):
    assert oks(XARGS + claim) == [True]
    slip = claim.replace("2x + 2$", "2x + 3$").replace("3t^2 - t + t", "3t^2 - t")
    assert oks(XARGS + slip) == [False]


@pytest.mark.parametrize("d", ["\\operatorname{d\\!}", "\\operatorname{d\\,}", "\\mathrm{d}",
                               "\\mathrm{d\\!}"])
def test_an_upright_d_with_a_space_command_is_d(d):
    assert oks(f"$\\frac{{{d}}}{{{d} x}} x^3 = 3x^2$", "markdown") == [True]
    assert oks(f"$\\frac{{{d} y}}{{{d} x}} = 3x^2$ for $y = x^3$", "markdown") != [False]


@pytest.mark.parametrize("claim, slip", [
    ("\\frac{d}{d\\theta}\\sin\\theta = \\cos\\theta", "-\\cos\\theta"),
    ("\\frac{d}{d\\theta}\\sin(\\theta) = \\cos(\\theta)", "\\sin(\\theta)"),
    ("\\frac{d}{d\\alpha}\\alpha^2 = 2\\alpha", "3\\alpha"),
    ("\\frac{d}{d\\phi}\\cos\\phi = -\\sin\\phi", "\\sin\\phi"),
])
def test_a_greek_variable_is_a_variable(claim, slip):
    assert oks(f"${claim}$", "markdown") == [True]
    wrong = claim.rsplit("=", 1)[0] + "= " + slip
    got = [check_claim(u) for u in read_document(f"${wrong}$", "markdown").claims]
    assert [v.ok for v in got] == [False]


def test_a_greek_variable_after_a_one_letter_definition_does_not_crash():
    # red team G1: the variable went unescaped into a regular expression
    note = "Let $y = \\sin t$.\n\n$\\frac{d}{d\\phi}\\cos\\phi = -\\sin\\phi$.\n"
    assert oks(note, "markdown") == [True]


LOSS = "$$L = -[y \\log({p}) + (1-y) \\log(1-{p})]$$\n\n"


@pytest.mark.parametrize("p", ["\\hat{y}", "\\hat y", "\\widehat{y}", "\\bar{q}", "\\tilde{u}",
                               "\\vec{w}"])
def test_a_decorated_letter_is_one_variable(p):
    claim = f"$$\\frac{{\\partial L}}{{\\partial {p}}} = \\frac{{{p} - y}}{{{p}(1-{p})}}$$"
    assert oks(LOSS.format(p=p) + claim, "markdown") == [True]
    got = [check_claim(u) for u in read_document(LOSS.format(p=p) + claim.replace(
        f"{{{p} - y}}", f"{{y - {p}}}"), "markdown").claims]
    assert [v.ok for v in got] == [False]


def test_the_fix_and_the_message_keep_the_accent():
    note = LOSS.format(p="\\hat{y}") + ("$$\\frac{\\partial L}{\\partial \\hat{y}} = "
                                        "\\frac{y}{\\hat{y}}$$")
    (v,) = [check_claim(u) for u in read_document(note, "markdown").claims]
    assert v.ok is False
    assert "\\hat{y}" in v.correct_latex and "y_{hat}" not in v.correct_latex
    # the accent as one character (ŷ) or as y and a combining hat: the same letter
    hat = unicodedata.normalize("NFC", "y\u0302")
    assert hat in unicodedata.normalize("NFC", v.correct_unicode)
    assert hat + " = " in unicodedata.normalize("NFC", v.message())


def test_a_hat_is_not_the_bare_letter():
    # y and \hat{y} are two variables: d/d\hat{y} of y is 0
    assert oks("$$\\frac{\\partial}{\\partial \\hat{y}} (y \\hat{y}) = y$$", "markdown") == [True]
    assert oks("$$\\frac{\\partial}{\\partial \\hat{y}} (y \\hat{y}) = 2y$$", "markdown") == [False]


@pytest.mark.parametrize("box", ["\\boxed{{{0}}}", "\\fbox{{{0}}}", "{0}"])
def test_a_boxed_key_result_is_read(box):
    claim = box.format("\\frac{d}{dx} \\sin(x^2) = 2x\\cos(x^2)")
    assert oks(f"$${claim}$$", "markdown") == [True]
    assert oks(f"$${claim.replace('2x', '3x')}$$", "markdown") == [False]


@pytest.mark.parametrize("claim", [
    "\\frac{d}{dx}\\ln|x| = \\frac{1}{x}",
    "\\frac{d}{dx}\\ln\\left|x\\right| = \\frac{1}{x}",
    "\\frac{d}{dx} \\ln \\left| \\sec x + \\tan x \\right| = \\sec x",
    "\\frac{d}{dx}\\abs{x} = \\frac{x}{\\abs{x}}",
])
def test_absolute_value_bars_after_a_function(claim):
    assert oks(f"${claim}$", "markdown") == [True]
    slip = claim.replace("= \\frac{1}{x}", "= \\frac{2}{x}").replace("= \\sec x", "= \\tan x") \
        .replace("= \\frac{x}{", "= \\frac{2x}{")
    assert oks(f"${slip}$", "markdown") == [False]


def test_a_derivative_by_a_power_is_not_read_as_a_second_derivative():
    # red team G19: \partial \sigma^2 is by the variance
    note = ("$\\frac{\\partial}{\\partial \\sigma^2}\\left(-\\frac{1}{2}\\ln \\sigma^2\\right) = "
            "-\\frac{1}{2\\sigma^2}$")
    assert False not in oks(note, "markdown")
    assert oks("$\\frac{\\partial}{\\partial x^2} x^4 = 4x^3$", "markdown") == []
    assert oks("$\\frac{d^2}{dx^2} x^4 = 12x^2$", "markdown") == [True]


def test_a_total_derivative_by_a_greek_variable_is_rescued():
    # red team G20: \theta right after \cos was not seen as the variable
    note = ("Let $r = 1 + \\cos\\theta$ and $x = r\\cos\\theta$. Then "
            "$\\frac{dx}{d\\theta} = -\\sin\\theta - 2\\sin\\theta\\cos\\theta$.")
    assert False not in oks(note, "markdown")


@pytest.mark.parametrize("claim", [
    "\\frac{d}{dx}\\left(\\cos x + i\\sin x\\right) = i\\left(\\cos x + i\\sin x\\right)",
    "\\frac{d^2}{dt^2}e^{i\\omega t} = -\\omega^2e^{i\\omega t}",
    "\\frac{d}{dx}(x + i)^2 = 2x + 2i",
])
def test_the_imaginary_unit_is_never_a_counterexample(claim):
    # red team G21
    assert False not in oks(f"${claim}$", "markdown")


@pytest.mark.parametrize("claim, ok", [
    ("\\frac{d}{dx}(x^2 \\pm x) = 2x \\pm 1", True),
    ("\\frac{d}{dx}\\sin(x \\pm 1) = \\cos(x \\pm 1)", True),
    ("\\frac{d}{dx}(\\pm x^3) = \\pm 3x^2", True),
    ("\\frac{d}{dx}(x^2 \\mp x) = 2x \\mp 1", True),
    ("\\frac{d}{dx}(x^2 \\pm x) = 2x \\pm 2", False),    # wrong for every sign
    ("\\frac{d}{dx}(x^2 \\pm x) = 2x + 1", None),        # right for one sign only
    ("\\frac{d}{dx}(x^3 \\pm x) = 3x^2 \\mp 1", None),   # right with the signs apart
])
def test_plus_minus_is_read_with_each_sign(claim, ok):
    got = [check_claim(u) for u in read_document(f"${claim}$", "markdown").claims]
    assert [v.ok for v in got] == [ok]
    if ok is False:
        assert got[0].correct_latex is None  # which sign was meant is a guess: no fix


@pytest.mark.parametrize("line", ["Let $f(x) = x^2$. Numerically, $f'(2) = 4.0 \\pm 0.1$.",
                                  "Let $g(x) = e^x$. Then $g'(0) = 1.00 \\pm 0.01$.",
                                  "Let $h(x) = \\sin x$. Then $h'(0) = 1 \\pm 10^{-6}$.",
                                  "$\\frac{d}{dx} x^2 = 4.0 \\pm 0.1$ at $x = 2$."])
def test_an_error_bar_is_not_two_signs(line):
    # red team G27
    assert False not in oks(line, "markdown")


@pytest.mark.parametrize("note, n", [
    # CommonMark: four spaces after a blank line, after an unindented paragraph, is code
    ("Some code:\n\n    $\\frac{d}{dx} x^2 = 3x$\n\nText.\n", 0),
    ("    $\\frac{d}{dx} x^2 = 3x$\n", 0),
    # a list item's continuation is prose, and so is a paragraph's lazy continuation
    ("1. First:\n\n    $\\frac{d}{dx} x^2 = 2x$\n", 1),
    ("- item\n    $\\frac{d}{dx} x^2 = 2x$\n", 1),
    ("Text\n    $\\frac{d}{dx} x^2 = 2x$\n", 1),
    ("Text\n\n   $\\frac{d}{dx} x^2 = 2x$\n", 1),   # three spaces: not code
])
def test_an_indented_code_block_is_code_only_where_commonmark_says_so(note, n):
    # red team F41
    assert len(oks(note, "markdown")) == n


@pytest.mark.parametrize("answer", ["\\answer{2x\\cos(x^2)}",
                                    "\\answer[tolerance=.01]{2x\\cos(x^2)}"])
def test_a_ximera_answer_is_the_claimed_side(answer):
    assert oks(f"$\\frac{{d}}{{dx}}\\sin(x^2) = {answer}$") == [True]
    assert oks(f"$\\frac{{d}}{{dx}}\\sin(x^2) = {answer.replace('2x', '3x')}$") == [False]


@pytest.mark.parametrize("note", [
    "Let $f(x) = \\begin{cases} x^2 & x \\ge 0 \\\\ -x^2 & x < 0\\end{cases}$. Then $f'(1) = 2$.",
    "Let $g(x) = \\begin{cases} \\sin x & x > 0 \\\\ 0 & x \\le 0 \\end{cases}$. For $x > 0$, "
    "$g'(x) = \\cos x$.",
    "Let $h(x) = \\begin{array}{ll} e^x, & x < 0, \\\\ 1 + x, & x \\geq 0. \\end{array}$ Then "
    "$h'(2) = 1$.",
])
def test_a_piecewise_definition_is_not_read_as_its_first_row(note):
    # red team G8
    assert False not in oks(note, "markdown")


@pytest.mark.parametrize("claim, slip", [
    ("$(f \\circ g)'(x) = 2x\\cos(x^2)$", "$(f \\circ g)'(x) = 2x\\sin(x^2)$"),
    ("$(g\\circ f)'(x) = 2\\sin x\\cos x$", "$(g\\circ f)'(x) = 2\\cos x$"),
    ("$\\frac{d}{dx}(f\\circ g)(x) = 2x\\cos(x^2)$", "$\\frac{d}{dx}(f\\circ g)(x) = \\cos(x^2)$"),
])
def test_a_composition_of_functions_defined_nearby(claim, slip):
    defs = "Let $f(x) = \\sin x$ and $g(x) = x^2$. "
    assert oks(defs + claim, "markdown") == [True]
    assert oks(defs + slip, "markdown") == [False]


@pytest.mark.parametrize("note", [
    "Let $a = \\sigma(z)$. Then $\\frac{\\partial a}{\\partial z} = a \\circ (1 - a)$.",
    "In degrees, $\\frac{d}{dx}\\sin(x^\\circ) = \\frac{\\pi}{180}\\cos(x^\\circ)$.",
    "$(f \\circ g)'(x) = 2x\\cos(x^2)$",       # f and g not given here
])
def test_other_circles_are_not_compositions(note):
    assert False not in oks(note, "markdown")


@pytest.mark.parametrize("note", [
    "$\\frac{d}{dx}\\arcsin(\\sin x) = 1$ on $(-\\pi/2, \\pi/2)$.",
    "$\\frac{d}{dx}\\sqrt{x^2} = 1$ over the interval $(0, \\infty)$.",
    "$\\frac{d}{dx}(x\\sqrt{x^2}) = 2x$ in the region $x > 0$.",
    "$\\frac{d}{dx}(x\\sqrt{x^2}) = 2x$ ($x \\in \\mathbb{R}^+$).",
    "Assume $x > 0$. Then $\\frac{d}{dx}(x\\sqrt{x^2}) = 2x$.",
    "Throughout, $x > 0$.\n\n$\\frac{d}{dx}\\sqrt{x^2} = 1$.",
])
def test_a_domain_given_as_an_interval_region_or_premise_restricts_the_claim(note):
    # red team G31
    assert False not in oks(note, "markdown")


def test_all_real_numbers_is_no_restriction():
    assert oks("$\\frac{d}{dx} x^3 = 2x^2$ for $x \\in \\mathbb{R}$.", "markdown") == [False]
