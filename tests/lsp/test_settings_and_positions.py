"""Pure parts of the server: settings from client JSON, offsets <-> LSP
positions (UTF-16 by default)."""

from __future__ import annotations

import pytest
from chainlens.server.lsp.positions import LineIndex
from chainlens.server.lsp.settings import FILE_TYPES, Settings, from_json
from lsprotocol import types

SETTINGS_CASES = [
    ({}, Settings()),
    ({"chainlens": {"notation": "latex"}}, Settings(notation="latex")),
    ({"notation": "klingon"}, Settings()),
    ({"thresholds": {"vanishing": 1e-3, "exploding": 1e3}},
     Settings(vanishing=1e-3, exploding=1e3)),
    ({"thresholds": {"vanishing": -1}}, Settings()),
    ({"fileTypes": {"python": False}},
     Settings(file_types=frozenset(FILE_TYPES) - {"python"})),
    ({"fileTypes": ["chain", "nonsense"]}, Settings(file_types=frozenset({"chain"}))),
    ({"defaultVariable": "t", "debounceMs": 10, "fullSteps": False},
     Settings(default_variable="t", debounce_ms=10, full_steps=False)),
    ({"defaultVariable": "1+1", "debounceMs": -5}, Settings()),
    ("not a dict", Settings()),
]


@pytest.mark.parametrize(("raw", "expected"), SETTINGS_CASES)
def test_settings_from_client_json(raw, expected):
    assert from_json(raw) == expected


TEXT = "ab\n𝑥 = é\n\nlast"
POSITION_CASES = [
    # (offset, utf-16 position, utf-32 position)
    (0, (0, 0), (0, 0)),
    (2, (0, 2), (0, 2)),
    (3, (1, 0), (1, 0)),
    (4, (1, 2), (1, 1)),  # after the astral 𝑥: two UTF-16 units, one code point
    (7, (1, 5), (1, 4)),
    (9, (2, 0), (2, 0)),
    (10, (3, 0), (3, 0)),
    (14, (3, 4), (3, 4)),
]


@pytest.mark.parametrize(("offset", "utf16", "utf32"), POSITION_CASES)
def test_offsets_and_positions_round_trip(offset, utf16, utf32):
    for encoding, (line, character) in (("utf-16", utf16), ("utf-32", utf32)):
        index = LineIndex(TEXT, encoding)
        assert index.position(offset) == types.Position(line=line, character=character)
        assert index.offset(types.Position(line=line, character=character)) == offset


def test_positions_past_the_end_are_clamped():
    index = LineIndex(TEXT)
    assert index.offset(types.Position(line=99, character=0)) == len(TEXT)
    assert index.offset(types.Position(line=0, character=99)) == 2
