"""The import layering of the code base, read from the source with ``ast``.

- The engine never imports the server or the clients; the server never imports
  the clients.
- Engine subpackages form layers: a module imports its own subpackage or lower
  ones only (``LAYERS``), with the short, commented ``LAYER_EXCEPTIONS``.
- No import cycles between modules (module-level imports).
- Imports inside functions are a FROZEN list (``FUNCTION_IMPORTS``), each with
  its reason.  A new one fails this test; one that went away must be taken off
  the list (the list only shrinks).

Imports under ``if TYPE_CHECKING:`` are not imports at run time and are skipped.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: source folder -> import name
PACKAGES = {
    "engine": "chainlens.engine",
    "server": "chainlens.server",
    "clients/python": "chainlens.client",
    "clients/cli": "chainlens.cli",
}

#: engine subpackages, lowest first
LAYERS = ("core", "rules", "printing", "language", "symbolic", "numeric", "health", "graph",
          "frontends", "api")

#: (file, imported module) -> why a lower layer may import a higher one
LAYER_EXCEPTIONS = {
    ("engine/core/ir.py", "chainlens.engine.rules"):
        "ir.call() looks a primitive up in the table, whose partials are ir nodes; "
        "read on the first call, so `import chainlens.engine` stays numpy-free",
    ("engine/symbolic/results.py", "chainlens.engine.numeric.kernel"):
        "a Derivative/Gradient called on points (d(0.5), as jax.grad results are) runs "
        "its node through the numeric kernels; loaded on that call only, so symbolic "
        "work never loads the code generator",
}

#: why an import sits inside a function, by tag
REASONS = {
    "ir": LAYER_EXCEPTIONS[("engine/core/ir.py", "chainlens.engine.rules")],
    "call": LAYER_EXCEPTIONS[("engine/symbolic/results.py", "chainlens.engine.numeric.kernel")],
    "cli": "lazy: keeps `chainlens --help` and each subcommand's start-up fast",
    "lsp": "lazy: the language server answers `initialize` before the engine loads",
    "rpc": "lazy: `chainlens serve --help` and the servicer module load without the engine",
    "jobs": "lazy: a batch worker loads only the engine parts its job kinds use",
    "demo": "the burst demo drives a real gRPC client; loaded only by `chainlens demo`",
}

#: "file:function -> module (without `chainlens.`)  [reason tag]".  May only shrink.
FROZEN = """
clients/cli/burst.py:_burst -> client  [demo]
clients/cli/burst.py:_burst -> engine.numeric.kernel  [cli]
clients/cli/check.py:_defined -> engine  [cli]
clients/cli/check.py:_defined -> engine.core.source  [cli]
clients/cli/check.py:_defined -> engine.core.walk  [cli]
clients/cli/check.py:_note -> engine.frontends.kinds  [cli]
clients/cli/check.py:register -> cli.check_notes  [cli]
clients/cli/check.py:run -> cli.check_notes  [cli]
clients/cli/check.py:run -> cli.inputs  [cli]
clients/cli/check.py:run -> cli.phrasing  [cli]
clients/cli/check.py:run -> engine.core.source  [cli]
clients/cli/check.py:run -> engine.printing  [cli]
clients/cli/check.py:run -> engine.printing.names  [cli]
clients/cli/check.py:run -> engine.symbolic.check  [cli]
clients/cli/check_notes.py:_typed_claim -> cli.inputs  [cli]
clients/cli/check_notes.py:check_text -> engine.frontends.claims  [cli]
clients/cli/check_notes.py:check_text -> engine.frontends.document  [cli]
clients/cli/check_notes.py:run_files -> cli.inputs  [cli]
clients/cli/demo.py:_backprop -> engine.language.reader  [cli]
clients/cli/demo.py:_backprop -> engine.printing  [cli]
clients/cli/demo.py:_backprop -> engine.symbolic.adjoints  [cli]
clients/cli/demo.py:_batch -> cli.batch  [cli]
clients/cli/demo.py:_diff -> engine.symbolic.derivatives  [cli]
clients/cli/demo.py:_diff -> engine.symbolic.step_text  [cli]
clients/cli/demo.py:_graph -> cli.main  [cli]
clients/cli/demo.py:_grpc -> cli.burst  [cli]
clients/cli/demo.py:_health -> engine.health.recheck  [cli]
clients/cli/demo.py:_health -> engine.language.reader  [cli]
clients/cli/demo.py:_numeric -> engine.language.reader  [cli]
clients/cli/demo.py:_numeric -> engine.numeric.kernel  [cli]
clients/cli/demo.py:_parse -> engine.language.reader  [cli]
clients/cli/demo.py:_parse -> engine.printing  [cli]
clients/cli/demo.py:_title -> cli.style  [cli]
clients/cli/diff.py:_definitions -> engine.api.inputs  [cli]
clients/cli/diff.py:_definitions -> engine.core.source  [cli]
clients/cli/diff.py:_definitions -> engine.core.walk  [cli]
clients/cli/diff.py:_definitions -> engine.printing  [cli]
clients/cli/diff.py:_definitions -> engine.printing.names  [cli]
clients/cli/diff.py:_definitions -> engine.symbolic.step_text  [cli]
clients/cli/diff.py:_expanded -> engine.core.walk  [cli]
clients/cli/diff.py:_expanded -> engine.printing  [cli]
clients/cli/diff.py:_label -> engine.api.outputs  [cli]
clients/cli/diff.py:_label -> engine.printing.names  [cli]
clients/cli/diff.py:_leibniz -> engine.printing.names  [cli]
clients/cli/diff.py:_partials -> engine.core.source  [cli]
clients/cli/diff.py:_partials -> engine.symbolic.derivatives  [cli]
clients/cli/diff.py:_print_derivative -> engine.printing  [cli]
clients/cli/diff.py:_print_derivative -> engine.printing.names  [cli]
clients/cli/diff.py:_print_derivative -> engine.symbolic.step_text  [cli]
clients/cli/diff.py:_program -> engine.printing  [cli]
clients/cli/diff.py:_program -> engine.symbolic.adjoints  [cli]
clients/cli/diff.py:_program -> engine.symbolic.derivatives  [cli]
clients/cli/diff.py:_program -> engine.symbolic.step_text  [cli]
clients/cli/diff.py:_program -> engine.symbolic.values  [cli]
clients/cli/diff.py:_units -> engine.api.derivatives  [cli]
clients/cli/diff.py:_units -> engine.api.inputs  [cli]
clients/cli/diff.py:_units -> engine.core.walk  [cli]
clients/cli/diff.py:_units -> engine.frontends.claims  [cli]
clients/cli/diff.py:_units -> engine.printing  [cli]
clients/cli/diff.py:_units -> engine.symbolic.step_text  [cli]
clients/cli/diff.py:_via -> engine.core.nodes  [cli]
clients/cli/diff.py:_via -> engine.printing  [cli]
clients/cli/diff.py:run -> cli.inputs  [cli]
clients/cli/diff.py:run -> cli.phrasing  [cli]
clients/cli/diff.py:run -> engine.api.inputs  [cli]
clients/cli/diff.py:run -> engine.api.outputs  [cli]
clients/cli/diff.py:run -> engine.core.source  [cli]
clients/cli/diff.py:run -> engine.core.walk  [cli]
clients/cli/grad.py:_display -> engine.api.outputs  [cli]
clients/cli/grad.py:run -> cli.inputs  [cli]
clients/cli/grad.py:run -> engine.api.inputs  [cli]
clients/cli/grad.py:run -> engine.numeric.kernel  [cli]
clients/cli/grad.py:run -> engine.numeric.paths  [cli]
clients/cli/graph.py:_layers -> engine.graph.layers  [cli]
clients/cli/graph.py:_layers -> engine.graph.render  [cli]
clients/cli/graph.py:_point -> engine.core.source  [cli]
clients/cli/graph.py:_point -> engine.language.reader  [cli]
clients/cli/graph.py:graph_svg -> engine.graph.build  [cli]
clients/cli/graph.py:graph_svg -> engine.graph.dot  [cli]
clients/cli/graph.py:graph_svg -> engine.graph.render  [cli]
clients/cli/graph.py:graph_svg -> engine.graph.svg  [cli]
clients/cli/graph.py:run -> cli.inputs  [cli]
clients/cli/graph.py:run -> engine.graph.build  [cli]
clients/cli/graph.py:run -> engine.graph.collapse  [cli]
clients/cli/graph.py:run -> engine.graph.dot  [cli]
clients/cli/graph.py:run -> engine.graph.render  [cli]
clients/cli/graph.py:run -> engine.graph.svg  [cli]
clients/cli/graph.py:run -> engine.language.reader  [cli]
clients/cli/health.py:_assumed -> engine.health.analysis  [cli]
clients/cli/health.py:_flow_lines -> engine.health.init  [cli]
clients/cli/health.py:_flow_lines -> engine.health.model  [cli]
clients/cli/health.py:_judge -> engine.api.stability  [cli]
clients/cli/health.py:_judge -> engine.frontends.claims  [cli]
clients/cli/health.py:_judge -> engine.frontends.document  [cli]
clients/cli/health.py:_judge -> engine.health.recheck  [cli]
clients/cli/health.py:_verbose_report -> engine.health.analysis  [cli]
clients/cli/health.py:_verbose_report -> engine.language.program  [cli]
clients/cli/health.py:run -> engine.health.analysis  [cli]
clients/cli/health.py:side_by_side -> engine.frontends.document  [cli]
clients/cli/health.py:side_by_side -> engine.health.analysis  [cli]
clients/cli/health.py:side_by_side -> engine.language.program  [cli]
clients/cli/inputs.py:looks_like_path -> engine.language.names  [cli]
clients/cli/lsp.py:run -> server.lsp.server  [cli]
clients/cli/main.py:main -> engine.core.source  [cli]
clients/cli/parse.py:_name -> engine.printing  [cli]
clients/cli/parse.py:_render -> engine.printing  [cli]
clients/cli/parse.py:run -> cli.inputs  [cli]
clients/cli/phrasing.py:wordy_notes -> engine.language.names  [cli]
clients/cli/serve.py:run -> server.rpc.batcher  [cli]
clients/cli/serve.py:run -> server.rpc.service  [cli]
engine/api/jobs.py:_check -> engine.language.reader  [jobs]
engine/api/jobs.py:_check -> engine.symbolic.check  [jobs]
engine/api/jobs.py:_derivative -> engine.symbolic.derivatives  [jobs]
engine/api/jobs.py:_derivative -> engine.symbolic.step_text  [jobs]
engine/api/jobs.py:_evaluate -> engine.numeric.kernel  [jobs]
engine/api/jobs.py:_health -> engine.health.recheck  [jobs]
engine/api/jobs.py:_parse -> engine.language.reader  [jobs]
engine/core/ir.py:call -> engine.rules  [ir]
engine/symbolic/results.py:at_points -> engine.numeric.kernel  [call]
server/lsp/workers.py:_judge_one -> engine.health.recheck  [lsp]
server/lsp/workers.py:_judge_one -> engine.numeric.kernel  [lsp]
server/lsp/workers.py:_warm -> engine.health.recheck  [lsp]
server/lsp/workers.py:_warm -> engine.numeric.kernel  [lsp]
server/rpc/convert.py:_add_paths -> engine.numeric.paths  [rpc]
server/rpc/convert.py:_step -> engine.symbolic.step_text  [rpc]
server/rpc/convert.py:analyze -> engine.health.recheck  [rpc]
server/rpc/convert.py:check -> engine.language.reader  [rpc]
server/rpc/convert.py:check -> engine.symbolic.check  [rpc]
server/rpc/convert.py:differentiate -> engine.symbolic.derivatives  [rpc]
server/rpc/programs.py:_compile -> engine.numeric.kernel  [rpc]
server/rpc/programs.py:parse_program -> engine.language.reader  [rpc]
"""


def _frozen() -> dict[str, str]:
    out = {}
    for line in FROZEN.strip().splitlines():
        entry, tag = line.rsplit("  [", 1)
        where, module = entry.split(" -> ")
        out[f"{where} -> chainlens.{module}"] = REASONS[tag.rstrip("]")]
    return out


#: "file:function -> module": reason
FUNCTION_IMPORTS = _frozen()


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).as_posix()
    for folder, package in sorted(PACKAGES.items(), key=lambda kv: -len(kv[0])):
        if rel.startswith(folder + "/"):
            inner = rel[len(folder) + 1:-3].replace("/", ".")
            if inner == "__init__" or inner.endswith(".__init__"):
                inner = inner[: -len("__init__")].rstrip(".")
            return package + ("." + inner if inner else "")
    raise AssertionError(rel)


def _sources() -> dict[str, Path]:
    out = {}
    for folder in PACKAGES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            out[_module_name(path)] = path
    return out


SOURCES = _sources()
FILES = {name: path.relative_to(ROOT).as_posix() for name, path in SOURCES.items()}


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """The chainlens modules one import statement loads."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.startswith("chainlens")]
    base = node.module or ""
    if node.level:
        parts = module.split(".")
        if not is_package:
            parts = parts[:-1]
        parts = parts[: len(parts) - (node.level - 1)]
        base = ".".join(parts) + ("." + node.module if node.module else "")
    if not base.startswith("chainlens"):
        return []
    out = []
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        out.append(sub if sub in SOURCES else base)
    return out


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.dump(node.test)


