"""Derivatives inserted into a document, correct by construction.

A code action's edit must leave a file that still reads (and, for Python,
compiles and imports).  So every insertion here is built to be valid where
it lands, then checked:

* the new lines start at the indentation of the statement they follow;
* code uses only names defined where it is inserted: in Python a helper
  function ``def df_dx(x, w): …`` takes the unit's parameters and imports
  what its body uses (``numpy as np``, ``math``) itself; in ``.chain`` the
  derivative is in the program's inputs, under a name not yet taken, and an
  ``@output`` line keeps the program's output when the new line would
  otherwise become it;
* a long result names its shared sub-expressions (``u1 = …`` lines in the
  helper, ``where`` comment lines), never one cut line;
* :func:`still_reads` reads the edited text with the editor's own reader
  (and Python's ``compile``, never ``exec``); an edit that fails is not
  offered.
"""

from __future__ import annotations

import re

from chainlens.engine.core.nodes import Node
from chainlens.engine.frontends.document import read_document
from chainlens.engine.printing import render, render_shared
from chainlens.server.lsp.python_names import adds_unresolved

__all__ = ["Insertion", "line_after", "indent_of", "indent_unit", "reindented", "comment_lines",
           "chain_code", "python_helper", "still_reads", "MAX_COMMENT_LINES"]

#: A derivative longer than this is written with shared sub-expressions.
SHARE_CHARS = 160
#: Most lines of one inserted comment.
MAX_COMMENT_LINES = 12
#: Longest line inserted (a longer let is not inserted at all).
MAX_LINE_CHARS = 2000


class Insertion:
    """Text to insert at offset ``at`` (the start of a line, or the end of
    the text)."""

    def __init__(self, at: int, text: str):
        self.at, self.text = at, text

    def apply(self, source: str) -> str:
        return source[:self.at] + self.text + source[self.at:]


def line_after(source: str, offset: int, lines: list[str]) -> Insertion:
    """``lines`` as new lines after the line holding ``offset``, ended the
    way that line is (``\r\n`` in a CRLF file, so it stays one style)."""
    end = source.find("\n", offset)
    crlf = end > 0 and source[end - 1] == "\r" or end < 0 and source.endswith("\r\n")
    newline = "\r\n" if crlf else "\n"
    body = newline.join(lines)
    if end < 0:
        return Insertion(len(source), newline + body)
    return Insertion(end + 1, body + newline)


def indent_of(source: str, offset: int) -> str:
    start = source.rfind("\n", 0, offset) + 1
    line = source[start:]
    return line[:len(line) - len(line.lstrip(" \t"))]


_BLOCK = re.compile(r"(?m)^([ \t]*)[^\s#][^\n]*:[ \t]*(?:#[^\n]*)?\n(?:[ \t]*\n)*([ \t]+)\S")


def indent_unit(source: str, indent: str = "") -> str:
    """One level of the file's own indentation: what a block opened by a
    ``:`` line adds (a tab in a tab-indented file, two spaces in a file of
    two), so inserted code mixes no tabs and spaces (red team P2-16).  Four
    spaces when the file shows none (a tab when ``indent`` has one)."""
    for m in _BLOCK.finditer(source):
        outer, inner = m.group(1), m.group(2)
        if inner.startswith(outer) and len(inner) > len(outer):
            unit = inner[len(outer):]
            if unit.strip(" ") == "" or unit.strip("\t") == "":  # one kind of character
                return unit
    return "\t" if "\t" in indent else "    "


def reindented(line: str, unit: str) -> str:
    """A generated line (four spaces a level) at the file's ``unit``."""
    if unit == "    ":
        return line
    body = line.lstrip(" ")
    levels, extra = divmod(len(line) - len(body), 4)
    return unit * levels + " " * extra + body


def _shared(node: Node, notation: str) -> list[str]:
    """``node`` in ``notation``: one line, or lets then the body when long."""
    plain = render(node, notation, max_chars=None)
    if len(plain) <= SHARE_CHARS:
        return [plain]
    return render_shared(node, notation, max_chars=None).split("\n")


