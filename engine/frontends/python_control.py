"""Conditions and control flow inside a model's ``forward``: ``if`` on a
flag or a constant (never on data), guard clauses, ``for`` over a
ModuleList, a literal or unsized range or a sequence's steps, ``with``
blocks (``torch.no_grad()``), list appends, comprehensions, comparisons and
``and``/``or`` of flags.

Split from :mod:`python_body` by role: that module walks statements and
values; this one decides which statements run and how often.
:class:`Control` is a mixin of its ``Body`` (it uses ``fw``, ``expr``,
``expr_or_unknown``, ``block``, ``store`` and ``steps``).
"""

from __future__ import annotations

import ast
import operator

from chainlens.engine.core.limits import MAX_REPEAT
from chainlens.engine.frontends.python_ast import dotted
from chainlens.engine.frontends.python_statements import (
    LoopBreak,
    LoopContinue,
    assume,
    assumed_truth,
    known_truth,
)
from chainlens.engine.frontends.python_values import (
    Const,
    DataDependent,
    Items,
    Lazy,
    Linear,
    Mask,
    Ref,
    Seq,
    Shape,
    Tensor,
    Tup,
    Unknown,
    Unsupported,
)

__all__ = ["Control"]


class Control:
    def appended(self, call: ast.Call) -> bool:
        """``outputs.append(y)`` / ``.extend(ys)`` on a Python list of this body."""
        f = call.func
        if not (isinstance(call, ast.Call) and isinstance(f, ast.Attribute)
                and f.attr in ("append", "extend") and len(call.args) == 1):
            return False
        target = self.expr_or_unknown(f.value)
        if not isinstance(target, Tup):
            return False
        value = self.expr(call.args[0])
        if f.attr == "append":
            target.items.append(value)
        elif isinstance(value, Tup | Items):
            target.items.extend(value.items)
        else:
            return False
        return True

    def branch(self, stmt: ast.If) -> None:
        if _raises(stmt.body) and not stmt.orelse:
            return  # `if x.dim() != 3: raise ValueError(...)`: a guard, read as not taken
        if _nan_check(stmt):
            # `if torch.isnan(x.std()): print(...); break`: values are finite at the
            # initialisation measured (a NaN there is itself the finding), so not taken
            self.fw.notes.append(f"`if {ast.unparse(stmt.test)[:40]}`: a NaN/inf check, read "
                                 "as not taken (the values measured are finite)")
            return
        try:
            test = self.expr_or_unknown(stmt.test)
        except DataDependent:
            raise DataDependent(stmt, f"`if {ast.unparse(stmt.test)[:40]}` depends on "
                                "data") from None
        if isinstance(test, Mask):
            raise DataDependent(stmt, f"`if {ast.unparse(stmt.test)[:40]}` depends on data")
        truth = known_truth(test)
        if truth is not None:  # a constant, a layer, a list of known length
            self.block(stmt.body if truth else stmt.orelse)
            return
        if isinstance(test, Unknown | Ref):
            known = assumed_truth(stmt.test, self.env, self.bound, self.expr_or_unknown)
            if known is not None:  # as this flag was read before (in __init__, an earlier if)
                self.block(stmt.body if known else stmt.orelse)
                return
            # a constructor flag chainlens cannot evaluate: the default (else)
            # branch when there is one, else the body; the hover says so
            pick_else = bool(stmt.orelse) and not _raises(stmt.orelse)
            assume(stmt.test, not pick_else, self.env, self.bound, self.expr_or_unknown)
            self.fw.notes.append(f"`if {ast.unparse(stmt.test)[:40]}`: read the "
                                 f"{'else' if pick_else else 'if'} branch (a flag)")
            self.block(stmt.orelse if pick_else else stmt.body)
            return
        raise Unsupported(stmt, f"`if {ast.unparse(stmt.test)[:40]}` depends on data")

    def with_block(self, stmt: ast.With) -> None:
        """``with torch.no_grad():`` — what its body computes carries no
        gradient (each name it binds becomes an input); any other context
        (autocast, an SDP-kernel choice, a profiler) changes no gradient."""
        names = [(dotted(item.context_expr.func) if isinstance(item.context_expr, ast.Call)
                  else dotted(item.context_expr)) or [""] for item in stmt.items]
        self.block(stmt.body)
        if not any(n[-1] in ("no_grad", "inference_mode") for n in names):
            return
        for target in {t.id for s in stmt.body for t in ast.walk(s)
                       if isinstance(t, ast.Name) and isinstance(t.ctx, ast.Store)}:
            value = self.env.get(target)
            if isinstance(value, Linear):
                value = self.fw.tensor(value, stmt)
            if isinstance(value, Tensor):
                node = self.fw.declare(f"{target}_no_grad", "input", (value.dim,),
                                       self.fw.offsets.span(stmt), "input")
                self.fw.inputs.append(node.value)
                self.env[target] = Tensor(node, value.dim, value.scalar)
        self.fw.notes.append("values computed under torch.no_grad() are inputs (no gradient "
                             "flows back through them)")

    def loop(self, stmt: ast.For) -> None:
        it = self.expr_or_unknown(stmt.iter)
        items = None
        if isinstance(it, Items | Seq | Tup):
            items = list(it.items)
        elif isinstance(it, Tensor | Lazy):  # for x_t in x: its time steps
            items = self.steps(it, stmt.iter)
        if items is None and isinstance(it, Unknown):  # self.children(), a list not fixed
            raise Unsupported(stmt, f"`for … in {ast.unparse(stmt.iter)[:40]}`: {it.why}")
        if items is None:
            raise Unsupported(stmt, f"`for … in {ast.unparse(stmt.iter)[:40]}` is not a "
                              "ModuleList or a literal range")
        if len(items) > MAX_REPEAT:
            raise Unsupported(stmt, f"a loop of {len(items)} steps exceeds {MAX_REPEAT}")
        if stmt.orelse:
            raise Unsupported(stmt, "for … else is not read")
        for item in items:
            self.store(stmt.target, item, stmt)
            try:
                self.block(stmt.body)
            except LoopContinue:
                continue
            except LoopBreak:  # `if i == self.stop: break` on a constant or a flag
                break

    def boolean(self, node: ast.BoolOp):
        """``a and b`` / ``a or b`` of flags: a constant when the constants
        decide it, a flag chainlens cannot see when one is such a flag
        (``input.is_cuda and self.ngpu > 1``), data-dependent only when a
        tensor's values take part."""
        values = [self.expr_or_unknown(v) for v in node.values]
        if any(isinstance(v, Tensor | Lazy | Linear) for v in values):
            raise DataDependent(node, f"`{ast.unparse(node)[:40]}` depends on data")
        decisive = isinstance(node.op, ast.Or)  # a true value decides `or`, a false one `and`
        if any(isinstance(v, Const) and bool(v.value) == decisive for v in values):
            return Const(decisive)
        if all(isinstance(v, Const) for v in values):
            return Const(not decisive)
        return Unknown("a flag chainlens cannot see")

    def compare(self, node: ast.Compare):
        left = self.expr_or_unknown(node.left)
        right = self.expr_or_unknown(node.comparators[0])
        op = node.ops[0]
        if isinstance(op, ast.Is | ast.IsNot) and isinstance(right, Const) and (
                right.value is None):
            is_none = isinstance(left, Const) and left.value is None
            if isinstance(left, Unknown | Ref) and not (isinstance(left, Ref) and (
                    left.path[0] != "<tensor>")):
                return Unknown("a flag chainlens cannot see")  # a flag, a tensor attribute
            return Const(is_none if isinstance(op, ast.Is) else not is_none)
        if isinstance(op, ast.In | ast.NotIn) and isinstance(left, Const) and isinstance(
                right, Tup | Items) and all(isinstance(v, Const) for v in right.items):
            # self.norm in ("batch", "layer"), i in self.skips: a fact of constants
            found = left.value in [v.value for v in right.items]
            return Const(found if isinstance(op, ast.In) else not found)
        if isinstance(left, Const) and isinstance(right, Const):
            if (left.value is None) != (right.value is None) and isinstance(
                    left.value if right.value is None else right.value, int | float):
                # x.size(0) == 1: a batch or sequence length the file does not fix
                return Unknown("a length chainlens does not fix")
            return Const(_compare(op, left.value, right.value))
        if isinstance(left, Shape) or isinstance(right, Shape):
            # x.shape != out_shape: a fact about sizes, not data, which the
            # file does not fix here: a flag (the hover names the branch read)
            if isinstance(left, Shape) and isinstance(right, Shape) and (
                    left.of.node is right.of.node) and isinstance(op, ast.Eq | ast.NotEq):
                return Const(isinstance(op, ast.Eq))  # x.shape == x.shape
            return Unknown("a shape chainlens does not fix")
        if isinstance(left, Tensor | Lazy) or isinstance(right, Tensor | Lazy):
            return Mask()  # adj > 0: a mask (an `if` on it depends on data)
        return Unknown("a flag chainlens cannot see")

    def comprehension(self, node):
        """``[blk(x) for blk in self.blocks]`` over a list this body knows;
        over anything else a list chainlens cannot count."""
        gen = node.generators[0]
        it = self.expr_or_unknown(gen.iter)
        if not isinstance(it, Tup | Items | Seq) or len(it.items) > MAX_REPEAT:
            return Unknown(f"`{ast.unparse(node)[:40]}` is a list chainlens cannot count")
        out = []
        for item in it.items:
            self.store(gen.target, item, node)
            # [l(x) for i, l in enumerate(self.layers) if i in self.keep]: filters
            # the reader decides; one it cannot makes the list uncountable
            keep = [known_truth(self.expr_or_unknown(c)) for c in gen.ifs]
            if any(k is None for k in keep):
                return Unknown(f"`{ast.unparse(node)[:40]}` is filtered by a condition "
                               "chainlens cannot decide")
            if all(keep):
                out.append(self.expr(node.elt))
        return Tup(out)


