"""Derivation steps as text: plain, Unicode, LaTeX, Markdown, and as dicts.

:func:`~chainlens.engine.symbolic.steps.build_steps` lays a derivation out as
data; this module only spells it.  Each step reads as one line ("chain rule:
d/dx sin(u) = cos(u)·u′ with u = e^{x^2}"), in the notation asked for, with
natural logarithms written ``ln`` in prose; :func:`markdown` nests the
sub-steps as bullets for hovers and documents, and :func:`step_to_dict` is
the one JSON form of a step.
"""

from __future__ import annotations

import re

from chainlens.engine.core.nodes import Node, raw
from chainlens.engine.printing import render
from chainlens.engine.symbolic.steps import Step

__all__ = ["format_steps", "markdown", "step_to_dict"]

_LOG = re.compile(r"\blog\(")

_RULE_NAMES = {
    "variable": "the variable", "constant": "constant", "known": "known derivative",
    "chain": "chain rule", "sum": "sum rule", "constant-multiple": "constant multiple",
    "product": "product rule", "quotient": "quotient rule", "power": "power rule",
    "exponential": "exponential rule", "log-diff": "logarithmic differentiation",
    "multivariable-chain": "chain rule (several arguments)",
    "combine": "putting it together", "simplify": "simplify", "repeat": "…",
}


class _Fmt:
    """Spelling of the math pieces in one output format."""

    def __init__(self, fmt: str):
        self.fmt = fmt
        self._render = render
        self.times = {"text": " * ", "unicode": " · ", "latex": " \\cdot "}[fmt]
        self.arrow = {"text": " => ", "unicode": " ⇒ ", "latex": " \\Rightarrow "}[fmt]
        self.dot = {"text": "*", "unicode": "·", "latex": " \\cdot "}[fmt]
        self.ln_word = "\\ln" if fmt == "latex" else "ln"

    def show(self, node: Node) -> str:
        return self._render(node, self.fmt)

    def group(self, node: Node) -> str:
        """``node`` as a factor of a product written out with ``·``: a sum,
        a negative or a fraction is bracketed (``(1/u) · u'``, never the
        ambiguous ``1/u · u'``); a plain product is not (``2x · u'``)."""
        s = self.show(node)
        fraction = node.op == "pow" and node.args[1].op == "num" and node.args[1].value < 0
        if self.fmt == "latex":  # a \\frac is unambiguous on its own
            if node.op == "add" or s.startswith("-"):
                return "\\left(" + s + "\\right)"
            return s
        if node.op == "add" or (node.op == "num" and node.value < 0) or fraction or (
                node.op == "mul" and (s[:1] in "-−" or "/" in s)):
            return "(" + s + ")"
        return s

    def ln(self, text: str) -> str:
        """Logarithmic differentiation is written with ``ln`` (the text
        printers spell the natural log ``log``)."""
        return text if self.fmt == "latex" else _LOG.sub("ln(", text)

    def d(self, wrt: str, node: Node) -> str:
        return self.d_of(wrt, self.show(node))

    def d_of(self, wrt: str, text: str) -> str:
        """``d/dx [text]`` around math already printed."""
        if self.fmt == "latex":
            return f"\\frac{{d}}{{d{wrt}}}\\left[{text}\\right]"
        return f"d/d{wrt} [{text}]"

    def prime(self, letter: Node) -> str:
        return self.show(letter) + "'"

    def words(self, text: str) -> str:
        """Prose inside a math line."""
        return f"\\text{{{text}}}" if self.fmt == "latex" else text


