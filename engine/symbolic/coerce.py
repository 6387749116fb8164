"""Inputs of the symbolic functions: text (any notation the parser
reads), a node or a program, and the variables to differentiate by."""

from __future__ import annotations

from chainlens.engine.core.nodes import Node
from chainlens.engine.core.source import ChainError
from chainlens.engine.core.walk import free_symbols
from chainlens.engine.language.fastexpr import fast_expr
from chainlens.engine.language.program import Program
from chainlens.engine.language.reader import parse

__all__ = ["as_node", "one_wrt", "wrt_list"]


def as_node(expr) -> tuple[Node, tuple[str, ...]]:
    """``(node, declared wrt)`` for a string, node or program."""
    if isinstance(expr, Node):
        return expr, ()
    if isinstance(expr, str):
        node = fast_expr(expr)  # a plain expression: no program, no lark
        if node is not None:
            return node, ()
        expr = parse(expr)
    if isinstance(expr, Program):
        if len(expr.outputs) != 1:
            raise ChainError(
                f"the program has {len(expr.outputs)} outputs "
                f"({', '.join(expr.outputs) or 'none'}); differentiate one of them",
                hint="add an `@output NAME` line, or use jacobian() for several outputs")
        return expr.expr, tuple(expr.wrt)
    raise TypeError(f"cannot differentiate a {type(expr).__name__}")


def wrt_list(wrt, node: Node, declared: tuple[str, ...]) -> tuple[str, ...]:
    if wrt is None:
        return declared or free_symbols(node)
    if isinstance(wrt, Node):
        return (wrt.value,)
    if isinstance(wrt, str):
        if "," not in wrt:  # one name (the common case), without a generator
            w = wrt.strip()
            return (w,) if w else ()
        return tuple(w.strip() for w in wrt.split(",") if w.strip())
    return tuple(w.value if isinstance(w, Node) else str(w) for w in wrt)


def one_wrt(wrt, node: Node, declared: tuple[str, ...]) -> str:
    names = wrt_list(wrt, node, declared)
    if len(names) == 1:
        return names[0]
    if not names:
        raise ChainError("the expression has no variables to differentiate by",
                         hint="name one, e.g. wrt='x'")
    raise ChainError(f"which variable? the expression has {', '.join(names)}",
                     hint=f"name one, e.g. wrt='{names[0]}', or use gradient()")
