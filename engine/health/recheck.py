"""Health fixes checked by re-analysis before anyone offers them.

A remedy is a textbook cure (:mod:`~chainlens.engine.health.fixes`), not a
proof: ReLU in fifty one-unit layers initialised in [-1, 1] kills the
gradient outright (measured |∂L/∂a| at layer 1 is 0), and Glorot's scale
for sigmoid still leaves 1e-29 after fifty layers.  So every remedy's edit
is applied to the source, the edited program is read and analysed again
with the same points and thresholds (the same budget), and the finding is
looked for where it was (its span moved by the edit):

* a remedy that **clears** its finding (no finding of the same kind there,
  and no new error or warning there) is kept as it is;
* when none of a finding's remedies clears it, each one that still reads and
  analyses is kept with a title that says what remains
  (``… (leaves: 50 sigmoid layers, measured …)``); when one clears it, the
  ones that do not are dropped.  One whose re-analysis measures a gradient
  of exactly 0 where the finding's was not (a dead repeat) is always dropped.

:func:`analyze_checked` is :func:`~chainlens.engine.health.analysis.analyze`
followed by this check, and is what every door calls (the editor's worker,
``chainlens health`` and its SARIF, batch jobs, gRPC), so they all offer the
same fixes.  A Python model's remedies are checked by their own measurement
(:mod:`~chainlens.engine.health.model_fixes`) and pass through untouched.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from chainlens.engine.core.source import ChainError, Span
from chainlens.engine.health import model
from chainlens.engine.health.analysis import analyze
from chainlens.engine.health.fixes import Remedy, TextEdit, apply_edits
from chainlens.engine.health.report import SEVERITIES, Finding, HealthReport, Thresholds
from chainlens.engine.language.program import Program
from chainlens.engine.language.reader import parse

__all__ = ["analyze_checked", "recheck", "Verdict", "SOURCE_REMEDIES"]

#: remedy kinds written as edits of a ``.chain`` source (the ones re-analysed)
SOURCE_REMEDIES = frozenset({"relu", "residual", "init_scale", "normalize"})

#: at most this many distinct edited programs are analysed again per report
MAX_RECHECKS = 8


def analyze_checked(program: Program | str, *, at: Mapping | Sequence[Mapping] | None = None,
                    thresholds: Thresholds | Mapping | None = None,
                    deadline: float | None = None) -> HealthReport:
    """:func:`analyze`, with every ``.chain`` remedy re-analysed (see the module).
    ``deadline`` (a :func:`time.monotonic` time): a remedy not re-analysed by
    then is not offered (it was never checked), and none is started that
    would end after it."""
    if isinstance(program, str):
        program = parse(program)
    started = time.monotonic()
    report = analyze(program, at=at, thresholds=thresholds)
    # each re-analysis costs about what the analysis did: start none that
    # would end past the deadline
    cost = time.monotonic() - started
    return recheck(program, report, at=at,
                   deadline=None if deadline is None else deadline - cost)


@dataclass(frozen=True)
class Verdict:
    """What the re-analysis of one edited program left at one place."""

    remains: tuple[Finding, ...] = ()
    failed: bool = False

    @property
    def clears(self) -> bool:
        return not self.failed and not self.remains


def recheck(program: Program, report: HealthReport, *,
            at: Mapping | Sequence[Mapping] | None = None,
            deadline: float | None = None) -> HealthReport:
    """``report`` with each finding's source remedies kept, retitled or
    dropped according to a re-analysis of the edited source."""
    if not program.source or model.is_model(program):
        return report
    if not any(r.kind in SOURCE_REMEDIES for f in report.findings for r in f.remedies):
        return report
    analysed: dict[str, HealthReport | None] = {}

    def reanalyse(text: str) -> HealthReport | None:
        if text not in analysed:
            late = deadline is not None and time.monotonic() > deadline
            if len(analysed) >= MAX_RECHECKS or late:
                return None
            try:
                analysed[text] = analyze(parse(text), at=at, thresholds=report.thresholds)
            except (ChainError, ValueError, ArithmeticError):
                analysed[text] = None
        return analysed[text]

    findings = []
    for finding in report.findings:
        verdicts = []
        for remedy in finding.remedies:
            if remedy.kind not in SOURCE_REMEDIES:
                verdicts.append((remedy, Verdict()))
                continue
            try:
                text = apply_edits(program.source, remedy.edits)
            except ValueError:
                continue
            again = reanalyse(text)
            if again is None:
                continue
            verdicts.append((remedy, judge(report, finding, remedy.edits, again)))
        findings.append(replace(finding, remedies=_keep(finding, verdicts)))
    return replace(report, findings=tuple(findings))


def judge(before: HealthReport, finding: Finding, edits: tuple[TextEdit, ...],
          after: HealthReport) -> Verdict:
    """What ``after`` (the analysis of the edited source) still reports at
    ``finding``'s place: a finding of the same kind, or a new error/warning
    (of a kind that was not there before)."""
    if finding.span is None:
        same = tuple(g for g in after.findings if g.kind == finding.kind)
        return Verdict(same)
    start, end = moved(finding.span.start, edits), moved(finding.span.end, edits)
    there_before = {g.kind for g in before.findings
                    if g.span is not None and _overlap(g.span, finding.span.start,
                                                       finding.span.end)}
    serious = SEVERITIES.index("warning")
    remains = []
    for g in after.findings:
        if g.span is not None and not _overlap(g.span, start, end):
            continue
        if g.kind == finding.kind or (g.kind not in there_before
                                      and SEVERITIES.index(g.severity) <= serious):
            remains.append(g)
    return Verdict(tuple(remains))


def moved(offset: int, edits: tuple[TextEdit, ...]) -> int:
    """Where ``offset`` of the source is after ``edits`` (an offset inside a
    replaced span stays at that span's start)."""
    shift = 0
    for e in sorted(edits, key=lambda e: e.span.start):
        if e.span.end <= offset:
            shift += len(e.new_text) - (e.span.end - e.span.start)
        elif e.span.start < offset:
            return e.span.start + shift
    return offset + shift


def _overlap(span: Span, start: int, end: int) -> bool:
    return span.start < max(end, start + 1) and start < max(span.end, span.start + 1)


def _keep(finding: Finding, verdicts: list[tuple[Remedy, Verdict]]) -> tuple[Remedy, ...]:
    clearing = [r for r, v in verdicts if v.clears]
    if clearing:
        return tuple(clearing)
    return tuple(replace(r, title=f"{r.title} (leaves {_short(v.remains[0])})")
                 for r, v in verdicts
                 if not v.failed and v.remains and not _kills(finding, v))


def _kills(finding: Finding, verdict: Verdict) -> bool:
    """The edit leaves a gradient measured exactly 0 where the finding's was
    not: ReLU in a one-unit tanh chain (red team R28).  Worse than the
    finding it was meant to cure, so never offered, not even as partial."""
    return finding.measured != 0 and any(
        g.kind == "vanishing" and g.measured == 0 for g in verdict.remains)


def _short(finding: Finding, width: int = 90) -> str:
    text = f"a{'n' * (finding.severity[0] in 'aeiou')} {finding.severity}: {finding.message}"
    return text if len(text) <= width else text[:width - 1] + "…"
