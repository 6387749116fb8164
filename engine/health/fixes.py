"""Remedies for unhealthy gradients, as edits of the ``.chain`` source.

A finding carries its fixes as text edits (a span and the text to put
there) so the language server can offer them as quick fixes and the SARIF
output as ``fixes`` without recomputing anything.  The remedies are the
textbook ones (Glorot & Bengio 2010; He et al. 2016):

* **ReLU** for a saturating activation (sigmoid, tanh...): |relu'| is 1
  wherever the unit is active, instead of at most 1/4 for sigmoid;
* **a residual connection** ``a = a + f(...)``: the layer's Jacobian becomes
  ``1 + f'``, so the identity path carries the gradient through every layer;
* **the initialisation scale** of the weights on the path, chosen so the
  per-layer gain bound is about 1 (for sigmoid this is Glorot's factor 4);
* **normalisation** of a tensor pre-activation (zero mean, unit variance)
  keeps it out of the saturated tails.

Every remedy is checked to parse before it is offered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chainlens.engine.core.nodes import Node, sym
from chainlens.engine.core.source import ChainError, Span
from chainlens.engine.language.program import Assignment, Program
from chainlens.engine.language.reader import parse


@dataclass(frozen=True)
class TextEdit:
    """Replace ``span`` of the source with ``new_text`` (an insertion when
    the span is empty)."""

    span: Span
    new_text: str

    def to_dict(self) -> dict:
        return {"span": self.span.to_dict(), "new_text": self.new_text}


@dataclass(frozen=True)
class Remedy:
    """One fix: ``kind`` is ``relu``, ``residual``, ``init_scale`` or
    ``normalize``; ``title`` is the words an editor shows."""

    kind: str
    title: str
    edits: tuple[TextEdit, ...]

    def to_dict(self) -> dict:
        return {"kind": self.kind, "title": self.title,
                "edits": [e.to_dict() for e in self.edits]}


def apply_edits(source: str, edits: tuple[TextEdit, ...]) -> str:
    """``source`` with the (non-overlapping) edits applied."""
    out, last = [], len(source)
    for edit in sorted(edits, key=lambda e: (e.span.start, e.span.end), reverse=True):
        if edit.span.end > last:
            raise ValueError("overlapping edits")
        out.append(source[edit.span.end:last])
        out.append(edit.new_text)
        last = edit.span.start
    out.append(source[:last])
    return "".join(reversed(out))


def span_in(program: Program, node: Node, assignment: Assignment) -> Span | None:
    """Where ``node`` is written inside ``assignment``'s right-hand side."""
    inside = assignment.expr_span
    for span in program.spans.get(node, ()):
        if inside.start <= span.start and span.end <= inside.end:
            return span
    if node is assignment.expr:
        return inside
    return None


def text_of(program: Program, span: Span | None) -> str:
    return program.source[span.start:span.end] if span else ""


_CALL_NAME = re.compile(r"\s*(\\operatorname\s*\{\s*[A-Za-z]\w*\s*\}|\\?[A-Za-z][\w.]*)")


def relu_remedy(program: Program, sites: list[tuple[Node, Assignment]]) -> Remedy | None:
    """Rename each saturating call (``sigmoid(z)``, ``\\tanh x``) to relu."""
    edits: dict[int, TextEdit] = {}
    ops = []
    for node, assignment in sites:
        span = span_in(program, node, assignment)
        text = text_of(program, span)
        m = _CALL_NAME.match(text)
        if span is None or m is None:
            continue
        rest = text[m.end():]
        if rest.lstrip().startswith("("):
            name = Span.at(program.source, span.start + m.start(1), span.start + m.end(1))
            edits[name.start] = TextEdit(name, "relu")
        else:  # a paren-less LaTeX call: \tanh x
            edits[span.start] = TextEdit(span, f"relu({rest.strip()})")
        ops.append(node.op)
    if not edits:
        return None
    names = ", ".join(sorted(set(ops)))
    return Remedy("relu", f"Use ReLU instead of {names}", tuple(edits.values()))


