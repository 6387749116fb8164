"""A question in inline math (``Find $\\frac{d}{dx}[x^2 e^{-x}]$``), a line of
prose naming a part in inline math with no '=' ("with the chain rule for
$e^{-x}$:", "Rewrite as $(x^2+1)^{-2}$:"), then a display starting with '=':
the display answers the question, each step judged as SymPy judges it.
Inline math with '=' between (a definition, "let $u = 3x$") keeps the display
alone.  Snippets written for these tests."""

from __future__ import annotations

import sympy as sp
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document

X = sp.symbols("x")


def verdicts(note: str):
    return [check_claim(u).ok for u in read_document(note, "markdown").claims]


def test_the_display_answers_across_a_named_part():
    d = sp.diff(X**2 * sp.exp(-X), X)
    assert sp.simplify(d - X * sp.exp(-X) * (2 - X)) == 0  # the oracle
    assert sp.simplify(d - X * sp.exp(-X) * (3 - X)) != 0
    note = ("**Example:** Find $\\frac{d}{dx}[x^2 \\cdot e^{-x}]$\n\n"
            "Use the product rule, with the chain rule for $e^{-x}$:\n\n"
            "$$= 2xe^{-x} - x^2e^{-x} = xe^{-x}(2 - x)$$\n")
    assert verdicts(note) == [True, True]
    assert verdicts(note.replace("(2 - x)", "(3 - x)")) == [True, False]


def test_a_rewritten_form_between():
    d = sp.diff(1 / (X**2 + 1)**2, X)
    assert sp.simplify(d + 4 * X / (X**2 + 1)**3) == 0  # the oracle
    note = ("**Example:** Find $\\frac{d}{dx}\\left[\\frac{1}{(x^2+1)^2}\\right]$\n\n"
            "Rewrite as $(x^2+1)^{-2}$:\n\n"
            "$$= -2(x^2+1)^{-3} \\cdot 2x = \\frac{-4x}{(x^2+1)^3}$$\n")
    assert verdicts(note) == [True, True]
    assert verdicts(note.replace("{-4x}", "{-4}")) == [True, False]


def test_a_definition_between_keeps_the_display_alone():
    note = ("**Example:** Find $\\frac{d}{dx}[(3x+1)^5]$\n\n"
            "Let $u = 3x + 1$, then:\n\n$$= 5u^4 \\cdot 3$$\n")
    assert all(ok is not False for ok in verdicts(note))
