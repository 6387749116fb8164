"""GradientRequest -> validated arrays, and Rows -> GradientResponse.

Validation happens here, before a request is queued, so that a malformed
request (missing or unknown input, wrong shape, NaN, mismatched point
counts) is refused alone with INVALID_ARGUMENT naming the field and the
place, and never joins a batch with other people's requests.
"""

from __future__ import annotations

import numpy as np
from chainlens.engine.api.outputs import output_labels
from chainlens.engine.core.limits import MAX_TENSOR_ELEMENTS
from chainlens.server.rpc.batcher import Rows
from chainlens.server.rpc.problems import invalid
from chainlens.server.rpc.programs import Compiled
from chainlens.v1 import derivatives_pb2, tensor_pb2
from chainlens.v1.tensors import TensorFormatError, from_tensor, to_tensor

__all__ = ["decode_inputs", "encode_rows"]


def decode_inputs(request: derivatives_pb2.GradientRequest,
                  compiled: Compiled) -> tuple[dict[str, np.ndarray], int]:
    """The request's inputs as ``(points, *shape)`` arrays, and the point count."""
    expected = compiled.inputs
    for name in request.inputs:
        if name not in expected:
            raise invalid(f"inputs[{name!r}]", f"{name!r} is not an input of the program; its "
                                               f"inputs are {', '.join(expected) or 'none'}")
    missing = [n for n in expected if n not in request.inputs]
    if missing:
        raise invalid("inputs", "missing a value for " + ", ".join(repr(n) for n in missing))
    arrays: dict[str, np.ndarray] = {}
    points: int | None = None
    for name in expected:
        field = f"inputs[{name!r}]"
        try:
            array = from_tensor(request.inputs[name], max_elements=MAX_TENSOR_ELEMENTS)
        except TensorFormatError as exc:
            raise invalid(field, str(exc)) from None
        shape = compiled.shape(name)
        if not request.batched:
            array = array[np.newaxis]
        elif array.ndim == 0:
            raise invalid(field, "is a scalar; a batched request gives each input as "
                                 f"[points{''.join(f', {d}' for d in shape)}]")
        if array.shape[1:] != shape or array.shape[0] < 1:
            raise invalid(field, _shape_message(array.shape, shape, request.batched))
        if points is None:
            points = array.shape[0]
        elif array.shape[0] != points:
            raise invalid(field, f"has {array.shape[0]} points but an earlier input has "
                                 f"{points}; every input needs the same number of points")
        _finite(array, field, request.batched)
        arrays[name] = array
    return arrays, points or 1


def _shape_message(got: tuple, want: tuple, batched: bool) -> str:
    if batched:
        return (f"has shape {list(got)}; expected [points, {', '.join(map(str, want))}]"
                if want else f"has shape {list(got)}; expected [points]")
    return f"has shape {list(got[1:])}; the program declares {list(want)}"


def _finite(array: np.ndarray, field: str, batched: bool) -> None:
    bad = ~np.isfinite(array)
    if bad.any():
        index = np.unravel_index(int(np.argmax(bad)), array.shape)
        value = array[index]
        where = index if batched else index[1:]
        at = f" at index {list(map(int, where))}" if where else ""
        raise invalid(field, f"holds {value}{at}; inputs must be finite numbers")


def encode_rows(rows: Rows, request: derivatives_pb2.GradientRequest) -> \
        derivatives_pb2.GradientResponse:
    """One request's rows as its response (the points axis dropped again
    when the request was a single point)."""
    def shaped(array: np.ndarray) -> np.ndarray:
        return array if request.batched else array[0]

    response = derivatives_pb2.GradientResponse(
        points=int(next(iter(rows.values.values())).shape[0]) if rows.values else 0,
        batch=derivatives_pb2.BatchInfo(requests=rows.batch_requests, points=rows.batch_points),
        request_id=request.request_id,
    )
    label = output_labels(rows.values).get  # an expression statement's output is f
    nonfinite: list[str] = []
    for output, value in rows.values.items():
        response.values[label(output)].CopyFrom(to_tensor(shaped(value), readable=True))
        if not np.isfinite(value).all():
            nonfinite.append(label(output))
    for output, grads in rows.gradients.items():
        tensors = tensor_pb2.TensorMap()
        for name, grad in grads.items():
            tensors.tensors[name].CopyFrom(to_tensor(shaped(grad), readable=True))
            if not np.isfinite(grad).all():
                nonfinite.append(f"d{label(output)}/d{name}")
        response.gradients[label(output)].CopyFrom(tensors)
    response.nonfinite.extend(nonfinite)
    return response
