"""The modules each corpus model file imports from its own repository (issue #12).

A user opens a model file with its repository open; the reader then sees
``from .layers import MultiHeadAttention`` resolve.  benchmarks/model_corpus.py
copies single files, so this script copies, for each of them, the
same-repository modules it imports (transitively, Python's rules as the
reader applies them: chainlens.engine.frontends.python_project.module_file),
from the same /work/.mirror snapshot and commit as the copy, into

    tests/corpora/models/<split>/.deps/<file stem>/<path in the repository>

together with the ``__init__.py`` files of their packages and the file itself
at its own path (benchmarks/model_files.py reads the copy with that path, so
its imports resolve).  The folder is hidden (pytest never collects it) and
git-ignored: third-party files, never committed.  Imports are found with
``ast`` only; nothing is imported or run.

Run:  .venv/bin/python benchmarks/model_deps.py [split ...]
(no argument: every split that has sidecars; prints counts only, no names,
so it may run over the unseen splits).  model_corpus.py's build() calls
copy_deps() for each file it copies.
"""

from __future__ import annotations

import ast
import json
import pathlib
import shutil
import subprocess
import sys
from pathlib import PurePosixPath

from chainlens.engine.frontends.python_project import MAX_IMPORT_BYTES, module_file

M = pathlib.Path("/work/.mirror")
OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "corpora" / "models"
#: import hops followed and files copied per corpus file
MAX_DEPTH = 4
MAX_FILES = 40
_TREES: dict[tuple[str, str], frozenset[str]] = {}


def _git(repo: str, *args: str) -> str:
    d = M / repo.replace("/", "+") / "repo"
    return subprocess.run(["git", "-C", str(d), *args], capture_output=True, text=True,
                          check=True).stdout


class _Tree:
    """The files of one commit, as module_file() asks for them."""

    def __init__(self, repo: str, commit: str):
        key = (repo, commit)
        if key not in _TREES:
            _TREES[key] = frozenset(_git(repo, "ls-tree", "-r", "--name-only", commit)
                                    .splitlines())
        self.names = _TREES[key]

    def is_file(self, rel: str) -> bool:
        return str(PurePosixPath(rel)) in self.names


def _imported(tree: ast.Module, rel: str, files: _Tree) -> set[str]:
    """Project files named by any import statement of ``tree``."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                out.add(module_file(files, rel, 0, a.name))
        elif isinstance(node, ast.ImportFrom):
            out.add(module_file(files, rel, node.level, node.module))
            for a in node.names:  # from . import layers / from pkg import submodule
                if a.name != "*":
                    sub = f"{node.module}.{a.name}" if node.module else a.name
                    out.add(module_file(files, rel, node.level, sub))
    return out - {None}


def _packages(rel: str, files: _Tree) -> list[str]:
    """The ``__init__.py`` files of the folders above ``rel``."""
    out = []
    for d in PurePosixPath(rel).parents:
        init = str(d / "__init__.py")
        if d != PurePosixPath(".") and files.is_file(init):
            out.append(init)
    return out


def copy_deps(repo: str, path: str, commit: str, split: str, slug: str) -> int:
    """Copy the modules ``path`` imports (at ``commit`` of ``repo``) under
    the split's .deps folder for ``slug``; returns how many were copied
    besides the file itself."""
    files = _Tree(repo, commit)
    seen = {path: 0}
    queue = [path]
    texts: dict[str, str] = {}
    while queue:
        rel = queue.pop(0)
        try:
            text = _git(repo, "show", f"{commit}:{rel}")
        except subprocess.CalledProcessError:
            continue
        if len(text.encode()) > MAX_IMPORT_BYTES and rel != path:
            continue
        texts[rel] = text
        if seen[rel] >= MAX_DEPTH:
            continue
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError):
            continue
        for dep in sorted(_imported(tree, rel, files)):
            if dep not in seen and len(seen) < MAX_FILES:
                seen[dep] = seen[rel] + 1
                queue.append(dep)
    for rel in list(texts):
        for init in _packages(rel, files):
            if init not in texts:
                try:
                    texts[init] = _git(repo, "show", f"{commit}:{init}")
                except subprocess.CalledProcessError:
                    continue
    root = deps_root(split, slug)
    if root.exists():
        shutil.rmtree(root)
    for rel, text in texts.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return len([r for r in texts if r != path and not r.endswith("__init__.py")])


def deps_root(split: str, slug: str) -> pathlib.Path:
    """Where the repository of corpus file ``slug`` (its .py name) is laid out."""
    return OUT / split / ".deps" / pathlib.Path(slug).stem


def main(splits: list[str]) -> None:
    splits = splits or sorted(p.name for p in OUT.iterdir() if p.is_dir()
                              and not p.name.startswith("."))
    for split in splits:
        n = with_deps = copied = 0
        for side in sorted((OUT / split).glob("*.json")):
            meta = json.loads(side.read_text())
            if not {"repo", "path", "commit"} <= set(meta):
                continue
            k = copy_deps(meta["repo"], meta["path"], meta["commit"], split,
                          side.stem + ".py")
            n += 1
            with_deps += k > 0
            copied += k
        print(f"{split}: {n} files, {with_deps} import modules of their repository, "
              f"{copied} modules copied")


if __name__ == "__main__":
    main(sys.argv[1:])
