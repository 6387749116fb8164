"""Which definition a claim is about, on snippets written for these tests:
several definitions of one name nearby (the claim is bound to the nearest
and called wrong only when it is wrong for each), numbered problems with
different names answered in a numbered list, names that depend on the
variable replaced by their definitions (``y = u^5``, ``u = x^2+1``), and
derivative operators without brackets inside a claimed side."""

from __future__ import annotations

import sympy as sp
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document


def verdicts(text: str, kind: str = "markdown"):
    doc = read_document(text, kind)
    return [check_claim(u) for u in doc.claims], doc.skipped


def oks(text: str, kind: str = "markdown"):
    return [v.ok for v in verdicts(text, kind)[0]]


TWO = "Take $f(x) = x^3$ or $f(x) = \\sin x$. Then $f'(x) = {claim}$."


def test_a_claim_right_for_another_definition_nearby_is_not_called_wrong():
    (v,), _ = verdicts(TWO.format(claim="3x^2"))
    assert v.ok is None and "defined more than once" in v.note
    (v,), _ = verdicts(TWO.format(claim="\\cos x"))
    assert v.ok is True


def test_a_claim_wrong_for_every_definition_nearby_is_wrong_without_a_fix():
    (v,), _ = verdicts(TWO.format(claim="2x^2"))
    assert v.ok is False and v.correct_latex is None
    # SymPy agrees: 2x^2 is neither derivative
    x = sp.Symbol("x")
    assert all(sp.simplify(sp.diff(e, x) - 2 * x**2) != 0 for e in (x**3, sp.sin(x)))


def test_numbered_problems_with_several_names_bind_their_answers_by_number():
    note = ("\\[ \\text{1.}\\quad f(x)=x^4 \\qquad \\text{2.}\\quad g(x)=\\cos x \\qquad "
            "\\text{3.}\\quad f(x)=e^{2x} \\]\n\\solution\n\\begin{enumerate}\n"
            "\\item We find $f'(x) = 4x^3$.\n\\item We find $g'(x) = -\\sin x$.\n"
            "\\item We find $f'(x) = 2e^{2x}$.\n\\end{enumerate}\n")
    assert oks(note, "latex") == [True, True, True]
    assert oks(note.replace("4x^3", "4x^2"), "latex") == [False, True, True]


def test_a_general_statement_is_replaced_by_a_later_formula():
    note = ("If $y = f(u)$ and $u = g(x)$, then "
            "$\\frac{dy}{dx} = \\frac{dy}{du}\\frac{du}{dx}$.\n\n"
            "Find $\\frac{dy}{dx}$ if $y = u^5$ and $u = x^2 + 1$.\n\n"
            "$$\\frac{du}{dx} = 2x$$\n\n"
            "$$\\frac{dy}{dx} = 5u^4 \\cdot 2x = 10x(x^2 + 1)^4$$\n")
    assert oks(note) == [True, True, True]
    assert oks(note.replace("10x(x^2", "10x^2(x^2")) == [True, True, False]


def test_a_name_that_depends_on_the_variable_without_a_formula_stays_unchecked():
    note = ("Let $y = u^5$ where $u$ depends on $x$: $\\frac{du}{dx} = u'$ and "
            "$\\frac{dy}{dx} = 5u^4$.")
    vs, skipped = verdicts(note)
    assert True not in [v.ok for v in vs] and False not in [v.ok for v in vs]
    # u is an arbitrary function here (test functions stand in for it), and 5u^4 has no u':
    # the derivative by u (dy/du) written loosely, never "wrong"
    assert any("depends on x" in s.reason for s in skipped) or \
        any("arbitrary u" in v.note for v in vs)


def test_a_derivative_without_brackets_takes_one_factor():
    note = "$$\\frac{d}{dx} [3 x^2 - 4x] = 3 \\frac{d}{dx} x^2 - 4 \\frac{d}{dx} x = 6x - 4$$"
    assert oks(note) == [True, True]
    assert oks("$$s(t) = \\sin t,\\quad s''(t) = \\frac{d}{dt}\\cos t = -\\sin t$$") == [True, True]
    assert oks("$$\\frac{d}{dx}(x^2+1)^3 = 3(x^2+1)^2 \\frac{d}{dx}(x^2+1) = 6x(x^2+1)^2$$") \
        == [True, True]


