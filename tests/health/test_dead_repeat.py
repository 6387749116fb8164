"""Red team R28: a repeat whose gradient is exactly 0 at every layer and
point is a finding of its own (a dead gradient), so a ReLU fix that kills a
tanh chain's gradient is never offered as if it cleared the finding.

The oracle is independent of the engine: the edited program (the real fix's
text applied to the source) is written out in numpy and differentiated by
central differences at draws of its own."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from chainlens.engine.health.analysis import analyze
from chainlens.engine.health.fixes import apply_edits
from chainlens.engine.health.recheck import analyze_checked, recheck
from chainlens.engine.language.reader import parse

TANH = """input x in [-1, 1]
h = x
repeat k in 1..40 {
  param w_k in [-1, 1]
  h = tanh(w_k * h)
}
L = h^2
"""


def _relu_fix(source: str):
    plain = analyze(source)
    return next((f, r) for f in plain.findings for r in f.remedies if r.kind == "relu")


def _loss(x: float, w: np.ndarray) -> float:
    """The ReLU-edited program, by hand: h = relu(w_k * h) for k = 1..40, L = h^2."""
    h = x
    for wk in w:
        h = max(wk * h, 0.0)
    return h * h


def test_the_relu_fix_of_a_tanh_chain_is_dead_and_its_recheck_says_so():
    finding, relu = _relu_fix(TANH)
    assert finding.kind == "vanishing" and finding.measured > 0
    edited = apply_edits(TANH, relu.edits)
    assert "h = relu(w_k * h)" in edited
    # oracle: central differences of L in x and in every w_k, 500 own draws
    rng = np.random.default_rng(7)
    eps, worst = 1e-6, 0.0
    for _ in range(500):
        x, w = rng.uniform(-1, 1), rng.uniform(-1, 1, 40)
        grads = [(_loss(x + eps, w) - _loss(x - eps, w)) / (2 * eps)]
        for k in range(40):
            up, down = w.copy(), w.copy()
            up[k] += eps
            down[k] -= eps
            grads.append((_loss(x, up) - _loss(x, down)) / (2 * eps))
        worst = max(worst, max(abs(g) for g in grads))
    assert worst == 0.0  # dead at every draw: a negative pre-activation in 40 layers
    after = analyze_checked(edited)
    assert not after.ok  # was "no findings", exit 0
    dead = [f for f in after.findings if f.kind == "vanishing"]
    assert dead and "is exactly 0 at every layer (1 to 40) and every point" in dead[0].message
    assert dead[0].measured == 0 and dead[0].span.line == 3
    assert all(m.gradient == 0 for m in after.repeats[0].layers)


def test_relu_is_not_offered_on_the_tanh_chain():
    report = analyze_checked(TANH)
    titles = [r.title for f in report.findings for r in f.remedies]
    assert titles and not any("ReLU" in t for t in titles), titles


def test_a_relu_that_kills_the_gradient_is_dropped_even_when_nothing_clears():
    """With the ReLU fix alone (no residual connection to clear the finding)
    it is not offered as a partial fix either: it leaves 0, not 1e-18."""
    finding, relu = _relu_fix(TANH)
    plain = analyze(TANH)
    only = replace(plain, findings=tuple(replace(f, remedies=(relu,)) if f == finding else
                                         replace(f, remedies=()) for f in plain.findings))
    checked = recheck(parse(TANH), only)
    assert [r.title for f in checked.findings for r in f.remedies] == []


def test_a_live_relu_chain_and_a_partly_dead_one_are_not_called_dead():
    """Positive weights and inputs: ReLU passes every gradient.  Two layers
    in [-1, 1]: dead at most points (median 0) but live at some: not dead."""
    live = analyze("input x in [0.5, 1]\nh = x\nrepeat k in 1..10 {\n  param w_k in [0.9, 1.1]\n"
                   "  h = relu(w_k * h)\n}\nL = h^2\n")
    assert not any("exactly 0" in f.message for f in live.findings)
    assert all(m.gradient > 0 for m in live.repeats[0].layers)
    partly = analyze("input x in [-1, 1]\nh = x\nrepeat k in 1..3 {\n  param w_k in [-1, 1]\n"
                     "  h = relu(w_k * h)\n}\nL = h^2\n", thresholds={"samples": 64})
    assert not any("exactly 0" in f.message for f in partly.findings)


def test_one_stationary_point_is_not_a_dead_repeat():
    """At @at x=0 every h is 0 and so is every ∂L/∂h (L = h^2 has its
    minimum there): one point measures a stationary point, not a dead
    chain, so no finding is made of it."""
    report = analyze(TANH + "@at x=0\n")
    assert report.points == 1
    assert all(m.gradient == 0 for m in report.repeats[0].layers)
    assert report.findings == ()
