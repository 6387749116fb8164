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
from fractions import Fraction
from types import MappingProxyType

from chainlens.engine.core.ir import add, call, div, mul, neg, power, sub
from chainlens.engine.core.limits import MAX_NESTING, MAX_REPEAT
from chainlens.engine.core.nodes import PI, E, Node, num, sym
from chainlens.engine.core.source import ChainError, LimitError, ParseError, Span, innermost
from chainlens.engine.frontends.python_ast import (
    Offsets,
    deepest_line,
    depth_error,
    dotted,
    surrogate_error,
)
from chainlens.engine.frontends.python_layers import BINARY
from chainlens.engine.frontends.python_modules import read_modules
from chainlens.engine.health.init import init_range
from chainlens.engine.language.program import Assignment, Declaration, Program
from chainlens.engine.rules import ALIASES, COMPOSITIONS, MODULES, RULES

__all__ = ["PyUnit", "PyDocument", "Skipped", "read_python", "MATH_MODULES"]

#: Module prefixes whose functions are element-wise math (last dotted part
#: is looked up in the rules table).
MATH_MODULES = frozenset({
    "math", "np", "numpy", "torch", "F", "functional", "jnp", "jax", "nn", "special", "scipy",
    "cmath",
})


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


class _Unsupported(Exception):
    def __init__(self, node: ast.AST, reason: str):
        super().__init__(reason)
        self.node = node
        self.reason = reason


def _primitive(name: str) -> str | None:
    canonical = ALIASES.get(name)
    return canonical if canonical in RULES else None


