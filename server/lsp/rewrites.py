"""Numerically stable rewrites offered as quick fixes.

``log(1 + exp(x))`` overflows for x > 709 and ``log(sigmoid(x))`` returns
-inf for x < -745, although both results are perfectly representable:
``softplus(x)`` and ``-softplus(-x)`` compute the same values stably (and
so do their gradients).  The engine finds the two shapes and their places
(:func:`chainlens.engine.api.stability.unstable_forms`); this module spells
the replacement the way the document spells things (``.chain`` text, or
numpy / torch / JAX calls in Python) and makes the diagnostic.
"""

from __future__ import annotations

from chainlens.engine.api.stability import unstable_finding, unstable_forms
from chainlens.server.lsp.python_names import adds_unresolved
from chainlens.server.lsp.statement_filter import with_unstable_candidates
from lsprotocol import types

__all__ = ["diagnostics"]

_PY_SOFTPLUS = {"np": "np.logaddexp(0, {u})", "numpy": "numpy.logaddexp(0, {u})",
                "torch": "torch.nn.functional.softplus({u})", "F": "F.softplus({u})",
                "jnp": "jax.nn.softplus({u})",
                "math": "math.log1p(math.exp(-abs({u}))) + max({u}, 0)"}
_PY_LOGSIG = {"np": "-np.logaddexp(0, -({u}))", "numpy": "-numpy.logaddexp(0, -({u}))",
              "torch": "torch.nn.functional.logsigmoid({u})", "F": "F.logsigmoid({u})",
              "jnp": "jax.nn.log_sigmoid({u})"}


def _replacements(kind: str, shape: str, call_text: str, u_text: str) -> list[str]:
    """The stable spellings to try, best first: the call's own library, or
    for a bare ``log(…)`` (``from numpy import log``) ``np.`` then ``numpy.``
    (the caller keeps the first whose names the file binds)."""
    u_simple = u_text if u_text.replace("_", "").replace(".", "").isalnum() else f"({u_text})"
    if kind == "chain":
        return [f"softplus({u_text})" if shape == "softplus" else f"-softplus(-{u_simple})"]
    prefix = call_text.split("log", 1)[0].rstrip(".")
    table = _PY_SOFTPLUS if shape == "softplus" else _PY_LOGSIG
    keys = [prefix.split(".")[0]] if prefix else ["np", "numpy"]
    return [table[k].format(u=u_text) for k in keys if k in table]


def diagnostics(analysis, unit, make_fix) -> list[types.Diagnostic]:
    if analysis.kind not in ("chain", "python"):
        return []
    out = []
    for form in unstable_forms(with_unstable_candidates(unit.program)):
        span, shape = form.span, form.stable.name
        call_text = analysis.text[span.start:span.end]
        u_text = analysis.text[form.arg_span.start:form.arg_span.end]
        # e.g. no ``np.`` in a file that only has ``import numpy`` + ``from numpy import log``
        new = next((r for r in _replacements(analysis.kind, shape, call_text, u_text)
                    if analysis.kind != "python" or not adds_unresolved(
                        analysis.text, analysis.text[:span.start] + r + analysis.text[span.end:])),
                   None)
        if new is None:
            continue
        out.append(types.Diagnostic(
            range=analysis.index.span_range(span),
            message=unstable_finding(form).message,
            severity=types.DiagnosticSeverity.Information, source="chainlens",
            code="unstable-form",
            data={"fixes": [make_fix(analysis, f"Rewrite as {new}",
                                     [(span.start, span.end, new)])]},
        ))
    return out
