"""torch.autograd.Function classes of the file called as ``Fn.apply(x)``
(#12): the flow is read from the Function's static ``forward`` (``ctx`` a
scratch object), checked per layer against PyTorch.  PyTorch
back-propagates through the hand-written ``backward``: one checked to be
forward's derivative is judged (said in the hover); one that disagrees, or
that cannot be checked, is not judged, the hint naming its line
(tests/models/fixtures/autograd_fn.py, read with ast and imported to run)."""

import pathlib

import pytest
import torch_flow  # loaded by conftest.py (tests are not a package)
from chainlens.engine.health.analysis import analyze

torch = pytest.importorskip("torch")

HERE = pathlib.Path(__file__).parent
FACTOR = 2.0
READ = torch_flow.FixtureFile(HERE / "fixtures" / "autograd_fn.py",
                              "chainlens_autograd_fn_fixtures", FACTOR)
fixtures = READ.module


def _x():
    return torch.randn(1, 32)


def test_apply_of_a_function_reads_its_forward_and_agrees_with_torch():
    theirs = torch_flow.torch_ratios(fixtures.SwishNet, _x, [
        lambda m: m.fc1.weight.grad, lambda m: m.fc2.weight.grad, lambda m: m.fc3.weight.grad])
    READ.agree("SwishNet", theirs, verdict="healthy")
    assert "SwishFn.backward (line 17) is the derivative of SwishFn.forward (checked)" in (
        READ.notes("SwishNet"))


def test_a_function_given_the_weight_reads_the_weight_as_a_layer():
    theirs = torch_flow.torch_ratios(fixtures.FnLinearNet, _x, [
        lambda m: m.fc1.weight.grad, lambda m: m.weight.grad, lambda m: m.fc3.weight.grad])
    READ.agree("FnLinearNet", theirs, verdict="not judged")


def test_the_hint_names_the_hand_written_backward():
    report = analyze(READ.units["FnLinearNet"].program)
    assert not {f.kind for f in report.findings} & {"vanishing", "exploding"}
    [hint] = [f for f in report.findings if f.kind == "not-measured"]
    assert "hand-written LinearFn.backward (line 30)" in hint.message
    assert "could not check" in hint.message


def test_a_backward_that_is_not_the_derivative_is_not_judged():
    report = analyze(READ.units["StraightSwishNet"].program)
    assert report.flow.verdict == "not judged"
    [hint] = [f for f in report.findings if f.kind == "not-measured"]
    assert "StraightSwish.backward (line" in hint.message and "disagrees" in hint.message


def test_inline_swish_is_judged_as_before():
    theirs = torch_flow.torch_ratios(fixtures.PlainSwishNet, _x, [
        lambda m: m.fc1.weight.grad, lambda m: m.fc2.weight.grad, lambda m: m.fc3.weight.grad])
    READ.agree("PlainSwishNet", theirs, verdict="healthy")


def test_a_function_class_written_inside_the_module_is_read_through_self():
    theirs = torch_flow.torch_ratios(fixtures.NestedSwishNet, _x, [
        lambda m: m.fc1.weight.grad, lambda m: m.fc2.weight.grad])
    READ.agree("NestedSwishNet", theirs, verdict="healthy")
    assert "NestedSwishNet.Fn.backward (line" in READ.notes("NestedSwishNet")


def test_the_fixtures_backwards_are_what_torch_gradcheck_says():
    # the oracle for the check above: torch's own comparison of backward with forward
    for fn, right in ((fixtures.SwishFn, True), (fixtures.NestedSwishNet.Fn, True),
                      (fixtures.StraightSwish, False)):
        x = torch.randn(8, dtype=torch.float64, requires_grad=True)
        assert torch.autograd.gradcheck(fn.apply, (x,), raise_exception=False) is right


def test_a_saved_output_is_read_as_what_forward_computed():
    # TanhFn saves tanh(x) and writes 1 - y²: checked right; SquaredGrad's
    # grad_output² is not a local derivative: could not check, never "agrees"
    report = analyze(READ.units["TanhFnNet"].program)
    assert "TanhFn.backward (line" in READ.notes("TanhFnNet")
    [hint] = [f for f in report.findings if f.kind == "not-measured"]
    assert "SquaredGrad.backward" in hint.message and "could not check" in hint.message
    x = torch.randn(8, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(fixtures.TanhFn.apply, (x,), raise_exception=False)
