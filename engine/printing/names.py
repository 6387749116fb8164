"""The one name prettifier: how a variable name is shown in each notation.

Names in the IR are what the parser made of what was written: ``w_1``
(subscripted), ``theta`` (a Greek letter, however typed), ``a@3`` (SSA
version 3 of ``a``, the README's spelling), ``$0`` (a rule placeholder).
Every part of chainlens that shows a name (printers, health findings,
graphs, the CLI) calls :func:`display_symbol`, so ``a@3`` reads ``a⁽³⁾`` in
Unicode and ``a^{(3)}`` in LaTeX everywhere.
"""

from __future__ import annotations

import keyword
import unicodedata

__all__ = ["display_symbol", "plain_name", "python_identifiers"]

#: Names of rule placeholders ``$0, $1, ...`` as printed.
_PLACEHOLDER_NAMES = ("u", "v", "w", "s", "t", "p", "q", "r")

_GREEK_NAMES = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi "
    "omicron rho sigma tau upsilon phi chi psi omega varepsilon varphi vartheta varrho "
    "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega"
)
#: Greek letter names -> letters (the reader, language.names, reads it backwards)
GREEK = dict(zip(_GREEK_NAMES.split(" "), "αβγδεζηθικλμνξορστυφχψωεφϑϱΓΔΘΛΞΠΣΥΦΨΩ", strict=True))
_LATEX_ONLY_GREEK = {"omicron": "o"}  # LaTeX has no \omicron
_SUB = str.maketrans("0123456789+-=()aehijklmnoprstuvx",
                     "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")
SUP = str.maketrans("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾")
_SUBSCRIPTABLE = set("0123456789+-=()aehijklmnoprstuvx")
#: accents a name's suffix stands for (the notes read ``\\hat{y}`` as ``y_hat``),
#: shown as a combining mark on a one-letter name: ``y_hat`` is ``ŷ``
_ACCENT_MARKS = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303", "vec": "\u20d7"}
#: names generated Python must not shadow
_RESERVED = frozenset({"np", "math"})


def plain_name(name: str) -> str:
    """The name a person wrote, without its SSA version: ``a@3`` -> ``a``."""
    return name.split("@", 1)[0]


def _name_parts(name: str) -> tuple[str, str, str]:
    """``w_1@3 -> ("w", "1", "3")``; placeholders ``$0 -> ("u", "", "")``."""
    if name.startswith("$") and name[1:].isdigit():
        i = int(name[1:])
        return (_PLACEHOLDER_NAMES[i] if i < len(_PLACEHOLDER_NAMES) else f"u{i}"), "", ""
    base, _, version = name.partition("@")
    core, _, sub = base.partition("_")
    sub = sub.strip("{}")
    if not core:  # a name that starts with "_"
        core, sub = base, ""
    return core, sub, version


def display_symbol(name: str, notation: str = "text") -> str:
    """How a variable name is shown: ``w_1`` is ``w₁`` / ``w_{1}``, ``theta``
    is ``θ`` / ``\\theta``, the SSA version ``a@3`` is ``a⁽³⁾`` / ``a^{(3)}``
    / ``a_v3``, and rule placeholders ``$0, $1`` are ``u, v``."""
    if notation == "text":
        return _name_parts(name)[0] if name.startswith("$") else name
    core, sub, version = _name_parts(name)
    if notation == "python":
        return _python_identifier(core + (f"_{sub}" if sub else ""), version)
    if notation == "unicode":
        out = GREEK.get(core, core)
        if sub in _ACCENT_MARKS and len(out) == 1:
            out = unicodedata.normalize("NFC", out + _ACCENT_MARKS[sub])
        elif sub:
            out += sub.translate(_SUB) if _subscripted(sub) else "_" + sub
        if version:
            out += f"({version})".translate(SUP)
        return out
    if notation == "latex":
        if core in _LATEX_ONLY_GREEK:
            out = _LATEX_ONLY_GREEK[core]
        elif core in GREEK:
            out = "\\" + core
        elif len(core) == 1:
            out = core
        else:
            out = "\\mathrm{" + core.replace("_", "\\_") + "}"
        if sub:
            out += "_{" + (display_symbol(sub, "latex") if sub in GREEK else sub) + "}"
        if version:
            out += "^{(" + version + ")}"
        return out
    raise ValueError(f"unknown notation {notation!r}")


def _subscripted(sub: str) -> bool:
    """A suffix shown as a subscript: one letter or a number (``w₁``, ``wₖ``,
    ``w₁₂``).  A word stays a word (``soft_loss``, not ``softₗₒₛₛ``, which
    reads as soft with a subscript of four letters)."""
    if not set(sub) <= _SUBSCRIPTABLE:
        return False
    return len(sub) == 1 or sub.isdigit()


def _identifier_char(c: str) -> str:
    """``c`` if Python keeps it as written inside an identifier (letters and
    digits of any script, ``α`` included), else a stable ASCII escape: a
    character NFKC-normalises to another (``ﬁ`` is ``fi`` to Python), so it
    is escaped too, or two names could become one identifier."""
    if ("a" + c).isidentifier() and unicodedata.normalize("NFKC", c) == c:
        return c
    return f"_x{ord(c):x}_"


def _python_identifier(base: str, version: str) -> str:
    ident = "".join(_identifier_char(c) for c in base) or "_"
    if version:
        ident += f"_v{version}"
    if not ident.isidentifier():  # a leading digit
        ident = "_" + ident
    if keyword.iskeyword(ident) or keyword.issoftkeyword(ident) or ident in _RESERVED:
        ident += "_"
    return ident


def python_identifiers(names, taken=()) -> dict[str, str]:
    """A distinct Python identifier for each name, stable (a name keeps the
    identifier :func:`display_symbol` gives it unless another name, earlier
    in sorted order, already has it; then ``_2``, ``_3``... is appended) and
    distinct from ``taken``."""
    used = set(taken) | _RESERVED
    out: dict[str, str] = {}
    for name in sorted(set(names)):
        ident = base = display_symbol(name, "python")
        k = 2
        while ident in used:
            ident, k = f"{base}_{k}", k + 1
        used.add(ident)
        out[name] = ident
    return out
