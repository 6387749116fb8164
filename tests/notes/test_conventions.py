"""Correct math written by another convention is never called wrong (the
red team's round-4 findings): a transpose, a claim stated on a restricted
domain, log₂/log₁₀ spellings and ``log`` meaning log₁₀, arcsec's other
range, a piecewise claimed side; and a plain-text line gets no LaTeX fix.
Hand-written snippets, several spellings each."""

from __future__ import annotations

import pytest
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document


def verdicts(text: str):
    return [check_claim(u) for u in read_document(text, "markdown").claims]


def oks(text: str):
    return [v.ok for v in verdicts(text)]


@pytest.mark.parametrize("t", ["^T", "^{T}", "^\\top", "^{\\top}", "^\\intercal"])
def test_a_transpose_is_matrix_calculus_not_a_power(t):
    assert oks(f"$\\frac{{\\partial}}{{\\partial x}} x{t} A x = (A + A{t})x$") == []
    assert oks(f"$\\frac{{d}}{{dx}} x{t} x = 2x$") == []


@pytest.mark.parametrize("after", ["for $x > 0$", "when $x>0$.", "$, x > 0$", "(for x > 0)",
                                   "for positive $x$"])
def test_a_claim_on_a_restricted_domain_is_not_called_wrong(after):
    if after.startswith("$"):
        note = f"$\\frac{{d}}{{dx}}\\max(0, x) = 1{after[1:]}"
    else:
        note = f"ReLU: $\\frac{{d}}{{dx}}\\max(0, x) = 1$ {after}"
    assert False not in oks(note) and True not in oks(note)


def test_a_condition_before_the_claim_restricts_it_too():
    assert oks("For $x > 0$, $\\frac{d}{dx}\\max(0, x) = 1$.") == [None]


def test_a_condition_does_not_hide_a_claim_that_is_right():
    assert oks("$\\frac{d}{dx}\\ln x = \\frac{1}{x}$ for $x > 0$.") == [True]


def test_an_unconditioned_wrong_claim_is_still_wrong():
    assert oks("$\\frac{d}{dx} x^3 = 2x^2$ for all real numbers.") == [False]


@pytest.mark.parametrize("line", ["d/dx log2(x) = 1/(x ln 2)", "d/dx log10(x) = 1/(x ln 10)",
                                  "$\\frac{d}{dx}\\log_2 x = \\frac{1}{x\\ln 2}$"])
def test_base_two_and_ten_logarithms(line):
    assert oks(line) == [True]


@pytest.mark.parametrize("line", ["d/dx log x = 1/(x ln 10)", "d/dx log(x) = 1/(x ln(10))",
                                  "$\\frac{d}{dx}\\log x = \\frac{1}{x \\ln 2}$"])
def test_log_right_for_another_base_is_not_called_wrong(line):
    assert oks(line) == [None]


def test_log_as_ln_is_still_judged():
    assert oks("d/dx log x = 1/x") == [True]
    assert oks("d/dx log x = 2/x") == [False]


@pytest.mark.parametrize("f", ["arcsec x", "$\\sec^{-1} x$", "$\\operatorname{arcsec}(x)$"])
def test_arcsec_on_either_range(f):
    math = f.startswith("$")
    claimed = "\\frac{1}{x\\sqrt{x^2 - 1}}" if math else "1/(x sqrt(x^2 - 1))"
    line = (f"$\\frac{{d}}{{dx}} {f[1:-1]} = {claimed}$" if math else f"d/dx {f} = {claimed}")
    assert oks(line) == [None]
    if math:  # (a plain line with | is a table row)
        assert oks(line.replace("{x\\sqrt", "{|x|\\sqrt")) == [True]
    assert oks(line.replace("- 1", "+ 1")) == [False]


@pytest.mark.parametrize("env", ["cases", "dcases"])
def test_a_piecewise_claimed_side_is_not_judged(env):
    note = (f"$$\\frac{{d}}{{dx}}|x| = \\begin{{{env}}} 1 & x > 0 \\\\ -1 & x < 0 "
            f"\\end{{{env}}}$$\n")
    assert True not in oks(note) and False not in oks(note)


def test_a_plain_text_claim_gets_no_latex_fix():
    (v,) = verdicts("d/dx x^3 = 2x^2\n")
    assert v.ok is False and v.correct_latex is None
    (v,) = verdicts("$\\frac{d}{dx} x^3 = 2x^2$\n")
    assert v.ok is False and v.correct_latex
