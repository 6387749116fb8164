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

import functools

from chainlens.engine.api.pyfunc import is_python_function, program_of
from chainlens.engine.api.sympy_bridge import from_sympy, is_sympy
from chainlens.engine.health import analysis
from chainlens.engine.language import reader
from chainlens.engine.numeric import kernel
from chainlens.engine.numeric import paths as path_sums
from chainlens.engine.printing import shared
from chainlens.engine.symbolic import adjoints, check, derivatives
from chainlens.engine.symbolic.simplify import simplify as _simplify

__all__ = ["engine_input", "parse", "parse_expr", "diff", "gradient", "jacobian", "hessian",
           "backprop", "check_derivative", "simplify", "compile", "evaluate", "paths",
           "analyze", "render", "render_shared", "to_text", "to_unicode", "to_latex",
           "to_python"]


def engine_input(value):
    """``(what the engine reads, the function's parameters or None)``."""
    if is_sympy(value):
        return from_sympy(value), None
    if is_python_function(value):
        read = program_of(value)
        return read.program, read.params
    if isinstance(value, list | tuple) and any(map(is_sympy, value)):
        return type(value)(engine_input(v)[0] for v in value), None
    return value, None


def _wrt(wrt, params, *, first: bool = False):
    if wrt is not None or params is None:
        return wrt
    return params[:1] if first else params


def _door(engine_function, *, wrt_at: int | None = None, first: bool = False, args: int = 1):
    """``engine_function`` with its first ``args`` arguments read by
    :func:`engine_input`; a function's parameters fill ``wrt`` (positional
    index ``wrt_at``) when the caller gave none."""

    @functools.wraps(engine_function)
    def door(*positional, **keywords):
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

    door.__doc__ = (engine_function.__doc__ or "") + (
        "\n\n    Also takes a SymPy expression, or a Python function (read from its "
        "source, never called).")
    return door


def parse_expr(text):
    """The node of ``text`` in any notation, or of a SymPy expression."""
    if is_sympy(text):
        return from_sympy(text)
    return reader.parse_expr(text)


functools.update_wrapper(parse_expr, reader.parse_expr, assigned=("__doc__",))


def parse(source):
    """A Program from ``.chain`` text, or from a Python function (its source,
    read, never called) or a SymPy expression (one expression statement)."""
    if is_python_function(source):
        return program_of(source).program
    if is_sympy(source):
        return reader.parse(_text_of(from_sympy(source)))
    return reader.parse(source)


def _text_of(node) -> str:
    return shared.to_text(node, max_chars=None)


diff = _door(derivatives.diff, wrt_at=1, first=True)
gradient = _door(derivatives.gradient, wrt_at=1)
hessian = _door(derivatives.hessian, wrt_at=1)
jacobian = _door(derivatives.jacobian, wrt_at=1)
backprop = _door(adjoints.backprop)
check_derivative = _door(check.check_derivative, wrt_at=2, first=True, args=2)
simplify = _door(_simplify)
compile = _door(kernel.compile, wrt_at=1)
evaluate = _door(kernel.evaluate, wrt_at=2)
paths = _door(path_sums.paths)
analyze = _door(analysis.analyze)
render = _door(shared.render)
render_shared = _door(shared.render_shared)
to_text = _door(shared.to_text)
to_unicode = _door(shared.to_unicode)
to_latex = _door(shared.to_latex)
to_python = _door(shared.to_python)
