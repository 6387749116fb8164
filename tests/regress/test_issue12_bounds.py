"""A static bound past float64 (a deep conv net's 10^400) raised
OverflowError out of analyze instead of being an infinite bound."""

import math

from chainlens.engine.health.analysis import analyze

DEEP = """input a in [-1, 1]
repeat k in 1..400 {
  a = 10 * a + sin(a)
}
@output a
@wrt a
"""


def test_a_bound_past_float64_is_infinite_not_an_overflow():
    report = analyze(DEEP)
    bounds = [f.bound for f in report.findings if f.kind == "exploding"]
    assert bounds and all(b is None or b > 1e300 or math.isinf(b) for b in bounds)
