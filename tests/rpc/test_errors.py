"""Every refusal is a status code naming the field and, for text, the place:
in the details text, in plain trailing metadata and as a Problem message."""

from __future__ import annotations

import grpc
import numpy as np
import pytest
from chainlens.client import AsyncClient, ChainlensError
from chainlens.engine.core.limits import MAX_ORDER, MAX_SOURCE_CHARS
from chainlens.v1 import derivatives_pb2 as pb
from chainlens.v1 import derivatives_pb2_grpc
from chainlens.v1.tensors import to_tensor

INVALID = grpc.StatusCode.INVALID_ARGUMENT


async def test_a_parse_error_names_the_line_and_column(client):
    with pytest.raises(ChainlensError) as info:
        await client.gradient("z = w*x + b\nL = (z - y))^2\n", x=1, w=1, b=1, y=1)
    err = info.value
    assert err.code is INVALID and err.field == "program"
    assert err.line == 2 and err.column >= 1
    assert err.details.startswith(f"program:2:{err.column}: ")


async def test_the_place_is_in_plain_trailing_metadata_too(service):
    async with grpc.aio.insecure_channel(service.address) as channel:
        stub = derivatives_pb2_grpc.DerivativesStub(channel)
        call = stub.Differentiate(pb.DifferentiateRequest(source="sin(x^2"))
        with pytest.raises(grpc.aio.AioRpcError) as info:
            await call
    metadata = dict(info.value.trailing_metadata())
    assert info.value.code() is INVALID
    assert metadata["chainlens-field"] == "source"
    assert metadata["chainlens-line"] == "1" and int(metadata["chainlens-column"]) >= 1


GRADIENT_CASES = [
    # (what is wrong, program, inputs, batched, field named, words in the message)
    ("missing input", "y = x*w", {"x": 1.0}, False, "inputs", "'w'"),
    ("unknown input", "y = x*w", {"x": 1.0, "w": 2.0, "q": 3.0}, False, "inputs['q']", "not an"),
    ("NaN input", "y = x*w", {"x": np.nan, "w": 2.0}, False, "inputs['x']", "nan"),
    ("infinite input", "y = x*w", {"x": [1.0, np.inf], "w": [2.0, 2.0]}, True, "inputs['x']",
     "[1]"),
    ("wrong shape", "y = x*w", {"x": [1.0, 2.0], "w": 2.0}, False, "inputs['x']", "shape"),
    ("points differ", "y = x*w", {"x": [1.0, 2.0, 3.0], "w": [1.0, 2.0]}, True, "inputs['x']",
     "points"),
    ("empty program", "   ", {}, False, "program", "empty"),
    ("scalar in a batch", "y = x*w", {"x": [1.0, 2.0], "w": 2.0}, True, "inputs['w']",
     "is a scalar"),
]


@pytest.mark.parametrize("case", GRADIENT_CASES, ids=[c[0] for c in GRADIENT_CASES])
async def test_bad_gradient_requests_are_invalid_argument_naming_the_field(client, case):
    _, program, inputs, batched, field, words = case
    with pytest.raises(ChainlensError) as info:
        await client.gradient(program, inputs, batched=batched)
    assert info.value.code is INVALID
    assert info.value.field == field
    assert words.lower() in info.value.details.lower()


async def test_an_unknown_wrt_names_its_position(client):
    with pytest.raises(ChainlensError) as info:
        await client.gradient("y = x*w", x=1.0, w=2.0, wrt=["x", "v"])
    assert info.value.code is INVALID and info.value.field == "wrt[1]"


async def test_too_high_an_order_is_refused(client):
    with pytest.raises(ChainlensError) as info:
        await client.differentiate("x^2", "x", order=MAX_ORDER + 1)
    assert info.value.code is INVALID and info.value.field == "order"


async def test_a_program_over_the_size_limit_is_refused(client):
    with pytest.raises(ChainlensError) as info:
        await client.differentiate("x+" * (MAX_SOURCE_CHARS // 2) + "x", "x")
    assert info.value.code is INVALID and "limit" in info.value.details


async def test_a_bad_claim_in_check_names_the_claimed_field(client):
    with pytest.raises(ChainlensError) as info:
        await client.check("sin(x)", "cos(x", "x")
    assert info.value.code is INVALID and info.value.field == "claimed"
    assert info.value.line == 1


async def test_a_message_over_the_size_limit_is_resource_exhausted(start_service):
    service = await start_service(max_message_bytes=64 * 1024)
    async with AsyncClient(service.address) as c:
        with pytest.raises(ChainlensError) as info:
            await c.gradient("y = x^2", {"x": np.zeros(20_000)}, batched=True)
    assert info.value.code is grpc.StatusCode.RESOURCE_EXHAUSTED


async def test_a_full_queue_is_resource_exhausted_and_the_rest_answered(start_service):
    import asyncio

    service = await start_service(max_enqueued=3, batch_timeout=0.3)
    async with AsyncClient(service.address) as c:
        await c.gradient("y = x^3", x=1.0)  # compile first, so all five queue together
        results = await asyncio.gather(*(c.gradient("y = x^3", x=float(i)) for i in range(5)),
                                       return_exceptions=True)
    refused = [r for r in results if isinstance(r, ChainlensError)]
    answered = [r for r in results if not isinstance(r, Exception)]
    assert len(answered) == 3 and len(refused) == 2
    assert {r.code for r in refused} == {grpc.StatusCode.RESOURCE_EXHAUSTED}
    assert service.metrics.value("chainlens_errors_total", method="Gradient",
                                 code="RESOURCE_EXHAUSTED") == 2


async def test_tensor_bytes_that_do_not_match_the_shape_are_refused(service):
    request = pb.GradientRequest(program="y = x^2", inputs={"x": to_tensor(1.0)})
    request.inputs["x"].shape.append(3)
    async with grpc.aio.insecure_channel(service.address) as channel:
        stub = derivatives_pb2_grpc.DerivativesStub(channel)
        with pytest.raises(grpc.aio.AioRpcError) as info:
            await stub.Gradient(request)
    assert info.value.code() is INVALID and "inputs['x']" in info.value.details()


ANALYZE_CASES = [
    # (what is wrong, at, field named, words in the message)
    ("no values", {"x": np.zeros(0), "w": 1.0}, "at['x']", "no values"),
    ("unknown name", {"q": 1.0}, "at", "'q' is not an input"),
]


@pytest.mark.parametrize("case", ANALYZE_CASES, ids=[c[0] for c in ANALYZE_CASES])
async def test_bad_analyze_points_are_invalid_argument_naming_the_field(client, case):
    _, at, field, words = case
    with pytest.raises(ChainlensError) as info:
        await client.analyze("y = sin(w*x)", at, top_paths=3)
    assert info.value.code is INVALID
    assert info.value.field == field and words in info.value.details
