"""Module-level tables of the file's own definitions, read where they are used.

Model files keep a registry at the top level and pick from it in
``__init__`` (``model_dict = {'resnet18': [resnet18, 512], ...}`` then
``model_fun, dim_in = model_dict[name]``; ``BLOCKS = {'basic': BasicBlock}``).
A literal of constants is already a file constant; a table that names the
file's functions and classes is kept as its expression (:class:`Table`) and
read, where a class uses it, by the reader's own value rules (a name of the
file there is that definition, a number a constant).  Only literals of
names, numbers and strings: a table that calls anything is not kept (what
it builds would be built once per use).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

__all__ = ["Table", "file_tables"]


@dataclass(frozen=True)
class Table:
    """A top-level dict/list/tuple literal of names of the file's
    definitions and constants (its ast expression)."""

    node: ast.expr


#: library roots whose attributes a table may name (``ACT2FN = {"gelu": F.gelu, ...}``)
_LIBRARY_ROOTS = frozenset({"torch", "nn", "F", "functional", "np", "numpy", "jax", "jnp",
                            "math", "flax", "linen"})


def _plain(node: ast.expr, names: set) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Name):
        return node.id in names
    if isinstance(node, ast.Attribute):  # F.gelu, torch.nn.functional.relu: a library's
        root = node
        while isinstance(root, ast.Attribute):
            root = root.value
        return isinstance(root, ast.Name) and root.id in _LIBRARY_ROOTS
    if isinstance(node, ast.List | ast.Tuple):
        return all(_plain(e, names) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(isinstance(k, ast.Constant) for k in node.keys) and all(
            _plain(v, names) for v in node.values)
    return False


def file_tables(tree: ast.Module, known: set) -> dict:
    """``{name: Table}`` for the top-level ``NAME = {...}`` / ``[...]`` that
    name at least one definition of the file (``known``: its function and
    class names) and hold nothing but those names and constants."""
    defs = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)}
    names = defs | set(known)
    changed = _changed_at_top(tree)
    out = {}
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Dict | ast.List | ast.Tuple)
                and _plain(node.value, names)
                and (isinstance(node.value, ast.Dict) or any(
                    isinstance(n, ast.Name) for n in ast.walk(node.value)))
                and node.targets[0].id not in changed):
            # a dict of written configurations too: cfg = {'VGG11': [64, 'M', 128, ...]}
            out[node.targets[0].id] = Table(node.value)
    return out


def _changed_at_top(tree: ast.Module) -> set[str]:
    """Names a top-level statement changes in place (``cfg['A'] = ...``,
    ``cfg.update(...)``) or assigns more than once: not one written table."""
    seen: dict[str, int] = {}
    out: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for n in ast.walk(node):
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                seen[n.id] = seen.get(n.id, 0) + 1
            elif isinstance(n, ast.Subscript | ast.Attribute) and isinstance(
                    n.ctx, ast.Store | ast.Del) and isinstance(n.value, ast.Name):
                out.add(n.value.id)
            elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and isinstance(
                    n.func.value, ast.Name) and n.func.attr in (
                        "update", "append", "extend", "insert", "pop", "setdefault", "clear"):
                out.add(n.func.value.id)
    return out | {name for name, count in seen.items() if count > 1}
