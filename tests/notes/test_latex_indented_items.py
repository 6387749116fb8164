"""A LaTeX source has no indented code blocks: ``\\item`` lines indented by
four spaces after a blank line (inside an ``example`` environment) are prose,
and their claims are judged as SymPy judges them (they were never found: the
Markdown rule took them for code).  Snippets written for these tests."""

from __future__ import annotations

import sympy as sp
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document

X = sp.symbols("x", positive=True)

NOTE = ("\\begin{example}\n\n"
        "    \\begin{itemize}\n"
        "        \\item If \\(f(x)=x^6\\), then \\(f'(x) = 6x^5\\),\n"
        "        \\item \\(\\frac{d}{dx} x^{-4} = 4x^{-5}\\),\n"
        "    \\end{itemize}\n\n"
        "\\end{example}\n")


def test_indented_items_of_a_latex_note_are_read():
    doc = read_document(NOTE, "latex")
    got = [(doc.text.count("\n", 0, u.name_span.start) + 1, check_claim(u).ok)
           for u in doc.claims]
    want = [sp.simplify(sp.diff(X**6, X) - 6 * X**5) == 0,
            sp.simplify(sp.diff(X**-4, X) - 4 * X**-5) == 0]
    assert want == [True, False]  # the oracle
    assert got == [(4, want[0]), (5, want[1])]


def test_the_same_lines_in_markdown_stay_code():
    md = "Some text.\n\n    $\\frac{d}{dx} x^{-4} = 4x^{-5}$\n"
    assert read_document(md, "markdown").claims == ()
