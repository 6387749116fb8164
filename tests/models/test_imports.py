"""A model file's classes and helpers imported from its own project are read
as the file's own (engine/frontends/python_imports.py): relative, package,
module-attribute and star imports, transitively, measured like PyTorch
measures the same package imported for real; what cannot be read says
which import; nothing outside the project root is read; no place of a unit
points into another file."""

import ast
import importlib
import importlib.util
import sys

import pytest
import torch_flow  # loaded by conftest.py (tests are not a package)
from chainlens.engine.frontends import python_project
from chainlens.engine.frontends.document import read_document
from chainlens.engine.frontends.python_imports import MAX_IMPORT_NAMES, read_imports
from chainlens.engine.health.analysis import analyze

BLOCKS = '''
import torch
import torch.nn as nn

WIDTH = 8


def act(x):
    return torch.tanh(x)


class Block(nn.Module):
    """One residual tanh layer (another Block, in other.py, differs)."""

    def __init__(self, d=WIDTH):
        super().__init__()
        self.fc = nn.Linear(d, d)

    def forward(self, x):
        return x + act(self.fc(x))
'''

LAYERS = '''
from torch import nn

from .blocks import WIDTH, Block


class Stack(nn.Module):
    def __init__(self, depth=3):
        super().__init__()
        self.blocks = nn.ModuleList([Block() for _ in range(depth)])
        self.out = nn.Linear(WIDTH, WIDTH)

    def forward(self, x):
        for b in self.blocks:
            x = b(x)
        return self.out(x)
'''

OTHER = '''
import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, d=8):
        super().__init__()
        self.fc1 = nn.Linear(d, 2 * d)
        self.fc2 = nn.Linear(2 * d, d)

    def forward(self, x):
        return self.fc2(torch.sigmoid(self.fc1(x)))
'''

MODEL = '''
import torch as th
from torch import nn as N

from . import other
from .layers import Stack


class Net(N.Module):
    def __init__(self):
        super().__init__()
        self.stack = Stack()
        self.extra = other.Block()
        self.head = N.Linear(8, 4)

    def forward(self, x):
        return self.head(th.relu(self.extra(self.stack(x))))
'''


def _package(root, name="pkg", **files):
    pkg = root / name
    pkg.mkdir(parents=True, exist_ok=True)
    (pkg / "__init__.py").write_text("")
    for stem, text in files.items():
        (pkg / f"{stem}.py").write_text(text)
    return pkg


def _read(path, root=None):
    return read_document(path.read_text(), path=str(path), root=None if root is None
                         else str(root))


def _units(path, root=None):
    doc = _read(path, root)
    return {u.label: u for u in doc.programs}, {s.name: s.reason for s in doc.skipped}


@pytest.fixture
def pkg(tmp_path):
    return _package(tmp_path, blocks=BLOCKS, layers=LAYERS, other=OTHER, model=MODEL)


def test_an_imported_package_is_measured_as_torch_measures_it(pkg, tmp_path):
    units, skips = _units(pkg / "model.py", tmp_path)
    assert set(units) == {"Net"}, skips  # imported classes are no units of their own
    sys.path.insert(0, str(tmp_path))
    try:
        net = importlib.import_module("pkg.model").Net
        grads = torch_flow.torch_layer_grads(net, 8)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == "pkg" or m.startswith("pkg.")]:
            del sys.modules[name]
    # 3 residual tanh blocks (blocks.Block), Stack.out, other.Block's two layers, head
    flow = analyze(units["Net"].program).flow
    torch_flow.assert_layers_agree(flow, grads, 3.0)


def test_two_modules_defining_the_same_name_each_keep_their_own(pkg, tmp_path):
    units, _ = _units(pkg / "model.py", tmp_path)
    layers = [label for label, _, _ in units["Net"].layers]
    # Stack's blocks are blocks.Block (one layer each); other.Block has fc1, fc2 (PyTorch's
    # names: each row says which module it is)
    assert layers == ["stack.blocks.0.fc", "stack.blocks.1.fc", "stack.blocks.2.fc",
                      "stack.out", "extra.fc1", "extra.fc2", "head"]


