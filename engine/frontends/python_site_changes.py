"""Statements before a construction: which names they set, which they change.

A class built inside a function (``def make_model(N=6): c = copy.deepcopy;
attn = Attn(h, d); return Model(Encoder(c(attn), N))``) reads its
arguments from the statements before it.  :func:`run_before` reads the
ones the construction depends on (a backward slice of plain assignments
and simple builder loops) as ``__init__``'s are; any name another
statement changes after that (``cfg.depth = 2``, ``sizes[0] = 2``, a name
stored in a branch not known to run) becomes :class:`Changed`, so a stale
value is never read.  :func:`top_history` gives the same account of the
module's top level.  Split from :mod:`python_sites` (which finds the
construction and evaluates its arguments).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from chainlens.engine.core.limits import MAX_REPEAT
from chainlens.engine.frontends.python_site_options import parses
from chainlens.engine.frontends.python_values import Const, Items, Tup, Unknown

if TYPE_CHECKING:
    from chainlens.engine.frontends.python_sites import Scope

__all__ = ["Changed", "run_before", "inside_loop", "top_history", "is_main_guard"]


class Changed(Unknown):
    """A value the site gives but the file changes before the call
    (``cfg.depth = 2``): unknown, and never replaced by the parameter's
    default or a config class's defaults (:meth:`InitReader._bind`)."""

    given = True


def run_before(stmts: list, made: ast.Call, scope: Scope, init, env: dict) -> None:
    """The statements among ``stmts`` that ``made`` depends on, read into
    ``env`` as ``__init__``'s are (plain assignments; a ``for`` over a
    written range that only assigns and appends, as a builder's ``blocks =
    []; for _ in range(n): blocks.append(Block(d))``); a name any other
    statement changes after its last such reading is :class:`Changed`."""
    ran: set[int] = set()
    for stmt in _slice(stmts, made):
        if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name) and parses(stmt.value, scope.parsers)
                and stmt.targets[0].id in scope.options):
            env[stmt.targets[0].id] = init.value(scope.options[stmt.targets[0].id], {}, None)
            continue
        try:
            if isinstance(stmt, ast.For):
                if _run_loop(stmt, env, init):
                    ran.add(id(stmt))
            else:
                init.statement(stmt, env, None)
        except Exception:  # noqa: BLE001 - a statement the site reader cannot read
            continue  # leaves its names unknown (never a guess)
    final: dict[str, int | None] = {}
    fixed = _unchanged_flags(stmts, env)
    for stmt in stmts:  # a name changed after its last plain assignment
        for name, _ in _plain(stmt) or ():
            final[name] = None
        for name in _changed(_branch_taken(stmt, fixed, init, env)):
            final[name] = None if id(stmt) in ran else stmt.lineno
    for name, at in final.items():
        if at is not None:
            env[name] = Changed(f"{name} is changed at line {at} before it is used: its "
                                "value there is not read")


def _unchanged_flags(stmts: list, env: dict) -> set[str]:
    """Names of ``env`` that no statement of ``stmts`` stores or changes
    (a builder's ``pretrained=False``): their value holds at every line."""
    touched: set[str] = set()
    for stmt in stmts:
        touched |= {name for name, _ in _plain(stmt) or ()} | _changed(stmt)
    return {name for name in env if name not in touched}


def _branch_taken(stmt: ast.stmt, fixed: set[str], init, env: dict):
    """``stmt``, or for an ``if`` whose test reads only :func:`_unchanged_flags`
    and evaluates to a constant, the branch that runs (torchvision's ``if
    pretrained: kwargs['init_weights'] = False`` with ``pretrained=False``
    changes nothing); the ``if`` itself when the test is not known."""
    if not isinstance(stmt, ast.If):
        return stmt
    names = {n.id for n in ast.walk(stmt.test) if isinstance(n, ast.Name)}
    if not names or not names <= fixed:
        return stmt
    try:
        test = init.value(stmt.test, env, None)
    except Exception:  # noqa: BLE001 - a test the site reader cannot read
        return stmt
    if not isinstance(test, Const) or test.value is None:
        return stmt
    return ast.Module(body=stmt.body if test.value else stmt.orelse, type_ignores=[])


def inside_loop(stmt: ast.stmt, made: ast.Call, scope: Scope, init, env: dict) -> None:
    """``made`` written inside the ``for`` loop ``stmt`` (``for _ in
    range(n): attn = Attn(d); block = Block(d, attn)``): the names where
    its first pass reaches the construction (the loop variable at the
    first item, the body's earlier statements read as :func:`run_before`
    reads them); a loop over what is not read leaves its variable unknown."""
    if not isinstance(stmt, ast.For) or not any(n is made for n in ast.walk(stmt)):
        return
    it = init.value(stmt.iter, env, None)
    first = it.items[0] if isinstance(it, Items | Tup) and it.items else Unknown(
        f"`for … in {ast.unparse(stmt.iter)[:40]}` is not read")
    for node in ast.walk(stmt.target):
        if isinstance(node, ast.Name):
            env[node.id] = Unknown(f"{node.id} is a loop variable chainlens cannot read")
    if isinstance(stmt.target, ast.Name):
        env[stmt.target.id] = first
    for i, inner in enumerate(stmt.body):
        if any(n is made for n in ast.walk(inner)):
            run_before(stmt.body[:i], made, scope, init, env)
            inside_loop(inner, made, scope, init, env)
            return


