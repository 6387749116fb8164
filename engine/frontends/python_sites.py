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

The statements before a construction are read by :mod:`python_site_changes`,
the file's options and record types by :mod:`python_site_options`; a site
inside another class is kept by :mod:`python_site_records`.
"""

from __future__ import annotations

import ast

from chainlens.engine.frontends.python_site_changes import (
    Changed,
    inside_loop,
    run_before,
    top_history,
)
from chainlens.engine.frontends.python_site_options import (
    argparse_defaults,
    parser_functions,
    parses,
    record_types,
)
from chainlens.engine.frontends.python_site_records import Recorded, copy_value
from chainlens.engine.frontends.python_values import Items, Layer, Tup, Unknown

__all__ = ["Scope", "Recorded", "Changed", "site_scope", "site_arguments",
           "gives_arguments", "named_submodule"]


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
    scope.records = record_types(tree)
    scope.history = top_history(tree)
    options = argparse_defaults(tree)
    if options is not None:
        scope.parsers = parser_functions(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name)
                    and parses(node.value, scope.parsers)):
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
    run_before(fn.body[:index], made, scope, init, env)
    if index < len(fn.body):  # built inside a loop: its first pass, up to the construction
        inside_loop(fn.body[index], made, scope, init, env)
    return env


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
