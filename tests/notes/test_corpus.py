"""Issue #13 on real notes: no correct claim is called wrong (on dev, heldout,
heldout2, heldout3 and heldout5), and every quick fix offered reads back as a correct
claim.  The corpus copies are built from
public snapshots by tests/corpora/notes/build.py and are not committed; the
test skips without them.  Figures: benchmarks/notes_corpus.py."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "corpora" / "notes"
_spec = importlib.util.spec_from_file_location(
    "notes_corpus", Path(__file__).resolve().parents[2] / "benchmarks" / "notes_corpus.py")
corpus = importlib.util.module_from_spec(_spec)
sys.modules["notes_corpus"] = corpus
_spec.loader.exec_module(corpus)


SPLITS = ("dev", "heldout", "heldout2", "heldout3", "heldout5")


def _have(split: str) -> bool:
    return (ROOT / split).is_dir() and any(
        p.suffix in corpus.KIND and p.with_name(p.name + ".labels.json").exists()
        for p in (ROOT / split).glob("*"))


@pytest.fixture(scope="module", params=SPLITS)
def split(request):
    if not _have(request.param):
        pytest.skip(f"corpus copies absent ({request.param}): run tests/corpora/notes/build.py")
    return corpus.measure(request.param)


@pytest.fixture(scope="module")
def dev():
    if not _have("dev"):
        pytest.skip("corpus copies absent: run tests/corpora/notes/build.py")
    return corpus.measure("dev")


def test_no_correct_claim_is_called_wrong(split):
    assert split["false_wrong"] == []


def test_every_quick_fix_reads_back_correct(split):
    assert split["fixes_bad"] == []


def test_the_dev_notes_have_true_wrong_verdicts_and_fixes(dev):
    assert dev["wrong_true"] == dev["wrong_all"] > 0
    assert dev["fixes"] > 0


def test_the_real_errors_in_the_dev_notes_are_found(dev):
    # A sign error (APEX 2.4, line 286), a typeset 1/2 x for 1/(2x) (APEX 2.3),
    # a missing factor 3 (TU Delft, inverse functions, line 205).  The notes'
    # own deliberately wrong examples ("Using the WRONG rule we get …", "Obviously
    # this is not correct") are the note's counter-examples: "not checked", and
    # never "corrected" (red team F37).
    assert sorted(dev["missed_wrong"]) == ["tanwaiwax__02_Product_Quotient_Rules.tex:156",
                                           "tanwaiwax__02_Product_Quotient_Rules.tex:84"]


#: Floors reached in round 4 (benchmarks/notes_corpus.py prints the figures):
#: claims checked / concrete claims, injected mistakes flagged / injected
#: (heldout3: round 3's fresh set, seen and worked on in round 4; heldout3 and heldout5
#: raised in round 5: limits, xargs macros, decorated letters, boxed results).
FLOORS = {"dev": (0.91, 0.96), "heldout": (0.99, 0.94), "heldout2": (0.95, 0.91),
          "heldout3": (0.93, 0.87), "heldout5": (0.86, 0.80)}


def test_recall_and_injected_mistakes_stay_above_their_floors(split):
    recall, injected = FLOORS[split["split"]]
    assert split["checked"] >= recall * split["concrete"]
    assert split["injected_flagged"] >= injected * split["injected"]
