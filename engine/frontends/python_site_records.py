"""Recorded sites: where another class of the file builds a class.

:func:`note_site` keeps, for the first such construction, copies of its
argument values as they are then (:func:`copy_value`: layers and
parameters of their own, so a re-initialisation the builder writes later
does not reach them), as a :class:`Recorded` that :mod:`python_sites`
reads like a written call (:mod:`python_site_pass` runs the recording
pass).  Split from :mod:`python_sites`.
"""

from __future__ import annotations

import ast
import dataclasses

from chainlens.engine.frontends.python_values import Func, Items, Layer, Mod, Param, Seq, Tup

__all__ = ["Recorded", "note_site", "copy_value"]


@dataclasses.dataclass(frozen=True)
class Recorded:
    """Where another class of the file builds a class: copies of the
    argument values there (:mod:`python_site_pass`)."""

    args: tuple
    kwargs: tuple  # (name, value) pairs
    line: int
    text: str
    builder: str


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
        out = Seq([copy_value(v, memo) for v in value.items], value.label, value.keys)
    elif isinstance(value, Items):
        names = ({k: copy_value(v, memo) for k, v in value.names.items()}
                 if value.names else None)
        items = list(names.values()) if names else [copy_value(v, memo) for v in value.items]
        out = Items(items, value.label, names, value.registered)
    elif isinstance(value, Tup):
        out = Tup([copy_value(v, memo) for v in value.items])
    else:
        out = value
    memo[id(value)] = out
    return out
