"""Where the file builds a module class: the arguments it is read with.

A class whose ``__init__`` requires arguments (``VGG(features)``,
``EncoderLayer(size, self_attn, feed_forward, dropout)``) has its layers
and sizes decided elsewhere in the file, as real code does: in a factory
(``def vgg16(): return VGG(make_layers(cfg['D']))``), in a ``make_model()``
whose locals build the parts (``attn = MultiHeadedAttention(h, d_model)``,
``c = copy.deepcopy``), at module level (``model = Net(784, 128, 10)``,
``Net(**config)``) or from command-line defaults
(``parser.add_argument("--hidden", type=int, default=256)`` then
``Net(args.hidden)``).  This module finds that construction and evaluates
its arguments there, with the reader's own :class:`InitReader` (never
running anything): the enclosing function's parameters at their defaults
(or at the arguments of the file's own call of it) and its statements
before the construction read as ``__init__``'s are.

The first construction is read (``__all__``'s order is the file's order);
the hover says which one, and how many other sites build the class with
other arguments.  An argument no site fixes stays :class:`Unknown` (the
typical-width assumption, said in the hover), never a guess.
"""

from __future__ import annotations

import ast
import dataclasses

from chainlens.engine.core.limits import MAX_REPEAT
from chainlens.engine.frontends.python_ast import dotted
from chainlens.engine.frontends.python_values import (
    Const,
    Func,
    Items,
    Layer,
    Mod,
    Param,
    Seq,
    Tup,
    Unknown,
)

__all__ = ["Scope", "Recorded", "Changed", "site_scope", "site_arguments", "record_call",
           "note_site", "gives_arguments", "named_submodule"]


class Changed(Unknown):
    """A value the site gives but the file changes before the call
    (``cfg.depth = 2``): unknown, and never replaced by the parameter's
    default or a config class's defaults (:meth:`InitReader._bind`)."""

    given = True


def _squashed(name: str) -> str:
    return name.replace("_", "").lower()


def named_submodule(param: str, classes: dict, current: ast.ClassDef) -> ast.ClassDef | None:
    """The module class of the file a required ``__init__`` argument names
    (``SiameseNet(embedding_net)`` beside ``class EmbeddingNet``; ``encoder``
    beside ``class Encoder``), when exactly one class is spelled so, it is
    not ``current`` and it is built with no arguments; else None (the
    argument stays unknown, the skip naming it).  A hyper-parameter
    (``margin``, ``n_classes``) names no class, so is never resolved so."""
    found = [c for name, c in classes.items() if _squashed(name) == _squashed(param)
             and "." not in name and c is not current]
    if len(found) != 1:
        return None
    init = next((s for s in found[0].body if isinstance(s, ast.FunctionDef)
                 and s.name == "__init__"), None)
    if init is not None:
        required = len(init.args.posonlyargs + init.args.args) - 1 - len(init.args.defaults)
        if required > 0 or any(d is None for d in init.args.kw_defaults):
            return None
    return found[0]


def gives_arguments(made) -> bool:
    """Does a construction pass anything (``Net(depth=2)``)?  A class whose
    parameters all have defaults is read with them then, as the file
    builds it, not with its defaults."""
    if isinstance(made, Recorded):
        return bool(made.args or made.kwargs)
    return isinstance(made, ast.Call) and bool(made.args or made.keywords)


@dataclasses.dataclass(frozen=True)
class Recorded:
    """Where another class of the file builds a class: copies of the
    argument values there (:mod:`python_site_pass`)."""

    args: tuple
    kwargs: tuple  # (name, value) pairs
    line: int
    text: str
    builder: str

#: how deep top-level names are followed (``model = Net(enc)`` after ``enc = Encoder(d)``)
_SCOPE_DEPTH = 4


