"""What a request will cost, guessed from its text before any work.

A shared service answers cheap requests on its own threads and sends the
expensive ones to worker processes it can stop (a started engine call on a
thread runs to its end and, holding the GIL, stalls everyone's cheap
requests).  The guess has to be cheaper than the work: parsing is not (a
72-character ``repeat`` of 10,000 layers takes a second to read), so this
looks only at the text, in one pass over at most :data:`SCAN_CHARS`
characters.

The figure, ``units``, starts from the text's size with every ``repeat``
body counted once per layer and every call of a user function counted as
its body.  Symbolic work grows faster than the size (the product rule makes
a product of k factors cost k * k), so it is the size to the power 1.5,
times the number of derivatives taken (one per variable differentiated by;
every input is the default), times a factor that doubles per derivative
order (repeated differentiation swells products), times 3 with written
steps, times a constant per kind of work.  Compiling a program for
gradients is linear in its size and done once per program, so it counts
the size only.  The figure only has to sort requests, and was calibrated
on this machine so that below :data:`CHEAP_UNITS` a request takes a few
milliseconds of one core (a 20-layer ``repeat`` differentiated with steps
took 470 ms and is 108,000 units; ``sin(x)^2 + x^3`` with steps took 3 ms
and is 157).  When unsure it guesses high: an expensive guess costs a
cheap request a trip to a worker process, a cheap guess for expensive
work stalls a server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chainlens.engine.core.limits import MAX_ORDER, MAX_REPEAT

__all__ = ["Cost", "estimate", "CHEAP_UNITS", "SCAN_CHARS", "KINDS"]

#: Longest text that is looked at; anything longer is expensive unseen.
SCAN_CHARS = 4_000
#: Units below which a request is cheap (a few ms of one core here).
CHEAP_UNITS = 500
#: Work of each kind relative to one derivative without steps.
KINDS = {"differentiate": 1.0, "check": 1.0, "analyze": 2.0, "gradient": 0.15}

_REPEAT = re.compile(r"\brepeat\s+([A-Za-z_]\w*)\s+in\s+(\d+)\s*\.\.\s*(\d+)\s*\{")
_DEFINITION = re.compile(r"^[ \t]*([A-Za-z_]\w*)[ \t]*\(([^()=\n]*)\)[ \t]*=(?!=)(.*)$", re.M)
_NAME = re.compile(r"[A-Za-z_\u00c0-\U0010ffff][\w\u00c0-\U0010ffff]*(?:_\{?\w+\}?)?")
_KEYWORDS = frozenset({"repeat", "in", "input", "param", "for", "and", "or", "not"})


@dataclass(frozen=True)
class Cost:
    """The guess: ``units`` of work, and the main reason in words."""

    units: float
    why: str

    def cheap(self, budget: float = CHEAP_UNITS) -> bool:
        return self.units <= budget


def _matching_brace(text: str, start: int) -> int:
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    return len(text)


def _repeats(text: str) -> tuple[int, int, int]:
    """(characters added by expanding the repeats, layers, names made per
    layer): a body is counted once per layer, nested repeats multiply."""
    added = layers = layered = 0
    for match in _REPEAT.finditer(text):
        var, low, high = match.group(1), int(match.group(2)), int(match.group(3))
        count = min(max(high - low + 1, 0), MAX_REPEAT)
        end = _matching_brace(text, match.end() - 1)
        body = text[match.end():end]
        # a header inside another repeat's body: count the outer layers too
        outer = 1
        for other in _REPEAT.finditer(text, 0, match.start()):
            if _matching_brace(text, other.end() - 1) > match.start():
                outer *= min(max(int(other.group(3)) - int(other.group(2)) + 1, 0), MAX_REPEAT)
        count = min(count * outer, MAX_REPEAT)
        added += count * len(body)
        layers += count
        layered += count * len(set(re.findall(rf"[A-Za-z]\w*_\{{?{re.escape(var)}\b", body)))
    return added, layers, layered


def _calls(text: str) -> int:
    """Characters added by inlining user functions: each call as its body."""
    added = 0
    for match in _DEFINITION.finditer(text):
        name, body = match.group(1), match.group(3)
        calls = len(re.findall(rf"(?<![\w]){re.escape(name)}\s*\(", text)) - 1
        added += max(calls, 0) * (len(body) + 1) * 2  # a call inlines its body, then some
    return added


def _inputs(text: str, layered: int) -> int:
    """About how many variables the text has (every one is differentiated by
    when the request names none)."""
    names = set()
    for match in _NAME.finditer(text):
        word = match.group(0)
        after = text[match.end():match.end() + 1]
        if word not in _KEYWORDS and after != "(" and not word[0].isdigit():
            names.add(word)
    assigned = {m.group(1) for m in re.finditer(r"^[ \t]*([A-Za-z_]\w*)[ \t]*=(?!=)", text,
                                                re.M)}
    return max(1, len(names - assigned) + layered)


def estimate(text: str, kind: str = "differentiate", *, order: int = 1, wrt: int = 0,
             steps: bool = False) -> Cost:
    """The guessed cost of ``kind`` work on ``text`` (see the module
    docstring).  ``wrt`` is how many variables the request names (0: every
    input); ``order`` is clamped to the accepted orders (the request's own
    validation refuses the others)."""
    factor = KINDS.get(kind, KINDS["analyze"])
    chars = len(text)
    if chars > SCAN_CHARS:
        return Cost(float(chars) * 1_000, f"{chars} characters")
    repeated, layers, layered = _repeats(text)
    inlined = _calls(text)
    size = chars + repeated + inlined
    why = f"{chars} characters"
    if layers:
        why += f", {layers} repeat layers"
    if inlined:
        why += ", user functions inlined"
    if kind == "gradient":
        return Cost(size * factor, why)
    units = size ** 1.5 * factor
    if kind in ("differentiate", "check"):
        derivatives = 1 if kind == "check" else (wrt or _inputs(text, layered))
        n = min(max(order, 1), MAX_ORDER)
        units *= derivatives * 2 ** (n - 1) * (3 if steps else 1)
        if derivatives > 1:
            why += f", {derivatives} derivatives"
        if n > 1:
            why += f", order {n}"
    elif kind == "analyze" and layers:
        units *= 1 + layered / max(layers, 1)
    return Cost(float(units), why)
