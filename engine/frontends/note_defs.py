"""The definitions of a note (``f(x) = …``, ``y = …``) and when a claim may use one.

A claim like ``f'(x) = 2x`` is only as good as the ``f`` it is bound to, and
notes reuse names all the time: ``f(x) = x^2`` in one example, ``f(x) = x^3``
in the next, ``y = f(g(x))`` as a restatement, "substitute g(x) for x in
f'(x)".  The rules here keep a binding only when it is unambiguous:

* a definition's body is its first right-hand side; later sides of the same
  chain must agree with it (``f(x) = (x+1)^2 = x^2+2x+1``), except sides that
  restate it through other functions (``y = (1-x)^2 = f(g(x))``);
* a definition that cannot be read as one expression (``y = f(g(x))``,
  ``f(x) = x f'(x)``, steps that disagree) still *shadows* every earlier
  definition of the name: a claim about it is "not checked", never bound to a
  stale body;
* a definition made inside a block (the outermost LaTeX environment
  around it, e.g. an ``example`` with its ``solution``, or a MyST
  directive) or a list item (``\\item``) binds only inside it: in
  "1. f(x) = …  2. f(x) = …" followed by the answers, no answer is bound
  to a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chainlens.engine.frontends.latex_text import normalise

__all__ = ["Definition", "definition_of", "apply_definitions", "applied_letters", "group_end",
           "Scopes",
           "CONSTANT_LETTERS", "RESTATED", "through_definitions"]

#: a function's name: one letter, perhaps with a one-token subscript (F_1)
#: or a Greek letter written as a function (``\\sigma(x)``, the logistic function)
GREEK = r"\\(?:sigma|phi|psi|varphi|rho|eta|gamma)(?![A-Za-z])"
NAME = (r"(?:[A-Za-z]|" + GREEK + r")(?:_\{(?:hat|bar|tilde|vec)\})?"  # \hat y: y_{hat}
        r"(?:_\{(?:[A-Za-z0-9]|\d{2,3})\})?")
_DEF_LHS = re.compile(r"^(" + NAME + r")\s*(?:\(\s*([A-Za-z](?:\s*,\s*[A-Za-z])*)\s*\))?$")
#: (in a root or a power too: \\sqrt[3]{g(x)}, e^{g(x)} apply g; a subscript's _{f(x)} does
#: not, nor a fraction's \\frac{u(x)}{v(x)}: the quotient rule's u and v, often named after it)
_DEFINED_CALL = re.compile(r"((?:(?<![\\A-Za-z_'])(?<!_\{)(?<!\\frac\{)(?<!\}\{)[A-Za-z]|" + GREEK
                           + r")(?:_\{(?:[A-Za-z0-9]|\d{2,3})\})?)\s*\(\s*([A-Za-z])\s*\)")
_APPLIED = re.compile(r"(?<![\\A-Za-z_{^'])([A-Za-z])\s*('*)\s*\(")
#: The reason of a definition only through other functions (``u = g(x)``,
#: ``y = f(g(x))``): a general statement, which a later formula for the name replaces.
RESTATED = "is defined through other functions here"
#: Letters notes use for constants: ``a(x+1)``, ``k(x^2-1)`` are products.
#: Any other letter before a bracket may be a function (``f(x+1)``, ``u(t)``).
CONSTANT_LETTERS = frozenset("abcdkmnABCK")
_ENVIRONMENT = re.compile(r"\\(begin|end)\{([A-Za-z]+)\*?\}")
#: Environments that are no block of discourse: math, lists (see \\item), the document.
_NOT_BLOCKS = frozenset({
    "document", "equation", "align", "alignat", "gather", "multline", "eqnarray", "flalign",
    "displaymath", "math", "aligned", "alignedat", "split", "gathered", "array", "cases",
    "matrix", "pmatrix", "bmatrix", "vmatrix", "smallmatrix", "subequations", "enumerate",
    "itemize", "description", "center", "minipage", "tabular", "small", "footnotesize"})
#: A MyST directive fence: ``::::{prf:example}`` opens, a bare ``::::`` closes.
_FENCE = re.compile(r"^[ \t]*(:{3,})[ \t]*(\{[^}\n]*\})?[^\n]*$", re.M)


#: Where an ``\\item`` ends: the next item, or the end of its list.
_ITEM_END = re.compile(r"\\item(?![A-Za-z])|\\end\{(?:enumerate|itemize|description)\}")


@dataclass(frozen=True)
class Definition:
    """``f(x) = body`` (or ``y = body``) in a note; ``body`` as the reader takes it.
    ``reason`` is set when the statement defines the name in a way that cannot be
    used (a claim about it is then "not checked" with that reason)."""

    name: str
    vars: tuple[str, ...]
    body: str
    start: int  # offsets of the body in the note
    end: int
    text: str = ""  # the body as the note writes it
    reason: str | None = None
    #: bodies of the other definitions of the name nearby ("1. f(x) = …  2. f(x) = …"):
    #: a claim is bound to this, the nearest, one, and called wrong only when it is
    #: wrong for every one of them
    alternatives: tuple[str, ...] = ()
    #: how far (characters) after it the definition binds, when less than the
    #: notes' window (an f taken from a difference quotient binds its own block)
    reach: int | None = None
    #: the chain also writes the name applied to other functions (``f(x) = (3x+1)^2 =
    #: f(g(x))``): the name is the whole composite there, so ``f(…)`` of another
    #: argument is no use of this formula
    restates: bool = False
    #: ``x^2 + y^2 = 25`` (no formula for y): the curve ``F = 0`` as text ``L - (R)``;
    #: a claim dy/dx = G(x, y) is then checked on the curve (implicit differentiation)
    curve: str = ""

    @property
    def var(self) -> str:
        return self.vars[0] if self.vars else ""


def applied_letters(read: str, variables=()) -> list[str]:
    """Letters written before a bracket that may be functions (``f(``, ``u'(``):
    not the variables, not the conventional constants."""
    out = []
    for m in _APPLIED.finditer(read):
        letter, primes = m.group(1), m.group(2)
        if primes or (letter not in variables and letter not in CONSTANT_LETTERS):
            out.append(letter + primes)
    return out


def _through_bare(read: str, defs) -> str:
    """``read`` with each one-letter name the note defined before (``u = x^2 + 1``)
    replaced by its body: ``y = (x^2+1)^3 = u^3`` states y twice alike."""
    for name, d in (defs or {}).items():
        if len(name) == 1 and d.body and not d.reason and not d.alternatives:
            read = re.sub(r"(?<![\\A-Za-z])" + name + r"(?![A-Za-z(])",
                          lambda _m, b=d.body: "(" + b + ")", read)
    return read


def definition_of(start: int, elements, reads, texts, same=None,
                  defs=None) -> Definition | None:
    """The definition a chain ``name(vars) = A = B …`` makes, or None when its
    first element names no function.  ``elements`` are offsets relative to
    ``start``, ``reads`` the normalised elements, ``texts`` the note's words;
    ``defs`` the definitions before it (a side written through them agrees
    with the formula when it is the formula once they are substituted)."""
    m = _DEF_LHS.match(reads[0])
    if not m or len(elements) < 2:
        return None
    if any("\\circ" in r for r in reads[1:]):
        return None  # "h = f \circ g" restates h as a composition; it defines nothing new
    name = m.group(1)
    vars_ = tuple(v.strip() for v in (m.group(2) or "").split(",") if v.strip())
    if name.startswith("\\") and not vars_ and \
            not re.search(r"(?<![\\A-Za-z])[A-Za-z](?![A-Za-z])", reads[-1]):
        # \sigma = 0.5 is a constant (a standard deviation), not a function;
        # \sigma = u^{-1} is the note's own σ (not the reader's sigmoid)
        return None
    own = re.compile(r"(?<![\\A-Za-z])" + re.escape(name) + r"(?![A-Za-z])")
    sides = [k for k in range(1, len(reads)) if not applied_letters(reads[k], vars_)]
    s, e = elements[-1]
    if not sides:
        return Definition(name, vars_, "", start + s, start + e, texts[-1],
                          reason=f"{name} {RESTATED}")
    # a side the note writes through other functions (f(g(x)), read as a composition of
    # the functions defined before) restates the name: the formula comes first, and such
    # a side, made of older definitions, does not have to agree with it
    written = [k for k in sides if not applied_letters(normalise(texts[k]), vars_)]
    k = (written or sides)[0]
    body = reads[k]
    s, e = elements[k]
    if "'" in body or own.search(body):
        return Definition(name, vars_, "", start + s, start + e, texts[k],
                          reason=f"{name} is given by an equation here, not a formula")
    if same is not None and any(not same(body, reads[j]) and not same(
            _through_bare(body, defs), _through_bare(reads[j], defs))
            for j in (written or sides)[1:]):
        return Definition(name, vars_, "", start + s, start + e, texts[k],
                          reason=f"the steps defining {name} here do not agree")
    if name.startswith("\\") and len(vars_) == 1 and same is not None and \
            same(body, f"{name}({vars_[0]})"):
        return None  # \sigma(z) = 1/(1+e^{-z}) states the reader's own sigmoid: it stays σ
    restates = any(own.search(t) and not own.fullmatch(t.strip()) for t in texts[1:])
    return Definition(name, vars_, body, start + s, start + e, texts[k], restates=restates)


def apply_definitions(read: str, defs: dict[str, Definition]) -> str:
    """``g(x)`` with ``g`` defined in the note (by ``x``) is its body; so is
    ``f(x)`` after ``f = Ce^x``, a formula of x given without its variable
    (f applied to x, never f·x: red team G15)."""
    def one(m: re.Match) -> str:
        d = defs.get(m.group(1))
        if d is None or d.reason or d.alternatives:
            return m.group(0)
        if d.vars != (m.group(2),) and not (
                d.vars == () and re.search(r"(?<![\\A-Za-z])" + m.group(2) + r"(?![A-Za-z])",
                                           d.body)):
            return m.group(0)
        return "(" + d.body + ")"
    return _applied_to_brackets(_DEFINED_CALL.sub(one, read), defs)


#: a one-letter name right before a bracket (``f(``), not a command's tail or a subscript
_CALL_OPEN = re.compile(r"(?<![\\A-Za-z_{^'])([A-Za-z])\s*\(")


def _applied_to_brackets(read: str, defs: dict[str, Definition], depth: int = 6) -> str:
    """``f(x^2 + 1)``, ``f((x^2))`` (after ``g(x)`` was replaced in ``f(g(x))``) with f
    defined by one variable as one formula: f's body at that argument (red team R14;
    ``h(x) = f(g(x))`` is then a formula).  Innermost calls first, a few levels deep;
    an argument that still applies a letter to brackets (a function not given) is
    left alone, and so is a name given without its variable (``y = x^2``: ``y(2x)``
    is no call the note defines)."""
    for _ in range(depth):
        out, at, changed = [], 0, False
        for m in _CALL_OPEN.finditer(read):
            if m.start() < at:
                continue
            d = defs.get(m.group(1))
            if d is None or d.reason or d.alternatives or len(d.vars) != 1 or not d.body \
                    or "'" in d.body or d.restates:
                continue
            close = group_end(read, m.end() - 1)
            if close < 0:
                continue
            arg = read[m.end():close - 1]
            if not arg.strip() or _CALL_OPEN.search(arg) or "=" in arg or "," in arg:
                continue
            var = re.compile(r"(?<![\\A-Za-z_])" + re.escape(d.var) + r"(?![A-Za-z])")
            bare = re.sub(r"\\[A-Za-z]+", " ", d.body)
            if not var.search(d.body) or bare.count(d.var) != len(var.findall(d.body)):
                continue  # x glued to other letters (xe^x): which x is the variable is unsure
            out += [read[at:m.start()], "(" + var.sub(lambda _m, a=arg: "(" + a + ")", d.body)
                    + ")"]
            at, changed = close, True
        if not changed:
            return read
        read = "".join(out) + read[at:]
    return read


def group_end(text: str, i: int, opens: str = "(") -> int:
    """End of the bracket group opening at ``text[i]`` (one of ``opens``), or -1:
    the one bracket scanner of the notes' readers."""
    if i >= len(text) or text[i] not in opens:
        return -1
    depth = 0
    for j in range(i, len(text)):
        depth += (text[j] in "([{") - (text[j] in ")]}")
        if depth == 0:
            return j + 1
    return -1


def through_definitions(read: str, defs: dict[str, Definition], wrt: str | None,
                        dependent, keep: tuple[str, ...] = (), same=None) -> str:
    """``read`` with each name that depends on ``wrt`` replaced by its
    definition: after ``y = u^5`` and ``u = x^2+1`` (the note writing du/dx),
    dy/dx is about (x^2+1)^5, and ``5u^4 \\cdot 2x`` is 5(x^2+1)^4·2x; after
    ``h = pq``, ``p(x) = \\sin x``, ``q(x) = \\cos x``, h is sin x·cos x.  Only
    a name the note writes as depending on ``wrt`` (``(name, wrt)`` in
    ``dependent``), defined nearby as a formula in ``wrt`` (a name defined
    more than once only when ``same`` finds every definition one function);
    ``keep``: names never replaced (the claim's own function)."""
    if not wrt or len(keep) > 4:
        return read
    found: list[tuple[str, str]] = []  # (pattern, formula), replaced in one pass
    for name, d in defs.items():
        if (name, wrt) not in dependent or name in keep or name == wrt or d.reason \
                or (d.vars and d.vars != (wrt,)):
            continue
        uses = [_letter(name, subscripts=False)]
        if d.vars:  # p(x), or p bare in h = pq
            uses = [re.compile(_letter(name).pattern + r"\s*\(\s*" + re.escape(wrt) + r"\s*\)"),
                    re.compile(_letter(name).pattern + r"(?!\s*[(_'])")]
        if not any(u.search(read) for u in uses):
            continue
        body = through_definitions(d.body, defs, wrt, dependent, (*keep, name), same)
        if (not d.vars and not _letter(wrt).search(body)) or _letter(name).search(body):
            continue  # (u(x) = 1 is a function of x too, if a constant one)
        if d.alternatives and (same is None or not all(
                same(body, through_definitions(alt, defs, wrt, dependent, (*keep, name), same))
                for alt in d.alternatives)):
            continue
        found += [(use.pattern, body) for use in uses]
    if not found:
        return read
    every = re.compile("|".join(f"(?P<n{k}>{p})" for k, (p, _) in enumerate(found)))
    return every.sub(lambda m: "(" + found[int(m.lastgroup[1:])][1] + ")", read)


def _letter(name: str, subscripts: bool = True) -> re.Pattern:
    tail = r"(?![A-Za-z])" if subscripts else r"(?![A-Za-z_'])"
    if name.startswith("\\"):  # \theta right after \cos is still θ
        return re.compile(r"(?<!\\)" + re.escape(name) + tail)
    return re.compile(r"(?<![\\A-Za-z_])" + re.escape(name) + tail)


#: The blocks of a problem book that answer the block before them (a question's
#: ``hint``, ``answer``, ``solution``): one block with it.
_ANSWERS = frozenset({"hint", "answer", "solution", "soln", "sol", "proof"})


def _answered(note: str, outer: list[tuple[str, int, int]]) -> list[tuple[int, int]]:
    """``\\begin{question} … \\end{question}`` then its ``hint``, ``answer`` and
    ``solution`` right after it (only blank lines or comments between): one block
    from the question to its last answer, so that the question's ``f(x) = …`` binds
    the solution's ``f'(x) = …`` (and the next question's does not)."""
    out: list[tuple[int, int]] = []
    run: tuple[int, int] | None = None
    for kind, start, end in outer:
        gap = re.sub(r"%[^\n]*", "", note[run[1]:start]) if run else "x"
        if kind.lower() in _ANSWERS and run is not None and not gap.strip():
            run = (run[0], end)
            out.append(run)
        else:
            run = (start, end)
    return out


class Scopes:
    """The blocks of a note that keep a definition from binding claims
    outside them: the outermost LaTeX environment around the definition
    (``example`` with its ``solution``, ``workedexample``, ``remark``, any
    theorem-like or custom one; not math environments, lists or
    ``document``), a MyST directive (``::::{prf:example}``), and the list
    item (``\\item``) it is made in."""

    def __init__(self, note: str):
        self._envs: list[tuple[int, int]] = []
        self._items: list[tuple[int, int]] = []
        stack: list[tuple[str, int]] = []
        outer: list[tuple[str, int, int]] = []  # the outermost blocks, in order
        for m in _ENVIRONMENT.finditer(note):
            if m.group(2) in _NOT_BLOCKS:
                continue
            if m.group(1) == "begin":
                stack.append((m.group(2), m.start()))
            else:
                while stack:
                    kind, at = stack.pop()
                    if kind == m.group(2):
                        self._envs.append((at, m.end()))
                        if not stack:
                            outer.append((kind, at, m.end()))
                        break
        self._envs += _answered(note, outer)
        fences: list[tuple[int, int]] = []
        for m in _FENCE.finditer(note):
            if m.group(2):
                fences.append((len(m.group(1)), m.start()))
            else:
                while fences:
                    width, at = fences.pop()
                    if width == len(m.group(1)):
                        self._envs.append((at, m.end()))
                        break
        ends = [m.start() for m in _ITEM_END.finditer(note)]
        for at in ends:
            if note.startswith("\\item", at):
                later = [e for e in ends if e > at]
                if later:
                    self._items.append((at, later[0]))

    def _outermost(self, offset: int) -> tuple[int, int] | None:
        around = [b for b in self._envs if b[0] <= offset < b[1]]
        return min(around, key=lambda b: (b[0], -b[1])) if around else None

    def _item(self, offset: int) -> tuple[int, int] | None:
        around = [b for b in self._items if b[0] <= offset < b[1]]
        return max(around, key=lambda b: b[0]) if around else None

    def binds(self, definition_at: int, claim_at: int) -> bool:
        """A definition binds a claim when the claim is inside the definition's
        outermost block and its list item."""
        return all(block is None or block[0] <= claim_at < block[1]
                   for block in (self._outermost(definition_at), self._item(definition_at)))


_LIST = re.compile(r"\\(begin|end)\{enumerate\}|\\item(?![A-Za-z])")


def enumerations(note: str) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Every ``enumerate`` of a LaTeX note: ``(start, end, items)``, each item
    a ``(start, end)`` block (nested lists belong to their own item)."""
    out, stack = [], []
    for m in _LIST.finditer(note):
        if m.group(1) == "begin":
            stack.append([m.end(), []])
        elif m.group(1) == "end":
            if stack:
                start, items = stack.pop()
                if items:
                    items[-1][1] = m.start()
                out.append((start, m.start(), [tuple(i) for i in items]))
        elif stack:
            items = stack[-1][1]
            if items:
                items[-1][1] = m.start()
            items.append([m.start(), m.start()])
    return sorted(out)


def numbered_answers(note: str, groups: list[list[Definition]], defs: list[Definition],
                     window: int) -> list[tuple[int, int, Definition]]:
    """Numbered problems and their numbered answers: "1. f(x) = 4x^2  2. f(x) =
    sin x" (or one definition per item of an enumerate) followed by an
    enumerate with exactly as many items.  Item k of the answers is about
    definition k: ``(item start, item end, definition)`` for each item.  No
    binding when the counts differ or f is defined again in between."""
    lists = enumerations(note)
    for start, end, items in lists:
        if len(items) < 2:
            continue
        for name in {d.name for d in defs if start <= d.start < end}:
            per_item = [[d for d in defs if d.name == name and s <= d.start < e]
                        for s, e in items]
            if all(len(found) == 1 and not found[0].reason for found in per_item):
                groups.append([found[0] for found in per_item])
    out = []
    for group in groups:
        names, last = {d.name for d in group}, group[-1].end
        for start, _end, items in lists:
            if start < last or start - last > window:
                continue
            between = [d for d in defs if d.name in names and last <= d.start < start]
            if len(items) == len(group) and not between:
                out += [(s, e, d) for (s, e), d in zip(items, group, strict=True)]
            break
    return out


def numbered_group(note: str, found: list[Definition]) -> bool:
    """Are these definitions of one name, in one display, labelled 1., 2., …?"""
    at = 0 if not found else max(0, found[0].start - 400)
    for k, d in enumerate(found, 1):
        if d.reason is not None or not re.search(rf"(?<![\d.]){k}\.(?!\d)", note[at:d.start]):
            return False
        at = d.end
    return len(found) >= 2
