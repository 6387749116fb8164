"""LaTeX problem books: a question's ``hint``/``answer``/``solution`` blocks are
read with the question (its ``f(x) = …`` binds their ``f'(x) = …``), a
derivative macro padded with glue (``\\hfil#1\\hfil``) is still a derivative,
and an alignment line that opens with padding (``&\\phantom{=} +``,
``&~~~~``, ``&\\qquad \\cdot``) continues the expression above it.  Own
snippets in the notation of such books; every claimed side is checked here
against SymPy's derivative as well."""

from __future__ import annotations

import pytest
import sympy as sp
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document

x = sp.Symbol("x")

PREAMBLE = "\\newcommand{\\deriv}[2]{ \\frac{\\mathrm{d}\\hfil#1\\hfil}{\\mathrm{d}#2}}\n"


def oks(text: str):
    return [check_claim(u).ok for u in read_document(text, "latex").claims]


def problem(function: str, answer: str, solution: str, gap: str = "\n") -> str:
    return (f"\\begin{{question}}\nDifferentiate $f(x)={function}$.\n\\end{{question}}{gap}"
            "\\begin{hint}\nUse the product rule.\n\\end{hint}\n"
            f"\\begin{{answer}}\n$f'(x)={answer}$\n\\end{{answer}}\n"
            f"\\begin{{solution}}\n\\[f'(x)={solution}\\]\n\\end{{solution}}\n")


@pytest.mark.parametrize("gap", ["\n", "\n\n%%%% a comment\n\n"])
def test_a_question_binds_its_answer_and_solution(gap):
    note = problem("x^3\\sin x", "3x^2\\sin x + x^3\\cos x",
                   "x^2(3\\sin x + x\\cos x)", gap)
    want = sp.diff(x**3 * sp.sin(x), x)
    assert sp.simplify(want - (3 * x**2 * sp.sin(x) + x**3 * sp.cos(x))) == 0
    assert sp.simplify(want - x**2 * (3 * sp.sin(x) + x * sp.cos(x))) == 0
    assert oks(note) == [True, True]


def test_a_wrong_answer_to_a_question_is_flagged():
    note = problem("x^3\\sin x", "3x^2\\sin x - x^3\\cos x", "x^2(3\\sin x + x\\cos x)")
    assert oks(note) == [False, True]


def test_the_next_question_is_not_bound_by_the_one_before():
    note = problem("x^3\\sin x", "3x^2\\sin x + x^3\\cos x", "x^2(3\\sin x + x\\cos x)") + \
        "\\begin{question}\nFor which $x$ is $f'(x)=0$ for a function of your choice?\n" \
        "\\end{question}\n\\begin{solution}\n$f'(x)=2x$\n\\end{solution}\n"
    assert oks(note)[:2] == [True, True]
    assert len(oks(note)) == 2  # the later f'(x) is about no formula the note gives


def test_a_solution_after_prose_is_not_bound():
    note = problem("x^3\\sin x", "3x^2\\sin x + x^3\\cos x", "x^2(3\\sin x + x\\cos x)",
                   "\nSome words between the question and its hint.\n")
    assert oks(note) == []


def test_a_derivative_macro_padded_with_glue():
    note = PREAMBLE + ("\\begin{align*}\n\\deriv{}{x}\\{\\cos(5x+3)\\}"
                       "&=-\\sin(5x+3)\\cdot\\deriv{}{x}\\{5x+3\\}\\\\\n"
                       "&=-5\\sin(5x+3)\n\\end{align*}\n")
    assert sp.diff(sp.cos(5 * x + 3), x) == -5 * sp.sin(5 * x + 3)
    assert oks(note) == [True, True]
    assert oks(note.replace("=-5\\sin", "=5\\sin")) == [True, False]


@pytest.mark.parametrize("pad", ["&\\phantom{=} ", "&~~~~\n", "&\\qquad ", "&\\hspace{2em}"])
def test_a_padded_line_continues_the_expression_above(pad):
    note = ("\\begin{align*}\n\\frac{d}{dx}\\big[x^2\\sin x\\big]\n&=2x\\sin x\\\\\n"
            f"{pad}+x^2\\cos x\n\\end{{align*}}\n")
    assert sp.diff(x**2 * sp.sin(x), x) == 2 * x * sp.sin(x) + x**2 * sp.cos(x)
    assert oks(note) == [True]
    assert oks(note.replace("+x^2\\cos x", "-x^2\\cos x")) == [False]


