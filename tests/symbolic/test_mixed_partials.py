"""Symmetric mixed partials print identically (#17): the Hessian's two
orders of differentiation can reach different forms of one function; both
entries show the shorter."""

from __future__ import annotations

from chainlens.engine import hessian


def test_symmetric_mixed_partials_print_identically():
    for expr in ("atan(y/x)", "x^2*y^3", "sin(x*y)", "x^y", "log(x^2+y^2)", "(x+y)^3/(x-y)"):
        h = hessian(expr, ["x", "y"])
        assert h.matrix[0][1] is h.matrix[1][0], expr
