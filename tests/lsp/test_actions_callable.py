"""Generated Python code actions, applied and CALLED (red team F20, F21,
F38, F39, F40): compiling or importing the edited file cannot see ``np.``
in a torch-only file, a method without ``self`` or a dropped keyword-only
parameter; calling the generated function does.

Each small file below gets every action offered on each of its lines; each
"Generate grad_…" / "Insert … as functions" result is called by keyword
exactly like the original function and compared with central differences
of that function; each stable rewrite is compared with the original's
value.  Where an action must be offered (numpy files) the test says so, so
"offer nothing" cannot pass it.  The snippets are this test's own text; the
edited file runs in this process (no user text involved)."""

from __future__ import annotations

import inspect
import math
import re

import pytest
from lsp_session import diagnostics_for, open_doc
from lsprotocol import types
from test_actions_examples import _apply

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.asyncio(loop_scope="module")

#: name, source, function under test (``Class.method`` for methods), whether a
#: gradient action must be offered, whether a rewrite must be offered
CASES = [
    ("torch_only", "import torch\n\n\ndef f(x):\n"
     "    return torch.tanh(x) ** 2 + torch.sigmoid(x)\n", "f", False, False),
    ("math_only", "import math\n\n\ndef f(x):\n"
     "    return math.tanh(x) ** 2 + math.exp(-x)\n", "f", False, False),
    ("from_numpy", "import numpy\nfrom numpy import log, exp\n\n\ndef sp3(x):\n"
     "    return log(1 + exp(x))\n", "sp3", False, True),  # numpy.logaddexp, not np.
    ("numpy_rewrite", "import numpy as np\n\n\ndef sp(x):\n"
     "    return np.log(1 + np.exp(x))\n", "sp", True, True),
    ("method", "import numpy as np\n\n\nclass Net:\n    def act(self, x):\n"
     "        return x * np.tanh(x)\n", "Net.act", True, False),
    ("staticmethod", "import numpy as np\n\n\nclass Net:\n    @staticmethod\n"
     "    def act(x):\n        return x * np.tanh(x)\n", "Net.act", True, False),
    ("defaults", "import numpy as np\n\n\ndef f(x, scale=2.0):\n"
     "    return np.sin(scale * x)\n", "f", True, False),
    ("keyword_only", "import numpy as np\n\n\ndef g8(x, *, k=2.0):\n"
     "    return np.exp(-k * x)\n", "g8", True, False),
]
X = 0.3
H = 1e-6


def _callable(namespace: dict, dotted: str):
    head, _, tail = dotted.partition(".")
    if not tail:
        return namespace[head]
    return getattr(namespace[head](), tail)  # a bound method: called like obj.act(x)


def _value(fn, **kwargs) -> float:
    arg = {k: torch.tensor(v, dtype=torch.float64) if k == "x" and torch_file else v
           for k, v in kwargs.items()}
    return float(fn(**arg))


torch_file = False


def _central(fn, var: str, defaults: dict) -> float:
    base = {"x": X, **defaults}
    up, down = dict(base), dict(base)
    up[var] += H
    down[var] -= H
    return (_value(fn, **up) - _value(fn, **down)) / (2 * H)


async def _actions(client, uri, text):
    found = await diagnostics_for(client, uri, timeout=60)
    out = []
    for line in range(text.count("\n") + 1):
        here = [d for d in found if d.range.start.line <= line <= d.range.end.line]
        pos = types.Position(line=line, character=0)
        got = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=pos, end=pos),
            context=types.CodeActionContext(diagnostics=here))) or []
        out += [a for a in got if a.title not in {b.title for b in out}]
    return out


@pytest.mark.parametrize("case", CASES, ids=lambda c: c[0])
async def test_generated_code_runs_and_is_the_derivative(client, case):
    global torch_file
    label, text, dotted, must_grad, must_rewrite = case
    torch_file = "torch" in text
    uri = open_doc(client, f"callable_{label}.py", text, "python")
    original: dict = {}
    exec(compile(text, label, "exec"), original)  # noqa: S102 (this test's own snippet)
    fn = _callable(original, dotted)
    defaults = {p.name: p.default for p in inspect.signature(fn).parameters.values()
                if p.default is not inspect.Parameter.empty}
    grads = rewrites = 0
    for action in await _actions(client, uri, text):
        after = _apply(text, action.edit.changes[uri])
        ns: dict = {}
        exec(compile(after, label, "exec"), ns)  # noqa: S102
        cls, _, method = dotted.rpartition(".")
        if action.title.startswith("Generate grad_"):
            wrt = re.search(r"\((.*)\)", action.title).group(1).split(", ")
            got = _callable(ns, f"{cls}.grad_{method}" if cls else f"grad_{method}")
            values = got(**{"x": X})
            values = values if len(wrt) > 1 else (values,)
            for var, value in zip(wrt, values, strict=True):
                assert math.isclose(float(value), _central(fn, var, defaults),
                                    rel_tol=1e-5, abs_tol=1e-7), (action.title, var)
            grads += 1
        elif action.title.endswith("as functions"):
            for var in re.findall(r"∂\w+/∂(\w+)", action.title):
                got = _callable(ns, f"{cls}.d{method}_d{var}" if cls else f"d{method}_d{var}")
                assert math.isclose(_value(got, x=X), _central(fn, var, defaults),
                                    rel_tol=1e-5, abs_tol=1e-7), (action.title, var)
            grads += 1
        elif action.title.startswith("Rewrite as"):
            assert math.isclose(_value(_callable(ns, dotted), x=X), _value(fn, x=X),
                                rel_tol=1e-12), action.title
            rewrites += 1
    assert grads > 0 or not must_grad, f"{label}: no gradient action offered"
    assert rewrites > 0 or not must_rewrite, f"{label}: no rewrite offered"


async def test_insertions_in_a_crlf_file_keep_crlf(client):
    """Red team F21: a CRLF file got LF-only inserted lines."""
    text = "import numpy as np\r\n\r\n\r\ndef f(x, scale=2.0):\r\n    return np.sin(scale * x)\r\n"
    uri = open_doc(client, "callable_crlf.py", text, "python")
    actions = await _actions(client, uri, text)
    assert actions
    for action in actions:
        after = _apply(text, action.edit.changes[uri])
        assert "\n" not in after.replace("\r\n", ""), action.title
