"""Text -> :class:`Program`: the ``.chain`` language and the math notations it reads.

``parse(source)`` reads a whole ``.chain`` program; ``parse_expr(text)`` reads
one expression.  ASCII (``1/(1+exp(-x))``), LaTeX (``\\frac{1}{1+e^{-x}}``) and
numpy/torch spellings (``1/(1+np.exp(-x))``) give the *same* node, because
every node is built through the canonicalising constructors of
:mod:`chainlens.engine.core.ir` and every function name through the one rules table.

The work is done in stages: :mod:`chainlens.engine.language.syntax` shapes text
into syntax nodes (lark LALR, contextual lexer; :mod:`~chainlens.engine.language.errors`
words its errors); :mod:`chainlens.engine.language.exprs` turns expressions into IR
with every name resolved; this module handles the statements with the whole
program in view -- assignments and their SSA versions, user functions,
declarations, points, ``repeat`` layers -- and records where each node was
written (``Program.spans``).

Decisions a reader may look for:

* ``x y`` is a product, like ``2x``; a number never follows a factor (``x 2`` is
  an error).  Juxtaposition binds like ``*``, left to right: ``1/2x`` = x/2.
* ``x(x+1)`` is a product when ``x`` is a variable (assigned, declared, a
  single letter or a Greek letter); ``foo(x)`` with an unknown multi-letter
  name is an "unknown function" error with the nearest known name.
* A name read before any assignment is an input; a later assignment to it
  makes a new version (``a@2``), exactly like rebinding inside ``repeat``.
* ``\\log`` and ``log`` are natural logarithms; ``\\sin^{-1}`` is ``asin``.
"""

from __future__ import annotations

from types import MappingProxyType

from chainlens.engine.core import nodes, walk
from chainlens.engine.core.limits import MAX_REPEAT, MAX_SOURCE_CHARS
from chainlens.engine.core.nodes import Node
from chainlens.engine.core.source import LimitError, ParseError, Span
from chainlens.engine.language.declarations import DeclarationLowering
from chainlens.engine.language.fastexpr import fast_expr
from chainlens.engine.language.names import MODULE_PREFIXES, known_functions
from chainlens.engine.language.program import (
    Assignment,
    Declaration,
    FunctionDef,
    Point,
    Program,
    Repeat,
)
from chainlens.engine.language.syntax import syntax
from chainlens.engine.language.syntax_tree import Lines, Syn

__all__ = ["parse", "parse_expr", "MODULE_PREFIXES", "known_functions"]

def parse(source: str) -> Program:
    """Read a ``.chain`` program (a bare expression is a one-output program).

    Raises :class:`ParseError` (with line, column, span, what was expected and
    a hint) or :class:`LimitError`; never another exception for any text."""
    if not isinstance(source, str):
        raise TypeError("parse() takes a str")
    if len(source) > MAX_SOURCE_CHARS:
        raise LimitError(f"input is {len(source)} characters; the limit is {MAX_SOURCE_CHARS}",
                         Span.at(source, MAX_SOURCE_CHARS), source=source,
                         hint="split the input into several files")
    lines = Lines(source)
    statements = syntax(lines)
    return _Lowering(lines).program(statements)


def parse_expr(text: str) -> Node:
    """Read a single expression and return its node."""
    if isinstance(text, str):
        node = fast_expr(text)  # plain ASCII math; anything else takes lark below
        if node is not None:
            return node
    program = parse(text)
    if program.declarations or program.points or program.wrt or program.repeats \
            or program.functions or len(program.assignments) != 1 \
            or not program.assignments[0].name.startswith("_"):
        first = program.assignments[0].span if program.assignments else None
        if first is None and program.declarations:
            first = program.declarations[0].span
        if first is None and not text.strip():
            raise ParseError("expected an expression, found nothing", Span.at(text, 0, 0),
                             ("a number", "a name", "'('"), None, text)
        if first is None:
            first = Span.at(text, 0, len(text))
        raise ParseError("expected a single expression, not a program", first,
                         ("an expression",), "use parse() for .chain programs", text)
    return program.assignments[0].expr


# ---------------------------------------------------------------------------
# Statements: names, versions, functions, declarations, points, repeats
# ---------------------------------------------------------------------------


