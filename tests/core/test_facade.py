"""The façade ``chainlens.engine``: its public names are the functions and
classes the README's Python API section imports, never a submodule.

The confirmed bug this pins: once any engine submodule named like a public
function had been imported (``chainlens.engine.parse``), ``from
chainlens.engine import parse`` returned the module.  Every submodule is
imported first, so a new module named like a public function fails here.
"""

import importlib
import inspect
import re
import subprocess
import sys
from pathlib import Path

import chainlens.engine as engine
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _readme_names() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Python API", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"from chainlens\.engine import \(([^)]*)\)", section)
    assert block, "the README's Python API section imports from chainlens.engine"
    return [n.strip() for n in block.group(1).split(",") if n.strip()]


def _import_every_engine_module() -> None:
    for path in sorted((ROOT / "engine").rglob("*.py")):
        parts = path.relative_to(ROOT / "engine").with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        importlib.import_module(".".join(("chainlens.engine", *parts)))


README_NAMES = _readme_names()


def test_the_readme_names_are_public():
    assert README_NAMES, "no names found in the README"
    assert set(README_NAMES) <= set(engine.__all__)


@pytest.mark.parametrize("name", sorted(set(engine.__all__)))
def test_a_public_name_is_a_function_or_class_after_every_module_is_imported(name):
    _import_every_engine_module()
    value = getattr(engine, name)
    assert not inspect.ismodule(value), f"chainlens.engine.{name} is a module"
    namespace: dict = {}
    exec(f"from chainlens.engine import {name}", namespace)  # the user's spelling
    assert namespace[name] is value
    if name in README_NAMES:
        assert inspect.isfunction(value) or inspect.isclass(value), name


def test_the_readme_example_runs_in_a_fresh_interpreter_after_an_engine_call():
    code = (
        "import chainlens.engine.language.reader, chainlens.engine.symbolic.simplify\n"
        "import chainlens.engine.numeric.paths\n"
        "from chainlens.engine import diff, parse, paths, simplify\n"
        "assert diff('sin(x^2)', 'x').text == '2*x*cos(x^2)'\n"
        "assert callable(parse) and callable(simplify) and callable(paths)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
