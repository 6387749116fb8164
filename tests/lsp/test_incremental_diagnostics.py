"""After any series of edits, the diagnostics the server publishes for a big
``.chain`` file are the ones a from-scratch analysis of the same text gives.

The server reads a new version incrementally (engine.language.incremental:
a comment edit moves the last program, an edit inside one assignment reads
that statement alone and splices it in) and, for a comment or blank-line
edit of a big program, publishes the last diagnostics moved
(server.lsp.moved_diagnostics) before its own analysis lands.  Each
version's publishes here are compared, every one of them, with
``diagnostics.build`` of a fresh analysis of the text in this process,
its caches emptied first, so that it reads the whole text.  Health findings
(the worker's, which a fresh analysis here does not compute) are left out
of the comparison.
"""

from __future__ import annotations

import asyncio

import pytest
from chainlens.engine.core.cache import clear_all
from chainlens.engine.language import incremental
from chainlens.server.lsp import diagnostics
from chainlens.server.lsp.analysis import LARGE_PROGRAM, analyze
from chainlens.server.lsp.settings import Settings
from lsp_session import open_doc, record_publishes
from lsprotocol import converters, types

pytestmark = pytest.mark.asyncio(loop_scope="module")

_JSON = converters.get_converter()


def program(layers: int = 200) -> str:
    """A big program with domain findings that depend on ``c`` (``log(x + c)``
    over ``x`` in [-1, 1]) and unstable forms, on lines far apart."""
    lines = ["# a generated program", "input x in [-1, 1]", "c = 0.5", "a = x"]
    for k in range(1, layers + 1):
        lines.append(f"z{k} = w{k} * a + 0.01")
        if k % 50 == 0:
            lines += [f"# layer {k}", f"s{k} = log(x + c) + log(1 + exp(z{k}))"]
        lines.append(f"a = tanh(z{k})")
    lines.append("L = a^2" + "".join(f" + s{k}" for k in range(50, layers + 1, 50)))
    return "\n".join(lines) + "\n"


def from_scratch(text: str) -> list[dict]:
    clear_all()
    incremental._RECENT.clear()
    analysis = analyze("file:///scratch.chain", None, text, "chain", Settings())
    return _comparable(diagnostics.build(analysis))


def _comparable(items) -> list[dict]:
    out = []
    for d in items:
        if isinstance(d.data, dict) and "kind" in d.data:
            continue  # a health finding: the worker's, not computed here
        out.append(_JSON.unstructure(d))
    return sorted(out, key=lambda d: (d["range"]["start"]["line"], d["message"]))


def _replace_line(text: str, line: int, new: str) -> str:
    lines = text.split("\n")
    lines[line] = new
    return "\n".join(lines)


def _edits(text: str):
    """(what, text) in order: comments, a dependency of later statements
    changed, a syntax error made and fixed, a statement's number longer."""
    lines = text.split("\n")
    z100 = lines.index("z100 = w100 * a + 0.01")
    yield "a comment typed", text.replace("# a generated program", "# a generated program!")
    text = text.replace("# a generated program", "# a generated program!")
    yield "a comment line added", text.replace("# layer 100", "# layer 100\n# more")
    text = text.replace("# layer 100", "# layer 100\n# more")
    yield "c changed: later domains change", text.replace("c = 0.5", "c = 2")
    text = text.replace("c = 0.5", "c = 2")
    yield "c changed back", text.replace("c = 2", "c = 0.25")
    text = text.replace("c = 2", "c = 0.25")
    broken = _replace_line(text, z100 + 1, "z100 = w100 * (a + 0.01")
    yield "a syntax error", broken
    yield "the comment above it edited", broken.replace("# more", "# more text")
    fixed = broken.replace("# more", "# more text").replace("z100 = w100 * (a + 0.01",
                                                           "z100 = w100 * (a + 0.01)")
    yield "the syntax error fixed", fixed
    yield "a longer number", fixed.replace("z7 = w7 * a + 0.01", "z7 = w7 * a + 0.0125")


async def _publishes_of(log, uri: str, version: int, settle: float = 1.5) -> list:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 60
    while loop.time() < deadline and not any(v == version for v, _ in log.get(uri, [])):
        await asyncio.sleep(0.02)
    await asyncio.sleep(settle)  # a later round (the analysis after a moved publish)
    return [items for v, items in log.get(uri, []) if v == version]


async def test_incremental_diagnostics_equal_a_from_scratch_analysis(client):
    log = record_publishes(client)
    text = program()
    assert text.count("\n") > LARGE_PROGRAM
    uri = open_doc(client, "incremental-diagnostics.chain", text, "chain")
    first = await _publishes_of(log, uri, 1)
    assert first and _comparable(first[0]) == from_scratch(text)
    assert any(d["code"] == "domain" for d in from_scratch(text))
    version, previous = 1, text
    for what, new in _edits(text):
        version += 1
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=new)]))
        published = await _publishes_of(log, uri, version)
        want = from_scratch(new)
        assert published, what
        for items in published:
            assert _comparable(items) == want, what
        previous = new
    assert "z100 = w100 * (a + 0.01)" in previous
