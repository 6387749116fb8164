"""The user's own cache directory, for files that are loaded back as code or
pickles (numba's machine code, lark's parser tables): only a directory the
user owns and no one else can write is used.

``$CHAINLENS_CACHE_DIR`` (empty: no disk cache), else
``$XDG_CACHE_HOME/chainlens``, else ``~/.cache/chainlens``; ``name`` is a
subdirectory, made ``0700``.  None when it cannot be made safe: the caller
then builds in memory, as if nothing were cached.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["private_dir"]


def private_dir(name: str) -> Path | None:
    base = os.environ.get("CHAINLENS_CACHE_DIR")
    if base == "":
        return None
    if base is None:
        xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        base = os.path.join(xdg, "chainlens")
    path = Path(base) / name
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = path.stat()
    except OSError:
        return None
    if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o022):
        return None  # someone else could plant code here
    return path
