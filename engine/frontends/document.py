"""One front-end model for every door: a :class:`Document` made of :class:`Unit` s.

The command line and the language server see the same files (``.chain``
programs, Python modules, notebooks, Markdown and LaTeX notes), so they
must cut them into the same analysable pieces.  :func:`read_document` is
the only place that turns text into programs:

* ``.chain``: one unit, the whole program (:func:`~chainlens.engine.language.reader.parse`);
* Python: one unit per function, ``nn.Sequential`` stack and module-level
  math assignment (:func:`~chainlens.engine.frontends.python_source.read_python`);
* a notebook (``.ipynb`` JSON): the code cells read as Python, each unit
  remembering its cell, with spans into that cell's text;
* Markdown / LaTeX: one unit per derivative claim (``d/dx … = …``), the
  claimed expression parsed beside the differentiated one.

What is not read is kept with its reason (``Document.skipped``), and a text
that cannot be read at all carries its error with a place
(``Document.error``); nothing here raises on bad input, so an editor gets a
partial result and the command line chooses to fail.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from chainlens.engine.core.limits import MAX_SOURCE_CHARS
from chainlens.engine.core.nodes import Node
from chainlens.engine.core.source import ChainError, LimitError, ParseError, Span, innermost
from chainlens.engine.core.walk import free_symbols
from chainlens.engine.frontends import notes
from chainlens.engine.frontends.kinds import KINDS, kind_of
from chainlens.engine.frontends.note_units import read_note_claims
from chainlens.engine.frontends.python_project import file_path
from chainlens.engine.frontends.python_source import Skipped, read_python
from chainlens.engine.language import incremental
from chainlens.engine.language.program import Program
from chainlens.engine.language.reader import parse_expr

__all__ = ["Cell", "Document", "Unit", "Skipped", "read_document", "math_expression"]

@dataclass(frozen=True)
class Cell:
    """A notebook code cell: its index among all cells and its text."""

    index: int
    text: str


@dataclass(frozen=True)
class Unit:
    """One analysable piece of a document.

    ``kind`` is ``chain``, ``function``, ``sequential``, ``module`` (a model
    class, with its ``layers``), ``expression`` or ``claim``.  ``span`` covers
    the piece (for a claim: its left-hand side)
    and ``name_span`` its name; spans are offsets into the document's text,
    or into ``Document.cells[cell].text`` for a notebook unit.  A claim unit's
    ``program`` is the differentiated expression, ``claimed`` the expression
    the note says is its derivative."""

    label: str
    kind: str
    span: Span
    program: Program
    name_span: Span | None = None
    params: tuple[str, ...] = ()
    cell: int | None = None
    claim: notes.Claim | None = None
    claimed: Node | None = None
    #: a model class: (label, weight symbol, span) per layer; reading notes
    layers: tuple = ()
    notes: tuple[str, ...] = ()

    @property
    def output(self) -> str:
        return self.program.outputs[0]

    @property
    def expr(self) -> Node:
        """The unit's output with every assignment inlined."""
        return self.program.expanded(self.output)


@dataclass(frozen=True)
class Document:
    kind: str
    text: str
    units: tuple[Unit, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    error: ChainError | None = None
    uri: str | None = None
    version: int | None = None
    #: Markdown / LaTeX: every math fragment (hovers ask about any of them)
    math: tuple[notes.Math, ...] = ()
    #: notebooks: the code cells, by index
    cells: tuple[Cell, ...] = ()

    @property
    def programs(self) -> tuple[Unit, ...]:
        """The units whose program is judged for gradient health (claims
        are checked instead)."""
        return tuple(u for u in self.units if u.kind != "claim")

    @property
    def claims(self) -> tuple[Unit, ...]:
        return tuple(u for u in self.units if u.kind == "claim")

    def unit_at(self, offset: int) -> Unit | None:
        """The innermost program unit whose text contains ``offset``."""
        return innermost(self.programs, offset)


def read_document(text: str, kind: str | None = None, *, path: str | None = None,
                  uri: str | None = None, version: int | None = None,
                  root: str | None = None) -> Document:
    """The units of ``text``; ``kind`` is explicit or comes from ``path``
    (else ``uri``).  Never raises on bad text: see ``Document.error``.
    Python's ``path`` (or a ``file:`` ``uri``) also locates the project
    modules the file imports (under ``root``, default: the project's root
    found upwards from the file)."""
    kind = kind or kind_of(path) or kind_of(uri)
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}; expected one of {', '.join(KINDS)}")
    base = Document(kind, text, uri=uri or path, version=version)
    if len(text) > MAX_SOURCE_CHARS:
        return _with(base, error=LimitError(
            f"input is {len(text)} characters; the limit is {MAX_SOURCE_CHARS}"))
    if kind in ("python", "notebook"):
        where = (path or file_path(uri), root)
        return (_python if kind == "python" else _notebook)(base, where)
    reader = {"chain": _chain, "markdown": _notes, "latex": _notes}[kind]
    return reader(base)


