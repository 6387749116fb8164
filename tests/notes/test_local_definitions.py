"""A definition made inside a list item binds only there, on snippets written
for these tests: after it, the definition it replaced (the question's f)
binds again, so the next item's f'(x) is judged against the question's f
(SymPy), never against the item's own f."""

from __future__ import annotations

import sympy as sp
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document

X = sp.Symbol("x")
NOTE = ("\\begin{document}\n\\begin{question}\nDifferentiate $f(x)=x^3\\sin x$.\n"
        "\\end{question}\n\\begin{solution}\n\\begin{itemize}\n"
        "\\item First a warm-up: $f(x)=x^2$, so $f'(x)=2x$.\n"
        "\\item Now the question's function, by the product rule:\n"
        "\\begin{align*}\nf'(x)=CLAIM\n\\end{align*}\n"
        "\\end{itemize}\n\\end{solution}\n\\end{document}\n")


def test_the_next_item_binds_the_question_s_function_again():
    f = X**3 * sp.sin(X)
    for claim, value in (("3x^2\\sin x + x^3\\cos x", 3 * X**2 * sp.sin(X) + X**3 * sp.cos(X)),
                         ("3x^2\\sin x - x^3\\cos x", 3 * X**2 * sp.sin(X) - X**3 * sp.cos(X)),
                         ("2x", 2 * X)):
        got = [check_claim(u).ok for u in read_document(NOTE.replace("CLAIM", claim),
                                                        "latex").claims]
        assert got == [True, sp.simplify(sp.diff(f, X) - value) == 0], claim


def test_a_tangent_line_s_function_is_no_line_when_the_older_one_came_back():
    """y = x^x, then a proof's own y = x^a (local to the proof), then "the line
    tangent to $y = (x^2 + 1)^3$": that y is the example's function, so y' is
    judged against (x^2+1)^3 (SymPy), not against the y = x^x the proof replaced."""
    note = ("\\begin{document}\n\\begin{gather*}\ny = x^x \\\\\ny' = x^x(1 + \\ln x)\n"
            "\\end{gather*}\n\\begin{proof}\nIf $y = x^a$, then\n\\begin{gather*}\n"
            "y' = a x^{a - 1}\n\\end{gather*}\n\\end{proof}\n\\begin{example}\n"
            "Find the line tangent to $y = (x^2 + 1)^3$ when $x = 1$.\n\\begin{align*}\n"
            "y' &= CLAIM\n\\end{align*}\n\\end{example}\n\\end{document}\n")
    for claim, value in (("6x(x^2 + 1)^2", 6 * X * (X**2 + 1)**2),
                         ("3(x^2 + 1)^2", 3 * (X**2 + 1)**2)):
        got = [check_claim(u).ok for u in read_document(note.replace("CLAIM", claim),
                                                        "latex").claims]
        assert got[-1] is (sp.simplify(sp.diff((X**2 + 1)**3, X) - value) == 0), claim
        assert False not in got[:-1]