def residual_remedy(program: Program, assignment: Assignment) -> Remedy | None:
    """``a = f(...)`` -> ``a = a + f(...)`` for a state rebound each layer
    (only when ``a`` exists before the layer, so the edit adds no input)."""
    display = assignment.display
    earlier = [a for a in program.assignments if a.display == display]
    if not earlier or earlier[0] is assignment or assignment.name == display:
        return None
    span = assignment.expr_span
    text = text_of(program, span)
    single = _CALL_NAME.match(text)
    atom = single is not None and _balanced_call(text[single.end():])
    # insertions only, so the edit composes with the ReLU rename inside
    start = Span.at(program.source, span.start, span.start)
    edits = (TextEdit(start, f"{display} + "),)
    if not atom:
        end = Span.at(program.source, span.end, span.end)
        edits = (TextEdit(start, f"{display} + ("), TextEdit(end, ")"))
    return Remedy("residual", f"Add a residual connection: {display} = {display} + …", edits)


def _balanced_call(rest: str) -> bool:
    """True when ``rest`` is one parenthesised argument list and nothing after."""
    rest = rest.strip()
    if not rest.startswith("("):
        return False
    level = 0
    for i, ch in enumerate(rest):
        level += ch == "("
        level -= ch == ")"
        if level == 0:
            return i == len(rest) - 1
    return False


_RANGE = re.compile(r"\bin\s*\[[^\]\n]*\]")


def init_scale_remedy(program: Program, weights: list[tuple[str, Assignment]],
                      scale: float, why: str) -> Remedy | None:
    """Declare (or re-declare) the weights' range as ``[-scale, scale]``."""
    edits: dict[int, TextEdit] = {}
    written: list[str] = []
    bound = _number(scale)
    for name, assignment in weights:
        decl = program.declaration(name)
        if decl is not None:
            text = text_of(program, decl.span)
            m = _RANGE.search(text)
            if m:
                span = Span.at(program.source, decl.span.start + m.start(),
                               decl.span.start + m.end())
                edits[span.start] = TextEdit(span, f"in [-{bound}, {bound}]")
            else:
                end = Span.at(program.source, decl.span.end, decl.span.end)
                edits[end.start] = TextEdit(end, f" in [-{bound}, {bound}]")
            written.append(text.split()[1] if len(text.split()) > 1 else name)
            continue
        span = span_in(program, sym(name), assignment)
        if span is None:
            continue
        typed = text_of(program, span)
        line_start = program.source.rfind("\n", 0, assignment.span.start) + 1
        indent = re.match(r"[ \t]*", program.source[line_start:]).group(0)
        at = Span.at(program.source, line_start, line_start)
        edits[at.start] = TextEdit(at, f"{indent}param {typed} in [-{bound}, {bound}]\n")
        written.append(typed)
    if not edits:
        return None
    names = ", ".join(dict.fromkeys(written))
    return Remedy("init_scale", f"Initialise {names} in [-{bound}, {bound}] ({why})",
                  tuple(edits.values()))


def normalize_remedy(program: Program, node: Node, assignment: Assignment) -> Remedy | None:
    """Standardise a tensor pre-activation: ``f(u)`` -> ``f((u - mean(u)) / sqrt(var + ε))``."""
    span = span_in(program, node.args[0], assignment)
    u = text_of(program, span)
    if span is None or not u:
        return None
    u = u if re.fullmatch(r"[\w.{}]+", u) else f"({u})"
    new = f"({u} - mean({u})) / sqrt(mean(({u} - mean({u}))^2) + 1e-5)"
    return Remedy("normalize", f"Normalise {u} before {node.op}", (TextEdit(span, new),))


def _number(x: float) -> str:
    text = f"{x:.2g}"
    return text[:-2] if text.endswith(".0") else text


def parses(program: Program, remedy: Remedy) -> bool:
    """True when the edited source is still a valid program."""
    try:
        parse(apply_edits(program.source, remedy.edits))
    except (ChainError, ValueError):
        return False
    return True
