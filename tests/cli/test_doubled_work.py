"""Work done once: each pinned by a counter on the engine function."""

from __future__ import annotations

import pytest
from chainlens.cli.main import main
from chainlens.engine.numeric import kernel as kernel_module


@pytest.fixture
def compiles(monkeypatch):
    calls = []
    real = kernel_module.compile

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(kernel_module, "compile", counting)
    return calls


@pytest.mark.parametrize("argv", [
    ["sin(x^2)", "--at", "x=1"],
    ["z = w*x + b\nL = sigmoid(z)", "--at", "x=0.5,w=0.8,b=-0.1", "--wrt", "w,b"],
    ["x*y", "--at", "x=1,y=2", "--at", "x=3,y=4", "--format", "json"],
])
def test_grad_compiles_once(capsys, compiles, argv):
    assert main(["grad", *argv]) == 0
    assert len(compiles) == 1


def test_grad_values_are_right_after_the_change(capsys):
    import math

    assert main(["grad", "sin(x^2)", "--at", "x=1"]) == 0
    out = capsys.readouterr().out
    assert f"∂f/∂x = {2 * math.cos(1.0):.10g}" in out


def test_grad_rejects_a_point_name_before_compiling(capsys, compiles):
    assert main(["grad", "x*y", "--at", "x=1,q=2"]) == 2
    assert compiles == []
    assert "'q' is not an input" in capsys.readouterr().err
