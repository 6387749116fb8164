"""``chainlens lsp --tcp`` serves one client after another until stopped:
each client gets a fresh session (initialize, a document, a hover, shutdown,
exit), and the server neither exits nor prints a traceback in between."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time

import pytest

NEURON = "z = w*x + b\na = sigmoid(z)\nL = (a - y)^2\n@at x=0.5, w=0.8, b=-0.1, y=1\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Wire:
    def __init__(self, sock: socket.socket):
        self.sock, self.buf, self.next_id = sock, b"", 0

    def send(self, method: str, params, request: bool = True):
        body = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            self.next_id += 1
            body["id"] = self.next_id
        data = json.dumps(body).encode()
        self.sock.sendall(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        return body.get("id")

    def read(self) -> dict:
        while b"\r\n\r\n" not in self.buf:
            self.buf += self._recv()
        head, _, rest = self.buf.partition(b"\r\n\r\n")
        headers = dict(line.split(b":", 1) for line in head.split(b"\r\n"))
        length = int(headers[b"Content-Length"])
        while len(rest) < length:
            rest += self._recv()
        self.buf = rest[length:]
        return json.loads(rest[:length])

    def _recv(self) -> bytes:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        return chunk

    def answer(self, request_id) -> dict:
        while True:
            message = self.read()
            if message.get("id") == request_id and "method" not in message:
                return message


def _session(port: int, uri: str) -> str:
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        wire = Wire(sock)
        rid = wire.send("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        assert "capabilities" in wire.answer(rid)["result"]
        wire.send("initialized", {}, request=False)
        wire.send("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "chain", "version": 1, "text": NEURON}}, request=False)
        rid = wire.send("textDocument/hover", {"textDocument": {"uri": uri},
                                               "position": {"line": 0, "character": 4}})
        hover = wire.answer(rid)["result"]["contents"]["value"]
        rid = wire.send("shutdown", None)
        wire.answer(rid)
        wire.send("exit", None, request=False)
        return hover


@pytest.fixture
def tcp_server():
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "chainlens.cli.main", "lsp", "--tcp",
                             f"127.0.0.1:{port}"], stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield proc, port
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_tcp_serves_one_client_after_another(tcp_server):
    proc, port = tcp_server
    hovers = [_session(port, f"file:///tmp/tcp-{i}.chain") for i in range(3)]
    assert all(h.startswith("**∂L/∂w** = ") for h in hovers)
    time.sleep(0.5)
    assert proc.poll() is None  # still serving after three clients left
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=20)
    stderr = proc.stderr.read()
    assert "Traceback" not in stderr and "SystemExit" not in stderr
