"""A newcomer's first hour, round 5: each command runs the installed
``chainlens`` and the test reads what a person would read."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHAINLENS = ROOT / ".venv" / "bin" / "chainlens"


def run(*argv: str, cwd: Path = ROOT) -> tuple[int, str, str]:
    proc = subprocess.run([str(CHAINLENS), *argv], capture_output=True, text=True,
                          timeout=240, cwd=cwd)
    return proc.returncode, proc.stdout, proc.stderr


# ASCII sin^2(x) is not read (README), and the hint says what was meant:
# the power after the call, not only the LaTeX spelling of a call.
@pytest.mark.parametrize("expr, hint", [
    ("sin^2(x)", "hint: for its power write sin(x)^2 (in LaTeX \\sin^2 x)"),
    ("y = 3*tan^3(x)", "hint: for its power write tan(x)^3 (in LaTeX \\tan^3 x)"),
    ("sin x^2", "hint: in LaTeX write \\sin x"),
])
def test_a_function_without_its_call_says_how_to_write_it(expr, hint):
    code, out, err = run("diff", expr)
    first = err.splitlines()[0]
    assert code == 2 and out == "" and first.endswith(hint), err
