"""Walking the expression DAG: every node once, children first.

Iterative, so the depth of a DAG (a 1,000-layer program) is limited only by
memory, never by Python's stack.  Rewrites (:func:`substitute`) rebuild each
shared node once, through the constructors of :mod:`chainlens.engine.core.ir`,
so their results are canonical and interned like any other node.
"""

from __future__ import annotations

from collections.abc import Iterable

from chainlens.engine.core.ir import call
from chainlens.engine.core.nodes import Node

__all__ = ["postorder", "free_symbols", "count_nodes", "depth", "rebuild", "substitute"]


def postorder(roots: Node | Iterable[Node], enter=None) -> list[Node]:
    """Every node reachable from ``roots``, each once, children before
    parents.  Iterative, so depth is limited only by memory.  With
    ``enter``, a child for which ``enter(child)`` is false is neither
    descended into nor listed (roots always are): a pass that only needs
    part of a DAG walks only that part."""
    if isinstance(roots, Node):
        roots = (roots,)
    seen: set[int] = set()
    order: list[Node] = []
    for root in roots:
        if id(root) in seen:
            continue
        stack: list[tuple[Node, int]] = [(root, 0)]
        while stack:
            node, i = stack[-1]
            if i < len(node.args):
                stack[-1] = (node, i + 1)
                child = node.args[i]
                if id(child) not in seen:
                    if enter is None or enter(child):
                        stack.append((child, 0))
                    else:
                        seen.add(id(child))
            else:
                stack.pop()
                if id(node) not in seen:
                    seen.add(id(node))
                    order.append(node)
    return order


def free_symbols(root: Node | Iterable[Node]) -> tuple[str, ...]:
    """Names of the variables in ``root``, sorted."""
    return tuple(sorted({n.value for n in postorder(root) if n.op == "sym"}))


def count_nodes(root: Node | Iterable[Node]) -> int:
    """Number of distinct nodes (the size of the DAG, not of the tree)."""
    return len(postorder(root))


def depth(root: Node) -> int:
    """Longest path from ``root`` to a leaf."""
    d: dict[int, int] = {}
    for node in postorder(root):
        d[id(node)] = 1 + max((d[id(a)] for a in node.args), default=0)
    return d[id(root)]


def rebuild(node: Node, args: tuple[Node, ...]) -> Node:
    """``node`` with new children, re-canonicalised through the constructors."""
    if args == node.args:
        return node
    if node.op in ("num", "sym", "pi"):
        return node
    return call(node.op, *args)


def substitute(root: Node, mapping: dict[Node, Node]) -> Node:
    """Replace sub-expressions (usually symbols) by others, bottom-up, each
    shared node rewritten once."""
    if not mapping:
        return root
    memo: dict[int, Node] = {}
    for node in postorder(root):
        if node in mapping:
            memo[id(node)] = mapping[node]
        elif not node.args:
            memo[id(node)] = node
        else:
            memo[id(node)] = rebuild(node, tuple(memo[id(a)] for a in node.args))
    return memo[id(root)]