@pytest.mark.parametrize("spelling", [
    "from pkg.layers import Stack",          # absolute, from above the package
    "from .layers import Stack",             # relative
    "from . import layers as L\nStack = None if False else L.Stack",
    "from .layers import *",                 # star
    "from . import layers\n",                # module attribute below
])
def test_each_spelling_of_an_import_reads_the_same_class(pkg, tmp_path, spelling):
    use = "layers.Stack()" if spelling.endswith("layers\n") else "Stack()"
    if "L.Stack" in spelling:
        spelling, use = "from . import layers as L", "L.Stack()"
    (pkg / "user.py").write_text(f'''
from torch import nn
{spelling}


class User(nn.Module):
    def __init__(self):
        super().__init__()
        self.s = {use}

    def forward(self, x):
        return self.s(x)
''')
    units, skips = _units(pkg / "user.py", tmp_path)
    assert "User" in units, skips
    assert len(units["User"].layers) == 4  # three blocks and Stack.out


def test_a_script_importing_a_sibling_module_by_name(tmp_path):
    (tmp_path / "unet_parts.py").write_text(BLOCKS)
    (tmp_path / "train.py").write_text('''
import unet_parts
from torch import nn
from unet_parts import *


class Two(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = Block()
        self.b = unet_parts.Block()

    def forward(self, x):
        return self.b(self.a(x))
''')
    units, skips = _units(tmp_path / "train.py")
    assert "Two" in units and len(units["Two"].layers) == 2, skips


def test_an_import_that_cannot_be_read_says_which_and_why(tmp_path, monkeypatch):
    pkg = _package(tmp_path, blocks=BLOCKS + "\n" * 10, model='''
from torch import nn
from .missing import Gone
from .blocks import Block


class A(nn.Module):
    def __init__(self):
        super().__init__()
        self.g = Gone(3)

    def forward(self, x):
        return self.g(x)


class B(nn.Module):
    def __init__(self):
        super().__init__()
        self.b = Block()

    def forward(self, x):
        return self.b(x)
''')
    _, skips = _units(pkg / "model.py", tmp_path)
    assert "Gone is imported (Gone from .missing)" in skips["A.forward"]
    assert ".missing is not a file of the project" in skips["A.forward"]
    monkeypatch.setattr(python_project, "MAX_IMPORT_BYTES", 100)
    _, skips = _units(pkg / "model.py", tmp_path)
    assert "Block is imported (Block from .blocks)" in skips["B.forward"]
    assert "over the 100 read for imports" in skips["B.forward"]
    (pkg / "blocks.py").write_text("class Block(:\n")
    monkeypatch.setattr(python_project, "MAX_IMPORT_BYTES", 400_000)
    _, skips = _units(pkg / "model.py", tmp_path)
    assert "does not parse as Python" in skips["B.forward"]


def test_nothing_outside_the_project_root_is_read(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "blocks.py").write_text(BLOCKS)
    project = tmp_path / "project"
    project.mkdir()
    (project / "blocks.py").symlink_to(outside / "blocks.py")
    (project / "model.py").write_text('''
from torch import nn
from blocks import Block


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.b = Block()

    def forward(self, x):
        return self.b(x)
''')
    units, skips = _units(project / "model.py", project)
    assert "M" not in units
    assert "blocks.py is outside the project" in skips["M.forward"]
    # with the link's target inside the root, the same import is read
    units, _ = _units(project / "model.py", tmp_path)
    assert "M" in units


