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

import ast
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
    """Statements whose root call is a saturating activation, that call
    renamed to ReLU (one remedy for all of them): exactly what the twin
    changes, so that the measured program is the edited file.  Left alone
    (red team F19, F29): the activation applied to the model's output (a
    probability head), and a sigmoid/tanh whose result multiplies another
    tensor (a GRU/LSTM/GLU gate is not an activation to swap)."""
    spans: dict[tuple[int, int], list[Assignment]] = {}
    for a in program.assignments:
        spans.setdefault((a.span.start, a.span.end), []).append(a)
    kept = _at_output(program) | _gates(program)
    edits: list[TextEdit] = []
    exprs: dict[str, Node] = {}
    for (start, end), group in spans.items():
        if not all(_saturating(a.expr) and len(a.expr.args) == 1 for a in group):
            continue
        if any(a.name in kept for a in group):
            continue
        at = _root_call(program.source[start:end])
        if at is None:
            continue
        (s, e), new = at
        edits.append(TextEdit(Span.at(program.source, start + s, start + e), new))
        for a in group:
            exprs[a.name] = _to_relu(a.expr)
    if not edits:
        return []
    return [(Remedy("relu", "Use ReLU instead of sigmoid/tanh", tuple(edits)),
             _with_exprs(program, exprs))]


def _root_call(text: str):
    """``(offsets, replacement)`` of the call a statement's value is, when
    that value is one saturating call written whole (``x = torch.sigmoid(
    ...)``, ``nn.Tanh()``); None for anything else (a tuple, a product, a
    ``return`` folded into a whole method)."""
    m = _ASSIGN.match(text)
    value_at = m.end() if m else 0
    value = text[value_at:]
    try:
        node = ast.parse(value.strip(), mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(node, ast.Call):
        return None
    lead = len(value) - len(value.lstrip())
    for pattern, new in _RELU_TEXT:
        hit = pattern.match(value, lead)
        if hit is not None and hit.end() - lead >= len(ast.unparse(node.func)):
            return (value_at + hit.start(), value_at + hit.end()), hit.expand(new)
    return None


def _direct(node: Node):
    """The names a value reaches without a weight in between (not through
    a matmul): the ones an elementwise use of it touches."""
    if node.op == "sym":
        yield node.value
    elif node.op != "matmul":
        for arg in node.args:
            yield from _direct(arg)


def _at_output(program: Program) -> set[str]:
    """Names the outputs reach with no layer after them: the last
    activation is the model's output head."""
    exprs = {a.name: a.expr for a in program.assignments}
    out, todo = set(), list(program.outputs)
    while todo:
        name = todo.pop()
        if name in out:
            continue
        out.add(name)
        if name in exprs:
            todo.extend(_direct(exprs[name]))
    return out


def _gates(program: Program) -> set[str]:
    """Names whose value multiplies another value elementwise (``z * hh``,
    ``(1 - z) * h``, ``torch.sigmoid(g(x)) * x``)."""
    weights = {d.name for d in program.declarations if d.role == "param"}
    out: set[str] = set()
    for a in program.assignments:
        stack = [a.expr]
        while stack:
            node = stack.pop()
            if node.op == "sym":
                continue
            if node.op == "mul":
                factors = [set(_direct(arg)) - weights for arg in node.args]  # w * a: a layer
                for i, names in enumerate(factors):
                    if any(f for j, f in enumerate(factors) if j != i):
                        out |= names
            stack.extend(node.args)
    return out


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

