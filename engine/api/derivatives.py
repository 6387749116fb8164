"""The derivatives a door shows for a document unit or a program name.

Editors and the command line ask the same questions: "the gradient of this
``def`` by its parameters", "∂L/∂z through the program's own names".  The
answers are engine derivatives (:func:`chainlens.engine.symbolic.derivatives.diff`);
this module only decides *which* derivatives a unit asks for, so the hover
and ``chainlens diff model.py`` agree.
"""

from __future__ import annotations

from chainlens.engine.api.inputs import order as valid_order
from chainlens.engine.api.inputs import wrt_names
from chainlens.engine.core.nodes import Node, sym
from chainlens.engine.core.walk import free_symbols, substitute
from chainlens.engine.frontends.document import Unit
from chainlens.engine.language.program import Program
from chainlens.engine.symbolic.derivatives import diff

__all__ = ["unit_variables", "unit_derivatives", "variable_of", "in_terms_of"]


def unit_variables(unit: Unit, wrt=None) -> tuple[str, ...]:
    """What a unit is differentiated by: ``wrt`` (validated against the
    unit's variables), else its parameters that its result uses, else every
    variable of the result."""
    names = free_symbols(unit.expr)
    if wrt not in (None, "", [], ()):
        return wrt_names(wrt, names)
    params = tuple(p for p in unit.params if p in names)
    return params or tuple(unit.program.wrt) or tuple(names)


def variable_of(expr: Node, default: str = "x") -> str:
    """The variable a bare expression is differentiated by: its only one,
    else ``default`` when it has it, else its first."""
    names = free_symbols(expr)
    if len(names) == 1 or default not in names:
        return names[0]
    return default


def unit_derivatives(unit: Unit, wrt=None, order: int = 1, simplify: bool = True) -> tuple:
    """The Derivative of the unit's result by each of :func:`unit_variables`."""
    order = valid_order(order)
    expr = unit.expr
    return tuple(diff(expr, v, order=order, simplify=simplify)
                 for v in unit_variables(unit, wrt))


def in_terms_of(program: Program, name: str, out: str) -> Node:
    """``out`` with the assignments *after* ``name`` inlined and the earlier
    ones kept as names: ∂out/∂name is then an ordinary derivative, the way
    backprop is written by hand (∂L/∂z = 2(a - y)·σ'(z))."""
    if name not in program.names:
        return program.expanded(out)
    idx = program.names.index(name)
    env: dict[Node, Node] = {}
    for a in program.assignments[idx + 1:]:
        env[sym(a.name)] = substitute(a.expr, env)
        if a.name == out:
            break
    return env.get(sym(out), sym(out))
