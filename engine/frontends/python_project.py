"""The files of the project a Python file belongs to, read for its imports.

A model file rarely stands alone: ``from .layers import MultiHeadAttention``
names a class written in a sibling module, which an editor has open in the
same repository.  This module is the one place the Python reader touches
the file system: it finds the module file an import names (Python's own
rules for relative imports, packages found by their ``__init__.py``, the
file's directory as ``sys.path[0]``) and returns that file parsed with
:mod:`ast` (never imported, never executed).

Bounds: only files under the project root (symbolic links resolved), at
most :data:`MAX_IMPORT_BYTES` each; parsed files are kept by (path,
modification time, size) in one bounded cache, so an editor re-reading the
importing file on every keystroke parses its siblings once.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

from chainlens.engine.core.cache import Cache

__all__ = ["MAX_IMPORT_BYTES", "ProjectFiles", "Parsed", "Unreadable", "module_file",
           "project_root", "origin", "ORIGIN", "file_path"]

#: a module larger than this is not read for its definitions (a generated file)
MAX_IMPORT_BYTES = 400_000
#: markers of a project's root directory, looked for upwards from the file
_ROOT_MARKERS = (".git", "pyproject.toml", "setup.py", "setup.cfg")
_MAX_UP = 12
#: the attribute a definition copied from another file keeps its (file, line) in
ORIGIN = "_chainlens_origin"


def origin(node) -> tuple[str, int] | None:
    """(file, line) an ast node copied from another project file was
    written at (python_imports moves it onto the import), or None."""
    return getattr(node, ORIGIN, None)


class Unreadable(Exception):
    """A module file that exists (or was looked for) but is not read: the
    reason is said in the skip of whatever needed it."""


@dataclass(frozen=True)
class Parsed:
    """One module file of the project, parsed (``rel``: its path from the root)."""

    rel: str
    tree: ast.Module
    #: what readers derive from the tree, kept as long as the parse is
    memo: dict = field(default_factory=dict, compare=False, hash=False)


_PARSED: Cache[Parsed | str] = Cache(128, max_bytes=16 * MAX_IMPORT_BYTES,
                                     size=lambda _k, v: _k[2] if isinstance(_k, tuple) else 1)


def file_path(uri: str | None) -> str | None:
    """The local path of a ``file:`` URI (an editor's document), else None."""
    if not uri or not uri.startswith("file:"):
        return None
    parsed = urlparse(uri)
    return unquote(parsed.path) or None if not parsed.netloc else None


def project_root(path: Path) -> Path:
    """The directory above ``path`` holding a project marker (``.git``,
    ``pyproject.toml``, ``setup.py``/``setup.cfg``), else the parent of its
    outermost package (folders with ``__init__.py``), else its directory."""
    here = path.parent
    for d in [here, *here.parents][:_MAX_UP]:
        if any((d / m).exists() for m in _ROOT_MARKERS):
            return d
    top = here
    while (top / "__init__.py").is_file() and top.parent != top:
        top = top.parent
    return top


class ProjectFiles:
    """Read-only view of the files under ``root`` (paths relative to it, POSIX)."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root).resolve()

    def _inside(self, rel: str) -> Path | None:
        p = (self.root / rel)
        try:
            real = p.resolve()
            real.relative_to(self.root)
        except (OSError, ValueError, RuntimeError):
            return None
        return real

    def is_file(self, rel: str) -> bool:
        """A file at ``rel`` (a link to a place outside the root is one:
        :meth:`parse` then says it is not read)."""
        if ".." in PurePosixPath(rel).parts or PurePosixPath(rel).is_absolute():
            return False
        return (self.root / rel).is_file()

    def is_dir(self, rel: str) -> bool:
        p = self._inside(rel) if rel else self.root
        return p is not None and p.is_dir()

    def relative(self, path: str | os.PathLike) -> str | None:
        """``path`` relative to the root, or None when it lies outside it."""
        try:
            return Path(path).resolve().relative_to(self.root).as_posix()
        except (OSError, ValueError, RuntimeError):
            return None

    def parse(self, rel: str) -> Parsed:
        """The module file ``rel`` parsed; :class:`Unreadable` with the reason."""
        p = self._inside(rel)
        if p is None:
            raise Unreadable(f"{rel} is outside the project")
        try:
            st = p.stat()
        except OSError as exc:
            why = exc.strerror or type(exc).__name__
            raise Unreadable(f"{rel} cannot be read ({why})") from None
        if st.st_size > MAX_IMPORT_BYTES:
            raise Unreadable(f"{rel} is {st.st_size:,} bytes, over the {MAX_IMPORT_BYTES:,} "
                             "read for imports (MAX_IMPORT_BYTES)")
        key = (str(p), st.st_mtime_ns, st.st_size)
        got = _PARSED.get_or_make(key, lambda: _parse(p, rel))
        if isinstance(got, str):
            raise Unreadable(got)
        return got


def _parse(p: Path, rel: str) -> Parsed | str:
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return f"{rel} cannot be read ({type(exc).__name__})"
    try:
        return Parsed(rel, ast.parse(text.removeprefix("\ufeff")))  # a BOM, as Python reads it
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return f"{rel} does not parse as Python"


def module_file(files, importer: str, level: int, module: str | None) -> str | None:
    """The project file (``x.py`` or ``x/__init__.py``, relative to the root)
    that ``from <level dots><module> import ...`` in ``importer`` names, or
    None.  Relative imports count from the importer's package; absolute ones
    are looked for in the importer's directory (``sys.path[0]`` of a
    script), above its outermost package, and at the project root.
    ``files`` needs ``is_file(rel)`` only (a git tree can stand in)."""
    here = PurePosixPath(importer).parent
    parts = module.split(".") if module else []
    if level:
        base = here
        for _ in range(level - 1):
            if base == PurePosixPath("."):
                return None  # beyond the project's top package
            base = base.parent
        bases = [base]
    else:
        top = here
        while top != PurePosixPath(".") and files.is_file(str(top / "__init__.py")):
            top = top.parent
        bases = list(dict.fromkeys([here, top, PurePosixPath(".")]))
    for base in bases:
        stem = base.joinpath(*parts) if parts else base
        for rel in (f"{stem}.py", str(stem / "__init__.py")) if parts else (
                str(stem / "__init__.py"),):
            rel = str(PurePosixPath(rel))
            if files.is_file(rel):
                return rel
    return None
