"""engine/frontends/notes.py: math fragments and derivative claims found in notes,
with offsets that point at exactly the text they name."""

from __future__ import annotations

import pytest
from chainlens.engine.frontends.notes import find_claims, find_math

MATH_CASES = [
    # (note, the fragments' texts)
    ("inline $x^2$ here", ["x^2"]),
    ("display $$\\sin x$$ end", ["\\sin x"]),
    ("paren \\(a+b\\) and bracket \\[c\\]", ["a+b", "c"]),
    ("costs $5 or $6, no math", []),
    ("escaped \\$ and $y$", ["y"]),
    ("```\n$not math$\n```\nbut $z$ is", ["z"]),
    ("inline `code $q$` then $w$", ["w"]),
    ("\\begin{equation}e^x\\end{equation}", ["e^x"]),
    ("\\begin{align}a &= b \\\\ c &= d\\end{align}", ["a  = b ", " c  = d"]),
    ("\\begin{equation*}u \\label{eq:1}\\end{equation*}", ["u             "]),
]


@pytest.mark.parametrize(("note", "texts"), MATH_CASES)
def test_fragments(note, texts):
    found = find_math(note)
    assert [m.text for m in found] == texts


@pytest.mark.parametrize(("note", "texts"), MATH_CASES)
def test_fragment_offsets_point_into_the_note(note, texts):
    for m in find_math(note):
        raw = note[m.start:m.end]
        assert len(raw) == len(m.text)
        # blanked characters (&, \label) are the only differences
        assert all(a == b or b == " " for a, b in zip(raw, m.text, strict=True))


CLAIM_CASES = [
    # (note, [(expr, wrt, claimed)])
    ("$\\frac{d}{dx}\\sin(x^2) = 2x\\cos(x^2)$", [("\\sin(x^2)", "x", "2x\\cos(x^2)")]),
    ("$\\dfrac{d}{dt}\\left( t^3 \\right) = 3t^2$", [("t^3", "t", "3t^2")]),
    ("$\\frac{\\partial}{\\partial w}[w x] = x$", [("w x", "w", "x")]),
    ("$\\frac{\\mathrm{d}}{\\mathrm{d}x} e^x = e^x$", [("e^x", "x", "e^x")]),
    ("$d/dx \\tanh x = 1 - \\tanh^2 x$", [("\\tanh x", "x", "1 - \\tanh^2 x")]),
    ("$(x^x)' = x^x(\\ln x + 1)$", [("x^x", None, "x^x(\\ln x + 1)")]),
    ("Let $f(x) = x^3$. Then $f'(x) = 3x^2$.", [("x^3", "x", "3x^2")]),
    ("$g'(x) = 1$ with no definition of g", []),
    ("$\\frac{d}{dx} x^2 = 2x = 2 x$", [("x^2", "x", "2x"), ("x^2", "x", "2 x")]),
    ("$a = b$ is no claim", []),
    ("$x \\le 2$ neither", []),
]


@pytest.mark.parametrize(("note", "expected"), CLAIM_CASES)
def test_claims(note, expected):
    assert [(c.expr, c.wrt, c.claimed) for c in find_claims(note)] == expected


@pytest.mark.parametrize(("note", "expected"), CLAIM_CASES)
def test_claim_offsets(note, expected):
    for c in find_claims(note):
        assert note[c.claimed_start:c.claimed_end] == c.claimed
        if c.expr_start is not None:
            assert note[c.expr_start:c.expr_end] == c.expr


def test_claim_from_definition_names_it():
    (claim,) = find_claims("$h(x) = \\sin x$ and $h'(x) = \\cos x$")
    assert (claim.definition, claim.expr_start) == ("h", None)


@pytest.mark.parametrize(("math", "read"), [
    ("x^x(\\ln x + 1)", "x^{x}(\\ln x + 1)"),
    ("e^x\\sin x", "e^{x}\\sin x"),
    ("x^2", "x^2"),
    ("x^{x+1}(y)", "x^{x+1}(y)"),
])
def test_one_token_superscripts_are_braced_as_tex_reads_them(math, read):
    from chainlens.engine.frontends.notes import tex_superscripts

    assert tex_superscripts(math) == read
