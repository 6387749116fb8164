"""Statements of a model's ``forward`` that carry no new math of their own
but stopped the reader: helper functions defined inside the method
(``def stem(x): ...``), in-place tensor updates written as statements
(``scores.masked_fill_(mask, -inf)``, ``F.relu_(h)``), ``del``, ``try``,
conditional expressions on flags and ``sum(...)`` of a list of terms.

Each is read as what it computes, never guessed: an in-place update is the
out-of-place operation bound back to its name, a nested ``def`` is a
closure over the names of the method that defines it (called with the names
as they are at the call, as Python does), a ``try`` is its path without an
exception, and a conditional on data stays a skip with its reason.

:class:`Statements` is a mixin of :class:`~python_body.Body` (it uses
``fw``, ``env``, ``bound``, ``expr``, ``expr_or_unknown``, ``block`` and
``store``), split from it by role as :mod:`python_control` is.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from chainlens.engine.frontends.python_ast import dotted
from chainlens.engine.frontends.python_flax import FlaxInit, Partial
from chainlens.engine.frontends.python_values import (
    Concat,
    Const,
    DataDependent,
    Items,
    Layer,
    Lazy,
    Linear,
    Mask,
    Mod,
    Ref,
    Seq,
    Shape,
    Tensor,
    Tup,
    Unknown,
    Unsupported,
)

__all__ = ["Statements", "Nested", "LoopBreak", "LoopContinue", "NO_EFFECT_METHODS",
           "percent_format", "assume", "assumed_truth", "known_truth"]

#: in-place methods that change no value a gradient flows through
NO_EFFECT_METHODS = frozenset({"requires_grad_", "retain_grad", "share_memory_",
                               "pin_memory", "record_stream",
                               # out of place, the result dropped (``if x.is_cuda: pe.cuda()``,
                               # a no-op written as if in place): the tensor is unchanged
                               "cuda", "cpu", "to", "float", "double", "half", "contiguous"})
_TENSORS = (Tensor, Lazy, Linear, Concat)
#: steps a while loop over constants is run at most (its body is read each time)
_MAX_WHILE = 64
#: calls written as statements that compute nothing a gradient flows through
_NO_OP_CALLS = frozenset({"_assert", "_assert_async", "set_trace", "breakpoint", "synchronize",
                          "empty_cache", "warn", "warn_once",
                          "flatten_parameters",  # self.rnn.flatten_parameters(): memory layout
                          # ctx of a torch.autograd.Function's forward (python_autograd)
                          "save_for_backward", "mark_non_differentiable",
                          "set_materialize_grads"})
_LOG_LEVELS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical",
                         "log"})


class LoopBreak(Unsupported):
    """``break`` in a loop body the reader unrolls (caught by the loop; one
    outside a loop, which Python itself rejects, is a skip with a reason)."""


class LoopContinue(Unsupported):
    """``continue`` in a loop body the reader unrolls (as :class:`LoopBreak`)."""


@dataclass(eq=False)
class Nested:
    """A helper ``def`` written inside a method (``def block(i, o): ...`` in
    ``__init__``, ``def stem(x): ...`` in ``forward``): its names are those
    of the enclosing call's ``env`` (the dict itself: late-bound, as Python
    closures are); ``bound`` the instance ``self`` refers to."""

    node: ast.FunctionDef
    env: dict
    bound: object = None


class Statements:
    def other_statement(self, stmt: ast.stmt) -> bool:
        """A statement :meth:`Body.statement` has no case for; True when it
        was read (else the caller reports it as not read)."""
        if isinstance(stmt, ast.FunctionDef):
            if stmt.decorator_list:
                raise Unsupported(stmt, f"the decorated helper `{stmt.name}` defined in "
                                  "forward is not read")
            # def stem(x): ... inside forward: the names it uses are those of
            # this call when it is called (the dict itself, not a copy)
            self.env[stmt.name] = Nested(stmt, self.env, self.bound)
            return True
        if isinstance(stmt, ast.Delete):
            for target in stmt.targets:  # del x, del attn: the name is gone
                if isinstance(target, ast.Name):
                    self.env.pop(target.id, None)
            return True
        if isinstance(stmt, ast.Try):
            # the path without an exception: the body, its else, its finally
            self.block(stmt.body)
            self.block(stmt.orelse)
            self.block(stmt.finalbody)
            if stmt.handlers:
                self.fw.notes.append(f"`try` (line {stmt.lineno}): read as if nothing raises")
            return True
        if isinstance(stmt, ast.Global | ast.Nonlocal | ast.Import | ast.ImportFrom):
            return True  # names only; an import's modules are resolved by name already
        if isinstance(stmt, ast.Break):
            raise LoopBreak(stmt, "`break` outside a loop")
        if isinstance(stmt, ast.Continue):
            raise LoopContinue(stmt, "`continue` outside a loop")
        if isinstance(stmt, ast.While):
            self.while_loop(stmt)
            return True
        return False

    def while_loop(self, stmt: ast.While) -> None:
        """``while i < self.depth: ...; i += 1``: run while its test is a
        fact the reader decides (a counter of constants), at most
        _MAX_WHILE times (a `while True:` without a break costs no more);
        a test on data or on a flag is a skip."""
        why = (f"`while {ast.unparse(stmt.test)[:40]}` runs a number of times chainlens "
               "cannot count")
        for _ in range(_MAX_WHILE + 1):
            try:
                test = self.expr_or_unknown(stmt.test)
            except DataDependent:
                raise Unsupported(stmt, why) from None
            truth = (None if isinstance(test, Tensor | Lazy | Linear | Concat)
                     else known_truth(test))
            if truth is None:
                raise Unsupported(stmt, why)
            if not truth:
                self.block(stmt.orelse)
                return
            try:
                self.block(stmt.body)
            except LoopContinue:
                continue
            except LoopBreak:
                return
        raise Unsupported(stmt, f"a while loop of more than {_MAX_WHILE} steps")

    def effect(self, call: ast.expr) -> bool:
        """An expression statement with an effect on a tensor of this body:
        ``x.add_(y)``, ``scores.masked_fill_(mask, v)``, ``F.relu_(h)``,
        ``torch.sigmoid_(x)``: read as ``x = x.add(y)`` (the name holds the
        result; another name bound to the same tensor before is not
        updated, which the files read here never rely on).
        ``x.requires_grad_()`` changes no value. False for anything else."""
        parts = dotted(call.func) if isinstance(call, ast.Call) else None
        if parts and (parts[-1] in _NO_OP_CALLS or (parts[-1] in _LOG_LEVELS and any(
                "log" in p.lower() for p in parts[:-1]))):
            return True  # torch._assert(...), self.logger.info(...), pdb.set_trace()
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
            return False
        f = call.func
        if f.attr in NO_EFFECT_METHODS and isinstance(self.env.get(getattr(f.value, "id", "")),
                                                      _TENSORS):
            return True  # h.retain_grad(), x.requires_grad_()
        if not f.attr.endswith("_") or f.attr.endswith("__"):
            return False
        if isinstance(f.value, ast.Name) and f.value.id in self.env:
            owner = self.env[f.value.id]
        elif dotted(f.value):  # F, torch, nn.functional: resolved without building anything
            owner = self.expr_or_unknown(f.value)
        else:
            return False
        if isinstance(owner, _TENSORS) and isinstance(f.value, ast.Name):
            target = f.value
        elif isinstance(owner, Ref) and call.args and isinstance(call.args[0], ast.Name) and (
                isinstance(self.env.get(call.args[0].id), _TENSORS)):
            target = call.args[0]  # F.relu_(h): the function of its first argument
        else:
            return False
        pure = ast.Call(func=ast.Attribute(value=f.value, attr=f.attr[:-1], ctx=ast.Load()),
                        args=call.args, keywords=call.keywords)
        ast.copy_location(pure, call)
        ast.copy_location(pure.func, f)
        self.store(target, self.expr(pure), call)
        return True

    def if_expr(self, node: ast.IfExp):
        """``a if flag else b``: the value the flag picks; when chainlens
        cannot see the flag, the ``else`` value, and the hover says so; a
        condition on a tensor's values is a skip (never guessed)."""
        try:
            test = self.expr_or_unknown(node.test)
        except DataDependent:
            raise DataDependent(node, f"`{ast.unparse(node)[:50]}` depends on data") from None
        if isinstance(test, Mask | Tensor | Lazy | Linear | Concat):
            raise DataDependent(node, f"`{ast.unparse(node)[:50]}` depends on data")
        if isinstance(test, Const):
            return self.expr(node.body if test.value else node.orelse)
        if isinstance(test, Tup | Items | Seq):
            return self.expr(node.body if test.items else node.orelse)
        if isinstance(test, Layer | Mod):  # self.act(x) if self.act else x: a module is true
            return self.expr(node.body)
        known = assumed_truth(node.test, self.env, self.bound, self.expr_or_unknown)
        if known is not None:  # as this flag was read before (in __init__, an earlier if)
            return self.expr(node.body if known else node.orelse)
        self.fw.notes.append(f"`{ast.unparse(node)[:50]}`: read the else value (a flag "
                             "chainlens cannot see)")
        assume(node.test, False, self.env, self.bound, self.expr_or_unknown)
        return self.expr(node.orelse)

    def summed(self, args: list, node: ast.Call):
        """``sum(terms)`` / ``sum(terms, start)``: the terms added in order
        (``sum(b(x) for b in self.branches)``, a list of losses)."""
        if not args or len(args) > 2 or not isinstance(args[0], Tup | Items):
            why = args[0].why if args and isinstance(args[0], Unknown) else (
                "a list chainlens cannot count")
            raise Unsupported(node, f"sum(...) of {why}")
        terms = list(args[0].items)
        start = args[1] if len(args) == 2 else None
        if start is not None and not (isinstance(start, Const) and start.value == 0):
            terms.insert(0, start)
        if not terms:
            return Const(0)
        total = terms[0]
        for term in terms[1:]:
            total = self.fw.binop(ast.Add(), total, term, node)
        return total

    def call_hook(self, f, args: list, kwargs: dict, node: ast.Call):
        """Builtins and wrappers whose value the reader knows exactly, or
        None for any other call: ``sum``, ``len(x)``, ``isinstance``,
        ``hasattr``/``getattr`` on the module, ``reversed``, ``min``/``max``/
        ``abs`` of numbers, and ``checkpoint(fn, *args)`` (activation
        checkpointing recomputes ``fn``: the same gradient)."""
        if isinstance(f, Nested):  # a helper defined inside this method
            return self.fw.call_function(f.node, f.bound, args, kwargs, closure=f.env)
        if not isinstance(f, Ref):
            return None
        name = f.path[-1]
        if name in ("is_scripting", "is_tracing", "is_in_onnx_export", "is_compiling") and (
                f.path[0] == "torch" and not args):
            return Const(False)  # torch.jit.is_scripting(): an eager forward, as measured
        if f.path[0] != "builtins":
            if name in ("checkpoint", "checkpoint_sequential") and "checkpoint" in f.path[:-1] and (
                    len(args) >= (1 if name == "checkpoint" else 3)):
                fn, rest = (args[0], args[1:]) if name == "checkpoint" else (
                    Seq(list(args[0].items), "") if isinstance(args[0], Tup | Items) else args[0],
                    args[2:])
                return self.fw.call_value(fn, rest, {k: v for k, v in kwargs.items()
                                                     if k not in ("use_reentrant",
                                                                  "preserve_rng_state")}, node)
            return None
        if name == "sum":
            return self.summed(args, node)
        if name == "len" and len(args) == 1 and isinstance(args[0], Tensor | Lazy):
            return Const(None)  # len(x): its leading (batch or sequence) length
        if name == "isinstance" and len(args) == 2:
            return _isinstance(args[0], args[1])
        if name in ("hasattr", "getattr") and len(args) in (2, 3) and isinstance(
                args[0], Mod) and isinstance(args[1], Const) and isinstance(args[1].value, str):
            attr = args[1].value
            if attr not in args[0].attrs and "<super>" in args[0].attrs:
                return None  # a library base (class Linear(nn.Linear)) has attributes of its own
            if name == "hasattr":
                return Const(attr in args[0].attrs or attr == "training")
            if attr in args[0].attrs:
                return args[0].attrs[attr]
            if len(args) == 3:
                return args[2]
            raise Unsupported(node, f"self.{attr} is not set in __init__")
        if name == "reversed" and len(args) == 1 and isinstance(args[0], Tup | Items | Seq):
            return Tup(list(reversed(args[0].items)))
        if name in ("min", "max", "abs") and args and all(
                isinstance(a, Const) and isinstance(a.value, int | float) for a in args):
            return Const({"min": min, "max": max, "abs": abs}[name](*(a.value for a in args)))
        return None

    def other_expr(self, node: ast.expr):
        """An f-string of known parts (``getattr(self, f"fc{i}")``), else
        None."""
        if isinstance(node, ast.JoinedStr):
            parts = []
            for v in node.values:
                if isinstance(v, ast.FormattedValue) and (v.format_spec is not None
                                                          or v.conversion != -1):
                    return None
                part = self.expr_or_unknown(v.value if isinstance(v, ast.FormattedValue) else v)
                if not isinstance(part, Const):
                    return None
                parts.append(str(part.value))
            return Const("".join(parts))
        return None


    def container_method(self, owner, node: ast.Call):
        """A method of a value the reader holds exactly, or None:
        ``self.heads.items()/.values()/.keys()/.get(k)`` of a ModuleDict or
        dict, and ``"cell{}".format(i)``, ``.lower()``, ``.startswith(..)`` of
        a known string."""
        name = node.func.attr
        dict_like = isinstance(owner, Items) and owner.names is not None and (
            name == "get" or (name in ("items", "values", "keys") and not node.args))
        text = isinstance(owner, Const) and isinstance(owner.value, str) and name in (
            "format", "lower", "upper", "strip", "startswith", "endswith")
        if not (dict_like or text) or node.keywords:
            return None  # decided before any argument is evaluated: the caller does that once
        args = [self.expr_or_unknown(a) for a in node.args]
        if dict_like:
            names = owner.names
            if name == "items" and not args:
                return Tup([Tup([Const(k), v]) for k, v in names.items()])
            if name == "values" and not args:
                return Tup(list(names.values()))
            if name == "keys" and not args:
                return Tup([Const(k) for k in names])
            if name == "get" and args and isinstance(args[0], Const):
                default = args[1] if len(args) > 1 else Const(None)
                return names.get(str(args[0].value), default)
            return None
        if all(isinstance(a, Const) for a in args):
            values = [a.value for a in args]
            if name == "format" and all(re.fullmatch(r"\{\d*\}", g) for g in re.findall(
                    r"\{[^{}]*\}", owner.value.replace("{{", "").replace("}}", ""))):
                try:  # plain {} / {0} fields only: no format spec, no attribute lookup
                    return Const(owner.value.format(*values))
                except (IndexError, ValueError):
                    return None
            if name in ("lower", "upper", "strip") and not values:
                return Const(getattr(owner.value, name)())
            if name in ("startswith", "endswith") and len(values) == 1 and isinstance(
                    values[0], str):
                return Const(getattr(owner.value, name)(values[0]))
        raise Unsupported(node, f"`{ast.unparse(node)[:40]}` of values chainlens cannot see")

    def starred_store(self, target: ast.Tuple | ast.List, value, stmt) -> None:
        """``first, *rest = outs`` / ``*_, h, w = x.shape``: the starred name
        takes the middle items as a list; a shape's sizes are those of
        :meth:`Body.unpack` (the feature width last, lengths unknown)."""
        elts = target.elts
        star = next(i for i, e in enumerate(elts) if isinstance(e, ast.Starred))
        if isinstance(value, Shape):
            n = max(len(elts), 2)
            items = [Const(None)] * (n - 1) + [Const(value.of.dim.value)]
        elif isinstance(value, Tup | Items):
            items = list(value.items)
        else:
            raise Unsupported(stmt, f"unpacking {ast.unparse(stmt)[:40]} is not read")
        after = len(elts) - star - 1
        if len(items) < len(elts) - 1 or sum(isinstance(e, ast.Starred) for e in elts) > 1:
            raise Unsupported(stmt, f"unpacking {len(items)} values into {len(elts)}")
        for e, v in zip(elts[:star], items[:star], strict=True):
            self.store(e, v, stmt)
        self.store(elts[star].value, Tup(items[star:len(items) - after]), stmt)
        for e, v in zip(elts[star + 1:], items[len(items) - after:], strict=True):
            self.store(e, v, stmt)


