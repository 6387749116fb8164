"""``k = self.key(x); k.shape[-1]``: the width of a layer's output, read from
the layer (Karpathy's "Let's build GPT" attention head scales by it); the
head and the modules built on it are read, with a gradient-flow table."""

from chainlens.engine.frontends.document import read_document
from chainlens.engine.health.analysis import analyze

SOURCE = '''
import torch
import torch.nn as nn
from torch.nn import functional as F


class Head(nn.Module):
    def __init__(self, n_embd=32, head_size=16):
        super().__init__()
        self.key = nn.Linear(n_embd, head_size, bias=False)
        self.query = nn.Linear(n_embd, head_size, bias=False)
        self.value = nn.Linear(n_embd, head_size, bias=False)

    def forward(self, x):
        k = self.key(x)
        q = self.query(x)
        wei = q @ k.transpose(-2, -1) * k.shape[-1] ** -0.5
        wei = F.softmax(wei, dim=-1)
        v = self.value(x)
        return wei @ v


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.sa = Head(32, 32)
        self.ln = nn.LayerNorm(32)

    def forward(self, x):
        return x + self.sa(self.ln(x))
'''


def test_a_layer_outputs_width_is_read_from_the_layer():
    doc = read_document(SOURCE, "python")
    read = {u.label: u for u in doc.programs}
    assert {"Head", "Block"} <= set(read), [s.reason for s in doc.skipped]
    # attention is read at one position (softmax over one key is 1), so the
    # scale itself drops out; what matters is that the size no longer stops it
    for name in ("Head", "Block"):
        assert analyze(read[name].program).flow
