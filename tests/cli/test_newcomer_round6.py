"""A newcomer's first hour, round 6: each command runs the installed
``chainlens`` and the test reads what a person would read."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHAINLENS = ROOT / ".venv" / "bin" / "chainlens"


def run(*argv: str) -> tuple[int, str, str]:
    proc = subprocess.run([str(CHAINLENS), *argv], capture_output=True, text=True,
                          timeout=240, cwd=ROOT)
    return proc.returncode, proc.stdout, proc.stderr


# `chainlens steps` was "did you mean 'lsp'?" (the closest spelling): the word
# names an option of a command, and the error says which.
@pytest.mark.parametrize("word, meant", [
    ("steps", "chainlens diff --steps"),
    ("hessian", "chainlens diff --hessian"),
    ("paths", "chainlens grad --paths"),
    ("layers", "chainlens graph --layers"),
])
def test_an_option_typed_as_a_command_names_its_command(word, meant):
    code, out, err = run(word, "sin(x^2)")
    assert code == 2 and out == "", err
    assert err.rstrip().endswith(f"did you mean '{meant}'?"), err
    assert "'lsp'" not in err.splitlines()[-1].split("did you mean")[-1]


def test_a_mistyped_command_is_still_its_closest_spelling():
    code, _, err = run("dif", "x^2")
    assert code == 2 and err.rstrip().endswith("did you mean 'diff'?"), err


def test_help_says_check_reads_notes():
    """`chainlens --help` listed check as 'check a claimed derivative' only, and
    `chainlens check --help` described EXPR CLAIMED alone; the README's first
    use of it is `chainlens check examples/notes.md`."""
    code, out, _ = run("--help")
    assert code == 0
    listing = " ".join(out.split())
    assert "check-derivative (check) check a claimed derivative (EXPR CLAIMED), or the " \
           "derivative claims of notes (.md, .tex, .ipynb)" in listing, out
    code, out, _ = run("check", "--help")
    assert code == 0 and "chainlens check notes.md" in " ".join(out.split()), out
    # and what the help promises is what the command does
    code, out, _ = run("check", "examples/notes.md")
    assert code == 1 and "6 correct, 2 wrong, 0 not checked" in out, out


def test_serve_on_a_taken_port_says_so_in_one_line():
    """The README's `chainlens serve` on a port another server holds: exit 1
    and one line naming the cause; it printed gRPC's own log line first
    ('E1202 ... add_port.cc:83] Failed to add port ...') and then 'the host is
    not local, the port is taken or not allowed'."""
    import socket

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        code, out, err = run("serve", "--port", str(port), "--pool-workers", "0")
    assert code == 1 and out == "", err
    assert err.splitlines() == [f"chainlens serve: cannot bind 127.0.0.1:{port}: the port is "
                                "taken (another chainlens serve?); stop it or choose another "
                                "with --port"], err


@pytest.mark.parametrize("name, what, instead", [
    ("model.py", "a Python file", "chainlens health -v {}"),
    ("notes.md", "a Markdown note", "chainlens check {}"),
    ("note.tex", "a LaTeX note", "chainlens check {}"),
])
def test_graph_of_a_file_it_does_not_draw_says_which_command_reads_it(tmp_path, name, what,
                                                                      instead):
    """`chainlens graph examples/model.py` was a .chain parse error at the
    docstring's first quote ('unexpected character '"''); the file is another
    kind, and the error names the command that reads it."""
    path = tmp_path / name
    path.write_text('"""A file of mine."""\nimport numpy as np\n' if name.endswith(".py")
                    else "We have $\\frac{d}{dx} x^2 = 2x$.\n")
    code, out, err = run("graph", str(path), "-o", str(tmp_path / "g.svg"))
    assert code == 2 and out == "", err
    assert err.splitlines() == [f"chainlens graph: {path} is {what}; graph draws a .chain "
                                f"program or an expression. For this file: "
                                + err.split("For this file: ")[-1].rstrip()], err
    assert instead.format(path) in err and "unexpected" not in err
    assert not (tmp_path / "g.svg").exists()


def test_graph_still_draws_a_chain_file_and_an_expression(tmp_path):
    code, _, err = run("graph", "examples/neuron.chain", "-o", str(tmp_path / "n.svg"))
    assert code == 0 and (tmp_path / "n.svg").read_text().lstrip().startswith("<"), err
    code, _, err = run("graph", "sin(x^2)", "-o", str(tmp_path / "e.svg"))
    assert code == 0 and (tmp_path / "e.svg").exists(), err


