"""Printers: one expression DAG, four notations.

``to_text`` writes plain ASCII that the parser reads back to the *same* node
(``2*x*cos(x^2)``), ``to_unicode`` the form a hover shows (``2x·cos(x²)``),
``to_latex`` what a note renders (``2 x \\cos\\left(x^{2}\\right)``) and
``to_python`` numpy source that runs with only ``numpy as np`` and ``math``.

Modules by role: :mod:`.names` (the one name prettifier), :mod:`.order`
(display order of terms and factors), :mod:`.walk` (the walk every notation
shares, and plain text), :mod:`.notations` (Unicode, LaTeX, Python),
:mod:`.shared` (the entry points, and shared sub-expressions as lets).
"""

from chainlens.engine.printing.names import display_symbol, plain_name, python_identifiers
from chainlens.engine.printing.shared import (
    MAX_CHARS,
    NOTATIONS,
    SharedResults,
    render,
    render_auto,
    render_flat,
    render_shared,
    render_shared_many,
    to_latex,
    to_python,
    to_text,
    to_unicode,
)

__all__ = ["to_text", "to_unicode", "to_latex", "to_python", "render", "render_flat",
           "render_shared", "render_shared_many", "render_auto", "SharedResults",
           "display_symbol", "plain_name", "python_identifiers", "NOTATIONS", "MAX_CHARS"]
