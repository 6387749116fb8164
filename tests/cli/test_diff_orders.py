"""``chainlens diff``: --order for programs, --hessian, mixed partials
(``--wrt x,y --order 2``), and deep programs printed bounded, one label per
SSA version.  Values are checked against central differences."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from chainlens.cli.main import main
from chainlens.engine.language.reader import parse, parse_expr
from chainlens.engine.symbolic.values import value_at

ROOT = Path(__file__).resolve().parents[2]
NEURON = str(ROOT / "examples" / "neuron.chain")
DEEP = str(ROOT / "examples" / "deep_sigmoid.chain")
POINT = {"x": 0.5, "w": 0.8, "b": -0.1, "y": 1.0}


def run(capsys, *argv) -> tuple[int, str]:
    status = main(["diff", *argv])
    return status, capsys.readouterr().out


def second_difference(f, point, u, v, h=1e-4) -> float:
    def at(du, dv):
        p = dict(point)
        p[u] += du
        p[v] += dv
        return value_at(f, p)

    return (at(h, h) - at(h, -h) - at(-h, h) + at(-h, -h)) / (4 * h * h)


def test_program_order_2_is_second_derivatives_not_first(capsys):
    status, out = run(capsys, NEURON, "--order", "2", "--wrt", "w,b")
    assert status == 0
    heads = [line.split(" = ")[0] for line in out.splitlines()]
    assert heads == ["∂²L/∂w²", "∂²L/∂w∂b", "∂²L/∂b²"]
    status, out = run(capsys, NEURON, "--order", "2", "--wrt", "w,b", "--format", "json")
    loss = parse(Path(NEURON).read_text()).expanded("L")
    for entry in json.loads(out):
        wrt = entry["wrt"] if isinstance(entry["wrt"], list) else [entry["wrt"]] * 2
        got = value_at(parse_expr(entry["result"]["text"]), POINT)
        assert got == pytest.approx(second_difference(loss, POINT, *wrt), rel=1e-4, abs=1e-6)


def test_hessian_of_an_expression(capsys):
    status, out = run(capsys, "x^2*y + sin(x*y)", "--hessian", "--format", "text")
    assert status == 0
    lines = dict(line.split(" = ") for line in out.splitlines())
    assert list(lines) == ["d^2f/dx^2", "d^2f/dxdy", "d^2f/dy^2"]
    f = parse_expr("x^2*y + sin(x*y)")
    point = {"x": 0.7, "y": -0.3}
    for head, (u, v) in zip(lines, [("x", "x"), ("x", "y"), ("y", "y")], strict=True):
        got = value_at(parse_expr(lines[head]), point)
        assert got == pytest.approx(second_difference(f, point, u, v), rel=1e-5)


def test_mixed_partials_of_order_3(capsys):
    status, out = run(capsys, "x^3*y^2", "--order", "3", "--wrt", "x,y", "--format", "text")
    assert status == 0
    assert out.splitlines() == ["d^3f/dx^3 = 6*y^2", "d^3f/dx^2dy = 12*x*y",
                                "d^3f/dxdy^2 = 6*x^2", "d^3f/dy^3 = 0"]


def test_one_variable_keeps_the_textbook_head(capsys):
    status, out = run(capsys, "x^4", "--order", "3")
    assert (status, out) == (0, "d^3/dx^3 x⁴ = 24x\n")


def test_too_many_partials_is_an_input_error(capsys):
    names = ",".join(f"x{i}" for i in range(12))
    status = main(["diff", "+".join(f"x{i}" for i in range(12)), "--wrt", names,
                   "--order", "3"])
    assert status == 2 and "limit is 64" in capsys.readouterr().err


def test_deep_program_is_bounded_with_one_label_per_version(capsys):
    status, out = run(capsys, DEEP)
    assert status == 0 and len(out) < 20_000
    lines = out.splitlines()
    assert len(lines) <= 62 and max(map(len, lines)) < 2_000
    assert lines[-1].startswith("… ") and "--all" in lines[-1]
    heads = [m.group(1) for m in re.finditer(r"^  (∂L/∂\S+) = ", out, re.M)]
    assert len(heads) == len(set(heads))        # one label per SSA version
    assert "∂L/∂a⁽⁵¹⁾" in heads and "∂L/∂a⁽⁵⁰⁾" in heads


def test_deep_program_all_prints_shared_parts(capsys):
    status, out = run(capsys, DEEP, "--all", "--wrt", "w_1")
    assert status == 0
    assert "… " not in out.splitlines()[-1]
    assert re.search(r"where u₁ = ", out)      # shared sub-expressions named once