def _line(step: Step, f: _Fmt) -> str:
    name = _RULE_NAMES.get(step.rule, step.rule)
    lhs = f.d(step.wrt, step.expr)
    if step.rule == "repeat":
        return f"{name} {step.note}"
    if step.rule == "simplify":
        how = ", ".join(step.uses) or "canonical form"
        if f.fmt != "text":
            how = how.replace(" -> ", " → ")
        return f"{name} ({how}): {f.show(step.expr)} = {f.show(step.result)}"
    if step.rule == "combine":
        return f"{name}: {lhs} = {f.show(step.result)}"
    if step.outer is not None and step.rule == "chain":
        u = step.u
        outer_d = f.group(step.outer_derivative)
        return (f"{name}: {lhs}{f.words(' with outer ')}{f.show(step.outer)}"
                f"{f.words(', inner ')}{f.show(u)} = {f.show(step.inner)}{f.words(': ')}"
                f"{outer_d}{f.times}{f.prime(u)}{f.arrow}"
                f"{f.group(step.factors[0].value)}{f.times}{f.d(step.wrt, step.inner)}"
                f" = {f.show(step.result)}")
    if step.rule == "quotient" and step.factors and step.factors[0].role == "numerator":
        return _quotient_line(step, f, name, lhs)
    if step.outer is not None:
        return f"{name}: {lhs} = {f.show(step.result)}"
    if step.part:
        return _log_diff_line(step, f)
    varying = [fa.of for fa in step.factors if fa.role == "term'"]
    # Every composite step states its own result, so a student can check
    # each line against the next.
    done = f" = {f.show(step.result)}"
    if step.rule in ("sum",):
        terms = " + ".join(f.d(step.wrt, of) for of in varying)
        rest = len(step.expr.args) - len(varying)
        note = f.words(f"  (+ 0 for the constant term{'s' if rest > 1 else ''})") if rest else ""
        return f"{name}: {lhs} = {terms}{done}{note}"
    if step.rule in ("constant-multiple", "product", "quotient", "multivariable-chain"):
        parts = [(fa.value, fb.of) for fa, fb in zip(
            [x for x in step.factors if x.role == "partial"],
            [x for x in step.factors if x.role == "term'"], strict=True)]
        terms = " + ".join(f"{f.group(p)}{f.times}{f.d(step.wrt, of)}" for p, of in parts)
        text = f"{name}: {lhs} = {terms}{done}"
        return text + (f.words(f"  ({step.note})") if step.note else "")
    return f"{name}: {lhs} = {f.show(step.result)}"


def _quotient_line(step: Step, f: _Fmt, name: str, lhs: str) -> str:
    """``d/dx [f/g] = (d/dx [f] · g − f · d/dx [g])/g² = result``."""
    (num_, _), (den, _) = ((fa.of, fa.value) for fa in step.factors)
    g = f.group(den)
    top = (f"{f.d(step.wrt, num_)}{f.times}{g} − {f.group(num_)}{f.times}"
           f"{f.d(step.wrt, den)}")
    if f.fmt != "unicode":
        top = top.replace(" − ", " - ")
    if f.fmt == "latex":
        body = f"\\frac{{{top}}}{{{f.show(den)}^{{2}}}}"
    else:
        body = f"({top})/{g}^2" if f.fmt == "text" else f"({top})/{g}²"
    c = step.inner
    if c is not None and not (c.op == "num" and c.value == 1):
        body = f"{f.group(c)}{f.times}{body}"
    return f"{name}: {lhs} = {body} = {f.show(step.result)}"


def _log_diff_line(step: Step, f: _Fmt) -> str:
    """The three lines of logarithmic differentiation (see ``_log_diff``):
    the rule's name before the first ``": "`` is prose, the rest math."""
    if step.part == "logarithm":
        u, v = step.expr.args
        return (f"{_RULE_NAMES['log-diff']}: y = {f.show(step.expr)}{f.words(', so ')}"
                f"{f.ln_word} y = {_v_ln_u(f, v, u)}")
    if step.part == "both-sides":
        (v, dv), (log_u, dlog_u) = ((fa.of, fa.value) for fa in step.factors)
        u = log_u.args[0]
        terms = []
        if not _is(dv, 0):
            terms.append(_ln(f, u) if _is(dv, 1) else f"{f.group(dv)}{f.dot}{_ln(f, u)}")
        if not _is(dlog_u, 0):
            terms.append(f"{f.group(v)}{f.dot}{f.group(dlog_u)}")
        written = " + ".join(terms)
        result = f.ln(f.show(step.result))
        lhs = "\\frac{y'}{y}" if f.fmt == "latex" else "y'/y"
        return (f"differentiate both sides (product rule): {lhs} = "
                f"{f.d_of(step.wrt, _v_ln_u(f, v, u))} = {f.ln(written)}"
                + (f" = {result}" if f.ln(written) != result else ""))
    return (f"multiply by y: y' = y{f.times}{f.ln(f.group(step.inner))}"
            f" = {f.ln(f.show(step.result))}")


