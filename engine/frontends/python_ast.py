"""The ``ast`` plumbing of the Python reader: offsets and guards.

Python's :mod:`ast` counts columns in UTF-8 bytes and recurses on deep
input; editors count characters and a server must not lose its stack.
This module turns ast positions into character spans and checks, without
recursion, what the reader must refuse before it starts: lone surrogates,
and expressions nested deeper than the ``.chain`` parser's limit.
"""

from __future__ import annotations

import ast
import re

from chainlens.engine.core.limits import MAX_NESTING
from chainlens.engine.core.source import LimitError, ParseError, Span

__all__ = ["Offsets", "dotted", "depth_error", "surrogate_error", "deepest_line"]


class Offsets:
    """ast positions (line, UTF-8 byte column) -> character offsets."""

    def __init__(self, text: str):
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))

    def offset(self, line: int, col_bytes: int) -> int:
        if line - 1 >= len(self.lines):
            return len(self.text)
        # a byte-order mark is no column of Python's (it parses the text after it)
        lead = 1 if line == 1 and self.text.startswith("\ufeff") else 0
        raw = self.lines[line - 1][lead:].encode("utf-8")[:col_bytes]
        return self.starts[line - 1] + lead + len(raw.decode("utf-8", errors="ignore"))

    def span(self, node: ast.AST) -> Span:
        start = self.offset(node.lineno, node.col_offset)
        end_line = getattr(node, "end_lineno", None) or node.lineno
        end_col = getattr(node, "end_col_offset", None)
        end = self.offset(end_line, end_col) if end_col is not None else start + 1
        return Span.at(self.text, start, end)

    def name_span(self, node: ast.AST, name: str) -> Span:
        """The span of ``name`` as first written inside ``node``'s text."""
        whole = self.span(node)
        at = self.text.find(name, whole.start, whole.end)
        if at < 0:
            return whole
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            at = self.text.find(name, self.text.find("def", whole.start, whole.end) + 3, whole.end)
        return Span.at(self.text, at, at + len(name))


def dotted(node: ast.AST) -> list[str] | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return parts[::-1]


def depth_error(root: ast.AST, offsets: Offsets) -> LimitError | None:
    """A LimitError at the first place under ``root`` where an expression
    nests deeper than :data:`MAX_NESTING` (left spines of ``+``/``*`` chains
    count as flat, since the builder walks them with a list): the ``.chain``
    parser's limit, checked without recursion."""
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            return LimitError(f"expression nested more than {MAX_NESTING} deep",
                              offsets.span(node), hint="name the inner parts with assignments")
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, ast.expr):
                stack.append((child, 0))
            elif isinstance(node, ast.BinOp) and child is node.left:
                stack.append((child, depth))
            else:
                stack.append((child, depth + 1))
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def surrogate_error(source: str) -> ParseError | None:
    """Lone surrogates (from a bad decoder upstream) are not text: Python's
    parser cannot even encode them."""
    m = _SURROGATE.search(source)
    if m is None:
        return None
    return ParseError(f"lone surrogate U+{ord(m.group(0)):04X} is not text",
                      Span.at(source, m.start(), m.end()),
                      hint="decode the file as UTF-8 before reading it")


def deepest_line(source: str) -> Span:
    """Where Python's own parser most likely ran out of stack: the line
    with the most operators and brackets."""
    best, best_count, start = (0, 0), -1, 0
    for line in source.splitlines(keepends=True):
        count = sum(line.count(ch) for ch in "+-*/@()[]")
        if count > best_count:
            best, best_count = (start, start + len(line.rstrip("\r\n"))), count
        start += len(line)
    return Span.at(source, *best)
