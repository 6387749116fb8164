"""A newcomer's first minutes in Emacs + eglot, set up as the README says
(``(load ".../clients/emacs/chainlens.el")``, then ``M-x eglot``), from an
Emacs whose PATH has no chainlens (started from a desktop): the shipped
file finds the checkout's ``.venv/bin/chainlens`` (eglot used to ask
"Enter program to execute").  A LaTeX note with a preamble macro gets its
wrong claim flagged with a quick fix; a package whose block comes from a
sibling module (``from .layers import Block``) reads in the editor exactly
as ``chainlens health`` prints it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EMACS = shutil.which("emacs")
EL = ROOT / "clients" / "emacs" / "chainlens.el"
DRIVE = Path(__file__).with_name("newcomer_drive.el")
CHAINLENS = ROOT / ".venv" / "bin" / "chainlens"

NOTE = r"""\documentclass{article}
\newcommand{\dd}[1]{\frac{d}{d#1}}
\begin{document}
The sigmoid: $\dd{x} \sigma(x) = \sigma(x)(1 - \sigma(x))$.

A slip: $\dd{x} e^{3x} = e^{3x}$.
\end{document}
"""



#: a package whose blocks its model imports from a sibling module (one fixture for
#: the CLI, Neovim and Emacs first-hour tests)
PACKAGE = Path(__file__).resolve().parent / "fixtures" / "deep_package"
LAYERS = (PACKAGE / "layers.py").read_text()
MODEL = (PACKAGE / "model.py").read_text()


def _has_eglot() -> bool:
    probe = subprocess.run([EMACS, "--batch", "--eval", "(require 'eglot)"],
                           capture_output=True, timeout=60)
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(EMACS is None or not _has_eglot() or not CHAINLENS.exists(),
                                reason="needs emacs with eglot and the checkout's .venv")


def _no_chainlens_path() -> str:
    return os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep)
                           if p and not (Path(p) / "chainlens").exists())


def drive(tmp_path: Path, file: Path, hovers: str = "") -> dict:
    out = tmp_path / "report.json"
    env = {**os.environ, "PATH": _no_chainlens_path(), "HOME": str(tmp_path), "F": str(file),
           "OUT": str(out), "EL": str(EL), "HOVERS": hovers}
    env.pop("VIRTUAL_ENV", None)
    run = subprocess.run([EMACS, "--batch", "-l", str(DRIVE)], env=env, cwd=file.parent,
                         timeout=240, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert out.exists(), run.stderr[-3000:]
    return json.loads(out.read_text())


def test_a_latex_note_without_chainlens_on_path(tmp_path):
    note = tmp_path / "calc.tex"
    note.write_text(NOTE)
    report = drive(tmp_path, note, "4:40;6:20")
    assert report["command"] == [str(CHAINLENS), "lsp"], report
    assert report["server"] is True, report
    (wrong,) = report["diagnostics"]
    assert wrong.startswith("6: ") and "d/dx of e^{3x} is not e^{3x}; it is 3e^(3x)" in wrong
    assert "✓ correct" in report["hover 4:40"]
    assert "✗ wrong" in report["hover 6:20"]
    assert "6: Correct the claim to 3 e^{3 x}" in report["actions"]


MARKDOWN = r"""# Week 3

The chain rule: $\frac{d}{dx} \sin(x^2) = 2x\cos(x^2)$.

A slip: $\frac{d}{dx} \ln(x^2 + 1) = \frac{1}{x^2 + 1}$.
"""


def test_a_markdown_note(tmp_path):
    """A Markdown buffer (markdown-mode, Emacs 28 + elpa-markdown-mode):
    the slip is flagged with its quick fix, the correct line hovers as
    correct."""
    note = tmp_path / "week3.md"
    note.write_text(MARKDOWN)
    report = drive(tmp_path, note, "3:45;5:30")
    if report["mode"] != "markdown-mode":
        pytest.skip("markdown-mode is not installed (apt-get install elpa-markdown-mode)")
    (wrong,) = report["diagnostics"]
    assert wrong.startswith("5: ") and "it is 2x/(x² + 1)" in wrong, wrong
    assert "✓ correct" in report["hover 3:45"]
    assert "✗ wrong" in report["hover 5:30"]
    assert "5: Correct the claim to \\frac{2 x}{x^{2} + 1}" in report["actions"]


def test_a_package_reads_as_chainlens_health_prints_it(tmp_path):
    pkg = tmp_path / "mypkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "layers.py").write_text(LAYERS)
    (pkg / "model.py").write_text(MODEL)
    cli = subprocess.run([str(CHAINLENS), "health", "mypkg/model.py"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=240)
    assert cli.returncode == 1, cli.stdout + cli.stderr
    (line,) = cli.stdout.splitlines()
    where, _, rest = line.partition(": error: ")
    message = rest.removesuffix(" [vanishing]")
    assert where == "mypkg/model.py:10:20" and "through 22 layers" in message, line
    report = drive(tmp_path, pkg / "model.py", "7:7")
    assert report["mode"] == "python-mode" and report["server"] is True, report
    assert list(report["diagnostics"]) == [f"10: chainlens [vanishing]: {message}"], report
    hover = report["hover 7:7"]
    assert hover.startswith("**DeepNet** (module)\n22 layer(s) with weights"), hover
    assert "**Gradient flow: vanishing**" in hover