def test_no_place_of_a_unit_points_past_the_importing_file(pkg, tmp_path):
    """Spans of what came from another file sit, zero-width, on the import;
    a diagnostic or an edit never lands on another file's line numbers."""
    text = (pkg / "model.py").read_text()
    units, _ = _units(pkg / "model.py", tmp_path)
    unit = units["Net"]
    imports = {text.index("from . import other"), text.index("from .layers import Stack")}
    for _, _, span in unit.layers:
        assert 0 <= span.start <= span.end <= len(text)
        assert span.start == span.end or span.start >= text.index("class Net")
    for a in unit.program.assignments:
        assert 0 <= a.span.start <= a.span.end <= len(text)
        if a.span.start == a.span.end:
            line_start = text.rfind("\n", 0, a.span.start) + 1
            assert line_start in imports


def test_a_changed_module_is_read_again(pkg, tmp_path):
    units, _ = _units(pkg / "model.py", tmp_path)
    assert len(units["Net"].layers) == 7
    (pkg / "layers.py").write_text(LAYERS.replace("depth=3", "depth=5") + "\n")
    units, _ = _units(pkg / "model.py", tmp_path)
    assert len(units["Net"].layers) == 9


def test_a_skip_inside_an_imported_class_names_its_file_and_line(tmp_path):
    pkg = _package(tmp_path, parts='''
from torch import nn


class Odd(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
        if x.sum() > 0:
            return self.fc(x)
        return x
''', model='''
from torch import nn
from .parts import Odd


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.o = Odd()

    def forward(self, x):
        return self.o(x)
''')
    _, skips = _units(pkg / "model.py", tmp_path)
    assert "of pkg/parts.py)" in skips["M.forward"], skips
    assert "line 11 of pkg/parts.py" in skips["M.forward"]


def test_without_a_path_nothing_is_read_and_the_reason_stays():
    doc = read_document(MODEL, "python")
    assert not doc.programs
    assert any("Stack" in s.reason for s in doc.skipped)


def test_a_class_from_a_library_the_reader_does_not_know_says_so(tmp_path):
    (tmp_path / "vit.py").write_text('''
from torch import nn
from timm.models.vision_transformer import PatchEmbed


class ViT(nn.Module):
    def __init__(self):
        super().__init__()
        self.patch = PatchEmbed(32, 4, 3, 16)

    def forward(self, x):
        return self.patch(x)
''')
    _, skips = _units(tmp_path / "vit.py")
    assert "PatchEmbed is imported from timm.models.vision_transformer, a library" in (
        skips["ViT.forward"])


def test_a_star_import_binds_only_what_all_exports(tmp_path):
    (tmp_path / "blocks.py").write_text('__all__ = ["Block"]\n' + BLOCKS + '''

class Hidden(Block):
    pass
''')
    (tmp_path / "train.py").write_text('''
from torch import nn
from blocks import *


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = Block()

    def forward(self, x):
        return self.a(x)


class Net2(nn.Module):
    def __init__(self):
        super().__init__()
        self.h = Hidden()

    def forward(self, x):
        return self.h(x)
''')
    units, skips = _units(tmp_path / "train.py")
    assert "Net" in units and "Net2" not in units  # Python: NameError at Hidden()
    assert "Hidden is not imported by `from blocks import *` (not in its __all__)" in (
        skips["Net2.forward"])


def test_chained_star_imports_and_a_dotted_module_alias(pkg, tmp_path):
    (pkg / "everything.py").write_text("from .layers import *\nfrom .blocks import *\n")
    (pkg / "user2.py").write_text('''
from torch import nn
import pkg.other as O
from .everything import *


class User(nn.Module):
    def __init__(self):
        super().__init__()
        self.s = Stack()
        self.b = Block()
        self.o = O.Block()

    def forward(self, x):
        return self.o(self.b(self.s(x)))
''')
    units, skips = _units(pkg / "user2.py", tmp_path)
    assert "User" in units, skips
    # Stack (3 blocks + out), blocks.Block (1 layer), other.Block (fc1, fc2)
    assert [label for label, _, _ in units["User"].layers] == [
        "s.blocks.0.fc", "s.blocks.1.fc", "s.blocks.2.fc", "s.out", "b.fc", "o.fc1", "o.fc2"]