def _simple_loop(stmt: ast.stmt) -> bool:
    """A ``for`` of one loop variable whose body only assigns names, appends
    one value to a name's list, or is such a loop: what the site reader can
    run pass by pass and know every name it changes."""
    if not isinstance(stmt, ast.For) or stmt.orelse or not isinstance(stmt.target, ast.Name):
        return False
    for s in stmt.body:
        if _plain(s) is not None and not any(
                isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                and n.func.attr in _MUTATORS for n in ast.walk(s)):
            continue
        if (isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)
                and isinstance(s.value.func, ast.Attribute) and s.value.func.attr == "append"
                and isinstance(s.value.func.value, ast.Name) and len(s.value.args) == 1
                and not s.value.keywords):
            continue
        if not _simple_loop(s):
            return False
    return True


def _run_loop(stmt: ast.For, env: dict, init, budget: list[int] | None = None) -> bool:
    """Every pass of a :func:`_simple_loop` over a written range or list,
    read into ``env``; False when its iterable is not read (or too long).
    ``budget``: passes left for this loop and every loop nested in it
    together (:data:`MAX_REPEAT`): nested ``range(300)`` loops multiplied
    their passes and held the reader for seconds (review, round 8)."""
    budget = [MAX_REPEAT] if budget is None else budget
    it = init.value(stmt.iter, env, None)
    if not isinstance(it, Items | Tup) or len(it.items) > budget[0]:
        return False
    for value in list(it.items):
        budget[0] -= 1
        if budget[0] < 0:
            return False
        env[stmt.target.id] = value
        for inner in stmt.body:
            if isinstance(inner, ast.For):
                if not _run_loop(inner, env, init, budget):
                    return False
            else:
                init.statement(inner, env, None)
    return True


def _slice(stmts: list, made: ast.Call) -> list:
    """The assignments among ``stmts`` that the names of ``made`` depend
    on (a backward slice: ``c = copy.deepcopy``, ``attn = Attn(d)``, the
    names those use in turn), in their order."""
    names = {n.id for n in ast.walk(made) if isinstance(n, ast.Name)}
    keep = []
    for stmt in reversed(stmts):
        plain = _plain(stmt)
        if plain is not None and any(name in names for name, _ in plain):
            keep.append(stmt)
            names |= {n.id for n in ast.walk(stmt.value) if isinstance(n, ast.Name)}
        elif _simple_loop(stmt) and _changed(stmt) & names:
            keep.append(stmt)  # blocks.append(Block(d)) for each pass
            names |= {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name)}
    return keep[::-1]


#: methods that change the container they are called on
_MUTATORS = frozenset({"update", "append", "extend", "insert", "pop", "popitem", "setdefault",
                       "clear", "remove", "add", "discard", "__setitem__", "sort", "reverse"})


def _plain(stmt: ast.stmt) -> list[tuple[str, ast.expr]] | None:
    """The (name, value) pairs of a plain assignment: ``name = value``,
    annotated, or ``a, b = 20, 30`` of a written tuple; else None."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(
            stmt.targets[0], ast.Name):
        return [(stmt.targets[0].id, stmt.value)]
    if isinstance(stmt, ast.AnnAssign) and stmt.value is not None and isinstance(
            stmt.target, ast.Name):
        return [(stmt.target.id, stmt.value)]
    if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Tuple) and isinstance(stmt.value, ast.Tuple)
            and len(stmt.targets[0].elts) == len(stmt.value.elts)
            and all(isinstance(t, ast.Name) for t in stmt.targets[0].elts)):
        return [(t.id, v) for t, v in zip(stmt.targets[0].elts, stmt.value.elts, strict=True)]
    return None


def _root(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _changed(stmt: ast.stmt) -> set[str]:
    """Names a statement changes other than by a plain assignment:
    ``cfg.depth = 2``, ``sizes[0] = 2``, ``depth //= 10``, ``a, b = ...``,
    ``config.update(depth=2)``, ``del d["k"]``, and every name stored inside
    a loop, ``with``, ``try`` or ``if`` (which branch runs is not read)."""
    if _plain(stmt) is not None:
        return set()
    out: set[str] = set()
    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return out
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            out.add(node.id)
        elif isinstance(node, ast.Attribute | ast.Subscript) and isinstance(
                node.ctx, ast.Store | ast.Del):
            root = _root(node)
            if root is not None:
                out.add(root)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and (
                node.func.attr in _MUTATORS):
            root = _root(node.func.value)
            if root is not None:
                out.add(root)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and (
                node.func.id in ("setattr", "delattr")) and node.args:
            root = _root(node.args[0])
            if root is not None:
                out.add(root)
    return out


def top_history(tree: ast.Module) -> dict[str, list[tuple[int, ast.expr | None]]]:
    """Top-level assignments and changes of each name, in the order the
    module runs them (an ``if __name__ == "__main__":`` body in place)."""
    out: dict[str, list[tuple[int, ast.expr | None]]] = {}
    body: list[ast.stmt] = []
    for stmt in tree.body:
        body += stmt.body if isinstance(stmt, ast.If) and is_main_guard(stmt.test) else [stmt]
    for stmt in body:
        for name, value in _plain(stmt) or ():
            out.setdefault(name, []).append((stmt.lineno, value))
        for name in _changed(stmt):
            out.setdefault(name, []).append((stmt.lineno, None))
    return out


def is_main_guard(test: ast.AST) -> bool:
    """``if __name__ == "__main__":`` (its body runs when the file is run)."""
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
            and test.left.id == "__name__" and len(test.comparators) == 1
            and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value == "__main__")