class Scope(dict):
    """The file's top-level ``name = value`` expressions (a dict, as the
    reader used before), and where each construction sits: ``enclosing``
    maps a call's id to (the function holding it, the index of the
    statement of that function's body that holds it); ``calls``: every
    call of a bare name, by name, in file order."""

    def __init__(self, names: dict, tree: ast.Module):
        super().__init__(names)
        self.tree = tree
        self.enclosing: dict[int, tuple[ast.FunctionDef, int]] = {}
        self.calls: dict[str, list[ast.Call]] = {}
        self.options: dict[str, ast.Dict] = {}  # args = parser.parse_args(): its defaults
        self.parsers: set[str] = set()  # def get_args(): ...; return parser.parse_args()
        #: each top-level name's assignments and changes in file order: (line, value),
        #: value None where a statement changes it (cfg.depth = 2, sizes[0] = 2,
        #: config.update(...), depth //= 10): its value after that is not read
        self.history: dict[str, list[tuple[int, ast.expr | None]]] = {}
        #: record types of the file: dataclasses, NamedTuple classes, namedtuple(...)
        #: calls, by name -> their fields in order, each with its default (or None)
        self.records: dict[str, list[tuple[str, ast.expr | None]]] = {}


def site_scope(tree: ast.Module, names: dict) -> Scope:
    """``names`` (the top-level assignments) with the places of the
    file's calls and its command-line defaults."""
    scope = Scope(names, tree)
    for stmt in tree.body:
        fns = [stmt] if isinstance(stmt, ast.FunctionDef) else [
            n for n in ast.walk(stmt) if isinstance(n, ast.FunctionDef)] if isinstance(
            stmt, ast.If) else []
        for fn in fns:
            for i, inner in enumerate(fn.body):
                for node in ast.walk(inner):
                    if isinstance(node, ast.Call):
                        scope.enclosing.setdefault(id(node), (fn, i))
        if isinstance(stmt, ast.ClassDef):
            continue
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                scope.calls.setdefault(node.func.id, []).append(node)
    scope.records = _records(tree)
    scope.history = _history(tree)
    options = _options(tree)
    if options is not None:
        scope.parsers = _parser_functions(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name)
                    and _parses(node.value, scope.parsers)):
                scope.options[node.targets[0].id] = options
                if node.targets[0].id in scope:
                    scope[node.targets[0].id] = options
                scope.history[node.targets[0].id] = [  # args = parser.parse_args(): options
                    (at, options if value is node.value else value)
                    for at, value in scope.history.get(node.targets[0].id, [])]
    return scope


def site_arguments(made, scope: dict, init) -> tuple[list, dict, str]:
    """The values of ``made``'s arguments where the file writes it (a
    call, or a :class:`Recorded` site inside another class), and the
    hover's line naming the site."""
    if isinstance(made, Recorded):
        memo: dict = {}
        args = [copy_value(v, memo) for v in made.args]
        kwargs = {k: copy_value(v, memo) for k, v in made.kwargs}
        for value in list(memo.values()):  # re-initialised parts keep their laws
            if isinstance(value, Layer) and getattr(value, "init", None):
                init._init_layers().append(value)
        return args, kwargs, (f"built as {made.builder} builds it (line {made.line}): "
                              f"`{made.text[:60]}`")
    if isinstance(scope, Scope):  # Config(hidden=48) at the site: its fields, not defaults
        init.__dict__["records"] = scope.records
    place = scope.enclosing.get(id(made)) if isinstance(scope, Scope) else None
    env = _top_env(made, scope, init, line=made.lineno if place is None else None)
    where = f"line {made.lineno}"
    if place is not None:
        fn, index = place
        env = _function_env(fn, index, scope, init, env, made)
        where = f"line {made.lineno}, in {fn.name}()"
    args: list = []
    for a in made.args:
        if isinstance(a, ast.Starred):  # Net(*sizes): a written list, spread
            v = init.value(a.value, env, None)
            if isinstance(v, Items | Tup):
                args += list(v.items)
            else:  # how many it spreads is not known: every later parameter may be one
                why = getattr(v, "why", None) or f"*{ast.unparse(a.value)[:40]} is not read"
                args += [Changed(why)] * max(1, len(_parameters(made, init)) - len(args))
                break
            continue
        args.append(_given(a, init.value(a, env, None), env))
    kwargs: dict = {}
    for k in made.keywords:
        if k.arg is not None:
            kwargs[k.arg] = _given(k.value, init.value(k.value, env, None), env)
            continue
        spread = k.value  # Net(**config) of a written dict; Net(**vars(args)) of options
        if isinstance(spread, ast.Call) and isinstance(spread.func, ast.Name) and (
                spread.func.id == "vars") and len(spread.args) == 1:
            spread = spread.args[0]
        v = init.value(spread, env, None)
        if isinstance(v, Items) and v.names is not None:  # {} spreads nothing
            kwargs.update({str(name): item for name, item in v.names.items()})
        else:  # any parameter not written at the site may come from it: all unknown
            why = getattr(v, "why", None) or f"**{ast.unparse(k.value)[:40]} is not read"
            for name in _parameters(made, init):
                kwargs.setdefault(name, Changed(why))
    note = f"built as the file builds it ({where}): `{ast.unparse(made)[:60]}`"
    used = {n.id for n in ast.walk(made) if isinstance(n, ast.Name)}
    stale = list(dict.fromkeys(v.why for k, v in env.items() if k in used and isinstance(
        v, Changed)))
    if stale:  # what the reader would otherwise have taken from an earlier assignment
        note += "; " + "; ".join(stale[:2])
    others = _other_sites(made, scope)
    if others:
        note += (f"; {others} other site{'s build' if others > 1 else ' builds'} it with other "
                 "arguments (the first is read)")
    return args, kwargs, note


