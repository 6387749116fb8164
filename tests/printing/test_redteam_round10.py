"""Round 10's red team on the Unicode printer: a name's word suffix is not
a subscript (``soft_loss``, not ``softₗₒₛₛ``), an accent suffix is the accent
(``y_hat`` is ``ŷ``, as the note wrote ``\\hat y``), and an exponent that is a
call is bracketed (``e^(σ(x))``; ``e^σ(x)`` reads as ``(e^σ)·x``)."""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

import pytest
import sympy as sp
from chainlens.engine.language.reader import parse_expr
from chainlens.engine.printing import display_symbol, to_unicode

ROOT = Path(__file__).resolve().parents[2]
CHAINLENS = ROOT / ".venv" / "bin" / "chainlens"


@pytest.mark.parametrize(("name", "shown"), [
    ("y_hat", "ŷ"), ("x_bar", "x̄"), ("u_tilde", "ũ"), ("theta_hat", "θ̂"),
    ("soft_loss", "soft_loss"), ("log_prob", "log_prob"), ("w_ij", "w_ij"),
    ("w_1", "w₁"), ("w_12", "w₁₂"), ("w_k", "wₖ"), ("y_hat@2", "ŷ⁽²⁾"),
])
def test_names_in_unicode(name, shown):
    assert display_symbol(name, "unicode") == shown


@pytest.mark.parametrize("text", ["soft_loss * w_1 + w_12", "log_prob - w_k"])
def test_word_suffixes_read_back(text):
    node = parse_expr(text)
    assert parse_expr(to_unicode(node)) is node


@pytest.mark.parametrize(("text", "shown"), [
    ("exp(sigmoid(x))", "e^(σ(x))"),
    ("exp(abs(x))", "e^(|x|)"),
    ("exp(x)", "e^x"), ("exp(-x)", "e^(−x)"), ("2^x", "2^x"), ("x^y^z", "x^y^z"),
])
def test_a_call_in_an_exponent_is_bracketed(text, shown):
    node = parse_expr(text)
    assert to_unicode(node) == shown
    assert parse_expr(shown) is node  # and reads back as the same expression


def test_the_cli_writes_the_bracketed_exponent():
    x = sp.Symbol("x")
    s = 1 / (1 + sp.exp(-x))
    oracle = sp.diff(sp.exp(s), x)  # σ·e^σ·(1 − σ): the printed form, checked at a point
    assert math.isclose(float(oracle.subs(x, 0.3)),
                        float((s * sp.exp(s) * (1 - s)).subs(x, 0.3)), rel_tol=1e-12)
    run = subprocess.run([str(CHAINLENS), "diff", "exp(sigmoid(x))", "--format", "unicode"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "d/dx e^(σ(x)) = σ(x)·e^(σ(x))·(1 − σ(x))"


def test_note_and_python_heads_use_the_printed_names(tmp_path):
    note = tmp_path / "n.md"
    note.write_text("$$L = (y - \\hat y)^2$$\n\n"
                    "$$\\frac{\\partial L}{\\partial \\hat y} = -2(y - \\hat y)$$\n",
                    encoding="utf-8")
    y, yh = sp.symbols("y yh")
    assert sp.expand(sp.diff((y - yh) ** 2, yh)) == 2 * yh - 2 * y  # the oracle
    run = subprocess.run([str(CHAINLENS), "diff", str(note)], capture_output=True, text=True,
                         timeout=120)
    assert "∂f/∂ŷ = 2ŷ − 2y" in run.stdout, run.stdout
    model = tmp_path / "m.py"
    model.write_text("def soft_loss(x):\n    return x**3\n", encoding="utf-8")
    run = subprocess.run([str(CHAINLENS), "diff", str(model), "--order", "3"],
                         capture_output=True, text=True, timeout=120)
    assert "∂³soft_loss/∂x³ = 6" in run.stdout, run.stdout  # no ASCII caret, no ₗₒₛₛ
    assert "^" not in run.stdout
