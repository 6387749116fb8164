"""chainlens's derivatives against a textbook's printed answers (#17).

114 derivative exercises of APEX Calculus (see build.py; dev and a held-out
third split by a hash of the exercise id): every result equals SymPy's
derivative at five points, at least 90% print no longer than the book's
answer and at least 80% no longer than SymPy's ``simplify(diff(...))``
(stored in the JSON, printed in the same notation), per split.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sympy as sp
from chainlens.engine import diff
from chainlens.engine.api.sympy_bridge import to_sympy
from chainlens.engine.language.reader import parse_expr
from chainlens.engine.printing import to_text

DATA = json.loads((Path(__file__).parent / "exercises.json").read_text())
POINTS = (0.37, 0.81, 1.23, 1.7, 2.9)


def _ours(ex):
    return diff(ex["expression"], ex["var"]).result


@pytest.mark.parametrize("ex", DATA, ids=[e["id"] for e in DATA])
def test_every_result_is_numerically_right(ex):
    v = sp.Symbol(ex["var"])
    want = sp.diff(to_sympy(parse_expr(ex["expression"])), v)
    got = to_sympy(_ours(ex))
    checked = 0
    for x in POINTS:
        a, b = complex(want.subs(v, x).evalf()), complex(got.subs(v, x).evalf())
        if a != a or b != b:  # NaN: outside the domain
            continue
        assert abs(a - b) <= 1e-9 * (1 + abs(a)), (ex["expression"], x, a, b)
        checked += 1
    assert checked


@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_results_are_as_short_as_the_book_and_sympy_simplify(split):
    rows = [ex for ex in DATA if ex["split"] == split]
    ours = [len(to_text(_ours(ex))) for ex in rows]
    book = sum(o <= len(ex["answer"]) for o, ex in zip(ours, rows, strict=True)) / len(rows)
    simp = sum(o <= len(ex["sympy_simplify"]) for o, ex in zip(ours, rows, strict=True)) \
        / len(rows)
    assert book >= 0.90, book
    assert simp >= 0.80, simp
