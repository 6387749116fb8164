"""``chainlens check`` says what is wrong with its input (red team R7, R24),
and its fixes keep the note's structure (R1, R23): real runs of the
installed command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document

EXE = Path(sys.executable).with_name("chainlens")


def chainlens(*argv, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([str(EXE), *map(str, argv)], capture_output=True, text=True,
                          timeout=240, cwd=cwd)


@pytest.mark.parametrize("content", ['{"cells": [', "[1, 2, 3]", '{"cells": {"a": 1}}'])
def test_a_notebook_that_does_not_parse_is_an_input_error(tmp_path, content):
    bad = tmp_path / "bad.ipynb"
    bad.write_text(content)
    done = chainlens("check", bad)
    assert done.returncode == 2, done.stdout
    assert "not a Jupyter notebook" in done.stderr
    assert "no derivative claims found" not in done.stdout + done.stderr


def test_an_empty_notebook_is_still_a_note_with_no_claims(tmp_path):
    empty = tmp_path / "empty.ipynb"
    empty.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    done = chainlens("check", empty)
    assert done.returncode == 0
    assert "0 correct, 0 wrong, 0 not checked" in done.stdout


def test_a_typed_claim_that_does_not_parse_says_so_with_a_caret():
    done = chainlens("check", "d/dx |x|^3 = 3 x |x")  # an unpaired bar
    assert done.returncode == 2
    assert "does not parse: its right side" in done.stderr
    assert "unexpected '|'" in done.stderr and "^" in done.stderr
    assert "no derivative claim" not in done.stderr


def test_a_typed_claim_that_parses_is_still_checked():
    done = chainlens("check", "d/dx x^3 = 3x^2")
    assert done.returncode == 0 and "1 correct" in done.stdout
    done = chainlens("check", "x = 3")  # no claim at all: said so, as before
    assert done.returncode == 2 and "no derivative claim" in done.stderr


def _apply_sarif(text: str, sarif: dict) -> str:
    [result] = sarif["runs"][0]["results"]
    [fix] = result["fixes"]
    [change] = fix["artifactChanges"]
    [rep] = change["replacements"]
    region = rep["deletedRegion"]
    a = region["charOffset"]
    b = a + region["charLength"]
    return text[:a] + rep["insertedContent"]["text"] + text[b:]


@pytest.mark.parametrize(("text", "kept"), [
    ("| $f(x)$ | $f'(x)$ |\n|---|---|\n| $x^2 \\lvert x\\rvert$ | $x \\lvert x\\rvert$ |\n",
     "| $x^2 \\lvert x\\rvert$ | $"),
    ("$\\frac{d}{dx} \\sin(2x) = \\underbrace{\\cos(2x)}_{\\text{chain rule}}$\n",
     "}_{\\text{chain rule}}$"),
])
@pytest.mark.parametrize("command", ["check", "health"])
def test_the_sarif_fix_keeps_the_table_and_the_decoration(tmp_path, text, kept, command):
    note = tmp_path / "n.md"
    note.write_text(text)
    done = chainlens(command, note, "--format", "sarif")
    assert done.returncode == 1
    fixed = _apply_sarif(text, json.loads(done.stdout))
    assert kept in fixed
    if text.startswith("|"):
        assert fixed.split("\n")[2].count("|") == 3  # two cells, as before
    doc = read_document(fixed, "markdown")
    assert [check_claim(c).ok for c in doc.claims] == [True]
