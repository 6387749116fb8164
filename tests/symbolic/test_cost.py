"""The textbook stage prices an expanded form before building it
(symbolic/cost.expanded_cost) and skips one that cannot be shorter: the
price must be the built form's cost exactly, or 0 (no price)."""

import json
import random
from pathlib import Path

from chainlens.engine.core.ir import add, call, mul, power
from chainlens.engine.core.nodes import HALF, E, num, sym
from chainlens.engine.core.walk import postorder
from chainlens.engine.symbolic.chain import derive
from chainlens.engine.symbolic.cost import cost, expanded_cost
from chainlens.engine.symbolic.poly import Atoms, from_node, to_node
from chainlens.engine.symbolic.textbook import _content

EXERCISES = Path(__file__).resolve().parents[1] / "textbook" / "exercises.json"
x, y = sym("x"), sym("y")


def _check(node) -> int:
    """Checks every sum/product/power of ``node``; returns how many were priced."""
    priced = 0
    for n in postorder(node):
        if n.op not in ("add", "mul", "pow"):
            continue
        atoms = Atoms()
        p = from_node(n, atoms)
        if p is None:
            continue
        costs: dict = {}
        got = expanded_cost(p, atoms, costs)
        if got:
            assert got == cost(_content(to_node(p, atoms), costs), costs), n
            priced += 1
    return priced


def test_the_price_of_an_expanded_form_is_its_built_cost():
    from chainlens.engine.language.reader import parse_expr

    priced = 0
    for ex in json.loads(EXERCISES.read_text()):
        raw, _ = derive(parse_expr(ex["expression"]), ex["var"])
        priced += _check(raw)
    assert priced > 100


def test_merging_atoms_are_priced_exactly_or_not_at_all():
    # atoms sharing a base (x and 1/x, x and sqrt(x)), powers of powers,
    # e^2 = exp(2), sqrt(2)^2 = 2, numbers: the cases where building merges
    pool = [x, y, add(x, num(1)), power(x, num(-1)), power(x, HALF), power(x, num(13)),
            E, power(num(2), HALF), call("sin", x), power(call("exp", x), num(-2)),
            power(mul(x, y), num(5)), power(add(x, y), num(2)), num(3), num(-1)]
    rng = random.Random(17)
    priced = 0
    for _ in range(3000):
        terms = [mul(*rng.sample(pool, rng.randint(1, 3))) for _ in range(rng.randint(1, 3))]
        node = add(*terms) if rng.random() < 0.5 else mul(*(add(t, num(1)) for t in terms))
        priced += _check(node)
    assert priced > 1000
