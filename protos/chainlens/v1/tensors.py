"""numpy <-> :class:`chainlens.v1.tensor_pb2.Tensor`, for the server and the client.

The wire form is shape + packed little-endian float64, so decoding is a
zero-copy ``np.frombuffer`` view and encoding one ``tobytes``; the only
checks are the ones a bad message can fail (byte count, shape).  Kept beside
the generated code because both ends of the wire need exactly this, and
neither should depend on the other.
"""

from __future__ import annotations

import math

import numpy as np
from chainlens.v1 import tensor_pb2

__all__ = ["TensorFormatError", "to_tensor", "from_tensor"]

#: The wire dtype: little-endian IEEE-754 binary64.
WIRE_DTYPE = np.dtype("<f8")


class TensorFormatError(ValueError):
    """A Tensor message whose bytes do not match its shape."""


#: Most elements an answer also spells out as ``values`` (beside ``data``),
#: so grpcurl and JSON clients read numbers; bigger tensors are bytes only.
READABLE_MAX = 4096


def to_tensor(value, *, readable: bool = False) -> tensor_pb2.Tensor:
    """Encode an array-like (or a Python number) as a Tensor message.

    ``readable`` (the server's answers) also fills ``values`` with the same
    numbers when the tensor has at most :data:`READABLE_MAX` elements."""
    array = np.asarray(value, dtype=WIRE_DTYPE)
    message = tensor_pb2.Tensor(shape=array.shape, data=array.tobytes(order="C"))
    if readable and array.size <= READABLE_MAX:
        message.values.extend(array.reshape(-1).tolist())
    return message


def from_tensor(message: tensor_pb2.Tensor, *, max_elements: int | None = None) -> np.ndarray:
    """Decode a Tensor message into a read-only float64 array.

    Reads ``values`` when ``data`` is empty (hand-written JSON clients).
    Raises :class:`TensorFormatError` when the sizes disagree.
    """
    shape = tuple(int(d) for d in message.shape)
    if any(d < 0 for d in shape):
        raise TensorFormatError(f"shape {list(shape)} has a negative dimension")
    count = math.prod(shape)
    if max_elements is not None and count > max_elements:
        raise TensorFormatError(f"shape {list(shape)} has {count} elements; the limit is "
                                f"{max_elements}")
    if message.data:
        if len(message.data) != count * WIRE_DTYPE.itemsize:
            raise TensorFormatError(
                f"shape {list(shape)} needs {count * WIRE_DTYPE.itemsize} bytes of float64 data, "
                f"got {len(message.data)}"
            )
        flat = np.frombuffer(message.data, dtype=WIRE_DTYPE)
    else:
        if len(message.values) != count:
            raise TensorFormatError(
                f"shape {list(shape)} needs {count} values, got {len(message.values)}"
            )
        flat = np.asarray(message.values, dtype=np.float64)
    return flat.reshape(shape).astype(np.float64, copy=False)