def _is(node: Node, value: int) -> bool:
    return node.op == "num" and node.value == value


def _ln(f: _Fmt, u: Node) -> str:
    return f.ln(f.show(raw("log", u)))


def _v_ln_u(f: _Fmt, v: Node, u: Node) -> str:
    """``v·ln u`` in the order a textbook writes it (the canonical product
    may sort the logarithm first)."""
    return f"{f.group(v)}{f.dot}{_ln(f, u)}"


def format_steps(steps, fmt: str = "text") -> str:
    """The derivation as lines, indented by nesting depth.  ``fmt``:
    ``text``, ``unicode``, ``latex`` (an ``aligned`` block) or
    ``markdown`` (the full derivation; see :func:`markdown`)."""
    if fmt == "markdown":
        return markdown(steps, short=False)
    if fmt == "json":
        import json

        return json.dumps([step_to_dict(s) for s in steps], ensure_ascii=False, indent=2)
    f = _Fmt(fmt)
    lines = [_line(s, f) for s in steps]
    if fmt == "latex":
        body = " \\\\\n".join(f"&\\text{{{i}.}}\\ " + _latex_text(line)
                              for i, line in enumerate(lines, 1))
        return "\\begin{aligned}\n" + body + "\n\\end{aligned}"
    return "\n".join(f"{'  ' * s.depth}{i}. {line}" for i, (s, line) in
                     enumerate(zip(steps, lines, strict=True), 1))


def _latex_text(line: str) -> str:
    # The rule name before the first colon is prose, the rest is math.
    head, _, rest = line.partition(": ")
    return f"\\text{{{head}: }}{rest}"


def markdown(steps, *, short: bool = True) -> str:
    """Markdown for hovers.  The short form is the answer and the rules
    used, in a few lines; the full form is the derivation under the
    answer: the outer steps numbered, the sub-derivations nested under the
    step that needs them, math in LaTeX."""
    if not steps:
        return ""
    f = _Fmt("latex")
    final = steps[-1]
    first = steps[0]
    head = (f"$\\frac{{d}}{{d{first.wrt}}}\\left[{f.show(first.expr)}\\right] = "
            f"{f.show(final.result)}$" if final.result is not None else "")
    if short:
        rules = []
        for s in steps:
            name = _RULE_NAMES.get(s.rule, s.rule)
            if s.rule == "chain" and s.outer is not None:
                name += f" (outer ${f.show(s.outer)}$, ${f.show(s.u)} = {f.show(s.inner)}$)"
            if s.part == "logarithm":
                u, v = s.expr.args
                name += f" ($\\ln y = {_v_ln_u(f, v, u)}$)"
            if name not in rules and s.rule != "combine" and s.part != "solve":
                rules.append(name)
        return head + "\n\n" + "; ".join(rules[:4]) + ("; …" if len(rules) > 4 else "")
    lines = [head, ""]
    number = 0
    for s in steps:
        line = _line(s, f)
        name, _, math = line.partition(": ")
        body = f"**{name}**" + (f": ${math}$" if math else "")
        if s.depth == 0:
            number += 1
            lines.append(f"{number}. {body}")
        else:
            lines.append(" " * (3 + 2 * (s.depth - 1)) + f"- {body}")
    return "\n".join(lines)


def step_to_dict(step: Step) -> dict:
    """JSON-ready form (printed in every notation)."""
    def nodes(n: Node | None) -> dict | None:
        if n is None:
            return None
        return {fmt: render(n, fmt) for fmt in ("text", "unicode", "latex")}

    return {
        "rule": step.rule,
        "expr": nodes(step.expr),
        "wrt": step.wrt,
        "result": nodes(step.result),
        "depth": step.depth,
        "u": nodes(step.u),
        "outer": nodes(step.outer),
        "outer_derivative": nodes(step.outer_derivative),
        "inner": nodes(step.inner),
        "factors": [{"role": fa.role, "of": nodes(fa.of), "value": nodes(fa.value)}
                    for fa in step.factors],
        "uses": list(step.uses),
        "note": step.note,
        "part": step.part,
    }
