"""Classes built by other classes: the arguments their builder gives them.

``EncoderLayer(model_dimension, dropout, mha, pwn)`` built in a
Transformer's ``__init__``, ``LambdaLayer(lambda x: F.pad(...))`` built in
a ResNet block, ``block(self.in_planes, planes, stride)`` in a ResNet's
``_make_layer``: the file never builds these classes at module level, so
their ``__init__`` arguments (modules, functions, sizes) are only known
where another class builds them.  A first pass instantiates every class the
reader can build on its own (no required argument, or a construction site
of :mod:`python_sites`) with a recorder on its reader: the first place each
class is built inside another records a copy of the argument values as
they are at that moment (their own ``__init__`` already run, the
builder's later re-initialisation not yet).  A class with required
arguments and no site of its own is then read with those values, and its
hover says where they come from.
"""

from __future__ import annotations

import ast

from chainlens.engine.frontends.python_init import InitReader
from chainlens.engine.frontends.python_sites import Recorded, site_arguments

__all__ = ["inner_sites"]


def inner_sites(classes: dict, functions: dict, constants: dict, offsets, configs: dict,
                scope: dict, made: dict, needs) -> dict[str, Recorded]:
    """For each class of ``classes`` with required arguments (``needs``)
    and no construction of its own in ``made``: the first place another
    class builds it, with the argument values there."""
    wanted = {n for n, c in classes.items() if n not in made and needs(c)}
    if not wanted:
        return {}
    sites: dict[str, Recorded] = {}
    for name, cls in classes.items():
        if name in wanted or not any(isinstance(n, ast.Call) for n in ast.walk(cls)):
            continue  # it needs a site itself, or it builds nothing
        reader = InitReader(classes, functions, constants, offsets, configs)
        reader.__dict__["sites"] = sites
        args: list = []
        kwargs: dict = {}
        if name in made and needs(cls):
            args, kwargs, _ = site_arguments(made[name], scope, reader)
        try:
            reader.instantiate(cls, args, kwargs, "")
        except Exception:  # noqa: BLE001 - its own reading reports why
            continue  # its own reading says why; the sites recorded so far stand
        if wanted <= set(sites):
            break
    return {n: s for n, s in sites.items() if n in wanted}
