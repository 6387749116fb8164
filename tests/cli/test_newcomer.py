"""A newcomer's first commands, run as the installed ``chainlens`` command:
each gives the right answer or an error naming what was expected, never an
argparse complaint about an "option", a silent exit 0, or partials of the
made-up names ``d`` and ``dx``."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHAINLENS = ROOT / ".venv" / "bin" / "chainlens"


def run(*argv: str) -> tuple[int, str, str]:
    proc = subprocess.run([str(CHAINLENS), *argv], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    return proc.returncode, proc.stdout, proc.stderr


# A claim or expression that starts with '-' is math, not an unknown option.
@pytest.mark.parametrize("argv, status, first_line", [
    (("check-derivative", "exp(-x^2/2)", "-x*exp(-x^2/2)"), 0, "equal: −x·e^(−x²/2)"),
    (("check-derivative", "log(cos(x))", "-tan(x)", "--wrt", "x"), 0, "equal: −tan(x)"),
    (("check-derivative", "cos(x)", "-sin(x)^2"), 1, "not equal: −sin(x)²"),
    (("diff", "-x^2"), 0, "d/dx −x² = −2x"),
    (("diff", "-x"), 0, "d/dx −x = −1"),
    (("grad", "-x^2", "--at", "x=2"), 0, "at x=2"),
])
def test_a_leading_minus_is_an_expression(argv, status, first_line):
    code, out, err = run(*argv)
    assert (code, out.splitlines()[0]) == (status, first_line), err


def test_options_still_read_as_options():
    code, out, err = run("grad", "-x^2", "--at=x=2", "-v")
    assert code == 0 and "∂f/∂x = -4" in out and "mode:" in out, err


# d/dx written into the expression is the variable to differentiate by.
@pytest.mark.parametrize("expr, answer", [
    ("d/dx x^2", "d/dx x² = 2x"),
    ("d/dx [x^2]", "d/dx x² = 2x"),
    ("d/dt (t^3)", "d/dt t³ = 3t²"),
    (r"\frac{d}{dx} \sin(x^2)", "d/dx sin(x²) = 2x·cos(x²)"),
    (r"\frac{\partial}{\partial y} x*y", "d/dy x·y = x"),
    ("d/dx x*y", "d/dx x·y = y"),
])
def test_a_leading_derivative_operator(expr, answer):
    code, out, err = run("diff", expr)
    assert (code, out.strip()) == (0, answer), err


def test_an_error_after_the_operator_shows_what_was_typed():
    code, out, err = run("diff", "d/dx sin(x")
    assert code == 2 and out == ""
    assert err.splitlines()[1:] == ["  d/dx sin(x", "          ^"], err


def test_the_operator_and_wrt_disagreeing_is_an_error():
    code, _, err = run("diff", "d/dx x*y", "--wrt", "y")
    assert code == 2 and "the expression says d/dx but --wrt says y" in err


def test_the_operator_alone_says_what_is_missing():
    code, _, err = run("diff", "d/dx")
    assert code == 2 and "nothing to differentiate after 'd/dx'" in err


# A definition alone is differentiated; an empty input is an error.
def test_a_definition_alone_is_differentiated():
    code, out, err = run("diff", "f(x, y) = x^2*y")
    assert (code, out.splitlines()) == (0, ["f(x, y) = x²·y", "  ∂f/∂x = 2x·y",
                                            "  ∂f/∂y = x²"]), err


def test_a_definition_alone_is_checked():
    assert run("check-derivative", "f(x) = x^3", "3x^2")[0] == 0
    code, out, _ = run("check-derivative", "f(x) = x^3", "x^2")
    assert code == 1 and out.startswith("not equal: x²")


@pytest.mark.parametrize("argv, words", [
    (("diff", ""), "nothing to differentiate: the input has no expression"),
    (("diff", "# only a comment"), "nothing to differentiate: the input has no expression"),
    (("check-derivative", "", "2x"), "nothing to check: the expression is empty"),
    (("check-derivative", "x*y", "y"), "which variable? the expression has x, y; "
                                       "hint: name one with --wrt x"),
])
def test_nothing_to_do_is_an_error_in_words(argv, words):
    code, out, err = run(*argv)
    assert (code, out) == (2, "") and words in err, err


MODEL = '''import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.fc2 = nn.Linear(8, 1)

    def forward(self, x):
        h = torch.sigmoid(self.fc1(x))
        return self.fc2(h)
'''


def test_parse_of_a_model_reads_in_computing_order_with_readable_ranges(tmp_path):
    path = tmp_path / "model.py"
    path.write_text(MODEL)
    code, out, err = run("parse", str(path))
    lines = out.splitlines()
    assert code == 0, err
    # PyTorch's default init U(±1/√fan_in): 1/√8 = 0.353553, not 249050323/704420689
    assert "param W_fc2: [1, 8] in [-0.353553, 0.353553]" in lines
    assert "param W_fc1: [8, 4] in [-1/2, 1/2]" in lines  # an exact bound stays exact
    body = [line.split(" = ")[0] for line in lines if " = " in line]
    assert body == ["z", "h", "z@2"]


@pytest.mark.parametrize("expr, name, fix", [
    ("sinx", "sinx", "sin(x)"),
    ("cosx^2", "cosx", "cos(x)"),
    ("lnx + y", "lnx", "ln(x)"),
])
def test_a_function_glued_to_its_variable_gets_a_note(expr, name, fix):
    code, out, err = run("diff", expr)
    assert code == 0 and out  # the name is a name: the answer stands
    assert f"note: '{name}' is read as one name;" in err and f"write {fix}" in err


def test_no_note_for_real_functions_or_files():
    assert run("diff", "sinh(x)")[2] == ""
    assert run("diff", "examples/neuron.chain")[2] == ""


@pytest.mark.parametrize("at, words, under", [
    ("q=1", "--at q=1: 'q' is not an input of the program; expected b, w, x or y", "q"),
    ("x=(1", "--at x=(1: '(' opened is never closed", "("),
])
def test_graph_at_errors_name_the_option_not_a_line_never_written(at, words, under, tmp_path):
    code, out, err = run("graph", "examples/neuron.chain", "--at", at,
                         "-o", str(tmp_path / "g.svg"))
    assert code == 2 and words in err, err
    assert "7:" not in err and "@at" not in err  # neuron.chain has 5 lines
    typed = f"--at {at}"
    assert err.splitlines()[1:] == [f"  {typed}", "  " + " " * typed.index(under) + "^"]


def test_the_caret_under_a_line_with_tabs_lines_up(tmp_path):
    path = tmp_path / "rows.tsv"  # a table pasted as it is: read as .chain, a clear error
    path.write_text("sin(x^2)\tx\t2*x*cos(x^2)\n")
    code, _, err = run("parse", str(path))
    line, caret = err.splitlines()[1:3]
    assert code == 2 and "1:12: unexpected '2'" in err
    assert caret.index("^") == line.index("\t2*x") + 1 and caret.count("\t") == 2


def test_check_of_two_notes_checks_both():  # README: chainlens check NOTE…
    code, out, err = run("check", "examples/notes.md", "examples/notes.md")
    single = run("check", "examples/notes.md")[1].splitlines()
    assert code == 1, err
    wrong = [line for line in single if "[wrong-derivative]" in line]
    assert out.splitlines()[:-1] == wrong + wrong
    correct, wrong_n = (int(single[-1].split()[i]) for i in (0, 2))
    assert out.splitlines()[-1].startswith(f"{2 * correct} correct, {2 * wrong_n} wrong")


@pytest.mark.parametrize("claim, status, words", [
    ("d/dx sin(x) = cos(x)", 0, "1 correct, 0 wrong, 0 not checked"),
    ("d/dx sin(x^2) = cos(x^2)", 1, "<claim>:1:17: warning: wrong derivative: d/dx of sin(x^2) "
                                    "is not cos(x^2); it is 2x·cos(x²)"),
    (r"\frac{d}{dx} x^3 = 3x^2", 0, "1 correct"),
])
def test_check_of_a_typed_claim(claim, status, words):
    code, out, err = run("check", claim)
    assert code == status and words in out, (out, err)


@pytest.mark.parametrize("argv, words", [
    (("check", "sin(x)"), "no such file: sin(x); an expression? chainlens check-derivative"),
    (("check", "x = 2"), "no derivative claim in 'x = 2'"),
    (("check", "missing.md"), "no such file: missing.md"),
    (("check", "sin(x)", "cos(x)", "tan(x)"), "3 arguments: check-derivative takes EXPR and "
                                               "CLAIMED"),
])
def test_check_errors_go_to_stderr_in_words(argv, words):
    code, out, err = run(*argv)
    assert (code, out) == (2, "") and words in err, err


def test_a_clean_health_run_says_what_it_looked_at(tmp_path):
    path = tmp_path / "model.py"
    path.write_text(MODEL)
    code, out, err = run("health", str(path))
    assert (code, out) == (0, "")  # stdout: one lint line per finding, none here
    assert err.strip() == ("chainlens health: 1 file, 1 program analysed, no findings "
                           "(-v: what was measured)")


def test_findings_are_the_whole_output():  # the lint lines say it; nothing more on stderr
    code, out, err = run("health", "examples/deep_sigmoid.chain", "examples/deep_residual.chain")
    assert code == 1 and len(out.splitlines()) == 1 and err == ""


def test_grad_at_a_name_that_is_no_input_says_it_as_typed():
    code, out, err = run("grad", "examples/neuron.chain", "--at", "q=1")
    assert (code, out) == (2, "")
    assert err.strip() == ("chainlens grad: error: --at q=1: 'q' is not an input of the "
                           "program; expected b, w, x or y")


@pytest.mark.parametrize("fmt, head", [
    ("unicode", "d/dw₁ w₁² = 2w₁"),
    ("text", "d/dw_1 w_1^2 = 2*w_1"),
    ("latex", r"\frac{d}{dw_{1}}\left[w_{1}^{2}\right] = 2 w_{1}"),
])
def test_the_variable_in_the_head_is_spelt_as_the_body_spells_it(fmt, head):
    assert run("diff", "w_1^2", "--format", fmt)[1].strip() == head


@pytest.mark.parametrize("argv, meant", [
    (("dif", "x^2"), "diff"),
    (("derivative", "x^2"), "diff"),
    (("chek", "a.md"), "check"),
    (("diff", "x", "--format", "unicod"), "unicode"),
])
def test_a_mistyped_command_or_choice_gets_a_did_you_mean(argv, meant):
    code, out, err = run(*argv)
    assert code == 2 and err.rstrip().endswith(f"did you mean '{meant}'?"), err


def test_reading_standard_input_from_a_terminal_says_so():
    import os
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen([str(CHAINLENS), "diff", "-"], stdin=slave, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT)
    os.close(slave)
    os.write(master, b"x^3\n\x04")
    out, err = proc.communicate(timeout=120)
    os.close(master)
    assert proc.returncode == 0 and out.strip() == "d/dx x³ = 3x²"
    assert "chainlens: reading from the terminal (Ctrl-D ends)" in err


def test_piped_standard_input_is_read_quietly():
    proc = subprocess.run([str(CHAINLENS), "diff", "-"], input="x^3\n", capture_output=True,
                          text=True, timeout=120, cwd=ROOT)
    assert (proc.returncode, proc.stdout.strip(), proc.stderr) == (0, "d/dx x³ = 3x²", "")