class _Builder:
    """Translates one unit's statements into SSA assignments."""

    def __init__(self, offsets: Offsets):
        self.offsets = offsets
        self.env: dict[str, Node] = {}
        self.versions: dict[str, int] = {}
        self.assignments: list[Assignment] = []
        self.declarations: list[Declaration] = []
        self.spans: dict[Node, list[Span]] = {}

    # ---- bookkeeping -----------------------------------------------------
    def note(self, node: Node, where: ast.AST) -> Node:
        self.spans.setdefault(node, []).append(self.offsets.span(where))
        return node

    def bind(self, name: str, expr: Node, stmt: ast.AST, target: ast.AST) -> str:
        count = self.versions.get(name, 0) + 1
        self.versions[name] = count
        ssa = name if count == 1 else f"{name}@{count}"
        self.assignments.append(Assignment(
            name=ssa, expr=expr, span=self.offsets.span(stmt),
            name_span=self.offsets.span(target),
            expr_span=self.offsets.span(getattr(stmt, "value", stmt)),
        ))
        self.env[name] = sym(ssa)
        return ssa

    def program(self, source: str, outputs: tuple[str, ...]) -> Program:
        return Program(
            source=source, assignments=tuple(self.assignments), outputs=outputs,
            declarations=tuple(self.declarations),
            spans=MappingProxyType({k: tuple(v) for k, v in self.spans.items()}),
        )

    # ---- expressions -----------------------------------------------------
    def expr(self, node: ast.AST) -> Node:
        return self.note(self._expr(node), node)

    def _expr(self, node: ast.AST) -> Node:
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            if isinstance(node.value, bool):
                raise _Unsupported(node, "booleans are not numbers here")
            return num(Fraction(repr(node.value)) if isinstance(node.value, float)
                       else node.value)
        if isinstance(node, ast.Name):
            return self.env.get(node.id, sym(node.id))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            inner = self.expr(node.operand)
            return neg(inner) if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.Attribute):
            parts = dotted(node)
            if parts and parts[0] in MATH_MODULES and parts[-1] == "pi":
                return PI
            if parts and parts[0] in MATH_MODULES and parts[-1] == "e":
                return E
            raise _Unsupported(node, f"attribute {'.'.join(parts or ['?'])} is not math")
        if isinstance(node, ast.Call):
            return self._call(node)
        raise _Unsupported(node, f"{type(node).__name__} is not an expression chainlens reads")

    def _binop(self, node: ast.BinOp) -> Node:
        # ``x0 + x1 + ... + x999`` is a left spine 1,000 deep: walk it with a
        # list, not the stack, folding in the order the recursion would.
        spine = [node]
        while isinstance(spine[-1].left, ast.BinOp):
            spine.append(spine[-1].left)
        acc = self.expr(spine[-1].left)
        for inner in reversed(spine[1:]):
            acc = self.note(self._apply(inner, acc, self.expr(inner.right)), inner)
        return self._apply(node, acc, self.expr(node.right))

    @staticmethod
    def _apply(node: ast.BinOp, a: Node, b: Node) -> Node:
        op = node.op
        if isinstance(op, ast.Add):
            return add(a, b)
        if isinstance(op, ast.Sub):
            return sub(a, b)
        if isinstance(op, ast.Mult):
            return mul(a, b)
        if isinstance(op, ast.Div):
            return div(a, b)
        if isinstance(op, ast.Pow):
            return power(a, b)
        if isinstance(op, ast.MatMult) and "matmul" in RULES:
            return call("matmul", a, b)
        raise _Unsupported(node, f"operator {type(op).__name__} is not supported")

    def _call(self, node: ast.Call) -> Node:
        if node.keywords:
            raise _Unsupported(node, "keyword arguments are not read")
        parts = dotted(node.func)
        if parts is None:
            raise _Unsupported(node, "only calls of named functions are read")
        if len(parts) > 1 and parts[0] not in MATH_MODULES:
            raise _Unsupported(node, f"{'.'.join(parts)} is not a math function")
        fname = parts[-1]
        args = [self.expr(a) for a in node.args]
        special = self._special(fname, args)
        if special is not None:
            return special
        prim = _primitive(fname)
        if prim is None:
            raise _Unsupported(node, f"{'.'.join(parts)} is not a primitive chainlens knows")
        rule = RULES[prim]
        if rule.arity >= 0 and rule.arity != len(args):
            raise _Unsupported(node, f"{fname} takes {rule.arity} argument(s)")
        return call(prim, *args)

    @staticmethod
    def _special(fname: str, args: list[Node]) -> Node | None:
        """numpy spellings that are compositions rather than primitives."""
        composed = COMPOSITIONS.get(fname)
        if composed is not None and composed.arity == len(args):
            return composed.build(*args)
        if fname in ("matmul", "dot") and len(args) == 2 and "matmul" in RULES:
            return call("matmul", args[0], args[1])
        if fname in BINARY and len(args) == 2:
            return BINARY[fname](*args)
        return None

    # ---- statements ------------------------------------------------------
    def statements(self, body: list[ast.stmt]) -> Node | None:
        """Run straight-line ``body``; the returned expression, if any."""
        result = None
        for stmt in body:
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
                continue  # docstring
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(
                stmt.targets[0], ast.Name
            ):
                self.bind(stmt.targets[0].id, self.expr(stmt.value), stmt, stmt.targets[0])
            elif isinstance(stmt, ast.AnnAssign) and stmt.value and isinstance(
                stmt.target, ast.Name
            ):
                self.bind(stmt.target.id, self.expr(stmt.value), stmt, stmt.target)
            elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
                synthetic = ast.BinOp(left=ast.Name(id=stmt.target.id), op=stmt.op,
                                      right=stmt.value)
                ast.copy_location(synthetic, stmt)
                ast.copy_location(synthetic.left, stmt.target)
                self.bind(stmt.target.id, self.expr(synthetic), stmt, stmt.target)
            elif isinstance(stmt, ast.For):
                self._loop(stmt)
            elif isinstance(stmt, ast.Return) and stmt.value is not None:
                result = self.expr(stmt.value)
                break
            elif isinstance(stmt, ast.Pass):
                continue
            else:
                raise _Unsupported(stmt, f"{type(stmt).__name__} statements are not read")
        return result

    def _loop(self, stmt: ast.For) -> None:
        it = stmt.iter
        if not (isinstance(stmt.target, ast.Name) and isinstance(it, ast.Call)
                and isinstance(it.func, ast.Name) and it.func.id == "range"
                and 1 <= len(it.args) <= 3 and not stmt.orelse
                and all(isinstance(a, ast.Constant) and type(a.value) is int for a in it.args)):
            raise _Unsupported(stmt, "only `for i in range(<literal>)` loops are unrolled")
        bounds = range(*(a.value for a in it.args))
        if len(bounds) > MAX_REPEAT:
            raise _Unsupported(stmt, f"loop of {len(bounds)} steps exceeds {MAX_REPEAT}")
        var = stmt.target.id
        saved = self.env.get(var)
        for i in bounds:
            self.env[var] = num(i)
            if self.statements(stmt.body) is not None:
                raise _Unsupported(stmt, "return inside a loop")
        if saved is None:
            self.env.pop(var, None)
        else:
            self.env[var] = saved


def _function(fn: ast.FunctionDef, offsets: Offsets, source: str) -> PyUnit:
    builder = _Builder(offsets)
    params = tuple(a.arg for a in fn.args.posonlyargs + fn.args.args)
    result = builder.statements(fn.body)
    if result is None:
        raise _Unsupported(fn, "no return expression")
    if result.op == "sym" and result.value in {a.name for a in builder.assignments}:
        output = result.value
    else:
        ret = next(s for s in ast.walk(fn) if isinstance(s, ast.Return))
        output = builder.bind(fn.name, result, ret, ret.value)
    return PyUnit("function", fn.name, params, offsets.span(fn), offsets.name_span(fn, fn.name),
                  builder.program(source, (output,)))


