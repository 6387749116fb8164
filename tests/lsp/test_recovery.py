"""Statement-level error recovery: a syntax error costs hovers on its own
statement only (engine.language.recovery, read by the language server)."""

from __future__ import annotations

import pytest
from chainlens.engine.language.reader import parse
from chainlens.engine.language.recovery import recover, statements
from chainlens.server.lsp import diagnostics, hover
from chainlens.server.lsp.analysis import analyze
from chainlens.server.lsp.settings import Settings

NEURON = "z = w*x + b\na = sigmoid(z)\nL = (a - y)^2\n@at x=0.5, w=0.8, b=-0.1, y=1\n"


@pytest.mark.parametrize(("bad", "line"), [
    ("a = sigmoud(z)", 2),        # unknown function
    ("a = sigmoid(z", 2),         # unclosed bracket: must not swallow the lines after
    ("a = ) z", 2),               # stray bracket
    ("a = sigmoid(z) +", 2),      # dangling operator
])
def test_one_bad_statement_leaves_the_others(bad, line):
    text = NEURON.replace("a = sigmoid(z)", bad)
    rec = recover(text)
    assert [e.span.line for e in rec.errors] == [line]
    assert len(rec.text) == len(text) and rec.text.count("\n") == text.count("\n")
    assert rec.program is not None and {"z", "L"} <= set(rec.program.names)
    assert "a" not in rec.program.names and "a" in rec.program.inputs


def test_several_bad_statements_each_reported_in_order():
    text = ("z = w*x + b\na = sigmoid(z\nh = (x\n   + y)\nrepeat k in 1..3 {\n"
            "  q = tanh(q\n  q = q + 1\n}\nb2 = sigmoud(x)\nL = h + q + b2\n")
    rec = recover(text)
    assert [e.span.line for e in rec.errors] == [2, 6, 9]
    # the wrapped statement and the rest of the repeat block are read
    assert {"z", "h", "L"} <= set(rec.program.names)
    assert sum(n.startswith("q") for n in rec.program.names) == 3


def test_statements_follow_lines_and_indented_continuations():
    text = "a = 1\nh = (x\n     + y)\n# c\n\nb = (2\nc = 3\n"
    assert [text[s:e] for s, e in statements(text)] == [
        "a = 1", "h = (x\n     + y)", "b = (2", "c = 3"]


def test_a_good_program_is_read_as_parse_reads_it():
    rec = recover(NEURON)
    assert rec.errors == () and rec.program == parse(NEURON)


def test_a_typo_keeps_the_hovers_of_the_other_statements():
    text = NEURON.replace("a = sigmoid(z)", "a = sigmoud(z)")
    analysis = analyze("file:///typo.chain", 1, text, "chain", Settings())
    (error,) = diagnostics.build(analysis)
    assert error.code == "ParseError" and error.range.start.line == 1
    assert "did you mean 'sigmoid'" in error.message
    shown = hover.compute(analysis, text.index("w*x")).contents.value
    # L reads the bad line's `a` as an input: ∂L/∂w is 0 through z, and says so
    assert shown.startswith("**∂L/∂w** = `0`")
    on_z = hover.compute(analysis, text.index("z =")).contents.value
    assert on_z.startswith("**∂L/∂z**")
    on_l = hover.compute(analysis, text.index("L =") + 6).contents.value
    assert "**∂L/∂a** = `2(a − y)`" in on_l