def _given(node: ast.AST, value, env: dict):
    """``value`` (of the site's argument ``node``) as a :class:`Changed`
    when it is unknown because a name it reads was changed before the call
    (``args.depth`` after ``args.depth = 2``): the parameter's default must
    not stand in for it."""
    if not isinstance(value, Unknown) or isinstance(value, Changed):
        return value
    stale = next((env[n.id] for n in ast.walk(node) if isinstance(n, ast.Name)
                  and isinstance(env.get(n.id), Changed)), None)
    return Changed(stale.why) if stale is not None else value


def _parameters(made: ast.Call, init) -> list[str]:
    """The ``__init__`` parameter names of the class ``made`` builds."""
    cls = init.classes.get(made.func.id) if isinstance(made.func, ast.Name) else None
    fn = next((s for s in cls.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"),
              None) if cls is not None else None
    if fn is None:
        return []
    return [a.arg for a in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs][1:]


def _top_env(node: ast.AST, scope: dict, init, depth: int = 0, line: int | None = None) -> dict:
    """Values of the top-level names ``node`` uses (each read from its last
    assignment before ``line``, or the file's last when ``line`` is None;
    names it uses in turn, a few deep).  A name a statement changes after
    that assignment (``cfg.depth = 2``) is unknown: never the stale value."""
    env: dict = {}
    if depth > _SCOPE_DEPTH:
        return env
    history = scope.history if isinstance(scope, Scope) else {}
    for n in ast.walk(node):
        if not isinstance(n, ast.Name) or n.id in env:
            continue
        events = [e for e in history.get(n.id, ()) if line is None or e[0] < line]
        if events:
            at, value = events[-1]
            env[n.id] = (Changed(f"{n.id} is changed at line {at} before it is used: its "
                                 "value there is not read") if value is None
                         else init.value(value, _top_env(value, scope, init, depth + 1, at),
                                         None))
        elif n.id in scope and not history:
            value = scope[n.id]
            env[n.id] = init.value(value, _top_env(value, scope, init, depth + 1), None)
    return env


def _function_env(fn: ast.FunctionDef, index: int, scope: Scope, init, top: dict,
                  made: ast.Call) -> dict:
    """The names of ``fn`` where its statement ``index`` runs: its
    parameters (from the file's own call of ``fn``, else their defaults;
    a parameter neither gives is unknown) and the earlier assignments
    ``made`` depends on, read as ``__init__``'s are (``attn =
    MultiHeadedAttention(h, d_model)``; an unrelated ``G.apply(init_fn)``
    is not read: its effects belong to another model)."""
    env = dict(top)
    env.update(_top_env(fn, scope, init))
    caller = next(iter(scope.calls.get(fn.name, [])), None)
    given = [init.value(a, _top_env(a, scope, init), None) for a in caller.args
             if not isinstance(a, ast.Starred)] if caller is not None else []
    named = {k.arg: init.value(k.value, _top_env(k.value, scope, init), None)
             for k in caller.keywords if k.arg} if caller is not None else {}
    params = fn.args.posonlyargs + fn.args.args
    defaults = [None] * (len(params) - len(fn.args.defaults)) + list(fn.args.defaults)
    for i, (p, d) in enumerate(zip(params, defaults, strict=True)):
        env[p.arg] = (given[i] if i < len(given) else named[p.arg] if p.arg in named
                      else init.value(d, _top_env(d, scope, init), None) if d is not None
                      else Unknown(f"{p.arg} is an argument of {fn.name}"))
    for p, d in zip(fn.args.kwonlyargs, fn.args.kw_defaults, strict=True):
        env[p.arg] = named.get(p.arg, init.value(d, {}, None) if d is not None
                               else Unknown(f"{p.arg} is an argument of {fn.name}"))
    if fn.args.vararg is not None:  # def resnet(*args): what the file's call spreads, or ()
        env[fn.args.vararg.arg] = Tup(given[len(params):])
    if fn.args.kwarg is not None:  # def convnext_tiny(**kwargs): the call's extra keywords, or {}
        known = {a.arg for a in params + fn.args.kwonlyargs}
        extra = {k: v for k, v in named.items() if k not in known}
        env[fn.args.kwarg.arg] = Items(list(extra.values()), fn.args.kwarg.arg, extra)
    _run_before(fn.body[:index], made, scope, init, env)
    if index < len(fn.body):  # built inside a loop: its first pass, up to the construction
        _inside_loop(fn.body[index], made, scope, init, env)
    return env


def _run_before(stmts: list, made: ast.Call, scope: Scope, init, env: dict) -> None:
    """The statements among ``stmts`` that ``made`` depends on, read into
    ``env`` as ``__init__``'s are (plain assignments; a ``for`` over a
    written range that only assigns and appends, as a builder's ``blocks =
    []; for _ in range(n): blocks.append(Block(d))``); a name any other
    statement changes after its last such reading is :class:`Changed`."""
    ran: set[int] = set()
    for stmt in _slice(stmts, made):
        if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name) and _parses(stmt.value, scope.parsers)
                and stmt.targets[0].id in scope.options):
            env[stmt.targets[0].id] = init.value(scope.options[stmt.targets[0].id], {}, None)
            continue
        try:
            if isinstance(stmt, ast.For):
                if _run_loop(stmt, env, init):
                    ran.add(id(stmt))
            else:
                init.statement(stmt, env, None)
        except Exception:  # noqa: BLE001 - a statement the site reader cannot read
            continue  # leaves its names unknown (never a guess)
    final: dict[str, int | None] = {}
    fixed = _unchanged_flags(stmts, env)
    for stmt in stmts:  # a name changed after its last plain assignment
        for name, _ in _plain(stmt) or ():
            final[name] = None
        for name in _changed(_branch_taken(stmt, fixed, init, env)):
            final[name] = None if id(stmt) in ran else stmt.lineno
    for name, at in final.items():
        if at is not None:
            env[name] = Changed(f"{name} is changed at line {at} before it is used: its "
                                "value there is not read")


