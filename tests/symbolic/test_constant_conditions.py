"""Conditions on constants (red team P2-9): ``where 2π > 0`` under every
partial of a Gaussian said nothing.  A condition with no variable that holds
is dropped; one that fails (``log(−1)``) or a real place is kept."""

from __future__ import annotations

import math
import subprocess
from pathlib import Path

from chainlens.engine import diff, parse_expr
from chainlens.engine.symbolic.values import value_at

GAUSS = "exp(-((x - mu)^2) / (2 * sigma^2)) / (sigma * sqrt(2 * pi))"
ROOT = Path(__file__).resolve().parents[2]


def test_a_gaussian_keeps_only_sigma_nonzero():
    for wrt in ("x", "mu", "sigma"):
        d = diff(parse_expr(GAUSS), wrt)
        assert [c.text for c in d.conditions] == ["σ ≠ 0"], wrt
    # the result itself is unchanged: it matches a central difference of the expression
    env = {"x": 0.4, "mu": -0.3, "sigma": 1.7}
    d = diff(parse_expr(GAUSS), "sigma")
    h = 1e-6

    def f(s):
        return value_at(parse_expr(GAUSS), {**env, "sigma": s})

    central = (f(env["sigma"] + h) - f(env["sigma"] - h)) / (2 * h)
    assert math.isclose(value_at(d.result, env), central, rel_tol=1e-7)


def test_conditions_on_constants_that_fail_or_on_variables_stay():
    texts = [c.text for c in diff(parse_expr("x * log(-1) + sqrt(x)"), "x").conditions]
    assert "−1 > 0" in texts and "x ≥ 0" in texts
    texts = [c.text for c in diff(parse_expr("x * abs(0)"), "x").conditions]
    assert any("|0| is not differentiable" in t for t in texts)  # 0 = 0 holds: kept
    assert diff(parse_expr("x * sqrt(2) + x / pi"), "x").conditions == ()


def test_a_python_gaussian_has_no_constant_condition(tmp_path):
    path = tmp_path / "fns.py"
    path.write_text("import math\nimport numpy as np\n\n\n"
                    "def gauss(x, mu, sigma):\n"
                    "    return np.exp(-((x - mu) ** 2) / (2 * sigma ** 2))"
                    " / (sigma * math.sqrt(2 * math.pi))\n", encoding="utf-8")
    run = subprocess.run([str(ROOT / ".venv" / "bin" / "chainlens"), "diff", str(path)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "π > 0" not in run.stdout and "where σ ≠ 0" in run.stdout, run.stdout
