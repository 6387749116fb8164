"""Which front-end reads a file: its kind, from the extension or an editor's
language id.  Kept apart from the readers so that a command line can list
the kinds (``--kind``) without loading them."""

from __future__ import annotations

from pathlib import PurePosixPath

__all__ = ["KINDS", "kind_of"]

#: Document kinds, in the order the README lists them.
KINDS = ("chain", "python", "markdown", "latex", "notebook")

_SUFFIXES = {".chain": "chain", ".py": "python", ".pyi": "python", ".ipynb": "notebook",
             ".md": "markdown", ".markdown": "markdown", ".tex": "latex",
             # Quarto and R Markdown are Markdown with code chunks; a .txt cheat
             # sheet's `d/dx sin(x) = cos(x)` lines are what the Markdown reader's
             # plain-text lines read (red team, round 8)
             ".qmd": "markdown", ".rmd": "markdown", ".txt": "markdown"}
_LANGUAGES = {"chain": "chain", "python": "python", "markdown": "markdown", "latex": "latex",
              "tex": "latex", "plaintex": "latex", "quarto": "markdown", "rmd": "markdown"}


def kind_of(path: str | None, language_id: str | None = None) -> str | None:
    """The kind a file extension (or an editor's language id) names, or None.
    URIs work too: their query and fragment are ignored."""
    if path:
        if path.startswith("vscode-notebook-cell"):  # a cell: its language names its kind
            return "markdown" if language_id == "markdown" else "python"
        clean = path.split("?", 1)[0].split("#", 1)[0]
        kind = _SUFFIXES.get(PurePosixPath(clean).suffix.lower())
        if kind is not None:
            return kind
    return _LANGUAGES.get(language_id or "")
