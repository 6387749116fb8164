"""How a derivative reads in a hover: one notation for every part.

A hover is read in a small floating window, by clients that render
Markdown (VS Code), some of it (Emacs, Neovim) or none of it.  So every
hover has the same shape, in the notation of the settings and nothing
else (labels, result, steps, values):

* a headline, ``**∂L/∂w** = `…```; a deep result names its shared
  sub-expressions once, ``where `u₁ = …```, instead of a wall;
* the chain rule as a compact numbered list (the outer steps, each line
  short);
* the full derivation after a rule, under **More**.

LaTeX appears only when the notation is ``latex`` (the client or the user
asked for it); then math is written ``$…$`` throughout.
"""

from __future__ import annotations

import re

from chainlens.engine.core.nodes import Node, sym
from chainlens.engine.printing import render, render_shared
from chainlens.engine.symbolic import step_text

__all__ = ["Notation", "MAX_RESULT_CHARS", "SHARE_CHARS"]

#: A result longer than this is shown with its shared sub-expressions named.
SHARE_CHARS = 120
#: Longest result (or let) shown; longer ones are cut, saying so.
MAX_RESULT_CHARS = 600
#: Most lets of one result shown.
MAX_LETS = 8
#: Longest line of the compact steps.
STEP_CHARS = 160
#: Outer steps in the compact list.
MAX_SHORT_STEPS = 6
#: Lines of the full derivation.
MAX_FULL_LINES = 40
#: Longest line of the full derivation.
FULL_LINE_CHARS = 400

_LATEX_STEP = re.compile(r"^&\\text\{\d+\.\}\\ \\text\{(.*?): \}(.*)$")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + " …"


class Notation:
    """The spelling of every part of a hover in one notation."""

    def __init__(self, notation: str):
        self.notation = notation if notation in ("unicode", "latex", "text") else "unicode"

    # ---- names and labels -------------------------------------------------
    def name(self, name: str) -> str:
        """A program name (SSA versions included) as this notation prints it."""
        try:
            return render(sym(name), self.notation)
        except Exception:  # noqa: BLE001 - a name the printer cannot spell
            return name

    def label(self, of: str, wrt: str) -> str:
        """``∂L/∂w`` (LaTeX: ``\\frac{\\partial L}{\\partial w}``; text: ``dL/dw``)."""
        top, bottom = self.name(of), self.name(wrt)
        if self.notation == "latex":
            return f"\\frac{{\\partial {top}}}{{\\partial {bottom}}}"
        if self.notation == "text":
            return f"d{top}/d{bottom}"
        return f"∂{top}/∂{bottom}"

    def math(self, text: str) -> str:
        """Math inline: ``$…$`` for LaTeX, code spans otherwise (Markdown
        never eats a ``*`` or ``_`` of the formula)."""
        if self.notation == "latex":
            return f"${text}$"
        return "`" + text.replace("`", "'") + "`"

    def inline(self, text: str) -> str:
        """Short math in running text: ``$…$`` for LaTeX, as is otherwise."""
        return f"${text}$" if self.notation == "latex" else text

    def strong_label(self, of: str, wrt: str) -> str:
        label = self.label(of, wrt)
        return f"${label}$" if self.notation == "latex" else f"**{label}**"

    def show(self, node: Node) -> str:
        return render(node, self.notation)

    # ---- a result ----------------------------------------------------------
    def result_lines(self, head: str, node: Node, shown: str | None = None) -> list[str]:
        """``head = result``, or, for a long result, the result with its
        shared sub-expressions named (``where u₁ = …``)."""
        shown = shown if shown is not None else self.show(node)
        if len(shown) <= SHARE_CHARS * self._scale:
            return [self._equation(head, shown)]
        try:
            shared = render_shared(node, self.notation, max_chars=None).split("\n")
        except Exception:  # noqa: BLE001 - fall back to the plain (cut) result
            shared = [shown]
        *lets, body = shared
        if not lets or len(body) >= len(shown):
            return [self._equation(head, _clip(shown, MAX_RESULT_CHARS * self._scale))]
        lines = [self._equation(head, _clip(body, MAX_RESULT_CHARS * self._scale)), "", "where"]
        lines += [f"- {self.math(_clip(let, MAX_RESULT_CHARS))}" for let in lets[:MAX_LETS]]
        if len(lets) > MAX_LETS:
            lines.append(f"- … {len(lets) - MAX_LETS} more")
        return lines

    def _equation(self, head: str, shown: str) -> str:
        if self.notation == "latex" and head.startswith("$") and head.endswith("$"):
            return f"{head[:-1]} = {shown}$"
        return f"{head} = {self.math(shown)}"

    @property
    def _scale(self) -> int:
        """LaTeX spells the same math in about three times the characters."""
        return 3 if self.notation == "latex" else 1

    # ---- steps -------------------------------------------------------------
    def short_steps(self, steps) -> list[str]:
        """The outer steps as a numbered list, one short line each."""
        outer = [s for s in steps if s.depth == 0]
        if not outer:
            return []
        lines = [f"{i}. {self._step(s, STEP_CHARS)}"
                 for i, s in enumerate(outer[:MAX_SHORT_STEPS], 1)]
        if len(outer) > MAX_SHORT_STEPS:
            lines.append(f"{MAX_SHORT_STEPS + 1}. … ({len(outer) - MAX_SHORT_STEPS} more)")
        return lines

    def full_steps(self, steps) -> list[str]:
        """Every step, the sub-derivations nested under the step needing them."""
        lines, number = [], 0
        for s in steps:
            if s.depth == 0:
                number += 1
                lines.append(f"{number}. {self._step(s, FULL_LINE_CHARS)}")
            else:
                lines.append(" " * (1 + 2 * s.depth) + f"- {self._step(s, FULL_LINE_CHARS)}")
        if len(lines) > MAX_FULL_LINES:
            rest = len(lines) - MAX_FULL_LINES
            lines = lines[:MAX_FULL_LINES] + [f"… ({rest} more steps)"]
        return lines

    def _step(self, step, limit: int) -> str:
        """One step: its rule in words, then its math in this notation."""
        if self.notation == "latex":
            # the aligned block of one step: "&\text{1.}\ \text{rule: }math"
            line = step_text.format_steps((step,), "latex").split("\n")[1]
            found = _LATEX_STEP.match(line)
            rule, rest = (found.group(1), found.group(2)) if found else ("rule", line)
            return f"**{rule}**: ${rest}$" if len(rest) <= 3 * limit else f"**{rule}**"
        line = step_text.format_steps((step,), self.notation).strip()
        line = line.split(". ", 1)[1] if line[:1].isdigit() and ". " in line else line
        rule, sep, rest = line.partition(": ")
        if not sep:
            return self.math(_clip(line, limit))
        return f"**{rule}**: {self.math(_clip(rest, limit))}"
