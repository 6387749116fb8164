"""``chainlens lsp`` on raw pipes, for the tests that abuse its transport:
frames built by hand, every message from the server in a queue.

Shared by tests/regress/test_issue19_lsp.py and tests/lsp/test_abuse_stream.py,
which send bytes no LSP client library would."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

CHAINLENS = str(Path(sys.executable).with_name("chainlens"))


def frame(payload) -> bytes:
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def request(msg_id, method: str, params=None) -> bytes:
    return frame({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params or {}})


def notify(method: str, params=None) -> bytes:
    return frame({"jsonrpc": "2.0", "method": method, "params": params or {}})


class Wire:
    """``chainlens lsp`` on pipes; messages from it land in a queue."""

    def __init__(self, *args: str, env: dict | None = None):
        self.proc = subprocess.Popen(
            [CHAINLENS, "lsp", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})}, start_new_session=True)
        self.messages: queue.Queue = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                if line.strip() == b"":
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            self.messages.put(json.loads(out.read(length)))

    def send(self, data: bytes) -> None:
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def wait_for(self, match, timeout: float = 8.0):
        """The first message with ``match(message)`` true, or None when the
        server ends or ``timeout`` passes; other messages are dropped."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = self.messages.get(timeout=left)
            except queue.Empty:
                return None
            if message is None:
                return None
            if match(message):
                return message
        return None

    def response(self, msg_id, timeout: float = 8.0):
        return self.wait_for(lambda m: m.get("id") == msg_id and "method" not in m, timeout)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
