"""Functions as an editor shows them: ``sigmoid(u)`` with its derivative.

Completion and signature help both describe a function the same way, from
the rules table (its placeholders and partial derivatives, printed) or from
a user's ``f(u, v) = …`` line.
"""

from __future__ import annotations

from functools import lru_cache

from chainlens.engine.printing import render
from chainlens.engine.rules import ALIASES, RULES, lookup, template

__all__ = ["Signature", "signature", "user_signature"]


class Signature:
    """``label`` like ``sigmoid(u)``, its parameter names and a Markdown
    documentation line per partial derivative."""

    def __init__(self, name: str, params: tuple[str, ...], doc: str):
        self.name, self.params, self.doc = name, params, doc

    @property
    def label(self) -> str:
        return f"{self.name}({', '.join(self.params)})"


@lru_cache(maxsize=512)
def signature(name: str) -> Signature | None:
    """The rules table's function ``name`` (any spelling) or None."""
    rule = lookup(name)
    if rule is None or rule.arity == 0 or rule.tensor is not None:
        return None
    try:
        node, partials = template(rule.name)
    except Exception:  # noqa: BLE001 - a rule without a printable template
        return None
    params = tuple(render(a, "unicode") for a in node.args) or ("u",)
    doc = []
    for p, d in zip(params, partials, strict=False):
        doc.append(f"∂/∂{p} {render(node, 'unicode')} = `{render(d, 'unicode')}`")
    canonical = "" if rule.name == name else f" (the rules' `{rule.name}`)"
    return Signature(name, params, (f"`{name}`{canonical}\n\n" + "\n\n".join(doc)).strip())


def user_signature(name: str, params: tuple[str, ...]) -> Signature:
    return Signature(name, params, f"`{name}`: defined in this file (inlined where called)")


def table_names() -> tuple[str, ...]:
    """Function names a user may type, the rules' own names first."""
    names = [n for n in RULES if signature(n) is not None]
    names += sorted(a for a, r in ALIASES.items() if a not in RULES and "." not in a
                    and r in RULES and signature(a) is not None)
    return tuple(names)
