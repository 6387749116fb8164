"""Request problems -> gRPC status codes with a place.

Every refusal names the request field at fault and, for source text, the
line and column.  Unary rpcs carry that three ways so that any client can
read it: the status details text (``program:2:7: unexpected ')'``), plain
trailing metadata (``chainlens-field``, ``chainlens-line``...) and the whole
:class:`~chainlens.v1.tensor_pb2.Problem` message serialised under
``chainlens-problem-bin``.  GradientStream answers the same message in the
response instead, so one bad request does not end the stream.

gRPC carries the status details and trailing metadata in HTTP/2 headers,
which a client refuses past a few kilobytes (the call then ends as
RESOURCE_EXHAUSTED "received metadata size exceeds hard limit", which hides
the real problem: a 3,000-layer program missing its 6,000 inputs, say).
So every part of a problem is capped where the problem is made: the place
(field, line, column) is always kept, a message keeps its first words and
says how much was cut, a list of alternatives keeps its first entries and
says how many more there were.
"""

from __future__ import annotations

from dataclasses import dataclass

import grpc
from chainlens.engine.core.source import ChainError, Span
from chainlens.v1 import tensor_pb2

__all__ = ["RequestProblem", "from_chain_error", "to_message", "trailing_metadata", "clip"]

#: Metadata key of the serialised Problem message.
PROBLEM_KEY = "chainlens-problem-bin"
#: Characters kept of a message, of the alternatives together, of a hint and
#: of a field name: the details text and the Problem message each stay under
#: 3 KB, both together well under gRPC's 8 KB default for metadata.
MAX_MESSAGE_CHARS = 1_000
MAX_EXPECTED_CHARS = 800
MAX_HINT_CHARS = 400
MAX_FIELD_CHARS = 200


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a word where one is
    near, saying that (and how much) it was cut; a clipped text is left as
    it is by a second clip."""
    if len(text) <= limit:
        return text
    head = text[:max(limit - 40, 1)]
    space = head.rfind(" ")
    if space > len(head) * 0.8:
        head = head[:space]
    head = head.rstrip(" ,;")
    return f"{head} … (cut: {len(text) - len(head):,} more characters)"


def _clip_expected(expected: tuple[str, ...]) -> tuple[str, ...]:
    kept: list[str] = []
    used = 0
    for item in expected:
        item = clip(item, MAX_EXPECTED_CHARS // 4)
        if used + len(item) > MAX_EXPECTED_CHARS:
            break
        kept.append(item)
        used += len(item)
    if len(kept) < len(expected):
        kept.append(f"{len(expected) - len(kept):,} more")
    return tuple(kept)


@dataclass(eq=False)
class RequestProblem(Exception):
    """A request the server refuses, with the status code to refuse it with."""

    code: grpc.StatusCode
    message: str
    field: str = ""
    span: Span | None = None
    expected: tuple[str, ...] = ()
    hint: str | None = None

    def __post_init__(self):
        self.message = clip(str(self.message), MAX_MESSAGE_CHARS)
        self.field = clip(str(self.field), MAX_FIELD_CHARS)
        self.expected = _clip_expected(tuple(self.expected))
        if self.hint:
            self.hint = clip(str(self.hint), MAX_HINT_CHARS)
        Exception.__init__(self, self.message)

    @property
    def details(self) -> str:
        """The status details text: ``field:line:column: message; expected ...``."""
        where = self.field
        if self.span is not None:
            where += f":{self.span.line}:{self.span.column}"
        text = f"{where}: {self.message}" if where else self.message
        if self.expected:
            text += "; expected " + " or ".join(self.expected)
        if self.hint:
            text += "; hint: " + self.hint
        return text


def invalid(field: str, message: str) -> RequestProblem:
    return RequestProblem(grpc.StatusCode.INVALID_ARGUMENT, message, field)


def from_chain_error(exc: ChainError, field: str) -> RequestProblem:
    """An engine error about the text in ``field`` (parse, shape, limit...)."""
    return RequestProblem(
        grpc.StatusCode.INVALID_ARGUMENT,
        exc.message,
        field,
        exc.span,
        tuple(exc.expected),
        exc.hint,
    )


def to_message(problem: RequestProblem) -> tensor_pb2.Problem:
    message = tensor_pb2.Problem(
        code=problem.code.name,
        message=problem.message,
        field=problem.field,
        expected=problem.expected,
        hint=problem.hint or "",
    )
    if problem.span is not None:
        message.place.CopyFrom(place(problem.span))
    return message


def place(span: Span | None) -> tensor_pb2.Place | None:
    """A span as a Place message (None stays unset)."""
    if span is None:
        return None
    return tensor_pb2.Place(line=span.line, column=span.column, end_line=span.end_line,
                            end_column=span.end_column, start=span.start, end=span.end)


def trailing_metadata(problem: RequestProblem) -> tuple[tuple[str, str | bytes], ...]:
    items: list[tuple[str, str | bytes]] = [("chainlens-field", problem.field)]
    if problem.span is not None:
        items += [
            ("chainlens-line", str(problem.span.line)),
            ("chainlens-column", str(problem.span.column)),
            ("chainlens-end-line", str(problem.span.end_line)),
            ("chainlens-end-column", str(problem.span.end_column)),
        ]
    items.append((PROBLEM_KEY, to_message(problem).SerializeToString()))
    return tuple(items)
