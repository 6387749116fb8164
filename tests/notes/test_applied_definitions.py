"""``f(x)`` after a definition that gives f as a formula of x without naming
its variable (``so $f = Ce^x$``, ``Let $f = x^2$``) is f applied to x, never
the product f·x (issue #13's first rule; red team G15: the correct
(f²)' = 2f² for f = Ce^x was called wrong, its fix wrote C·x·(x + 2)·eˣ)."""

from __future__ import annotations

import pytest
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document


def _oks(text):
    return [check_claim(c).ok for c in read_document(text, "markdown").claims]


@pytest.mark.parametrize(("definition", "claim", "ok"), [
    ("(so $f = Ce^x$)", "$\\frac{d}{dx}f(x)^2 = 2f(x)^2$", True),
    ("(so $f = Ce^x$)", "$\\frac{d}{dx}f(x)^2 = f(x)^2$", False),
    ("Let $f = x^2$.", "$\\frac{d}{dx} f(x)^3 = 6x^5$", True),
    ("Let $f = x^2$.", "$\\frac{d}{dx} \\sin(f(x)) = 2x\\cos(x^2)$", True),
    ("Let $g = \\sin t$.", "$\\frac{d}{dt} g(t)^2 = 2\\sin t \\cos t$", True),
])
def test_a_formula_given_without_its_variable_applies_to_it(definition, claim, ok):
    assert _oks(f"{definition} Then {claim}.\n")[-1] is ok


def test_a_constant_given_without_a_variable_is_not_applied():
    # f = 3 is no formula of x: f(x) is not read as 3, and the claim is not checked
    doc = read_document("Let $f = 3$. Then $\\frac{d}{dx} x f(x) = 2 x$.\n", "markdown")
    assert doc.claims == ()
    [skip] = doc.skipped
    assert "not checked" in skip.reason
