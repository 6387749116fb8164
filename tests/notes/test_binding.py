"""Which definition a claim like ``f'(x) = …`` is about, on short notes
written for these tests.  The rule under test: a bound claim is judged only
when its binding is unambiguous; otherwise it is "not checked" with a reason,
never "wrong".  Each note here is correct math, so no verdict may be False;
where a claim is checked its verdict is compared with SymPy."""

from __future__ import annotations

import pytest
import sympy as sp
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document


def run(text: str, kind: str = "latex"):
    doc = read_document(text, kind)
    return [check_claim(u) for u in doc.claims], doc.skipped


def _sympy_says(expr: str, claimed: str) -> bool:
    x = sp.Symbol("x")
    return sp.simplify(sp.diff(sp.sympify(expr), x) - sp.sympify(claimed)) == 0


def test_two_definitions_joined_by_prose_are_two_definitions():
    # Round 1 read "f(x) = x^2 \text{ and } g(x) = 1-x" as f(x) = x^2 g(x) = 1-x
    # and bound f to 1-x, calling f'(x) = 2x wrong.
    note = ("\\[y=(1-x)^2 = f(g(x)), \\text{ where } f(x) = x^2\\ \\text{ and }\\ g(x) = 1-x.\\]\n"
            "We need $f'(x)=2x$ and $g'(x)=-1$.")
    vs, _ = run(note)
    assert [v.ok for v in vs] == [True, True]
    assert _sympy_says("x**2", "2*x") and _sympy_says("1-x", "-1")


def test_a_definition_is_its_first_side_not_a_restatement_through_functions():
    note = ("Let $f(x) = x^3$ and $g(x) = 1-x$, so $y = (1-x)^3 = f(g(x))$.\n"
            "\\[y' = 3(1-x)^2\\cdot(-1) = -3(1-x)^2.\\]")
    vs, _ = run(note)
    assert [v.ok for v in vs] == [True, True]
    assert _sympy_says("(1-x)**3", "-3*(1-x)**2")


def test_f_prime_evaluated_at_another_defined_function_is_not_called_wrong():
    # "substitute g(x) for x in f'(x). That is, f'(x) = 2(1-x)": loose, not wrong.
    note = ("Let $f(x) = x^2$ and $g(x) = 1-x$. We have $f'(x) = 2x$. Substituting g(x) "
            "for x, that is, $f'(x) = 2(1-x)$.")
    vs, _ = run(note)
    assert vs[0].ok is True
    assert vs[1].ok is None and "evaluated at" in vs[1].note


def test_a_name_defined_through_other_functions_shadows_its_old_definition():
    note = ("Let $y = x^2$. Then $y' = 2x$.\n\n"
            "Now let $y = f(g(x))$ for some $f$ and $g$. Then $y' = f'(g(x))g'(x)$, "
            "and for example $y' = 3$.")
    vs, skipped = run(note)
    # y' = f'(g(x))g'(x) holds for any f and g (checked with test functions); y' = 3 is
    # about f(g(x)), never the old x^2
    assert [v.ok for v in vs] == [True, True]
    assert any("defined through other functions" in s.reason for s in skipped)


def test_definitions_listed_as_problems_bind_no_answer():
    note = ("\\begin{enumerate}\n\\item $f(x) = \\frac{1}{x}$\n\\item $f(x) = x^3$\n"
            "\\end{enumerate}\nSolutions:\n\\begin{enumerate}\n\\item $f'(x) = -\\frac{1}{x^2}$\n"
            "\\item $f'(x) = 3x^2$\n\\end{enumerate}")
    vs, _ = run(note)
    assert all(v.ok is not False for v in vs)


def test_a_definition_inside_an_example_does_not_bind_outside_it():
    note = ("\\begin{example}Let $f(x) = \\sin x$; then $f'(x) = \\cos x$.\\end{example}\n"
            "In general, if $f'(x) = 0$ everywhere then f is constant, e.g. $f'(x) = 2x$ for "
            "the parabola.")
    vs, _ = run(note)
    assert [v.ok for v in vs] == [True]


