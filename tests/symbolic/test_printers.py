"""Steps printed: plain text, Unicode, LaTeX, Markdown (hover), JSON."""

from __future__ import annotations

import json

import pytest
from chainlens.engine.symbolic.derivatives import diff
from chainlens.engine.symbolic.step_text import format_steps, markdown, step_to_dict

STEPS = diff("sin(e^{x^2})", "x").steps


def test_text_reads_outside_in():
    lines = format_steps(STEPS, "text").splitlines()
    assert lines[0].startswith("1. chain rule: d/dx [sin(exp(x^2))] with outer sin(u), inner u")
    assert lines[1].startswith("  2. chain rule: d/dx [exp(x^2)] with outer exp(v)")
    assert lines[2] == "    3. power rule: d/dx [x^2] = 2*x"
    assert lines[-1] == "4. putting it together: d/dx [sin(exp(x^2))] = 2*x*exp(x^2)*cos(exp(x^2))"


def test_unicode():
    text = format_steps(STEPS, "unicode")
    assert "cos(u) · u' ⇒ cos(e^(x²)) · d/dx [e^(x²)]" in text


def test_latex_is_one_aligned_block():
    tex = format_steps(STEPS, "latex")
    assert tex.startswith("\\begin{aligned}") and tex.endswith("\\end{aligned}")
    assert tex.count("\\\\\n") == len(STEPS) - 1
    assert "\\text{ with outer }" in tex


def test_markdown_short_is_a_few_lines():
    md = markdown(STEPS)
    assert md.startswith("$\\frac{d}{dx}")
    assert len(md.splitlines()) <= 4
    assert "chain rule" in md and "power rule" in md


def test_markdown_full_numbers_the_outer_steps_and_nests_the_rest():
    md = markdown(STEPS, short=False)
    assert [line.split("**")[0] for line in md.splitlines()[2:]] == [
        "1. ", "   - ", "     - ", "2. "]
    assert md.splitlines()[4] == "     - **power rule**: $\\frac{d}{dx}\\left[x^{2}\\right] = 2 x$"


def test_a_quotient_factor_is_bracketed_not_ambiguous():
    text = format_steps(diff("log(cos(x))", "x").steps, "unicode")
    assert "(1/cos(x)) · d/dx [cos(x)]" in text


def test_sum_rule_down_to_the_variable_is_finished_in_its_line():
    text = format_steps(diff("sin(x + 1)", "x").steps, "unicode")
    assert "sum rule: d/dx [x + 1] = d/dx [x] = 1  (+ 0 for the constant term)" in text


def test_json_round_trips():
    data = json.loads(format_steps(STEPS, "json"))
    assert [d["rule"] for d in data] == ["chain", "chain", "power", "combine"]
    assert data[0]["inner"]["text"] == "exp(x^2)"
    assert data[0]["outer"]["text"] == "sin(u)"
    assert data[-1]["result"]["text"] == "2*x*exp(x^2)*cos(exp(x^2))"


def test_derivative_to_dict_is_json():
    d = diff("log(x) + abs(x)", "x").to_dict()
    json.dumps(d)
    assert {c["kind"] for c in d["conditions"]} == {"domain", "nondifferentiable"}


@pytest.mark.parametrize("expr", ["x^x", "x/(1+x^2)", "(x+1)^2*sin(x)", "log(cos(x))", "7"])
def test_every_format_prints(expr):
    steps = diff(expr, "x").steps
    for fmt in ("text", "unicode", "latex", "markdown", "json"):
        assert format_steps(steps, fmt)
    assert all(step_to_dict(s)["rule"] for s in steps)