def _imports(module: str) -> list[tuple[str | None, str]]:
    """``(enclosing function or None, imported module)`` for every import."""
    path = SOURCES[module]
    is_package = path.name == "__init__.py"
    found: list[tuple[str | None, str]] = []

    def visit(node: ast.AST, scope: list[str], in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if _is_type_checking(child):
                continue
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, [*scope, child.name], True)
            elif isinstance(child, ast.ClassDef):
                visit(child, [*scope, child.name], in_function)
            elif isinstance(child, (ast.Import, ast.ImportFrom)):
                where = ".".join(scope) if in_function else None
                found.extend((where, t) for t in _targets(child, module, is_package))
            else:
                visit(child, scope, in_function)

    visit(ast.parse(path.read_text(encoding="utf-8")), [], False)
    return found


IMPORTS = {module: _imports(module) for module in SOURCES}


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[:2] != ["chainlens", "engine"]:
        return None
    return parts[2] if len(parts) > 2 else "engine"


def test_the_engine_and_the_server_never_import_their_callers():
    forbidden = {"chainlens.engine": ("chainlens.server", "chainlens.cli", "chainlens.client"),
                 "chainlens.server": ("chainlens.cli", "chainlens.client")}
    bad = []
    for module, imports in IMPORTS.items():
        for prefix, banned in forbidden.items():
            if module == prefix or module.startswith(prefix + "."):
                bad += [f"{FILES[module]} imports {t}" for _, t in imports
                        if t.split(".")[:2] in [b.split(".") for b in banned]]
    assert not bad, "\n".join(bad)


