"""Maps the top-level folders onto the ``chainlens.*`` namespace.

pyproject.toml cannot compute a package list, and a regular (non-editable)
install silently drops any subpackage not listed, so it is computed here
from the folders that hold an ``__init__.py``.
"""

from pathlib import Path

from setuptools import setup

ROOTS = {
    "chainlens.engine": "engine",
    "chainlens.server": "server",
    "chainlens.client": "clients/python",
    "chainlens.cli": "clients/cli",
    "chainlens.v1": "protos/chainlens/v1",
}

here = Path(__file__).parent
package_dir: dict[str, str] = {}
for name, folder in ROOTS.items():
    for init in sorted((here / folder).rglob("__init__.py")):
        rel = init.parent.relative_to(here / folder)
        if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            continue
        pkg = ".".join((name, *rel.parts)) if rel.parts else name
        package_dir[pkg] = init.parent.relative_to(here).as_posix()

setup(packages=sorted(package_dir), package_dir=package_dir)