def test_a_definition_in_one_item_binds_its_own_item():
    note = ("\\begin{enumerate}\n\\item Let $f(x) = \\ln x$. Then $f'(x) = \\frac{1}{x}$.\n"
            "\\item Let $f(x) = e^x$. Then $f'(x) = e^x$.\n\\end{enumerate}")
    vs, _ = run(note)
    assert [v.ok for v in vs] == [True, True]


@pytest.mark.parametrize("note", [
    # f applied to a bracket is a function, not f times (1-x)
    "$\\frac{d}{dx} f(1-x) = -f(1-x)$",
    "$\\frac{d}{dt} x(t)^2 = 2x(t)$",
    # a product of a constant letter and a bracket stays a product and is checked
])
def test_a_letter_before_a_bracket_may_be_a_function(note):
    vs, skipped = run(note, "markdown")
    assert not vs
    assert any("is a function the note does not define" in s.reason for s in skipped)


def test_a_constant_letter_before_a_bracket_is_a_product():
    vs, _ = run("$\\frac{d}{dx} a(x^2+1) = 2ax$", "markdown")
    assert [v.ok for v in vs] == [True]


def test_a_comment_at_the_end_of_an_aligned_line_keeps_the_chain():
    note = ("\\begin{align*}\n\\frac{d}{dx}\\left(x^2\\sin x\\right) &= 2x\\sin x + x^2\\cos x "
            "&& \\text{(product rule)}\\\\\n&= x(2\\sin x + x\\cos x)\n\\end{align*}")
    vs, _ = run(note)
    assert [v.ok for v in vs] == [True, True]


def test_a_composition_restates_a_function_and_keeps_its_binding():
    note = ("Consider $h(x)=\\sin\\left(x^3\\right)$. Then $h=f\\circ g$ with $f(u)=\\sin(u)$ "
            "and $g(x)=x^3$, so\n\n$$\n h'(x)=f'(g(x))g'(x)=\\cos\\left(x^3\\right)3x^2.\n$$\n")
    vs, _ = run(note, "markdown")
    assert [v.ok for v in vs] == [True, True]  # f'(g(x))g'(x) with f, g defined: checked too
    assert _sympy_says("sin(x**3)", "cos(x**3)*3*x**2")


def test_math_with_spaces_inside_the_dollars_is_math_in_markdown():
    note = ("### $ f(x,y) = x^2 + y^2$\n\n"
            "### $ \\frac{\\partial f}{\\partial x} = 2x + 0 \\qquad $\n")
    vs, _ = run(note, "markdown")
    assert [v.ok for v in vs] == [True]
    assert _sympy_says("x**2", "2*x")
    assert not read_document("It costs $ 5 and $ 6.", "markdown").claims


def test_a_table_cell_with_prose_around_math_is_that_math():
    note = ("| Function $f(x)$ | Derivative $\\frac{d}{dx}(f(x))$ |\n|---|---|\n"
            "| Power Rule ($x^n$) | $nx^{n-1}$ |\n| Sine ($\\sin(x)$) | $\\cos(x)$ |\n\n"
            "| Function | Rewrite | Derivative | Simplify |\n|---|---|---|---|\n"
            "| $\\sqrt{x}$ | $x^{1/2}$ | $\\frac{1}{2}x^{-1/2}$ | $\\frac{1}{2\\sqrt{x}}$ |\n")
    vs, _ = run(note, "markdown")
    assert [v.ok for v in vs] == [True, True, True, True]


def test_numbered_problems_bind_their_numbered_answers():
    note = ("Find the derivatives: \\[1.\\ f(x) = 4x^2\\qquad 2.\\ f(x) = \\sin x\\]\n"
            "\\solution\n\\begin{enumerate}\n\\item $f'(x) = 8x$.\n\\item $f'(x) = \\cos x$.\n"
            "\\end{enumerate}")
    vs, _ = run(note)
    assert [v.ok for v in vs] == [True, True]


def test_numbered_answers_that_do_not_match_in_number_bind_nothing():
    note = ("\\[1.\\ f(x) = 4x^2\\qquad 2.\\ f(x) = \\sin x\\]\n"
            "\\begin{enumerate}\n\\item $f'(x) = \\cos x$.\n\\end{enumerate}")
    vs, _ = run(note)
    assert all(v.ok is not False for v in vs)


