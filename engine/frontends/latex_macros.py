"""User macros of a LaTeX note: ``\\newcommand``, ``\\def``, ``\\DeclareMathOperator``,
and the xargs package's ``\\newcommandx`` (several optional arguments with defaults).

Course notes and open textbooks write their derivatives through their own
macros (``\\fp`` for ``f\\,'``, ``\\ds`` for ``\\displaystyle``, ``\\dd`` for an
upright d).  A claim written with them is only readable once they are
expanded, so the preamble's definitions are collected once per note and
each math piece is expanded before it is read.  Expansion is textual, as
TeX's is, bounded in depth and length so that a recursive macro cannot hang
the reader; a macro whose body cannot be found whole is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Macro", "collect_macros", "expand_macros"]

#: Expansion passes before the reader gives up (a macro defined in terms of itself).
MAX_PASSES = 8
#: An expansion growing a piece beyond this many characters stops.
MAX_EXPANDED = 20_000

_NEW = re.compile(r"\\(?:(?:re)?newcommand|providecommand)\*?\s*\{?\s*\\([A-Za-z]+)\s*\}?"
                  r"\s*(?:\[(\d)\])?\s*(?:\[([^\]]*)\])?\s*\{")
_DEF = re.compile(r"\\[gex]?def\s*\\([A-Za-z]+)\s*((?:#\d)*)\s*\{")
#: ``\\newcommandx*\\deriv[2][1=, 2=x, usedefault]{…}`` (xargs): the arguments listed
#: in the second bracket are optional, each with its default.
_NEWX = re.compile(r"\\(?:re)?newcommandx\*?\s*\{?\s*\\([A-Za-z]+)\s*\}?\s*\[(\d)\]"
                   r"\s*(?:\[([^\]]*)\])?\s*\{")
_OPERATOR = re.compile(r"\\DeclareMathOperator\*?\s*\{\s*\\([A-Za-z]+)\s*\}\s*\{([^{}]*)\}")
_PRESENTATION = re.compile(r"\\if[a-z]*|\\relax|^\s*\\[mh]?(kern|skip)")
_USE = re.compile(r"\\([A-Za-z]+)(?![A-Za-z])")


@dataclass(frozen=True)
class Macro:
    name: str
    nargs: int
    body: str
    #: ``\\newcommand{\\dx}[1][x]{…}``: the first argument is optional, with this default
    default: str | None = None
    #: xargs: ``(argument number, default)`` of each optional argument
    optional: tuple[tuple[int, str], ...] = ()


def group_end(text: str, open_at: int) -> int:
    """Offset just past the ``}`` closing the ``{`` at ``open_at``, or -1."""
    depth = 0
    i = open_at
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def collect_macros(text: str) -> dict[str, Macro]:
    """Every macro the note defines (the last definition of a name wins, except
    that ``\\providecommand`` never replaces one)."""
    found: list[tuple[int, Macro]] = []
    for pattern in (_NEW, _DEF):
        for m in pattern.finditer(text):
            end = group_end(text, m.end() - 1)
            if end < 0:
                continue
            nargs = int(m.group(2)) if pattern is _NEW and m.group(2) else 0
            if pattern is _DEF:
                nargs = m.group(2).count("#")
            body = text[m.end():end - 1]
            if _PRESENTATION.search(body):
                body = ""  # spacing and mode tests: nothing a reader of math sees
            default = m.group(3) if pattern is _NEW and nargs else None
            found.append((m.start(), Macro(m.group(1), nargs, body, default)))
    for m in _NEWX.finditer(text):
        end = group_end(text, m.end() - 1)
        if end >= 0:
            found.append((m.start(), Macro(m.group(1), int(m.group(2)), text[m.end():end - 1],
                                           optional=_xargs_defaults(m.group(3) or ""))))
    for m in _OPERATOR.finditer(text):
        found.append((m.start(), Macro(m.group(1), 0, "\\operatorname{" + m.group(2) + "}")))
    # \providecommand defines a name only when nothing defined it before (red team R31)
    provided = {m.start() for m in _NEW.finditer(text) if m.group(0).startswith("\\provide")}
    out: dict[str, Macro] = {}
    for start, macro in sorted(found, key=lambda item: item[0]):
        if start not in provided or macro.name not in out:
            out[macro.name] = macro
    return out


def _xargs_defaults(spec: str) -> tuple[tuple[int, str], ...]:
    """``1=, 2=x, usedefault`` -> ``((1, ""), (2, "x"))``."""
    out = []
    for item in spec.split(","):
        m = re.fullmatch(r"\s*(\d)\s*=\s*(.*?)\s*", item)
        if m:
            out.append((int(m.group(1)), m.group(2).strip("{}")))
    return tuple(out)


def _optional_arguments(text: str, start: int, macro: Macro) -> tuple[list[str], int] | None:
    """xargs' arguments: an optional one is ``[…]`` when written (empty: the
    default, as ``usedefault`` says), else its default."""
    args, i, optional = [], start, dict(macro.optional)
    for k in range(1, macro.nargs + 1):
        j = i
        while j < len(text) and text[j].isspace():
            j += 1
        if k in optional:
            close = text.find("]", j) if text[j:j + 1] == "[" else -1
            if close > 0:
                args.append(text[j + 1:close].strip() or optional[k])
                i = close + 1
            else:
                args.append(optional[k])
            continue
        got = _arguments(text, i, 1)
        if got is None:
            return None
        args += got[0]
        i = got[1]
    return args, i


def _arguments(text: str, start: int, count: int,
               default: str | None = None) -> tuple[list[str], int] | None:
    args, i = [], start
    if default is not None and count:
        j = start
        while j < len(text) and text[j].isspace():
            j += 1
        close = text.find("]", j) if text[j:j + 1] == "[" else -1
        if close > 0:
            args.append(text[j + 1:close])
            i = close + 1
        else:
            args.append(default)
        count -= 1
    for _ in range(count):
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return None
        if text[i] == "{":
            end = group_end(text, i)
            if end < 0:
                return None
            args.append(text[i + 1:end - 1])
            i = end
        else:
            args.append(text[i])
            i += 1
    return args, i


def expand_macros(math: str, macros: dict[str, Macro]) -> str:
    """``math`` with the note's macros expanded (unknown control words kept)."""
    if not macros:
        return math
    for _ in range(MAX_PASSES):
        out, i, changed = [], 0, False
        for m in _USE.finditer(math):
            macro = macros.get(m.group(1))
            if macro is None or m.start() < i:
                continue
            got = _optional_arguments(math, m.end(), macro) if macro.optional else \
                _arguments(math, m.end(), macro.nargs, macro.default)
            if got is None:
                continue
            args, end = got
            body = macro.body
            for k, arg in enumerate(args, 1):
                body = body.replace(f"#{k}", arg)
            # A control word running into a letter must stay apart: \ds\frac, \fp x.
            out += [math[i:m.start()], body, " " if body[-1:].isalpha() else ""]
            i, changed = end, True
        out.append(math[i:])
        math = "".join(out)
        if not changed or len(math) > MAX_EXPANDED:
            break
    return math
