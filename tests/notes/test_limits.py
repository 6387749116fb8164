"""Derivatives from first principles in notes: each limit step of the chain
is checked through its limit's value (computed only when certain); a step
whose limit is not computed is "not checked" with the reason, never wrong.
Hand-written snippets in several spellings."""

from __future__ import annotations

import pytest
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document


def verdicts(text: str, kind: str = "markdown"):
    doc = read_document(text, kind)
    return [check_claim(u) for u in doc.claims], doc.skipped


def oks(text: str, kind: str = "markdown"):
    return [v.ok for v in verdicts(text, kind)[0]]


CHAIN = ("For $f(x) = x^2$,\n$$f'(x) = {lim} \\frac{{(x+h)^2 - x^2}}{{h}} = {lim} "
         "\\frac{{2xh + h^2}}{{h}} = {lim} (2x + h) = 2x$$\n")


@pytest.mark.parametrize("lim", [
    "\\lim_{h \\to 0}", "\\lim_{h\\to0}", "\\lim\\limits_{h \\rightarrow 0}",
    "\\displaystyle\\lim_{h \\to 0}", "\\underset{h\\to 0}{\\lim}",
    "\\lim_{h \\longrightarrow 0}",
])
def test_every_step_of_a_first_principles_chain_is_checked(lim):
    assert oks(CHAIN.format(lim=lim)) == [True, True, True, True]


def test_a_wrong_step_is_wrong_and_gets_no_fix():
    note = CHAIN.format(lim="\\lim_{h \\to 0}").replace("(2x + h)", "(3x + h)")
    got, _ = verdicts(note)
    assert [v.ok for v in got] == [True, True, False, True]
    assert got[2].correct_latex is None  # a limit step is not replaced by its value
    assert "2x" in got[2].correct_unicode or "2·x" in got[2].correct_unicode


def test_a_wrong_final_value_after_limits_is_wrong():
    note = CHAIN.format(lim="\\lim_{h \\to 0}").replace("= 2x$$", "= 2x + 1$$")
    assert oks(note) == [True, True, True, False]


@pytest.mark.parametrize("note", [
    "$$\\frac{d}{dx}[x^n] = \\lim_{h \\to 0} \\frac{(x+h)^n - x^n}{h} = nx^{n-1}$$",
    "$$\\frac{d}{dx}\\sin x = \\lim_{h\\to 0}\\frac{\\sin(x+h) - \\sin x}{h} = \\cos x$$",
    "$$\\frac{d}{dx} e^x = \\lim_{h\\to 0}\\frac{e^{x+h} - e^x}{h} = e^x$$",
    "Let $f(x) = \\frac{1}{x}$. $$f'(x) = \\lim_{h \\to 0} \\frac{\\dfrac{1}{x+h} - "
    "\\dfrac{1}{x}}{h} = \\lim_{h \\to 0} \\frac{-1}{x(x+h)} = -\\frac{1}{x^2}$$",
    "Let $f(x) = x^3$. $$f'(x) = \\lim_{\\Delta x \\to 0} \\frac{f(x + \\Delta x) - f(x)}"
    "{\\Delta x} = 3x^2$$",
    "Let $f(x) = x^3$. Then $f'(x) = \\lim_{\\Delta x\\to 0}\\frac{(x+\\Delta x)^3 - x^3}"
    "{\\Delta x} = 3x^2$.",
    "Let $f(x) = x^3$. $f'(x) = \\lim_{\\Delta{x}\\to 0}\\frac{(x+\\Delta{x})^3 - x^3}"
    "{\\Delta{x}}$",
    "Let $f(x) = \\sqrt{x}$. $$f'(x) = \\lim_{h \\to 0} \\frac{f(x+h) - f(x)}{h} = "
    "\\frac{1}{2\\sqrt{x}}$$",
])
def test_definition_steps_in_several_spellings(note):
    assert set(oks(note)) == {True}


@pytest.mark.parametrize("note", [
    "**Proof:** Let f(x) = c.\n$$f'(x) = \\lim_{h \\to 0} \\frac{c - c}{h} = "
    "\\lim_{h \\to 0} 0 = 0$$",
    "Let $f(x) = 7$. $f'(x) = \\lim_{h\\to 0} \\frac{7 - 7}{h} = 0$",
])
def test_a_constant_from_first_principles(note):
    assert False not in oks(note) and True in oks(note)


@pytest.mark.parametrize("step, why", [
    ("\\lim_{h \\to 0^+} \\frac{|x+h| - |x|}{h}", "one-sided"),
    ("\\lim_{h \\to \\infty} \\frac{1}{h}", "infinity"),
    ("\\lim_{h \\to 0} 2x + h", "unclear"),
    ("\\lim_{h \\to 0} \\frac{\\sin h}{h} + h", "unclear"),
])
def test_a_limit_not_computed_is_not_checked_with_the_reason(step, why):
    got, skipped = verdicts(f"Let $f(x) = x^2$. $f'(x) = {step} = 2x$")
    assert [v.ok for v in got] == [True]  # the final value is still checked
    assert any(why in s.reason for s in skipped)


@pytest.mark.parametrize("claim", [
    "\\lim_{h\\to 0}\\frac{\\sin h}{h} = 1",
    "\\frac{d}{dx}\\sin x = \\cos x \\lim_{h\\to 0}\\frac{\\sin h}{h} = \\cos x",
    "\\frac{d}{dx}\\sin x = \\lim_{h\\to 0}\\frac{\\sin x \\cos h + \\cos x \\sin h - \\sin x}{h}"
    " = \\sin x \\lim_{h\\to 0}\\frac{\\cos h - 1}{h} + \\cos x \\lim_{h\\to 0}\\frac{\\sin h}{h}"
    " = \\cos x",
    "\\frac{d}{dx} e^x = e^x \\lim_{h\\to 0}\\frac{e^h - 1}{h} = e^x",
])
def test_standard_limits_are_never_called_wrong(claim):
    assert False not in oks(f"$${claim}$$")


