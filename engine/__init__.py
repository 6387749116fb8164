"""chainlens.engine: parse math, differentiate it with the chain rule, run
batched backward passes, and judge gradient health.

Pure functions that return frozen dataclasses: no I/O, no threads, no global
state beyond the node-interning cache.  The public names are loaded lazily so
that ``import chainlens.engine`` stays cheap for the language server's
start-up and for Dask workers.
"""

from __future__ import annotations

import importlib

from chainlens.engine.ir import Node, num, sym
from chainlens.engine.source import ChainError, LimitError, ParseError, ShapeError, Span

#: public name -> module that defines it
_LAZY = {
    "parse": "parse",
    "parse_expr": "parse",
    "Program": "program",
    "to_text": "printing",
    "to_unicode": "printing",
    "to_latex": "printing",
    "to_python": "printing",
    "render": "printing",
    "diff": "symbolic",
    "gradient": "symbolic",
    "jacobian": "symbolic",
    "hessian": "symbolic",
    "backprop": "symbolic",
    "simplify": "simplify",
    "check_derivative": "check",
    "compile": "numeric",
    "evaluate": "numeric",
    "paths": "paths",
    "analyze": "health",
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