def test_engine_subpackages_import_only_their_own_layer_or_lower():
    bad = []
    for module, imports in IMPORTS.items():
        mine = _layer(module)
        if mine is None or mine == "engine":
            continue
        assert mine in LAYERS, f"{FILES[module]}: subpackage {mine!r} is not in LAYERS"
        for _, target in imports:
            theirs = _layer(target)
            if theirs is None or (FILES[module], target) in LAYER_EXCEPTIONS:
                continue
            if theirs == "engine" or LAYERS.index(theirs) > LAYERS.index(mine):
                bad.append(f"{FILES[module]} ({mine}) imports {target} ({theirs})")
    assert not bad, "\n".join(bad)


def test_the_layer_exceptions_are_still_needed():
    used = {(FILES[m], t) for m, imports in IMPORTS.items() for _, t in imports}
    assert set(LAYER_EXCEPTIONS) <= used, set(LAYER_EXCEPTIONS) - used


def test_no_import_cycles_between_modules():
    graph = {m: sorted({t for where, t in imports if where is None and t in SOURCES and t != m})
             for m, imports in IMPORTS.items()}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles = []
    for start in sorted(graph):
        if start in state:
            continue
        path, stack = [start], [iter(graph[start])]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                cycles.append(" -> ".join(path[path.index(nxt):] + [nxt]))
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(graph[nxt]))
    assert not cycles, "\n".join(cycles)


def _function_imports() -> set[str]:
    return {f"{FILES[m]}:{where} -> {t}" for m, imports in IMPORTS.items()
            for where, t in imports if where is not None}


def test_no_new_function_level_imports():
    new = sorted(_function_imports() - set(FUNCTION_IMPORTS))
    assert not new, ("imports inside functions hide cycles; import at module level (the "
                     "layering allows it) or, with a reason, add to FUNCTION_IMPORTS:\n"
                     + "\n".join(new))


def test_the_frozen_list_only_shrinks():
    gone = sorted(set(FUNCTION_IMPORTS) - _function_imports())
    assert not gone, "no longer imported inside a function; take off FUNCTION_IMPORTS:\n" + (
        "\n".join(gone))


def test_every_frozen_import_has_a_reason():
    assert all(reason.strip() for reason in FUNCTION_IMPORTS.values())
    used = {line.rsplit("  [", 1)[1].rstrip("]") for line in FROZEN.strip().splitlines()}
    assert used == set(REASONS), set(REASONS) ^ used
