"""Constructs that once crashed the reader inside itself (a Python error
caught as "a construct the reader does not handle"): each is now read, or
skipped with a reason that names the construct and its line."""

import textwrap

from chainlens.engine.frontends.document import read_document


def _read(source: str):
    doc = read_document(textwrap.dedent(source), path="model.py")
    return {u.label: u for u in doc.programs}, {s.name: s.reason for s in doc.skipped}


def test_a_negated_size_the_file_does_not_fix_is_not_a_reader_crash():
    # -scale of a size computed from configuration chainlens cannot see
    # (a sinusoidal timestep embedding) raised TypeError in negate
    units, skips = _read("""
        import math
        import torch
        import torch.nn as nn

        def embed(t, dim):
            half = dim // 2
            scale = math.log(10000) / (half - 1)
            freqs = torch.exp(torch.arange(half) * -scale)
            return t[:, None] * freqs[None, :]

        class Denoiser(nn.Module):
            def __init__(self, config):
                super().__init__()
                self.ch = config.model.ch
                self.fc = nn.Linear(8, 8)

            def forward(self, x, t):
                e = embed(t, self.ch)
                return self.fc(x)
        """)
    assert "Denoiser" in units or "Denoiser.forward" in skips
    for reason in skips.values():
        assert "does not handle" not in reason


def test_an_index_past_a_list_of_a_chosen_count_is_skipped_with_its_reason():
    # [None] * self.num_layers of a count the file does not fix, indexed per
    # cell of a list the reader built under branches on a mode it cannot see:
    # an IndexError inside the reader, now a skip that names the construct
    units, skips = _read("""
        import torch.nn as nn

        class Stack(nn.Module):
            def __init__(self, mode, num_layers):
                super().__init__()
                self.num_layers = num_layers
                self.cells = nn.ModuleList()
                if mode == "a":
                    self.cells.append(nn.Linear(8, 8))
                    for _ in range(1, self.num_layers):
                        self.cells.append(nn.Linear(8, 8))
                elif mode == "b":
                    self.cells.append(nn.Linear(8, 8))
                    for _ in range(1, self.num_layers):
                        self.cells.append(nn.Linear(8, 8))

            def forward(self, x):
                hs = [None] * self.num_layers
                for j, cell in enumerate(self.cells):
                    h = hs[j]
                    x = cell(x)
                return x
        """)
    reason = skips.get("Stack.forward", "")
    if "Stack" not in units:
        assert "does not handle" not in reason
        assert "`hs[j]`" in reason and "line 21" in reason
