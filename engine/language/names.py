"""Names as written -> names as the program knows them.

The reading direction of :mod:`chainlens.engine.printing.names`: whatever
the notation, one name.  ``\\theta`` and ``θ`` are ``theta`` (the Greek
table is the printers' own, read backwards, so what the Unicode printer
writes reads back as the same name), ``w₁₂`` is ``w_12`` and ``a_{k}`` is
``a_k``.  Function names lose their library prefix (``np.arcsin`` ->
``arcsin``) and resolve through the rules table's aliases (-> ``asin``).
Pure functions over strings; the loop-aware part of subscripts (``w_k``
inside ``repeat k``) is the caller's ``subscript`` callback.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

from chainlens.engine import rules
from chainlens.engine.core import ir
from chainlens.engine.core.nodes import PI, E, Node
from chainlens.engine.printing.names import GREEK as _PRINTED_GREEK

__all__ = ["MODULE_PREFIXES", "CONSTANTS", "GREEK_NAMES", "strip_module", "function_of",
           "is_letter", "latex_name", "nearest", "known_functions", "written_name"]

#: Library prefixes stripped from function names (``np.sin`` -> ``sin``).
MODULE_PREFIXES = (
    "torch.nn.functional.", "jax.numpy.", "scipy.special.", "torch.special.", "jax.nn.",
    "numpy.", "np.", "math.", "torch.", "jnp.", "F.", "nn.functional.", "special.",
)

#: Names that are constants wherever no variable takes them.
CONSTANTS = {"pi": PI, "e": E}

#: Greek letter -> name: the printers' table backwards (a letter with two
#: names reads as the first, ``ε`` as ``epsilon``), the final sigma, and π
#: (which names the constant).
_GREEK = {letter: name for name, letter in reversed(_PRINTED_GREEK.items())} | {
    "ς": "sigma", "π": "pi"}

#: Names of Greek letters: never a function (``sigma`` may be a standard
#: deviation; ``sigma(z)`` is still the sigmoid where no variable sigma exists).
GREEK_NAMES = frozenset(_PRINTED_GREEK) | {"pi"}

_UNICODE_SUB = re.compile("[\u2080-\u2089\u2090-\u209c\u1d62-\u1d65\u2c7c]+")
_FROM_SUB = str.maketrans("₀₁₂₃₄₅₆₇₈₉ₐₑₒₓₕₖₗₘₙₚₛₜᵢᵣᵤᵥⱼ", "0123456789aeoxhklmnpstiruvj")
_SUBSCRIPT = re.compile(r"_(\{[^{}]*\}|[A-Za-z0-9]+)")
_LATEX_WORD = re.compile(r"\\(?:operatorname|mathrm|text|mathop)\s*\{\s*([A-Za-z0-9]+)\s*\}")


def written_name(raw: str, subscript: Callable[[str], str]) -> str:
    """The name ``raw`` denotes: ``\\theta`` -> theta, ``θ`` -> theta,
    ``w₁₂`` -> w_12, ``a_{k}`` -> ``a_`` + ``subscript("k")``."""
    if raw.startswith("\\"):
        raw = raw[1:]
    m = _UNICODE_SUB.search(raw)
    if m:  # w₁₂ -> w_12, as the Unicode printer writes w_12
        raw = raw[:m.start()] + "_" + m.group().translate(_FROM_SUB) + raw[m.end():]
    if any(c in _GREEK for c in raw):
        raw = "".join(_GREEK.get(c, c) for c in raw)
    if "_" not in raw:
        return raw
    base, _, rest = raw.partition("_")
    if "." in base and not rest:
        return raw
    subs = []
    for m in _SUBSCRIPT.finditer("_" + rest):
        sub = m.group(1)
        if sub.startswith("{"):
            sub = sub[1:-1].strip()
        subs.append(subscript(sub))
    return "_".join([base, *subs])


def strip_module(name: str) -> str:
    if "." not in name:  # every prefix ends in a dot
        return name
    for prefix in MODULE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def function_of(name: str) -> str | None:
    """The canonical function a typed name calls (after its module prefix):
    a rule of the table under any alias, or a named composition."""
    n = strip_module(name)
    canonical = rules.ALIASES.get(n)
    if canonical is not None and canonical not in ("add", "mul", "pow"):
        return canonical
    return n if n in rules.COMPOSITIONS else None


def is_letter(name: str) -> bool:
    """A single letter, a Greek letter, optionally subscripted: a variable."""
    base = name.split("_", 1)[0]
    return len(base) == 1 or base in GREEK_NAMES


def latex_name(raw: str) -> str:
    """``\\operatorname{relu}`` -> relu, ``\\arcsin`` -> the rule it calls."""
    m = _LATEX_WORD.match(raw)
    if m:
        return m.group(1)
    name = raw[1:]
    return rules.LATEX.get(name, name)


def known_functions() -> tuple[str, ...]:
    """Every function name the parser accepts (without module prefixes)."""
    return rules.function_names()


def nearest(name: str) -> str | None:
    """A "did you mean" hint for an unknown function name."""
    close = difflib.get_close_matches(name, known_functions(), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def composed_call(fname: str, args: tuple[Node, ...], check_arity) -> Node | None:
    """``fname(args)`` when the spelling is a composition rather than one
    primitive (``log(x, b)``, the rules table's compositions such as
    ``square``, n-ary ``max``/``min``), else None.  ``check_arity(want)``
    raises when a composition gets the wrong number of arguments.  Shared by
    the lark lowering and the expression fast path, so both build one node."""
    n = len(args)
    if fname == "log" and n == 2:
        x, b = args
        if b.op == "num" and b.value in (2, 10):
            return ir.call(f"log{b.value}", x)
        if b is E:
            return ir.call("log", x)
        return ir.div(ir.call("log", x), ir.call("log", b))
    composed = rules.COMPOSITIONS.get(fname)
    if composed is not None:
        if composed.arity != n:
            check_arity(composed.arity)
        return composed.build(*args)
    if fname in ("max", "min") and n > 2:
        acc = args[0]
        for a in args[1:]:
            acc = ir.call(fname, acc, a)
        return acc
    return None