def _with(doc: Document, **changes) -> Document:
    return replace(doc, **changes)


def _chain(doc: Document) -> Document:
    try:
        # an editor's next version mostly moves statements: see language.incremental
        program = incremental.parse(doc.text)
    except ChainError as exc:
        return _with(doc, error=exc)
    except RecursionError:
        return _with(doc, error=LimitError("the program is nested too deeply to read"))
    label = ", ".join(program.outputs)
    return _with(doc, units=(Unit(label, "chain", Span.at(doc.text, 0, len(doc.text)),
                                  program),))


def _python_units(text: str, cell: int | None = None, where=(None, None)):
    read = read_python(text, *where)
    units = tuple(Unit(u.name, u.kind, u.span, u.program, u.name_span, u.params, cell,
                       layers=u.layers, notes=u.notes) for u in read.units)
    return units, read.skipped, read.error


def _python(doc: Document, where=(None, None)) -> Document:
    units, skipped, error = _python_units(doc.text, None, where)
    return _with(doc, units=units, skipped=skipped, error=error)


def _notebook(doc: Document, where=(None, None)) -> Document:
    """Code cells of a notebook (nbformat 4 JSON; ``source`` a string or a
    list of lines).  Magics and shell lines (``%``, ``!``) are blanked, so a
    cell that uses them still reads, with its offsets unchanged."""
    try:
        data = json.loads(doc.text)
        raw = data["cells"]
        if not isinstance(raw, list):
            raise TypeError("cells is not a list")
    except (ValueError, KeyError, TypeError) as exc:
        return _with(doc, error=ParseError(f"not a Jupyter notebook: {exc}",
                                           Span.at(doc.text, 0)))
    cells, units, skipped = [], [], []
    for index, cell in enumerate(raw):
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown"):
            continue
        source = cell.get("source", "")
        if isinstance(source, list):  # lines; anything else in the list is no text
            source = "".join(line for line in source if isinstance(line, str))
        source = source if isinstance(source, str) else ""
        if cell.get("cell_type") == "markdown":
            # Markdown cells hold the derivations; their claims are units of
            # that cell (spans into the cell's source, as for code).
            claims, skips, _ = _claim_units(source, False, index)
            units += claims
            skipped += [replace(s, name=f"cell {index} {s.name}") for s in skips]
            continue
        cells.append(Cell(index, source))
        read, skips, error = _python_units(_blank_magics(source), index, where)
        units += read
        skipped += skips
        if error is not None:
            skipped.append(Skipped(f"cell {index}", error.span or Span.at(source, 0),
                                   f"not read: {error.message}", error))
    return _with(doc, units=tuple(units), skipped=tuple(skipped), cells=tuple(cells))


def _blank_magics(source: str) -> str:
    out = []
    for line in source.splitlines(keepends=True):
        if line.lstrip().startswith(("%", "!")):
            body = line.rstrip("\r\n")
            line = " " * len(body) + line[len(body):]
        out.append(line)
    return "".join(out)


def _claim_units(text: str, latex: bool, cell: int | None = None):
    read, skipped, math = read_note_claims(text, latex=latex)
    units = tuple(Unit(label, "claim", lhs, program, claimed_span, cell=cell, claim=claim,
                       claimed=claimed)
                  for label, lhs, program, claimed_span, claim, claimed in read)
    return units, tuple(skipped), math


def _notes(doc: Document) -> Document:
    """One unit per derivative claim (:mod:`~chainlens.engine.frontends.note_units`);
    a claim that does not parse, or does not mean one thing, is skipped with
    the reason."""
    units, skipped, math = _claim_units(doc.text, doc.kind == "latex")
    return _with(doc, units=units, skipped=skipped, math=math)


def math_expression(fragment: notes.Math) -> tuple[str, Node] | None:
    """What a math fragment of a note shows: its last right-hand side as
    written and parsed (TeX's one-token superscripts braced), or None for
    prose between dollars and constants."""
    body = fragment.text.rsplit("=", 1)[-1].strip()
    try:
        node = parse_expr(notes.tex_superscripts(body))
    except (ChainError, RecursionError):
        return None
    return (body, node) if free_symbols(node) else None
