"""The expression builder of the Python reader: arithmetic and the
element-wise calls of ``math``, ``numpy``, ``torch``, ``F`` and ``jax.numpy``
(``np.sin(x)``, ``F.relu(z)``) as engine expressions, and straight-line
statements (assignments, ``+=``, literal ``range`` loops, ``return``) as
SSA assignments with their spans.

Split from :mod:`python_source` by role: that module decides what in a file
is a unit and dispatches; this one builds a unit's statements, for it and
for :mod:`python_sequential`.
"""

from __future__ import annotations

import ast
from fractions import Fraction
from types import MappingProxyType

from chainlens.engine.core.ir import add, call, div, mul, neg, power, sub
from chainlens.engine.core.limits import MAX_REPEAT
from chainlens.engine.core.nodes import PI, E, Node, num, sym
from chainlens.engine.core.source import Span
from chainlens.engine.frontends.python_ast import Offsets, dotted
from chainlens.engine.frontends.python_layers import BINARY
from chainlens.engine.language.program import Assignment, Declaration, Program
from chainlens.engine.rules import ALIASES, COMPOSITIONS, RULES

__all__ = ["MATH_MODULES", "Builder", "Unsupported"]

#: Module prefixes whose functions are element-wise math (last dotted part
#: is looked up in the rules table).
MATH_MODULES = frozenset({
    "math", "np", "numpy", "torch", "F", "functional", "jnp", "jax", "nn", "special", "scipy",
    "cmath",
})


class Unsupported(Exception):
    def __init__(self, node: ast.AST, reason: str):
        super().__init__(reason)
        self.node = node
        self.reason = reason


def _primitive(name: str) -> str | None:
    canonical = ALIASES.get(name)
    return canonical if canonical in RULES else None


class Builder:
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
                raise Unsupported(node, "booleans are not numbers here")
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
            raise Unsupported(node, f"attribute {'.'.join(parts or ['?'])} is not math")
        if isinstance(node, ast.Call):
            return self._call(node)
        raise Unsupported(node, f"{type(node).__name__} is not an expression chainlens reads")

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
        raise Unsupported(node, f"operator {type(op).__name__} is not supported")

    def _call(self, node: ast.Call) -> Node:
        if node.keywords:
            raise Unsupported(node, "keyword arguments are not read")
        parts = dotted(node.func)
        if parts is None:
            raise Unsupported(node, "only calls of named functions are read")
        if len(parts) > 1 and parts[0] not in MATH_MODULES:
            raise Unsupported(node, f"{'.'.join(parts)} is not a math function")
        fname = parts[-1]
        args = [self.expr(a) for a in node.args]
        special = self._special(fname, args)
        if special is not None:
            return special
        prim = _primitive(fname)
        if prim is None:
            raise Unsupported(node, f"{'.'.join(parts)} is not a primitive chainlens knows")
        rule = RULES[prim]
        if rule.arity >= 0 and rule.arity != len(args):
            raise Unsupported(node, f"{fname} takes {rule.arity} argument(s)")
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
                raise Unsupported(stmt, f"{type(stmt).__name__} statements are not read")
        return result

    def _loop(self, stmt: ast.For) -> None:
        it = stmt.iter
        if not (isinstance(stmt.target, ast.Name) and isinstance(it, ast.Call)
                and isinstance(it.func, ast.Name) and it.func.id == "range"
                and 1 <= len(it.args) <= 3 and not stmt.orelse
                and all(isinstance(a, ast.Constant) and type(a.value) is int for a in it.args)):
            raise Unsupported(stmt, "only `for i in range(<literal>)` loops are unrolled")
        bounds = range(*(a.value for a in it.args))
        if len(bounds) > MAX_REPEAT:
            raise Unsupported(stmt, f"loop of {len(bounds)} steps exceeds {MAX_REPEAT}")
        var = stmt.target.id
        saved = self.env.get(var)
        for i in bounds:
            # one budget for this loop and the loops around it: nested range(300)
            # loops multiplied to 90,000 statements and held the reader for 30 s
            self._unrolled = getattr(self, "_unrolled", 0) + len(stmt.body)
            if self._unrolled > MAX_REPEAT:
                raise Unsupported(stmt, f"the loops here unroll to more than {MAX_REPEAT} "
                                        "statements")
            self.env[var] = num(i)
            if self.statements(stmt.body) is not None:
                raise Unsupported(stmt, "return inside a loop")
        if saved is None:
            self.env.pop(var, None)
        else:
            self.env[var] = saved
