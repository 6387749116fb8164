"""The language server's only doorway into the engine.

Each function calls one engine entry point and shapes nothing but the
types; there is no calculus here.  The engine modules load lazily (the
server starts fast) and every call may raise: callers in
:mod:`chainlens.server.lsp.analysis` catch, log and degrade to a partial
result, so a document that breaks one engine path still gets the others.
(Numeric evaluation and gradient health run in a worker process: see
:mod:`chainlens.server.lsp.workers`.)
"""

from __future__ import annotations

import importlib
import logging

from chainlens.engine.core.nodes import Node

log = logging.getLogger("chainlens.lsp")

__all__ = ["parse_expr", "render", "derivative", "steps_markdown"]


def _module(name: str):
    return importlib.import_module(f"chainlens.engine.{name}")


def parse_expr(text: str) -> Node:
    return _module("language.reader").parse_expr(text)


def render(node: Node, notation: str) -> str:
    notation = {"unicode": "unicode", "latex": "latex", "text": "text",
                "python": "python"}.get(notation, "unicode")
    return _module("printing").render(node, notation)


def derivative(expr: Node, wrt: str):
    """The engine's Derivative (``.result .text .unicode .latex .steps
    .conditions``) of ``expr`` by ``wrt``."""
    return _module("symbolic.derivatives").diff(expr, wrt)


def steps_markdown(derivative, full: bool) -> str:
    """The chain-rule steps of a Derivative as Markdown (short or full)."""
    return _module("symbolic.step_text").markdown(derivative.steps, short=not full)
