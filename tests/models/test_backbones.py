"""A model built on a library backbone (torchvision's resnet cut with
``list(resnet.children())[:-1]``, ``vgg.features[:16]``, timm's
``create_model``): library code is not read, and the skip names the
backbone instead of the subscript the reader met next."""

import textwrap

from chainlens.engine.frontends.document import read_document

SOURCE = textwrap.dedent("""
    import timm
    import torch.nn as nn
    import torchvision


    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            resnet = torchvision.models.resnet34(weights=None)
            self.body = nn.Sequential(*list(resnet.children())[:-2])
            self.head = nn.Linear(512, 4)

        def forward(self, x):
            return self.head(self.body(x).mean([2, 3]))


    class Trunk(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = torchvision.models.vgg11(weights=None).features[:10]
            self.head = nn.Linear(256, 4)

        def forward(self, x):
            return self.head(self.features(x).mean([2, 3]))


    class Timm(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = timm.create_model("resnet18", pretrained=False, num_classes=0)
            self.head = nn.Linear(512, 4)

        def forward(self, x):
            return self.head(self.net(x))


    class Own(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(8, 4)

        def forward(self, x):
            return self.fc(x)
    """)


def test_a_library_backbone_is_named_as_the_reason_of_the_skip():
    doc = read_document(SOURCE, path="backbones.py")
    skips = {s.name: s.reason for s in doc.skipped}
    assert "the backbone torchvision.models.resnet34 is library code" in skips["Encoder.forward"]
    assert "the backbone torchvision.models.vgg11 is library code" in skips["Trunk.forward"]
    assert "the backbone timm.create_model is library code" in skips["Timm.forward"]
    assert [u.label for u in doc.programs] == ["Own"]
