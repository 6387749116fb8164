"""The demo's gRPC burst lives with the clients: the server package never
imports a client."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_server_never_imports_clients():
    offenders = sorted(
        str(path.relative_to(ROOT)) for path in (ROOT / "server").rglob("*.py")
        if any(n.startswith(("chainlens.client", "chainlens.cli")) for n in _imports(path)))
    assert offenders == []


def test_burst_matches_the_local_engine():
    from chainlens.cli.burst import run_burst

    summary = run_burst(24, batch_timeout_ms=5.0)
    assert summary.requests == 24
    assert summary.all_match
    assert sum(size * count for size, count in summary.batch_sizes.items()) == 24
