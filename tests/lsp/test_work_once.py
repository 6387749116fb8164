"""The language server's analysis path reads a document once and answers
each feature from that one reading: counters on the engine's readers and
on diff pin it (issue #11, "work done twice")."""

from __future__ import annotations

from pathlib import Path

import pytest
from chainlens.engine.frontends import document as document_module
from chainlens.engine.frontends import python_source
from chainlens.engine.language import incremental, reader
from chainlens.engine.symbolic import derivatives
from chainlens.server.lsp import code_actions, diagnostics, hover
from chainlens.server.lsp.analysis import analyze
from chainlens.server.lsp.settings import Settings
from lsprotocol import types

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def calls(monkeypatch):
    counted: dict[str, int] = {}

    def count(module, name, key=None):
        real = getattr(module, name)
        key = key or name

        def counting(*args, **kwargs):
            counted[key] = counted.get(key, 0) + 1
            counted.setdefault(key + ":args", []).append(args[:1])
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, counting)

    count(document_module, "read_python")   # the Python reader, as read_document calls it
    count(python_source, "read_python")
    count(incremental, "parse")   # the .chain reader, as read_document calls it
    count(reader, "parse", "reader.parse")  # a full read (incremental reads may move spans)
    count(derivatives, "diff")
    return counted


def _every_feature(analysis, offset: int) -> None:
    diagnostics.build(analysis)
    hover.compute(analysis, offset)
    where = analysis.index.position(offset)
    code_actions.compute(analysis, types.Range(start=where, end=where))


def test_a_python_file_is_read_once_for_every_feature(calls):
    text = (EXAMPLES / "model.py").read_text(encoding="utf-8")
    analysis = analyze("file:///model.py", 1, text, "python", Settings())
    _every_feature(analysis, text.index("def gaussian") + 5)
    assert calls.get("read_python") == 1
    assert "parse" not in calls and "reader.parse" not in calls


def test_a_chain_file_is_parsed_once_for_every_feature(calls):
    text = (EXAMPLES / "neuron.chain").read_text(encoding="utf-8")
    analysis = analyze("file:///neuron.chain", 1, text, "chain", Settings())
    _every_feature(analysis, text.index("sigmoid"))
    _every_feature(analysis, text.index("L ="))
    # the document is read once; the other reads are of the edits code
    # actions offer (each is checked to read before it is offered)
    assert calls["parse:args"].count((text,)) == 1
    assert calls.get("reader.parse:args", []).count((text,)) <= 1
    assert "read_python" not in calls


def test_hovering_again_asks_the_engine_nothing(calls):
    text = (EXAMPLES / "model.py").read_text(encoding="utf-8")
    analysis = analyze("file:///model.py", 1, text, "python", Settings())
    offset = text.index("def neuron") + 5
    first = hover.compute(analysis, offset)
    asked = calls.get("diff", 0)
    assert asked >= 3  # ∂neuron/∂x, ∂w, ∂b
    again = hover.compute(analysis, offset)
    assert calls.get("diff", 0) == asked
    assert again.contents.value == first.contents.value


def test_note_claims_are_checked_once(monkeypatch):
    from chainlens.engine.frontends import claims

    checked = []
    real = claims.check_derivative
    monkeypatch.setattr(claims, "check_derivative",
                        lambda *a, **k: checked.append(a) or real(*a, **k))
    text = (EXAMPLES / "notes.md").read_text(encoding="utf-8")
    analysis = analyze("file:///notes.md", 1, text, "markdown", Settings())
    diagnostics.build(analysis)
    for frag in analysis.math:
        hover.compute(analysis, frag.start + 1)
    assert len(checked) == len(analysis.claims) == 8
