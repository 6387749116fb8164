"""One compiled kernel per program: the editor's health worker asks for the
point values (``evaluate(keep=True)``) and the health report (``analyze``) of
one document, and both run on one kernel (issue #11, "work done twice").
Counters on the kernel's constructor pin it."""

from __future__ import annotations

from pathlib import Path

import pytest
from chainlens.engine.core.cache import Cache
from chainlens.engine.health.analysis import analyze
from chainlens.engine.language.reader import parse
from chainlens.engine.numeric import kernel as kernel_module

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def built(monkeypatch):
    """The programs a kernel was built for, in order (a fresh kernel cache)."""
    programs = []
    real = kernel_module.Kernel

    class Counting(real):
        def __init__(self, program, *args, **kwargs):
            programs.append(program)
            super().__init__(program, *args, **kwargs)

    monkeypatch.setattr(kernel_module, "Kernel", Counting)
    monkeypatch.setattr(kernel_module, "_KERNELS", Cache(max_entries=64))
    return programs


def _document(name: str):
    return parse((EXAMPLES / name).read_text(encoding="utf-8"))


LAYERS = """a = x
repeat k in 1..3 {
  a = tanh(w_k * a + b_k)
}
L = (a - y)^2
@at x=0.5, w_1=0.9, w_2=1.1, w_3=-0.7, b_1=0, b_2=0.1, b_3=0.2, y=1
"""


@pytest.mark.parametrize("program", [_document("neuron.chain"), parse(LAYERS)],
                         ids=["neuron", "three tanh layers"])
def test_point_values_and_health_share_one_kernel(built, program):
    ev = kernel_module.evaluate(program, keep=True)
    report = analyze(program)
    assert ev.node_values and report.values
    assert [p for p in built if p == program] == [program]


def test_the_health_worker_compiles_a_document_once(built):
    from chainlens.server.lsp.workers import _judge_one

    program = _document("neuron.chain")
    judged = _judge_one(program, 1e-6, 1e6, True)
    assert judged.problems == () and judged.point is not None
    assert [p for p in built if p == program] == [program]


def test_an_equal_program_read_again_is_not_compiled_again(built):
    kernel_module.compile(_document("neuron.chain"))
    kernel_module.compile(_document("neuron.chain"))
    assert len(built) == 1


def test_a_different_request_gets_its_own_kernel(built):
    program = _document("neuron.chain")
    a = kernel_module.compile(program)
    b = kernel_module.compile(program, wrt="w")
    assert a is not b and b.wrt == ("w",) and len(built) == 2
