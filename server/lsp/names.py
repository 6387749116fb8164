"""The words of a ``.chain`` file and what each one names.

Go to definition, references, rename, semantic tokens, completion and
signature help all ask the same question of a ``.chain`` text: where are
its words, and is each a name the program assigns, an input, a function
(the rules table's or the user's), a keyword or a LaTeX command?  This
module answers it once per analysis (memoised), from the program the
reader built (its assignments' and functions' spans) and a scan of the
text with comments skipped; it works on a text that does not read at all
too (every word is then just a word).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chainlens.engine.language.names import CONSTANTS, GREEK_NAMES, written_name
from chainlens.engine.language.program import Program
from chainlens.engine.rules import function_names, latex_commands
from chainlens.server.lsp.analysis import Analysis

__all__ = ["Word", "words", "word_at", "program_of", "KEYWORDS", "DIRECTIVES", "functions"]

KEYWORDS = ("input", "param", "repeat", "in")
DIRECTIVES = ("@at", "@wrt", "@output")
#: Dotted prefixes a call may carry (np.exp, torch.sigmoid, F.softplus).
_PREFIX = r"(?:[A-Za-z_][A-Za-z0-9_]*\.)*"
_SUB = r"(?:_\{[A-Za-z0-9]+\}|_[A-Za-z0-9]+)?"
_TOKEN = re.compile(
    r"(?P<comment>#[^\n]*)"
    r"|(?P<directive>@[A-Za-z]+)"
    r"|(?P<latex>\\[A-Za-z]+" + _SUB + r")"
    r"|(?P<number>\d+(?:\.(?!\.)\d*)?(?:[eE][-+]?\d+)?)"
    r"|(?P<word>" + _PREFIX + r"[A-Za-z_][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*"
    r"(?:_\{[A-Za-z0-9]+\})?)")


@dataclass(frozen=True)
class Word:
    """One token: ``kind`` is ``comment directive latex number keyword
    function variable input parameter constant namespace``; ``name`` the user-level name a
    variable or input word writes (``w_k`` inside a repeat stays ``w_k``);
    ``definition``: the token assigns or declares that name there."""

    start: int
    end: int
    kind: str
    text: str
    name: str = ""
    definition: bool = False


def program_of(analysis: Analysis) -> Program | None:
    return analysis.units[0].program if analysis.kind == "chain" and analysis.units else None


def functions(program: Program | None) -> dict[str, tuple[str, ...]]:
    """User functions by name, with their parameters."""
    return {f.name: f.params for f in (program.functions if program else ())}


def words(analysis: Analysis) -> tuple[Word, ...]:
    """Every token of a ``.chain`` analysis, in text order (memoised)."""
    return analysis.memoised(("words",), lambda: _scan(analysis.text, program_of(analysis)))


def word_at(analysis: Analysis, offset: int) -> Word | None:
    for w in words(analysis):
        if w.start <= offset <= w.end and w.kind not in ("comment",):
            return w
        if w.start > offset:
            break
    return None


def _scan(text: str, program: Program | None) -> tuple[Word, ...]:
    known = set(function_names())
    latex = set(latex_commands())
    user = functions(program)
    defined = _definition_starts(program)
    out: list[Word] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        start, end, token = m.start(), m.end(), m.group()
        if kind in ("comment", "number", "directive"):
            out.append(Word(start, end, kind, token))
            continue
        if kind == "latex":
            command = re.match(r"\\[A-Za-z]+", token).group()[1:]
            if command in GREEK_NAMES and not (text[end:end + 1] == "(" and command in known):
                name = written_name(token, lambda sub: sub)
                out.append(Word(start, end, "variable", token, name, start in defined))
            else:
                called = command in latex or command in GREEK_NAMES  # \sigma(z)
                out.append(Word(start, end, "latex" if called else "keyword", token))
            continue
        calls = text[end:end + 1] == "("
        if "." in token:
            prefix, _, last = token.rpartition(".")
            out.append(Word(start, start + len(prefix), "namespace", prefix))
            start, token = start + len(prefix) + 1, last
        declares = bool(out) and out[-1].kind == "keyword" and out[-1].text in (
            "input", "param", "repeat")
        if token in KEYWORDS and not declares:
            out.append(Word(start, end, "keyword", token))
        elif declares:
            out.append(Word(start, end, "variable", token, token, True))
        elif calls and (token in user or token in known):
            out.append(Word(start, end, "function", token, token, start in defined))
        else:
            name = written_name(token, lambda sub: sub)
            out.append(Word(start, end, "variable", token, name, start in defined))
    return tuple(_inputs(out, program))


def _definition_starts(program: Program | None) -> set[int]:
    if program is None:
        return set()
    starts = {a.name_span.start for a in program.assignments}
    starts |= {f.span.start for f in program.functions}
    for d in program.declarations:
        starts.add(d.span.start)
    return starts


def _inputs(tokens: list[Word], program: Program | None) -> list[Word]:
    """Variables the program never assigns are its inputs."""
    if program is None:
        return tokens
    assigned = {a.display for a in program.assignments} | {a.name for a in program.assignments}
    # inside a repeat, z_k stands for z_1, z_2, ...
    layered = {re.sub(r"_\d+$", "_" + r.var, a.display) for r in program.repeats
               for a in program.assignments if a.layer is not None}
    params = {p for f in program.functions for p in f.params}
    out = []
    for w in tokens:
        if w.kind == "variable" and w.name in params:
            w = Word(w.start, w.end, "parameter", w.text, w.name, w.definition)
        elif w.kind == "variable" and w.name in CONSTANTS and w.name not in assigned:
            w = Word(w.start, w.end, "constant", w.text, w.name)
        elif w.kind == "variable" and w.name not in assigned and w.name not in layered:
            w = Word(w.start, w.end, "input", w.text, w.name, w.definition)
        out.append(w)
    return out
