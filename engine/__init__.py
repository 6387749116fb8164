"""chainlens.engine: parse math, differentiate it with the chain rule, run
batched backward passes, and judge gradient health.

Pure functions that return frozen dataclasses: no I/O, no threads, no global
state beyond the node-interning cache.  The public names are loaded lazily so
that ``import chainlens.engine`` stays cheap for the language server's
start-up and for Dask workers.
"""

from __future__ import annotations

import importlib

from chainlens.engine.core.nodes import Node, num, sym
from chainlens.engine.core.source import ChainError, LimitError, ParseError, ShapeError, Span

#: public name -> module that defines it
_LAZY = {
    "parse": "language.reader",
    "parse_expr": "language.reader",
    "Program": "language.program",
    "to_text": "printing",
    "to_unicode": "printing",
    "to_latex": "printing",
    "to_python": "printing",
    "render": "printing",
    "diff": "symbolic.derivatives",
    "gradient": "symbolic.derivatives",
    "jacobian": "symbolic.derivatives",
    "hessian": "symbolic.derivatives",
    "backprop": "symbolic.adjoints",
    "simplify": "symbolic.simplify",
    "check_derivative": "symbolic.check",
    "compile": "numeric.kernel",
    "evaluate": "numeric.kernel",
    "paths": "numeric.paths",
    "analyze": "health.analysis",
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