def _unchanged_flags(stmts: list, env: dict) -> set[str]:
    """Names of ``env`` that no statement of ``stmts`` stores or changes
    (a builder's ``pretrained=False``): their value holds at every line."""
    touched: set[str] = set()
    for stmt in stmts:
        touched |= {name for name, _ in _plain(stmt) or ()} | _changed(stmt)
    return {name for name in env if name not in touched}


def _branch_taken(stmt: ast.stmt, fixed: set[str], init, env: dict):
    """``stmt``, or for an ``if`` whose test reads only :func:`_unchanged_flags`
    and evaluates to a constant, the branch that runs (torchvision's ``if
    pretrained: kwargs['init_weights'] = False`` with ``pretrained=False``
    changes nothing); the ``if`` itself when the test is not known."""
    if not isinstance(stmt, ast.If):
        return stmt
    names = {n.id for n in ast.walk(stmt.test) if isinstance(n, ast.Name)}
    if not names or not names <= fixed:
        return stmt
    try:
        test = init.value(stmt.test, env, None)
    except Exception:  # noqa: BLE001 - a test the site reader cannot read
        return stmt
    if not isinstance(test, Const) or test.value is None:
        return stmt
    return ast.Module(body=stmt.body if test.value else stmt.orelse, type_ignores=[])


