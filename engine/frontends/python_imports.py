"""The classes and functions a model file imports from its own project.

``from .layers import MultiHeadAttention``, ``from unet_parts import *``,
``from . import blocks`` (then ``blocks.ResBlock``): the layers of a real
model are spread over the modules of its repository, and a reader that
stops at "MultiHeadAttention is not defined in this file" reads almost
no real forward().  This module resolves those imports (Python's rules,
:func:`~chainlens.engine.frontends.python_project.module_file`), reads the
named definitions from their files with :mod:`ast` (never importing or
running anything) and hands them to the model reader as if the file had
defined them, together with what they use in turn (helpers, constants,
further imports of their own module), within an explicit budget.

Only what the file uses is read.  Each copied definition keeps no place
of its own file: every node is moved to the import that brought it in (a
zero-width span there), so a hover, diagnostic or code action never points
into another file's lines; the original line is kept on the node
(:func:`origin`) for skip reasons ("line 42 of layers.py").  A name whose
import cannot be read says why (:meth:`Imported.explain`).
"""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from chainlens.engine.frontends.python_aliases import (
    attribute_chains,
    bound_names,
    explain_unknown,
    free_names,
    library_aliases,
    relocate,
    rename_chains,
    rename_names,
)
from chainlens.engine.frontends.python_init_values import LIBRARIES
from chainlens.engine.frontends.python_namespace import Namespace, namespace
from chainlens.engine.frontends.python_project import (
    ProjectFiles,
    Unreadable,
    module_file,
    origin,
    project_root,
)
from chainlens.engine.frontends.python_values import Ref

__all__ = ["Imported", "NOTHING", "read_imports", "origin", "MAX_IMPORT_DEPTH",
           "MAX_IMPORT_FILES", "MAX_IMPORT_DEFS", "MAX_IMPORT_NAMES"]

#: import hops followed from the file (``a`` imports ``b`` imports ``c``: 2)
MAX_IMPORT_DEPTH = 4
#: project files parsed for one file's imports
MAX_IMPORT_FILES = 32
#: definitions copied for one file
MAX_IMPORT_DEFS = 200
#: names the file imports from its project that are looked up
MAX_IMPORT_NAMES = 256
#: libraries whose names imported bare (``from torch.nn.utils import weight_norm``) the
#: reader knows, in a copied definition as in the file itself (python_modules._constants)
_KNOWN_ROOTS = frozenset({"torch", "numpy", "jax", "flax", "einops", "equinox", "math",
                          "functools", "copy"})
#: imports of these packages are libraries the reader knows by name, never project files
_LIBRARIES = frozenset({"torch", "numpy", "jax", "flax", "einops", "equinox", "math",
                        "functools", "copy", "typing", "collections", "dataclasses", "os",
                        "sys", "scipy", "torchvision", "optax", "haiku", "random", "time",
                        "itertools", "abc", "enum", "logging", "warnings", "inspect",
                        "argparse", "json", "re", "pathlib", "__future__", "transformers",
                        "timm", "numbers", "operator"})

@dataclass(frozen=True)
class Imported:
    """What a file's imports bring in: definitions under the names the file
    (or the copied code) uses for them, the literal/library constants they
    read, and for each name that could not be read, why."""

    classes: dict = field(default_factory=dict)
    functions: dict = field(default_factory=dict)
    constants: dict = field(default_factory=dict)
    unread: dict = field(default_factory=dict)
    files: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.classes or self.functions or self.constants or self.unread)

    def module_classes(self, is_module) -> dict:
        """The imported classes that are modules (``is_module(cls, known)``:
        a framework base, or a base that is one of them), bases first."""
        out: dict = {}
        rest = dict(self.classes)
        while True:
            new = {k: c for k, c in rest.items() if is_module(c, set(out))}
            if not new:
                return out
            out.update(new)
            rest = {k: c for k, c in rest.items() if k not in new}

    def explain(self, reason: str) -> str:
        """``reason`` with "X is not defined in this file" replaced by why
        the import of X was not read, when X is an import."""
        return explain_unknown(reason, self.unread)


NOTHING = Imported()


