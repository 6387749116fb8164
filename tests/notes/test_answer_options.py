"""Answer options of a multiple-choice question are not statements: a
distractor is wrong on purpose, so it gets no "wrong" verdict and above all
no fix that would turn every option into the answer (red team G24); a
correct option is still confirmed."""

from __future__ import annotations

import pytest
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document

XIMERA = """\\begin{multipleChoice}
\\choice{$\\frac{d}{dx}\\ln x = x$}
\\choice[correct]{$\\frac{d}{dx}\\ln x = \\frac{1}{x}$}
\\choice{$\\frac{d}{dx}\\ln x = e^x$}
\\end{multipleChoice}
"""

MARKDOWN = {
    "lettered": "**Quiz.** Which is the derivative of $\\ln x$?\n\n(a) $\\frac{d}{dx}\\ln x = x$  "
                "(b) $\\frac{d}{dx}\\ln x = \\frac1x$  (c) $\\frac{d}{dx}\\ln x = e^x$\n",
    "task list": "Which statement is true?\n\n- [ ] $\\frac{d}{dx}\\ln x = x$\n"
                 "- [x] $\\frac{d}{dx}\\ln x = \\frac1x$\n- [ ] $\\frac{d}{dx}\\ln x = e^x$\n",
    "one line": "A. $(\\ln x)' = x$ B. $(\\ln x)' = 1/x$ C. $(\\ln x)' = e^x$ D. none of these\n",
}


def _oks(text, kind):
    return [check_claim(c).ok for c in read_document(text, kind).claims]


def test_ximera_choices_are_options():
    assert _oks(XIMERA, "latex") == [None, True, None]


@pytest.mark.parametrize("form", sorted(MARKDOWN))
def test_markdown_options_are_options(form):
    assert _oks(MARKDOWN[form], "markdown") == [None, True, None]


def test_a_wrong_statement_outside_a_question_is_still_wrong():
    text = "Note that $\\frac{d}{dx}\\ln x = x$.\n"
    assert _oks(text, "markdown") == [False]
