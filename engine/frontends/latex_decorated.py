"""Decorations on a note's math: accents on letters (``\\hat{y}``, ``\\bar{x}``,
``\\tilde{u}``, ``\\vec{w}``), boxes around key results (``\\boxed{…}``) and
absolute-value bars right after a function's name (``\\ln|x|``, ``\\abs{x}``).

A prediction ``\\hat{y}`` (machine-learning notes), a mean ``\\bar{x}``
(statistics) or a vector ``\\vec{w}`` is one variable, distinct from the bare
letter.  The engine's names have no accents, so each decorated letter is read
as a subscripted name (``\\hat{y}`` -> ``y_{hat}``, the engine's ``y_hat``)
and written back with its accent wherever chainlens shows or inserts one (a
quick fix must read as the note writes it).  ``\\dot{x}`` is not here: it is
a time derivative (:mod:`~chainlens.engine.frontends.note_heads`).
"""

from __future__ import annotations

import re

__all__ = ["undecorate", "redecorate_latex", "redecorate_unicode", "unboxed", "bracketed_bars",
           "DECORATIONS"]

#: accent control word -> the subscript it becomes
DECORATIONS = {"hat": "hat", "widehat": "hat", "bar": "bar", "overline": "bar",
               "tilde": "tilde", "widetilde": "tilde", "vec": "vec"}
_ACCENT = re.compile(r"\\(" + "|".join(DECORATIONS) + r")(?![A-Za-z])\s*"
                     r"(?:\{\s*([A-Za-z])\s*\}|([A-Za-z])(?![A-Za-z]))")
_SUBSCRIPTED = re.compile(r"(?<![\\A-Za-z])([A-Za-z])_\{(hat|bar|tilde|vec)\}")
#: combining marks (U+0302 circumflex, U+0304 macron, U+0303 tilde, U+20D7 arrow)
_MARK = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303", "vec": "\u20d7"}
_SUB_TEXT = str.maketrans("aehijklmnoprstuvx", "ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")


def undecorate(text: str) -> str:
    """``\\hat{y}`` -> ``y_{hat}`` (one name for the reader)."""
    return _ACCENT.sub(lambda m: " " + (m.group(2) or m.group(3)) + "_{"
                       + DECORATIONS[m.group(1)] + "}", text).strip()


def redecorate_latex(latex: str) -> str:
    """The engine's ``y_{hat}`` back as ``\\hat{y}``."""
    return _SUBSCRIPTED.sub(lambda m: "\\" + m.group(2) + "{" + m.group(1) + "}", latex)


def redecorate_unicode(text: str) -> str:
    """``yₕₐₜ`` / ``y_hat`` back as ``ŷ``."""
    for word, mark in _MARK.items():
        for spelled in (word.translate(_SUB_TEXT), "_" + word):
            text = re.sub(r"([A-Za-z])" + re.escape(spelled) + r"(?![A-Za-z])",
                          lambda m, k=mark: m.group(1) + k, text)
    return text


_BOX = re.compile(r"\\(?:boxed|fbox|bbox(?:\[[^\]]*\])?)\s*\{")


def unboxed(text: str) -> str:
    """``\\boxed{f'(x) = 2x}`` (a key result) with the box blanked, same length
    (offsets into the note stay right), so its equation is read."""
    out, at = [], 0
    for m in _BOX.finditer(text):
        if m.start() < at:
            continue
        depth, end = 0, -1
        for i in range(m.end() - 1, len(text)):
            if text[i] == "{" and text[i - 1] != "\\":
                depth += 1
            elif text[i] == "}" and text[i - 1] != "\\":
                depth -= 1
                if depth == 0:
                    end = i
                    break
        if end < 0:
            break
        if re.match(r"\s*[\^_]", text[end + 1:]):
            continue  # \boxed{x+1}^3: a power on the box is no key result (and not x+1³)
        out += [text[at:m.start()], " " * (m.end() - m.start()), text[m.end():end], " "]
        at = end + 1
    return "".join(out) + text[at:]


_FUNCTION_BARS = re.compile(r"(\\[A-Za-z]+)\s*\|([^|]+)\|")
_ABS = re.compile(r"\\abs\s*\{([^{}]*)\}")


def bracketed_bars(text: str) -> str:
    """``\\ln|x|`` -> ``\\ln(|x|)`` (the reader wants a function's argument
    bracketed when it is not one token); the physics package's ``\\abs{x}`` -> ``|x|``
    (red team F57)."""
    text = _ABS.sub(lambda m: "|" + m.group(1) + "|", text)
    def one(m: re.Match) -> str:
        name, inside = m.group(1), m.group(2)
        if name in ("\\left", "\\right", "\\cdot", "\\times", "\\frac"):
            return m.group(0)
        return name + ("{|" + inside + "|}" if name == "\\sqrt" else "(|" + inside + "|)")

    return _FUNCTION_BARS.sub(one, text)
