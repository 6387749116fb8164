"""Library aliases a Python file chooses, renamed to the names the reader knows.

The model reader knows the libraries by the names their users write
(``torch``, ``nn``, ``F``, ``np``, ``jnp``); files also write ``import
torch as th``, ``import torch.nn as tnn``, ``from torch import nn as N``,
``import torch.nn.functional as tf``.  :func:`library_aliases` maps such
an alias to the usual name, and :func:`rename_names` applies the map to a
tree, so every part of the reader sees ``torch`` wherever the file meant
it.  A name is renamed only when nothing else in the file binds either
name (an alias also assigned to, or a usual name bound to something else,
is left as written: the reader then says it does not know it).

The same walks serve the definitions python_imports copies from another
file: the names they read and bind, their ``module.attr`` chains, renames,
and their move onto the import that brought them in.
"""

from __future__ import annotations

import ast
import re

from chainlens.engine.frontends.python_project import ORIGIN

__all__ = ["library_aliases", "rename_names", "explain_unknown", "free_names", "bound_names",
           "attribute_chains", "rename_chains", "relocate"]

#: module path -> the name the reader knows it by
_USUAL = {
    "torch": "torch",
    "torch.nn": "nn",
    "torch.nn.functional": "F",
    "torch.nn.init": "init",
    "numpy": "np",
    "jax.numpy": "jnp",
    "jax": "jax",
    "math": "math",
    "flax.linen": "nn",
    "flax.nnx": "nnx",
    "equinox": "eqx",
}


def _imports(tree: ast.Module):
    """(bound name, module path) of the top-level imports (inside top-level
    ``try``/``if`` too)."""
    body = list(tree.body)
    while body:
        stmt = body.pop(0)
        if isinstance(stmt, ast.Try):
            body[:0] = stmt.body + [s for h in stmt.handlers for s in h.body] + stmt.orelse
        elif isinstance(stmt, ast.If):
            body[:0] = stmt.body + stmt.orelse
        elif isinstance(stmt, ast.Import):
            for a in stmt.names:
                yield (a.asname or a.name.split(".")[0],
                       a.name if a.asname else a.name.split(".")[0])
        elif isinstance(stmt, ast.ImportFrom) and not stmt.level and stmt.module:
            for a in stmt.names:
                if a.name != "*":
                    yield a.asname or a.name, f"{stmt.module}.{a.name}"


def library_aliases(tree: ast.Module) -> dict[str, str]:
    """``{alias: usual name}`` for the file's imports of a known library
    under another name."""
    imports = list(_imports(tree))
    if all(_USUAL.get(path) in (None, name) for name, path in imports):
        return {}  # (most files: no walk of the whole tree)
    paths: dict[str, set[str]] = {}
    for name, path in imports:
        paths.setdefault(name, set()).add(path)
    assigned = _assigned(tree)
    out: dict[str, str] = {}
    for name, path in imports:
        usual = _USUAL.get(path)
        if usual is None or usual == name or name in assigned or len(paths[name]) > 1:
            continue
        if usual in assigned or any(p != path for p in paths.get(usual, ())):
            continue  # the usual name means something else in this file
        out[name] = usual
    return out


def _assigned(tree: ast.AST) -> set[str]:
    """Names bound anywhere other than by an import: assignments, arguments,
    definitions, loop targets."""
    out: set[str] = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store | ast.Del):
            out.add(n.id)
        elif isinstance(n, ast.arg):
            out.add(n.arg)
        elif isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            out.add(n.name)
    return out


_NOT_DEFINED = re.compile(r"^`?([A-Za-z_][\w.]*)(?:\(\.\.\.\))?`? is (?:not defined in this "
                          r"file|configuration chainlens cannot see|computed at run time)")


def explain_unknown(reason: str, why: dict) -> str:
    """``reason`` with "X is not defined in this file" replaced by ``why[X]``
    (an import not read, a library the reader does not know, a subclass
    that changes its layer), its "(line N)" kept."""
    m = _NOT_DEFINED.match(reason.removeprefix("not read: "))
    if m is None:
        return reason
    name = m.group(1)
    text = why.get(name) or why.get(name.split(".")[0])
    if text is None:
        return reason
    tail = reason[reason.rfind(" (line "):] if reason.endswith(")") and (
        " (line " in reason) else ""
    return ("not read: " if reason.startswith("not read: ") else "") + text + tail


def rename_names(node: ast.AST, names: dict[str, str], skip=frozenset()) -> None:
    """Every name ``node`` reads that is a key of ``names`` renamed to its
    value (in place), except those in ``skip``."""
    if not names:
        return
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and n.id in names and n.id not in skip and isinstance(
                n.ctx, ast.Load):
            n.id = names[n.id]


# ---- names in copied definitions (python_imports) -----------------------------
def free_names(node: ast.AST) -> set[str]:
    """Names ``node`` reads (loads), bases and decorators included."""
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)
            and isinstance(n.ctx, ast.Load)}


def bound_names(node: ast.AST) -> set[str]:
    """Names bound inside ``node``'s functions (arguments, assignments): a
    rename of a module-level name must not touch them."""
    out: set[str] = set()
    for n in ast.walk(node):
        if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            a = n.args
            out |= {x.arg for x in a.posonlyargs + a.args + a.kwonlyargs}
            out |= {x.arg for x in (a.vararg, a.kwarg) if x is not None}
        elif isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store | ast.Del):
            out.add(n.id)
    return out


def attribute_chains(node: ast.AST) -> dict[str, set[tuple[str, ...]]]:
    """Outermost attribute chains ``root.a.b`` in ``node``, by root name."""
    out: dict[str, set[tuple[str, ...]]] = {}
    inner: set[int] = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Attribute) and id(n) not in inner:
            parts, cur = [], n
            while isinstance(cur, ast.Attribute):
                inner.add(id(cur.value))
                parts.append(cur.attr)
                cur = cur.value
            if isinstance(cur, ast.Name):
                out.setdefault(cur.id, set()).add((cur.id, *parts[::-1]))
    return out


class _ChainRenamer(ast.NodeTransformer):
    def __init__(self, keys: dict[str, str]):
        self.keys = keys

    def visit_Attribute(self, node: ast.Attribute):
        parts, cur = [], node
        while isinstance(cur, ast.Attribute):
            parts.append(cur.attr)
            cur = cur.value
        if isinstance(cur, ast.Name):
            text = ".".join([cur.id, *parts[::-1]])
            if text in self.keys:
                return ast.copy_location(ast.Name(id=self.keys[text], ctx=node.ctx), node)
        return self.generic_visit(node)


def rename_chains(node: ast.AST, keys: dict[str, str]) -> None:
    """``blocks.ResBlock`` -> one name (the key its definition is kept under)."""
    if keys:
        _ChainRenamer(keys).visit(node)


def relocate(node: ast.AST, anchor: ast.AST, rel: str) -> None:
    """Every node of a copied definition at a zero-width place on its import
    (the original line kept as :func:`origin`)."""
    line, col = anchor.lineno, anchor.col_offset
    for n in ast.walk(node):
        if hasattr(n, "lineno"):
            setattr(n, ORIGIN, (rel, n.lineno))
            n.lineno = n.end_lineno = line
            n.col_offset = n.end_col_offset = col
