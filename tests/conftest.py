"""Shared test settings: one hypothesis profile for CI and local runs.

Examples are bounded so the whole suite stays within its time budget; the
fuzz tests that need thousands of cases ask for them explicitly."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "chainlens",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
settings.load_profile("chainlens")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

#: Test files that time themselves against the wall clock (a cheap request
#: answered within 0.5 s while expensive work runs, a worker killed at its
#: deadline, a background build that must not delay a first call).  `make
#: test` runs the rest of the suite on two workers (pytest-xdist) and these
#: after it, alone, so the other worker's load cannot stretch their clocks.
SERIAL = frozenset({
    "tests/regress/test_issue19_batch.py",
    "tests/regress/test_issue19_grpc.py",
    "tests/regress/test_issue19_symbolic.py",
    "tests/regress/test_issue19_lsp.py",
    "tests/rpc/test_isolation.py",
    "tests/rpc/test_abuse_load.py",
    "tests/numeric/test_schedule_timing.py",
    "tests/numeric/test_chunks.py",
    "tests/lsp/test_abuse_stream.py",
    "tests/batch/test_progress_eta.py",
})


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(item.fspath).resolve().relative_to(ROOT).as_posix() in SERIAL:
            item.add_marker(pytest.mark.serial)
