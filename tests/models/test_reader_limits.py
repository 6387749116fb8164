"""The model reader's limits on what a file asks it to build (red team F27,
F28): a count too large to build is refused before anything is built, with
the reason in chainlens's words; a size the file does not fix is never an
internal exception shown to the user."""

import time
from pathlib import Path

import pytest
import torch
import torch_flow  # loaded by conftest.py (tests are not a package)
from chainlens.engine.core.limits import MAX_REPEAT
from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze

COMPREHENSION = '''
from torch import nn
import torch.nn.functional as F


class Many(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(8, 8) for _ in range({n})])

    def forward(self, x):
        for layer in self.layers:
            x = F.relu(layer(x))
        return x
'''

APPENDED = '''
from torch import nn
import torch.nn.functional as F


class Many(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList()
        for _ in range({n}):
            self.layers.append(nn.Linear(8, 8))

    def forward(self, x):
        for layer in self.layers:
            x = F.relu(layer(x))
        return x
'''

UNPACKED = '''
from torch import nn


class Many(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(*[nn.Linear(8, 8) for _ in range({n})])

    def forward(self, x):
        return self.layers(x)
'''


def _skips(src: str):
    doc = read_document(src, path="m.py")
    return {s.name: s.reason for s in doc.skipped}, {u.label for u in doc.programs}


@pytest.mark.parametrize("template", [COMPREHENSION, APPENDED, UNPACKED])
@pytest.mark.parametrize("n", ["10 ** 9", "10 ** 7", "100000"])
def test_a_range_too_long_to_build_is_refused_with_its_reason(template, n):
    start = time.perf_counter()
    skips, units = _skips(template.format(n=n))
    elapsed = time.perf_counter() - start
    # not a timing claim (benchmarks measure those): a billion items built would take
    # minutes and gigabytes; refusing before building takes a fraction of a second
    assert elapsed < 10
    assert "Many" not in units  # never read as the empty list (an identity, "healthy")
    assert f"`range({n})` is more than {MAX_REPEAT} layers" in skips["Many.forward"]


def test_a_range_at_the_cap_is_still_read():
    skips, units = _skips(COMPREHENSION.format(n="12"))
    assert "Many" in units and not skips


TF1 = '''
import math
import torch
from torch import nn
import torch.nn.functional as F


class Attention(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.qkv(x).split(C, dim=2)
        q = q.view(B, T, self.heads, C // self.heads).transpose(1, 2)
        k = k.view(B, T, self.heads, C // self.heads).transpose(1, 2)
        v = v.view(B, T, self.heads, C // self.heads).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = F.softmax(att, dim=-1)
        y = att @ v
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.proj(y)
'''


def test_split_by_a_width_the_file_does_not_fix_is_read_not_a_type_error(tmp_path):
    # qkv(x).split(C) with B, T, C = x.size(): the unpacking into q, k, v says how many
    doc = read_document(TF1, path="m.py")
    assert not doc.skipped, [s.reason for s in doc.skipped]
    unit = {u.label: u for u in doc.programs}["Attention"]
    flow = analyze(unit.program).flow
    path = Path(tmp_path) / "tf1.py"
    path.write_text(TF1)
    cls = torch_flow.load(path, "tf1_attention").Attention
    rows = []
    for seed in range(8):
        torch.manual_seed(seed)
        model = cls().double()
        out = model(torch.randn(1, 8, 32, dtype=torch.float64))
        (torch.randn(out.shape, dtype=torch.float64) * out).sum().backward()
        rows.append(float(model.qkv.weight.grad.norm() / model.proj.weight.grad.norm()))
    assert flow.verdict == torch_flow.verdict(sorted(rows)[len(rows) // 2])


def test_an_error_inside_the_reader_is_named_as_the_readers_not_python_text():
    from chainlens.engine.frontends.python_modules import _reason

    try:
        _ = 1 // None  # what F28's split(C) raised, inside the reader
    except TypeError as exc:
        raw = exc
    # raised in a test file: its words are kept; the reader's own frames are named instead
    assert _reason(raw) == str(raw)
    code = compile("1 // None", "/x/engine/frontends/python_methods.py", "eval")
    try:
        eval(code)  # noqa: S307 -- a constant expression compiled here, not user text
    except TypeError as exc:
        inner = exc
    reason = _reason(inner)
    assert "NoneType" not in reason and "python_methods.py" in reason
    assert reason.startswith("a construct the reader does not handle (TypeError")
