"""A submodule passed to ``__init__`` that no call site of the file gives
(#12, ``ClassificationNet(embedding_net, n_classes)``): read as the file's
one class of that name, built with no arguments, said in the hover and
checked per layer against PyTorch with that class passed in; a class that
itself needs arguments is not guessed (the skip names the argument)."""

import pathlib

import pytest
import torch_flow  # loaded by conftest.py (tests are not a package)

torch = pytest.importorskip("torch")

HERE = pathlib.Path(__file__).parent
READ = torch_flow.FixtureFile(HERE / "fixtures" / "named_args.py",
                              "chainlens_named_args_fixtures", 2.0)
fixtures = READ.module


def test_an_argument_named_like_a_class_is_that_class_as_torch_measures_it():
    theirs = torch_flow.torch_ratios(
        lambda: fixtures.Classifier(fixtures.EmbeddingNet()), lambda: torch.randn(1, 24), [
            lambda m: m.embedding_net.fc1.weight.grad, lambda m: m.embedding_net.fc2.weight.grad,
            lambda m: m.head.weight.grad])
    READ.agree("Classifier", theirs)
    assert "embedding_net of Classifier.__init__ read as EmbeddingNet()" in READ.notes(
        "Classifier")


def test_a_class_that_needs_arguments_is_not_guessed():
    assert "AutoEncoder" not in READ.units
    assert "encoder is an argument of __init__" in READ.skips["AutoEncoder.forward"]


def test_a_module_level_registry_of_the_files_models_is_read():
    theirs = torch_flow.torch_ratios(fixtures.RegistryHead, lambda: torch.randn(1, 24), [
        lambda m: m.encoder.fc1.weight.grad, lambda m: m.encoder.fc2.weight.grad,
        lambda m: m.fc.weight.grad])
    READ.agree("RegistryHead", theirs)