@pytest.mark.parametrize("pad", ["&\\phantom{=} ", "&\\qquad "])
def test_a_padded_product_line_continues_the_factor_above(pad):
    note = ("\\begin{align*}\n\\frac{d}{dx}\\big[x^2\\sin x\\big]\n&=2x\\sin x + x^2\\\\\n"
            f"{pad}\\cdot\\cos x\n\\end{{align*}}\n")
    assert oks(note) == [True]  # never 2x sin x + x^2 alone, which would be wrong



def test_intertext_with_math_and_emphasis_inside_continues_the_chain():
    note = ("\\begin{align*}\n\\frac{d}{dx}e^{\\sin(x^2)}&=e^{\\sin(x^2)}\\cdot"
            "\\frac{d}{dx}\\{\\sin(x^2)\\}\n"
            "\\intertext{To find $\\frac{d}{dx}\\{{\\sin(x^2)}\\}$ we need the chain rule "
            "\\emph{again}.}\n"
            "&=e^{\\sin(x^2)}\\cos(x^2)\\cdot 2x\n\\end{align*}\n")
    want = sp.diff(sp.exp(sp.sin(x**2)), x)
    assert sp.simplify(want - sp.exp(sp.sin(x**2)) * sp.cos(x**2) * 2 * x) == 0
    assert oks(note) == [True, True]
    assert oks(note.replace("\\cos(x^2)\\cdot 2x", "\\cos(x^2)\\cdot 3x")) == [True, False]


def test_a_control_space_at_the_end_of_a_line_is_a_space():
    note = ("\\begin{align*}\n\\frac{d}{dx}\\sin(x^3)\n=\\cos(x^3)\\,\\\n"
            "\\frac{d}{dx}\\{x^3\\}\n\\end{align*}\n")
    assert oks(note) == [True]
    assert oks(note.replace("=\\cos", "=-\\cos")) == [False]


@pytest.mark.parametrize("text, fn, claimed, ok", [
    ("\\cos^{-1} 2x", sp.acos(2 * x), "-\\frac{2}{\\sqrt{1-4x^2}}", True),
    ("\\cos^{-1} 2x", sp.acos(2 * x), "\\frac{2}{\\sqrt{1-4x^2}}", False),
    ("\\sin^{2} 3x", sp.sin(3 * x)**2, "6\\sin 3x\\cos 3x", True),
])
def test_a_number_after_a_functions_power_is_its_argument(text, fn, claimed, ok):
    """red team R36: ``\\cos^{-1} 2x`` is arccos(2x), never cos^{-1}·2x."""
    want = {True: 0}.get(ok)
    truth = sp.simplify(sp.diff(fn, x) - sp.sympify(
        {"-\\frac{2}{\\sqrt{1-4x^2}}": "-2/sqrt(1-4*x**2)", "\\frac{2}{\\sqrt{1-4x^2}}":
         "2/sqrt(1-4*x**2)", "6\\sin 3x\\cos 3x": "6*sin(3*x)*cos(3*x)"}[claimed]))
    assert (truth == 0) is ok and (want is None or truth == want)
    note = f"$\\frac{{d}}{{dx}}{text} = {claimed}$\n"
    assert [check_claim(u).ok for u in read_document(note, "markdown").claims] == [ok]


@pytest.mark.parametrize("claim, remark", [
    ("\\frac{d}{dx}\\ln x &= \\frac{1}{x}", "&\\qquad -1 < x"),
    ("\\frac{d}{dx}\\arcsin x &= \\frac{1}{\\sqrt{1-x^2}}", "& -1 < x < 1"),
    ("\\frac{d}{dx}(x^2 - 2x) &= 2x - 2", "&\\qquad -2 \\text{ is the slope at } 0"),
    ("\\frac{d}{dx}\\sqrt{x} &= \\frac{1}{2\\sqrt{x}}", "&\\quad + \\text{ only for } x > 0"),
])
def test_a_signed_domain_or_remark_line_is_no_continuation(claim, remark):
    """red team S4 (P0): the claim above a domain or a remark stands alone, correct."""
    note = f"\\begin{{align*}}\n{claim} \\\\\n{remark}\n\\end{{align*}}\n"
    assert oks(note) == [True]
