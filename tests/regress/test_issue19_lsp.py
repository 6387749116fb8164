"""#19, language server: the transport, initialize, the worker and memory.

The server is a real ``chainlens lsp`` subprocess on pipes, spoken to in raw
bytes; every wait is bounded in time.
"""

from __future__ import annotations

import json
import math
import os
import signal
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lsp"))
import lsp_wire  # noqa: E402  (tests/lsp/lsp_wire.py: the raw-pipe client)
from lsp_wire import frame, notify, request  # noqa: E402

INITIALIZE = {"processId": None, "rootUri": None, "capabilities": {}}


class Wire(lsp_wire.Wire):
    """``chainlens lsp`` on pipes (tests/lsp/lsp_wire.py), initialised on request."""

    def initialize(self) -> dict | None:
        self.send(request(1, "initialize", INITIALIZE))
        answer = self.response(1, timeout=20.0)
        self.send(notify("initialized"))
        return answer


# ---------------------------------------------------------------- the transport


def _alive_after(wire: Wire, garbage: bytes) -> None:
    """After ``garbage``, the server still answers a well-formed request."""
    wire.send(garbage)
    wire.send(request(7, "shutdown"))
    assert wire.response(7, timeout=8.0) is not None, "the server stopped answering"
    assert wire.proc.poll() is None


def _refusal(wire: Wire) -> dict | None:
    return wire.wait_for(lambda m: m.get("id") is None and "error" in m, timeout=5.0)


def test_a_huge_content_length_is_refused_not_allocated():
    wire = Wire()
    try:
        assert wire.initialize() is not None
        wire.send(b"Content-Length: 1000000000000\r\n\r\n{}")
        refused = _refusal(wire)
        assert refused is not None and "over the limit" in refused["error"]["message"]
        _alive_after(wire, b"")
    finally:
        wire.close()


def test_an_absurd_content_length_is_refused():
    wire = Wire()
    try:
        assert wire.initialize() is not None
        wire.send(b"Content-Length: " + b"1" + b"0" * 30 + b"\r\n\r\n{}")
        assert _refusal(wire) is not None
        _alive_after(wire, b"")
    finally:
        wire.close()


def test_a_two_gigabyte_claim_does_not_hang_the_server():
    wire = Wire()
    try:
        assert wire.initialize() is not None
        _alive_after(wire, b"Content-Length: 2147483648\r\n\r\n{\"jsonrpc\": \"2.0\"}")
    finally:
        wire.close()


def test_a_header_without_its_blank_line_does_not_desynchronise():
    wire = Wire()
    try:
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                           "params": INITIALIZE}).encode()
        wire.send(b"Content-Length: %d\r\n" % len(body) + body)  # no blank line
        assert wire.response(1, timeout=20.0) is not None
        wire.send(notify("initialized"))
        for n in range(2, 5):  # and the frames after it are read in step
            wire.send(request(n, "workspace/executeCommand", {"command": "nope"}))
            assert wire.response(n) is not None
    finally:
        wire.close()


def test_garbage_between_messages_is_skipped_to_the_next_header():
    wire = Wire()
    try:
        assert wire.initialize() is not None
        _alive_after(wire, b"this is not a header\r\n{]]]\r\n")
    finally:
        wire.close()


def test_a_body_that_is_not_json_gets_a_parse_error():
    wire = Wire()
    try:
        assert wire.initialize() is not None
        wire.send(b"Content-Length: 5\r\n\r\n{oops")
        refused = _refusal(wire)
        assert refused is not None and refused["error"]["code"] == -32700
        _alive_after(wire, b"")
    finally:
        wire.close()


# ---------------------------------------------------------------- initialize