def test_a_slip_inside_a_limit_is_wrong():
    note = ("Let $f(x) = x^2$, so $f'(x) = 2x$.\n\n$$f''(x) = \\lim_{h \\to 0}"
            "\\frac{f'(x+h)-f'(x)}{h} = \\lim_{h \\to 0}\\frac{2h}{2} = 2$$")
    assert oks(note)[-3:] == [True, False, True]


@pytest.mark.parametrize("body", ["\\frac{f(x+h)-f(x)}{h}", "\\frac{f(x + h) - f(x)}{h}",
                                  "(\\frac{f(x+h)-f(x)}{h})"])
def test_the_difference_quotient_of_a_defined_function(body):
    note = f"Let $f(x) = x^2$. Then $$f'(x) = \\lim_{{h\\to 0}}{body} = 2x.$$"
    assert oks(note) == [True, True]
    assert oks(note.replace("= 2x.", "= 3x.")) == [True, False]


def test_limits_at_a_point():
    note = ("Let $f(x) = \\sqrt{x}$. Then $f'(4) = \\lim_{h\\to0}\\frac{\\sqrt{4+h}-2}{h} = "
            "\\frac14$.\n\nLet $g(x) = \\frac{1}{x}$; $g'(2) = \\lim_{x\\to 2}\\frac{\\frac1x - "
            "\\frac12}{x - 2} = -\\frac{1}{4}$.")
    assert oks(note) == [True] * 4
    assert oks(note.replace("{h} =", "{2h} =")).count(False) == 1


def test_a_latex_note_with_an_aligned_chain():
    note = ("If $f(x) = (x-1)^2 + 1$, then\n\\begin{align*}\n"
            "f'(x) &= \\lim_{h \\to 0} \\frac{[(x + h - 1)^2 + 1] - [(x - 1)^2 + 1]}{h} \\\\\n"
            "&= \\lim_{h \\to 0} \\frac{2(x - 1)h + h^2}{h} \\\\\n"
            "&= \\lim_{h \\to 0} \\left(2(x - 1) + h\\right) \\\\\n"
            "&= 2(x - 1)\n\\end{align*}\n")
    assert oks(note, "latex") == [True, True, True, True]


@pytest.mark.parametrize("first", [
    "\\lim_{h \\to 0} \\left(\\dfrac{5\\left(x + h\\right)^2 - 5x^2}{h}\\right)",
    "\\lim_{h\\to 0}\\frac{5(x+h)^2 - 5x^2}{h}",
    "\\lim_{k \\to 0} \\frac{5(x+k)^2 - 5x^2}{k}",
])
def test_the_chains_own_difference_quotient_defines_f(first):
    note = (f"If $y = 5x^2$ find $y'$ using the definition.\n\\begin{{align*}}\n"
            f"f'(x) &= {first} \\\\\nf'(x) &= 5\\lim_{{h \\to 0}} (h + 2x) \\\\\n"
            "f'(x) &= 5 \\cdot 2x \\\\\nf'(x) &= 10x\n\\end{align*}\n")
    assert oks(note, "latex") == [True] * 4
    assert oks(note.replace("&= 10x", "&= 11x"), "latex") == [True] * 3 + [False]


@pytest.mark.parametrize("first", [
    "\\lim_{h\\to 0}\\frac{\\sin(x+h) - \\sin x}{h} + 1",   # not a quotient alone
    "\\lim_{h\\to 0}\\frac{(x+h)^2 - x^3}{h}",                 # not f(x+h) - f(x)
    "\\lim_{h\\to 0}\\frac{5(x+h)^2 - 5x^2}{2h}",              # not over h
])
def test_no_f_is_made_from_a_limit_that_is_no_difference_quotient(first):
    assert True not in oks(f"$f'(x) = {first} = 10x$")


def test_an_f_taken_from_a_quotient_does_not_bind_a_later_quotient():
    # red team G12: each quotient names its own f
    note = ("$f'(x) = \\lim_{h\\to 0}\\frac{\\frac{1}{x+h} - \\frac{1}{x}}{h} = "
            "-\\frac{1}{x^2}$.\n\n$f'(x) = \\lim_{h\\to0}\\frac{(x + h)^2 - x^2}{h} = 2x$.\n")
    assert oks(note) == [True] * 4


def test_an_f_taken_from_a_quotient_binds_its_own_block_only():
    note = ("$f'(x) = \\lim_{h\\to0}\\frac{(x + h)^2 - x^2}{h} = 2x$.\n\n" + "Words. " * 150
            + "\n\n$f'(x) = 3x^2$\n")
    assert oks(note) == [True, True]


@pytest.mark.parametrize("other", ["Let $h(x) = x^3$. Then $h'(x) = 3x^2$.",
                                   "Let $h = 0.001$ be the step."])
def test_a_limits_variable_is_bound(other):
    # red team G7: a note's own h is not substituted into \lim_{h\to 0}
    note = (other + "\n\nLet $g(x) = x^2$. Then $g'(x) = \\lim_{h\\to0}\\frac{(x+h)^2 - x^2}{h}"
            " = \\lim_{h\\to0}(2x + h) = 2x$.\n")
    assert oks(note)[-3:] == [True, True, True]
