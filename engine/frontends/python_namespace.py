"""The top-level namespace of a Python module, read with :mod:`ast`.

What ``from <module> import name`` can find in a module without running
it: the classes and functions it defines, the names its own imports bind,
its star imports, its literal constants and library names, and the
``__all__`` that a star import of it honours.  Used by
:mod:`~chainlens.engine.frontends.python_imports` for the file being read
and for every project module it follows.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from chainlens.engine.frontends.python_aliases import library_aliases
from chainlens.engine.frontends.python_modules import _constants as file_constants

__all__ = ["Namespace", "namespace"]


@dataclass
class Namespace:
    """The top level of one module: its definitions, the names its imports
    bind (each with its alternatives), its star imports, literal and
    library constants, library aliases and ``__all__``."""

    rel: str
    tree: ast.Module
    defs: dict = field(default_factory=dict)
    binds: dict = field(default_factory=dict)  # name -> [(level, module, name | None, node)]
    stars: list = field(default_factory=list)  # [(level, module, node)]
    constants: dict = field(default_factory=dict)
    aliases: dict = field(default_factory=dict)
    public: frozenset | None = None


def namespace(rel: str, tree: ast.Module, aliases: dict | None = None) -> Namespace:
    """The namespace of module ``rel`` (its statements at the top level, and
    inside top-level ``try``/``if``: ``try: from .x import A`` / ``except
    ImportError: from x import A`` are two alternatives of A)."""
    mod = Namespace(rel, tree, constants=file_constants(tree),
                  aliases=library_aliases(tree) if aliases is None else aliases)
    body = list(tree.body)
    while body:
        stmt = body.pop(0)
        if isinstance(stmt, ast.ClassDef | ast.FunctionDef):
            mod.defs[stmt.name] = stmt
        elif isinstance(stmt, ast.Try):  # try: from .x import A / except ImportError: ...
            body[:0] = stmt.body + [s for h in stmt.handlers for s in h.body] + stmt.orelse
        elif isinstance(stmt, ast.If):
            body[:0] = stmt.body + stmt.orelse
        elif isinstance(stmt, ast.ImportFrom):
            for alias in stmt.names:
                where = alias if getattr(alias, "lineno", None) else stmt
                if alias.name == "*":
                    mod.stars.append((stmt.level, stmt.module, where))
                else:
                    mod.binds.setdefault(alias.asname or alias.name, []).append(
                        (stmt.level, stmt.module, alias.name, where))
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                where = alias if getattr(alias, "lineno", None) else stmt
                if alias.asname:
                    mod.binds.setdefault(alias.asname, []).append((0, alias.name, None, where))
                else:  # import a.b binds a (a.b.C is read through the chain)
                    mod.binds.setdefault(alias.name.split(".")[0], []).append(
                        (0, alias.name.split(".")[0], None, where))
        elif isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.List | ast.Tuple) and (
                any(isinstance(t, ast.Name) and t.id == "__all__" for t in stmt.targets)):
            mod.public = frozenset(e.value for e in stmt.value.elts
                                   if isinstance(e, ast.Constant))
    return mod
