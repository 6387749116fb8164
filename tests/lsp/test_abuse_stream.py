"""The language server under an abusive edit stream (issue #16).

A real ``chainlens lsp`` on pipes, spoken to in raw bytes, receives a
random stream of edits: ordinary ones, ranges past the end of the document,
positions inside a UTF-16 surrogate pair, binary content (NUL and control
characters), whole 2 MB documents, and malformed JSON-RPC frames (bodies
that are not JSON, wrong parameter types, unknown methods, lying lengths).
After every abuse a hover must still be answered, and the server's memory
(its own RSS and its worker's) must stay bounded.  The CI size is modest;
the issue's full run is

    CHAINLENS_ABUSE_EDITS=10000 .venv/bin/python -m pytest -q -s tests/lsp/test_abuse_stream.py
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import subprocess
import time
from pathlib import Path

import lsp_wire
import pytest
from lsp_wire import frame

EDITS = int(os.environ.get("CHAINLENS_ABUSE_EDITS", "300"))
RSS_LIMIT_MB = 1500
URI = "file:///tmp/chainlens-tests/abuse.chain"
SEED = "z = w*x + b\na = sigmoid(z)\n𝑥 = a + 1\nL = (a - y)^2\n@at x=0.5, w=0.8, b=-0.1, y=1\n"
TOKENS = ["(", ")", "^", "*", "+", "\n", " ", "x", "sigmoid(", "\\frac{", "@at x=", "1e308",
          "repeat k in 1..", "é", "𝑥", "#", "\t", "f(t) = t^2\n", "=", "y"]


class Wire(lsp_wire.Wire):
    """The raw-pipe client (lsp_wire.py) with RSS and an orderly shutdown."""

    def request(self, msg_id, method: str, params) -> None:
        self.send(frame({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params}))

    def notify(self, method: str, params) -> None:
        self.send(frame({"jsonrpc": "2.0", "method": method, "params": params}))

    def response(self, msg_id, timeout: float = 30.0):
        return super().response(msg_id, timeout)

    def rss_mb(self) -> float:
        """RSS of the server and its children (the health worker)."""
        total = 0
        pids = [self.proc.pid]
        with contextlib.suppress(OSError):
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
            pids += [int(p) for p in children.split()]
        for pid in pids:
            with contextlib.suppress(OSError):
                status = Path(f"/proc/{pid}/status").read_text()
                total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        return total / 1024

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.request(999_999_999, "shutdown", None)
            self.response(999_999_999, timeout=10)
            self.notify("exit", None)
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)


def _pos(line: int, character: int) -> dict:
    return {"line": line, "character": character}


def _change(wire: Wire, version: int, changes: list) -> None:
    wire.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": version},
                                           "contentChanges": changes})


def _abuse(rng: random.Random, wire: Wire, version: int) -> str:
    kind = rng.choices(["edit", "past-end", "surrogate", "binary", "huge", "malformed"],
                       [50, 12, 10, 10, 2, 16])[0]
    if kind == "edit":
        line, char = rng.randrange(6), rng.randrange(12)
        _change(wire, version, [{"range": {"start": _pos(line, char), "end": _pos(line, char)},
                                 "text": rng.choice(TOKENS)}])
    elif kind == "past-end":
        far = rng.choice([10 ** 6, 2 ** 31 - 1, 40])
        _change(wire, version, [{"range": {"start": _pos(far, far), "end": _pos(far + 1, 0)},
                                 "text": rng.choice(TOKENS)}])
    elif kind == "surrogate":  # inside the pair of 𝑥, or with the end before the start
        start, end = (_pos(2, 1), _pos(2, 1)) if rng.random() < 0.5 else (_pos(3, 5), _pos(1, 2))
        _change(wire, version, [{"range": {"start": start, "end": end}, "text": "q"}])
    elif kind == "binary":
        junk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200))).decode("latin-1")
        _change(wire, version, [{"range": {"start": _pos(1, 0), "end": _pos(1, 0)},
                                 "text": junk}])
    elif kind == "huge":
        body = ("a = x\n" + "b = sin(a) + a^2 * cos(a)\n" * 80_000)[: 2 * 1024 * 1024]
        _change(wire, version, [{"text": body}])
        _change(wire, version + 1, [{"text": SEED}])
    else:
        wire.send(rng.choice([
            b"Content-Length: 7\r\n\r\n{nope!}",
            frame({"jsonrpc": "2.0", "id": "bad", "method": "textDocument/hover",
                   "params": "not an object"}),
            frame({"jsonrpc": "2.0", "id": 17, "method": "no/such/method", "params": {}}),
            frame({"jsonrpc": "2.0", "method": "textDocument/didChange",
                   "params": {"textDocument": {"uri": URI}, "contentChanges": 5}}),
            frame([1, 2, 3]),
            b"Content-Length: 3\r\n\r\n" + frame({"jsonrpc": "2.0"}),
            b"\x00\xff garbage without a header\r\n\r\n",
        ]))
    return kind


@pytest.mark.timeout(3600)
def test_hover_answers_after_every_abuse_and_memory_stays_bounded():
    wire = Wire()
    rng = random.Random(16)
    try:
        wire.request(1, "initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        assert wire.response(1, timeout=30) is not None
        wire.notify("initialized", {})
        wire.notify("textDocument/didOpen", {"textDocument": {
            "uri": URI, "languageId": "chain", "version": 1, "text": SEED}})
        rss = [wire.rss_mb()]
        kinds: dict[str, int] = {}
        slowest = 0.0
        version = 1
        t0 = time.monotonic()
        for i in range(EDITS):
            version += 2
            kind = _abuse(rng, wire, version)
            kinds[kind] = kinds.get(kind, 0) + 1
            started = time.monotonic()
            wire.request(10 + i, "textDocument/hover", {"textDocument": {"uri": URI},
                                                        "position": _pos(rng.randrange(5), 2)})
            answer = wire.response(10 + i, timeout=30)
            assert answer is not None, f"no hover answer after a {kind!r} abuse (edit {i})"
            assert "error" not in answer or answer["error"]["code"] != -32603, answer
            slowest = max(slowest, time.monotonic() - started)
            if i % 50 == 0:
                rss.append(wire.rss_mb())
        rss.append(wire.rss_mb())
        print(f"\n{EDITS} abuses in {time.monotonic() - t0:.0f} s: {dict(sorted(kinds.items()))};"
              f" slowest hover {slowest:.2f} s; RSS MB start {rss[0]:.0f}, max {max(rss):.0f},"
              f" end {rss[-1]:.0f}")
        assert wire.proc.poll() is None
        assert max(rss) < RSS_LIMIT_MB
    finally:
        wire.close()
