"""Model classes as chainlens programs: ``nn.Module`` (and Flax/Equinox
``Module``) classes read from their ``__init__`` and ``forward``.

ML engineers do not write their networks as formulas: they write a class
whose ``__init__`` builds layers (``self.fc1 = nn.Linear(784, 128)``,
``nn.Sequential``, ``nn.ModuleList``, ``nn.Parameter``) and whose
``forward`` threads a tensor through them (``x = F.relu(self.fc1(x))``,
residuals, loops over a ModuleList, helpers of the same file).  This
module reads both with :mod:`ast` (never running anything) and builds one
program per class: each layer a linear map with its parameters declared
at the framework's default initialisation (the ranges of
:mod:`chainlens.engine.health.init`), so a measured backward pass sees the
gradients the framework's user would see at step 0.

The interpreter of ``forward`` is :mod:`~chainlens.engine.frontends.python_eval`;
what it cannot read it names, with the place, in :class:`Skipped`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from chainlens.engine.core.limits import MAX_HEALTH_NODES
from chainlens.engine.core.source import ChainError, Span
from chainlens.engine.core.walk import count_nodes
from chainlens.engine.frontends.python_aliases import explain_unknown
from chainlens.engine.frontends.python_ast import Offsets, dotted
from chainlens.engine.frontends.python_autograd import (
    autograd_classes,
    nested_classes,
    register_autograd,
)
from chainlens.engine.frontends.python_eval import Unsupported, read_module_class
from chainlens.engine.frontends.python_flax import needs_fields, partial_construction
from chainlens.engine.frontends.python_project import origin
from chainlens.engine.frontends.python_site_changes import is_main_guard
from chainlens.engine.frontends.python_site_pass import inner_sites
from chainlens.engine.frontends.python_sites import gives_arguments, site_scope
from chainlens.engine.frontends.python_subclasses import layer_subclasses, subclass_reasons
from chainlens.engine.frontends.python_tables import file_tables
from chainlens.engine.frontends.python_values import Ref
from chainlens.engine.language.program import Program
from chainlens.engine.numeric.tape import node_shapes

__all__ = ["ModuleUnit", "ModuleSkip", "read_modules", "is_module_class", "forward_classes",
           "plain_bases"]

_MODULE_BASES = frozenset({"Module", "LightningModule", "nnx.Module"})


@dataclass(frozen=True)
class ModuleUnit:
    name: str
    span: Span
    name_span: Span
    program: Program
    params: tuple[str, ...]
    #: one line per layer: (label, weight symbol, span)
    layers: tuple[tuple[str, str, Span], ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class ModuleSkip:
    name: str
    span: Span
    reason: str


def is_module_class(cls: ast.ClassDef, known: set[str], plain=frozenset()) -> bool:
    """A class deriving from a framework ``Module`` or from a module class
    of the same file; ``plain``: the file's own classes named like a
    framework base that are not one (:func:`plain_bases`), which do not
    count."""
    for base in cls.bases:
        parts = dotted(base)
        if parts and len(parts) == 1 and parts[0] in plain:
            continue
        if parts and (parts[-1] in _MODULE_BASES or parts[-1] in known):
            return True
    return False


def plain_bases(tree: ast.Module) -> frozenset[str]:
    """The file's own top-level classes spelled like a framework base that
    derive from none (micrograd's ``class Module:`` with ``zero_grad`` and
    ``parameters``, under its scalar ``Value`` engine): a class deriving from
    one is plain Python, not an ``nn.Module``/Flax/Haiku module, so it is
    neither read as a model nor counted as one (its methods are read as
    functions, each skip with its reason)."""
    return frozenset(n.name for n in tree.body if isinstance(n, ast.ClassDef)
                     and n.name in _MODULE_BASES and not is_module_class(n, set()))


#: libraries whose ``Module`` a file may import under another name
_FRAMEWORKS = frozenset({"torch", "flax", "haiku", "equinox", "lightning", "pytorch_lightning"})


def base_aliases(tree: ast.Module) -> frozenset[str]:
    """Names a file binds a framework's module base to (``from torch.nn
    import Module as TorchModule``): a class deriving from one is a module
    class as one deriving from ``nn.Module`` is."""
    out = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and not node.level and (
                node.module.split(".")[0] in _FRAMEWORKS):
            out.update(a.asname for a in node.names
                       if a.asname and a.name in _MODULE_BASES)
    return frozenset(out)


def forward_classes(tree: ast.Module, imported=()) -> list[str]:
    """Names of the module classes of ``tree`` with a ``forward`` or
    ``__call__``: what the reader is asked to read (the corpus figures'
    denominator); ``imported``: names of module classes the file imports
    (a class deriving from one is a module class too)."""
    known: set[str] = set(imported) | base_aliases(tree)
    plain = plain_bases(tree)
    out = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and is_module_class(node, known, plain):
            known.add(node.name)
            if _entry(node) is not None:
                out.append(node.name)
    return out


def read_modules(tree: ast.Module, offsets: Offsets, source: str, imported=None):
    """Every module class of ``tree``: (units, skips, methods) where
    ``methods`` are the def nodes the plain-function reader must leave
    alone (they belong to a class read here or skipped with its reason).
    ``imported``: the project definitions the file imports
    (:mod:`~chainlens.engine.frontends.python_imports`), read as the file's
    own but never a unit of their own."""
    classes: dict[str, ast.ClassDef] = imported.module_classes(is_module_class) if (
        imported) else {}
    functions = {**(imported.functions if imported else {}),
                 **{n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}}
    constants = {**(imported.constants if imported else {}), **_constants(tree)}
    constants.update({k: t for k, t in file_tables(tree, set(constants)).items()
                      if k not in constants})  # a registry of the file's own models
    others = {k: c for k, c in (imported.classes if imported else {}).items()
              if k not in classes}
    plain, aliases = plain_bases(tree), base_aliases(tree)
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and is_module_class(node, set(classes) | aliases,
                                                              plain):
            classes[node.name] = node
        elif isinstance(node, ast.ClassDef):
            others[node.name] = node
    autograd = autograd_classes({**others, **nested_classes(classes)})
    register_autograd(autograd, functions, constants)  # SwishFn.apply(x)
    subclassed = layer_subclasses(others, constants)
    constants.update(subclassed)
    changed = subclass_reasons(others, constants)
    unknown = {**(imported.unread if imported else {}), **changed}
    configs = {k: n for k, n in others.items() if any(
        isinstance(s, ast.AnnAssign) and s.value is not None for s in n.body)}
    mine = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    made = _constructions(tree, classes)
    scope = site_scope(tree, _assignments(tree))  # where each construction sits
    made = {**inner_sites(classes, functions, constants, offsets, configs, scope, made,
                          _needs_arguments), **made}  # built only inside another class
    units: list[ModuleUnit] = []
    skips: list[ModuleSkip] = []
    owned: set[ast.AST] = set()
    # a library layer's subclass: its methods are the layer's, not plain functions
    owned.update(n for c in mine if c.name in subclassed or c.name in changed
                 for n in ast.walk(c) if isinstance(n, ast.FunctionDef))
    # a torch.autograd.Function's forward/backward (also one nested in a module class)
    owned.update(n for c in autograd.values() for n in ast.walk(c)
                 if isinstance(n, ast.FunctionDef))
    for name, cls in classes.items():
        if cls not in mine:
            continue  # imported: read where the file uses it
        entry = _entry(cls)
        # its methods and the helpers defined inside them (read with the class)
        owned.update(n for m in cls.body if isinstance(m, ast.FunctionDef)
                     for n in ast.walk(m) if isinstance(n, ast.FunctionDef))
        if entry is None:
            skips.append(ModuleSkip(name, offsets.name_span(cls, name),
                                    f"not read: {name} has no forward or __call__"))
            continue
        try:
            built = read_module_class(cls, classes, functions, constants, offsets, source,
                                      configs, made.get(name) if _needs_arguments(cls)
                                      or gives_arguments(made.get(name)) else None,
                                      scope)
        except Unsupported as exc:
            where = exc.node if getattr(exc.node, "lineno", None) else entry
            line = f" (line {where.lineno})" if where is not entry else ""
            if origin(where) is not None:  # in a definition the file imports
                line = f" (line {origin(where)[1]} of {origin(where)[0]})"
            reason = f"not read: {exc.reason}{line}"
            skips.append(ModuleSkip(f"{name}.{entry.name}", offsets.name_span(entry, entry.name),
                                    explain_unknown(reason, unknown)))
            continue
        except (RecursionError, TypeError, KeyError, ValueError, ZeroDivisionError,
                IndexError, AttributeError, OverflowError) as exc:
            skips.append(ModuleSkip(f"{name}.{entry.name}", offsets.name_span(entry, entry.name),
                                    f"not read: {_reason(exc)}"))
            continue
        size = sum(count_nodes(a.expr) for a in built.program.assignments)
        if size > MAX_HEALTH_NODES:  # DenseNet's growing concatenations
            skips.append(ModuleSkip(f"{name}.{entry.name}", offsets.name_span(entry, entry.name),
                                    f"not read: {name} reads as {size:,} nodes, past the "
                                    f"{MAX_HEALTH_NODES:,} gradient health analyses "
                                    "(MAX_HEALTH_NODES)"))
            continue
        mismatch = _shape_error(built.program)
        if mismatch is not None:
            skips.append(ModuleSkip(f"{name}.{entry.name}", offsets.name_span(entry, entry.name),
                                    f"not read: chainlens's reading of {name} gives sizes "
                                    f"that do not agree ({mismatch[:60]})"))
            continue
        units.append(ModuleUnit(name, offsets.span(cls), offsets.name_span(cls, name),
                                built.program, built.params, built.layers, built.notes))
    return units, skips, owned


def _needs_arguments(cls: ast.ClassDef) -> bool:
    """Does the class's ``__init__`` take an argument without a default
    (``ResNet(block, layers)``)?"""
    init = next((s for s in cls.body if isinstance(s, ast.FunctionDef)
                 and s.name == "__init__"), None)
    if init is None:
        return needs_fields(cls)  # a Flax field without a default
    positional = init.args.posonlyargs + init.args.args
    return len(positional) - 1 > len(init.args.defaults) or init.args.vararg is not None or any(
        d is None for d in init.args.kw_defaults)


def _constructions(tree: ast.Module, classes: dict) -> dict[str, ast.Call]:
    """The file's own first construction of each module class outside the
    classes (``model = ResNet(ResidualBlock, [2, 2, 2])``, ``def
    ResNet18(): return ResNet(BasicBlock, [2, 2, 2, 2])``): its arguments are
    the ones the file uses, so a class whose ``__init__`` requires some is
    read with them."""
    out: dict[str, ast.Call] = {}
    for stmt in tree.body:
        if isinstance(stmt, ast.ClassDef):
            continue
        for node in ast.walk(stmt):
            node = partial_construction(node, classes) or node  # ResNet18 = partial(ResNet, ...)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and (
                    node.func.id in classes):
                out.setdefault(node.func.id, node)
    return out


def _assignments(tree: ast.Module) -> dict[str, ast.expr]:
    """Top-level ``name = value`` of the file (and under ``if __name__ ==
    "__main__":``), the last of each name: what a construction's arguments
    name (``enc = Encoder(INPUT_DIM, 256)``)."""
    out: dict[str, ast.expr] = {}
    body = list(tree.body)
    for node in tree.body:
        if isinstance(node, ast.If) and is_main_guard(node.test):
            body += node.body
    for stmt in body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(
                stmt.targets[0], ast.Name):
            out[stmt.targets[0].id] = stmt.value
    return out


def _shape_error(program: Program) -> str | None:
    """Why the sizes of a module read from a file do not fit together (a
    slice or broadcast read as the whole tensor), or None: such a reading is
    skipped with the reason rather than measured."""
    for d in program.declarations:
        if any(int(n) <= 0 for n in d.shape):
            return f"{d.name} has shape {tuple(d.shape)}"
    try:
        node_shapes(program)
    except (ChainError, ValueError, TypeError, KeyError) as exc:
        return getattr(exc, "message", None) or str(exc)
    return None


def _entry(cls: ast.ClassDef) -> ast.FunctionDef | None:
    for name in ("forward", "__call__"):
        for node in cls.body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                return node
    return None


#: packages whose names, imported bare (``from torch.nn.functional import
#: relu``, ``from einops import rearrange``), the reader knows by their last part
_LIBRARY_ROOTS = frozenset({"torch", "numpy", "jax", "flax", "einops", "equinox", "math",
                            "functools", "copy"})


def _constants(tree: ast.Module) -> dict[str, object]:
    """Module-level ``NAME = <int/float/str/bool literal>``, and names
    imported bare from a library (as the library's dotted :class:`Ref`)."""
    out: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and not node.level and (
                node.module.split(".")[0] in _LIBRARY_ROOTS):
            for alias in node.names:
                if alias.name != "*":
                    out[alias.asname or alias.name] = Ref((*node.module.split("."),
                                                           alias.name))
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)):
            value = _literal(node.value)
            if value is not None:
                out[node.targets[0].id] = value
    for node in tree.body:  # the sizes a tutorial sets where it runs: if __name__ == "__main__"
        if isinstance(node, ast.If) and is_main_guard(node.test):
            for stmt in node.body:
                if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                        and isinstance(stmt.targets[0], ast.Name)
                        and stmt.targets[0].id not in out):
                    value = _literal(stmt.value)
                    if value is not None:
                        out[stmt.targets[0].id] = value
    return out


def _literal(node: ast.AST):
    """An int/float/str/bool literal, or a tuple of them (``[2, 3, 4]``); else None."""
    if isinstance(node, ast.Constant) and node.value is not None:
        return node.value
    if isinstance(node, ast.List | ast.Tuple) and node.elts and all(
            isinstance(e, ast.Constant) and isinstance(e.value, int | float | str)
            for e in node.elts):
        return tuple(e.value for e in node.elts)
    return None


def _reason(exc: Exception) -> str:
    """An exception's words when chainlens wrote them (the IR's arity
    check); a Python error raised inside the reader itself (a TypeError on
    an operand) is the reader's gap, not the user's: say so, never show
    Python's text as if it were about the file (red team F28)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    where = tb.tb_frame.f_code.co_filename.replace("\\", "/") if tb is not None else ""
    if isinstance(exc, TypeError | AttributeError | IndexError | KeyError) and (
            "/frontends/" in where):
        return (f"a construct the reader does not handle "
                f"({type(exc).__name__} in {where.rsplit('/', 1)[-1]}:{tb.tb_lineno})")
    return str(exc) or type(exc).__name__

