"""Colour on the command line: only on a terminal, never with ``NO_COLOR``
(https://no-color.org) or ``TERM=dumb``, so piped output and logs hold no
escape codes.  ``FORCE_COLOR`` (any non-empty value) turns it on anyway."""

from __future__ import annotations

import os
import sys

__all__ = ["colour_enabled", "bold"]


def colour_enabled(stream=None) -> bool:
    """Whether ANSI styles may be written to ``stream`` (default stdout)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM", "") == "dumb":
        return False
    stream = sys.stdout if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def bold(text: str, stream=None) -> str:
    """``text`` in bold where colour is enabled, else unchanged."""
    return f"\033[1m{text}\033[0m" if colour_enabled(stream) else text
