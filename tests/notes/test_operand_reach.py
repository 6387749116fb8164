"""A derivative operator written without brackets before several terms
(``g'(x) = \\frac{d}{dx} x^2+4x = 2x+4``) reaches the first term or the whole
rest: the step is called wrong only when both readings are wrong (a real
cheat sheet's correct chain-rule table was "wrong" on the narrow reading)."""

from __future__ import annotations

import pytest
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document


def _verdicts(text):
    doc = read_document(text, "markdown")
    return [(check_claim(c).ok, check_claim(c).note) for c in doc.claims]


@pytest.mark.parametrize("operator", ["\\frac{d}{dx}", "\\frac{d}{dx}\\ ", "\\frac{d}{d x}"])
def test_an_operand_read_both_ways_is_never_wrong_when_one_reading_holds(operator):
    text = f"Let $g(x)=x^2+4x$. Then $$g'(x)={operator} x^2+4x=2x+4$$\n"
    [(first, why), (last, _)] = _verdicts(text)
    assert first is None and "without brackets" in why
    assert last is True


def test_both_readings_wrong_is_wrong():
    text = "Let $g(x)=x^2+4x$. Then $$g'(x)=\\frac{d}{dx} x^2+4x=3x$$\n"
    [(first, _), (last, _)] = _verdicts(text)
    assert first is None  # one reading (the whole rest) is right
    assert last is False  # 3x is wrong for x^2 + 4x


def test_a_bracketed_operand_has_one_reading():
    text = "Let $g(x)=x^2+4x$. Then $$g'(x)=\\frac{d}{dx}(x^2+4x)=2x+4$$\n"
    assert [ok for ok, _ in _verdicts(text)] == [True, True]


def test_one_term_has_one_reading():
    text = "Let $g(x)=x^3$. Then $$g'(x)=\\frac{d}{dx} x^3=3x^2$$\n"
    assert [ok for ok, _ in _verdicts(text)] == [True, True]
