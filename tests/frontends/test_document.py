"""read_document: one reader for every kind of file, as the CLI and the
language server both use it."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from chainlens.engine.core.limits import MAX_SOURCE_CHARS
from chainlens.engine.core.source import LimitError, ParseError
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document
from chainlens.engine.frontends.kinds import kind_of
from chainlens.engine.symbolic.values import value_at

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("path, kind", [
    ("model.chain", "chain"), ("model.py", "python"), ("stub.pyi", "python"),
    ("run.ipynb", "notebook"), ("notes.md", "markdown"), ("paper.tex", "latex"),
    ("file:///home/me/Notes.MD", "markdown"), ("untitled:x.py?query#frag", "python"),
    ("vscode-notebook-cell:/nb.ipynb#W1", "python"), ("README", None), ("data.csv", None),
])
def test_kind_from_the_extension(path, kind):
    assert kind_of(path) == kind


def test_kind_from_a_language_id_when_the_name_says_nothing():
    assert kind_of("untitled:1", "latex") == "latex"
    assert kind_of(None, "plaintex") == "latex"


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown document kind"):
        read_document("x", "cobol")


def test_a_chain_program_is_one_unit():
    text = (EXAMPLES / "neuron.chain").read_text(encoding="utf-8")
    doc = read_document(text, path="neuron.chain")
    assert doc.kind == "chain" and doc.error is None
    (unit,) = doc.units
    assert (unit.label, unit.kind, unit.output) == ("L", "chain", "L")
    assert (unit.span.start, unit.span.end) == (0, len(text))


def test_a_chain_parse_error_is_kept_with_its_place():
    doc = read_document("z = w*x +\nL = z^2\n", "chain")
    assert doc.units == ()
    assert isinstance(doc.error, ParseError) and doc.error.span.line == 1


def test_python_units_are_the_functions_and_the_sequential():
    text = (EXAMPLES / "model.py").read_text(encoding="utf-8")
    doc = read_document(text, path="examples/model.py")
    assert [(u.label, u.kind) for u in doc.units] == [
        ("neuron", "function"), ("gaussian", "function"), ("soft_loss", "function"),
        ("log_prob", "function"), ("deep", "function"), ("model", "sequential"),
        ("MLP", "module")]
    neuron = doc.units[0]
    assert neuron.params == ("x", "w", "b")
    assert text[neuron.name_span.start:neuron.name_span.end] == "neuron"
    assert doc.unit_at(text.index("np.exp(-x")).label == "gaussian"


def test_python_skips_keep_their_reason():
    doc = read_document("def f(x):\n    if x > 0:\n        return x\n    return -x\n", "python")
    assert doc.units == ()
    (skip,) = doc.skipped
    assert skip.name == "f" and "If" in skip.reason


def _notebook(*cells) -> str:
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": kind, "metadata": {}, "source": source, "outputs": [],
         "execution_count": None} if kind == "code" else
        {"cell_type": kind, "metadata": {}, "source": source} for kind, source in cells]})


def test_notebook_units_point_into_their_cells():
    text = _notebook(("markdown", "# title"),
                     ("code", ["import numpy as np\n", "%matplotlib inline\n",
                               "def f(x):\n", "    return np.sin(x**2)\n"]),
                     ("code", "g = np.exp(-x)\n"))
    doc = read_document(text, path="run.ipynb")
    assert doc.error is None
    assert [(c.index, c.text[:6]) for c in doc.cells] == [(1, "import"), (2, "g = np")]
    f, g = doc.units
    assert (f.label, f.cell, g.label, g.cell) == ("f", 1, "g", 2)
    cell = doc.cells[0].text
    assert cell[f.name_span.start:f.name_span.end] == "f"
    assert f.name_span.line == 3


def test_a_broken_notebook_is_an_error_with_a_place():
    doc = read_document("{not json", "notebook")
    assert isinstance(doc.error, ParseError) and doc.error.span is not None


def test_text_over_the_size_limit_is_a_limit_error():
    doc = read_document("x" * (MAX_SOURCE_CHARS + 1), "python")
    assert isinstance(doc.error, LimitError) and doc.units == ()


def test_note_claims_are_units_with_both_sides_parsed():
    text = (EXAMPLES / "notes.md").read_text(encoding="utf-8")
    doc = read_document(text, path="notes.md")
    assert doc.error is None and doc.programs == ()
    assert len(doc.claims) == 8 and len(doc.math) >= 8
    first = doc.claims[0]
    assert first.claim.expr == "\\sin(x^2)" and first.claim.claimed == "2x\\cos(x^2)"
    assert text[first.name_span.start:first.name_span.end] == "2x\\cos(x^2)"


def test_a_claim_that_does_not_parse_is_skipped_with_the_reason():
    doc = read_document("$\\frac{d}{dx} x^3 = 3x^2 +$ and $\\frac{d}{dx} x^2 = 2x$", "markdown")
    assert len(doc.claims) == 1
    assert [s.reason.startswith("not read:") for s in doc.skipped] == [True]


def _central(unit, wrt, at, h=1e-6):
    lo, hi = dict(at), dict(at)
    lo[wrt] -= h
    hi[wrt] += h
    return (value_at(unit.expr, hi) - value_at(unit.expr, lo)) / (2 * h)


def test_claim_verdicts_match_the_notes_and_central_differences():
    text = (EXAMPLES / "notes.md").read_text(encoding="utf-8")
    verdicts = [check_claim(u) for u in read_document(text, "markdown").claims]
    assert [v.ok for v in verdicts] == [True, False, True, True, True, True, False, True]
    wrong = verdicts[1]
    assert wrong.wrt == "x" and "2" in wrong.correct_unicode
    counter = wrong.counterexample
    expected = _central(wrong.unit, "x", counter["at"])
    assert math.isclose(counter["expected"], expected, rel_tol=1e-5, abs_tol=1e-7)
    assert wrong.message().startswith("wrong derivative: d/dx of \\sin(x^2) is not \\cos(x^2)")
