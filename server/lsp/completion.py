"""``textDocument/completion``: what may be typed at the cursor.

* after ``\\``: LaTeX commands the reader knows (the rules table's
  functions, Greek letters, ``\\frac``, ``\\sqrt``, …), in ``.chain`` files
  and in the math of notes;
* elsewhere in a ``.chain`` file: the names in scope there (assigned
  before the cursor, the inputs, the user's functions), the functions of
  the rules table with their derivatives as documentation, and the
  keywords.
"""

from __future__ import annotations

from chainlens.engine.language.names import GREEK_NAMES
from chainlens.engine.rules import latex_commands
from chainlens.server.lsp.analysis import Analysis
from chainlens.server.lsp.names import DIRECTIVES, KEYWORDS, functions, program_of
from chainlens.server.lsp.signatures import signature, table_names, user_signature
from lsprotocol import types

__all__ = ["register", "compute"]

#: LaTeX structure the reader understands beside the functions and letters.
LATEX_STRUCTURE = ("frac", "dfrac", "sqrt", "left", "right", "cdot", "times", "operatorname",
                   "mathrm", "exp", "pi")


def register(server) -> None:
    @server.feature(types.TEXT_DOCUMENT_COMPLETION,
                    types.CompletionOptions(trigger_characters=["\\", "@"]))
    async def on_completion(ls, params: types.CompletionParams):
        return await _answer_any(server, params)


async def _answer_any(server, params):
    analysis = await server.current(params.text_document.uri, heavy=0)
    if analysis is None:
        return None
    offset = analysis.index.offset(params.position)
    return await server.store.run(compute, analysis, offset)


def _prefix(text: str, offset: int) -> tuple[str, int]:
    i = offset
    while i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_"):
        i -= 1
    if i > 0 and text[i - 1] in "\\@":
        i -= 1
    return text[i:offset], i


def compute(analysis: Analysis, offset: int) -> types.CompletionList | None:
    prefix, start = _prefix(analysis.text, offset)
    in_math = analysis.kind == "chain" or any(m.start <= offset <= m.end for m in analysis.math)
    if prefix.startswith("\\") and in_math:
        items = _latex(analysis)
    elif analysis.kind == "chain" and not _in_comment(analysis.text, offset):
        items = _chain(analysis, offset, prefix)
    else:
        return None
    rng = analysis.index.range(start, offset)
    wanted = [i for i in items if i.label.startswith(prefix)] if prefix else items
    for item in wanted:
        item.text_edit = types.TextEdit(range=rng, new_text=item.insert_text or item.label)
        item.insert_text = None
    return types.CompletionList(is_incomplete=False, items=wanted)


def _in_comment(text: str, offset: int) -> bool:
    line_start = text.rfind("\n", 0, offset) + 1
    return "#" in text[line_start:offset]


def _latex(analysis: Analysis) -> list[types.CompletionItem]:
    def item(name: str, kind, detail: str) -> types.CompletionItem:
        return types.CompletionItem(label="\\" + name, kind=kind, detail=detail)

    return ([item(n, types.CompletionItemKind.Function, "function") for n in latex_commands()]
            + [item(n, types.CompletionItemKind.Constant, "Greek letter")
               for n in sorted(GREEK_NAMES)]
            + [item(n, types.CompletionItemKind.Keyword, "LaTeX") for n in LATEX_STRUCTURE])


def _chain(analysis: Analysis, offset: int, prefix: str) -> list[types.CompletionItem]:
    program = program_of(analysis)
    items: list[types.CompletionItem] = []
    if prefix.startswith("@"):
        return [types.CompletionItem(label=d, kind=types.CompletionItemKind.Keyword)
                for d in DIRECTIVES]
    seen: set[str] = set()
    if program is not None:
        for a in program.assignments:
            if a.span.end <= offset and a.display not in seen and a.layer is None:
                seen.add(a.display)
                items.append(types.CompletionItem(label=a.display,
                                                  kind=types.CompletionItemKind.Variable,
                                                  detail="assigned above"))
        for name in program.inputs:
            if name not in seen and "@" not in name:
                seen.add(name)
                items.append(types.CompletionItem(label=name, kind=types.CompletionItemKind.Field,
                                                  detail="input"))
        for name, params in functions(program).items():
            sig = user_signature(name, params)
            items.append(_function(sig, types.CompletionItemKind.Method))
    for name in table_names():
        sig = signature(name)
        if sig is not None:
            items.append(_function(sig, types.CompletionItemKind.Function))
    items += [types.CompletionItem(label=k, kind=types.CompletionItemKind.Keyword)
              for k in KEYWORDS]
    return items


def _function(sig, kind) -> types.CompletionItem:
    return types.CompletionItem(
        label=sig.name, kind=kind, detail=sig.label,
        documentation=types.MarkupContent(kind=types.MarkupKind.Markdown, value=sig.doc),
        insert_text=sig.name + "(")