def test_a_second_initialize_is_refused_and_keeps_open_documents():
    wire = Wire()
    try:
        assert wire.initialize() is not None
        uri = "file:///tmp/issue19-second-init.chain"
        wire.send(notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "chain", "version": 1, "text": "y = sin(x^2)\n"}}))
        wire.send(request(2, "initialize", INITIALIZE))
        again = wire.response(2)
        assert again is not None and "error" in again
        assert again["error"]["code"] == -32600
        wire.send(request(3, "textDocument/hover", {
            "textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}))
        hover = wire.response(3, timeout=20.0)
        assert hover is not None and "error" not in hover
        assert hover["result"] is not None, "the open document was forgotten"
    finally:
        wire.close()


# ---------------------------------------------------------------- the health worker


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read().decode()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if int(fields[1]) == pid and fields[0] not in "ZX":
            out.append(int(entry))
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read().decode()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2:].split()[0] not in "ZX"


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
def test_kill_9_of_the_server_ends_its_health_worker_and_frees_the_pipes():
    wire = Wire()
    try:
        assert wire.initialize() is not None
        uri = "file:///tmp/issue19-worker.chain"
        wire.send(notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "chain", "version": 1,
            "text": "@at x = 0.5\ny = tanh(3*x)\n"}}))
        deadline = time.monotonic() + 20
        workers: list[int] = []
        while not workers and time.monotonic() < deadline:
            workers = _children(wire.proc.pid)
            time.sleep(0.1)
        assert workers, "the health worker never started"
        wire.proc.send_signal(signal.SIGKILL)
        wire.proc.wait(timeout=5)
        deadline = time.monotonic() + 5
        while any(_alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        survivors = [p for p in workers if _alive(p)]
        for p in survivors:
            os.kill(p, signal.SIGKILL)
        assert not survivors, "the health worker outlived the server"
        # the editor sees the end of its pipe: nobody holds it any more
        assert wire.wait_for(lambda m: False, timeout=3.0) is None
        assert not wire._reader.is_alive()
    finally:
        wire.close()


def test_the_worker_reads_nothing_again(monkeypatch):
    """The heavy half gets the programs the light half read: the worker
    neither parses nor reads Python again (#11: work done twice)."""
    from chainlens.engine.frontends import python_source
    from chainlens.engine.language import reader
    from chainlens.server.lsp import workers

    program = reader.parse("@at x = 0.5\ny = sin(x)^2\n")
    calls = []
    monkeypatch.setattr(reader, "parse", lambda *a, **k: calls.append("parse"))
    monkeypatch.setattr(python_source, "read_python", lambda *a, **k: calls.append("python"))
    [judged] = workers.judge_units("chain", [workers.portable(program)], 1e-6, 1e6)
    assert calls == []
    assert judged.problems == ()
    assert judged.point.where == "at"
    # dy/dx = 2 sin x cos x at 0.5, the oracle done by hand
    assert judged.point.adjoints["x"] == pytest.approx(2 * math.sin(0.5) * math.cos(0.5))


def test_a_program_travels_to_the_worker_by_pickle():
    import pickle

    from chainlens.engine.language.reader import parse
    from chainlens.server.lsp.workers import portable

    program = parse("@at x = 0.5\ny = exp(x)\n")
    copy = pickle.loads(pickle.dumps(portable(program)))
    assert copy.outputs == program.outputs and copy.expanded("y") is program.expanded("y")


# ---------------------------------------------------------------- the framer itself


def _frames(*chunks: bytes, **limits):
    from chainlens.server.lsp.transport import Framer

    framer = Framer(**limits)
    out = []
    for chunk in chunks:
        out.extend(framer.feed(chunk))
    return out


def _is_refusal(frame) -> bool:
    from chainlens.server.lsp.transport import Refused

    return isinstance(frame, Refused)


def test_frames_split_anywhere_are_read_whole():
    data = frame({"a": 1}) + frame({"b": 2})
    for cut in range(1, len(data)):
        assert _frames(data[:cut], data[cut:]) == [b'{"a": 1}', b'{"b": 2}']


def test_one_byte_at_a_time():
    data = frame({"a": 1}) + b"Content-Length: 99999999999\r\n\r\n{}" + frame({"b": 2})
    out = _frames(*(data[i:i + 1] for i in range(len(data))))
    assert out[0] == b'{"a": 1}' and _is_refusal(out[1]) and out[2] == b'{"b": 2}'


def test_oversize_is_refused_without_reading_it():
    out = _frames(b"Content-Length: 101\r\n\r\n" + b"x" * 101 + frame({"ok": True}),
                  max_body=100)
    assert _is_refusal(out[0]) and "over the limit of 100 bytes" in out[0].reason
    assert out[1:] == [b'{"ok": true}']


def test_a_header_line_without_end_is_bounded():
    out = _frames(b"X-Long: " + b"y" * 10_000, frame({"ok": True}), max_header=100)
    assert _is_refusal(out[0]) and out[-1] == b'{"ok": true}'


def test_a_block_without_content_length_is_refused():
    out = _frames(b"Content-Type: x\r\n\r\n{}" + frame({"ok": True}))
    assert _is_refusal(out[0]) and out[-1] == b'{"ok": true}'


def test_other_headers_and_case_are_accepted():
    body = b'{"a": 1}'
    data = b"content-length: 8\r\nContent-Type: application/vscode-jsonrpc\r\n\r\n" + body
    assert _frames(data) == [body]


def test_the_reader_never_holds_more_than_it_must():
    from chainlens.server.lsp.transport import Framer

    framer = Framer(max_body=100, max_header=100)
    framer.feed(b"Content-Length: 999999\r\n\r\n")
    for _ in range(100):
        framer.feed(b"z" * 10_000)
    assert len(framer._buf) < 100


# ---------------------------------------------------------------- memory after closing


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().decode(errors="replace")
    except OSError:
        return ""


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
def test_closing_the_last_document_lets_go_of_the_health_worker():
    """The worker held the heavy half's memory (health of big programs)
    after every document had closed; now it stops, and starts again when
    a document needs it."""
    wire = Wire()
    try:
        assert wire.initialize() is not None
        text = "@at x = 0.5\nh0 = x\n" + "".join(
            f"h{i} = tanh(0.5*h{i - 1} + 0.1)\n" for i in range(1, 300)) + "y = h299\n"
        for n, uri in enumerate(("file:///tmp/issue19-mem-a.chain",
                                 "file:///tmp/issue19-mem-b.chain")):
            wire.send(notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "chain", "version": 1, "text": text}}))
            wire.send(request(20 + n, "textDocument/inlayHint", {
                "textDocument": {"uri": uri},
                "range": {"start": {"line": 0, "character": 0},
                          "end": {"line": 400, "character": 0}}}))
            assert wire.response(20 + n, timeout=30) is not None
        workers = [p for p in _children(wire.proc.pid) if "resource_tracker" not in _cmdline(p)]
        assert workers, "no health worker ran"
        peak = sum(_rss_mb(p) for p in workers)
        for uri in ("file:///tmp/issue19-mem-a.chain", "file:///tmp/issue19-mem-b.chain"):
            wire.send(notify("textDocument/didClose", {"textDocument": {"uri": uri}}))
        deadline = time.monotonic() + 5
        while any(_alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(p) for p in workers), \
            f"the health worker kept {peak:.0f} MB after every document closed"
        # and a new document gets a new worker
        uri = "file:///tmp/issue19-mem-c.chain"
        wire.send(notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "chain", "version": 1, "text": "@at x = 1\ny = x^2\n"}}))
        wire.send(request(30, "textDocument/hover", {
            "textDocument": {"uri": uri}, "position": {"line": 1, "character": 0}}))
        assert wire.response(30, timeout=30) is not None
        deadline = time.monotonic() + 20
        fresh: list[int] = []
        while not fresh and time.monotonic() < deadline:
            fresh = [p for p in _children(wire.proc.pid)
                     if "resource_tracker" not in _cmdline(p) and p not in workers]
            time.sleep(0.1)
        assert fresh, "no worker started for the new document"
    finally:
        wire.close()


def test_the_last_close_empties_the_engines_caches(monkeypatch):
    from chainlens.engine.core.cache import Cache
    from chainlens.server.lsp import documents

    trimmed = []
    monkeypatch.setattr(documents, "_trim_heap", lambda: trimmed.append(True))
    cache = Cache(max_entries=4)
    cache.put("derivative", object())
    store = documents.DocumentStore()
    try:
        store.kind("file:///a.chain", "chain")
        store.kind("file:///b.chain", "chain")
        store.forget("file:///a.chain")
        assert len(cache) == 1 and not trimmed  # b is still open
        store.forget("file:///b.chain")
        assert len(cache) == 0 and trimmed
    finally:
        store.shutdown()
