"""``diff``, ``gradient``, ``jacobian`` and ``hessian``: the chain rule
(:mod:`chainlens.engine.symbolic.chain`) then the simplifier, with the
work bounded (order, size of the derivative) and recent derivatives kept
(an editor asks for the same hover again and again)."""

from __future__ import annotations

from chainlens.engine.core import limits
from chainlens.engine.core.cache import Cache
from chainlens.engine.core.nodes import ZERO, Node
from chainlens.engine.core.source import ChainError, LimitError
from chainlens.engine.core.walk import count_nodes, free_symbols
from chainlens.engine.language.program import Program
from chainlens.engine.language.reader import parse
from chainlens.engine.symbolic.chain import derive
from chainlens.engine.symbolic.coerce import as_node, one_wrt, wrt_list
from chainlens.engine.symbolic.cost import cost
from chainlens.engine.symbolic.results import Derivative, Gradient, Hessian, Jacobian
from chainlens.engine.symbolic.simplify import simplify_traced

__all__ = ["diff", "diff_node", "gradient", "jacobian", "hessian"]


def diff(expr, wrt=None, *, order: int = 1, simplify: bool = True) -> Derivative:
    """d^order ``expr`` / d ``wrt``^order.

    ``expr`` is text (any notation the parser reads), a node or a program
    (its output, expanded in the inputs).  ``wrt`` defaults to the only
    variable.  The result is simplified to textbook form unless
    ``simplify=False``."""
    node, declared = as_node(expr)
    var = one_wrt(wrt, node, declared)
    return diff_node(node, var, order, simplify)


#: The most recent derivatives (an editor asks for the same hover again and
#: again).  Bounded: results hold their expressions alive.
_RECENT: Cache = Cache(max_entries=256)


def diff_node(node: Node, var: str, order: int = 1, simplify: bool = True) -> Derivative:
    key = (node, var, order, simplify)
    hit = _RECENT.get(key)
    if hit is not None:
        return hit
    return _RECENT.put(key, _compute(node, var, order, simplify))


def _compute(node: Node, var: str, order: int, simplify: bool) -> Derivative:
    if not isinstance(order, int) or order < 1:
        raise ChainError(f"the order of a derivative is a positive integer, not {order!r}")
    if order > limits.MAX_ORDER:
        raise LimitError(f"derivatives of order {order} are beyond the limit of "
                         f"{limits.MAX_ORDER}")
    passes = []
    current = node
    rewrites: list[str] = []
    assumptions: list = []
    raw = current
    for k in range(1, order + 1):
        raw, fwd = derive(current, var)
        _check_size(raw, k, order)
        if simplify:
            s = simplify_traced(raw)
            out, fired = s.node, s.rewrites
            assumptions.extend(s.assumptions)
            rewrites.extend(r for r in fired if r not in rewrites)
        else:
            out, fired = raw, ()
        passes.append((current, raw, fwd, out, fired))
        current = out
    return Derivative(node, var, order, current, raw, tuple(rewrites), tuple(passes),
                      tuple(assumptions))


def _check_size(node: Node, k: int, order: int) -> None:
    size = count_nodes(node)
    if size > limits.MAX_DERIVATIVE_NODES:
        what = "the derivative" if order == 1 else f"derivative {k} of {order}"
        raise LimitError(f"{what} has {size:,} distinct nodes, beyond the limit of "
                         f"{limits.MAX_DERIVATIVE_NODES:,}",
                         hint="ask for a lower order, or evaluate it numerically "
                              "(chainlens grad)")


def gradient(expr, wrt=None, *, simplify: bool = True) -> Gradient:
    """The gradient over ``wrt`` (default: every variable, sorted)."""
    node, declared = as_node(expr)
    names = wrt_list(wrt, node, declared)
    return Gradient(node, names, tuple(diff_node(node, v, 1, simplify) for v in names))


def jacobian(exprs, wrt=None, *, simplify: bool = True) -> Jacobian:
    """The Jacobian of several outputs: a sequence of expressions, or a
    program (each of its outputs, expanded)."""
    if isinstance(exprs, str):
        exprs = parse(exprs)
    declared: tuple[str, ...] = ()
    if isinstance(exprs, Program):
        declared = tuple(exprs.wrt)
        nodes = tuple(exprs.expanded(o) for o in exprs.outputs)
    else:
        nodes = tuple(as_node(e)[0] for e in exprs)
    if wrt is None:
        names = declared or free_symbols(nodes)
    else:
        names = wrt_list(wrt, nodes[0] if nodes else ZERO, declared)
    rows = tuple(Gradient(n, names, tuple(diff_node(n, v, 1, simplify) for v in names))
                 for n in nodes)
    return Jacobian(nodes, names, rows)


def hessian(expr, wrt=None, *, simplify: bool = True) -> Hessian:
    node, declared = as_node(expr)
    names = wrt_list(wrt, node, declared)
    first = [diff_node(node, v, 1, simplify).result for v in names]
    rows = [[diff_node(g, v, 1, simplify).result for v in names] for g in first]
    # ∂²f/∂x∂y = ∂²f/∂y∂x where f is twice differentiable (Schwarz), but the
    # two orders can reach different forms: both entries print the shorter.
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            a, b = rows[i][j], rows[j][i]
            if a is not b:
                rows[i][j] = rows[j][i] = min(a, b, key=lambda n: (cost(n), n.sort_key))
    return Hessian(node, names, tuple(tuple(r) for r in rows))
