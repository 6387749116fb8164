"""Every shared example and every expression of the seed table parses -- the
answers the seed article prints as well as the questions -- and the repo's own
examples say what they claim."""

import csv
from pathlib import Path

import pytest
from chainlens.engine.core.walk import count_nodes, free_symbols
from chainlens.engine.language.reader import parse, parse_expr

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "examples"
SHARED_FILES = sorted(SHARED.glob("*.chain")) if SHARED.exists() else []
REPO_FILES = sorted((ROOT / "examples").glob("*.chain"))


def _seed_rows():
    path = ROOT / "examples" / "seed-derivatives.tsv"
    if not path.exists():
        return []
    rows = []
    with path.open(encoding="utf-8") as fh:
        for row in csv.reader((line for line in fh if not line.startswith("#")),
                              delimiter="\t"):
            if len(row) >= 3:
                rows.append(row)
    return rows


SEED = _seed_rows()


@pytest.mark.parametrize("path", SHARED_FILES + REPO_FILES, ids=lambda p: p.name)
def test_example_files_parse(path):
    program = parse(path.read_text(encoding="utf-8"))
    assert program.outputs
    assert program.assignments


@pytest.mark.parametrize("row", SEED, ids=[r[0] for r in SEED])
def test_seed_expressions_and_answers_parse(row):
    expr, var, answer = row[:3]
    assert var in free_symbols(parse_expr(expr))
    assert var in free_symbols(parse_expr(answer))


def test_seed_latex_rows_equal_their_ascii_twins():
    by_text = {row[0]: parse_expr(row[0]) for row in SEED}
    twins = [("\\sin(x^2)", "sin(x^2)"), ("e^{-x^2/2}", "exp(-x^2/2)"),
             ("\\ln(\\cos x)", "log(cos(x))"), ("\\frac{1}{1+e^{-x}}", "1/(1 + exp(-x))"),
             ("np.sin(x**2)", "sin(x^2)")]
    for latex, ascii_ in twins:
        if latex in by_text and ascii_ in by_text:
            assert by_text[latex] is by_text[ascii_]


def test_repo_examples_match_the_shared_ones():
    for path in SHARED_FILES:
        ours = ROOT / "examples" / path.name
        assert ours.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def test_deep_example_is_fifty_sigmoid_layers():
    p = parse((ROOT / "examples" / "deep.chain").read_text(encoding="utf-8"))
    (rep,) = p.repeats
    assert (rep.start, rep.stop) == (1, 50)
    assert p.outputs == ("L",)
    assert p.wrt == ("a",)
    assert p.points[0].as_dict() == {"a": 0.5, "y": 1}
    assert sum(1 for a in p.assignments if a.expr.op == "sigmoid") == 50
    assert count_nodes(p.expr) < 400  # the expansion is a DAG, not a tree


def test_tour_shows_three_notations_as_one_node():
    p = parse((ROOT / "examples" / "tour.chain").read_text(encoding="utf-8"))
    s1, s2, s3 = (p.assignment(n).expr for n in ("s1", "s2", "s3"))
    assert s1 is s2 is s3
