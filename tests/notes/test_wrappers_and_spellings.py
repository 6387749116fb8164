"""Notation the reader used to drop or reject: a wrapper around part of a
claim (a coloured operator, a cancelled term, a brace with an annotation) is
read as its body, never dropped with it; and spellings of brackets, roots,
fractions, upright d's, derivative packages and Unicode powers that many
authors write.  Hand-written snippets; each correct claim is checked correct
and the same claim with a slip is called wrong, against SymPy as the oracle
where a derivative is computed."""

from __future__ import annotations

import pytest
import sympy as sp
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document
from chainlens.engine.frontends.latex_text import normalise

X = sp.Symbol("x", real=True)


def oks(text: str, kind: str = "markdown"):
    return [check_claim(u).ok for u in read_document(text, kind).claims]


def test_the_oracle_agrees_with_the_coloured_claim():
    # f = 2x/(x+1): f' = (2(x+1) - 2x)/(x+1)^2, the claim below
    f = 2 * X / (X + 1)
    assert sp.simplify(sp.diff(f, X) - (2 * (X + 1) - 2 * X) / (X + 1) ** 2) == 0


@pytest.mark.parametrize("minus", [
    "\\textcolor{red}{-}", "\\color{red}{-}", "\\colorbox{yellow}{-}",
    "\\mathbin{-}", "\\textcolor{red}{\\boldsymbol{-}}",
])
def test_a_coloured_operator_is_the_operator(minus):
    claim = (f"Let $f(x) = \\frac{{2x}}{{x+1}}$. "
             f"Then $f'(x) = \\frac{{2(x+1){minus}2x}}{{(x+1)^2}}$.")
    assert oks(claim) == [True]
    assert oks(claim, "latex") == [True]
    plus = minus.replace("-", "+")
    assert oks(claim.replace(minus, plus)) == [False]


def test_a_colour_switch_in_a_group_never_drops_the_sign():
    claim = ("Let $f(x) = \\frac{2x}{x+1}$. "
             "Then $f'(x) = \\frac{2(x+1){\\color{blue} -}2x}{(x+1)^2}$.")
    assert False not in oks(claim)


@pytest.mark.parametrize("term", [
    "\\cancel{0}", "\\bcancel{0}", "\\xcancel{0}", "\\cancelto{0}{0}",
    "\\underbrace{0}_{\\text{constant rule}}", "\\overbrace{0}^{\\text{constant}}",
    "\\underset{\\text{const}}{0}", "\\smash{0}",
])
def test_an_annotated_term_is_its_body_and_its_annotation_no_script(term):
    claim = f"$\\frac{{d}}{{dx}}(x^3 + 5) = 3x^2 + {term}$"
    assert oks(claim) == [True]
    assert oks(claim.replace("3x^2", "2x^2")) == [False]


def test_a_brace_annotation_is_not_a_subscript_of_the_term():
    claim = "$\\frac{d}{dx}(x^3 + 5x) = \\underbrace{3x^2}_{\\text{power rule}} + 5$"
    assert oks(claim) == [True]
    assert oks(claim.replace("3x^2", "3x")) == [False]
    over = "$\\frac{d}{dx}(x^3 + 5x) = \\overbrace{3x^2}^{\\text{power rule}} + 5$"
    assert oks(over) == [True]


@pytest.mark.parametrize("claim", [
    "$\\frac{d}{dx}(x+1)^4 = 4\\boxed{x+1}^3$",
    "$\\frac{d}{dx}(x+1)^4 = 4\\textcolor{red}{x+1}^3$",
    "$\\frac{d}{dx}(x+1)^4 = 4\\underbrace{x+1}_{u}^3$",
])
def test_a_power_on_a_wrapped_group_is_never_guessed(claim):
    # to the eye x+1³, to TeX (x+1)³: not read, and so never 'wrong'
    assert False not in oks(claim)


def test_a_colour_box_around_math_is_its_math():
    assert normalise("\\colorbox{yellow}{$2x$} + 1") == "2x + 1"


def test_a_phantom_is_invisible():
    assert normalise("\\phantom{-}2x + \\hphantom{x}1\\mathstrut") == "2x + 1"


@pytest.mark.parametrize("claim", [
    "$$\\frac{d}{dx}\\left\\lbrack x^3 + x\\right\\rbrack = 3x^2 + 1$$",
    "$$\\frac{d}{dx}\\lbrack x^3 + x\\rbrack = 3x^2 + 1$$",
    "$$\\frac{d}{dx}\\left\\lbrace x^3 + x\\right\\rbrace = 3x^2 + 1$$",
    "$$\\frac{d}{dx}\\Bigl( x^3 + x \\Bigr) = 3x^2 + 1$$",
    "$$\\frac{d}{dx}\\biggl[ x^3 + x \\biggr] = 3x^2\\, +\\; 1\\!$$",
])
def test_bracket_spellings(claim):
    assert oks(claim) == [True]
    assert oks(claim.replace("3x^2", "3x")) == [False]


