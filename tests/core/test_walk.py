"""postorder: every node once, children first, in the order of the plain
recursive walk, with and without ``skip``, ``leaves`` and ``enter`` (the
printer, simplifier and chain rule all follow this order, and the printed
results with them)."""

import random

from chainlens.engine.core.ir import add, call, mul, power
from chainlens.engine.core.nodes import num, sym
from chainlens.engine.core.walk import postorder


def reference(roots, skip=(), leaves=True, enter=None):
    seen, out = set(), []

    def visit(n, is_root):
        if id(n) in seen:
            return
        seen.add(id(n))
        if not is_root and (n in skip or (enter is not None and not enter(n))):
            return
        for a in n.args:
            visit(a, False)
        if is_root or n.args or leaves:
            out.append(n)

    for r in roots:
        visit(r, True)
    return out


def random_dag(rng, size):
    x, y = sym("x"), sym("y")
    pool, made = [x, y, num(2), num(3)], []
    for _ in range(size):
        a, b = rng.choice(pool), rng.choice(pool)
        k = rng.random()
        n = add(a, b) if k < .3 else mul(a, b) if k < .6 else call("sin", a) if k < .8 \
            else power(a, num(rng.randint(2, 4)))
        pool.append(n)
        made.append(n)
        if len(pool) > 40:
            pool.pop(rng.randrange(4, len(pool)))
    return made


def test_postorder_is_the_recursive_order():
    rng = random.Random(11)
    made = random_dag(rng, 1500)
    for i in range(0, len(made), 5):
        roots = [rng.choice(made) for _ in range(rng.randint(1, 4))]
        skip = set(rng.sample(made[:i + 1], min(i + 1, rng.randint(0, 20))))
        assert postorder(roots[0]) == reference(roots[:1])
        assert postorder(roots[0]) == reference(roots[:1])  # the cached last walk, copied
        for leaves in (True, False):
            assert postorder(tuple(roots), skip=skip, leaves=leaves) == \
                reference(roots, skip, leaves)
            assert postorder(tuple(roots), skip=dict.fromkeys(skip), leaves=leaves) == \
                reference(roots, skip, leaves)
        enter = lambda n: n.op != "sin"  # noqa: E731
        assert postorder(tuple(roots), enter=enter) == reference(roots, enter=enter)
