"""Every health fix is re-analysed before it is offered (issue #14).

The oracle is the analysis itself, run again on the edited source with the
same thresholds: an offered fix must leave no finding of its kind at its
place; a fix whose title says ``leaves`` must leave exactly what it says.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from chainlens.engine.core.source import Span
from chainlens.engine.health.analysis import analyze
from chainlens.engine.health.fixes import TextEdit, apply_edits
from chainlens.engine.health.recheck import analyze_checked, judge, moved
from chainlens.engine.language.reader import parse
from chainlens.server.lsp.workers import _judge_one, judge_units, portable

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CHAINS = sorted(EXAMPLES.glob("*.chain"))


def _offered(path: Path):
    source = path.read_text(encoding="utf-8")
    report = analyze_checked(source)
    return source, report, [(f, r) for f in report.findings for r in f.remedies]


@pytest.mark.parametrize("path", CHAINS, ids=lambda p: p.name)
def test_every_offered_fix_on_the_examples_clears_its_finding_or_says_what_is_left(path):
    source, report, offered = _offered(path)
    for finding, remedy in offered:
        after = analyze(parse(apply_edits(source, remedy.edits)), thresholds=report.thresholds)
        left = judge(report, finding, remedy.edits, after).remains
        if "(leaves " in remedy.title:
            assert left and left[0].message[:40] in remedy.title
        else:
            assert left == (), (remedy.title, [g.message for g in left])


def test_deep_sigmoid_offers_the_residual_connection_only():
    """ReLU (measured |∂L/∂a| at layer 1 is 0) and Glorot's init (2.2e-29 left)
    do not clear the vanishing gradient; the residual connection does."""
    _, report, offered = _offered(EXAMPLES / "deep_sigmoid.chain")
    assert [(f.kind, r.kind) for f, r in offered] == [("vanishing", "residual")]
    plain = analyze(parse((EXAMPLES / "deep_sigmoid.chain").read_text()))
    assert {r.kind for f in plain.findings for r in f.remedies} == {
        "relu", "residual", "init_scale"}


def test_when_no_fix_clears_each_title_says_what_remains():
    """ReLU is not among them: it leaves |∂L/∂a| at layer 1 measured exactly
    0 where sigmoid left 1.5e-55, worse than the finding (red team R28)."""
    _, report, offered = _offered(EXAMPLES / "deep.chain")
    assert offered and all("(leaves a warning: " in r.title for _, r in offered)
    assert [r.kind for _, r in offered] == ["init_scale"]
    source = (EXAMPLES / "deep.chain").read_text()
    plain = analyze(parse(source))
    relu = next(r for f in plain.findings for r in f.remedies if r.kind == "relu")
    after = analyze(parse(apply_edits(source, relu.edits)))
    assert any("at layer 1 is 0" in g.message and g.measured == 0 for g in after.findings)


def test_the_editor_worker_offers_the_same_checked_fixes():
    source = (EXAMPLES / "deep_sigmoid.chain").read_text()
    judged = _judge_one(parse(source), 1e-6, 1e6, True)
    assert [r.title for f in judged.health.findings for r in f.remedies] == [
        "Add a residual connection: a = a + …"]


def test_a_fix_that_clears_its_finding_is_kept_as_it_is():
    source = ("input x in [-1, 1]\na = x\nrepeat k in 1..50 {\n  param w_k in [-3, 3]\n"
              "  a = w_k * a\n}\nL = a\n")
    th = {"measure": False}
    plain = [r.title for f in analyze(source, thresholds=th).findings for r in f.remedies]
    checked = [r.title for f in analyze_checked(source, thresholds=th).findings
               for r in f.remedies]
    assert checked == plain == ["Initialise w_k in [-1, 1] (per-layer gain ≈ 1)"]


def test_offsets_move_with_the_edits():
    text = "0123456789abcdef"
    edits = (TextEdit(Span.at(text, 10, 10), "a + "), TextEdit(Span.at(text, 2, 5), "z"))
    assert [moved(o, edits) for o in (0, 2, 4, 5, 9, 10, 12)] == [0, 2, 2, 3, 7, 12, 14]


def test_fixes_not_rechecked_before_the_deadline_are_not_offered():
    source = (EXAMPLES / "deep_sigmoid.chain").read_text()
    late = analyze_checked(source, deadline=time.monotonic())
    assert [f.kind for f in late.findings] == ["vanishing"]
    assert [r for f in late.findings for r in f.remedies] == []
    judged = judge_units("chain", [portable(parse(source))], 1e-6, 1e6, budget=0.0)
    assert judged[0].health.findings[0].remedies == ()