@pytest.mark.parametrize("claim", [
    "$\\frac{d}{dx} \\left|x\\right|^3 = 3x\\left|x\\right|$",
    "$\\frac{d}{dx} \\left\\vert x\\right\\vert^3 = 3x\\left\\vert x\\right\\vert$",
    "$\\frac{d}{dx} \\vert x\\vert^3 = 3x\\lvert x\\rvert$",
])
def test_sized_bars_in_pairs_are_an_absolute_value(claim):
    assert sp.simplify(sp.diff(sp.Abs(X) ** 3, X).subs(X, 2) - 3 * 2 * 2) == 0
    assert oks(claim) == [True]
    assert oks(claim.replace("= 3x", "= 2x")) == [False]


@pytest.mark.parametrize("claim, slip", [
    ("$\\frac{d}{dx} \\root 3 \\of x = \\frac{1}{3} x^{-2/3}$", "\\frac{1}{2} x^{-2/3}"),
    ("$\\frac{d}{dx} \\root 3\\of{x^2} = \\frac{2}{3} x^{-1/3}$", "\\frac{1}{3} x^{-1/3}"),
    ("$\\frac{d}{dx} x^4 = \\nicefrac{4}{1} x^3$", "\\nicefrac{3}{1} x^3"),
    ("$\\frac{d}{dx} \\sfrac{1}{2}x^2 = x$", "2x"),
    ("$\\frac{d}{dx} \\cfrac{1}{x} = -\\cfrac{1}{x^2}$", "\\cfrac{1}{x^2}"),
    ("$\\frac{d}{dx} \\tfrac12 x^2 = x$", "2x"),
])
def test_root_and_fraction_spellings(claim, slip):
    assert oks(claim) == [True]
    head = claim.rsplit("= ", 1)[0]
    assert oks(head + "= " + slip + "$") == [False]


@pytest.mark.parametrize("operator", [
    "\\frac{\\mathrm d}{\\mathrm dx}", "\\frac{\\mathrm{d}}{\\mathrm{d}x}",
    "\\frac{\\dd}{\\dd x}", "\\frac{\\dif}{\\dif x}", "\\od{}{x}", "\\odv{}{x}", "\\dv{}{x}",
])
def test_upright_d_and_derivative_packages(operator):
    claim = f"${operator} e^{{-x^2/2}} = -x e^{{-x^2/2}}$"
    assert oks(claim) == [True]
    assert oks(claim.replace("= -x", "= x")) == [False]


@pytest.mark.parametrize("head", ["\\od{y}{x}", "\\odv{y}{x}"])
def test_a_named_derivative_from_a_package(head):
    claim = f"If $y = x^3 - x$ then ${head} = 3x^2 - 1$."
    assert oks(claim) == [True]
    assert oks(claim.replace("3x^2 - 1$", "3x^2 + 1$")) == [False]


@pytest.mark.parametrize("claim, slip", [
    ("d/dx xⁿ = nxⁿ⁻¹", "nxⁿ"),
    ("d/dx eˣ = eˣ", "xeˣ"),
    ("d/dx sin²(x) = 2sin(x)cos(x)", "2sin(x)"),
    ("d/dx x⁻² = -2x⁻³", "2x⁻³"),
])
def test_unicode_powers(claim, slip):
    assert oks(claim) == [True]
    assert oks(claim.split("= ")[0] + "= " + slip) == [False]


def test_an_hbox_comment_at_the_end_of_a_step_is_prose():
    note = ("$$h(x) = x^2 \\sin x$$\n\n"
            "$$h'(x) = 2x\\sin x + x^2\\cos x \\hbox{product rule}$$\n")
    assert oks(note) == [True]
    assert oks(note.replace("+ x^2", "- x^2")) == [False]


def test_an_empty_power_is_nothing():
    assert normalise("\\sin^{}y") == "\\sin y"


@pytest.mark.parametrize("claim, slip", [
    ("∂/∂x (x^2 y) = 2xy", "∂/∂x (x^2 y) = 2x"),
    ("∂/∂y (x^2 y) = x^2", "∂/∂y (x^2 y) = x^2 + 1"),
    ("$\\frac{∂}{∂x} x^2 y = 2xy$", "$\\frac{∂}{∂x} x^2 y = xy$"),
    ("If $f(x,y) = x^2 y$ then $∂f/∂x = 2xy$.", "If $f(x,y) = x^2 y$ then $∂f/∂x = xy$."),
])
def test_a_unicode_partial_is_the_partial_derivative(claim, slip):
    assert sp.diff(X ** 2 * sp.Symbol("y"), X) == 2 * X * sp.Symbol("y")
    assert oks(claim) == [True]
    assert oks(slip) == [False]


@pytest.mark.parametrize("operator", ["\\diff{}{x}", "\\diffp{}{x}", "\\dv{}{x}"])
def test_esdiff_and_an_empty_numerator(operator):
    assert oks(f"${operator} \\cos(3x) = -3\\sin(3x)$") == [True]
    assert oks(f"${operator} \\cos(3x) = 3\\sin(3x)$") == [False]