def test_a_notebook_cell_imports_the_module_beside_the_notebook(tmp_path):
    import json

    (tmp_path / "blocks.py").write_text(BLOCKS)
    cell = ("from torch import nn\nfrom blocks import Block\n\n\nclass Net(nn.Module):\n"
            "    def __init__(self):\n        super().__init__()\n        self.b = Block()\n\n"
            "    def forward(self, x):\n        return self.b(x)\n")
    nb = {"cells": [{"cell_type": "code", "source": cell, "metadata": {}, "outputs": []}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "explore.ipynb"
    path.write_text(json.dumps(nb))
    doc = read_document(path.read_text(), path=str(path))
    assert [u.label for u in doc.programs if u.kind == "module"] == ["Net"], doc.skipped


def test_past_the_import_budget_the_reason_says_so(tmp_path):
    hops = 6
    files = {f"m{i}": f"from .m{i + 1} import *\n" for i in range(hops)}
    files[f"m{hops}"] = BLOCKS
    pkg = _package(tmp_path, **files, model='''
from torch import nn
from .m0 import Block


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.b = Block()

    def forward(self, x):
        return self.b(x)
''')
    units, skips = _units(pkg / "model.py", tmp_path)
    assert "M" not in units
    assert "past 4 imports deep (MAX_IMPORT_DEPTH)" in skips["M.forward"]
    (pkg / "m2.py").write_text(BLOCKS)  # 2 hops: read
    units, _ = _units(pkg / "model.py", tmp_path)
    assert "M" in units


def test_an_import_of_an_imported_module_that_cannot_be_read_says_where(tmp_path):
    pkg = _package(tmp_path, layers='''
from torch import nn
from .gone import Helper


class Wrap(nn.Module):
    def __init__(self):
        super().__init__()
        self.h = Helper()

    def forward(self, x):
        return self.h(x)
''', model='''
from torch import nn
from .layers import Wrap


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = Wrap()

    def forward(self, x):
        return self.w(x)
''')
    _, skips = _units(pkg / "model.py", tmp_path)
    assert "Helper is imported in pkg/layers.py (Helper from .gone)" in skips["M.forward"]
    assert "of pkg/layers.py)" in skips["M.forward"]  # the line in layers.py it stopped at


@pytest.mark.parametrize("layers", [
    "from .model import *\nfrom .blocks import Block\n",          # a cycle through a star
    "from . import *\nfrom .blocks import Block\n",                # the package itself
    "from .layers import Block\n",                                 # a module importing itself
    "from ...beyond import Block\n",                               # above the top package
    "import pkg.layers as me\nfrom pkg.blocks import Block\nBlock = me.Block\n",
])
def test_odd_and_circular_imports_end_with_a_reading_or_a_reason(tmp_path, layers):
    pkg = _package(tmp_path, blocks=BLOCKS, layers=layers, model='''
from torch import nn
from .layers import Block


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.b = Block()

    def forward(self, x):
        return self.b(x)
''')
    (pkg / "__init__.py").write_text("from .model import M\n")
    doc = _read(pkg / "model.py", tmp_path)
    assert doc.error is None
    read = {u.label for u in doc.programs}
    reasons = [s.reason for s in doc.skipped if s.name == "M.forward"]
    assert read == {"M"} or (reasons and "Block" in reasons[0]), (read, reasons)


def test_a_file_of_very_many_imports_follows_a_bounded_number(tmp_path):
    many = MAX_IMPORT_NAMES + 20
    (tmp_path / "many.py").write_text("".join(f"from .m{i} import A{i}\n" for i in range(many))
                                      + "\nUSE = [" + ", ".join(f"A{i}" for i in range(many))
                                      + "]\n")
    doc = _read(tmp_path / "many.py")
    assert doc.error is None
    imported = read_imports(ast.parse((tmp_path / "many.py").read_text()),
                            str(tmp_path / "many.py"))
    past = [n for n, why in imported.unread.items() if "(MAX_IMPORT_NAMES)" in why]
    assert len(past) == 20
