"""Shared test settings: one hypothesis profile for CI and local runs.

Examples are bounded so the whole suite stays within its time budget; the
fuzz tests that need thousands of cases ask for them explicitly."""

from pathlib import Path

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