def comment_lines(label: str, node: Node, notation: str, indent: str) -> list[str] | None:
    """``# ∂f/∂x = …`` (with ``where`` lines for a long result); None when
    even that is too long to be worth a comment."""
    *lets, body = _shared(node, notation)
    lines = [f"{indent}# {label} = {body}"] + [f"{indent}#   where {let}" for let in lets]
    if len(lines) > MAX_COMMENT_LINES or any(len(line) > MAX_LINE_CHARS for line in lines):
        return None
    return lines


def fresh(name: str, taken: set[str]) -> str:
    """``name``, or ``name_2``, ``name_3``… when taken."""
    candidate, k = name, 2
    while candidate in taken:
        candidate, k = f"{name}_{k}", k + 1
    return candidate


def chain_code(program, results: list[tuple[str, Node]], indent: str,
               after_last: bool) -> list[str] | None:
    """``.chain`` assignments of the derivatives ``(name, node)``, their
    shared sub-expressions first, under names the program does not use."""
    taken = set(program.names) | set(program.inputs) | {a.display for a in program.assignments}
    lines: list[str] = []
    for name, node in results:
        *lets, body = _shared(node, "text")
        renames = {}
        for let in lets:
            let_name, _, let_body = let.partition(" = ")
            new = fresh(let_name, taken)
            taken.add(new)
            renames[let_name] = new
            lines.append(f"{indent}{new} = {_rename(let_body, renames)}")
        target = fresh(name, taken)
        taken.add(target)
        lines.append(f"{indent}{target} = {_rename(body, renames)}")
    if after_last and not _has_output_directive(program):
        lines.append(f"{indent}@output {', '.join(program.outputs)}")
    if any(len(line) > MAX_LINE_CHARS for line in lines):
        return None
    return lines


def _has_output_directive(program) -> bool:
    return bool(re.search(r"(?m)^\s*@output\b", program.source))


def _rename(text: str, renames: dict[str, str]) -> str:
    if not renames:
        return text
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, renames)) + r")\b")
    return pattern.sub(lambda m: renames[m.group(1)], text)


def python_helper(name: str, params: tuple[str, ...], node: Node, doc: str, indent: str,
                  source: str, signature: str | None = None,
                  decorators: tuple[str, ...] = ()) -> list[str] | None:
    """``def name(params): …`` returning ``node``, its shared sub-expressions
    as local assignments, importing inside itself what the module lacks.
    ``signature`` (the parameter list as written) and ``decorators`` keep the
    helper callable exactly like the function it differentiates."""
    *lets, body = _shared(node, "python")
    code = "\n".join([*lets, body])
    inner = indent + indent_unit(source, indent)
    head = signature if signature is not None else ", ".join(params)
    lines = [f"{indent}@{d}" for d in decorators]
    lines += [f"{indent}def {name}({head}):", f'{inner}"""{doc}"""']
    if "np." in code and not re.search(r"(?m)^import numpy as np\b", source):
        lines.append(f"{inner}import numpy as np")
    if "math." in code and not re.search(r"(?m)^import math\b", source):
        lines.append(f"{inner}import math")
    lines += [f"{inner}{let}" for let in lets]
    lines.append(f"{inner}return {body}")
    if any(len(line) > MAX_LINE_CHARS for line in lines):
        return None
    return lines


def still_reads(kind: str, before: str, after: str, outputs=None) -> bool:
    """Whether ``after`` (the text with the edit) reads as well as
    ``before`` did: no new error, the same outputs for ``.chain``; Python
    must compile (``compile()`` only: user code never runs here) and read
    no name that nothing binds where ``before`` read none
    (:func:`.python_names.adds_unresolved`)."""
    if kind == "python":
        try:
            compile(after, "<edit>", "exec")
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
        return not adds_unresolved(before, after)
    doc = read_document(after, kind)
    if doc.error is not None:
        return False
    if kind == "chain" and outputs is not None:
        return bool(doc.programs) and doc.programs[0].program.outputs == tuple(outputs)
    return True
