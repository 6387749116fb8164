"""One Greek table: what the printers write reads back as the same name.

The reader (language.names) reads the printers' table (printing.names.GREEK)
backwards, so a name shown in Unicode or LaTeX parses to the symbol it was.
Two letters have two names each (ε is epsilon and varepsilon, φ phi and
varphi): they read as the first.  LaTeX has no \\omicron (it prints ``o``).
"""

import pytest
from chainlens.engine.core.nodes import sym
from chainlens.engine.language.reader import parse_expr
from chainlens.engine.printing.names import GREEK, display_symbol

SHARED_LETTER = {"varepsilon": "epsilon", "varphi": "phi"}


@pytest.mark.parametrize("name", sorted(GREEK))
def test_unicode_greek_reads_back(name):
    assert parse_expr(display_symbol(name, "unicode")) is sym(SHARED_LETTER.get(name, name))


@pytest.mark.parametrize("name", sorted(set(GREEK) - {"omicron"}))
def test_latex_greek_reads_back(name):
    assert parse_expr(display_symbol(name, "latex")) is sym(name)


@pytest.mark.parametrize("name", ["w_1", "theta_k", "Upsilon_2", "vartheta_10"])
def test_subscripted_greek_reads_back(name):
    for notation in ("unicode", "latex"):
        assert parse_expr(display_symbol(name, notation)) is sym(name), notation