@pytest.mark.parametrize(("note", "ok"), [
    # an explicit derivative said to be a constant, with no equation around: a mistake
    ("We readily find $\\frac{d}{dx}(3x^2+5x+7) = 11$.", False),
    # the same words as an equation or a value at a point: not checked
    ("Where is $\\frac{d}{dx}(3x^2+5x+7) = 11$?", None),
    ("Let $f(x) = 3x^2+5x+7$; solve $f'(x) = 11$ for x.", None),
    ("At $x = 1$ we get $\\frac{d}{dx}(3x^2+5x+7) = 11$.", None),
])
def test_a_constant_claim_is_a_mistake_unless_the_words_make_it_an_equation(note, ok):
    vs, _ = run(note, "markdown")
    assert [v.ok for v in vs] == [ok]
    assert not _sympy_says("3*x**2+5*x+7", "11")


def test_a_derivative_of_a_name_that_stands_for_a_function_is_not_read():
    # f_x is a function of x written as a name: d/dx(f_x) is not 0
    note = ("Let $f(x,y) = x^3y^2$. Then "
            "$f_{xx}(x,y) = \\frac{\\partial}{\\partial x}\\bigl(f_x\\bigr) = 6xy^2$.")
    vs, skipped = run(note)
    assert [v.ok for v in vs] == [True]
    assert any("does not contain x" in s.reason for s in skipped)


def test_a_mixed_partial_differentiates_by_each_variable_in_turn():
    note = ("Let $f(x,y) = x^3y^2 + \\sin(xy)$. "
            "Then $f_{xy}(x,y) = 6x^2y + \\cos(xy) - xy\\sin(xy)$.")
    vs, _ = run(note)
    assert [v.ok for v in vs] == [True]
    x, y = sp.symbols("x y")
    f = x**3 * y**2 + sp.sin(x * y)
    assert sp.simplify(sp.diff(f, x, y) - (6*x**2*y + sp.cos(x*y) - x*y*sp.sin(x*y))) == 0


def test_subscripted_names_are_defined_and_bound():
    note = ("\\[F_1(x) = (1-x)^2,\\qquad F_2(x) = (1-x)^3.\\]\n"
            "\\begin{align*}\nF_1'(x) &= -2(1-x),\\\\\nF_2'(x) &= -3(1-x)^2.\n\\end{align*}")
    vs, _ = run(note)
    assert [v.ok for v in vs] == [True, True]


def test_a_cheat_sheet_inverse_with_a_bare_signed_power():
    note = "Expression | Derivative\n---------- | ----------\nsin^-1(x) | 1/sqrt(1 - x^2)\n"
    vs, _ = run(note, "markdown")
    assert [v.ok for v in vs] == [True]
    x = sp.Symbol("x")
    assert sp.simplify(sp.diff(sp.asin(x), x) - 1 / sp.sqrt(1 - x**2)) == 0


def test_a_definition_in_a_custom_block_binds_its_block_not_the_remark_after_it():
    # \begin{workedexample} (statement + solution) then a remark about another function
    note = ("\\begin{workedexample}\\begin{envexample}{Example}{}{}Find the derivative of "
            "$f(x) = \\dfrac{1}{x}$.\\end{envexample}\\begin{envsolution}{Solution}{}{}"
            "$f'(x) = -\\frac{1}{x^2}$.\\end{envsolution}\\end{workedexample}\n"
            "\\begin{envremark}{Remark}{}{}For the square root, $f'(x) = 1/(2\\sqrt{x})$."
            "\\end{envremark}")
    vs, _ = run(note)
    assert [v.ok for v in vs] == [True]


def test_a_definition_in_a_myst_directive_binds_only_inside_it():
    note = (":::{prf:example}\nLet $f(x) = x^2$. Then $f'(x) = 2x$.\n:::\n\n"
            "For $\\sqrt{x}$ one finds $f'(x) = \\frac{1}{2\\sqrt{x}}$.\n")
    vs, _ = run(note, "markdown")
    assert [v.ok for v in vs] == [True]
