"""Quick fixes and inserted lines keep the structure the author wrote, applied
through the real server (red team R1, R20, R23):

* a fix in a Markdown table row holds no ``|`` that splits its cell: the
  table has the same cells per row as GFM (markdown-it) reads them, and the
  checker calls the corrected claim correct;
* "Insert d/dx as a LaTeX line" in a table goes after the table (a blank
  line first in Markdown; after ``\\end{tabular}`` in LaTeX), never between
  its rows;
* a fix replaces inside the author's decoration (``\\underbrace{…}_{…}``,
  colour, bold), which stays.
"""

from __future__ import annotations

import pytest
from chainlens.engine.frontends.claims import check_claim
from chainlens.engine.frontends.document import read_document
from lsp_session import at, diagnostics_for, open_doc
from lsprotocol import types
from markdown_it import MarkdownIt
from test_actions_examples import _apply

pytestmark = pytest.mark.asyncio(loop_scope="module")

INSERT = "Insert d/dx as a LaTeX line"


def _table_cells(text: str) -> list[list[int]]:
    """The cells of each row of each GFM table, as markdown-it reads them."""
    tables, rows, cells = [], None, 0
    for tok in MarkdownIt("commonmark").enable("table").parse(text):
        if tok.type == "table_open":
            rows = []
        elif tok.type == "tr_open":
            cells = 0
        elif tok.type in ("td_open", "th_open"):
            cells += 1
        elif tok.type == "tr_close":
            rows.append(cells)
        elif tok.type == "table_close":
            tables.append(rows)
    return tables


def _verdicts(text: str, kind: str) -> list[bool | None]:
    doc = read_document(text, kind)
    assert doc.error is None
    return [check_claim(c).ok for c in doc.claims]


async def _quick_fixes(client, uri, diagnostic):
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=diagnostic.range,
        context=types.CodeActionContext(diagnostics=[diagnostic],
                                        only=[types.CodeActionKind.QuickFix])))
    return actions or []


async def _inserts(client, uri, line, character):
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(start=at(line, character), end=at(line, character)),
        context=types.CodeActionContext(diagnostics=[])))
    return [a for a in actions or [] if a.title == INSERT]


# ---- R1: a fix with absolute-value bars in a table cell ---------------------------------
TABLE_FIX = ("| $f(x)$ | $f'(x)$ |\n"
             "|---|---|\n"
             "| $x^2 \\lvert x\\rvert$ | $x \\lvert x\\rvert$ |\n"
             "| $x^3$ | $3x^2$ |\n")
TABLE_FIX_INLINE = ("| claim | rule |\n"
                    "|:--|--:|\n"
                    "| $\\frac{d}{dx} x^2 \\lvert x\\rvert = x\\lvert x\\rvert$ | product |\n")


@pytest.mark.parametrize(("name", "text"), [("bars1.md", TABLE_FIX),
                                            ("bars2.md", TABLE_FIX_INLINE)])
async def test_a_fix_in_a_table_cell_keeps_the_table_and_reads_correct(client, name, text):
    uri = open_doc(client, name, text, "markdown")
    diagnostics = await diagnostics_for(client, uri, until=lambda d: bool(d))
    [wrong] = [d for d in diagnostics if d.code == "wrong-derivative"]
    [fix] = await _quick_fixes(client, uri, wrong)
    after = _apply(text, fix.edit.changes[uri])
    assert after != text
    assert _table_cells(after) == _table_cells(text)  # same rows, same cells per row
    assert all(v is True for v in _verdicts(after, "markdown")), after


# ---- R20: an inserted line never lands between table rows -------------------------------
TABLE_INSERT = ("Some derivatives:\n\n"
                "| function | note |\n"
                "|---|---|\n"
                "| $f(x) = x^2 \\sin x$ | product |\n"
                "| $g(x) = e^{3x}$ | chain |\n"
                "Rows without a leading bar continue it\n"
                "\nAfter the table.\n")
TABULAR = ("\\documentclass{article}\n\\begin{document}\n"
           "\\begin{tabular}{ll}\n"
           "$h(x) = x^3$ & cubic \\\\\n"
           "$k(x) = \\sin(2x)$ & trig\n"
           "\\end{tabular}\n"
           "\\end{document}\n")


@pytest.mark.parametrize(("line", "character"), [(4, 10), (5, 8)])
async def test_the_inserted_line_goes_after_a_markdown_table(client, line, character):
    uri = open_doc(client, f"table{line}.md", TABLE_INSERT, "markdown")
    await diagnostics_for(client, uri)
    [action] = await _inserts(client, uri, line, character)
    after = _apply(TABLE_INSERT, action.edit.changes[uri])
    assert _table_cells(after) == _table_cells(TABLE_INSERT) == [[2, 2, 2, 2]]
    rows = after.split("\n")
    [inserted] = [r for r in rows if r not in TABLE_INSERT.split("\n")]
    k = rows.index(inserted)
    assert rows[k - 2:k] == ["Rows without a leading bar continue it", ""]
    assert inserted.startswith("$$") and inserted.endswith("$$")
    assert _verdicts(after, "markdown") == [True]


@pytest.mark.parametrize(("line", "character"), [(3, 5), (4, 6)])
async def test_the_inserted_line_goes_after_a_tabular(client, line, character):
    uri = open_doc(client, f"tab{line}.tex", TABULAR, "latex")
    await diagnostics_for(client, uri)
    [action] = await _inserts(client, uri, line, character)
    after = _apply(TABULAR, action.edit.changes[uri])
    rows = after.split("\n")
    [inserted] = [r for r in rows if r not in TABULAR.split("\n")]
    assert rows[rows.index(inserted) - 1] == "\\end{tabular}"
    assert inserted.startswith("\\[ ") and inserted.endswith(" \\]")
    assert _verdicts(after, "latex") == [True]


# ---- R23: a fix inside the author's decoration --------------------------------------------
@pytest.mark.parametrize(("claimed", "before", "after"), [
    ("\\underbrace{\\cos(2x)}_{\\text{chain rule}}", "\\underbrace{", "}_{\\text{chain rule}}"),
    ("\\textcolor{red}{3x}", "\\textcolor{red}{", "}"),
    ("{\\color{blue} e^{5x}}", "{\\color{blue} ", "}"),
    ("\\mathbf{4x^2}", "\\mathbf{", "}"),
])
async def test_a_fix_keeps_the_decoration(client, claimed, before, after):
    functions = {"\\underbrace{": "\\sin(2x)", "\\textcolor{red}{": "3x^2",
                 "{\\color{blue} ": "e^{5x}", "\\mathbf{": "x^4"}
    text = f"A claim: $\\frac{{d}}{{dx}} {functions[before]} = {claimed}$.\n"
    uri = open_doc(client, f"deco{len(claimed)}.md", text, "markdown")
    diagnostics = await diagnostics_for(client, uri, until=lambda d: bool(d))
    [wrong] = [d for d in diagnostics if d.code == "wrong-derivative"]
    [fix] = await _quick_fixes(client, uri, wrong)
    fixed = _apply(text, fix.edit.changes[uri])
    math = fixed[fixed.index("= ") + 2:fixed.rindex("$")]
    assert math.startswith(before) and math.endswith(after), math
    assert math != claimed
    assert _verdicts(fixed, "markdown") == [True]