#: what isinstance(value, T) is for the values the reader holds, by T's last name
_TENSOR_TYPES = frozenset({"Tensor", "ndarray", "Array", "Parameter"})
_PY_TYPES = {"int": int, "float": float, "bool": bool, "str": str, "tuple": tuple,
             "list": list, "dict": dict}


def _isinstance(value, kind) -> Const | Unknown:
    """``isinstance(x, tuple)``: a fact when the reader knows what ``x`` is
    (a tensor it built, a Python constant, a list), else a flag."""
    kinds = list(kind.items) if isinstance(kind, Tup) else [kind]
    names = [k.path[-1] for k in kinds if isinstance(k, Ref)]
    if len(names) != len(kinds):
        return Unknown("a flag chainlens cannot see")
    if isinstance(value, Tensor | Linear | Concat | Lazy):  # a forward input is read as a tensor
        return Const(any(n in _TENSOR_TYPES for n in names))
    if isinstance(value, Const) and value.value is not None and all(
            n in _PY_TYPES for n in names):
        return Const(isinstance(value.value, tuple(_PY_TYPES[n] for n in names)))
    if isinstance(value, Tup) and all(n in _PY_TYPES or n in _TENSOR_TYPES for n in names):
        return Const(any(n in ("tuple", "list") for n in names))
    return Unknown("a flag chainlens cannot see")


