"""An admonition's indented body (MkDocs notes: ``!!! note``, the collapsible
``??? answer "…"`` of pymdownx.details) is Markdown, not an indented code
block: its claims are read and judged as SymPy judges them, on snippets
written for these tests.  The same indentation after a plain paragraph stays
code (CommonMark), and nothing in it is judged."""

from __future__ import annotations

import sympy as sp
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document

X, T = sp.symbols("x t", positive=True)


def judged(note: str):
    doc = read_document(note, "markdown")
    return [(doc.text.count("\n", 0, u.name_span.start) + 1, check_claim(u).ok)
            for u in doc.claims]


def test_an_answer_admonition_body_is_read():
    note = ("Differentiate $f(x) = x^5$ and $g(t) = t^{-2}$.\n\n"
            "??? answer \"Show\"\n\n"
            "    1. \\(f'(x) = 5x^4\\)\n"
            "    2. \\(g'(t) = 2t^{-3}\\)\n\n"
            "!!! note\n"
            "    $\\frac{d}{dx} x^3 = 3x^2$\n")
    want = [sp.simplify(sp.diff(X**5, X) - 5 * X**4) == 0,
            sp.simplify(sp.diff(T**-2, T) - 2 * T**-3) == 0,
            sp.simplify(sp.diff(X**3, X) - 3 * X**2) == 0]
    assert want == [True, False, True]  # the oracle
    assert judged(note) == [(5, want[0]), (6, want[1]), (9, want[2])]


def test_indented_code_after_a_paragraph_stays_code():
    note = "A snippet:\n\n    $\\frac{d}{dx} x^2 = 3x$\n"
    assert judged(note) == []
