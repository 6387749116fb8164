"""A real Emacs as the client: ``emacs --batch`` loads the shipped
clients/emacs/chainlens.el, opens a ``.chain`` file in chainlens-mode, starts
eglot, gets a hover on a name and a flymake diagnostic.  Skipped when
Emacs or eglot is missing (Debian: apt-get install emacs-nox elpa-eglot
elpa-markdown-mode)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
EMACS = shutil.which("emacs")
EL = HERE.parents[1] / "clients" / "emacs" / "chainlens.el"

TYPO = """# one neuron, with a typo on line 3
z = w*x + b
a = sigmoud(z)
L = (a - y)^2
@at x=0.5, w=0.8, b=-0.1, y=1
"""


def _has_eglot() -> bool:
    probe = subprocess.run([EMACS, "--batch", "--eval", "(require 'eglot)"],
                           capture_output=True, timeout=60)
    return probe.returncode == 0


def test_emacs_eglot_gets_a_hover_and_a_diagnostic(tmp_path):
    if EMACS is None or not _has_eglot():
        pytest.skip("emacs with eglot is not installed (apt-get install emacs-nox elpa-eglot)")
    chain = tmp_path / "typo.chain"
    chain.write_text(TYPO)
    out = tmp_path / "report.json"
    env = {**os.environ, "CHAINLENS_FILE": str(chain), "CHAINLENS_PYTHON": sys.executable,
           "CHAINLENS_EL": str(EL), "CHAINLENS_EMACS_OUT": str(out), "HOME": str(tmp_path)}
    run = subprocess.run([EMACS, "--batch", "-l", str(HERE / "emacs" / "drive.el")], env=env,
                         cwd=tmp_path, timeout=150, capture_output=True, text=True)
    assert out.exists(), run.stderr[-3000:]
    report = json.loads(out.read_text())
    assert report["mode"] == "chainlens-mode"
    # the typo costs its own statement only: the hover on w still answers
    assert report["hover"].startswith("**∂L/∂w** = `0`")
    (error,) = report["diagnostics"]
    assert error["line"] == 3 and error["type"] == "eglot-error"
    assert "unknown function 'sigmoud'" in error["text"]
