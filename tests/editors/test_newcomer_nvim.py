"""A newcomer's first minutes in headless Neovim, set up with the README's
one-liner (``--cmd "set rtp+=clients/nvim" --cmd "lua
require('chainlens').setup()"``): a LaTeX note with a preamble macro and an
``align*`` chain (the wrong step's quick fix applied, the saved file
re-checked by ``chainlens check``), and a model package whose block is
imported from a sibling module, read in the editor as ``chainlens health``
prints it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NVIM = shutil.which("nvim")
CHAINLENS = ROOT / ".venv" / "bin" / "chainlens"
PROBE = Path(__file__).with_name("newcomer_probe.lua")
pytestmark = pytest.mark.skipif(NVIM is None or not CHAINLENS.exists(),
                                reason="needs Neovim and the checkout's .venv")

NOTE = r"""\documentclass{article}
\usepackage{amsmath}
\newcommand{\dd}[1]{\frac{d}{d#1}}
\begin{document}
\begin{align*}
\dd{x} \left( x^2 \sin x \right) &= 2x \sin x + x^2 \cos x \\
  &= x^2 \cos x
\end{align*}
\end{document}
"""


#: a package whose blocks its model imports from a sibling module (one fixture for
#: the CLI, Neovim and Emacs first-hour tests)
PACKAGE = Path(__file__).resolve().parent / "fixtures" / "deep_package"
LAYERS = (PACKAGE / "layers.py").read_text()
MODEL = (PACKAGE / "model.py").read_text()


def probe(file: Path, hovers: str = "", apply: int = 0) -> dict:
    out = file.parent / "report.json"
    env = dict(os.environ, OUT=str(out), HOVERS=hovers, APPLY=str(apply),
               SAVEAS=str(file.with_name("fixed" + file.suffix)))
    # -u NONE (no user config) also turns filetype detection off: Neovim's default is on
    subprocess.run([NVIM, "--headless", "-u", "NONE", "--cmd", "filetype on",
                    "--cmd", "set rtp+=clients/nvim",
                    "--cmd", "lua require('chainlens').setup()", str(file),
                    "-c", f"luafile {PROBE}"],
                   capture_output=True, text=True, env=env, timeout=300, cwd=ROOT)
    assert out.exists(), "the probe wrote nothing"
    return json.loads(out.read_text())


def test_a_latex_align_chain_fixed_and_rechecked(tmp_path):
    note = tmp_path / "calc.tex"
    note.write_text(NOTE)
    report = probe(note, "6:40", apply=1)
    assert report["clients"] == 1
    (wrong,) = report["diagnostics"]
    assert wrong.startswith("7:6: wrong derivative: d/dx of x^{2} \\sin x is not x^2 \\cos x")
    assert "✓ correct" in report["hovers"]["6:40"]
    # (a hover on line 7 shows line 6's verdict: reported, server/lsp/hover.py)
    assert report["applied"].startswith("Correct the claim to ")
    fixed = tmp_path / "fixed.tex"
    assert fixed.read_text().count("\n") == NOTE.count("\n")  # one step rewritten, no line added
    check = subprocess.run([str(CHAINLENS), "check", str(fixed)], capture_output=True,
                           text=True, timeout=240)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.splitlines()[-1] == "2 correct, 0 wrong, 0 not checked"



def test_a_latex_chapter_without_a_preamble_is_checked(tmp_path):
    """A chapter file (no \\documentclass: Neovim's filetype is plaintex, not
    tex) gets the server too (round 10's red team: it was never attached)."""
    note = tmp_path / "chapter.tex"
    note.write_text("\\section{Rules}\n$\\frac{d}{dx} x^3 = 2x^2$ and "
                    "$\\frac{d}{dx} \\sin x = \\cos x$.\n")
    report = probe(note)
    assert report["clients"] == 1
    (wrong,) = report["diagnostics"]  # d/dx x^3 = 3x^2, not 2x^2; sin' = cos is right
    assert wrong.startswith("2:21: wrong derivative: d/dx of x^3 is not 2x^2"), wrong


def test_a_package_reads_as_chainlens_health_prints_it(tmp_path):
    pkg = tmp_path / "mypkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "layers.py").write_text(LAYERS)
    (pkg / "model.py").write_text(MODEL)
    cli = subprocess.run([str(CHAINLENS), "health", str(pkg / "model.py")],
                         capture_output=True, text=True, timeout=240)
    (line,) = cli.stdout.splitlines()
    message = line.partition(": error: ")[2].removesuffix(" [vanishing]")
    assert "through 22 layers" in message, line
    report = probe(pkg / "model.py", "7:7;14:9")
    assert report["diagnostics"] == [f"10:20: {message}"], report
    for where in ("7:7", "14:9"):  # the class and its forward
        hover = report["hovers"][where]
        assert hover.startswith("**DeepNet** (module)\n22 layer(s) with weights"), hover
        assert "**Gradient flow: vanishing**" in hover
