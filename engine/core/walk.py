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


def postorder(roots: Node | Iterable[Node], enter=None, skip=None,
              leaves: bool = True) -> list[Node]:
    """Every node reachable from ``roots``, each once, children before
    parents.  Iterative, so depth is limited only by memory.  With
    ``enter``, a child for which ``enter(child)`` is false is neither
    descended into nor listed (roots always are): a pass that only needs
    part of a DAG walks only that part.  ``skip`` (a set or dict) does the
    same for the children in it, and ``leaves=False`` for childless
    children, without a Python call per node."""
    global _last
    if isinstance(roots, Node):
        if enter is None and skip is None and leaves:
            last = _last  # one read: another thread may replace the (root, order) pair
            if last[0] is roots:
                return list(last[1])
            order = _walk((roots,), None, True)
            _last = (roots, order)
            return list(order)
        roots = (roots,)
    if enter is None:
        return _walk(roots, skip, leaves)
    # One (node, iterator over its children) per level; leaves are listed
    # without a frame of their own.  The order is exactly the recursive one.
    seen: set[int] = set()
    mark = seen.add
    order: list[Node] = []
    emit = order.append
    for root in roots:
        if id(root) in seen:
            continue
        if not root.args:
            mark(id(root))
            emit(root)
            continue
        stack = [(root, iter(root.args))]
        push = stack.append
        while stack:
            node, children = stack[-1]
            for child in children:
                if id(child) in seen:
                    continue
                if (skip is not None and child in skip) or not enter(child):
                    mark(id(child))
                    continue
                if child.args:
                    push((child, iter(child.args)))
                    break
                mark(id(child))
                if leaves:
                    emit(child)
            else:
                stack.pop()
                mark(id(node))
                emit(node)
    return order


def _walk(roots, skip, leaves: bool) -> list[Node]:
    """:func:`postorder` without ``enter`` (every caller but one): the same
    order, each child's id taken once, and no test for an absent ``skip``
    per child (the walks of small results are most of a request)."""
    seen: set[int] = set()
    mark = seen.add
    order: list[Node] = []
    emit = order.append
    # A node is marked when first reached, not when listed: in a DAG no
    # node is reached again while its own children are being walked.
    for root in roots:
        if id(root) in seen:
            continue
        mark(id(root))
        if not root.args:
            emit(root)
            continue
        stack = [(root, iter(root.args))]
        push = stack.append
        pop = stack.pop
        while stack:
            node, children = stack[-1]
            for child in children:
                cid = id(child)
                if cid in seen:
                    continue
                mark(cid)
                if skip is not None and child in skip:
                    continue
                if child.args:
                    push((child, iter(child.args)))
                    break
                if leaves:
                    emit(child)
            else:
                pop()
                emit(node)
    return order


#: The last whole walk of one root: a result is walked by the printer
#: right after its flat length is estimated (and by other passes of one
#: request).  One slot, the root held strongly so its id cannot be reused;
#: callers get a copy of the list.
_last: tuple = (None, [])


def free_symbols(root: Node | Iterable[Node]) -> tuple[str, ...]:
    """Names of the variables in ``root``, sorted."""
    return tuple(sorted({n.value for n in postorder(root) if n.op == "sym"}))


def count_nodes(root: Node | Iterable[Node]) -> int:
    """Number of distinct nodes (the size of the DAG, not of the tree).
    A count needs no order: an unordered walk, cheaper than the postorder."""
    roots = (root,) if isinstance(root, Node) else tuple(root)
    seen = {id(r) for r in roots}
    mark = seen.add
    stack = [r for r in roots if r.args]
    push = stack.append
    pop = stack.pop
    while stack:
        for a in pop().args:
            if id(a) not in seen:
                mark(id(a))
                if a.args:
                    push(a)
    return len(seen)


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
