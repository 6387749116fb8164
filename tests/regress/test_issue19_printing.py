"""Issue #19, printing items: Python identifiers and big Python sources."""

import math

import numpy as np
import pytest
from chainlens.engine import diff
from chainlens.engine.core.ir import add, call
from chainlens.engine.core.nodes import sym
from chainlens.engine.printing import python_identifiers, to_python


def _run(source: str, env: dict):
    # the source is generated from the IR by the printer, never user text
    return eval(compile(source, "<generated>", "eval"), {"np": np, "math": math, **env})


def test_greek_identifiers_stay_valid_and_distinct():
    # `def f(α, β)` printed `d_α = _ * np.cos(_)`
    from chainlens.engine.frontends.python_source import read_python

    (unit,) = read_python("import numpy as np\ndef f(α, β):\n    return np.sin(α * β)\n").units
    expr = unit.program.expanded(unit.program.outputs[0])
    source = to_python(diff(expr, "α").result)
    assert "α" in source and "β" in source and "_" not in source
    assert _run(source, {"α": 0.3, "β": 2.0}) == pytest.approx(2.0 * math.cos(0.6))


def test_names_never_collide():
    names = ["a@3", "a_v3", "np", "np_", "ﬁ", "fi", "x-y", "x_y"]
    idents = python_identifiers(names)
    assert len(set(idents.values())) == len(names)
    assert all(i.isidentifier() for i in idents.values())
    assert idents["fi"] == "fi" and idents["ﬁ"] != "fi"  # Python reads ﬁ as fi (NFKC)
    # stable: the same names give the same identifiers
    assert python_identifiers(list(reversed(names))) == idents
    node = add(*(sym(n) for n in names))
    env = {idents[n]: float(i) for i, n in enumerate(names)}
    assert _run(to_python(node), env) == sum(range(len(names)))


def _doubling(layers):
    e = sym("x")
    for _ in range(layers):
        e = add(call("sin", e), call("cos", e))
    return e


def test_big_python_renders_shared_subexpressions_and_runs():
    # above 20,000 characters the Python printer raised LimitError
    node = _doubling(60)
    source = to_python(node)
    assert len(source) < 20_000
    expected = 0.25
    for _ in range(60):
        expected = math.sin(expected) + math.cos(expected)
    assert _run(source, {"x": 0.25}) == pytest.approx(expected, rel=1e-12)


def test_python_that_cannot_fit_says_so_in_a_comment():
    node = add(*(call("sin", sym(f"x{i}")) for i in range(400)))  # nothing shared
    source = to_python(node, max_chars=1000)
    assert source.startswith("None  # chainlens:") and "\n" not in source
    assert _run(source, {}) is None
