"""SymPy interop both ways: ``to_sympy(from_sympy(e)) == e`` on the seed
article's expressions (examples/seed-derivatives.tsv) and textbook ones;
chainlens -> SymPy -> chainlens gives the same value; derivatives agree
with SymPy's."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from chainlens.engine import diff, from_sympy, parse_expr, to_sympy
from chainlens.engine.core.source import ChainError
from chainlens.engine.symbolic.values import value_at

sp = pytest.importorskip("sympy")
ROOT = Path(__file__).resolve().parents[2]
x, y, a = sp.symbols("x y a")


def seeds() -> list[tuple[str, str]]:
    rows = []
    for line in (ROOT / "examples" / "seed-derivatives.tsv").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            expr, var, *_ = line.split("\t")
            rows.append((expr, var))
    return rows


TEXTBOOK = [
    sp.sin(x**2), sp.exp(-x**2 / 2), sp.log(sp.cos(x)), (3 * x**2 + 7)**10, x**x, a**x,
    1 / (1 + sp.exp(-x)), sp.asin(x), sp.atan(x / y), sp.sqrt(1 - x**2), sp.tanh(x)**2,
    sp.Abs(x), sp.Max(0, x), sp.Min(x, y), sp.Heaviside(x), sp.sign(x), sp.erf(x),
    sp.erfc(x), sp.atan2(y, x), sp.sinh(x) * sp.cosh(y), sp.log(x, 2), sp.pi * x + sp.E,
    sp.Rational(1, 3) * x**sp.Rational(2, 3), sp.sec(x) + sp.csc(x) + sp.cot(x),
    sp.acot(x) + sp.asec(x) + sp.acsc(x), sp.sech(x) * sp.csch(x) * sp.coth(x),
    sp.asinh(x) + sp.acosh(x) + sp.atanh(x),
]


@pytest.mark.parametrize("text,var", seeds())
def test_seed_expressions_round_trip(text, var):
    node = parse_expr(text)
    e = to_sympy(node)
    assert to_sympy(from_sympy(e)) == e
    point = {"x": 0.37, "a": 1.7}
    assert value_at(from_sympy(e), point) == pytest.approx(value_at(node, point), rel=1e-12)
    ours = to_sympy(diff(node, var))
    theirs = sp.diff(e, sp.Symbol(var))
    assert sp.simplify(ours - theirs) == 0


@pytest.mark.parametrize("e", TEXTBOOK, ids=str)
def test_textbook_expressions_round_trip(e):
    assert to_sympy(from_sympy(e)) == e


@pytest.mark.parametrize("text", ["sigmoid(x)", "relu(x)", "softplus(x)", "gelu(x)",
                                  "log1p(x)", "expm1(x)", "log2(x)", "log10(x)", "cbrt(x)"])
def test_primitives_sympy_lacks_become_their_definition(text):
    node = parse_expr(text)
    e = to_sympy(node)
    for v in (-1.5, 0.3, 2.0):
        if text in ("log1p(x)", "log2(x)", "log10(x)") and v <= 0:
            continue
        assert float(e.subs(x, v)) == pytest.approx(value_at(node, {"x": v}), rel=1e-12)
    assert to_sympy(from_sympy(e)) == e


def test_floats_come_back_as_the_exact_rationals_the_engine_keeps():
    e = sp.Float(0.25) * x + sp.Float(0.1)
    back = to_sympy(from_sympy(e))
    assert back == x / 4 + sp.Rational(1, 10) and sp.simplify(back - e) == 0


def test_shared_nodes_and_deep_trees():
    e, v = x, 0.1
    for _ in range(60):  # SymPy itself recurses on deeper trees; the bridge walks iteratively
        e = 1 / (1 + sp.exp(-e))
        v = 1 / (1 + math.exp(-v))
    node = from_sympy(e)
    assert math.isclose(value_at(node, {"x": 0.1}), v, rel_tol=1e-12)
    assert to_sympy(node) == e


def test_what_has_no_counterpart_is_a_clear_error():
    with pytest.raises(ChainError, match="no chainlens counterpart"):
        from_sympy(sp.Function("f")(x))
    with pytest.raises(ChainError, match="no chainlens counterpart"):
        from_sympy(sp.gamma(x))
    with pytest.raises(ChainError, match="no SymPy counterpart"):
        to_sympy(parse_expr("sum(x)"))