def _sequential(target: ast.Name, value: ast.Call, stmt: ast.stmt, offsets: Offsets,
                source: str) -> PyUnit:
    """``nn.Sequential(Linear, act, Linear, act...)``: layer k is
    ``z_k = W_k @ a + b_k`` (``w_k * a + b_k`` when no tensor rules are
    loaded) followed by its activation."""
    builder = _Builder(offsets)
    tensors = "matmul" in RULES
    a: Node = sym("x")
    width: int | None = None
    layer = 0
    for item in value.args:
        parts = dotted(item.func) if isinstance(item, ast.Call) else None
        kind = parts[-1] if parts else None
        if kind == "Linear":
            dims = [x.value for x in item.args if isinstance(x, ast.Constant)]
            if len(dims) < 2 or not all(type(d) is int for d in dims[:2]):
                raise _Unsupported(item, "Linear needs literal in/out sizes")
            layer += 1
            w, b = sym(f"W_{layer}" if tensors else f"w_{layer}"), sym(f"b_{layer}")
            if tensors:
                if width is None:
                    width = dims[0]
                    builder.declarations.append(Declaration(
                        "x", "input", (dims[0],), offsets.span(item), _init("input", 1)))
                # PyTorch's default initialisation: U(±1/√fan_in) for both
                builder.declarations.append(Declaration(
                    w.value, "param", (dims[1], dims[0]), offsets.span(item),
                    _init("torch-weight", dims[0]), layer=layer, init="torch-weight"))
                builder.declarations.append(Declaration(
                    b.value, "param", (dims[1],), offsets.span(item),
                    _init("torch-bias", dims[0]), layer=layer, init="torch-bias"))
                z = add(call("matmul", w, a), b)
            else:
                z = add(mul(w, a), b)
            builder.note(z, item)
            a = sym(builder.bind(f"z_{layer}", z, item, item))
        elif kind in MODULES:
            act = builder.note(call(MODULES[kind], a), item)
            a = sym(builder.bind("a", act, item, item))
        else:
            raise _Unsupported(item, f"layer {kind or '?'} is not read")
    if not builder.assignments:
        raise _Unsupported(value, "empty Sequential")
    return PyUnit("sequential", target.id, ("x",), offsets.span(stmt), offsets.span(target),
                  builder.program(source, (builder.assignments[-1].name,)))


def _init(kind: str, fan_in: int) -> tuple[Fraction, Fraction]:
    lo, hi = init_range(kind, fan_in)
    return Fraction(lo).limit_denominator(10**9), Fraction(hi).limit_denominator(10**9)


def _target_name(stmt: ast.stmt) -> str:
    targets = getattr(stmt, "targets", ())
    return targets[0].id if len(targets) == 1 and isinstance(targets[0], ast.Name) else "?"


def _is_sequential(value: ast.AST) -> bool:
    parts = dotted(value.func) if isinstance(value, ast.Call) else None
    return bool(parts) and parts[-1] == "Sequential"


def read_python(source: str) -> PyDocument:
    """Every function, Sequential stack and math assignment in ``source``
    that chainlens can differentiate.  A syntax error gives an empty
    document carrying the error (editors show Python's own message)."""
    surrogate = surrogate_error(source)
    if surrogate is not None:
        return PyDocument((), (), surrogate)
    try:
        tree = ast.parse(source)
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
    models, skips, owned = read_modules(tree, offsets, source)
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
                    units.append(_sequential(target, stmt.value, stmt, offsets, source))
                elif isinstance(stmt.value, ast.BinOp | ast.Call | ast.UnaryOp):
                    builder = _Builder(offsets)
                    out = builder.bind(target.id, builder.expr(stmt.value), stmt, target)
                    units.append(PyUnit("expression", target.id, (), offsets.span(stmt),
                                        offsets.span(target), builder.program(source, (out,))))
        except _Unsupported as exc:
            if isinstance(stmt, ast.FunctionDef) or _is_sequential(getattr(stmt, "value", None)):
                name = getattr(stmt, "name", None) or stmt.targets[0].id
                skipped.append(Skipped(name, offsets.span(exc.node), exc.reason))
        except (RecursionError, TypeError, KeyError, ValueError, ZeroDivisionError) as exc:
            # Canonicalisation can reject input (0**-1, arity); never crash a reader.
            name = getattr(stmt, "name", "?")
            skipped.append(Skipped(name, offsets.span(stmt), str(exc) or type(exc).__name__))
    units.sort(key=lambda u: u.span.start)
    return PyDocument(tuple(units), tuple(skipped))