def known_truth(value) -> bool | None:
    """``if value:`` / ``while value:`` when the reader knows it: a
    constant's truth, a layer or module (an nn.Module is true), a list,
    Sequential or ModuleList of known length; None for a flag it cannot see
    or a tensor."""
    if isinstance(value, Const):
        return bool(value.value)
    if isinstance(value, Layer | Mod | Partial | FlaxInit) or (
            isinstance(value, Ref) and value.path[0] != "<tensor>"):
        return True  # a layer factory, a library function or class (`if self.norm_cls:`)
    if isinstance(value, Seq | Items | Tup):
        return bool(value.items)
    return None


def percent_format(op: ast.operator, left, right) -> Const | None:
    """``"layer%d" % i`` / ``"%s_%d" % (name, i)`` of known values with
    plain %s/%d/%i fields (no width, no precision), else None."""
    if not (isinstance(op, ast.Mod) and isinstance(left, Const) and isinstance(left.value, str)):
        return None
    values = right.items if isinstance(right, Tup) else [right]
    if not all(isinstance(v, Const) for v in values) or not all(
            f in ("%s", "%d", "%i") for f in re.findall(r"%.", left.value.replace("%%", ""))):
        return None
    try:
        return Const(left.value % tuple(v.value for v in values))
    except (TypeError, ValueError):
        return None


