"""Quick fixes for a model whose gradient vanishes, checked before offered.

A remedy is offered only if it works: each candidate edit of the Python
text has a twin edit of the program (the same change made to the
assignments it covers), the twin is measured at the same seeded
initialisation, and the remedy is kept when the first/last weight-gradient
ratio it gives is healthy.  The candidates are the textbook ones (He et
al. 2016; Glorot & Bengio 2010):

* **a residual connection**: ``x = f(x)`` in a loop over layers becomes
  ``x = x + f(x)`` (when the layers keep the width), so the identity path
  carries the gradient through every layer;
* **ReLU** instead of a saturating activation written in the statement
  (``torch.sigmoid(`` -> ``torch.relu(``, ``nn.Tanh()`` -> ``nn.ReLU()``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from chainlens.engine.core.ir import add, call
from chainlens.engine.core.nodes import Node, sym
from chainlens.engine.core.source import ChainError, Span
from chainlens.engine.health.fixes import Remedy, TextEdit
from chainlens.engine.language.program import Assignment, Program
from chainlens.engine.rules import RULES

__all__ = ["model_remedies"]

_ASSIGN = re.compile(r"\s*([A-Za-z_]\w*)\s*=\s*")
#: Python spellings of saturating activations and their ReLU
_RELU_TEXT = (
    (re.compile(r"\b(torch|F|functional|nn\.functional)\.(sigmoid|tanh)\("), r"\1.relu("),
    (re.compile(r"\bnn\.(Sigmoid|Tanh)\(\)"), "nn.ReLU()"),
)
_RELU = "relu"


def model_remedies(program: Program, healthy) -> tuple[Remedy, ...]:
    """The remedies whose twin program ``healthy(program)`` judges healthy."""
    out = []
    for remedy, twin in _residuals(program) + _relus(program):
        try:
            if healthy(twin):
                out.append(remedy)
        except (ChainError, ValueError, KeyError, TypeError):
            continue
    return tuple(out)


def _base(name: str) -> str:
    return name.split("@", 1)[0]


def _residuals(program: Program) -> list[tuple[Remedy, Program]]:
    """``x = f(x)`` statements unrolled by a loop (several assignments share
    the statement's span) whose layers keep the width."""
    by_span: dict[tuple[int, int], list[Assignment]] = {}
    for a in program.assignments:
        by_span.setdefault((a.span.start, a.span.end), []).append(a)
    widths = {d.name: d.shape for d in program.declarations}
    out = []
    for (start, end), group in by_span.items():
        text = program.source[start:end]
        m = _ASSIGN.match(text)
        if len(group) < 2 or m is None or _base(group[0].name) != m.group(1):
            continue
        target = m.group(1)
        if not re.search(rf"\b{re.escape(target)}\b", text[m.end():]):
            continue
        if any(len(s) == 2 and s[0] != s[1] for s in widths.values()):
            continue  # a residual needs the layers to keep the width
        previous = _previous_versions(program)
        exprs = {a.name: add(sym(previous[a.name]), a.expr) for a in group
                 if a.name in previous}
        if len(exprs) != len(group):
            continue
        twin = _with_exprs(program, exprs)
        at = start + m.end()
        edit = TextEdit(Span.at(program.source, at, at), f"{target} + ")
        out.append((Remedy("residual", f"Add a residual connection: {target} = {target} + …",
                           (edit,)), twin))
    return out


def _previous_versions(program: Program) -> dict[str, str]:
    """Each assignment's name -> the version of the same variable before it
    (the input itself for the first)."""
    last: dict[str, str] = {}
    for name in program.inputs:
        last[_base(name)] = name
    out = {}
    for a in program.assignments:
        base = _base(a.name)
        if base in last:
            out[a.name] = last[base]
        last[base] = a.name
    return out


def _relus(program: Program) -> list[tuple[Remedy, Program]]:
    """Saturating calls written in a statement, renamed to ReLU (one remedy
    for all of them)."""
    edits: dict[int, TextEdit] = {}
    exprs: dict[str, Node] = {}
    for a in program.assignments:
        text = program.source[a.span.start:a.span.end]
        hits = [(m, new) for pattern, new in _RELU_TEXT for m in pattern.finditer(text)]
        if not hits or not _saturating(a.expr):
            continue
        for m, new in hits:
            s = a.span.start + m.start()
            edits[s] = TextEdit(Span.at(program.source, s, a.span.start + m.end()),
                                m.expand(new))
        exprs[a.name] = _to_relu(a.expr)
    if not edits:
        return []
    return [(Remedy("relu", "Use ReLU instead of sigmoid/tanh", tuple(edits.values())),
             _with_exprs(program, exprs))]


def _saturating(node: Node) -> bool:
    rule = RULES.get(node.op)
    return bool(rule is not None and rule.saturates and node.args)


def _to_relu(node: Node) -> Node:
    if _saturating(node) and len(node.args) == 1:
        return call(_RELU, node.args[0])
    return node


def _with_exprs(program: Program, exprs: dict[str, Node]) -> Program:
    assignments = tuple(replace(a, expr=exprs[a.name]) if a.name in exprs else a
                        for a in program.assignments)
    return replace(program, assignments=assignments, _expanded={})