def test_a_derivative_without_brackets_before_a_product_is_not_checked():
    vs, skipped = verdicts("$$\\frac{d}{dx}(x^2\\sin x) = 2x\\sin x + \\frac{d}{dx} x \\sin x$$")
    assert vs == [] and "product" in skipped[0].reason


def test_a_derivative_without_brackets_before_a_product_sign_is_not_checked():
    vs, skipped = verdicts("$$\\frac{d}{dx}(x^2 e^x) = \\frac{d}{dx} x^2 \\cdot e^x + 0$$")
    assert vs == [] and "product" in skipped[0].reason


def test_an_arrow_or_a_space_separates_statements():
    note = ("$$f(x,y) = x y \\hspace{0.5in} \\rightarrow \\hspace{0.5in} "
            "\\frac{\\partial f}{\\partial x} = y \\hspace{0.5in} "
            "\\frac{\\partial f}{\\partial y} = x$$")
    assert oks(note) == [True, True]
    assert oks(note.replace("= x$$", "= y$$")) == [True, False]


def test_a_subscripted_definition_is_a_candidate_for_its_letter():
    note = ("$$f(x) = \\frac{1}{x} \\rightarrow \\frac{df}{dx} = -1/x^2 \\\\ "
            "f_c(x) = c + x \\rightarrow \\frac{df}{dx} = 1$$")
    assert oks(note) == [True, True]
    # 1 is right for f_c, so a claim of -1/x^2 for it is not called wrong (it is f's)
    assert oks(note.replace("= 1$$", "= -1/x^2$$")) == [True, None]
    assert oks(note.replace("= 1$$", "= 2x$$")) == [True, False]


def test_a_partial_written_as_a_subscript_is_not_a_new_name():
    note = ("Let $f(x,y) = x^2y + x$. Then $f_x(x,y) = 2xy+1$, $f_y(x,y) = x^2$, "
            "and $\\frac{\\partial f}{\\partial y} = x^2$.")
    assert oks(note) == [True, True, True]


def test_a_greek_letter_defined_as_a_function_binds_its_derivatives():
    note = ("The sigmoid is $\\sigma(x) = \\frac{1}{1+e^{-x}}$, and "
            "$$\\frac{d\\sigma(x)}{dx} = \\frac{e^{-x}}{(1+e^{-x})^2} "
            "= \\left( 1 - \\sigma(x) \\right) \\sigma(x)$$ "
            "so $\\sigma'(x) = \\sigma(x)(1-\\sigma(x))$.")
    assert oks(note) == [True, True, True]
    assert oks(note.replace("(1-\\sigma(x))$", "(1+\\sigma(x))$")) == [True, True, False]


def test_a_greek_constant_is_no_function():
    # (σ = 2 is a constant: one symbol, never the sigmoid)
    vs, _ = verdicts("Let $\\sigma = 2$. Then $\\frac{d}{dx}(\\sigma x^2) = 2\\sigma x$.")
    assert [v.ok for v in vs] == [True]
    vs, _ = verdicts("Let $\\sigma = 2$. Then $\\frac{d}{dx}(\\sigma x^2) = 3\\sigma x$.")
    assert [v.ok for v in vs] == [False]


def test_a_gradient_claims_one_partial_per_entry():
    note = ("$$f(x, y) = \\log(e^x + e^y) \\textrm{ with gradient } \\nabla f (x, y) = "
            "\\left[\\frac{e^x}{e^x+e^y}, \\frac{e^y}{e^x+e^y}\\right].$$")
    assert oks(note) == [True, True]
    assert oks(note.replace("\\frac{e^y}{e^x+e^y}\\right]", "\\frac{e^x}{e^x+e^y}\\right]")) \
        == [True, False]
    # one entry for two variables: nothing is claimed
    assert oks("$f(x, y) = x^2 y$ and $\\nabla f = (2xy)$") == []


