"""Derivatives in plain-text Markdown lines (no ``$``), on snippets written
for these tests: definitions and primed or Leibniz claims, with prose
between statements."""

from __future__ import annotations

import pytest
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document


def oks(text: str):
    return [check_claim(u).ok for u in read_document(text, "markdown").claims]


NOTE = """# Study notes

- f(x) = x^3 + 2x
- f'(x) = 3x^2 + 2
- Let y = e^(2x). Then dy/dx = 2e^(2x).
- (x^2 + 1)' = 2x
- g(t) = sin(t), so g'(t) = cos(t)
"""


def test_plain_lines_define_and_claim():
    assert oks(NOTE) == [True, True, True, True]


def test_a_wrong_plain_claim_is_flagged():
    assert oks(NOTE.replace("2e^(2x).", "e^(2x).")) == [True, False, True, True]
    assert oks(NOTE.replace("3x^2 + 2", "3x^2")) == [False, True, True, True]


def test_prose_with_an_equals_sign_is_no_claim():
    note = "- The price is 5 dollars, y = 3 apples.\n- Product rule: (uv)' = u'v + uv'\n"
    assert oks(note) == [True]  # the product rule alone, for any smooth u and v


MYST = """The power rule says {math}`\\frac{d}{dx}x^3 = 3x^{2}`.

```{math}
:label: eq-chain
\\frac{d}{dx} e^{3x} = 3e^{3x}
```

```python
y = x**2  # d/dx x**2 = 3*x, a comment in code, not a claim of the note
```
"""


def test_myst_math_roles_and_fences_are_math_and_code_is_not():
    assert oks(MYST) == [True, True]
    assert oks(MYST.replace("= 3e^{3x}", "= e^{3x}")) == [True, False]


def test_prose_after_a_plain_statement_is_no_part_of_it():
    note = ("y = x^2 is a parabola\n\ndy/dx = 2x\n\nf(x) = x^3 for all x in the domain\n\n"
            "f'(x) = 3x^2\n\nd/dx xe^x = e^x + xe^x by the product rule\n")
    assert oks(note) == [True, True, True]
    assert oks(note.replace("dy/dx = 2x", "dy/dx = 3x")) == [False, True, True]


CODE_SPANS = """1. **Power Rule**: `d/dx [x^n] = nx^(n-1)`

   Example: For `f(x) = x^3`, the derivative is `f'(x) = 3x^2`.

- Derivative of `sin(x)`: `d/dx [sin(x)] = cos(x)`
"""


def test_derivatives_in_inline_code_spans_are_read():
    assert oks(CODE_SPANS) == [True, True, True]
    assert oks(CODE_SPANS.replace("= cos(x)", "= -cos(x)")) == [True, True, False]
    assert oks(CODE_SPANS.replace("3x^2`", "2x^2`")) == [True, False, True]


@pytest.mark.parametrize("span", ["`dydx = np.gradient(y, x)`", "`f'(x) == 3*x**2`",
                                  "`grad = lambda x: 2*x`", "`d/dx = torch.autograd.grad`",
                                  "`y = x[0]; d/dx y = 1`"])
def test_code_in_inline_code_spans_is_not_math(span):
    assert oks(f"We compute {span} here.\n") == []


@pytest.mark.parametrize("label", ["**Proof:** ", "**Example 2.** ", "- **Given** "])
def test_a_plain_definition_after_a_bold_label(label):
    note = f"{label}Let f(x) = x^2.\n$$f'(x) = 2x$$\n"
    assert oks(note) == [True]
    assert oks(note.replace("= 2x$$", "= 3x$$")) == [False]


def test_a_formula_rendered_as_a_picture_is_read_from_its_alt_text():
    """``![f'(x) = 3x^2](https://latex.codecogs.com/svg.latex?… "…")``: the alt
    text is the formula (the address is no math); SymPy: (x^3 - x)' = 3x^2 - 1."""
    import sympy as sp

    x = sp.Symbol("x")
    url = "https://latex.codecogs.com/svg.latex?"
    note = (f"- **Model:**\n  ![g(x) = x^3 - x]({url}g%28x%29 \"g(x) = x^3 - x\")\n"
            f"- **Slope:**\n  ![g'(x) = \\tfrac{{d}}{{dx}} (x^3 - x) = CLAIM]({url}g%27 \"g'\")\n")
    for claim, value in (("3x^2 - 1", 3 * x**2 - 1), ("3x^2 + 1", 3 * x**2 + 1)):
        want = sp.simplify(sp.diff(x**3 - x, x) - value) == 0
        assert oks(note.replace("CLAIM", claim))[-1] is want
    assert oks(f"![a picture]({url}x%3Dy)\n") == []


def test_a_table_whose_second_column_is_the_first_one_primed():
    """``| Fn | Fn' |``: the primed column is the derivative of the other (SymPy)."""
    import sympy as sp

    x = sp.Symbol("x", positive=True)
    note = ("| Fn | Fn' |\n|----|-----|\n| exp(3x) | 3exp(3x) |\n| ln(x) | 1/x |\n"
            "| cos(x) | sin(x) |\n")
    rows = [(sp.exp(3 * x), 3 * sp.exp(3 * x)), (sp.log(x), 1 / x), (sp.cos(x), sp.sin(x))]
    assert oks(note) == [sp.simplify(sp.diff(f, x) - d) == 0 for f, d in rows]
    assert oks(note)[-1] is False
    # two unrelated columns are no derivative table
    assert oks(note.replace("Fn' |", "Gn |", 1)) == []
