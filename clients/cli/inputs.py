"""Reading the ``EXPR_OR_FILE`` argument every subcommand takes.

A file is read by :func:`chainlens.engine.frontends.document.read_document`,
the reader the language server uses, so ``chainlens diff model.py`` sees the
same units as the editor; an expression or standard input is ``.chain`` text
unless ``--kind`` says otherwise."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from chainlens.engine.core.limits import MAX_SOURCE_CHARS
from chainlens.engine.core.source import ChainError, LimitError
from chainlens.engine.frontends.document import Document, read_document
from chainlens.engine.frontends.kinds import KINDS, kind_of

__all__ = ["KINDS", "read_source", "read_input", "looks_like_path"]

#: ``dir/name.ext`` or ``name.ext`` with a letter-led extension: no expression
#: is spelt so (``np.sin(x)`` has brackets, ``1.5`` a digit after the dot,
#: ``a/b`` no extension), so such an argument is a file, and a missing one is
#: "no such file", never "unknown name 'neuron.chai'".
_PATHLIKE = re.compile(r"[\w~./\\-]*\.[A-Za-z][A-Za-z0-9]{0,7}")


def looks_like_path(arg: str) -> bool:
    """Does ``arg`` read as a file name rather than an expression?"""
    from chainlens.engine.language.names import MODULE_PREFIXES

    return bool(_PATHLIKE.fullmatch(arg)) and not arg.startswith(MODULE_PREFIXES)


def read_source(arg: str) -> tuple[str, str]:
    """``(text, label)``: the file's text when ``arg`` names an existing file
    (``-`` is standard input), otherwise ``arg`` itself as an expression."""
    if arg == "-":
        if sys.stdin.isatty():  # else a newcomer's `chainlens diff -` just waits
            print("chainlens: reading from the terminal (Ctrl-D ends); pass an expression or "
                  "a file instead: chainlens diff 'sin(x^2)'", file=sys.stderr)
        try:
            text, label = sys.stdin.read(), "<stdin>"
        except UnicodeDecodeError:
            raise ChainError("standard input is not UTF-8 text") from None
    else:
        path = Path(arg)
        looks_like_file = looks_like_path(arg) or path.suffix in {
            ".chain", ".txt", ".tex", ".md", ".py", ".ipynb"}
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
            if arg.strip() and len(arg) < 4096 and path.is_dir():  # `diff examples`: a folder
                raise SystemExit(f"chainlens: {arg} is a folder here; pass a file in it "
                                 f"(e.g. {arg}/…), or write the expression another way "
                                 f"to differentiate a variable of that name ({arg} * 1)")
    if len(text) > MAX_SOURCE_CHARS:
        raise LimitError(f"input is {len(text)} characters; the limit is {MAX_SOURCE_CHARS}")
    return text, label


def read_input(arg: str, kind: str | None = None,
               shown: str | None = None) -> tuple[Document, str]:
    """``(document, label)`` of ``arg``: its kind is ``kind``, else the file
    extension's, else ``.chain``.  A document that could not be read at all
    raises its error (with the text attached, for the caret: ``shown`` when
    the argument was rewritten with its columns kept, as ``d/dx x^2`` is)."""
    text, label = read_source(arg)
    kind = kind or kind_of(label if not label.startswith("<") else None) or "chain"
    doc = read_document(text, kind, path=None if label.startswith("<") else label)
    if doc.error is not None and not doc.units:
        if doc.error.source is None or (shown is not None and label == "<expr>"):
            doc.error.source = shown if shown is not None and label == "<expr>" else text
        raise doc.error
    return doc, label
