"""The example notebook runs top to bottom against the server it starts."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "clients" / "notebook" / "example.ipynb"


@pytest.mark.timeout(120)
def test_the_example_notebook_runs_top_to_bottom(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, kernel_name="python3", timeout=90,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = {i: cell.get("outputs", []) for i, cell in enumerate(nb.cells)
               if cell.cell_type == "code"}
    assert not [o for outs in outputs.values() for o in outs if o.output_type == "error"]
    shown = "".join(str(o.get("data", {})) + o.get("text", "")
                    for outs in outputs.values() for o in outs)
    assert "text/latex" in shown and "text/html" in shown  # results render richly
    assert "'largest batch'" in shown and "image/png" in shown
