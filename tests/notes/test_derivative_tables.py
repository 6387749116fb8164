"""Derivative tables laid out in display math (``aligned``/``array``), on
snippets written for these tests: each row below a header naming a function
column and a derivative column is a claim, judged as SymPy judges it; a
block whose first row is not such a header (a derivation, an integral table,
a table in another variable) gives no claims."""

from __future__ import annotations

import sympy as sp
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document

X, A = sp.symbols("x a", positive=True)


def verdicts(text: str, kind: str = "markdown"):
    doc = read_document(text, kind)
    return {doc.text.count("\n", 0, u.name_span.start) + 1: check_claim(u) for u in doc.claims}


def sympy_ok(f, d) -> bool:
    return sp.simplify(sp.diff(f, X) - d) == 0


REVIEW = (
    "Rules\n\n$$\\begin{aligned}\n\\hline\n"
    "\\textbf{ Name } && \\textbf{ Function } && \\textbf{ Derivative } \\\\\n\\hline\n\\\\\n"
    "\\text{Constant}\n    && k && 0 \\\\ \\\\\n"                          # line 9
    "\\text{Scaled}\n    && ax && a \\\\\n"                                # line 11
    "\\text{Cube}\n    && x^3 && 3x \\\\\n"                                # line 13: wrong
    "\\text{Log}\n    && \\ln(x) && \\frac{1}{x} \\\\\n"                   # line 15
    "\\text{Trig}\n    && \\tan(x) && \\sec^2(x) \\\\\n"                   # line 17
    "    && \\cos(x) && \\sin(x) \\\\\n"                                   # line 18: wrong
    "\\end{aligned}$$\n")
ORACLE = {9: (sp.Integer(7), sp.Integer(0)), 11: (A * X, A), 13: (X**3, 3 * X),
          15: (sp.log(X), 1 / X), 17: (sp.tan(X), sp.sec(X)**2), 18: (sp.cos(X), sp.sin(X))}


def test_each_row_of_an_aligned_table_is_a_claim_judged_as_sympy_judges_it():
    got = verdicts(REVIEW)
    assert sorted(got) == sorted(ORACLE)
    for line, (f, d) in ORACLE.items():
        assert got[line].ok is sympy_ok(f, d), line
    assert [line for line, v in got.items() if v.ok is False] == [13, 18]


def test_a_wrong_row_gets_a_fix_that_reads_back_correct():
    fixed = verdicts(REVIEW)[13].correct_latex
    assert fixed
    again = verdicts(REVIEW.replace("&& x^3 && 3x", "&& x^3 && " + fixed))
    assert again[13].ok is True


def test_an_array_with_a_sign_column_reads_the_sign_with_the_derivative():
    note = ("$$\n\\begin{array}{c|c}\n    y & y' \\\\\n    \\hline\n"
            "    \\sin x & &\\cos x \\\\\n"       # line 5
            "    \\cos x & - &\\sin x \\\\\n"     # line 6
            "    \\cot x & &\\csc^2 x \\\\\n"     # line 7: the sign is missing
            "\\end{array}\n$$\n")
    got = verdicts(note)
    oracle = {5: (sp.sin(X), sp.cos(X)), 6: (sp.cos(X), -sp.sin(X)),
              7: (sp.cot(X), sp.csc(X)**2)}
    assert sorted(got) == [5, 6, 7]
    for line, (f, d) in oracle.items():
        assert got[line].ok is sympy_ok(f, d), line
    # a claim spanning a column break gets no text fix
    wrong = verdicts(note.replace("& - &\\sin x", "& - &\\cos x"))
    assert wrong[6].ok is False and wrong[6].correct_latex is None


def test_a_derivation_in_aligned_columns_is_not_a_table():
    note = ("$$\\begin{aligned}\nf(x) &= x^2 & f'(x) &= 2x \\\\\n"
            "g(x) &= x^3 & g'(x) &= 3x^2\n\\end{aligned}$$\n")
    # the two claims f'(x) = 2x, g'(x) = 3x^2, no row "claim" g(x) -> g'(x)
    assert [v.ok for v in verdicts(note).values()] == [True, True]


def test_an_integral_table_or_another_variable_gives_no_claims():
    integrals = ("$$\\begin{aligned}\n\\textbf{Function} && \\textbf{Integral} \\\\\n"
                 "x && \\frac{x^2}{2} \\\\\n\\cos(x) && \\sin(x)\n\\end{aligned}$$\n")
    assert verdicts(integrals) == {}
    in_t = ("$$\\begin{array}{cc}\n\\text{Function} & \\text{Derivative} \\\\\n"
            "\\sin t & \\cos t \\\\\nt^2 & 2t\n\\end{array}$$\n")
    assert all(v.ok is not False for v in verdicts(in_t).values())
    f_of_t = in_t.replace("\\text{Function}", "f(t)").replace("\\text{Derivative}", "f'(t)")
    got = verdicts(f_of_t)
    assert [v.ok for v in got.values()] == [True, True]


def test_a_table_in_a_latex_note():
    note = ("\\documentclass{article}\n\\begin{document}\n\\[\n\\begin{array}{ll}\n"
            "f(x) & f'(x) \\\\\n\\hline\ne^{2x} & 2e^{2x} \\\\\n\\sqrt{x} & \\frac{1}{2}x^{1/2}\n"
            "\\end{array}\n\\]\n\\end{document}\n")
    got = verdicts(note, "latex")
    assert [got[k].ok for k in sorted(got)] == [sympy_ok(sp.exp(2 * X), 2 * sp.exp(2 * X)),
                                                sympy_ok(sp.sqrt(X), sp.sqrt(X) / 2)]
