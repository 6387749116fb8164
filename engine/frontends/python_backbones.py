"""Pretrained backbones a model file takes from a library instead of
writing: ``torchvision.models.resnet18(weights=...)`` (then
``list(resnet.children())[:-1]``, ``vgg.features[:16]``),
``timm.create_model(...)``, ``torch.hub.load(...)``, a ``transformers``
``*.from_pretrained(...)``.  Their layers live in library code, which
chainlens does not read (only the file and its repository's modules), so a
model built on one is skipped with that said, naming the backbone, rather
than with the subscript or call the reader met next."""

from __future__ import annotations

from chainlens.engine.frontends.python_values import Unknown

__all__ = ["backbone", "is_backbone"]

#: the first words of every backbone reason (the reader passes these on
#: through attribute access, calls and subscripts of the backbone)
_WHY = "the backbone "


def _library(path: tuple) -> bool:
    if path[:2] == ("torchvision", "models") and len(path) > 2:
        return True
    if path[:1] == ("timm",) and path[-1] == "create_model":
        return True
    if path[:3] == ("torch", "hub", "load"):
        return True
    return path[:1] == ("transformers",) and path[-1] == "from_pretrained"


def backbone(path: tuple) -> Unknown | None:
    """The skip reason of a call of the library backbone ``path``, else None."""
    if not _library(path):
        return None
    return Unknown(f"{_WHY}{'.'.join(path)} is library code, which chainlens does not read "
                   "(it reads this file and its repository's modules)")


def is_backbone(value) -> bool:
    """Is ``value`` the reason a library backbone was not read?"""
    return isinstance(value, Unknown) and value.why.startswith(_WHY)
