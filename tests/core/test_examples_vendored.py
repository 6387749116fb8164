"""The repo carries its own copies of the shared examples (a clean clone must
test on its own); when the shared folder is beside the checkout, the copies
must not have drifted from it."""

import pytest

from tests.conftest import ROOT, SHARED

VENDORED = ("neuron.chain", "graph.chain", "seed-derivatives.tsv")


@pytest.mark.parametrize("name", VENDORED)
def test_vendored_example_exists(name):
    assert (ROOT / "examples" / name).is_file()


@pytest.mark.parametrize("name", VENDORED)
def test_vendored_example_matches_shared(name):
    original = SHARED / "examples" / name
    if not original.exists():
        pytest.skip("no shared/ folder beside this checkout")
    assert (ROOT / "examples" / name).read_text() == original.read_text()