def test_the_layer_table_says_what_its_columns_are():
    """`chainlens graph deep.chain --layers` printed `k=1  z_k=2.744e-54  a=1.115e-53`
    rows and nothing saying they are |∂L/∂z_k| and |∂L/∂a|; the header goes to
    stderr, so stdout stays one row a layer."""
    code, out, err = run("graph", "examples/deep_sigmoid.chain", "--layers")
    assert code == 0, err
    assert ("chainlens graph --layers: by layer k, z_k: |∂L/∂z_k|, a: |∂L/∂a| at the point "
            "(-o FILE.png plots it)") in err.splitlines(), err
    rows = out.splitlines()
    assert len(rows) == 50 and rows[0].startswith("k=1  z_k=") and rows[-1].startswith("k=50 ")
    assert float(rows[0].split("a=")[1]) < 1e-20 * float(rows[-1].split("a=")[1])


MODELS = '''import torch
import torch.nn as nn


class Deep(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(8, 8) for _ in range(3)])

    def forward(self, x):
        for layer in self.layers:
            x = torch.tanh(layer(x))
        return x


class Head(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc(x)
'''


def test_grad_of_a_file_of_models_says_where_their_gradients_are(tmp_path):
    """`chainlens grad lstm.py` (two nn.Module classes) said 'has 2 functions to
    evaluate (Tagger, DeepSigmoid) ...; hint: put the one you want in a .chain
    file': they are models, and `health -v` is what shows their gradients."""
    path = tmp_path / "models.py"
    path.write_text(MODELS)
    code, out, err = run("grad", str(path))
    assert code == 2 and out == "", err
    assert err.splitlines()[0] == (f"chainlens grad: error: {path} has 2 models (Deep, Head); "
                                   "grad evaluates one program at a point; hint: a model's "
                                   f"gradient by layer: chainlens health -v {path}"), err
    code, out, _ = run("health", "-v", str(path))  # and the hint's command does show them
    assert "Deep: |∂L/∂W| by layer" in out, out


def test_grad_of_a_file_of_functions_and_of_nothing(tmp_path):
    two = tmp_path / "two.py"
    two.write_text("import numpy as np\n\ndef f(x):\n    return np.sin(x)\n\n"
                   "def g(x):\n    return x ** 2\n")
    code, _, err = run("grad", str(two), "--at", "x=1")
    assert code == 2 and err.splitlines()[0].startswith(
        f"chainlens grad: error: {two} has 2 functions to evaluate (f, g); "), err
    assert f"chainlens diff {two}" in err
    empty = tmp_path / "empty.py"
    empty.write_text("import numpy as np\nX = 3\n")
    code, _, err = run("grad", str(empty))
    assert code == 2 and f"{empty} has nothing grad can evaluate" in err, err
    one = tmp_path / "one.py"
    one.write_text("import numpy as np\n\ndef f(x):\n    return np.sin(x)\n")
    code, out, err = run("grad", str(one), "--at", "x=0")
    assert code == 0 and "∂f/∂x = 1" in out, err


def test_health_of_a_notebook_names_the_cell_of_each_finding(tmp_path):
    """`chainlens health nb.ipynb` printed `nb.ipynb:2:62: warning: wrong
    derivative …`: line 2 of which cell? `chainlens check` says `(cell 0)`."""
    import json

    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "id": "m", "metadata": {},
         "source": ["## Powers\n", "We have $\\frac{d}{dx} x^4 = 3x^3$.\n"]},
        {"cell_type": "code", "id": "c", "metadata": {}, "execution_count": None, "outputs": [],
         "source": ["import numpy as np\n", "\n", "def soft(x):\n",
                    "    return np.log(1 + np.exp(x))\n"]}]}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb))
    code, out, err = run("health", str(path), "--threshold", "info")
    assert code == 1, err
    lines = out.splitlines()
    assert any(line.startswith(f"{path}:4:12 (cell 1): info: log(1 + exp(u))")
               for line in lines), out
    assert any(line.startswith(f"{path}:2:") and " (cell 0): warning: wrong derivative: d/dx of "
               "x^4 is not 3x^3" in line for line in lines), out
    # the same place as `chainlens check` gives it
    _, checked, _ = run("check", str(path))
    where = checked.split(": warning")[0]
    assert any(line.startswith(where + ": warning") for line in lines), (checked, out)


@pytest.mark.parametrize("source, line", [
    ("z = w*x + b\nL = (sigmoid(z) - 1)^2\n@at x=0.5, w=0.8, b=-0.1\n",
     "    ∂L/∂· measured at its 1 @at point(s)"),
    ("input x in [-1, 1]\nparam w in [-1, 1]\nL = tanh(w*x)^2\n",
     "    ∂L/∂· measured at 16 point(s) sampled from the inputs' ranges"),
])
def test_health_v_says_where_it_measured_in_words(tmp_path, source, line):
    """`health -v` ended 'measured at 1 at point(s) of L' (an @at point) or
    'measured at 16 sampled point(s) of L': the points are the inputs'."""
    path = tmp_path / "p.chain"
    path.write_text(source)
    code, out, err = run("health", "-v", str(path))
    assert code == 0, err
    assert line in out.splitlines() and "point(s) of" not in out, out
