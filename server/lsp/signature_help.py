"""``textDocument/signatureHelp``: inside ``sigmoid(`` or ``f(x, `` the
function's parameters, the active one, and its partial derivatives."""

from __future__ import annotations

from chainlens.server.lsp.analysis import Analysis
from chainlens.server.lsp.definition import chain_request
from chainlens.server.lsp.names import functions, program_of
from chainlens.server.lsp.signatures import signature, user_signature
from lsprotocol import types

__all__ = ["register", "compute", "open_call"]

_OPEN, _CLOSE = "([{", ")]}"


def register(server) -> None:
    @server.feature(types.TEXT_DOCUMENT_SIGNATURE_HELP,
                    types.SignatureHelpOptions(trigger_characters=["(", ","],
                                               retrigger_characters=[","]))
    async def on_signature(ls, params: types.SignatureHelpParams):
        return await chain_request(server, params, compute)


def open_call(text: str, offset: int, reach: int = 4000) -> tuple[str, int] | None:
    """The function whose call the cursor is in, and the index of the
    argument it is at: the innermost unclosed ``name(`` before the cursor
    (earlier statements are balanced, so scanning back through them is
    harmless; a call may wrap over lines)."""
    depth, commas = 0, 0
    for i in range(offset - 1, max(-1, offset - 1 - reach), -1):
        c = text[i]
        if c == "#" or (c == "\n" and depth == 0 and commas == 0 and i < offset - 1
                         and text[i + 1:offset].strip() == ""):
            continue
        if c in _CLOSE:
            depth += 1
        elif c in _OPEN and depth > 0:
            depth -= 1
        elif c in _OPEN:
            if c != "(":
                return None
            j = i
            while j > 0 and (text[j - 1].isalnum() or text[j - 1] in "_."):
                j -= 1
            name = text[j:i].rsplit(".", 1)[-1]
            return (name, commas) if name else None
        elif c == "," and depth == 0:
            commas += 1
    return None


def compute(analysis: Analysis, offset: int) -> types.SignatureHelp | None:
    call = open_call(analysis.text, offset)
    if call is None:
        return None
    name, active = call
    user = functions(program_of(analysis))
    sig = user_signature(name, user[name]) if name in user else signature(name)
    if sig is None:
        return None
    info = types.SignatureInformation(
        label=sig.label,
        documentation=types.MarkupContent(kind=types.MarkupKind.Markdown, value=sig.doc),
        parameters=[types.ParameterInformation(label=p) for p in sig.params])
    return types.SignatureHelp(signatures=[info], active_signature=0,
                               active_parameter=min(active, max(0, len(sig.params) - 1)))
