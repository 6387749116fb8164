"""Hyperbolic and inverse hyperbolic functions written as bare commands, on
snippets written for these tests: ``\\sech x``, ``\\csch x``, ``\\arcsinh x``,
``\\arctanh x`` and ``\\arccosh x`` (a command TeX lacks, that the note's
preamble or MathJax setup defines) are the table's functions, as their
``\\operatorname{…}`` spellings are; each claim is judged as SymPy judges it.
TeX's own commands (\\sqrt, \\sigma) keep their meaning."""

from __future__ import annotations

import sympy as sp
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document
from chainlens.engine.frontends.latex_text import normalise

X = sp.symbols("x", positive=True)


def oks(note: str):
    return [check_claim(u).ok for u in read_document(note, "markdown").claims]


def same(a, b) -> bool:
    return sp.simplify((a - b).rewrite(sp.exp)) == 0


CASES = [  # (LaTeX claim of d/dx, SymPy function, SymPy claimed derivative)
    ("\\sech x", "-\\sech x \\tanh x", sp.sech(X), -sp.sech(X) * sp.tanh(X)),
    ("\\sech x", "\\sech x \\tanh x", sp.sech(X), sp.sech(X) * sp.tanh(X)),
    ("\\csch x", "-\\csch x \\coth x", sp.csch(X), -sp.csch(X) * sp.coth(X)),
    ("\\csch x", "-\\csch x \\tanh x", sp.csch(X), -sp.csch(X) * sp.tanh(X)),
    ("\\tanh x", "\\sech^2 x", sp.tanh(X), sp.sech(X) ** 2),
    ("\\arcsinh x", "\\frac{1}{\\sqrt{x^2+1}}", sp.asinh(X), 1 / sp.sqrt(X**2 + 1)),
    ("\\arcsinh x", "\\frac{1}{\\sqrt{x^2-1}}", sp.asinh(X), 1 / sp.sqrt(X**2 - 1)),
    ("\\arctanh x", "\\frac{1}{1-x^2}", sp.atanh(X), 1 / (1 - X**2)),
    ("\\arccosh x", "\\frac{1}{x^2-1}", sp.acosh(X), 1 / (X**2 - 1)),
]


def test_bare_hyperbolic_commands_are_the_functions():
    note = "".join(f"Rule: $\\frac{{d}}{{dx}} {f} = {d}$.\n\n" for f, d, _, _ in CASES)
    want = [same(sp.diff(f, X), d) for _, _, f, d in CASES]
    assert want == [True, False, True, False, True, True, False, True, False]  # the oracle
    assert oks(note) == want


def test_tex_own_commands_keep_their_meaning():
    assert "\\operatorname" not in normalise("\\sqrt{x} + \\sigma(x) + \\sinh x")
    assert normalise("\\sech x") == normalise("\\operatorname{sech} x")
    assert "\\operatorname{sech}x" not in normalise("\\sechx").replace(" ", "")  # a longer word
