"""The labelling oracle (tests/corpora/notes/label.py) on functions that are
real only for |x| > 1: a correct arcsec / arccosh claim must come out True
(it used to be False because every sample point in (0.1, 0.9) was complex),
while a wrong claim there, and a wrong claim on (0.1, 0.9), stay False.
Expected values are SymPy's own derivatives and hand-derived formulas."""

import importlib.util
from pathlib import Path

import sympy as sp

_PATH = Path(__file__).resolve().parents[1] / "corpora" / "notes" / "label.py"
_SPEC = importlib.util.spec_from_file_location("notes_label", _PATH)
label = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(label)


def test_correct_claims_on_x_greater_than_one():
    assert label.correct("asec(x)", "x", "1/(Abs(x)*sqrt(x**2-1))")
    assert label.correct("acsc(x)", "x", "-1/(Abs(x)*sqrt(x**2-1))")
    assert label.correct("acosh(x)", "x", "1/sqrt(x**2-1)")


def test_wrong_claims_stay_wrong():
    assert not label.correct("asec(x)", "x", "-1/(Abs(x)*sqrt(x**2-1))")   # sign flipped
    assert not label.correct("acosh(x)", "x", "1/sqrt(x**2+1)")          # arcsinh's formula
    assert not label.correct("sech(x)", "x", "sech(x)*tanh(x)")          # minus dropped
    assert not label.correct("asech(x)", "x", "1/(Abs(x)*sqrt(1-x**2))")


def test_fallback_agrees_with_finite_differences():
    # the oracle's verdict on |x| > 1 matches a central difference at x = 2
    x = sp.Symbol("x")
    h = sp.Rational(1, 10**6)
    for f, claim in (("asec(x)", "1/(x*sqrt(x**2-1))"), ("acosh(x)", "1/sqrt(x**2-1)")):
        fd = (sp.sympify(f).subs(x, 2 + h) - sp.sympify(f).subs(x, 2 - h)) / (2 * h)
        assert abs(float(fd) - float(sp.sympify(claim).subs(x, 2))) < 1e-6
        assert label.correct(f, "x", claim)
