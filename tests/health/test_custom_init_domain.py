"""A static bound that is infinite because the (assumed) input range leaves
a function's domain, log(p) at p ≤ 0, is no exploding gradient: the same
information "log(p) needs p > 0: declare p's range" for -log(p), binary
cross-entropy and entropy, never an error and never "measured 0" beside an
infinite bound (red team F10)."""

import pytest
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze

SOURCE = '''import numpy as np


def bce(p, y):
    return -y * np.log(p) - (1 - y) * np.log(1 - p)


def nll(p):
    return -np.log(p)


def entropy(p):
    return -p * np.log(p)
'''
UNITS = {u.label: u for u in read_document(SOURCE, path="losses.py").programs}


@pytest.mark.parametrize("name", ["bce", "nll", "entropy"])
def test_log_of_an_assumed_range_is_information_not_an_exploding_error(name):
    report = analyze(UNITS[name].program)
    assert not [f for f in report.findings if f.severity in ("error", "warning")]
    assert "exploding" not in {f.kind for f in report.findings}
    unbounded = [f for f in report.findings if f.kind == "singular"]
    assert unbounded and all(f.severity == "info" for f in unbounded)
    assert all("np.log(p) needs p > 0: declare p's range" in f.message for f in unbounded)
    assert not any("measured" in f.message for f in unbounded)


def test_declared_ranges_inside_the_domain_leave_nothing_to_say():
    src = ("input p in [0.05, 0.95]\ninput y in [0, 1]\n"
           "L = -y * log(p) - (1 - y) * log(1 - p)\n")
    report = analyze(src)
    assert not {f.kind for f in report.findings} & {"singular", "exploding", "nonfinite"}


def test_a_tower_of_exponentials_still_explodes():
    report = analyze("input x in [-3, 3]\nL = exp(exp(exp(x)))\n")
    assert "exploding" in {f.kind for f in report.findings}


NORM = '''import numpy as np


def layer_norm(x, mean, var):
    return (x - mean) / np.sqrt(var + 1e-5)


def rsqrt(v):
    return 1.0 / np.sqrt(v + 1e-6)
'''


@pytest.mark.parametrize(("name", "words"), [("layer_norm", "needs var + 1e-5 > 0"),
                                             ("rsqrt", "needs v + 1e-6 > 0")])
def test_a_root_of_an_assumed_range_is_information_never_an_error(name, words):
    # (red team F10, the layer norm): the points where var + 1e-5 < 0 are NaN; NaN is no
    # measurement, so nothing promotes the infinite bound to an error
    unit = next(u for u in read_document(NORM, path="norm.py").programs if u.label == name)
    report = analyze(unit.program)
    assert not [f for f in report.findings if f.severity in ("error", "warning")]
    assert "exploding" not in {f.kind for f in report.findings}
    assert any(words in f.message for f in report.findings if f.kind == "singular")
    assert not any("measured 0" in f.message for f in report.findings)