def _raises(body: list) -> bool:
    """A block that ends by raising (a guard clause), perhaps after a warning."""
    return bool(body) and isinstance(body[-1], ast.Raise) and all(
        isinstance(s, ast.Raise | ast.Expr | ast.Pass | ast.Assign) for s in body)


_NAN_TESTS = frozenset({"isnan", "isinf"})


def _nan_check(stmt: ast.If) -> bool:
    """``if torch.isnan(x).any():`` (isnan / isinf, perhaps under .any() /
    .all()) whose body only logs then breaks or raises, with no else: a check
    that changes nothing while values are finite."""
    test = stmt.test
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) and (
            test.func.attr in ("any", "all", "item")) and not test.args:
        test = test.func.value
    if not (isinstance(test, ast.Call) and (dotted(test.func) or [""])[-1] in _NAN_TESTS):
        return False
    body = stmt.body
    return not stmt.orelse and bool(body) and isinstance(body[-1], ast.Break | ast.Raise) and all(
        isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) and (
            dotted(s.value.func) or [""])[0] in ("print", "logger", "logging", "warnings")
        for s in body[:-1])


def _compare(op, a, b) -> bool:
    table = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Gt: operator.gt,
             ast.Lt: operator.lt, ast.GtE: operator.ge, ast.LtE: operator.le,
             ast.In: lambda x, y: x in y, ast.NotIn: lambda x, y: x not in y}
    try:
        return bool(table[type(op)](a, b))
    except (KeyError, TypeError):
        return False
