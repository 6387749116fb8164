"""Python values -> request messages, shared by the sync and asyncio clients."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from chainlens.v1 import derivatives_pb2 as pb
from chainlens.v1.tensors import to_tensor

__all__ = ["gradient_request", "differentiate_request", "check_request", "analyze_request"]


def _names(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return list(value)


def gradient_request(program: str, inputs: Mapping | None, named: Mapping, *, wrt=None,
                     outputs=None, batched: bool = False, request_id: str = "") -> \
        pb.GradientRequest:
    """``inputs`` and ``named`` (keyword arguments) together give the values:
    numbers or arrays, with a leading axis of points when ``batched``."""
    values = {**(inputs or {}), **named}
    return pb.GradientRequest(
        program=program,
        inputs={name: to_tensor(value) for name, value in values.items()},
        wrt=_names(wrt), outputs=_names(outputs), batched=batched, request_id=request_id,
    )


def differentiate_request(source: str, wrt=None, order: int = 1,
                          steps: bool = True) -> pb.DifferentiateRequest:
    return pb.DifferentiateRequest(source=source, wrt=_names(wrt), order=order, steps=steps)


def check_request(expression: str, claimed: str, wrt: str | None = None) -> pb.CheckRequest:
    return pb.CheckRequest(expression=expression, claimed=claimed, wrt=wrt or "")


def analyze_request(program: str, at: Mapping | None = None,
                    top_paths: int = 0) -> pb.AnalyzeRequest:
    return pb.AnalyzeRequest(program=program, top_paths=top_paths,
                             at={k: to_tensor(v) for k, v in (at or {}).items()})
