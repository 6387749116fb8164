"""A shortcut that changes the width (issue #12): ResNet-CIFAR's option A,
``LambdaLayer(lambda x: F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, p, p)))``,
adds zero channels; the engine has no operation for that, so the block,
the lambda layer and the net are skipped saying so (never read as the
identity, which gave a wrong width and gain), while padding of spatial axes
only (two or four amounts, or zeros) stays the identity on channels."""

from chainlens.engine.frontends.document import read_document

OPTION_A = '''import torch.nn as nn
import torch.nn.functional as F


class LambdaLayer(nn.Module):
    def __init__(self, lambd):
        super().__init__()
        self.lambd = lambd

    def forward(self, x):
        return self.lambd(x)


class BasicBlock(nn.Module):
    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            self.shortcut = LambdaLayer(lambda x: F.pad(x[:, :, ::2, ::2],
                                                        PAD, "constant", 0))

    def forward(self, x):
        return F.relu(self.bn1(self.conv1(x)) + self.shortcut(x))


class ResNet(nn.Module):
    def __init__(self, block, num_blocks):
        super().__init__()
        self.in_planes = 16
        self.conv1 = nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.layer1 = self._make_layer(block, 16, num_blocks[0], 1)
        self.layer2 = self._make_layer(block, 32, num_blocks[1], 2)
        self.linear = nn.Linear(32, 10)

    def _make_layer(self, block, planes, n, stride):
        layers = []
        for s in [stride] + [1] * (n - 1):
            layers.append(block(self.in_planes, planes, s))
            self.in_planes = planes
        return nn.Sequential(*layers)

    def forward(self, x):
        out = self.layer2(self.layer1(F.relu(self.conv1(x))))
        out = F.avg_pool2d(out, out.size()[3])
        return self.linear(out.view(out.size(0), -1))


def resnet8():
    return ResNet(BasicBlock, [1, 1])
'''


def _read(pad: str):
    doc = read_document(OPTION_A.replace("PAD", pad), path="resnet_cifar.py")
    return {u.label: u for u in doc.programs}, {s.name: s.reason for s in doc.skipped}


def test_zero_channels_added_by_a_shortcut_are_refused_with_the_reason():
    for pad in ("(0, 0, 0, 0, planes // 4, planes // 4)", "[0, 0, 0, 0, 8, 8]",
                "(0, 0, 0, 0, planes // 4, planes // 4, 0, 0)"):
        units, skips = _read(pad)
        for name in ("LambdaLayer.forward", "ResNet.forward"):
            assert "adds zero channels" in skips[name], (pad, skips)
        assert "BasicBlock" in units  # its first site, block(16, 16, 1), has no shortcut


def test_padding_spatial_axes_only_is_read_as_the_identity_on_channels():
    for pad in ("(1, 1, 1, 1)", "(0, 1)", "(1, 1, 1, 1, 0, 0)"):
        units, skips = _read(pad)
        assert "LambdaLayer" in units, (pad, skips)
        assert not any("zero channels" in r for r in skips.values())
