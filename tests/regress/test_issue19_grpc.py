"""#19, gRPC: undecodable requests, the program cache's size, and symbolic
work that neither starves the kernels nor runs past its deadline."""

from __future__ import annotations

import asyncio
import threading
import time

import grpc
import pytest
from chainlens.server.rpc import convert
from chainlens.server.rpc.batcher import BatchingOptions
from chainlens.server.rpc.service import Service, ServiceOptions
from chainlens.v1 import derivatives_pb2 as pb
from chainlens.v1 import derivatives_pb2_grpc
from chainlens.v1.tensors import to_tensor

METHOD = "/chainlens.v1.Derivatives/"


@pytest.fixture
async def service():
    started = []

    async def start(**options):
        svc = await Service(ServiceOptions(port=0, grace=0.5, **options)).start()
        started.append(svc)
        return svc

    yield start
    for svc in started:
        await svc.stop(grace=0)


@pytest.mark.parametrize("method", ["Differentiate", "Gradient", "Analyze", "Check"])
async def test_garbage_bytes_are_invalid_argument_not_unknown(service, method):
    svc = await service()
    async with grpc.aio.insecure_channel(svc.address) as channel:
        call = channel.unary_unary(METHOD + method)  # no serializer: raw bytes
        with pytest.raises(grpc.aio.AioRpcError) as info:
            await call(b"\xff\xff\xff\xff garbage", timeout=10)
    assert info.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert f"not a chainlens.v1.{method}Request message" in info.value.details()


async def test_garbage_in_a_stream_ends_it_after_the_answers_so_far(service):
    svc = await service()
    good = pb.GradientRequest(program="y = x^2", request_id="ok")
    good.inputs["x"].CopyFrom(to_tensor(3.0))

    async def requests():
        yield good.SerializeToString()
        await asyncio.sleep(0.2)
        yield b"\xff\xff\xff\xff"

    async with grpc.aio.insecure_channel(svc.address) as channel:
        call = channel.stream_stream(METHOD + "GradientStream",
                                     response_deserializer=pb.GradientResponse.FromString)
        stream = call(requests(), timeout=10)
        answers = []
        with pytest.raises(grpc.aio.AioRpcError) as info:
            async for answer in stream:
                answers.append(answer)
    assert [a.request_id for a in answers] == ["ok"]
    assert info.value.code() is grpc.StatusCode.INVALID_ARGUMENT


async def test_the_program_cache_is_bounded_by_characters(service):
    # the server's own cache: no worker processes (a 1 MB text would go to one)
    svc = await service(cache_chars=3_000_000, pool_workers=0)
    padding = "# " + "x" * 999_000 + "\n"
    async with grpc.aio.insecure_channel(svc.address,
                                         options=[("grpc.max_send_message_length",
                                                   16 << 20)]) as channel:
        stub = derivatives_pb2_grpc.DerivativesStub(channel)
        for i in range(8):
            request = pb.GradientRequest(program=f"{padding}y = x^2 + {i}")
            request.inputs["x"].CopyFrom(to_tensor(1.0))
            answer = await stub.Gradient(request, timeout=30)
            assert "y" in answer.values
    programs = svc.programs
    assert len(programs) >= 1
    assert programs.chars <= 3_000_000
    assert programs.kernel_chars <= 3_000_000


def test_the_default_cache_is_bounded_in_characters():
    assert ServiceOptions().cache_chars <= 64 * 1024 * 1024


async def test_slow_symbolic_work_neither_starves_kernels_nor_outlives_its_deadline(
        service, monkeypatch):
    started = []
    lock = threading.Lock()
    real = convert.differentiate

    def slow(request):
        with lock:
            started.append(time.monotonic())
        time.sleep(0.6)
        return real(request)

    monkeypatch.setattr(convert, "differentiate", slow)
    svc = await service(batching=BatchingOptions(workers=2), symbolic_workers=2)
    async with grpc.aio.insecure_channel(svc.address) as channel:
        stub = derivatives_pb2_grpc.DerivativesStub(channel)
        slow_calls = [stub.Differentiate(pb.DifferentiateRequest(source="sin(x)"), timeout=0.3)
                      for _ in range(6)]
        await asyncio.sleep(0.05)
        request = pb.GradientRequest(program="y = x^3")
        request.inputs["x"].CopyFrom(to_tensor(2.0))
        t0 = time.monotonic()
        answer = await stub.Gradient(request, timeout=10)
        waited = time.monotonic() - t0
        codes = []
        for call in slow_calls:
            try:
                await call
                codes.append(grpc.StatusCode.OK)
            except grpc.aio.AioRpcError as exc:
                codes.append(exc.code())
    assert answer.points == 1
    assert waited < 0.5, f"a Gradient waited {waited:.2f} s behind symbolic work"
    assert codes == [grpc.StatusCode.DEADLINE_EXCEEDED] * 6
    await asyncio.sleep(1.5)
    assert len(started) <= 2, f"{len(started)} calls started after their deadline had passed"


def test_the_batcher_raises_neutral_errors_the_servicer_maps():
    """#11: the batcher knows nothing of gRPC; the servicer picks the code."""
    from chainlens.server.rpc import batcher, servicer

    assert "grpc" not in vars(batcher)
    full = servicer._as_problem(batcher.QueueFull("full"))
    late = servicer._as_problem(batcher.Expired("late"))
    assert full.code is grpc.StatusCode.RESOURCE_EXHAUSTED and full.message == "full"
    assert late.code is grpc.StatusCode.DEADLINE_EXCEEDED
