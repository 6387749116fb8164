"""Names a Python text uses but never defines: the check that keeps a code
action from inserting code that fails when it is called.

``compile()`` accepts ``np.exp(x)`` in a file that never imported numpy as
``np``, and ``k`` in a generated function that dropped the keyword-only
parameter ``k``; both fail only when the function runs (red team F20, F38,
F39, F40).  So an edit is offered only when it adds no name that resolves
to nothing: every global a scope reads must be bound at module level
(import, ``def``, ``class``, assignment) or be a builtin.  The text is read
with :mod:`symtable` (a compiler table, nothing runs).
"""

from __future__ import annotations

import ast
import builtins
import symtable

__all__ = ["unresolved_names", "adds_unresolved", "signature_at"]

_BUILTINS = frozenset(dir(builtins)) | {"__file__", "__name__", "__doc__", "__spec__",
                                        "__builtins__", "__loader__", "__package__"}


def unresolved_names(text: str) -> frozenset[str] | None:
    """The globals ``text`` reads that nothing binds; None when that cannot
    be known (a syntax error, or ``from m import *`` binding unknown names)."""
    try:
        top = symtable.symtable(text, "<edit>", "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    bound = {s.get_name() for s in top.get_symbols() if s.is_local()}
    if "*" in bound or any(s.get_name() == "*" for s in top.get_symbols()):
        return None
    used: set[str] = set()
    stack = [top]
    while stack:
        table = stack.pop()
        used |= {s.get_name() for s in table.get_symbols()
                 if s.is_referenced() and s.is_global() and not
                 (table is not top and s.is_local())}
        stack += table.get_children()
    return frozenset(used - bound - _BUILTINS)


def adds_unresolved(before: str, after: str) -> frozenset[str]:
    """The names ``after`` reads unbound that ``before`` did not (empty when
    either cannot be known: the edit is then judged by ``compile`` alone)."""
    old, new = unresolved_names(before), unresolved_names(after)
    if old is None or new is None:
        return frozenset()
    return new - old


def signature_at(text: str, line: int, name: str) -> tuple[str, tuple[str, ...]] | None:
    """The parameter list of ``def name`` starting at (0-based) ``line``,
    exactly as written (defaults, ``*``, keyword-only, ``self``), and the
    decorators a generated sibling must keep (``staticmethod``,
    ``classmethod``); None when that ``def`` is not found."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            first = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
            if first <= line <= node.lineno - 1:
                keep = tuple(d.id for d in node.decorator_list if isinstance(d, ast.Name)
                             and d.id in ("staticmethod", "classmethod"))
                return ast.unparse(node.args), keep
    return None
