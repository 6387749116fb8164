"""The diagnostics pass judges only the assignments that can give a finding
(server.lsp.statement_filter); on every example and a generated program the
findings are exactly the engine's on the whole program."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from chainlens.engine.api.domains import domain_issues
from chainlens.engine.api.stability import unstable_forms
from chainlens.engine.language.reader import parse
from chainlens.engine.numeric.kernel import evaluate
from chainlens.server.lsp.statement_filter import with_domain_conditions, with_unstable_candidates

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from lsp import big_program  # noqa: E402

TEXTS = {p.name: p.read_text(encoding="utf-8") for p in sorted(ROOT.glob("examples/*.chain"))}
TEXTS["big"] = big_program(60)
TEXTS["findings"] = ("a = x\nc = 0.5\nu = log(1 + exp(a))\nv = a * 2\nw = sqrt(a - c)\n"
                     "s = log(sigmoid(v)) + log(w)\nL = u + s\n@at x=0.2\n")
TEXTS["ranges"] = ("input x in [-1, 1]\nc = 0.5\ns = log(x + c)\nt = s * 2\n"
                   "L = t + log(1 + exp(t))\n")


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_filtered_programs_give_the_engines_findings(name):
    program = parse(TEXTS[name])
    assert unstable_forms(with_unstable_candidates(program)) == unstable_forms(program)
    for at in (None, _values(program)):
        assert domain_issues(with_domain_conditions(program), at) == domain_issues(program, at)


def _values(program):
    """Every name's value at the program's @at point, as the server has them
    (the numeric pass), or None without a point."""
    if not program.points:
        return None
    try:
        ev = evaluate(program, keep=True)
    except Exception:  # noqa: BLE001 - a point the numeric pass cannot take
        return None
    return {k: v[0] for k, v in (ev.node_values or {}).items()}


def test_the_findings_program_has_findings_of_both_kinds():
    program = parse(TEXTS["findings"])
    assert len(with_unstable_candidates(program).assignments) == 2
    assert len(unstable_forms(program)) == 2
    assert domain_issues(program, _values(program))