def _inside_loop(stmt: ast.stmt, made: ast.Call, scope: Scope, init, env: dict) -> None:
    """``made`` written inside the ``for`` loop ``stmt`` (``for _ in
    range(n): attn = Attn(d); block = Block(d, attn)``): the names where
    its first pass reaches the construction (the loop variable at the
    first item, the body's earlier statements read as :func:`_run_before`
    reads them); a loop over what is not read leaves its variable unknown."""
    if not isinstance(stmt, ast.For) or not any(n is made for n in ast.walk(stmt)):
        return
    it = init.value(stmt.iter, env, None)
    first = it.items[0] if isinstance(it, Items | Tup) and it.items else Unknown(
        f"`for … in {ast.unparse(stmt.iter)[:40]}` is not read")
    for node in ast.walk(stmt.target):
        if isinstance(node, ast.Name):
            env[node.id] = Unknown(f"{node.id} is a loop variable chainlens cannot read")
    if isinstance(stmt.target, ast.Name):
        env[stmt.target.id] = first
    for i, inner in enumerate(stmt.body):
        if any(n is made for n in ast.walk(inner)):
            _run_before(stmt.body[:i], made, scope, init, env)
            _inside_loop(inner, made, scope, init, env)
            return


def _simple_loop(stmt: ast.stmt) -> bool:
    """A ``for`` of one loop variable whose body only assigns names, appends
    one value to a name's list, or is such a loop: what the site reader can
    run pass by pass and know every name it changes."""
    if not isinstance(stmt, ast.For) or stmt.orelse or not isinstance(stmt.target, ast.Name):
        return False
    for s in stmt.body:
        if _plain(s) is not None and not any(
                isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                and n.func.attr in _MUTATORS for n in ast.walk(s)):
            continue
        if (isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)
                and isinstance(s.value.func, ast.Attribute) and s.value.func.attr == "append"
                and isinstance(s.value.func.value, ast.Name) and len(s.value.args) == 1
                and not s.value.keywords):
            continue
        if not _simple_loop(s):
            return False
    return True


def _run_loop(stmt: ast.For, env: dict, init, budget: list[int] | None = None) -> bool:
    """Every pass of a :func:`_simple_loop` over a written range or list,
    read into ``env``; False when its iterable is not read (or too long).
    ``budget``: passes left for this loop and every loop nested in it
    together (:data:`MAX_REPEAT`): nested ``range(300)`` loops multiplied
    their passes and held the reader for seconds (review, round 8)."""
    budget = [MAX_REPEAT] if budget is None else budget
    it = init.value(stmt.iter, env, None)
    if not isinstance(it, Items | Tup) or len(it.items) > budget[0]:
        return False
    for value in list(it.items):
        budget[0] -= 1
        if budget[0] < 0:
            return False
        env[stmt.target.id] = value
        for inner in stmt.body:
            if isinstance(inner, ast.For):
                if not _run_loop(inner, env, init, budget):
                    return False
            else:
                init.statement(inner, env, None)
    return True


