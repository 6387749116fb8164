"""The flow table names each layer as PyTorch does (red team: it printed
chainlens's own labels, ``fc`` for both blocks of a ModuleList,
``named.0.0.0.1`` for an OrderedDict entry): every row is the module path
of ``named_modules()`` whose ``.weight`` is in ``named_parameters()`` (or
the parameter's own name), in the order the forward uses them, as hooks on
the real model record it."""

import pathlib

import pytest
import torch_flow  # loaded by conftest.py (tests are not a package)
from chainlens.engine.frontends.document import read_document

torch = pytest.importorskip("torch")

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "torch_names.py"
fixtures = torch_flow.load(FIXTURE, "chainlens_torch_names_fixtures")


def _rows(name: str) -> list[str]:
    doc = read_document(FIXTURE.read_text(), path=str(FIXTURE))
    unit = next(u for u in doc.programs if u.label == name)
    return [label for label, _, _ in unit.layers]


def _torch_order(model, x) -> list[str]:
    """The names of the modules with a weight, in the order forward calls
    them (each once), as PyTorch names them."""
    order: list[str] = []
    names = {id(m): n for n, m in model.named_modules()}
    hooks = [m.register_forward_hook(lambda mod, _i, _o: order.append(names[id(mod)]))
             for m in model.modules() if isinstance(getattr(m, "weight", None), torch.nn.Parameter)]
    model(x)
    for h in hooks:
        h.remove()
    return list(dict.fromkeys(order))


def test_rows_are_named_as_pytorch_names_the_parameters():
    torch.manual_seed(0)
    model = fixtures.Paths()
    rows = _rows("Paths")
    params = dict(model.named_parameters())
    for row in rows:  # each row names a weight PyTorch has: a module's, or a parameter
        assert f"{row}.weight" in params or row in params, (row, sorted(params))
    # the modules in the order torch's forward calls them; the raw parameter where used
    assert [r for r in rows if r in params] == ["proj"]
    assert [r for r in rows if r not in params] == _torch_order(model, torch.randn(1, 16))
    # a module reached twice (self.again = self.inp_twin = ...) keeps its first name
    assert "inp_twin" not in rows and rows.count("again") == 1


def test_a_plain_python_list_is_not_given_a_pytorch_name():
    # PyTorch does not register a plain list's layers (no named_parameters entry):
    # the row keeps chainlens's own label, which names where the layer is built
    text = FIXTURE.read_text().replace(
        "self.blocks = nn.ModuleList([Block(32) for _ in range(2)])",
        "self.blocks = [Block(32) for _ in range(2)]")
    doc = read_document(text, path="plain_list.py")
    rows = [label for label, _, _ in next(u for u in doc.programs if u.label == "Paths").layers]
    assert "blocks.0.fc" not in rows and "copies.0.fc" in rows
