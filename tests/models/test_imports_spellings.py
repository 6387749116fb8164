"""Spellings of the libraries a model file chooses: aliases (``import torch
as th``), a class that is a library layer under the file's own name
(``class LayerNorm(nn.LayerNorm)``), ``torch.autograd.Variable``; each read
as PyTorch runs it (the same flow as the usual spelling, checked with torch)."""


import pytest
import torch
import torch_flow  # loaded by conftest.py (tests are not a package)
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze
from torch.autograd import Variable

USUAL = '''
import torch
from torch import nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 16)
        self.fc2 = nn.Linear(16, 16)
        self.fc3 = nn.Linear(16, 4)

    def forward(self, x):
        h = torch.tanh(self.fc1(x))
        h = F.gelu(self.fc2(h))
        return self.fc3(h)
'''

ALIASES = [
    ("import torch as th", "import torch as th\nfrom torch import nn\n"
     "import torch.nn.functional as F", {"torch.tanh": "th.tanh"}),
    ("import torch.nn as tnn", "import torch\nimport torch.nn as tnn\n"
     "import torch.nn.functional as F", {"nn.": "tnn."}),
    ("from torch import nn as N", "import torch\nfrom torch import nn as N\n"
     "import torch.nn.functional as F", {"nn.": "N."}),
    ("import torch.nn.functional as tf", "import torch\nfrom torch import nn\n"
     "import torch.nn.functional as tf", {"F.gelu": "tf.gelu"}),
    ("from torch.nn import functional as fn", "import torch\nfrom torch import nn\n"
     "from torch.nn import functional as fn", {"F.gelu": "fn.gelu"}),
]


def _spelled(header: str, renames: dict) -> str:
    body = USUAL.split("\n\n\n", 1)[1]
    for old, new in renames.items():
        body = body.replace(old, new)
    return header + "\n\n\n" + body


def _ratios(text: str) -> list[float]:
    doc = read_document(text, "python")
    units = {u.label: u for u in doc.programs}
    assert "Net" in units, doc.skipped
    return [f.ratio for f in analyze(units["Net"].program).flow.layers]


@pytest.mark.parametrize("header,imports,renames", ALIASES, ids=[a[0] for a in ALIASES])
def test_an_alias_of_a_library_reads_as_the_usual_name(tmp_path, header, imports, renames):
    text = _spelled(imports, renames)
    assert _ratios(text) == _ratios(USUAL)
    path = tmp_path / "aliased.py"
    path.write_text(text)
    grads = torch_flow.torch_layer_grads(torch_flow.load(path, "chainlens_aliased").Net, 8)
    flow = analyze(read_document(text, "python").programs[0].program).flow
    torch_flow.assert_layers_agree(flow, grads, 3.0)


def test_an_alias_the_file_also_assigns_is_left_as_written():
    text = _spelled("import torch as th\nfrom torch import nn\nimport torch.nn.functional as F",
                    {"torch.tanh": "th.tanh"}) + "\n\nth = None\n"
    doc = read_document(text, "python")
    assert not doc.programs and any("th" in s.reason for s in doc.skipped)


def test_numpy_under_another_name_in_a_plain_function():
    doc = read_document("import numpy as onp\n\n\ndef f(x):\n    return onp.tanh(x) * x\n",
                        "python")
    assert [u.label for u in doc.programs] == ["f"]


CLIP_NORM = '''
import torch
from torch import nn


class LayerNorm(nn.LayerNorm):
    """Subclass torch's LayerNorm to handle fp16."""

    def forward(self, x: torch.Tensor):
        orig_type = x.dtype
        ret = super().forward(x.type(torch.float32))
        return ret.type(orig_type)


class Linear(nn.Linear):
    pass


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = Linear(8, 16)
        self.ln = LayerNorm(16)
        self.fc2 = nn.Linear(16, 4)

    def forward(self, x):
        return self.fc2(torch.sigmoid(self.ln(self.fc1(x))))
'''


