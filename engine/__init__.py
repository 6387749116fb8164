"""chainlens.engine: parse math, differentiate it with the chain rule, run
batched backward passes, and judge gradient health.

Pure functions that return frozen dataclasses: no I/O, no threads, no global
state beyond the node-interning cache.  The public names are loaded lazily so
that ``import chainlens.engine`` stays cheap for the language server's
start-up and for Dask workers.  The functions come through
:mod:`chainlens.engine.api.facade`, which also takes SymPy expressions and
Python functions (read from their source, never called) wherever text goes.
"""

from __future__ import annotations

import importlib

from chainlens.engine.core.nodes import Node, num, sym
from chainlens.engine.core.source import ChainError, LimitError, ParseError, ShapeError, Span

#: public name -> module that defines it
_LAZY = {
    "parse": "api.facade",
    "parse_expr": "api.facade",
    "Program": "language.program",
    "to_text": "api.facade",
    "to_unicode": "api.facade",
    "to_latex": "api.facade",
    "to_python": "api.facade",
    "render": "api.facade",
    "render_shared": "api.facade",
    "diff": "api.facade",
    "gradient": "api.facade",
    "jacobian": "api.facade",
    "hessian": "api.facade",
    "backprop": "api.facade",
    "simplify": "api.facade",
    "check_derivative": "api.facade",
    "compile": "api.facade",
    "evaluate": "api.facade",
    "paths": "api.facade",
    "analyze": "api.facade",
    "from_sympy": "api.sympy_bridge",
    "to_sympy": "api.sympy_bridge",
}

__all__ = ["Node", "num", "sym", "ChainError", "ParseError", "ShapeError", "LimitError", "Span",
           *_LAZY]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'chainlens.engine' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"chainlens.engine.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(__all__)
