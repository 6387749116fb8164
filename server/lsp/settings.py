"""User settings, read through ``workspace/configuration`` (section
``chainlens``) and from ``initializationOptions`` for clients that cannot
answer configuration requests (Neovim 0.7, simple test clients).

Settings are a frozen value: a document analysis records the settings it
was computed with, and a change of settings re-analyses open documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from chainlens.engine.api.inputs import InputError, notation
from chainlens.engine.frontends.kinds import KINDS

__all__ = ["Settings", "FILE_TYPES", "from_json"]

#: the kinds of document the server reads (each can be switched off)
FILE_TYPES = KINDS
#: notations a hover can show results in
NOTATIONS = ("unicode", "latex", "text")


@dataclass(frozen=True)
class Settings:
    #: a gradient factor product below this is reported as vanishing
    vanishing: float = 1e-6
    #: ... and above this as exploding
    exploding: float = 1e6
    #: which document kinds the server analyses
    file_types: frozenset[str] = field(default_factory=lambda: frozenset(FILE_TYPES))
    #: the variable of a Python expression or note with several candidates
    default_variable: str = "x"
    #: notation of results in hovers and inserted comments
    notation: str = "unicode"
    #: milliseconds between the last keystroke and the diagnostics run
    debounce_ms: int = 150
    #: show the full derivation under the short steps in hovers
    full_steps: bool = True
    #: deadline of the numeric + health half of an analysis (worker process)
    analysis_timeout_ms: int = 10_000


_KEYS = {"vanishingThreshold": "vanishing", "explodingThreshold": "exploding",
         "defaultVariable": "default_variable", "notation": "notation",
         "debounceMs": "debounce_ms", "fullSteps": "full_steps",
         "analysisTimeoutMs": "analysis_timeout_ms"}


def _valid(name: str, value: object) -> bool:
    if name == "notation":
        try:
            return notation(value, NOTATIONS) == value
        except InputError:
            return False
    if name == "debounce_ms":
        return isinstance(value, int) and 0 <= value <= 10_000
    if name == "analysis_timeout_ms":
        return isinstance(value, int) and 100 <= value <= 600_000
    if name == "full_steps":
        return isinstance(value, bool)
    if name == "default_variable":
        return isinstance(value, str) and value.isidentifier()
    return False


def from_json(raw: object, base: Settings | None = None) -> Settings:
    """Settings from the JSON a client sends; unknown keys and values of the
    wrong type are ignored (a typo in a settings file must not break the
    server)."""
    settings = base or Settings()
    if not isinstance(raw, dict):
        return settings
    if "chainlens" in raw and isinstance(raw["chainlens"], dict):
        raw = raw["chainlens"]
    changes: dict[str, object] = {}
    thresholds = raw.get("thresholds")
    if isinstance(thresholds, dict):
        raw = {**raw, "vanishingThreshold": thresholds.get("vanishing"),
               "explodingThreshold": thresholds.get("exploding")}
    for key, name in _KEYS.items():
        value = raw.get(key)
        if value is None:
            continue
        if name in ("vanishing", "exploding") and isinstance(value, int | float) and value > 0:
            changes[name] = float(value)
        elif _valid(name, value):
            changes[name] = value
    file_types = raw.get("fileTypes")
    if isinstance(file_types, dict):
        on = {k for k in FILE_TYPES if file_types.get(k, k in settings.file_types)}
        changes["file_types"] = frozenset(on)
    elif isinstance(file_types, list):
        changes["file_types"] = frozenset(t for t in file_types if t in FILE_TYPES)
    return replace(settings, **changes)
