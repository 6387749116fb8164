"""``textDocument/inlayHint``: |∂L/∂v| beside each assignment of a
``.chain`` file, at the ``@at`` point.

Read down the margin of a deep network and the vanishing layers are the
ones where the magnitudes fall off a cliff.  The numbers are the numeric
backward pass's adjoints (one evaluation per document version, shared
with the hovers); a document without a point gets no hints.
"""

from __future__ import annotations

import asyncio
import logging

import numpy as np
from chainlens.engine.numeric.results import magnitude
from chainlens.server.lsp.analysis import Analysis
from lsprotocol import types

log = logging.getLogger("chainlens.lsp")

__all__ = ["register", "compute"]


def register(server) -> None:
    @server.feature(types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False))
    async def on_inlay_hint(ls, params: types.InlayHintParams):
        try:
            analysis = await server.current(params.text_document.uri)
            if analysis is None or analysis.kind != "chain":
                return []
            start = analysis.index.offset(params.range.start)
            end = analysis.index.offset(params.range.end)
            return await server.store.run(compute, analysis, start, end)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001
            log.exception("inlay hints failed")
            return []


def _magnitude(value) -> float | None:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    if arr.size == 0:
        return None
    return magnitude(arr)


def _all(analysis: Analysis) -> list[tuple[int, str, str]]:
    if not analysis.units or analysis.units[0].point is None:
        return []
    unit = analysis.units[0]
    adjoints = unit.point.adjoints
    out_name = unit.program.outputs[0] if unit.program.outputs else "L"
    # Inside a repeat one source line makes an SSA version per layer: the
    # hint shows the first and the last layer's magnitudes, which is where
    # a vanishing gradient shows.
    by_line: dict[int, list] = {}
    for a in unit.program.assignments:
        if a.name in adjoints and a.name != out_name:
            mag = _magnitude(adjoints[a.name])
            if mag is not None:
                by_line.setdefault(a.span.start, []).append((a, mag))
    hints = []
    for start, items in by_line.items():
        first, last = items[0], items[-1]
        line_end = analysis.text.find("\n", start)
        line_end = len(analysis.text) if line_end < 0 else line_end
        label = f"|∂{out_name}/∂{first[0].display}| = {first[1]:.2g}"
        if len(items) > 1:
            label += f" … {last[1]:.2g} (layers {first[0].layer}..{last[0].layer})"
        hints.append((line_end, label, first[0].display))
    hints.sort()
    return hints


def compute(analysis: Analysis, start: int, end: int) -> list[types.InlayHint]:
    hints = analysis.memoised("inlay", lambda: _all(analysis))
    return [types.InlayHint(position=analysis.index.position(at), label=label,
                            kind=types.InlayHintKind.Type, padding_left=True,
                            tooltip=f"gradient magnitude of {name} at the @at point")
            for at, label, name in hints if start <= at <= end]
