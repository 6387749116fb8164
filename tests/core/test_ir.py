"""The DAG's promises: interning, canonical forms, exact constants, and
traversals that do not depend on Python's recursion limit."""

import pickle
from fractions import Fraction

import pytest
from chainlens.engine.core.ir import add, call, div, mul, neg, power, sub
from chainlens.engine.core.nodes import ONE, ZERO, num, sym
from chainlens.engine.core.walk import count_nodes, depth, free_symbols, postorder, substitute

x, y = sym("x"), sym("y")


def test_structurally_equal_expressions_are_one_node():
    a = div(ONE, add(ONE, call("exp", neg(x))))
    b = div(ONE, add(call("exp", mul(num(-1), x)), num(1)))
    assert a is b
    assert hash(a) == hash(b)


@pytest.mark.parametrize(
    ("built", "expected"),
    [
        (add(x, x), mul(num(2), x)),
        (add(mul(num(2), x), mul(num(3), x)), mul(num(5), x)),
        (mul(x, power(x, num(2))), power(x, num(3))),
        (mul(x, power(x, num(-1))), ONE),
        (sub(x, x), ZERO),
        (power(x, ZERO), ONE),
        (power(x, ONE), x),
        (power(num(4), num(Fraction(1, 2))), num(2)),
        (power(num(2), num(-2)), num(Fraction(1, 4))),
        (power(power(x, num(2)), num(3)), power(x, num(6))),
        (power(mul(num(2), x), num(2)), mul(num(4), power(x, num(2)))),
        (div(x, num(3)), mul(num(Fraction(1, 3)), x)),
        (mul(num(0), call("sin", x)), ZERO),
    ],
)
def test_constructors_canonicalise(built, expected):
    assert built is expected


def test_fractional_powers_of_powers_are_not_merged():
    # (x^2)^(1/2) is |x|, not x: only integer outer exponents merge.
    assert power(power(x, num(2)), num(Fraction(1, 2))).op == "pow"
    assert power(power(x, num(2)), num(Fraction(1, 2))).args[0] is power(x, num(2))


def test_constants_are_exact():
    assert num("0.1").value == Fraction(1, 10)
    assert num("1e-3").value == Fraction(1, 1000)
    assert add(num(Fraction(1, 3)), num(Fraction(1, 6))) is num(Fraction(1, 2))


def test_huge_powers_are_left_unevaluated():
    big = power(num(10), num(100000))
    assert big.op == "pow"


def test_pickle_reinterns():
    e = call("sin", add(power(x, num(2)), y))
    assert pickle.loads(pickle.dumps(e)) is e


def test_deep_chain_is_linear_and_traversal_is_iterative():
    e = x
    for _ in range(5000):
        e = call("sigmoid", add(mul(y, e), ONE))
    assert count_nodes(e) < 5000 * 4 + 10
    assert depth(e) > 5000
    assert postorder(e)[-1] is e
    assert free_symbols(e) == ("x", "y")


def test_substitute_rewrites_shared_nodes_once():
    e = add(call("sin", x), power(call("sin", x), num(2)))
    assert substitute(e, {x: y}) is add(call("sin", y), power(call("sin", y), num(2)))


def test_hash_is_stable_across_processes():
    import subprocess
    import sys

    code = ("from chainlens.engine.core.ir import *; from chainlens.engine.core.nodes import *; "
            "print(hash(call('sin', sym('x')) + sym('y')))")
    outs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={"PYTHONHASHSEED": seed}, check=True).stdout
        for seed in ("1", "2")
    }
    assert len(outs) == 1


def test_powers_of_e_are_exponentials():
    from chainlens.engine.core.nodes import E

    assert power(E, x) is call("exp", x)
    assert mul(E, E) is call("exp", num(2))
