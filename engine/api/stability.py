"""Where a program writes a numerically unstable textbook form.

The rules table knows the shapes (:func:`chainlens.engine.rules.match_stable`:
``log(1 + exp(u))``, ``log(sigmoid(u))``...); this module finds them in a
program's DAG and locates each in the text, with the place of its ``u``,
through the program's source map.  The language server turns them into
quick fixes spelled in the document's language; ``chainlens health`` lists
them as ``unstable-form`` findings.
"""

from __future__ import annotations

from dataclasses import dataclass

from chainlens.engine.core.nodes import Node
from chainlens.engine.core.source import Span
from chainlens.engine.core.walk import postorder
from chainlens.engine.health.report import Finding
from chainlens.engine.language.program import Program
from chainlens.engine.rules import Stable, match_stable

__all__ = ["REPORTED", "UnstableForm", "unstable_forms", "unstable_finding"]

#: The rewrites every door reports: the two whose textbook form breaks the
#: user's own numpy/torch code (the numeric path evaluates the others' stable
#: form by itself), each with a spelling in every document language.
REPORTED = frozenset({"softplus", "logsigmoid"})


@dataclass(frozen=True)
class UnstableForm:
    """``stable`` is the table's rewrite; ``node`` the textbook form, written
    at ``span``, its argument at ``arg_span`` (inside ``span``)."""

    stable: Stable
    node: Node
    span: Span
    arg_span: Span


def unstable_forms(program: Program, names: frozenset[str] | None = REPORTED
                   ) -> tuple[UnstableForm, ...]:
    """Each place the program writes a form the table has a stable rewrite
    for (only the rewrites in ``names``; None: all of them), once per place."""
    spans = program.spans
    seen: set[int] = set()
    out = []
    for assignment in program.assignments:
        for node in postorder(assignment.expr):
            found = match_stable(node)
            if found is None or (names is not None and found.name not in names):
                continue
            for span in spans.get(node, ()):
                inner = [s for s in spans.get(found.arg, ())
                         if span.start <= s.start and s.end <= span.end]
                if span.start in seen or not inner:
                    continue
                seen.add(span.start)
                out.append(UnstableForm(found, node, span, inner[0]))
    return tuple(out)


def unstable_finding(form: UnstableForm) -> Finding:
    """An unstable form as an ``info`` lint finding."""
    st = form.stable
    return Finding("unstable-form", "info",
                   f"{st.unstable} {st.why}; {st.stable} is the stable form", form.span)
