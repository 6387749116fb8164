"""A Python function as a chainlens program, read from its source, never run.

``diff(lambda x: x**2)`` and ``gradient(neuron)`` work the way JAX users
expect, but without calling the function: :func:`program_of` asks
:func:`inspect.getsource` for the text, finds the ``def`` or ``lambda`` in it
with :mod:`ast`, and hands it to the Python front-end the editor uses
(:func:`chainlens.engine.frontends.document.read_document`).  So only what
that reader understands is accepted (numpy/math/torch calls, arithmetic,
local assignments, ``return``); anything else is a ChainError naming the
place, and the function's code is never executed.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from dataclasses import dataclass

from chainlens.engine.core.source import ChainError
from chainlens.engine.frontends.document import read_document
from chainlens.engine.language.program import Program

__all__ = ["is_python_function", "program_of", "FunctionProgram"]


@dataclass(frozen=True)
class FunctionProgram:
    """The program read from a function, and its parameters in order (the
    default variables to differentiate by, as ``jax.grad`` takes them)."""

    program: Program
    params: tuple[str, ...]
    name: str


def is_python_function(obj) -> bool:
    return inspect.isfunction(obj) or inspect.ismethod(obj)


def program_of(fn) -> FunctionProgram:
    """Read ``fn``'s source into a program (without calling ``fn``)."""
    fn = inspect.unwrap(fn)
    code = getattr(fn, "__code__", None)
    try:
        lines, first = inspect.getsourcelines(fn)
    except (OSError, TypeError):
        raise ChainError(f"the source of {getattr(fn, '__name__', fn)!r} is not available "
                         "(defined at the interactive prompt or in compiled code)",
                         hint="pass the expression as text, or define the function in a "
                              "file or notebook cell") from None
    source = textwrap.dedent("".join(lines))
    if fn.__name__ == "<lambda>":
        source, name = _lambda_as_def(source, code), "f"
    else:
        name = fn.__name__
    doc = read_document(source, "python")
    if doc.error is not None and not doc.units:
        raise doc.error
    for unit in doc.units:
        if unit.kind == "function" and unit.label == name:
            return FunctionProgram(unit.program, tuple(unit.params), name)
    why = next((s.reason for s in doc.skipped if s.name == name), "its body is not math the "
               "Python reader follows")
    raise ChainError(f"cannot read {name}() as math: {why}",
                     hint="return one expression of numpy/math/torch calls and arithmetic")


def _lambda_as_def(source: str, code) -> str:
    """The lambda of ``code`` inside ``source`` (the lines around it) as
    ``def f(params): return body``: from each ``lambda`` keyword, the longest
    text that parses as a lambda with ``code``'s parameters."""
    params = tuple(code.co_varnames[:code.co_argcount]) if code is not None else ()
    flat = " ".join(source.split("\n"))
    found = []
    start = flat.find("lambda")
    while start >= 0:
        for end in range(len(flat), start, -1):
            try:
                node = ast.parse(flat[start:end].strip(), mode="eval").body
            except SyntaxError:
                continue
            if isinstance(node, ast.Lambda):
                if tuple(a.arg for a in node.args.args) == params:
                    found.append(node)
                break
        start = flat.find("lambda", start + 6)
    bodies = {ast.unparse(n.body) for n in found if not _nested(n, found)}
    if len(bodies) != 1:
        raise ChainError(f"{len(bodies)} lambdas with parameters ({', '.join(params)}) on "
                         "these lines; cannot tell which one is meant",
                         hint="give the function a name with def")
    return f"def f({', '.join(params)}):\n    return {bodies.pop()}\n"


def _nested(node: ast.Lambda, others: list) -> bool:
    """Whether ``node`` sits inside another lambda found on the same lines."""
    return any(o is not node and any(n is node or ast.dump(n) == ast.dump(node)
                                     for n in ast.walk(o.body)) for o in others)
