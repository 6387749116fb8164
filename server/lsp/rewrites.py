"""Numerically stable rewrites offered as quick fixes.

``log(1 + exp(x))`` overflows for x > 709 and ``log(sigmoid(x))`` returns
-inf for x < -745, although both results are perfectly representable:
``softplus(x)`` and ``-softplus(-x)`` compute the same values stably (and
so do their gradients).  This module finds the two shapes in a program's
DAG, locates them in the text through the program's source map, and spells
the replacement the way the document spells things: ``.chain`` text,
or numpy / torch / JAX calls in Python.  Shape matching only: no calculus.
"""

from __future__ import annotations

from chainlens.engine.core.ir import Node
from chainlens.engine.core.walk import postorder
from chainlens.engine.rules import match_stable
from lsprotocol import types

__all__ = ["diagnostics", "find"]

_PY_SOFTPLUS = {"np": "np.logaddexp(0, {u})", "numpy": "numpy.logaddexp(0, {u})",
                "torch": "torch.nn.functional.softplus({u})", "F": "F.softplus({u})",
                "jnp": "jax.nn.softplus({u})",
                "math": "math.log1p(math.exp(-abs({u}))) + max({u}, 0)"}
_PY_LOGSIG = {"np": "-np.logaddexp(0, -({u}))", "numpy": "-numpy.logaddexp(0, -({u}))",
              "torch": "torch.nn.functional.logsigmoid({u})", "F": "F.logsigmoid({u})",
              "jnp": "jax.nn.log_sigmoid({u})"}


#: the rules table's stable rewrites offered here (they have Python spellings above)
_OFFERED = frozenset({"softplus", "logsigmoid"})


def _match(node: Node) -> tuple[str, Node] | None:
    found = match_stable(node)
    if found is None or found.name not in _OFFERED:
        return None
    return found.name, found.arg


def find(program) -> list[tuple[str, Node, Node]]:
    """``(shape, log_node, u)`` for each unstable form in the program."""
    found = []
    for assignment in program.assignments:
        for node in postorder(assignment.expr):
            m = _match(node)
            if m is not None:
                found.append((m[0], node, m[1]))
    return found


def _replacement(kind: str, shape: str, call_text: str, u_text: str) -> str | None:
    u_simple = u_text if u_text.replace("_", "").replace(".", "").isalnum() else f"({u_text})"
    if kind == "chain":
        return f"softplus({u_text})" if shape == "softplus" else f"-softplus(-{u_simple})"
    prefix = call_text.split("log", 1)[0].rstrip(".")
    table = _PY_SOFTPLUS if shape == "softplus" else _PY_LOGSIG
    template = table.get(prefix.split(".")[0] if prefix else "np")
    if template is None:
        return None
    return template.format(u=u_text)


def diagnostics(analysis, unit, make_fix) -> list[types.Diagnostic]:
    if analysis.kind not in ("chain", "python"):
        return []
    out = []
    seen: set[int] = set()
    spans = unit.program.spans
    for shape, node, u in find(unit.program):
        for span in spans.get(node, ()):
            u_spans = [s for s in spans.get(u, ()) if span.start <= s.start and s.end <= span.end]
            if span.start in seen or not u_spans:
                continue
            seen.add(span.start)
            call_text = analysis.text[span.start:span.end]
            u_text = analysis.text[u_spans[0].start:u_spans[0].end]
            new = _replacement(analysis.kind, shape, call_text, u_text)
            if new is None:
                continue
            what = "log(1 + exp(u))" if shape == "softplus" else "log(sigmoid(u))"
            stable = "softplus(u)" if shape == "softplus" else "-softplus(-u)"
            out.append(types.Diagnostic(
                range=analysis.index.span_range(span),
                message=f"{what} overflows for large |u|; {stable} is the stable form",
                severity=types.DiagnosticSeverity.Information, source="chainlens",
                code="unstable-form",
                data={"fixes": [make_fix(analysis, f"Rewrite as {new}",
                                         [(span.start, span.end, new)])]},
            ))
    return out