def test_a_product_written_through_named_factors_is_the_product_of_their_formulas():
    note = ("Consider $h(x)=\\sin(x)\\cos(x)$. We can write $h=pq$ with $p(x)=\\sin(x)$ and "
            "$q(x)=\\cos(x)$. Then\n\n$$h'(x)=p'(x)q(x)+p(x)q'(x)=\\cos(x)\\cos(x)+\\sin(x)"
            "\\left(-\\sin(x)\\right)=\\cos^2(x)-\\sin^2(x).$$\n")
    vs, _ = verdicts(note)
    assert [v.ok for v in vs] == [True, True, True]  # p'(x)q(x)+p(x)q'(x) is checked too
    vs, _ = verdicts(note.replace("=\\cos^2(x)-", "=\\sin^2(x)-"))
    assert [v.ok for v in vs] == [True, True, False]
    # p(x+1) is a composition, never p·(x+1): p's formula at x + 1 (red team R14)
    note = "Let $p(x) = x^2$ and $h = p$ where $p'(x) = 2x$. $$\\frac{d}{dx}p(x+1) = CLAIM$$"
    x = sp.Symbol("x")
    for claim, value in [("2x", 2 * x), ("2(x+1)", 2 * (x + 1))]:
        vs, _ = verdicts(note.replace("CLAIM", claim))
        assert [v.ok for v in vs][-1] == (sp.diff((x + 1)**2, x) - value == 0)


def test_a_plain_symbol_of_the_expression_before_a_bracket_is_a_factor():
    note = "$$\\frac{\\partial}{\\partial w}(wx+b)^2 = 2x(wx+b)$$"
    assert oks(note) == [True]
    assert oks(note.replace("= 2x(", "= x(")) == [False]
    # a letter the expression does not have stays a possible function
    vs, skipped = verdicts("$$\\frac{d}{dx}(x^2) = 2g(x)$$")
    assert vs == [] and "function" in skipped[0].reason


def test_a_derivative_at_a_number_is_its_value_there():
    note = ("Let $f(x) = x^3 - 2x$. Then $f'(1) = 1$, $f'(2) = 10$, $f''(-1) = -6$.\n\n"
            "Let $h(x) = \\sin x$; $h'(\\pi) = -1$ and $h'(\\pi/2) = 0$.")
    assert oks(note) == [True] * 5
    assert oks(note.replace("f'(2) = 10", "f'(2) = 11")) == [True, False, True, True, True]
    x = sp.Symbol("x")
    assert sp.diff(x**3 - 2 * x, x).subs(x, 2) == 10
    # at a kink the derivative has no value: not checked
    (v,), _ = verdicts("Let $g(x) = |x|$. Then $g'(0) = 0$.")
    assert v.ok is None


def test_a_value_in_a_hypothesis_or_a_question_is_not_judged():
    note = ("Let $f(x) = x^2$. Then $f'(x) = 2x$.\n\n"
            "Suppose $f'(3) = 5$ for some differentiable $f$. If $f'(2) = 7$, find the tangent.")
    assert oks(note) == [True, None, None]
    # a fact after a comma or "then" is judged
    assert oks("Given $f(x) = x^2$, $f'(3) = 5$.") == [False]


def test_the_sigmoid_stated_as_the_readers_own_stays_sigma():
    # \sigma(z) = 1/(1+e^{-z}) is the built-in sigmoid: claims keep reading σ as it
    doc = read_document("The sigmoid: $\\sigma(z) = \\frac{1}{1+e^{-z}}$, whose derivative is "
                        "$\\frac{d}{dz}\\sigma(z) = \\sigma(z)(1 - \\sigma(z))$.", "markdown")
    (unit,) = doc.claims
    assert check_claim(unit).ok is True and "sigma" in unit.claim.expr_read
    # another function named \sigma is the note's own
    assert oks("Let $\\sigma(x) = x^2$. Then $\\sigma'(x) = 2x$.") == [True]


def test_an_evaluation_bar_is_a_value_at_a_point():
    note = ("Let $y = x^3$. Then $\\left.\\frac{dy}{dx}\\right|_{x=1} = 3$ and "
            "$\\frac{dy}{dx}\\Big|_{x=2} = 12$. "
            "Also $\\left.\\frac{d}{dx}(x^2)\\right|_{x=3} = 6$.")
    assert oks(note, "latex") == [True, True, True]
    assert oks(note.replace("= 12$", "= 13$"), "latex") == [True, False, True]
