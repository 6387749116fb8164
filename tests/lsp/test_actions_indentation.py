"""Red team P2-16: "Insert ∂f/∂x as functions" (and "Generate grad_…") in a
tab-indented file wrote body lines as a tab plus four spaces (W191/E101).
Inserted code now uses the file's own indentation unit: each edit is
applied, the result compiled, its indentation checked line by line, and the
helper called and compared with central differences of the original (these
snippets are this test's own text)."""

from __future__ import annotations

import math
import re

import pytest
from lsp_session import open_doc
from test_actions_callable import _actions
from test_actions_examples import _apply

pytestmark = pytest.mark.asyncio(loop_scope="module")

TAB = ("import numpy as np\n\n\nclass Net:\n\tdef act(self, x):\n"
       "\t\treturn x * np.tanh(x) + np.exp(-x * x)\n")
TWO = "import numpy as np\n\n\ndef f(x):\n  y = np.sin(x)\n  return y * np.exp(-x)\n"
X, H = 0.3, 1e-6


def _reference(text: str, dotted: str):
    ns: dict = {}
    exec(compile(text, "ref", "exec"), ns)  # noqa: S102 (this test's own snippet)
    head, _, tail = dotted.partition(".")
    return getattr(ns[head](), tail) if tail else ns[head]


def _leading(text: str) -> list[str]:
    return [line[:len(line) - len(line.lstrip(" \t"))] for line in text.split("\n")
            if line.strip()]


@pytest.mark.parametrize(("label", "text", "dotted", "unit"), [
    ("tabs", TAB, "Net.act", "\t"), ("two_spaces", TWO, "f", "  "),
])
async def test_inserted_code_uses_the_files_indentation(client, label, text, dotted, unit):
    uri = open_doc(client, f"indent_{label}.py", text, "python")
    fn = _reference(text, dotted)
    cls, _, method = dotted.rpartition(".")
    checked = 0
    for action in await _actions(client, uri, text):
        if not (action.title.endswith("as functions") or action.title.startswith("Generate")):
            continue
        after = _apply(text, action.edit.changes[uri])
        for lead in _leading(after):  # one kind of character, whole units
            assert lead == unit * (len(lead) // len(unit)), (action.title, repr(lead))
        ns: dict = {}
        exec(compile(after, label, "exec"), ns)  # noqa: S102
        central = (fn(X + H) - fn(X - H)) / (2 * H)
        if action.title.endswith("as functions"):
            [var] = re.findall(r"∂\w+/∂(\w+)", action.title)
            name = f"d{method}_d{var}"
        else:
            name = f"grad_{method}"
        got = getattr(ns[cls](), name) if cls else ns[name]
        assert math.isclose(float(got(X)), central, rel_tol=1e-6), action.title
        checked += 1
    assert checked >= 1, f"{label}: no helper offered"