def _slice(stmts: list, made: ast.Call) -> list:
    """The assignments among ``stmts`` that the names of ``made`` depend
    on (a backward slice: ``c = copy.deepcopy``, ``attn = Attn(d)``, the
    names those use in turn), in their order."""
    names = {n.id for n in ast.walk(made) if isinstance(n, ast.Name)}
    keep = []
    for stmt in reversed(stmts):
        plain = _plain(stmt)
        if plain is not None and any(name in names for name, _ in plain):
            keep.append(stmt)
            names |= {n.id for n in ast.walk(stmt.value) if isinstance(n, ast.Name)}
        elif _simple_loop(stmt) and _changed(stmt) & names:
            keep.append(stmt)  # blocks.append(Block(d)) for each pass
            names |= {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name)}
    return keep[::-1]


#: methods that change the container they are called on
_MUTATORS = frozenset({"update", "append", "extend", "insert", "pop", "popitem", "setdefault",
                       "clear", "remove", "add", "discard", "__setitem__", "sort", "reverse"})


def _plain(stmt: ast.stmt) -> list[tuple[str, ast.expr]] | None:
    """The (name, value) pairs of a plain assignment: ``name = value``,
    annotated, or ``a, b = 20, 30`` of a written tuple; else None."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(
            stmt.targets[0], ast.Name):
        return [(stmt.targets[0].id, stmt.value)]
    if isinstance(stmt, ast.AnnAssign) and stmt.value is not None and isinstance(
            stmt.target, ast.Name):
        return [(stmt.target.id, stmt.value)]
    if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Tuple) and isinstance(stmt.value, ast.Tuple)
            and len(stmt.targets[0].elts) == len(stmt.value.elts)
            and all(isinstance(t, ast.Name) for t in stmt.targets[0].elts)):
        return [(t.id, v) for t, v in zip(stmt.targets[0].elts, stmt.value.elts, strict=True)]
    return None


def _root(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _changed(stmt: ast.stmt) -> set[str]:
    """Names a statement changes other than by a plain assignment:
    ``cfg.depth = 2``, ``sizes[0] = 2``, ``depth //= 10``, ``a, b = ...``,
    ``config.update(depth=2)``, ``del d["k"]``, and every name stored inside
    a loop, ``with``, ``try`` or ``if`` (which branch runs is not read)."""
    if _plain(stmt) is not None:
        return set()
    out: set[str] = set()
    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return out
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            out.add(node.id)
        elif isinstance(node, ast.Attribute | ast.Subscript) and isinstance(
                node.ctx, ast.Store | ast.Del):
            root = _root(node)
            if root is not None:
                out.add(root)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and (
                node.func.attr in _MUTATORS):
            root = _root(node.func.value)
            if root is not None:
                out.add(root)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and (
                node.func.id in ("setattr", "delattr")) and node.args:
            root = _root(node.args[0])
            if root is not None:
                out.add(root)
    return out


def _history(tree: ast.Module) -> dict[str, list[tuple[int, ast.expr | None]]]:
    """Top-level assignments and changes of each name, in the order the
    module runs them (an ``if __name__ == "__main__":`` body in place)."""
    out: dict[str, list[tuple[int, ast.expr | None]]] = {}
    body: list[ast.stmt] = []
    for stmt in tree.body:
        body += stmt.body if isinstance(stmt, ast.If) and _is_main(stmt.test) else [stmt]
    for stmt in body:
        for name, value in _plain(stmt) or ():
            out.setdefault(name, []).append((stmt.lineno, value))
        for name in _changed(stmt):
            out.setdefault(name, []).append((stmt.lineno, None))
    return out


def _is_main(test: ast.AST) -> bool:
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
            and test.left.id == "__name__" and len(test.comparators) == 1
            and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value == "__main__")


def _other_sites(made: ast.Call, scope: dict) -> int:
    """How many other constructions of the class write other arguments."""
    if not isinstance(scope, Scope) or not isinstance(made.func, ast.Name):
        return 0
    text = ast.dump(ast.Tuple(elts=list(made.args), ctx=ast.Load())) + ast.dump(
        ast.Dict(keys=[], values=[k.value for k in made.keywords]))
    seen = set()
    for call in scope.calls.get(made.func.id, []):
        other = ast.dump(ast.Tuple(elts=list(call.args), ctx=ast.Load())) + ast.dump(
            ast.Dict(keys=[], values=[k.value for k in call.keywords]))
        if call is not made and other != text:
            seen.add(other)
    return len(seen)


def _parses(node: ast.AST, parsers: set[str] = frozenset()) -> bool:
    """``parser.parse_args()`` (or ``parse_known_args()[0]``), or a call of
    a function of the file that returns it (``args = get_args()``)."""
    if isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id in parsers
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and (
        node.func.attr in ("parse_args", "parse_known_args"))


def _parser_functions(tree: ast.Module) -> set[str]:
    """Top-level functions returning the parsed options: ``return
    parser.parse_args()``, or ``args = parser.parse_args(); ...; return args``."""
    out: set[str] = set()
    for fn in tree.body:
        if not isinstance(fn, ast.FunctionDef):
            continue
        parsed = {n.targets[0].id for n in ast.walk(fn) if isinstance(n, ast.Assign)
                  and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name)
                  and _parses(n.value)}
        if any(isinstance(n, ast.Return) and n.value is not None and (
                _parses(n.value) or (isinstance(n.value, ast.Name) and n.value.id in parsed))
               for n in ast.walk(fn)):
            out.add(fn.name)
    return out


def _options(tree: ast.Module) -> ast.Dict | None:
    """The file's ``add_argument("--hidden-size", type=int, default=256)``
    calls as one dict of their destinations and defaults (an option
    without a default is None, as argparse gives it; ``store_true``
    False), or None when the file has none."""
    keys: list[ast.expr] = []
    values: list[ast.expr] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "add_argument" and node.args):
            continue
        flags = [a.value for a in node.args
                 if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        kw = {k.arg: k.value for k in node.keywords if k.arg}
        dest = kw.get("dest")
        if isinstance(dest, ast.Constant) and isinstance(dest.value, str):
            name = dest.value
        else:
            longs = [f for f in flags if f.startswith("--")] or flags
            if not longs:
                continue
            name = longs[0].lstrip("-").replace("-", "_")
        action = kw.get("action")
        default = kw.get("default")
        if default is None and isinstance(action, ast.Constant) and action.value in (
                "store_true", "store_false"):
            default = ast.Constant(action.value == "store_false")
        if default is None or dotted(default) == ["argparse", "SUPPRESS"]:
            default = ast.Constant(None)
        keys.append(ast.Constant(name))
        values.append(default)
    return ast.Dict(keys=keys, values=values) if keys else None


def record_call(init, node: ast.Call, env: dict, mod):
    """``Config(hidden=48, depth=3)`` / ``HP(10, 20)`` of a record type of
    the file (a dataclass, a NamedTuple, a ``namedtuple``): its fields as
    a dict of names (``config.hidden`` reads it), the defaults filling
    what the call leaves out; None for any other call."""
    records = init.__dict__.get("records")
    if not records or not isinstance(node.func, ast.Name) or node.func.id not in records:
        return None
    fields = records[node.func.id]
    names: dict = {}
    for (name, _default), arg in zip(fields, node.args, strict=False):
        names[name] = init.value(arg, env, mod)
    for k in node.keywords:
        if k.arg in dict(fields):
            names[k.arg] = init.value(k.value, env, mod)
        elif k.arg is None:  # GPTConfig(**model_args) of a written dict
            spread = init.value(k.value, env, mod)
            if isinstance(spread, Items) and spread.names:
                names.update({n: v for n, v in spread.names.items() if n in dict(fields)})
    for name, default in fields:
        if name not in names:
            names[name] = (init.value(default, {}, None) if default is not None
                           else Unknown(f"{node.func.id}.{name} is not given"))
    return Items(list(names.values()), node.func.id, names)


def _records(tree: ast.Module) -> dict[str, list[tuple[str, ast.expr | None]]]:
    """Top-level dataclass / NamedTuple classes (their annotated fields)
    and ``HP = namedtuple("HP", ["inp", "hidden"])`` (or ``"inp hidden"``)."""
    out: dict[str, list[tuple[str, ast.expr | None]]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            decorated = any((dotted(d.func if isinstance(d, ast.Call) else d) or [""])[-1]
                            == "dataclass" for d in node.decorator_list)
            typed = any((dotted(b) or [""])[-1] == "NamedTuple" for b in node.bases)
            if decorated or typed:
                out[node.name] = [(s.target.id, s.value) for s in node.body
                                  if isinstance(s, ast.AnnAssign)
                                  and isinstance(s.target, ast.Name)]
        elif (isinstance(node, ast.Assign) and len(node.targets) == 1
              and isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.Call)
              and (dotted(node.value.func) or [""])[-1] == "namedtuple"
              and len(node.value.args) == 2):
            spec = node.value.args[1]
            if isinstance(spec, ast.Constant) and isinstance(spec.value, str):
                fields = spec.value.replace(",", " ").split()
            elif isinstance(spec, ast.List | ast.Tuple) and all(
                    isinstance(e, ast.Constant) and isinstance(e.value, str) for e in spec.elts):
                fields = [e.value for e in spec.elts]
            else:
                continue
            defaults = next((k.value for k in node.value.keywords if k.arg == "defaults"), None)
            given = list(defaults.elts) if isinstance(defaults, ast.List | ast.Tuple) else []
            pad = [None] * (len(fields) - len(given)) + given
            out[node.targets[0].id] = list(zip(fields, pad, strict=False))
    return out


def note_site(init, name: str, node: ast.Call, args: list, kwargs: dict) -> None:
    """Records the first place a class is built inside another (when the
    reader carries a recorder: :func:`python_site_pass.inner_sites`)."""
    sites = init.__dict__.get("sites")
    if sites is None or name in sites:
        return
    memo: dict = {}
    sites[name] = Recorded(tuple(copy_value(v, memo) for v in args),
                           tuple((k, copy_value(v, memo)) for k, v in kwargs.items()),
                           node.lineno, ast.unparse(node), _builder(init, node))


def _builder(init, node: ast.Call) -> str:
    """The innermost class (or function of the file) whose source holds
    ``node``: who builds it (``SublayerConnection``, ``make_layers()``)."""
    best, name = None, "another class"
    for table, suffix in ((init.classes, ""), (init.functions, "()")):
        for key, owner in table.items():
            lo, hi = owner.lineno, getattr(owner, "end_lineno", owner.lineno)
            if lo <= node.lineno <= hi and (best is None or hi - lo < best):
                best, name = hi - lo, key + suffix
    return name


def copy_value(value, memo: dict):
    """A copy of an argument value as it is when recorded: layers and
    parameters of their own (a re-initialisation the builder writes later
    does not reach them), the same ast nodes and closures."""
    if id(value) in memo:
        return memo[id(value)]
    if isinstance(value, Layer):
        out = Layer(value.spec, value.label, value.span)
        if getattr(value, "init", None):
            out.init = value.init  # its re-initialisation, recorded on the builder's reader
    elif isinstance(value, Param):
        out = dataclasses.replace(value, symbol=None)
    elif isinstance(value, Mod):
        out = Mod(value.cls, {}, value.label)
        memo[id(value)] = out
        for k, v in value.attrs.items():
            out.attrs[k] = (Func(v.node, out) if isinstance(v, Func) and v.bound is value
                            else copy_value(v, memo))
    elif isinstance(value, Seq):
        out = Seq([copy_value(v, memo) for v in value.items], value.label)
    elif isinstance(value, Items):
        names = ({k: copy_value(v, memo) for k, v in value.names.items()}
                 if value.names else None)
        items = list(names.values()) if names else [copy_value(v, memo) for v in value.items]
        out = Items(items, value.label, names)
    elif isinstance(value, Tup):
        out = Tup([copy_value(v, memo) for v in value.items])
    else:
        out = value
    memo[id(value)] = out
    return out
