"""``chainlens lsp --tcp HOST:PORT``: the same server over a socket."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _read_message(sock: socket.socket) -> dict:
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(4096)
    head, body = data.split(b"\r\n\r\n", 1)
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length")))
    while len(body) < length:
        body += sock.recv(4096)
    return json.loads(body[:length])


def test_tcp_transport_answers_initialize():
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "chainlens.cli.main", "lsp", "--tcp",
                               f"127.0.0.1:{port}"], stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                sock = socket.create_connection(("127.0.0.1", port), timeout=30)
                break
            except OSError:
                assert time.monotonic() < deadline, "server did not listen"
                time.sleep(0.1)
        with sock:
            body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                               "params": {"capabilities": {
                               "notebookDocument": {"synchronization": {}}}}}).encode()
            sock.sendall(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
            reply = _read_message(sock)
        caps = reply["result"]["capabilities"]
        assert reply["id"] == 1
        assert caps["hoverProvider"] is True
        assert caps["textDocumentSync"]["change"] == 2  # incremental
        assert caps["inlayHintProvider"] == {"resolveProvider": False}
        assert caps["diagnosticProvider"]["identifier"] == "chainlens"
        assert caps["notebookDocumentSync"]["notebookSelector"][0]["notebook"] == \
            "jupyter-notebook"
        assert reply["result"]["serverInfo"] == {"name": "chainlens", "version": "0.1.0"}
    finally:
        server.terminate()
        server.wait(10)


def test_bad_tcp_address_is_a_clear_error():
    done = subprocess.run([sys.executable, "-m", "chainlens.cli.main", "lsp", "--tcp", "nope"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--tcp wants HOST:PORT, got 'nope'" in done.stdout + done.stderr
