"""The fuzz target on a fixed CI budget (issue #16).

Every public engine stage, from parse to health, either returns or raises a
chainlens error with words, for the regression corpus (tests/fuzz/corpus/:
inputs that once crashed or stalled a stage) and for a fixed slice of
generated inputs, each in a worker process under a wall-clock bound; and,
in this process, for text drawn by hypothesis.  The nightly-sized run is

    nice -n 10 .venv/bin/python -m tests.fuzz.run --inputs 100000 --seed 16 --out /tmp/fuzz

(see tests/fuzz/run.py); the slowest inputs and their time per stage:
``.venv/bin/python benchmarks/fuzz_worst.py``.
"""

from __future__ import annotations

import os
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz import inputs, pipeline, run

#: Generated inputs in the CI run (the nightly run takes --inputs 100000).
CI_INPUTS = int(os.environ.get("CHAINLENS_FUZZ_INPUTS", "300"))


@pytest.mark.timeout(300)
def test_corpus_and_generated_inputs_end_in_answers_or_chainlens_errors():
    summary = run.fuzz(CI_INPUTS, seed=0, bound=run.BOUND)
    assert summary["inputs"] >= CI_INPUTS + len(run.corpus())
    assert not summary["hangs"], run.report(summary)
    assert not summary["failures"], run.report(summary)


@settings(max_examples=150)
@given(st.text(max_size=300))
def test_any_text(text):
    out = pipeline.run(text)
    assert out.failure is None, out.failure


@settings(max_examples=150)
@given(st.integers(0, 2 ** 32), st.integers(0, 10 ** 6))
def test_generated_families(seed, index):
    family, text = inputs.generate(seed, index)
    if family in ("mutation", "hostile"):  # the worker-run test bounds those in time
        return
    out = pipeline.run(text)
    assert out.failure is None, out.failure


def test_a_crash_is_reported_not_raised(monkeypatch):
    monkeypatch.setattr(pipeline, "simplify", lambda node: 1 / 0)
    out = pipeline.run("x^2 + 1")
    assert out.failure.startswith("simplify: ZeroDivisionError")


def test_a_hang_is_killed_and_counted(monkeypatch, tmp_path):
    (tmp_path / "spin.txt").write_text("spin")
    real = pipeline.run
    monkeypatch.setattr(pipeline, "run", lambda t: time.sleep(60) if t == "spin" else real(t))
    summary = run.fuzz(0, bound=1.0, folder=tmp_path, start_method="fork")  # sees the patch
    assert summary["hangs"] == ["corpus:spin.txt"]
