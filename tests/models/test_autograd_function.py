"""torch.autograd.Function classes of the file called as ``Fn.apply(x)``
(#12): the flow is read from the Function's static ``forward`` (``ctx`` a
scratch object), checked per layer against PyTorch, and the verdict is not
judged, because PyTorch back-propagates through the hand-written
``backward``, which chainlens does not check against forward's derivative
(tests/models/fixtures/autograd_fn.py, read with ast and imported to run)."""

import importlib.util
import pathlib

import pytest
from chainlens.engine.health.analysis import analyze

torch = pytest.importorskip("torch")

HERE = pathlib.Path(__file__).parent
_spec = importlib.util.spec_from_file_location("chainlens_torch_flow_autograd",
                                               HERE / "torch_flow.py")
torch_flow = importlib.util.module_from_spec(_spec)  # tests are not a package
_spec.loader.exec_module(torch_flow)
FACTOR = 2.0
READ = torch_flow.FixtureFile(HERE / "fixtures" / "autograd_fn.py",
                              "chainlens_autograd_fn_fixtures", FACTOR)
fixtures = READ.module


def _x():
    return torch.randn(1, 32)


def test_apply_of_a_function_reads_its_forward_and_agrees_with_torch():
    theirs = torch_flow.torch_ratios(fixtures.SwishNet, _x, [
        lambda m: m.fc1.weight.grad, lambda m: m.fc2.weight.grad, lambda m: m.fc3.weight.grad])
    READ.agree("SwishNet", theirs, verdict="not judged")


def test_a_function_given_the_weight_reads_the_weight_as_a_layer():
    theirs = torch_flow.torch_ratios(fixtures.FnLinearNet, _x, [
        lambda m: m.fc1.weight.grad, lambda m: m.weight.grad, lambda m: m.fc3.weight.grad])
    READ.agree("FnLinearNet", theirs, verdict="not judged")


def test_the_hint_names_the_hand_written_backward():
    for name, fn, line in (("SwishNet", "SwishFn", 17), ("FnLinearNet", "LinearFn", 30)):
        report = analyze(READ.units[name].program)
        assert not {f.kind for f in report.findings} & {"vanishing", "exploding"}
        [hint] = [f for f in report.findings if f.kind == "not-measured"]
        assert f"hand-written {fn}.backward (line {line})" in hint.message


def test_inline_swish_is_judged_as_before():
    theirs = torch_flow.torch_ratios(fixtures.PlainSwishNet, _x, [
        lambda m: m.fc1.weight.grad, lambda m: m.fc2.weight.grad, lambda m: m.fc3.weight.grad])
    READ.agree("PlainSwishNet", theirs, verdict="healthy")


def test_a_function_class_written_inside_the_module_is_read_through_self():
    theirs = torch_flow.torch_ratios(fixtures.NestedSwishNet, _x, [
        lambda m: m.fc1.weight.grad, lambda m: m.fc2.weight.grad])
    READ.agree("NestedSwishNet", theirs, verdict="not judged")
    [hint] = [f for f in analyze(READ.units["NestedSwishNet"].program).findings
              if f.kind == "not-measured"]
    assert "hand-written NestedSwishNet.Fn.backward" in hint.message
