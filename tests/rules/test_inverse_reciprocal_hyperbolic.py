"""acoth, asech and acsch: table entries like atanh's, read by every path
(parse in each notation, symbolic diff, printing, numeric forward and
backward, one-point helpers, notes' LaTeX).  Oracles: SymPy's own acoth,
asech, acsch and central differences of numpy's forward."""

from __future__ import annotations

import math

import numpy as np
import pytest
from chainlens.engine import diff, evaluate, parse, parse_expr
from chainlens.engine.printing import to_latex, to_python, to_text, to_unicode
from chainlens.engine.rules import RULES

sp = pytest.importorskip("sympy")
X = sp.Symbol("x", real=True)
SYMPY = {"acoth": sp.acoth(X), "asech": sp.asech(X), "acsch": sp.acsch(X)}
#: points inside each domain (acoth: |x| > 1; asech: 0 < x < 1; acsch: x ≠ 0)
POINTS = {"acoth": [-3.5, -1.2, 1.05, 2.0, 40.0], "asech": [0.01, 0.3, 0.7, 0.99],
          "acsch": [-4.0, -0.2, 0.3, 2.5]}
CASES = [(name, x) for name, xs in POINTS.items() for x in xs]


@pytest.mark.parametrize(("name", "x"), CASES)
def test_value_and_gradient_match_sympy(name, x):
    ev = evaluate(parse(f"f = {name}(x)"), {"x": x})
    e = SYMPY[name]
    assert ev.values["f"][0] == pytest.approx(float(e.subs(X, x)), rel=1e-12)
    assert ev.gradients["f"]["x"][0] == pytest.approx(float(sp.diff(e, X).subs(X, x)), rel=1e-10)


@pytest.mark.parametrize(("name", "x"), CASES)
def test_symbolic_derivative_matches_sympy_and_central_differences(name, x):
    d = diff(parse_expr(f"{name}(x)"), "x")
    ours = sp.sympify(to_text(d.result).replace("^", "**"), locals={"x": X})
    assert float(ours.subs(X, x)) == pytest.approx(float(sp.diff(SYMPY[name], X).subs(X, x)),
                                                   rel=1e-10)
    f = RULES[name].forward
    h = 1e-6 * max(1.0, abs(x))
    central = (f(x + h) - f(x - h)) / (2 * h)
    assert float(ours.subs(X, x)) == pytest.approx(float(central), rel=1e-5)


@pytest.mark.parametrize("name", sorted(SYMPY))
def test_scalar_helper_and_python_form_agree_with_the_forward(name):
    rule = RULES[name]
    helper = rule.helpers["_" + name]
    for x in [*POINTS[name], 0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 1.5]:
        want = float(rule.forward(np.float64(x)))
        got = helper(x)
        assert (math.isnan(want) and math.isnan(got)) or got == pytest.approx(want, rel=1e-14), x
    source = to_python(parse_expr(f"{name}(x)"))
    for x in POINTS[name]:  # the numpy source, run with numpy only
        assert eval(source, {"np": np, "math": math}, {"x": x}) == pytest.approx(  # noqa: S307
            float(SYMPY[name].subs(X, x)), rel=1e-12)


@pytest.mark.parametrize(("text", "name"), [
    ("acoth(x)", "acoth"), ("arccoth(x)", "acoth"), ("arcoth(x)", "acoth"),
    ("\\arccoth(x)", "acoth"), ("\\arcoth x", "acoth"), ("\\coth^{-1}(x)", "acoth"),
    ("\\operatorname{arccoth}(x)", "acoth"),
    ("asech(x)", "asech"), ("arcsech(x)", "asech"), ("\\arcsech x", "asech"),
    ("\\operatorname{arsech}(x)", "asech"), ("\\operatorname{sech}^{-1}(x)", "asech"),
    ("acsch(x)", "acsch"), ("arccsch(x)", "acsch"), ("\\arccsch x", "acsch"),
    ("\\arcsch(x)", "acsch"), ("\\operatorname{csch}^{-1}(x)", "acsch"),
])
def test_spellings_read_as_the_primitive_and_print_back(text, name):
    node = parse_expr(text)
    assert node.op == name
    for printer in (to_text, to_latex):
        assert parse_expr(printer(node)) is node
    assert to_unicode(node) == f"{name}(x)"
    assert to_latex(node) == f"\\operatorname{{arc{name[1:]}}}\\left(x\\right)"


def test_domain_conditions_are_stated():
    texts = {name: [c.text for c in diff(parse_expr(f"{name}(x)"), "x").conditions]
             for name in SYMPY}
    assert texts["acoth"] == ["|x| > 1"]
    assert texts["asech"][:2] == ["x > 0", "x ≤ 1"]
    assert texts["acsch"] == ["x ≠ 0"]


def test_note_claims_get_verdicts(tmp_path):
    from chainlens.engine.frontends.document import read_document

    note = ("$\\frac{d}{dx} \\operatorname{arcoth} x = \\frac{1}{1-x^2}$\n\n"
            "$\\frac{d}{dx} \\arcsech x = -\\frac{1}{x\\sqrt{1-x^2}}$\n\n"
            "$\\frac{d}{dx} \\arccsch x = \\frac{1}{x\\sqrt{1+x^2}}$\n")
    assert sp.simplify(sp.diff(sp.acsch(X), X) + 1 / (X * sp.sqrt(1 + X ** 2))) != 0  # wrong
    path = tmp_path / "h.md"
    path.write_text(note, encoding="utf-8")
    import subprocess
    from pathlib import Path

    cli = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "chainlens"
    run = subprocess.run([str(cli), "check", str(path)], capture_output=True, text=True,
                         timeout=120)
    assert "2 correct, 1 wrong, 0 not checked" in run.stdout, run.stdout
    assert f"{path}:5:" in run.stdout and "arccsch" in run.stdout
    assert read_document  # the reader the CLI uses is importable (no eval of the note)
