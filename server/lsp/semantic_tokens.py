"""``textDocument/semanticTokens/full``: colours for ``.chain`` files that
follow the program, not a regex: a name the program assigns is a variable
(its assignment a declaration), an unassigned one an input (a parameter
of the whole program), ``sigmoid(`` a function only where the rules table
or the user defines it, ``\\sin`` a LaTeX function, ``@at`` a directive.
(Editors without semantic tokens get the TextMate grammar and Neovim
syntax file of clients/.)
"""

from __future__ import annotations

from chainlens.server.lsp.analysis import Analysis
from chainlens.server.lsp.names import words
from lsprotocol import types

__all__ = ["register", "compute", "LEGEND"]

TOKEN_TYPES = ["keyword", "function", "variable", "parameter", "number", "comment", "macro",
               "namespace"]
TOKEN_MODIFIERS = ["declaration", "readonly", "defaultLibrary"]
LEGEND = types.SemanticTokensLegend(token_types=TOKEN_TYPES, token_modifiers=TOKEN_MODIFIERS)

#: word kind -> (token type, modifiers)
_KINDS = {
    "keyword": ("keyword", ()), "function": ("function", ()), "latex": ("function",
                                                                        ("defaultLibrary",)),
    "variable": ("variable", ()), "input": ("parameter", ()), "parameter": ("parameter", ()),
    "constant": ("variable", ("readonly", "defaultLibrary")), "number": ("number", ()),
    "comment": ("comment", ()), "directive": ("macro", ()), "namespace": ("namespace", ()),
}


def register(server) -> None:
    @server.feature(types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, LEGEND)
    async def on_tokens(ls, params: types.SemanticTokensParams):
        analysis = await server.current(params.text_document.uri, heavy=0)
        if analysis is None or analysis.kind != "chain":
            return types.SemanticTokens(data=[])
        return await server.store.run(compute, analysis)


def compute(analysis: Analysis) -> types.SemanticTokens:
    return analysis.memoised(("semantic-tokens",), lambda: types.SemanticTokens(
        data=encode(analysis)))


def encode(analysis: Analysis) -> list[int]:
    """The LSP's relative encoding: per token (Δline, Δstart, length, type,
    modifier bits), positions in the session's encoding."""
    data: list[int] = []
    last_line = last_char = 0
    for w in words(analysis):
        kind, mods = _KINDS.get(w.kind, (None, ()))
        if kind is None:
            continue
        start = analysis.index.position(w.start)
        end = analysis.index.position(w.end)
        if end.line != start.line or end.character <= start.character:
            continue
        bits = sum(1 << TOKEN_MODIFIERS.index(m) for m in mods)
        if w.definition:
            bits |= 1 << TOKEN_MODIFIERS.index("declaration")
        delta_line = start.line - last_line
        delta_char = start.character - last_char if delta_line == 0 else start.character
        data += [delta_line, delta_char, end.character - start.character,
                 TOKEN_TYPES.index(kind), bits]
        last_line, last_char = start.line, start.character
    return data