class _Lowering(DeclarationLowering):
    """One pass over the statements of one source text (state is per parse):
    assignments and their SSA versions, functions, declarations, points,
    repeat expansion."""

    def __init__(self, lines: Lines):
        super().__init__(lines)
        self.versions: dict[str, int] = {}
        self.assignments: list[Assignment] = []
        self.declarations: list[Declaration] = []
        self.points: list[Point] = []
        self.point_syn: list[Syn] = []
        self.wrt: list[tuple[str, int, int]] = []
        self.output_names: list[tuple[str, int, int]] = []
        self.expr_outputs: list[str] = []
        self.repeats: list[Repeat] = []
        self.assigned_at: dict[str, Span] = {}
        self.layers_total = 0
        self.layer: int | None = None

    # ---- program ------------------------------------------------------------
    def program(self, statements: list[Syn]) -> Program:
        for st in statements:
            self.statement(st)
        outputs = self.resolve_outputs()
        inputs = self.inputs()
        for s in self.point_syn:
            self.points.append(self.point(s, inputs))
        wrt = []
        for name, start, end in self.wrt:
            if name not in inputs:
                raise self.error(f"@wrt {name}: '{name}' is not an input of the program",
                                 start, end, expected=tuple(sorted(inputs))[:8],
                                 hint=self._computed_hint(name))
            wrt.append(name)
        spans = {node: tuple(lst) if len(lst) == 1 else _source_order(lst)
                 for node, lst in self.spans.items()}
        return Program(
            source=self.text,
            assignments=tuple(self.assignments),
            outputs=outputs,
            declarations=tuple(self.declarations),
            functions=tuple(self.functions.values()),
            points=tuple(self.points),
            wrt=tuple(dict.fromkeys(wrt)),
            repeats=tuple(self.repeats),
            spans=MappingProxyType(spans),
        )

    def inputs(self) -> set[str]:
        assigned = {a.name for a in self.assignments}
        used: set[str] = set(self.declared)
        for a in self.assignments:
            used.update(walk.free_symbols(a.expr))
        return used - assigned

    def resolve_outputs(self) -> tuple[str, ...]:
        if self.output_names:
            out = []
            for name, start, end in self.output_names:
                if name not in self.env:
                    raise self.error(f"@output {name}: no assignment to '{name}'", start, end,
                                     expected=tuple(sorted(self.env))[:8])
                out.append(self.env[name])
            return tuple(dict.fromkeys(out))
        if self.expr_outputs:
            return tuple(self.expr_outputs)
        return (self.assignments[-1].name,) if self.assignments else ()

    def statement(self, st: Syn) -> None:
        kind = st.kind
        if kind == "expr_stmt":
            node = self.expr(st.kids[0])
            name = f"_{len(self.expr_outputs) + 1}"
            sp = self.span(st)
            self.assignments.append(Assignment(name, node, sp, sp, sp, self.layer))
            self.expr_outputs.append(name)
        elif kind == "assign":
            self.assign(st)
        elif kind == "decl":
            self.declare(st)
        elif kind == "repeat":
            self.repeat(st)
        elif kind in ("at", "wrt", "output"):
            if self.loops:
                raise self.error(f"@{kind} cannot be inside a repeat block", st.start, st.end,
                                 hint="move it after the block")
            if kind == "at":
                self.point_syn.append(st)
            elif kind == "wrt":
                self.wrt.extend((self.plain_name(n, s, e), s, e) for n, s, e in st.val)
            else:
                self.output_names.extend((self.plain_name(n, s, e), s, e) for n, s, e in st.val)
        else:  # pragma: no cover - the grammar has no other statements
            raise self.error(f"unsupported statement {kind}", st.start, st.end)

    # ---- assignments and functions --------------------------------------------
    def assign(self, st: Syn) -> None:
        lhs, rhs = st.kids
        if lhs.kind == "apply":
            self.define_function(st, lhs, rhs)
            return
        if lhs.kind != "name":
            raise self.error("only a name can be assigned", lhs.start, lhs.end,
                             expected=("a name",),
                             hint="write name = expression, or f(t) = ... for a function")
        name = self.plain_name(lhs.val, lhs.start, lhs.end)
        if "." in name:
            raise self.error(f"'{name}' cannot be assigned: names have no '.'",
                             lhs.start, lhs.end)
        self.check_assignable(name, lhs)
        node = self.expr(rhs)
        ssa = self.new_version(name)
        self.assignments.append(Assignment(ssa, node, self.span(st), self.span(lhs),
                                           self.span(rhs), self.layer))
        self.assigned_at.setdefault(name, self.span(lhs))
        self.mark(nodes.sym(ssa), lhs)

    def check_assignable(self, name: str, at: Syn) -> None:
        if name in self.loops:
            raise self.error(f"'{name}' is the repeat variable and cannot be assigned",
                             at.start, at.end)
        if name in self.functions:
            raise self.error(f"'{name}' is a function (line {self.functions[name].span.line})",
                             at.start, at.end, hint="choose another name")
        if self.builtin(name) is not None:
            raise self.error(f"'{name}' is a built-in function and cannot be assigned",
                             at.start, at.end, hint="choose another name")

    def new_version(self, name: str) -> str:
        n = self.versions.get(name, 0)
        if n == 0 and (name in self.read_as_input or name in self.declared):
            n = 1  # version 1 is the input that was read before this assignment
        n += 1
        self.versions[name] = n
        ssa = name if n == 1 else f"{name}@{n}"
        self.env[name] = ssa
        return ssa

    def define_function(self, st: Syn, head: Syn, body: Syn) -> None:
        name = self.plain_name(head.val[0], head.val[1], head.val[2])
        if "." in name:
            raise self.error(f"'{name}' cannot be defined: function names have no '.'",
                             head.val[1], head.val[2])
        if name in self.env or name in self.declared or name in self.loops:
            raise self.error(f"'{name}' is a variable and cannot also be a function",
                             head.val[1], head.val[2])
        if self.builtin(name) is not None:
            raise self.error(f"'{name}' is a built-in function and cannot be redefined",
                             head.val[1], head.val[2], hint="choose another name")
        params: list[str] = []
        for p in head.kids:
            if p.kind != "name":
                raise self.error("function parameters must be plain names", p.start, p.end,
                                 expected=("a name",), hint=f"e.g. {name}(t) = t^2 + 1")
            pname = self.plain_name(p.val, p.start, p.end)
            if pname in params:
                raise self.error(f"parameter '{pname}' appears twice", p.start, p.end)
            params.append(pname)
        outer = self.params, self.defining
        self.params = {p: nodes.sym(p) for p in params}
        self.defining = name
        try:
            node = self.expr(body)
        finally:
            self.params, self.defining = outer
        if self.layer is None or name not in self.functions:
            self.functions[name] = FunctionDef(name, tuple(params), node, self.span(st))
        else:
            f = self.functions[name]
            self.functions[name] = FunctionDef(name, tuple(params), node, f.span)

    # ---- repeat ----------------------------------------------------------------
    def repeat(self, st: Syn) -> None:
        (raw, vs, ve), lo, hi, _ = st.val
        var = self.plain_name(raw, vs, ve)
        if var in self.loops:
            raise self.error(f"'{var}' is already the variable of an enclosing repeat", vs, ve)
        if hi < lo:
            raise self.error(f"the range {lo}..{hi} is empty", st.start, st.end,
                             hint=f"write {hi}..{lo} for {lo - hi + 1} layers")
        count = hi - lo + 1
        if not self.loops:  # count nested layers before expanding any of them
            self.layers_total += _layers(st)
        if count > MAX_REPEAT or self.layers_total > MAX_REPEAT:
            raise self.error(f"repeat expands to more than {MAX_REPEAT} layers", st.start,
                             ve, cls=LimitError,
                             hint=f"the limit is {MAX_REPEAT} layers per program")
        layers = []
        outer_layer = self.layer
        for k in range(lo, hi + 1):
            self.loops[var] = k
            self.layer = k
            before = len(self.assignments)
            for body in st.kids:
                self.statement(body)
            layers.append(tuple(a.name for a in self.assignments[before:]))
        del self.loops[var]
        self.layer = outer_layer
        if not self.loops:
            # Only outermost blocks are listed: a nested block's assignments
            # are part of its enclosing layer, and len(layers) == stop - start + 1.
            self.repeats.append(Repeat(var, lo, hi, self.span(st), tuple(layers)))


def _layers(st: Syn) -> int:
    """Body expansions of a repeat, nested repeats included."""
    _, lo, hi, _ = st.val
    inner = sum(_layers(k) for k in st.kids if k.kind == "repeat")
    return max(0, hi - lo + 1) * (1 + inner)


def _source_order(spans: list[Span]) -> tuple[Span, ...]:
    """Spans in source order (outer before inner at the same start), once each."""
    return tuple(dict.fromkeys(sorted(spans, key=lambda s: (s.start, -s.end))))
