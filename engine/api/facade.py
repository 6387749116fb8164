"""The Python API's door: the engine functions ``chainlens.engine`` exports,
accepting what SymPy, JAX and PyTorch users hand them.

Each function here is the engine function of the same name with one more
step in front (:func:`engine_input`): besides text, a node or a program it
takes a SymPy expression (:func:`~chainlens.engine.api.sympy_bridge.from_sympy`)
or a Python function (read from its source by
:func:`~chainlens.engine.api.pyfunc.program_of`, never called).  A function's
parameters are the default variables: ``diff(f)`` is by the first one, as
``jax.grad(f)`` is; ``gradient(f)``/``compile(f)``/``hessian(f)`` by all of
them, in order.  No calculus lives here.
"""

from __future__ import annotations

import importlib
import inspect

from chainlens.engine.api.pyfunc import program_of
from chainlens.engine.api.sympy_bridge import from_sympy, is_sympy
from chainlens.engine.core.nodes import Node
from chainlens.engine.language import reader
from chainlens.engine.printing import to_text as _to_text

__all__ = ["engine_input", "parse", "parse_expr", "diff", "gradient", "jacobian", "hessian",
           "backprop", "check_derivative", "simplify", "compile", "evaluate", "paths",
           "analyze", "render", "render_shared", "to_text", "to_unicode", "to_latex",
           "to_python"]


def engine_input(value):
    """``(what the engine reads, the function's parameters or None)``."""
    if isinstance(value, str | Node):
        return value, None
    if is_sympy(value):
        return from_sympy(value), None
    if inspect.isfunction(value) or inspect.ismethod(value):
        read = program_of(value)
        return read.program, read.params
    if isinstance(value, list | tuple) and any(map(is_sympy, value)):
        return type(value)(engine_input(v)[0] for v in value), None
    return value, None


def _wrt(wrt, params, *, first: bool = False):
    if wrt is not None or params is None:
        return wrt
    return params[:1] if first else params


def _door(where: str, *, wrt_at: int | None = None, first: bool = False, args: int = 1):
    """The engine function ``where`` (``"module:name"`` under
    ``chainlens.engine``, imported on the first call, so ``import
    chainlens.engine`` stays cheap) with its first ``args`` arguments read by
    :func:`engine_input`; a Python function's parameters fill ``wrt``
    (positional index ``wrt_at``) when the caller gave none."""
    module, name = where.split(":")

    def door(*positional, **keywords):
        engine_function = getattr(importlib.import_module(f"chainlens.engine.{module}"), name)
        positional = list(positional)
        params = None
        for i in range(min(args, len(positional))):
            positional[i], p = engine_input(positional[i])
            params = params if params is not None else p
        if params is not None and wrt_at is not None:
            if len(positional) > wrt_at:
                positional[wrt_at] = _wrt(positional[wrt_at], params, first=first)
            else:
                keywords["wrt"] = _wrt(keywords.get("wrt"), params, first=first)
        return engine_function(*positional, **keywords)

    door.__name__ = door.__qualname__ = name
    door.__doc__ = (f"``chainlens.engine.{module}.{name}``, which also takes a SymPy "
                    "expression or a Python function (read from its source, never called) "
                    "where it takes text.")
    return door


def parse_expr(text):
    """The node of ``text`` in any notation the parser reads, or of a SymPy
    expression."""
    if is_sympy(text):
        return from_sympy(text)
    return reader.parse_expr(text)


def parse(source):
    """A Program from ``.chain`` text, or from a Python function (its source,
    read, never called) or a SymPy expression (one expression statement)."""
    if inspect.isfunction(source) or inspect.ismethod(source):
        return program_of(source).program
    if is_sympy(source):
        return reader.parse(_to_text(from_sympy(source), max_chars=None))
    return reader.parse(source)


diff = _door("symbolic.derivatives:diff", wrt_at=1, first=True)
gradient = _door("symbolic.derivatives:gradient", wrt_at=1)
hessian = _door("symbolic.derivatives:hessian", wrt_at=1)
jacobian = _door("symbolic.derivatives:jacobian", wrt_at=1)
backprop = _door("symbolic.adjoints:backprop")
check_derivative = _door("symbolic.check:check_derivative", wrt_at=2, first=True, args=2)
simplify = _door("symbolic.simplify:simplify")
compile = _door("numeric.kernel:compile", wrt_at=1)
evaluate = _door("numeric.kernel:evaluate", wrt_at=2)
paths = _door("numeric.paths:paths")
analyze = _door("health.recheck:analyze_checked")
render = _door("printing.shared:render")
render_shared = _door("printing.shared:render_shared")
to_text = _door("printing.shared:to_text")
to_unicode = _door("printing.shared:to_unicode")
to_latex = _door("printing.shared:to_latex")
to_python = _door("printing.shared:to_python")
