"""The Python printer's source runs with only numpy and math in scope and
computes what the rules table's forwards compute."""

import math

import numpy as np
from chainlens.engine.core.walk import free_symbols
from chainlens.engine.printing import display_symbol, render, to_python
from hypothesis import given
from printing_strategies import NAMES, evaluate, expressions

POINT = np.array([-1.3, -0.4, 0.2, 0.7, 1.9])


@given(expressions())
def test_python_source_computes_the_tables_forward(expr):
    env = {name: POINT + 0.1 * i for i, name in enumerate(NAMES)}
    scope = {"np": np, "math": math}
    scope.update({display_symbol(n, "python"): env[n] for n in free_symbols(expr)})
    with np.errstate(all="ignore"):
        expected = np.broadcast_to(np.asarray(evaluate(expr, env), dtype=float), POINT.shape)
        # generated from the IR's closed set of primitives, never from user text
        got = np.broadcast_to(
            np.asarray(eval(to_python(expr), scope), dtype=float), POINT.shape)  # noqa: S307
    assert np.allclose(got, expected, rtol=1e-9, atol=1e-12, equal_nan=True)


@given(expressions())
def test_every_notation_prints_every_expression_with_balanced_brackets(expr):
    for notation in ("text", "unicode", "latex"):
        out = render(expr, notation)
        for opening, closing in ("()", "{}", ("\\left", "\\right")):
            assert out.count(opening) == out.count(closing), (notation, out)
