"""Reading the ``EXPR_OR_FILE`` argument every subcommand takes."""

from __future__ import annotations

import sys
from pathlib import Path

from chainlens.engine.core.limits import MAX_SOURCE_CHARS
from chainlens.engine.core.source import ChainError, LimitError


def read_source(arg: str) -> tuple[str, str]:
    """``(text, label)``: the file's text when ``arg`` names an existing file
    (``-`` is standard input), otherwise ``arg`` itself as an expression."""
    if arg == "-":
        try:
            text, label = sys.stdin.read(), "<stdin>"
        except UnicodeDecodeError:
            raise ChainError("standard input is not UTF-8 text") from None
    else:
        path = Path(arg)
        looks_like_file = path.suffix in {".chain", ".txt", ".tex", ".md", ".py"}
        if looks_like_file or (len(arg) < 4096 and path.is_file()):
            try:
                text, label = path.read_text(encoding="utf-8"), str(path)
            except FileNotFoundError:
                if looks_like_file:
                    raise SystemExit(f"chainlens: no such file: {arg}") from None
                text, label = arg, "<expr>"
            except IsADirectoryError:
                raise SystemExit(f"chainlens: {arg} is a directory, not a file") from None
            except UnicodeDecodeError as exc:
                raise SystemExit(f"chainlens: {arg} is not UTF-8 text (byte {exc.start})") \
                    from None
            except OSError:
                text, label = arg, "<expr>"
        else:
            text, label = arg, "<expr>"
    if len(text) > MAX_SOURCE_CHARS:
        raise LimitError(f"input is {len(text)} characters; the limit is {MAX_SOURCE_CHARS}")
    return text, label
