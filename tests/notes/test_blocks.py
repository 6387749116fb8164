"""Where a note's math continues: MyST directive bodies (```` ```{solution} ````)
are prose with math, a display block that starts with ``=`` continues the
one right above it, an alignment line starting with ``+`` continues the
expression above; and ``\\log`` that may be base 10, ``(fg)'`` with f and g
defined.  Hand-written snippets, several spellings each."""

from __future__ import annotations

import pytest
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document


def oks(text: str, kind: str = "markdown"):
    return [check_claim(u).ok for u in read_document(text, kind).claims]


SOLUTION = """1. $f(x) = x^3 - 2x$

   ```{solution}
   \\begin{equation}
   f'(x) = 3x^2 - 2
   \\end{equation}
   ```
"""

ADMONITION = """$g(t) = t^2 e^t$

:::{note}
unused
:::

~~~{admonition} Answer
:class: dropdown
$$g'(t) = 2te^t + t^2e^t$$
~~~
"""


@pytest.mark.parametrize("note", [SOLUTION, ADMONITION])
def test_a_myst_directive_body_is_read(note):
    assert oks(note) == [True]


def test_a_wrong_step_in_a_directive_body_is_flagged():
    assert oks(SOLUTION.replace("3x^2 - 2", "3x^2 + 2")) == [False]
    assert oks(ADMONITION.replace("2te^t +", "2te^t -")) == [False]


def test_code_stays_code_inside_and_outside_a_directive():
    note = ("```{solution}\n```python\n# d/dx x**2 = 3*x\n```\n$$\\frac{d}{dx}x^2 = 2x$$\n```\n\n"
            "```{code-cell} python\n# f'(x) = 5\n```\n")
    assert oks(note) == [True]


@pytest.mark.parametrize("open_, close", [("$$", "$$"), ("\\[", "\\]"), ("$", "$")])
def test_a_block_starting_with_equals_continues_the_block_above(open_, close):
    note = (f"{open_}\\frac{{d}}{{dx}}[4x^5 - 3x^3 + 2x]{close}\n"
            f"{open_}= 20x^4 - 9x^2 + 2{close}\n{open_}= 2 + 20x^4 - 9x^2{close}\n")
    assert oks(note) == [True, True]
    assert oks(note.replace("= 20x^4 - 9x^2 + 2", "= 20x^4 - 9x^2 - 2")) == [False, True]


def test_a_block_after_prose_with_math_does_not_continue_anything():
    # the "=" may continue the inline math as well as the block above
    note = "$$\\frac{d}{dx}x^3$$\nso the slope at $x = 1$ is\n$$= 2x$$\n"
    assert oks(note) == []
    note = "$$x^3 + 1$$\nso the slope is\n$$= 2x$$\n"
    assert oks(note) == []


def test_an_alignment_line_starting_with_plus_continues_the_expression():
    note = ("$f(x) = (x+1)(x^2+5)$\n\n\\begin{align}\nf'(x) &= (x+1)(2x) \\\\\n"
            "&+ (x^2+5)(1) \\\\\n&= 3x^2 + 2x + 5\n\\end{align}\n")
    assert oks(note) == [True, True]
    assert oks(note.replace("&+ (x^2+5)", "&- (x^2+5)")) == [False, True]


@pytest.mark.parametrize("claimed", ["\\frac{1}{x \\ln 10}", "\\frac{1}{x\\ln(10)}",
                                     "\\frac{\\log e}{x}"])
def test_log_that_may_be_base_ten_is_never_called_wrong(claimed):
    # right for log₁₀, which the claim names (ln 10), or for both (\\log e / x)
    assert oks(f"$\\frac{{d}}{{dx}} \\log x = {claimed}$") == [True]


def test_log_is_still_checked():
    assert oks("$\\frac{d}{dx} \\log x = \\frac{1}{x}$") == [True]
    assert oks("$\\frac{d}{dx} \\log(x^{10}) = \\frac{10}{x}$") == [True]
    assert oks("$\\frac{d}{dx} \\log(x^{10}) = \\frac{1}{x}$") == [False]
    assert oks("$\\frac{d}{dx} \\log x = \\frac{2}{x \\ln 10}$") == [False]


@pytest.mark.parametrize("lhs", ["(fg)'", "(f g)'", "(f \\cdot g)'"])
def test_a_product_of_defined_functions_is_their_formulas(lhs):
    note = (f"Let f(x) = x² + 1, g(x) = x³ - 2x\n- f'(x) = 2x\n- g'(x) = 3x² - 2\n\n"
            f"${lhs} = (2x)(x^3 - 2x) + (x^2 + 1)(3x^2 - 2)$\n$= 5x^4 - 3x^2 - 2$\n")
    assert oks(note)[-2:] == [True, True]
    assert oks(note.replace("- 3x^2 - 2$", "- 3x^2 + 2$"))[-2:] == [True, False]