def test_a_subclass_that_keeps_the_layer_math_is_that_layer(tmp_path):
    usual = CLIP_NORM.replace("= Linear(", "= nn.Linear(").replace("= LayerNorm(",
                                                                     "= nn.LayerNorm(")
    assert _ratios_of(CLIP_NORM, "Block") == _ratios_of(usual, "Block")
    # torch in float64 (the casts to float32 would mix dtypes): the usual layers
    path = tmp_path / "clip_norm.py"
    path.write_text(usual)
    grads = torch_flow.torch_layer_grads(torch_flow.load(path, "chainlens_clip_norm").Block, 8)
    flow = analyze(_unit(CLIP_NORM, "Block").program).flow
    torch_flow.assert_layers_agree(flow, grads, 3.0)


@pytest.mark.parametrize("changed", [
    "        return super().forward(x) * 2\n",              # more math
    "        return torch.relu(super().forward(x))\n",      # an activation
])
def test_a_subclass_that_changes_the_math_is_not_taken_for_the_layer(changed):
    text = CLIP_NORM.replace('''        orig_type = x.dtype
        ret = super().forward(x.type(torch.float32))
        return ret.type(orig_type)
''', changed)
    doc = read_document(text, "python")
    assert "Block" not in {u.label for u in doc.programs}
    assert any(s.name == "Block.forward" and "LayerNorm" in s.reason for s in doc.skipped)


def test_a_subclass_whose_init_changes_the_arguments_is_not_the_layer():
    text = CLIP_NORM.replace('''class Linear(nn.Linear):
    pass''', '''class Linear(nn.Linear):
    def __init__(self, a, b):
        super().__init__(b, a)''')
    doc = read_document(text, "python")
    assert "Block" not in {u.label for u in doc.programs}


def _unit(text, name):
    return {u.label: u for u in read_document(text, "python").programs}[name]


def _ratios_of(text, name):
    return [f.ratio for f in analyze(_unit(text, name).program).flow.layers]


VARIABLE = '''
import torch
from torch import nn
from torch.autograd import Variable


class Cut(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 8)
        self.fc2 = nn.Linear(8, 8)
        self.fc3 = nn.Linear(8, 4)

    def forward(self, x):
        h0 = Variable(torch.zeros(1, 8))
        h = self.fc1(x) + h0
        h = torch.autograd.Variable(torch.tanh(h))
        return self.fc3(torch.tanh(self.fc2(h)))
'''


def test_variable_is_a_new_leaf_as_in_torch(tmp_path):
    path = tmp_path / "variable.py"
    path.write_text(VARIABLE)
    model = torch_flow.load(path, "chainlens_variable").Cut()
    out = model(torch.randn(1, 8))
    (torch.randn(out.shape) * out).sum().backward()
    assert model.fc1.weight.grad is None and model.fc2.weight.grad is not None
    assert not Variable(torch.ones(2, requires_grad=True) * 2).requires_grad
    flow = analyze(_unit(VARIABLE, "Cut").program).flow
    names = [f.name for f in flow.layers]
    assert names == ["W_fc2", "W_fc3"], names  # fc1 is behind the cut: no gradient
    assert "Variable(x): a new leaf" in " | ".join(_unit(VARIABLE, "Cut").notes)


def test_a_subclass_that_changes_the_initialisation_says_so():
    text = CLIP_NORM.replace('''class Linear(nn.Linear):
    pass''', '''class Linear(nn.Linear):
    zero_init = True''')
    doc = read_document(text, "python")
    (reason,) = [s.reason for s in doc.skipped if s.name == "Block.forward"]
    assert "Linear subclasses nn.Linear and changes it (line" in reason
    assert "zero_init = True" in reason


def test_the_methods_of_a_layer_subclass_are_no_plain_functions():
    text = CLIP_NORM.replace('''class Linear(nn.Linear):
    pass''', '''class Linear(nn.Linear):
    def reset_parameters(self):
        nn.init.normal_(self.weight)''')
    doc = read_document(text, "python")
    names = {s.name for s in doc.skipped} | {u.label for u in doc.programs}
    assert "reset_parameters" not in names and "forward" not in names
    (reason,) = [s.reason for s in doc.skipped if s.name == "Block.forward"]
    assert "changes it (its own reset_parameters)" in reason
