"""``textDocument/prepareRename`` and ``textDocument/rename`` for ``.chain``.

Renaming a name renames every word that writes it (all its SSA versions,
its declaration, its uses in ``@at``/``@wrt``/``@output``), and nothing
else: comments, other names that merely contain it, and the functions of
the rules table are left alone.  A new name is refused (with the reason)
when it is not a name the language reads, is a keyword or a function, or
is already used by something else: a rename never changes what the
program means.
"""

from __future__ import annotations

import re

from chainlens.engine.rules import function_names
from chainlens.server.lsp.analysis import Analysis
from chainlens.server.lsp.definition import chain_request, same_name
from chainlens.server.lsp.names import KEYWORDS, functions, program_of, word_at, words
from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

__all__ = ["register", "prepare", "rename", "RenameRefused"]

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*")
RENAMEABLE = ("variable", "input", "parameter", "function")


class RenameRefused(ValueError):
    """Why a rename is not done (said to the user)."""


def register(server) -> None:
    @server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
    async def on_prepare(ls, params: types.PrepareRenameParams):
        return await chain_request(server, params, prepare)

    @server.feature(types.TEXT_DOCUMENT_RENAME)
    async def on_rename(ls, params: types.RenameParams):
        analysis = await server.current(params.text_document.uri, heavy=0)
        if analysis is None or analysis.kind != "chain":
            return None
        offset = analysis.index.offset(params.position)
        try:
            return await server.store.run(rename, analysis, offset, params.new_name)
        except RenameRefused as exc:
            raise JsonRpcInvalidParams(str(exc)) from None


def _target(analysis: Analysis, offset: int):
    word = word_at(analysis, offset)
    if word is None or word.kind not in RENAMEABLE:
        return None
    if word.kind == "function" and word.name not in functions(program_of(analysis)):
        return None  # a function of the rules table
    return word


def prepare(analysis: Analysis, offset: int) -> types.PrepareRenamePlaceholder | None:
    word = _target(analysis, offset)
    if word is None:
        return None
    return types.PrepareRenamePlaceholder(range=analysis.index.range(word.start, word.end),
                                          placeholder=word.text)


def rename(analysis: Analysis, offset: int, new_name: str) -> types.WorkspaceEdit | None:
    word = _target(analysis, offset)
    if word is None:
        return None
    if new_name == word.name:
        return types.WorkspaceEdit(changes={analysis.uri: []})
    _check(analysis, new_name)
    edits = [types.TextEdit(range=analysis.index.range(w.start, w.end), new_text=new_name)
             for w in same_name(analysis, word)]
    return types.WorkspaceEdit(changes={analysis.uri: edits})


def _check(analysis: Analysis, new_name: str) -> None:
    if not _NAME.fullmatch(new_name):
        raise RenameRefused(f"{new_name!r} is not a name (letters, digits and _, "
                            "starting with a letter)")
    if new_name in KEYWORDS:
        raise RenameRefused(f"{new_name!r} is a keyword")
    if new_name in function_names() or new_name in functions(program_of(analysis)):
        raise RenameRefused(f"{new_name!r} is a function; the program would read it as one")
    if any(w.name == new_name for w in words(analysis)):
        raise RenameRefused(f"{new_name!r} is already used in this file")
