"""PyTorch's own names for the layers of a module as read.

The flow table and hover name each layer; a user compares those rows with
``model.named_parameters()`` / ``named_modules()``, so they must be
PyTorch's names: ``layers.0.fc`` for the ``fc`` of the first block of a
``nn.ModuleList``, ``net.2`` for the third entry of a ``nn.Sequential``,
``blocks.attn`` for an entry of a ``nn.ModuleDict``, ``w`` for an
``nn.Parameter`` attribute.  The reader's own labels say where a layer is
built (``fc`` in ``Block.__init__``), which is ambiguous once a class is
built twice.

:func:`torch_names` walks the module the reader instantiated as
``nn.Module.named_modules`` walks a real one: attributes in the order
``__init__`` sets them, a ``Sequential``'s entries by index (or by the
keys of its ``OrderedDict``), a ``ModuleList``'s by index, a
``ModuleDict``'s by key, and a module reached twice keeps its first name
(PyTorch removes duplicates).  A plain Python list or tuple of layers is
not registered by PyTorch (it has no name there), so its layers keep the
reader's label; so does anything of Flax or Haiku (other naming schemes),
for which no name is given at all.
"""

from __future__ import annotations

from chainlens.engine.frontends.python_values import Items, Layer, Mod, Param, Seq

__all__ = ["torch_names", "register"]


def register(value):
    """Marks ``value`` (the list a ``nn.ModuleList(...)`` /
    ``nn.ModuleDict(...)`` wraps) as registered with PyTorch, so its
    entries get names; returns it."""
    if isinstance(value, Items):
        value.registered = True
    return value


def torch_names(mod) -> dict[int, str]:
    """``id(layer or parameter) -> PyTorch's name`` for every layer and
    ``nn.Parameter`` of ``mod`` (the root module, name ""); empty when the
    module holds a layer of another framework."""
    out: dict[int, str] = {}
    if not _visit(mod, "", out, set()):
        return {}
    return out


def _join(prefix: str, key) -> str:
    return f"{prefix}.{key}" if prefix else str(key)


def _visit(value, path: str, out: dict[int, str], seen: set[int]) -> bool:
    """Names ``value`` and what it holds; False for a layer of a framework
    other than torch (the caller then gives no names)."""
    if id(value) in seen:  # reached again (a shared module): its first name stays
        return True
    if isinstance(value, Layer):
        seen.add(id(value))
        if value.spec.framework != "torch":
            return False
        out[id(value)] = path
        return True
    if isinstance(value, Param):
        seen.add(id(value))
        if not value.buffer:
            out[id(value)] = path
        return True
    if isinstance(value, Mod):
        seen.add(id(value))
        if path:
            out[id(value)] = path
        ok = True
        for key, attr in value.attrs.items():
            if key == "<super>":  # class Net(nn.Linear): the module is the layer
                ok = _visit(attr, path, out, seen) and ok
            elif isinstance(attr, Layer | Param | Mod | Seq | Items):
                ok = _visit(attr, _join(path, key), out, seen) and ok
        return ok
    if isinstance(value, Seq):
        seen.add(id(value))
        keys = getattr(value, "keys", None) or range(len(value.items))
        return all([_visit(v, _join(path, k), out, seen)
                    for k, v in zip(keys, value.items, strict=False)])
    if isinstance(value, Items) and getattr(value, "registered", False):
        seen.add(id(value))
        pairs = value.names.items() if value.names else enumerate(value.items)
        return all([_visit(v, _join(path, k), out, seen) for k, v in pairs])
    return True
