"""What a file states about its own settings: command-line defaults and records.

``parser.add_argument("--hidden", type=int, default=256)`` then ``args =
parser.parse_args()`` (or a function of the file returning it) gives
``args.hidden`` its default, as argparse would with no command line;
``@dataclass class Config: hidden: int = 48`` (a NamedTuple, a
``namedtuple(...)``) makes ``Config(hidden=64)`` a dict of its fields.
Read from the tree only, never run.  Split from :mod:`python_sites`.
"""

from __future__ import annotations

import ast

from chainlens.engine.frontends.python_ast import dotted
from chainlens.engine.frontends.python_values import Items, Unknown

__all__ = ["parses", "parser_functions", "argparse_defaults", "record_call", "record_types"]


def parses(node: ast.AST, parsers: set[str] = frozenset()) -> bool:
    """``parser.parse_args()`` (or ``parse_known_args()[0]``), or a call of
    a function of the file that returns it (``args = get_args()``)."""
    if isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id in parsers
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and (
        node.func.attr in ("parse_args", "parse_known_args"))


def parser_functions(tree: ast.Module) -> set[str]:
    """Top-level functions returning the parsed options: ``return
    parser.parse_args()``, or ``args = parser.parse_args(); ...; return args``."""
    out: set[str] = set()
    for fn in tree.body:
        if not isinstance(fn, ast.FunctionDef):
            continue
        parsed = {n.targets[0].id for n in ast.walk(fn) if isinstance(n, ast.Assign)
                  and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name)
                  and parses(n.value)}
        if any(isinstance(n, ast.Return) and n.value is not None and (
                parses(n.value) or (isinstance(n.value, ast.Name) and n.value.id in parsed))
               for n in ast.walk(fn)):
            out.add(fn.name)
    return out


def argparse_defaults(tree: ast.Module) -> ast.Dict | None:
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


def record_types(tree: ast.Module) -> dict[str, list[tuple[str, ast.expr | None]]]:
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
