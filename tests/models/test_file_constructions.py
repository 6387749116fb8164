"""A module class whose ``__init__`` requires arguments (``ResNet(block,
layers)``) is read with the arguments the file itself builds it with
(``model = ResNet(ResidualBlock, [2, 2])`` or ``def resnet(): return
ResNet(...)``); without such a construction it is skipped with the reason."""

from chainlens.engine.frontends.document import read_document

CLASSES = '''
import torch.nn as nn


class ResidualBlock(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.fc1 = nn.Linear(channels, channels)
        self.fc2 = nn.Linear(channels, channels)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(x + self.fc2(self.relu(self.fc1(x))))


class ResNet(nn.Module):
    def __init__(self, block, layers, width=16):
        super().__init__()
        self.stem = nn.Linear(8, width)
        self.stages = self.make_stage(block, width, layers[0])
        self.head = nn.Linear(width, 3)

    def make_stage(self, block, width, count):
        blocks = []
        for i in range(count):
            blocks.append(block(width))
        return nn.Sequential(*blocks)

    def forward(self, x):
        return self.head(self.stages(self.stem(x)))
'''


def _read(source: str):
    doc = read_document(source, "python")
    return {u.label: u for u in doc.programs}, {s.name: s.reason for s in doc.skipped}


def test_the_files_own_construction_gives_the_required_arguments():
    for made in ("\nmodel = ResNet(ResidualBlock, [3])\n",
                 "\ndef resnet():\n    return ResNet(ResidualBlock, [3])\n"):
        read, _ = _read(CLASSES + made)
        assert "ResNet" in read
        unit = read["ResNet"]
        assert any("built as the file builds it" in n for n in unit.notes)
        weights = [d.name for d in unit.program.declarations if d.name.startswith("W")]
        assert len(weights) == 2 + 3 * 2  # stem, head, three blocks of two layers


def test_without_a_construction_the_class_is_skipped_with_the_reason():
    read, skipped = _read(CLASSES)
    assert "ResNet" not in read and "ResidualBlock" in read
    assert "argument" in skipped["ResNet.forward"]
