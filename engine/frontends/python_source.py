"""Python source as chainlens programs: the front-end the language server
uses for ``.py`` files and notebook cells.

People write the math they differentiate in Python long before they write
it in a ``.chain`` file, so this module reads the part of Python that *is*
math, with the standard :mod:`ast` module (never executing anything):

* functions whose body is straight-line assignments (``+=`` too), ``for``
  loops over a literal ``range(...)`` (unrolled) and a ``return``;
* expressions built from arithmetic and the element-wise calls of
  ``math``, ``numpy``, ``torch``, ``torch.nn.functional`` and
  ``jax.numpy``/``jax.nn`` (``np.sin``, ``torch.sigmoid``, ``F.relu``...);
* module-level assignments whose right-hand side is such an expression;
* ``nn.Sequential(nn.Linear(..), nn.Sigmoid(), ...)`` stacks, read as one
  layer per ``Linear`` followed by its activation;
* model classes (``nn.Module``, Flax): :mod:`~chainlens.engine.frontends.python_modules`.

Everything else is skipped, with the reason, rather than guessed: a
function with an ``if`` in it is not a formula.  Each unit becomes a
:class:`~chainlens.engine.language.program.Program` whose spans point into the
Python text, so hovers and diagnostics land on the right characters.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from chainlens.engine.core.limits import MAX_NESTING
from chainlens.engine.core.source import ChainError, LimitError, ParseError, Span, innermost
from chainlens.engine.frontends.python_ast import (
    Offsets,
    deepest_line,
    depth_error,
    dotted,
    surrogate_error,
)
from chainlens.engine.frontends.python_builder import MATH_MODULES, Builder, Unsupported
from chainlens.engine.frontends.python_imports import read_imports
from chainlens.engine.frontends.python_modules import read_modules
from chainlens.engine.frontends.python_sequential import sequential
from chainlens.engine.language.program import Program

__all__ = ["PyUnit", "PyDocument", "Skipped", "read_python", "MATH_MODULES"]

@dataclass(frozen=True)
class PyUnit:
    """One differentiable thing in a Python file."""

    kind: str  # "function", "sequential", "module" or "expression"
    name: str
    params: tuple[str, ...]
    span: Span  # the whole def / assignment / class
    name_span: Span  # the name after ``def`` / before ``=``
    program: Program
    #: a model: (label, weight symbol, span) per layer, and what was assumed
    layers: tuple = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """A function that looked like math but used something we do not read
    (``error`` when the reason is a limit, with its place)."""

    name: str
    span: Span
    reason: str
    error: ChainError | None = None


@dataclass(frozen=True)
class PyDocument:
    units: tuple[PyUnit, ...]
    skipped: tuple[Skipped, ...] = ()
    error: ParseError | None = None

    def unit_at(self, offset: int) -> PyUnit | None:
        """The innermost unit whose text contains ``offset``."""
        return innermost(self.units, offset)


def _function(fn: ast.FunctionDef, offsets: Offsets, source: str) -> PyUnit:
    builder = Builder(offsets)
    params = tuple(a.arg for a in fn.args.posonlyargs + fn.args.args)
    result = builder.statements(fn.body)
    if result is None:
        raise Unsupported(fn, "no return expression")
    if result.op == "sym" and result.value in {a.name for a in builder.assignments}:
        output = result.value
    else:
        ret = next(s for s in ast.walk(fn) if isinstance(s, ast.Return))
        output = builder.bind(fn.name, result, ret, ret.value)
    return PyUnit("function", fn.name, params, offsets.span(fn), offsets.name_span(fn, fn.name),
                  builder.program(source, (output,)))


def _target_name(stmt: ast.stmt) -> str:
    targets = getattr(stmt, "targets", ())
    return targets[0].id if len(targets) == 1 and isinstance(targets[0], ast.Name) else "?"


def _is_sequential(value: ast.AST) -> bool:
    parts = dotted(value.func) if isinstance(value, ast.Call) else None
    return bool(parts) and parts[-1] == "Sequential"


def read_python(source: str, path: str | None = None, root: str | None = None) -> PyDocument:
    """Every function, Sequential stack and math assignment in ``source``
    that chainlens can differentiate.  A syntax error gives an empty
    document carrying the error (editors show Python's own message).
    ``path``: where the file is, so that the classes and functions it
    imports from its project (under ``root``) are read too."""
    surrogate = surrogate_error(source)
    if surrogate is not None:
        return PyDocument((), (), surrogate)
    try:
        # a leading byte-order mark (Windows editors, some notebook exports):
        # Python runs such a file, so it is read, its positions past the mark
        tree = ast.parse(source.removeprefix("\ufeff"))
    except SyntaxError as exc:
        offsets = Offsets(source)
        start = offsets.offset(exc.lineno or 1, max(0, (exc.offset or 1) - 1))
        return PyDocument((), (), ParseError(exc.msg or "invalid syntax",
                                             Span.at(source, min(start, len(source)))))
    except (RecursionError, MemoryError):
        return PyDocument((), (), LimitError(
            f"too deeply nested for Python's parser (chainlens reads expressions nested "
            f"at most {MAX_NESTING} deep)", deepest_line(source),
            hint="name the inner parts with assignments"))
    offsets = Offsets(source)
    units: list[PyUnit] = []
    skipped: list[Skipped] = []
    imported = read_imports(tree, path, root)
    models, skips, owned = read_modules(tree, offsets, source, imported)
    units += [PyUnit("module", m.name, m.params, m.span, m.name_span, m.program, m.layers,
                     m.notes) for m in models]
    skipped += [Skipped(s.name, s.span, s.reason) for s in skips]
    for stmt in ast.walk(tree):
        if stmt in owned:
            continue
        unit_root = isinstance(stmt, ast.FunctionDef) or (
            isinstance(stmt, ast.Assign) and stmt in tree.body)
        too_deep = depth_error(stmt, offsets) if unit_root else None
        if too_deep is not None:
            name = getattr(stmt, "name", None) or _target_name(stmt)
            skipped.append(Skipped(name, too_deep.span, too_deep.message, too_deep))
            continue
        try:
            if isinstance(stmt, ast.FunctionDef):
                units.append(_function(stmt, offsets, source))
            elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(
                stmt.targets[0], ast.Name
            ) and stmt in tree.body:
                target = stmt.targets[0]
                if _is_sequential(stmt.value):
                    units.append(PyUnit("sequential", target.id, ("x",), offsets.span(stmt),
                                        offsets.span(target),
                                        sequential(target, stmt.value, stmt, offsets, source)))
                elif isinstance(stmt.value, ast.BinOp | ast.Call | ast.UnaryOp):
                    builder = Builder(offsets)
                    out = builder.bind(target.id, builder.expr(stmt.value), stmt, target)
                    units.append(PyUnit("expression", target.id, (), offsets.span(stmt),
                                        offsets.span(target), builder.program(source, (out,))))
        except Unsupported as exc:
            if isinstance(stmt, ast.FunctionDef) or _is_sequential(getattr(stmt, "value", None)):
                name = getattr(stmt, "name", None) or stmt.targets[0].id
                skipped.append(Skipped(name, offsets.span(exc.node), exc.reason))
        except (RecursionError, TypeError, KeyError, ValueError, ZeroDivisionError) as exc:
            # Canonicalisation can reject input (0**-1, arity); never crash a reader.
            name = getattr(stmt, "name", "?")
            skipped.append(Skipped(name, offsets.span(stmt), str(exc) or type(exc).__name__))
    units.sort(key=lambda u: u.span.start)
    return PyDocument(tuple(units), tuple(skipped))