def read_imports(tree: ast.Module, path: str | None, root: str | None = None) -> Imported:
    """The project definitions ``tree`` (the file at ``path``) imports; its
    library aliases (``import torch as th``) are renamed in ``tree`` in place
    to the names the reader knows.  ``root``: the project root (default:
    found upwards from ``path``); nothing outside it is read."""
    aliases = library_aliases(tree)
    rename_names(tree, aliases)
    if not path:
        return NOTHING
    try:
        p = Path(path)
        files = ProjectFiles(root if root is not None else project_root(p.resolve()))
    except (OSError, ValueError, RuntimeError):
        return NOTHING
    here = files.relative(p)
    if here is None:
        return NOTHING
    return _Resolver(files, here).run(tree, aliases)


class _Miss(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _source(level: int, module: str | None) -> str:
    return "." * level + (module or "")


class _Resolver:
    def __init__(self, files: ProjectFiles, here: str):
        self.files = files
        self.here = here
        self.modules: dict[str, Namespace] = {}
        self.keys: dict[tuple[str, str], str] = {}
        self.built: set[tuple[str, str]] = set()
        self.found: dict[tuple, str | None] = {}
        self.taken: set[str] = set()
        self.classes: dict = {}
        self.functions: dict = {}
        self.constants: dict = {}
        self.unread: dict = {}

    # ---- files and names --------------------------------------------------
    def module(self, rel: str) -> Namespace:
        if rel not in self.modules:
            if len(self.modules) > MAX_IMPORT_FILES:
                raise _Miss(f"past the {MAX_IMPORT_FILES} files read for one file's imports "
                            "(MAX_IMPORT_FILES)")
            try:
                parsed = self.files.parse(rel)
            except Unreadable as exc:
                raise _Miss(str(exc)) from None
            if "module" not in parsed.memo:  # (kept with the parse: by path and mtime)
                parsed.memo["module"] = namespace(rel, parsed.tree)
            self.modules[rel] = parsed.memo["module"]
        return self.modules[rel]

    def file_of(self, rel: str, level: int, module: str | None) -> str:
        if not level and module and module.split(".")[0] in _LIBRARIES:
            raise _Miss(f"{module} is a library")
        key = (str(PurePosixPath(rel).parent), level, module)
        if key not in self.found:  # (a star import is asked once per name)
            self.found[key] = module_file(self.files, rel, level, module)
        target = self.found[key]
        if target is None:
            raise _Miss(f"{_source(level, module)} is not a file of the project"
                        if level or not module else f"{module} is not a file of the project "
                        "(a library chainlens does not read, or a missing file)")
        return target

    def lookup(self, rel: str, name: str, depth: int):
        """("def", rel, name, node) | ("module", rel) | ("const", value) for
        ``name`` at the top level of module ``rel``; :class:`_Miss` with why."""
        mod = self.module(rel)
        if name in mod.defs:
            return ("def", rel, name, mod.defs[name])
        if name in mod.binds:
            return self.follow(rel, mod.binds[name], depth)
        if name in mod.constants:
            return ("const", mod.constants[name])
        budget = None
        for level, module, _ in reversed(mod.stars):
            try:
                target = self.file_of(rel, level, module)
                if not self.exports(target, name):
                    continue
                return self.lookup(target, name, self.deeper(depth))
            except _Miss as exc:
                if "(MAX_" in exc.reason:  # the budget, not a missing name: say so
                    budget = budget or exc
                continue
        if budget is not None:
            raise budget
        raise _Miss(f"{name} is not defined in {rel}")

    def exports(self, rel: str, name: str) -> bool:
        """Does ``from <rel> import *`` bind ``name`` (its ``__all__``, else
        the names without a leading underscore)?"""
        public = self.module(rel).public
        return name in public if public is not None else not name.startswith("_")

    def deeper(self, depth: int) -> int:
        if depth + 1 > MAX_IMPORT_DEPTH:
            raise _Miss(f"past {MAX_IMPORT_DEPTH} imports deep (MAX_IMPORT_DEPTH)")
        return depth + 1

    def follow(self, rel: str, binds: list, depth: int):
        """The first of a name's bindings (``try``/``except ImportError``
        alternatives) that resolves."""
        first = None
        for level, module, name, _ in binds:
            try:
                return self._follow(rel, level, module, name, self.deeper(depth))
            except _Miss as exc:
                first = first or exc
        raise first

    def _follow(self, rel, level, module, name, depth):
        if name is None:  # import x / import a.b as c
            return ("module", self.file_of(rel, level, module))
        try:
            target = self.file_of(rel, level, module)
        except _Miss:
            sub = module_file(self.files, rel, level, f"{module}.{name}" if module else name)
            if sub is not None:  # from . import x: x is a module
                return ("module", sub)
            raise
        try:
            return self.lookup(target, name, depth)
        except _Miss:
            if target.endswith("__init__.py"):  # from pkg import submodule
                sub = module_file(self.files, rel, level,
                                  f"{module}.{name}" if module else name)
                if sub is not None:
                    return ("module", sub)
            raise

    # ---- copying definitions -------------------------------------------------
    def add(self, rel: str, name: str, node: ast.AST, want: str, anchor: ast.AST,
            depth: int) -> str | None:
        ident = (rel, name)
        if ident in self.built:
            return self.keys[ident]
        if ident not in self.keys:  # (the file's own imports are reserved first)
            if len(self.keys) >= MAX_IMPORT_DEFS:
                return None
            key = want
            if key in self.taken:
                stem = PurePosixPath(rel).stem
                key = f"{stem}.{name}" if f"{stem}.{name}" not in self.taken else f"{rel}:{name}"
            self.keys[ident] = key
            self.taken.add(key)
        key = self.keys[ident]
        self.built.add(ident)
        mod = self.modules[rel]
        renames: dict[str, str] = {}
        bound = bound_names(node)
        chains = attribute_chains(node)
        for free in sorted(free_names(node) - bound):
            try:
                found = self.lookup(rel, free, depth)
            except _Miss as exc:
                if free in mod.binds:  # an import of that module: say why it is not read
                    level, module, orig, _ = mod.binds[free][0]
                    if not level and orig and (module or "").split(".")[0] in _KNOWN_ROOTS and (
                            free not in LIBRARIES and orig not in LIBRARIES):
                        # from torch.nn.utils import weight_norm in that module: the
                        # library's name, as the file's own import of it is read
                        renames.update(self.constant(free, Ref((*module.split("."), orig)), rel))
                        continue
                    what = f"{orig} from {_source(level, module)}" if orig else _source(
                        level, module)
                    self.unread.setdefault(free, f"{free} is imported in {rel} ({what}), "
                                                 f"which chainlens could not read: {exc.reason}")
                continue
            if found[0] == "def":
                got = self.add(found[1], found[2], found[3], free, anchor, depth)
                if got is None:
                    self.unread.setdefault(free, f"{free} is past the {MAX_IMPORT_DEFS} "
                                                 "definitions read for one file's imports "
                                                 "(MAX_IMPORT_DEFS)")
                elif got != free:
                    renames[free] = got
            elif found[0] == "const":
                renames.update(self.constant(free, found[1], rel))
            elif found[0] == "module":
                renames.update(self.chains(chains.get(free, ()), found[1], anchor, depth))
        made = copy.deepcopy(node)
        rename_chains(made, {k: v for k, v in renames.items() if "." in k})
        rename_names(made, {**mod.aliases, **{k: v for k, v in renames.items()
                                              if "." not in k}}, skip=bound)
        relocate(made, anchor, rel)
        made.name = key
        (self.classes if isinstance(made, ast.ClassDef) else self.functions)[key] = made
        return key

    def constant(self, name: str, value, rel: str) -> dict:
        if name not in self.constants and name not in self.taken:
            self.constants[name] = value
            return {}
        if self.constants.get(name) == value:
            return {}
        key = f"{PurePosixPath(rel).stem}.{name}"
        self.constants[key] = value
        return {name: key}

    def chains(self, chains, target: str, anchor, depth) -> dict:
        """``root.attr...`` chains whose ``root`` names the project module
        ``target``: each attribute's definition added, as ``{"root.attr": key}``."""
        out = {}
        for chain in sorted({".".join(c) for c in chains}):
            parts = chain.split(".")
            rel = target
            try:
                for i, part in enumerate(parts[1:], 1):
                    found = self.lookup(rel, part, self.deeper(depth))
                    if found[0] == "module":
                        rel = found[1]
                        continue
                    if found[0] == "def":
                        key = self.add(found[1], found[2], found[3], ".".join(parts[:i + 1]),
                                       anchor, depth + 1)
                        if key is not None:
                            out[".".join(parts[:i + 1])] = key
                    elif found[0] == "const":
                        self.constants.setdefault(".".join(parts[:i + 1]), found[1])
                        out[".".join(parts[:i + 1])] = ".".join(parts[:i + 1])
                    break
            except _Miss as exc:
                self.unread.setdefault(".".join(parts[:2]), f"{'.'.join(parts[:2])}: "
                                       f"{exc.reason}")
        return out

    def alias(self, name: str, key: str | None) -> None:
        """The file's ``name`` for a definition kept under ``key`` (the same
        class imported twice: ``from x import *`` and ``x.Block``)."""
        for table in (self.classes, self.functions):
            if key is not None and key != name and key in table:
                table.setdefault(name, table[key])

    # ---- the file itself -----------------------------------------------------
    def run(self, tree: ast.Module, aliases: dict) -> Imported:
        me = namespace(self.here, tree, aliases)
        self.modules[self.here] = me
        own = set(me.defs) | {t.id for s in tree.body if isinstance(s, ast.Assign)
                              for t in s.targets if isinstance(t, ast.Name)}
        project = set()
        for name, binds in me.binds.items():
            level, module, _, _ = binds[0]
            if not level and (module or "").split(".")[0] in _LIBRARIES:
                self.unread[name] = (f"{name} is imported from {module}, a library whose "
                                     "code chainlens does not read")
            else:
                project.add(name)
        if not project and not me.stars:  # (most files: no walk of the whole tree)
            return Imported(unread=self.unread)
        chains = attribute_chains(tree)
        self.taken |= own | set(me.binds)
        used = free_names(tree)
        direct = []
        for i, name in enumerate(sorted(used & project - own)):
            if i >= MAX_IMPORT_NAMES:  # (a file of thousands of imports: each is a look-up)
                self.unread[name] = (f"{name} is past the {MAX_IMPORT_NAMES} imported names "
                                     "followed for one file (MAX_IMPORT_NAMES)")
                continue
            binds = me.binds[name]
            level, module, orig, where = binds[0]
            try:
                found = self.follow(self.here, binds, 0)
            except _Miss as exc:
                what = f"{orig} from {_source(level, module)}" if orig else _source(level, module)
                self.unread[name] = (f"{name} is imported ({what}), which chainlens could not "
                                     f"read: {exc.reason}")
                continue
            if found[0] == "def":
                self.keys.setdefault((found[1], found[2]), name)
            direct.append((name, found, where))
        for name, found, where in direct:
            if found[0] == "def":
                self.alias(name, self.add(found[1], found[2], found[3], name, where, 1))
            elif found[0] == "const":
                self.constants.setdefault(name, found[1])
            else:
                rename_chains(tree, self.chains(chains.get(name, ()), found[1], where, 1))
        for name in sorted(used - own - set(me.binds) - set(self.keys.values())):
            if not me.stars or name in self.classes or name in self.functions:
                continue
            for level, module, where in reversed(me.stars):
                try:
                    target = self.file_of(self.here, level, module)
                    if not self.exports(target, name):
                        if name in self.module(target).defs:
                            self.unread.setdefault(name, (
                                f"{name} is not imported by `from {_source(level, module)} "
                                f"import *` (not in its __all__)"))
                        continue  # not in its __all__ (or private): not imported by *
                    found = self.lookup(target, name, 1)
                except _Miss:
                    continue
                if found[0] == "def":
                    self.alias(name, self.add(found[1], found[2], found[3], name, where, 1))
                elif found[0] == "const":
                    self.constants.setdefault(name, found[1])
                break
        read = tuple(r for r in self.modules if r != self.here)
        return Imported(self.classes, self.functions, self.constants, self.unread, read)
