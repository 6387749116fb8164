"""``textDocument/definition`` and ``textDocument/references`` for ``.chain``.

A name's definition is the assignment of the version the cursor reads (the
SSA version: after ``a = …`` twice, a use reads the latest one before it),
a user function's ``f(u) = …`` line, or an input's declaration (else its
first use).  References are every word writing the same user-level name
(all its versions: renaming or reading ``a`` means every ``a``).
"""

from __future__ import annotations

import asyncio
import logging

from chainlens.server.lsp.analysis import Analysis
from chainlens.server.lsp.names import Word, program_of, word_at, words
from lsprotocol import types

log = logging.getLogger("chainlens.lsp")

__all__ = ["register", "definition", "references", "chain_request", "same_name"]

#: The word kinds that name something a program defines.
NAMED = ("variable", "input", "parameter", "function")


def register(server) -> None:
    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    async def on_definition(ls, params: types.DefinitionParams):
        return await chain_request(server, params, definition)

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    async def on_references(ls, params: types.ReferenceParams):
        include = params.context.include_declaration if params.context else True
        return await chain_request(server, params, references, include)


async def chain_request(server, params, compute, *args):
    try:
        analysis = await server.current(params.text_document.uri, heavy=0)
        if analysis is None or analysis.kind != "chain":
            return None
        offset = analysis.index.offset(params.position)
        return await server.store.run(compute, analysis, offset, *args)
    except asyncio.CancelledError:
        raise
    except Exception:  # noqa: BLE001 - a feature must never take the server down
        log.exception("%s failed", compute.__name__)
        return None


def _location(analysis: Analysis, start: int, end: int) -> types.Location:
    return types.Location(uri=analysis.uri, range=analysis.index.range(start, end))


def definition(analysis: Analysis, offset: int) -> list[types.Location] | None:
    word = word_at(analysis, offset)
    if word is None or word.kind not in NAMED:
        return None
    found = defining_word(analysis, word)
    return None if found is None else [_location(analysis, found.start, found.end)]


def defining_word(analysis: Analysis, word: Word) -> Word | None:
    """The word that defines the name ``word`` reads at its place."""
    same = [w for w in words(analysis) if w.name == word.name and w.kind == word.kind]
    if word.kind == "variable":
        program = program_of(analysis)
        target = _version(program, word) if program is not None else None
        if target is not None:
            return next((w for w in same if w.start == target), None)
        before = [w for w in same if w.definition and w.start <= word.start]
        return before[-1] if before else next((w for w in same if w.definition), None)
    defining = [w for w in same if w.definition]
    return defining[0] if defining else (same[0] if same else None)


def _version(program, word: Word) -> int | None:
    """The start of the name of the assignment ``word`` reads (its own, if
    it is the assigned name; else the latest one before it)."""
    latest = None
    for a in program.assignments:
        if a.display != word.name and a.name != word.name:
            continue
        if a.name_span.start == word.start:
            return a.name_span.start
        if a.span.end <= word.start:
            latest = a.name_span.start
    return latest


def references(analysis: Analysis, offset: int,
               include_declaration: bool = True) -> list[types.Location] | None:
    word = word_at(analysis, offset)
    if word is None or word.kind not in NAMED:
        return None
    return [_location(analysis, w.start, w.end) for w in same_name(analysis, word)
            if include_declaration or not w.definition]


def same_name(analysis: Analysis, word: Word) -> list[Word]:
    """Every word naming what ``word`` names (all versions of a variable)."""
    kinds = ("variable",) if word.kind == "variable" else (word.kind,)
    if word.kind == "function":
        kinds = ("function",)
    return [w for w in words(analysis) if w.name == word.name and w.kind in kinds]
