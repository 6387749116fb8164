"""A difference quotient names its own function: a first-principles chain
under the f'(x) of an earlier, different f is checked against the quotient's
function, never called wrong against the earlier f (newcomer N1: x² worked
from first principles after f(x) = x³ - 2x; its three correct steps were
"wrong" and the quick fix wrote 3x² - 2 over the final 2x)."""

from __future__ import annotations

import pytest
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document

EARLIER = {
    "cubic": "Let $f(x) = x^3 - 2x$. Then $f'(x) = 3x^2 - 2$.\n\n",
    "sine": "Let $f(x) = \\sin x$, so $f'(x) = \\cos x$.\n\n",
}

CHAIN = ("From first principles:\n"
         "$$f'(x) = \\lim_{{h \\to 0}} \\frac{{(x+h)^2 - x^2}}{{h}} = "
         "\\lim_{{h \\to 0}} (2x + h) = {last}$$\n")


def _oks(text):
    doc = read_document(text, "markdown")
    return [check_claim(c).ok for c in doc.claims]


@pytest.mark.parametrize("earlier", sorted(EARLIER))
def test_the_chain_is_about_the_quotients_function(earlier):
    assert _oks(EARLIER[earlier] + CHAIN.format(last="2x")) == [True, True, True, True]


@pytest.mark.parametrize("earlier", sorted(EARLIER))
def test_a_wrong_last_step_is_still_wrong_for_the_quotients_function(earlier):
    # 3x^2 - 2 (the earlier f's derivative) is wrong for x^2: the slip is flagged
    assert _oks(EARLIER[earlier] + CHAIN.format(last="3x")) == [True, True, True, False]


def test_a_later_claim_of_the_earlier_f_still_binds_to_it():
    text = (EARLIER["cubic"] + CHAIN.format(last="2x")
            + "\n\nBack to the cubic: $f''(x) = 6x$.\n")
    assert _oks(text) == [True, True, True, True, True]