def _flag_places(test: ast.expr, env: dict, mod, evaluate) -> tuple[list, bool]:
    """Where a bare flag an `if` tests lives: (module, attribute) pairs
    (``self.concat``, ``self.config.birnn``, or the attributes bound to the
    name ``concat`` tested in ``__init__``), and whether ``not`` negates it."""
    negate = False
    while isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test, negate = test.operand, not negate
    places = []
    if isinstance(test, ast.Attribute):
        base = evaluate(test.value)
        if isinstance(base, Mod) and isinstance(base.attrs.get(test.attr), Unknown):
            places.append((base, test.attr))
    elif isinstance(test, ast.Name) and isinstance(mod, Mod) and isinstance(
            env.get(test.id), Unknown):
        places += [(mod, k) for k, v in mod.attrs.items() if v is env[test.id]]
    return places, negate


def assumed_truth(test: ast.expr, env: dict, mod, evaluate) -> bool | None:
    """The truth a flag chainlens cannot see was read with before (in
    ``__init__`` or an earlier ``if`` of forward), so that every reading of
    one flag takes the same side; None when it was not read yet."""
    places, negate = _flag_places(test, env, mod, evaluate)
    for base, attr in places:
        record = base.attrs.get("<assumed>", {})
        if attr in record:
            return record[attr] != negate
    return None


def assume(test: ast.expr, truth: bool, env: dict, mod, evaluate) -> None:
    """Record that the flag ``test`` reads was read as ``truth``."""
    places, negate = _flag_places(test, env, mod, evaluate)
    for base, attr in places:
        base.attrs.setdefault("<assumed>", {})[attr] = truth != negate