def test_a_quotient_of_defined_functions():
    note = ("Let f(x) = x² + 1, g(x) = x - 3\n- f'(x) = 2x\n- g'(x) = 1\n\n"
            "$$\\left(\\frac{f}{g}\\right)' = \\frac{(x-3)(2x) - (x^2+1)(1)}{(x-3)^2}$$\n")
    assert oks(note)[-1] is True
    assert oks(note.replace("(x-3)(2x) -", "(x-3)(2x) +"))[-1] is False


STEPS = """$$\\frac{d}{dx}[(3x + 1)^5]$$

- Outer: u⁵, derivative = 5u⁴
- Inner: u = 3x + 1, derivative = 3

$$= 5(3x + 1)^4 \\cdot 3 = 15(3x + 1)^4$$
"""


def test_a_block_after_steps_in_words_continues_the_derivation():
    assert oks(STEPS) == [True, True, True, True]
    assert oks(STEPS.replace("= 15(3x", "= 5(3x")) == [True, True, True, False]


@pytest.mark.parametrize("between", ["Rewrite as $(3x+1)^5$ first.", "## Example 2", "---",
                                     "$$x = 1$$"])
def test_math_headings_or_rules_between_blocks_end_the_derivation(between):
    note = f"$$\\frac{{d}}{{dx}}[(3x + 1)^5]$$\n\n{between}\n\n$$= 15(3x + 1)^4$$\n"
    assert oks(note) == []


@pytest.mark.parametrize("line, ok", [
    ("- Outer: sin(u), derivative = cos(u)", True),
    ("* Middle: e^v, its derivative is e^v", True),
    ("Innermost: v = 3x, derivative = 3", True),
    ("- Outer: ln(u), derivative = u", None),  # (may include the inner derivative)
    ("- Inner: u = x² + 1, derivative = x", False),
    ("- Inner: u = x² + 1, derivative = 2x", True),
])
def test_chain_rule_steps_in_words(line, ok):
    assert oks(line + "\n") == [ok]


def test_words_with_two_letters_or_in_code_are_no_claim():
    assert oks("- Outer: a·u, derivative = a\n") == []
    assert oks("```\n- Outer: sin(u), derivative = u\n```\n") == []


def test_a_table_cell_with_a_chain_gives_one_claim_per_side():
    note = ("| Function | Derivative |\n|---|---|\n| x⁻² = 1/x² | -2x⁻³ = -2/x³ |\n"
            "| x^(1/2) = √x | (1/2)x^(-1/2) = 1/(2√x) |\n")
    assert oks(note) == [True, True, True, True]
    assert oks(note.replace("= -2/x³", "= 2/x³")) == [True, False, True, True]


@pytest.mark.parametrize("env", ["align", "align*"])
def test_two_equations_per_alignment_line(env):
    note = (f"$f(x) = (x-3)(x-1)$\n\n\\begin{{{env}}}\nu &= x-3 & v &= x-1 \\\\\n"
            f"u' &= 1 & v' &= 1\n\\end{{{env}}}\n")
    assert oks(note) == [True, True]
    assert oks(note.replace("v' &= 1", "v' &= 2")) == [True, False]


def test_an_ampersand_in_a_single_column_alignment_is_blank():
    note = "\\begin{align}\n\\frac{d}{dx} x^2 &= 2x \\\\\n&= x + x\n\\end{align}\n"
    assert oks(note) == [True, True]


def test_a_position_x_of_t_does_not_make_x_depend_on_itself():
    note = ("The velocity is $x'(t) = v$.\n\nFor example, if $f(x) = x^2$,\n"
            "\\begin{align}\nf'(x) &= 2x\n\\end{align}\n")
    assert oks(note)[-1] is True


def test_a_notebook_cell_with_a_non_text_source_line_is_skipped_not_a_crash():
    import json
    nb = {"cells": [{"cell_type": "markdown", "source": [1, "$\\frac{d}{dx}x^2 = 2x$"]}],
          "nbformat": 4}
    assert oks(json.dumps(nb), "notebook") == [True]


@pytest.mark.parametrize("head", ["\\frac{d\\tanh}{dZ}", "\\frac{\\partial \\tanh(Z)}{\\partial Z}",
                                  "\\frac{d \\tanh(Z)}{dZ}"])
def test_a_function_of_the_reader_s_own_on_top_of_leibniz(head):
    assert oks(f"$${head} = 1 - \\tanh^2(Z)$$") == [True]
    assert oks(f"$${head} = 1 + \\tanh^2(Z)$$") == [False]


@pytest.mark.parametrize("claimed, ok", [("\\sigma(Z) - \\sigma^2(Z)", True),
                                         ("\\sigma(Z) - \\sigma^{2}(Z)", True),
                                         ("\\sigma(Z) + \\sigma^2(Z)", False)])
def test_a_power_of_sigma_is_the_power_of_its_value(claimed, ok):
    assert oks(f"$\\frac{{d}}{{dZ}}\\sigma(Z) = {claimed}$") == [ok]


def test_a_number_after_prose_may_be_a_value_at_a_point():
    note = "$$\\frac{d}{dx}[x^2 + 1]$$\n\nPlugging in one gives\n\n$$= 2$$\n"
    assert False not in oks(note)
