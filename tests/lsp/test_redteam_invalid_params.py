"""Red team, round 6: a request whose params pygls cannot type (a hover with
no position, a negative line) is answered with JSON-RPC error -32602 under
its own id; before, the server logged it and never answered, so a client
waiting on that id waited forever. The server keeps serving afterwards."""

from __future__ import annotations

import lsp_wire
from lsp_wire import request


def test_a_request_with_invalid_params_gets_an_error_answer():
    wire = lsp_wire.Wire()
    try:
        wire.send(request(1, "initialize", {"processId": None, "rootUri": None,
                                            "capabilities": {}}))
        assert wire.response(1, timeout=30) is not None
        uri = "file:///tmp/chainlens-tests/invalid-params.md"
        wire.send(lsp_wire.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": 1,
            "text": "$\\frac{d}{dx} x^2 = 2x$\n"}}))
        wire.send(request(2, "textDocument/hover", {"textDocument": {"uri": uri}}))
        missing = wire.response(2, timeout=15)
        assert missing is not None and missing["error"]["code"] == -32602, missing
        wire.send(request("three", "textDocument/hover", {
            "textDocument": {"uri": uri}, "position": {"line": -1, "character": -5}}))
        negative = wire.response("three", timeout=15)
        assert negative is not None and negative["error"]["code"] == -32602, negative
        # a notification with bad params gets no answer, and the server still serves
        wire.send(lsp_wire.notify("textDocument/didChange", {"textDocument": {"uri": uri}}))
        wire.send(request(4, "textDocument/hover", {
            "textDocument": {"uri": uri}, "position": {"line": 0, "character": 16}}))
        answer = wire.response(4, timeout=15)
        assert answer is not None and "error" not in answer, answer
    finally:
        wire.send(request(9, "shutdown"))
        wire.response(9, timeout=10)
        wire.send(lsp_wire.notify("exit"))
        wire.close()
