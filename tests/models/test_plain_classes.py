"""What counts as a model class (#12): a class deriving from a framework
``Module`` (``nn.Module``, Flax's, Haiku's ``hk.Module``, ``from torch.nn
import Module``) or from such a class of the file; a file's own plain
``class Module:`` (micrograd's base, with ``zero_grad`` and ``parameters``
over scalar ``Value`` objects) is not one, so its subclasses are neither
read as models nor counted in the corpus figures' denominator, and their
methods are read as functions, each skip with its reason.  A framework base
imported under another name (``from torch.nn import Module as TorchModule``)
makes model classes as ``nn.Module`` does."""

import ast

from chainlens.engine.frontends.document import read_document
from chainlens.engine.frontends.python_modules import forward_classes, plain_bases

SCALAR_NET = '''
import random


class Module:
    def parameters(self):
        return []


class Unit(Module):
    def __init__(self, n):
        self.w = [random.uniform(-1, 1) for _ in range(n)]

    def __call__(self, x):
        return sum(wi * xi for wi, xi in zip(self.w, x))


class Stack(Module):
    def __init__(self, n, m):
        self.units = [Unit(n) for _ in range(m)]

    def __call__(self, x):
        return [u(x) for u in self.units]
'''

TORCH_BASE = '''
import torch
from torch import nn
from torch.nn import Module as TorchModule


class Module(nn.Module):
    """A project's own base over nn.Module."""


class Net(Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        return torch.relu(self.fc(x))


class Other(TorchModule):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        return self.fc(x)
'''


def test_a_plain_module_base_of_the_file_is_not_a_framework_module():
    tree = ast.parse(SCALAR_NET)
    assert plain_bases(tree) == {"Module"}
    assert forward_classes(tree) == []
    doc = read_document(SCALAR_NET, path="scalar_net.py")
    assert not [u for u in doc.programs if u.kind == "module"]
    skipped = [s for s in doc.skipped if s.name == "__call__"]
    assert len(skipped) == 2 and all(s.reason.strip() for s in skipped)


def test_a_module_base_over_nn_module_still_makes_model_classes():
    tree = ast.parse(TORCH_BASE)
    assert plain_bases(tree) == frozenset()
    assert forward_classes(tree) == ["Net", "Other"]
    doc = read_document(TORCH_BASE, path="torch_base.py")
    assert {u.label for u in doc.programs if u.kind == "module"} == {"Net", "Other"}
