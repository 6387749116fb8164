"""``F.pad`` read as the framework runs it, where the reader can tell.

The reader keeps one feature axis (a conv map's channels, a vector's
entries).  ``F.pad(x, pad)`` pads the last ``len(pad) // 2`` axes, last
first: two or four amounts pad a conv map's spatial axes (UNet's crop
fix, a causal conv's left padding), which the reader does not model and
which leave each channel's gradient as it is: the identity, as
:mod:`python_library` reads it.  Six or more amounts reach the channel axis
of an (N, C, H, W) map (ResNet-CIFAR's option-A shortcut,
``F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, planes // 4, planes // 4))``): zero
channels added, which the engine has no operation for; read as the
identity that would be a wrong width and a wrong gain, so it is refused
with the reason.
"""

from __future__ import annotations

from chainlens.engine.frontends.python_values import Const, Items, Tup, Unsupported

__all__ = ["refuse_channel_pad"]


def refuse_channel_pad(args: list, kwargs: dict, where) -> None:
    """Raises :class:`Unsupported` when ``F.pad`` adds entries along the
    channel axis (a pad amount past the fourth that is not a written 0)."""
    pad = args[1] if len(args) > 1 else kwargs.get("pad")
    if not isinstance(pad, Tup | Items) or len(pad.items) <= 4:
        return
    if all(isinstance(a, Const) and a.value == 0 for a in pad.items[4:]):
        return
    raise Unsupported(where, "F.pad adds zero channels (a zero-padded shortcut, as ResNet "
                             "option A): chainlens has no operation for entries added along "
                             "the feature axis")
