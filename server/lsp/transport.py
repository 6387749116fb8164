"""The language server's wire: LSP base-protocol frames read with bounds.

pygls's own reader trusts the peer: it hands ``Content-Length`` straight to
``read(n)`` (10^12 bytes is a MemoryError that kills the server, 2^31 blocks
forever, 10^30 an OverflowError) and, when a header block lacks its blank
line, it pairs the next message's blank line with the wrong length and never
finds its place again.  This reader keeps the peer's mistakes the peer's:

* a body longer than :data:`MAX_MESSAGE_BYTES` is refused, not read: the
  client gets a JSON-RPC error (id null, as JSON-RPC prescribes when the id
  cannot be known) and the reader skips to the next ``Content-Length:``;
* a header line is at most :data:`MAX_HEADER_BYTES`; anything that is not a
  header where a header belongs is refused the same way;
* a ``Content-Length`` header followed directly by the body (no blank line)
  is read as that body, so the request is still answered;
* bytes are read in chunks of at most 64 KiB, so nothing the peer claims
  decides how much memory one read takes.

:class:`Framer` is the pure part (bytes in, bodies and refusals out);
:func:`serve` drives it from any chunk source and hands bodies to pygls.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

log = logging.getLogger("chainlens.lsp")

__all__ = ["MAX_MESSAGE_BYTES", "MAX_HEADER_BYTES", "Refused", "Framer", "serve"]

#: The largest message body read (a 64 MiB document is far beyond any editor's).
MAX_MESSAGE_BYTES = 64 * 1024 * 1024
#: The longest header line.
MAX_HEADER_BYTES = 8 * 1024
#: Bytes asked of the transport per read.
CHUNK = 64 * 1024

_TOKEN = rb"[A-Za-z0-9!#$%&'*+.^_`|~-]"
_HEADER = re.compile(rb"(" + _TOKEN + rb"+):[ \t]*(.*?)[ \t]*\r?")
_HEADER_PREFIX = re.compile(_TOKEN + rb"*(?::[^\r\n]*)?\r?")
_MARKER = re.compile(rb"content-length:", re.IGNORECASE)
_MARKER_LEN = len(b"content-length:")


@dataclass(frozen=True)
class Refused:
    """Bytes that were not a message, and why (said to the client)."""

    reason: str


class Framer:
    """Base-protocol frames from a byte stream, in bounded memory."""

    def __init__(self, max_body: int = MAX_MESSAGE_BYTES, max_header: int = MAX_HEADER_BYTES):
        self.max_body = max_body
        self.max_header = max_header
        self._buf = bytearray()
        self._length: int | None = None  # from this block's Content-Length
        self._headers = 0  # header lines read in this block
        self._body: int | None = None  # bytes of body awaited
        self._skipping = False  # looking for the next Content-Length

    def feed(self, data: bytes) -> list[bytes | Refused]:
        self._buf += data
        out: list[bytes | Refused] = []
        while self._step(out):
            pass
        return out

    def _reset(self) -> None:
        self._length, self._headers, self._body = None, 0, None

    def _refuse(self, out: list, reason: str) -> None:
        log.warning("refused bytes from the client: %s", reason)
        out.append(Refused(reason))
        self._reset()
        self._skipping = True

    def _step(self, out: list) -> bool:
        """Consume what can be consumed; False when more bytes are needed."""
        buf = self._buf
        if self._skipping:
            found = _MARKER.search(buf)
            if found is None:
                del buf[:max(0, len(buf) - _MARKER_LEN)]
                return False
            del buf[:found.start()]
            self._skipping = False
        if self._body is not None:
            if len(buf) < self._body:
                return False
            out.append(bytes(buf[:self._body]))
            del buf[:self._body]
            self._reset()
            return True
        end = buf.find(b"\n")
        line = bytes(buf[:end] if end >= 0 else buf)
        if end < 0:
            if not line:
                return False
            if _HEADER_PREFIX.fullmatch(line) is None:
                return self._not_a_header(out, line)
            if len(line) > self.max_header:
                self._refuse(out, f"a header line longer than {self.max_header} bytes")
                del buf[:len(line)]
                return True
            return False
        if len(line) > self.max_header:
            self._refuse(out, f"a header line longer than {self.max_header} bytes")
            del buf[:end + 1]
            return True
        if line.strip() == b"":
            del buf[:end + 1]
            if self._length is not None:
                self._body = self._length
            elif self._headers:
                self._refuse(out, "a message header without Content-Length")
            return True
        header = _HEADER.fullmatch(line)
        if header is None:
            return self._not_a_header(out, line)
        del buf[:end + 1]
        self._headers += 1
        if header.group(1).lower() == b"content-length":
            value = header.group(2)
            if not (value.isdigit() and value.isascii()):
                self._refuse(out, f"Content-Length {value[:40].decode('latin-1')!r} is not "
                                  "a byte count")
            elif len(value) > 12 or int(value) > self.max_body:
                self._refuse(out, f"a message of {value[:40].decode('ascii')} bytes is over "
                                  f"the limit of {self.max_body} bytes; skipped")
            else:
                self._length = int(value)
        return True

    def _not_a_header(self, out: list, line: bytes) -> bool:
        if self._length is not None:
            # Content-Length, then the body without the blank line between:
            # read it as the body (the request still gets its answer)
            log.warning("a message header without its blank line; reading the body after it")
            self._body = self._length
            return True
        self._refuse(out, "bytes that are not a message header: "
                          f"{line[:40].decode('utf-8', 'replace')!r}")
        if self._buf[:_MARKER_LEN].lower() == b"content-length:":
            del self._buf[:1]  # the marker search must move past this line's start
        return True


ErrorHandler = Callable[[Exception, type], object]


async def serve(read: Callable[[], Awaitable[bytes]], protocol, stop_event,
                error_handler: ErrorHandler | None = None) -> None:
    """Feed the frames of ``read()`` (b"" at the end) to a pygls protocol
    until the stream ends or ``stop_event`` is set."""
    framer = Framer()
    while not stop_event.is_set():
        chunk = await read()
        if not chunk:
            break
        for frame in framer.feed(chunk):
            if isinstance(frame, Refused):
                _error(protocol, -32600, frame.reason)
                continue
            _handle(protocol, frame, error_handler)


def _handle(protocol, body: bytes, error_handler: ErrorHandler | None) -> None:
    try:
        message = json.loads(body, object_hook=protocol.structure_message)
    except (ValueError, RecursionError) as exc:  # not JSON (UnicodeDecodeError is one too)
        _error(protocol, -32700, f"the message body is not JSON: {exc}")
        return
    except Exception as exc:  # noqa: BLE001 - a message pygls cannot type
        log.exception("unable to read a message")
        if error_handler is not None:
            error_handler(exc, type(exc))
        request_id = _request_id(body)
        if request_id is not None:  # a request is answered, or its client waits forever
            _error(protocol, -32602, f"invalid params: {exc}"[:1000], request_id)
        return
    try:
        protocol.handle_message(message)
    except Exception as exc:  # noqa: BLE001 - one message must not end the server
        log.exception("unable to handle a message")
        if error_handler is not None:
            error_handler(exc, type(exc))


def _request_id(body: bytes):
    """The id of a request whose params pygls could not type (a hover
    without its position), or None for a notification or an unreadable body."""
    try:
        raw = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if isinstance(raw, dict) and "method" in raw and isinstance(raw.get("id"), (int, str)) \
            and not isinstance(raw.get("id"), bool):
        return raw["id"]
    return None


def _error(protocol, code: int, message: str, request_id=None) -> None:
    protocol._send_data({"jsonrpc": "2.0", "id": request_id,
                         "error": {"code": code, "message": message}})
