"""The example notebook works both ways its text describes: against the
server it starts (tests/rpc/test_notebook.py) and against one started
elsewhere (here: ``chainlens serve`` as a real process, its address in
``CHAINLENS_ADDRESS``), in one notation (Unicode, LaTeX where rendered)."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "clients" / "notebook" / "example.ipynb"


@pytest.mark.timeout(180)
def test_the_notebook_runs_against_an_external_server(tmp_path, monkeypatch):
    proc = subprocess.Popen([str(Path(sys.executable).parent / "chainlens"), "serve",
                             "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        address = re.search(r"on (127\.0\.0\.1:\d+)", proc.stdout.readline()).group(1)
        monkeypatch.setenv("CHAINLENS_ADDRESS", address)
        nb = nbformat.read(NOTEBOOK, as_version=4)
        NotebookClient(nb, kernel_name="python3", timeout=120,
                       resources={"metadata": {"path": str(tmp_path)}}).execute()
        assert proc.poll() is None, "the notebook must not stop a server it did not start"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)
        proc.stdout.close()
        proc.stderr.close()
    outs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outs if o.output_type == "error"]
    shown = "".join(str(o.get("data", {})) + o.get("text", "") for o in outs)
    assert address in shown and "'largest batch'" in shown
    printed = "".join(o.get("text", "") for o in outs if o.output_type == "stream")
    assert "valid where x² − 1 > 0" in printed and "('" not in printed   # no raw tuple
    steps = [line for line in printed.splitlines() if re.match(r"\s+\d+\. ", line)]
    assert steps and all("^" not in s and "*" not in s for s in steps)  # Unicode, not ASCII
