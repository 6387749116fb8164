"""Every code action offered on every example file, applied: the result
still reads (``.chain`` and notes: the editor's own reader finds no error
where there was none; Python: ``compile()`` of the text, then an import in
a subprocess, since these are the repository's own example files).

Actions are asked for at every line, with that line's diagnostics in the
context (so the health quick fixes are applied too), the way an editor's
lightbulb asks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from chainlens.engine.frontends.document import read_document
from lsp_session import diagnostics_for, open_doc
from lsprotocol import types

pytestmark = pytest.mark.asyncio(loop_scope="module")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FILES = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".chain", ".py", ".md"))
LANGUAGE = {".chain": "chain", ".py": "python", ".md": "markdown"}
#: most refactorings one place offers (quick fixes of its diagnostics aside)
MAX_REFACTORINGS = 3


def _apply(text: str, edits: list[types.TextEdit]) -> str:
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)

    def offset(pos: types.Position) -> int:
        line = lines[pos.line] if pos.line < len(lines) else ""
        # the examples are ASCII/BMP text: UTF-16 units are characters here
        return starts[min(pos.line, len(lines))] + min(pos.character, len(line))

    for e in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[:offset(e.range.start)] + e.new_text + text[offset(e.range.end):]
    return text


_RUN_ALL = """
import runpy, sys, traceback
failed = []
for path in sys.argv[1:]:
    try:
        runpy.run_path(path)
    except Exception:
        failed.append(path + "\\n" + traceback.format_exc(limit=2))
print("\\n\\n".join(failed))
"""


def _import_failures(texts: dict[str, str], tmp_path: Path) -> str:
    """Each edited file imported (run as a module would be on import), all
    in one subprocess; the failures' tracebacks."""
    paths = []
    for i, (where, text) in enumerate(texts.items()):
        target = tmp_path / f"edited_{i}.py"
        target.write_text(f"# {where}\n" + text)
        paths.append(str(target))
    run = subprocess.run([sys.executable, "-c", _RUN_ALL, *paths], capture_output=True,
                         text=True, timeout=300)
    return (run.stdout + (run.stderr if run.returncode else "")).strip()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
async def test_every_offered_action_leaves_a_file_that_reads(client, path, tmp_path):
    text = path.read_text()
    kind = LANGUAGE[path.suffix]
    uri = open_doc(client, f"examples/{path.name}", text, kind)
    found = await diagnostics_for(client, uri, timeout=60)
    before = read_document(text, kind)
    applied, to_import = 0, {}
    for line in range(text.count("\n") + 1):
        here = [d for d in found if d.range.start.line <= line <= d.range.end.line]
        pos = types.Position(line=line, character=0)
        actions = await client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=pos, end=pos),
            context=types.CodeActionContext(diagnostics=here))) or []
        refactorings = [a for a in actions if a.kind == types.CodeActionKind.Refactor]
        assert len(refactorings) <= MAX_REFACTORINGS, [a.title for a in refactorings]
        for action in actions:
            after = _apply(text, action.edit.changes[uri])
            assert after != text, action.title
            where = f"{path.name}:{line + 1}: {action.title}"
            if kind == "python":
                compile(after, str(path), "exec")
                to_import[where] = after
            else:
                doc = read_document(after, kind)
                assert doc.error is None or before.error is not None, f"{where}: {doc.error}"
                if kind == "chain" and before.error is None:
                    assert doc.programs[0].program.outputs == \
                        before.programs[0].program.outputs, where
            applied += 1
    assert applied > 0
    if to_import:
        assert not (failed := _import_failures(to_import, tmp_path)), failed
