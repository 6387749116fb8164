"""Chains of equalities in notes, on snippets written for these tests: every
step of an alignment is one claim of the chain (line breaks with a space
``\\\\[2pt]``, ``\\intertext`` between lines), a chain of derivative notations
``f'(x) = f''(x) = … = 5e^x``, a definition that heads a chain, and nested
derivative operators inside a claimed side."""

from __future__ import annotations

from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document


def oks(text: str, kind: str = "latex"):
    doc = read_document(text, kind)
    return [check_claim(u).ok for u in doc.claims]


def test_a_line_break_with_a_space_continues_the_alignment():
    note = ("\\[ \\begin{aligned}\n  \\frac{d}{dx}\\tan x\n"
            "    &= \\frac{\\cos x\\cos x + \\sin x\\sin x}{\\cos^{2} x} \\\\[2pt]\n"
            "    &= \\frac{1}{\\cos^{2} x} = \\sec^{2} x\n\\end{aligned} \\]")
    assert oks(note) == [True, True, True]
    wrong = note.replace("= \\sec^{2} x", "= \\sec x")
    assert oks(wrong) == [True, True, False]


def test_intertext_between_two_lines_keeps_one_chain():
    note = ("\\begin{align*}\ny' &= x^3\\bigl(\\cos x\\bigr)' + 3x^2\\cos x\n"
            "\\intertext{and since $(\\cos x)' = -\\sin x$,}\n"
            "&= -x^3\\sin x + 3x^2\\cos x\n\\end{align*}")
    got = oks("Let $y = x^3\\cos x$.\n" + note)
    assert got[-1] is True and False not in got


def test_a_nested_derivative_after_cdot_is_a_factor():
    note = ("\\begin{align*}\ny' &= (x^2+1)\\cdot\\frac{d}{dx}(x^3)+\\frac{d}{dx}(x^2+1)\\cdot x^3"
            "\\\\\n&= 5x^4+3x^2\n\\end{align*}")
    assert oks("Let $y = (x^2+1)x^3$.\n" + note) == [True, True]


def test_a_chain_of_derivative_notations_claims_the_value_for_each():
    macros = "\\newcommand{\\fp}{\\ensuremath{f\\,'}}\n"
    note = macros + "Let $f(x) = 5e^x$. Then \\[\\fp(x) = \\fp'(x) = \\fp''(x) = 5e^x.\\]"
    assert oks(note) == [True, True, True]
    note = macros + "Let $f(x) = x^3$. Then \\[\\fp(x) = 3x^2;\\quad \\fp'(x) = 6x;" \
        "\\quad \\fp''(x) = 5.\\]"
    assert oks(note) == [True, True, False]


def test_a_definition_heading_a_chain_does_not_end_it():
    note = "Let $s(t) = t^3 - 6t^2 + 9t$. Then $$v(t) = s'(t) = 3t^2 - 12t + 9.$$"
    assert oks(note, "markdown") == [True]
    assert oks(note.replace("+ 9.", "+ 8."), "markdown") == [False]


def test_a_signed_bracket_after_a_bare_argument_is_a_factor():
    note = ("\\begin{align*}\n\\frac{d}{dx}\\tan x &= \\frac{\\cos x \\cos x - \\sin x (-\\sin x)}"
            "{\\cos^2 x} \\\\\n&= \\frac{1}{\\cos^2 x}\n\\end{align*}")
    assert oks(note) == [True, True]
    note = "$$\\frac{d}{dx}(\\ln x\\cos x) = \\ln x(-\\sin x) + \\frac{\\cos x}{x}$$"
    assert oks(note, "markdown") == [True]
    assert oks(note.replace("(-\\sin x) +", "(-\\sin x) -"), "markdown") == [False]
    # a bracket without a sign may still be the argument: right under one reading only
    note = "$$\\frac{d}{dx}\\sin x(1+x) = \\cos x(1+x) + \\sin x$$"
    assert oks(note, "markdown") == [None]
    # wrong under both, sin(x)·(1+x) and sin(x(1+x)): wrong
    assert oks("$$\\frac{d}{dx}\\sin x(1+x) = \\cos x(1+x)$$", "markdown") == [False]


def test_leibniz_with_an_expression_on_top_is_its_derivative():
    note = "$$\\frac{d}{dx}\\sin(x^3) = \\cos(x^3)\\frac{dx^3}{dx} = \\cos(x^3)3x^2$$"
    assert oks(note, "markdown") == [True, True]
    assert oks(note.replace("\\frac{dx^3}{dx}", "\\frac{dx^2}{dx}"), "markdown") == [False, True]
    # a name on top is a function of the note, not an expression: unchanged
    doc = read_document("$$\\frac{d}{dx}(y^2) = 2y\\frac{dy}{dx}$$", "markdown")
    assert [check_claim(u).ok for u in doc.claims] in ([], [None], [True])  # any smooth y


def test_two_definitions_parted_by_a_comma_and_a_control_space():
    """``g(x) = …,\\`` then ``h(x) = …`` on the next line of one display (a
    notebook's cell, heldout8): two definitions, each of its own name; read
    as one chain, g took h's body and correct claims about g were 'wrong'."""
    cell = ("Let\n$$\ng(x)=x^3+3x^2+5x,\\\nh(x)=x^{-2}\n$$\nWe know\n"
            "$$\ng'(x)=3x^2+6x+5, \\\nh'(x)=-2x^{-3}.\n$$\nso\n"
            "$$\nf(x)=h(g(x))=(x^3+3x^2+5x)^{-2}\n$$\n"
            "$$\nf'(x)=h'(g(x))g'(x)=-2(x^3+3x^2+5x)^{-3}(3x^2+6x+5)\n$$\n")
    assert oks(cell, "markdown") == [True, True, True, True]
    wrong = cell.replace("g'(x)=3x^2+6x+5", "g'(x)=3x^2+6x+4")
    assert oks(wrong, "markdown")[0] is False


def test_an_operator_written_again_around_a_derivative_is_the_second_derivative():
    """``\\frac{d}{dx}(\\frac{d}{dx}(E)) = … = F`` (differentiating twice, as an
    open textbook writes it): F is judged against E'' (SymPy); it was 'an
    implicit derivative', not checked."""
    import sympy as sp

    x = sp.Symbol("x")
    second = sp.diff(4 * x**3 - 2 * x**4, x, 2)
    d = "\\frac{\\mathrm{d}}{\\mathrm{d}x}"
    note = ("\\begin{equation*}\n" + d + "(" + d +
            "(4x^3-2x^4))=\\frac{\\mathrm{d}}{\\mathrm{d}x}(12x^2-8x^3)=CLAIM\n\\end{equation*}\n")
    for claim, value in (("24x-24x^2", 24 * x - 24 * x**2), ("24x-12x^2", 24 * x - 12 * x**2)):
        assert oks(note.replace("CLAIM", claim), "markdown") == \
            [True, sp.simplify(second - value) == 0]
    # by another variable inside: not the second derivative, never judged as one
    other = note.replace("(4x^3-2x^4)", "(4t^3-2t^4)")
    other = other.replace("{\\mathrm{d}x}(4", "{\\mathrm{d}t}(4")
    assert False not in oks(other.replace("CLAIM", "24x-24x^2"), "markdown")