@pytest.mark.parametrize("line", [
    "d/dx[sin^2(x)] = d/dx[(sin x)^2]",
    "d/dx[x^2] = d/dx[x \\cdot x]",
    "d/dx[x^2 + x] = d/dx[x^2] + d/dx[x] = 2x + 1",
])
def test_a_plain_operator_in_the_claimed_side_is_the_operator(line):
    # d/dx[...] restated is d/dx of it, never d÷(d·x)·[...]
    assert False not in oks(line)
    assert True in oks(line)


def test_a_premise_in_a_plain_line_shadows_an_older_definition():
    note = ("1. f(x) = (x^2 - 1)(x^3 + x)/(x + 2)\n\n"
            "2. Prove: If f(x) = x g(x), then f'(x) = g(x) + x g'(x)\n")
    assert False not in oks(note)


def test_the_graph_of_a_primed_function_names_a_plot():
    note = ("The graph of \\( f(x) = \\vert x \\vert \\) has a corner.\n\n"
            "The graph of \\( f^\\prime(x) = \\sqrt[3]{x^2} \\) has a cusp.\n")
    assert oks(note, "latex") == [None]


def test_a_medium_space_before_an_alignment_point_is_no_relation():
    # \> is a space; read as '>' it ended the chain ("not read: unexpected '\'")
    chain = ("\\begin{align}\n  y = \\> &(2x + 3)^2 \\\\\n"
             "  \\implies y^\\prime = \\> &8x + 12 \\\\\n  = \\: &4(2x + 3)\n\\end{align}\n")
    assert oks(chain, "latex") == [True, True]
    assert oks(chain.replace("&8x + 12", "&8x + 3"), "latex")[0] is False


def test_a_github_math_fence_is_display_math():
    note = "Text.\n\n```math\n\\frac{d}{dx} \\sin x = \\cos x\n```\n"
    assert oks(note) == [True]
    assert oks(note.replace("= \\cos", "= -\\cos")) == [False]
    code = "```python\nd = 2\n```\n\n```mathematica\nD/Dx = 3 x\n```\n"
    assert oks(code) == []


@pytest.mark.parametrize("claim, slip", [
    ("$\\frac{d}{dx}\\text{arcsinh}(x) = \\frac{1}{\\sqrt{1+x^2}}$",
     "$\\frac{d}{dx}\\text{arcsinh}(x) = \\frac{1}{\\sqrt{1-x^2}}$"),
    ("$\\frac{d}{dx} x\\text{sech}(x) = \\text{sech}(x) - x\\text{sech}(x)\\tanh(x)$",
     "$\\frac{d}{dx} x\\text{sech}(x) = \\text{sech}(x) + x\\text{sech}(x)\\tanh(x)$"),
    ("$\\frac{d}{dx}(x^2) = 2x \\ \\checkmark$", "$\\frac{d}{dx}(x^2) = 3x \\ \\checkmark$"),
])
def test_a_function_name_in_text_and_a_check_mark(claim, slip):
    # \text{sech} is the function (not the end of the chain, not s·e·c·h after x)
    assert oks(claim) == [True]
    assert oks(slip) == [False]


@pytest.mark.parametrize("end", ["\\; (2)", "\\quad (12)", "\\hfill (2)", "\\checkmark (2)",
                                 "\\ \\checkmark", "\\;\\;\\; (3)"])
def test_an_equation_number_or_a_check_mark_after_a_claim_is_no_factor(end):
    claim = f"$\\frac{{d}}{{dx}} x^2 = 2x {end}$"
    assert oks(claim) == [True]
    assert oks(claim.replace("= 2x", "= 3x")) == [False]


def test_equation_numbers_on_the_lines_of_an_alignment():
    chain = ("\\begin{align} \\frac{d}{dx} x^2 &= 2x \\; (1) \\\\\n"
             " \\frac{d}{dx} x^3 &= 3x^2 \\; (2) \\end{align}")
    assert oks(chain, "latex") == [True, True]


@pytest.mark.parametrize("line, slip", [
    ("f(x) = x³ ⇒ f′(x) = 3x²", "f(x) = x³ ⇒ f′(x) = 2x²"),
    ("g(x) = x^2, so g′(x) = 2x", "g(x) = x^2, so g′(x) = x"),
])
def test_a_unicode_prime_and_an_implication_in_a_plain_line(line, slip):
    assert oks(line) == [True]
    assert oks(slip) == [False]


def test_an_end_of_proof_mark_keeps_the_offsets():
    note = "$\\frac{d}{dx} x^2 = 2x \\qed$ and $y = 1$"
    assert oks(note, "latex") == [True]
    assert oks(note.replace("= 2x", "= 3x"), "latex") == [False]


def test_providecommand_defines_only_what_is_not_defined():
    note = ("\\providecommand{\\half}{\\frac{1}{2}}\n\\newcommand{\\h}{e^{2x}}\n"
            "\\providecommand{\\h}{x}\n\n"
            "$\\frac{d}{dx}\\half x^2 = x$ and $\\frac{d}{dx}\\h = 2e^{2x}$\n")
    assert oks(note, "latex") == [True, True]
    assert oks(note.replace("= x$", "= 2x$"), "latex") == [False, True]
