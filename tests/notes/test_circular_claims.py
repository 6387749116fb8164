"""Claims whose reading would be circular or a derivative of a derivative
are "not checked", never wrong (real notes: the sum rule written
f'(x) = f'(x^2) - f'(1/x); a prose "if g(x) = df/dx" before the worked g)."""

from __future__ import annotations

import pytest
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document


def _verdicts(text):
    doc = read_document(text, "markdown")
    return [check_claim(c) for c in doc.claims]


@pytest.mark.parametrize("claimed", ["f'(x^2) - f'(1/x)", "f'(x^2) + f'(-1/x)",
                                     "f'(x^{2}) - f'(\\frac{1}{x})"])
def test_the_claimed_derivative_applied_to_parts_is_operator_notation(claimed):
    text = (f"If `f(x) = x^2 - (1/x)`, then what is `f'(x)`?\n\nUsing the sum rule, we "
            f"break this down into sub-problems:\n\n`f'(x) = {claimed}`\n")
    doc = read_document(text, "markdown")
    assert doc.claims == ()  # nothing to call right or wrong
    [skip] = doc.skipped
    assert "applies f' itself" in skip.reason


def test_the_claimed_derivative_at_the_variable_is_still_read():
    text = "Let $f(x) = x^3$. Then $f''(x) = 6x$ and $f'(x) = 3x^2$.\n"
    assert [v.ok for v in _verdicts(text)] == [True, True]


@pytest.mark.parametrize("prose", ["if `g(x) = df/dx`", "if $g(x) = df/dx$",
                                   "if `g(x) = d f / d x`"])
def test_a_slashed_leibniz_derivative_is_no_formula_to_differentiate(prose):
    text = (f"`3x^2 - 6` is a function, so {prose}, what is its derivative?\n\n"
            "`dg/dx = 6x`\n")
    for v in _verdicts(text):
        assert v.ok is not False, v.note
